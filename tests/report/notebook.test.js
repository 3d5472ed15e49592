'use strict';
// The report as a notebook output cell shows it: a summary that needs no script, a timeline cut to a budget whose
// rest the notebook's page loads from the cell's files when they are served, JupyterLab's theme, and buttons that
// save the cell's own files under the cell's name. The cell's files are served by a small HTTP server, as
// JupyterLab serves them; a host page is the output cell: the fragment inside a page of its own.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');
const { launch, engineJar, ARTIFACTS } = require('./browser');
const { simulate, summarize, writeTrace } = require('./simulate');

const ROOT = path.join(ARTIFACTS, 'notebook-cut');
const CELL = path.join(ROOT, 'per4m-traces', 'cell-007-20261202-010203');
const TRACE = path.join(CELL, 'giltracer.json');
const REPORT = path.join(CELL, 'giltracer.html');
let browser, server, base, fragment;

/** Events the report draws, counted from the trace file: a GIL or state slice (its b), a call (X), a sample (C). */
function traceEvents(trace) {
  return trace.traceEvents.filter((e) => (e.ph === 'b' && (e.cat === 'gil' || e.cat === 'state')) || e.ph === 'X' || e.ph === 'C')
    .map((e) => Math.round(e.ts * 1000));
}

function hostPage(name, bodyAttributes, style) {
  fs.writeFileSync(path.join(ROOT, name), '<!DOCTYPE html><html><head><meta charset="utf-8"></head>' +
    `<body ${bodyAttributes} style="margin:20px;width:1100px;${style}"><h3>In [7]:</h3>${fragment}<p id="after">next cell</p></body></html>`);
}

async function openCell(url, colorScheme) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  if (colorScheme) await page.emulateMedia({ colorScheme });
  await page.goto(url);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForFunction(() => window.per4m && window.per4m.timing);
  return { page, frame, problems };
}

test.before(async () => {
  fs.rmSync(ROOT, { recursive: true, force: true });
  fs.mkdirSync(CELL, { recursive: true });
  // a cell with more events than a notebook embeds
  const sim = simulate({ seed: 5, pid: 42000, names: ['MainThread', 'counter-0', 'counter-1'], startUs: 1e6, durationUs: 300000,
    cpuUntilUs: 250000, switchUs: 300, mainEveryUs: 20000, counterEveryUs: 5000, deepCalls: true });
  writeTrace(sim, TRACE, { summary: summarize(sim), processName: 'In [7]' });
  execFileSync('java', ['-cp', engineJar(), 'io.per4m.cli.Main', 'report', TRACE, '-o', REPORT,
    '--notebook-html', path.join(ROOT, 'fragment.html'), '--quiet']);
  fragment = fs.readFileSync(path.join(ROOT, 'fragment.html'), 'utf8');
  hostPage('dark.html', 'data-jp-theme-light="false" data-jp-theme-name="JupyterLab Dark"', 'background:#111;color:#d5d5d5');
  hostPage('light.html', 'data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light"', 'background:#fff;color:#1a1a1a');
  server = http.createServer((req, res) => {
    const file = path.join(ROOT, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(ROOT) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': file.endsWith('.json') ? 'application/json' : 'text/html' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
});
test.after(async () => {
  if (browser) await browser.dispose();
  if (server) server.close();
});

test('the notebook embeds a cut timeline and says how much of it, counted against the trace file', async () => {
  const trace = JSON.parse(fs.readFileSync(TRACE, 'utf8'));
  const starts = traceEvents(trace);
  const { page, frame, problems } = await openCell('file://' + path.join(ROOT, 'light.html'));
  const cut = await frame.evaluate(() => window.per4m.data.cut);
  const origin = await frame.evaluate(() => Math.round(window.per4m.data.origin_us * 1000));
  const embedded = await frame.evaluate(() => window.per4m.data.threads.reduce((n, t) => n + t.gil.n + t.state.n +
    t.allCalls.reduce((m, r) => m + r.n, 0) + t.counters.reduce((m, c) => m + c.s.length, 0), 0));
  assert.ok(starts.length > 3000, 'the fixture has more events than the budget: ' + starts.length);
  assert.strictEqual(cut.total, starts.length, 'all events of the trace');
  assert.strictEqual(embedded, cut.shown, 'the page holds what it says');
  assert.ok(cut.shown <= 3000 && cut.shown > 2500, 'within the budget (ReportWriter.INLINE_EVENT_BUDGET): ' + JSON.stringify(cut));
  // complete up to until_ns: exactly the events starting before it, and one starts right there
  assert.strictEqual(starts.filter((s) => s - origin < cut.until_ns).length, cut.shown);
  assert.strictEqual(Math.min(...starts.filter((s) => s - origin >= cut.until_ns)) - origin, cut.until_ns);
  // the same said without scripts, outside the iframe, and by the page itself
  const outside = await page.$eval('.per4m-cut', (d) => ({ text: d.textContent, shown: +d.dataset.shown, total: +d.dataset.total }));
  assert.deepStrictEqual([outside.shown, outside.total], [cut.shown, cut.total]);
  const n = (x) => x.toLocaleString('en-US');
  assert.match(outside.text, new RegExp(`first ${n(cut.shown)} of ${n(cut.total)} events.*other ${n(cut.total - cut.shown)} events are in giltracer\\.json`));
  // from file:// the page cannot fetch the cell's files: the timeline stays cut and says where the rest is
  await frame.waitForSelector('#tl-cut[data-state=failed]', { state: 'attached' });
  const note = await frame.textContent('#tl-cut');
  assert.match(note, new RegExp(`first ${n(cut.shown)} of ${n(cut.total)} events.*${n(cut.total - cut.shown)} more events in giltracer\\.json \\(open the full report\\)`));
  assert.match(await frame.textContent('#meta'), new RegExp(`${n(cut.shown)} of ${n(cut.total)} events shown`));
  assert.deepStrictEqual(problems, []);
  await page.close();
});

test('served like JupyterLab serves files, the notebook\'s page loads the rest of the timeline', async () => {
  const { page, frame, problems } = await openCell(base + 'light.html');
  await frame.waitForSelector('#tl-cut[data-state=loaded]', { state: 'attached', timeout: 20000 });
  const shown = await frame.evaluate(() => ({ cut: window.per4m.data.cut, events: window.per4m.data.threads.reduce((n, t) => n + t.gil.n +
    t.state.n + t.allCalls.reduce((m, r) => m + r.n, 0) + t.counters.reduce((m, c) => m + c.s.length, 0), 0) }));
  assert.strictEqual(shown.cut, undefined);
  assert.strictEqual(shown.events, traceEvents(JSON.parse(fs.readFileSync(TRACE, 'utf8'))).length);
  assert.match(await frame.textContent('#tl-cut'), /^All [\d,]+ events, loaded from the cell's report file/);
  // the script ran: one table (the report's), no note about trust
  assert.strictEqual(await page.isVisible('.per4m-summary'), false);
  assert.strictEqual(await page.$$eval('.per4m-untrusted', (n) => n.length), 0);
  assert.deepStrictEqual(problems, []);
  await page.close();
});

test('the report\'s buttons save the cell\'s own files, named after the cell', async () => {
  const { page, frame } = await openCell(base + 'light.html');
  await frame.waitForSelector('#tl-cut[data-state=loaded]', { state: 'attached', timeout: 20000 });
  for (const [button, file] of [['#btn-json', TRACE], ['#btn-html', REPORT]]) {
    const [download] = await Promise.all([page.waitForEvent('download'), frame.click(button)]);
    assert.strictEqual(download.suggestedFilename(), 'cell-007-' + path.basename(file));
    assert.ok(fs.readFileSync(await download.path()).equals(fs.readFileSync(file)), button + ' saves ' + file + ' byte for byte');
  }
  await page.close();
  // the standalone report, served: its buttons save the files beside it
  const standalone = await browser.newPage();
  await standalone.goto(base + 'per4m-traces/cell-007-20261202-010203/giltracer.html');
  await standalone.waitForFunction(() => window.per4m && window.per4m.timing);
  const [download] = await Promise.all([standalone.waitForEvent('download'), standalone.click('#btn-json')]);
  assert.strictEqual(download.suggestedFilename(), 'cell-007-giltracer.json');
  assert.ok(fs.readFileSync(await download.path()).equals(fs.readFileSync(TRACE)));
  await standalone.close();
  // where the files cannot be fetched: the page's own copy, still named after the cell, and it says so
  const { page: offline, frame: inner } = await openCell('file://' + path.join(ROOT, 'light.html'));
  await inner.waitForSelector('#tl-cut[data-state=failed]', { state: 'attached' });
  const [copy] = await Promise.all([offline.waitForEvent('download'), inner.click('#btn-json')]);
  assert.strictEqual(copy.suggestedFilename(), 'cell-007-giltracer.json');
  assert.match(await inner.textContent('#details'), /could not be read .*rebuilt from this page, the [\d,]+ events it holds of [\d,]+/);
  await offline.close();
});

const luminance = `(css) => {
  const [r, g, b] = css.match(/\\d+(\\.\\d+)?/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}`;

async function colours(page, frame) {
  return {
    outer: await page.evaluate(`(() => { const lum = ${luminance};
      const cs = (sel) => getComputedStyle(document.querySelector(sel));
      const frame = document.querySelector('iframe.per4m-report');
      return { summaryText: lum(cs('.per4m-summary').color), linksText: lum(cs('.per4m-inline a').color),
        linksOpacity: +cs('.per4m-inline a').opacity * +getComputedStyle(document.querySelector('.per4m-inline a').parentNode).opacity,
        frameBackground: cs('iframe.per4m-report').backgroundColor };
    })()`),
    inner: await frame.evaluate(`(() => { const lum = ${luminance};
      const c = document.getElementById('tl-canvas'), dpr = window.devicePixelRatio || 1;
      const px = c.getContext('2d').getImageData(4 * dpr, c.height - 4 * dpr, 1, 1).data;
      return { theme: document.documentElement.dataset.theme, page: lum(getComputedStyle(document.body).backgroundColor),
        text: lum(getComputedStyle(document.body).color), footer: lum(getComputedStyle(document.querySelector('footer')).color),
        card: lum(getComputedStyle(document.querySelector('#process .card')).backgroundColor),
        canvas: (0.2126 * px[0] + 0.7152 * px[1] + 0.0722 * px[2]) / 255 };
    })()`),
  };
}

test('JupyterLab\'s theme attribute sets the report\'s theme, whatever the system prefers', async () => {
  // dark JupyterLab on a light system
  const dark = await openCell(base + 'dark.html', 'light');
  await dark.frame.waitForSelector('html[data-theme=dark]', { state: 'attached' });
  await dark.page.evaluate(() => document.querySelector('.per4m-summary').hidden = false); // as where no script runs
  let look = await colours(dark.page, dark.frame);
  assert.ok(look.inner.page < 0.2 && look.inner.text > 0.7 && look.inner.canvas < 0.2, 'dark report: ' + JSON.stringify(look));
  assert.ok(look.inner.footer > 0.5, 'the footer stays readable on dark: ' + JSON.stringify(look));
  assert.ok(look.inner.card < 0.25, 'no white card: ' + JSON.stringify(look));
  assert.ok(look.outer.summaryText > 0.7 && look.outer.linksText * look.outer.linksOpacity > 0.3, 'the figures and links outside follow the page: ' + JSON.stringify(look));
  assert.strictEqual(look.outer.frameBackground, 'rgba(0, 0, 0, 0)', 'the iframe paints no white of its own');
  await dark.page.screenshot({ path: path.join(ARTIFACTS, 'notebook-dark.png'), fullPage: true });
  // the user switches JupyterLab to its light theme
  await dark.page.evaluate(() => document.body.setAttribute('data-jp-theme-light', 'true'));
  await dark.frame.waitForSelector('html[data-theme=light]', { state: 'attached' });
  look = await colours(dark.page, dark.frame);
  assert.ok(look.inner.page > 0.9 && look.inner.canvas > 0.9, 'switched to light: ' + JSON.stringify(look));
  assert.deepStrictEqual(dark.problems, []);
  await dark.page.close();
  // light JupyterLab on a dark system
  const light = await openCell(base + 'light.html', 'dark');
  await light.frame.waitForSelector('html[data-theme=light]', { state: 'attached' });
  look = await colours(light.page, light.frame);
  assert.ok(look.inner.page > 0.9 && look.inner.text < 0.3 && look.inner.canvas > 0.9, 'light report: ' + JSON.stringify(look));
  await light.page.close();
});
