'use strict';
// Opens reports written by the engine in headless Chromium and checks what a person would look at.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { launch, report, ARTIFACTS } = require('./browser');

const FIXTURES = path.join(__dirname, 'fixtures');
const XSS_NAME = '<img src=x onerror=alert(1)>';
let browser;
const pages = {};

/** "41.2 ms" / "812.4 µs" / "12 ns" / "1.234 s" -> µs */
function parseDuration(text) {
  const m = /^(-?[\d.]+) (ns|µs|ms|s)$/.exec(text.trim());
  assert.ok(m, 'not a duration: ' + text);
  return +m[1] * { ns: 1e-3, 'µs': 1, ms: 1e3, s: 1e6 }[m[2]];
}
/** The displayed value has 3-4 significant digits: equal within its rounding. */
function assertDuration(text, us, what) {
  const shown = parseDuration(text);
  assert.ok(Math.abs(shown - us) <= Math.max(Math.abs(us) * 0.0051, 0.0006), `${what}: shows ${text}, summary says ${us} µs`);
}
function assertPct(text, pct, what) {
  assert.match(text, /^\d+\.\d %$/, what);
  assert.ok(Math.abs(parseFloat(text) - pct) <= 0.05 + 1e-9, `${what}: shows ${text}, summary says ${pct}`);
}

async function open(name, html) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
  page.on('request', (r) => { if (!/^(file|data|blob|about):/.test(r.url())) problems.push('network: ' + r.url()); });
  await page.goto('file://' + html);
  await page.waitForFunction(() => window.per4m && window.per4m.timing);
  pages[name] = { page, problems };
  return pages[name];
}

test.before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of ['contention', 'xss']) report(path.join(FIXTURES, name + '.json'), path.join(ARTIFACTS, name + '.html'));
  browser = await launch();
});
test.after(async () => { if (browser) await browser.dispose(); });

test('contention report: table figures equal the summary JSON', async () => {
  const { page, problems } = await open('contention', path.join(ARTIFACTS, 'contention.html'));
  const summary = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'contention.json'), 'utf8')).per4m;
  const rows = await page.$$eval('#threads tbody tr', (trs) => trs.map((tr) => ({
    tid: tr.getAttribute('data-tid'),
    name: tr.querySelector('td.name').firstChild.textContent,
    main: !!tr.querySelector('.badge'),
    cells: ['nogil', 'held', 'wait', 'handover'].map((k) => ({ pct: tr.querySelector('td.' + k + ' .pct').textContent, us: tr.querySelector('td.' + k + ' .us').textContent })),
    waits: tr.querySelector('td.count').textContent,
    total: tr.querySelector('td.total').textContent,
    bar: Array.from(tr.querySelectorAll('.split span')).map((s) => parseFloat(s.style.width)),
  })));
  assert.strictEqual(rows.length, summary.threads.length);
  summary.threads.forEach((t, i) => {
    const row = rows[i];
    assert.strictEqual(row.name, t.name);
    assert.strictEqual(row.tid, String(t.tid));
    assert.strictEqual(row.main, t.main);
    assertPct(row.cells[0].pct, t.no_gil_pct, t.name + ' no GIL');
    assertPct(row.cells[1].pct, t.held_pct, t.name + ' has GIL');
    assertPct(row.cells[2].pct, t.wait_pct, t.name + ' GIL wait');
    assertDuration(row.cells[0].us, t.no_gil_us, t.name + ' no GIL');
    assertDuration(row.cells[1].us, t.held_us, t.name + ' has GIL');
    assertDuration(row.cells[2].us, t.wait_us, t.name + ' GIL wait');
    assertPct(row.cells[3].pct, t.handover_pct, t.name + ' hand-over');
    assertDuration(row.cells[3].us, t.handover_us, t.name + ' hand-over');
    assertDuration(row.total, t.total_us, t.name + ' total');
    assert.strictEqual(row.waits, String(t.wait_count));
    assert.deepStrictEqual(row.bar.map((x) => Math.round(x * 100) / 100), [t.no_gil_pct, t.held_pct, t.wait_pct, t.handover_pct].map((x) => Math.round(x * 100) / 100));
  });
  const cards = await page.$$eval('#process .card', (cs) => cs.map((c) => [c.querySelector('.label').textContent, c.querySelector('.value').textContent]));
  const card = (label) => cards.find((c) => c[0] === label)[1];
  assertDuration(card('Recorded span'), summary.process.span_us, 'span');
  assertPct(card('GIL held by some thread'), summary.process.held_pct, 'held by any');
  assertPct(card('Some thread waits for the GIL'), summary.process.wait_pct, 'someone waits');
  const blame = await page.$$eval('#blame li', (lis) => lis.map((li) => Array.from(li.querySelectorAll('span')).map((s) => s.textContent)));
  assert.strictEqual(blame.length, Math.min(5, summary.blame.length));
  summary.blame.slice(0, 5).forEach((b, i) => {
    assert.strictEqual(blame[i][0], `${b.waiter_name} (${b.waiter_tid})`);
    assertDuration(blame[i][1], b.us, 'blame ' + i);
    if (b.holder_tid === null) assert.strictEqual(blame[i].length, 2, 'a hand-over names no holder');
    else assert.strictEqual(blame[i][2], `${b.holder_name} (${b.holder_tid})`);
  });
  for (const p of ['p50', 'p90', 'p99', 'max']) {
    assertDuration(await page.textContent(`#handoff .pc-${p} .value`), summary.handoff[p + '_us'], 'hand-off ' + p);
  }
  assert.strictEqual(await page.textContent('#handoff .pc-count .value'), String(summary.handoff.count));
  await page.screenshot({ path: path.join(ARTIFACTS, 'contention.png'), fullPage: true });
  assert.deepStrictEqual(problems, []);
});

test('timeline lanes are drawn in the GIL colours', async () => {
  const { page } = pages.contention;
  const counts = await page.evaluate(() => {
    const c = document.getElementById('tl-canvas');
    const dpr = window.devicePixelRatio || 1;
    const img = c.getContext('2d').getImageData(200 * dpr, 30 * dpr, c.width - 200 * dpr, c.height - 30 * dpr).data;
    const n = { ink: 0, held: 0, wait: 0, nogil: 0 };
    for (let i = 0; i < img.length; i += 4) {
      const [r, g, b] = [img[i], img[i + 1], img[i + 2]];
      if (r < 245 || g < 245 || b < 245) n.ink++;
      if (r === 0xf0 && g === 0x8c && b === 0x00) n.held++;
      if (r === 0xe0 && g === 0x31 && b === 0x31) n.wait++;
      if (r === 0x69 && g === 0xc1 && b === 0x81) n.nogil++;
    }
    return n;
  });
  assert.ok(counts.ink > 20000, 'timeline is blank: ' + JSON.stringify(counts));
  assert.ok(counts.held > 500 && counts.wait > 500 && counts.nogil > 500, 'GIL colours missing: ' + JSON.stringify(counts));
});

test('wheel, keys and reset change the visible time range', async () => {
  const { page } = pages.contention;
  const before = await page.evaluate(() => window.per4m.timeline.view());
  const rangeText = await page.textContent('#tl-range');
  const box = await page.locator('#tl-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + 60);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction((b) => { const v = window.per4m.timeline.view(); return v.t1 - v.t0 < (b.t1 - b.t0) * 0.8; }, before);
  const zoomed = await page.evaluate(() => window.per4m.timeline.view());
  assert.ok(zoomed.t0 > before.t0, 'zoom keeps the point under the cursor, so the start moves right');
  await page.waitForFunction((t) => document.getElementById('tl-range').textContent !== t, rangeText);
  await page.screenshot({ path: path.join(ARTIFACTS, 'contention-zoomed.png') });
  // drag pans
  await page.mouse.move(box.x + 600, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 400, box.y + 100, { steps: 5 });
  await page.mouse.up();
  const panned = await page.evaluate(() => window.per4m.timeline.view());
  assert.ok(panned.t0 > zoomed.t0 && Math.abs((panned.t1 - panned.t0) - (zoomed.t1 - zoomed.t0)) < 1, 'drag pans without zooming');
  await page.keyboard.press('w');
  await page.waitForFunction((z) => { const v = window.per4m.timeline.view(); return v.t1 - v.t0 < (z.t1 - z.t0) * 0.9; }, panned);
  await page.click('#btn-reset');
  await page.waitForFunction((b) => { const v = window.per4m.timeline.view(); return v.t0 === b.t0 && v.t1 === b.t1; }, before);
});

test('hovering a slice shows a tooltip with its times; clicking shows details', async () => {
  const { page, problems } = pages.contention;
  const target = await page.evaluate(() => {
    const g = window.per4m.data.threads[1].gil;
    let best = 0;
    for (let i = 0; i < g.n; i++) if (g.e[i] - g.s[i] > g.e[best] - g.s[best]) best = i;
    const p = window.per4m.timeline.locate(1, 'gil', (g.s[best] + g.e[best]) / 2);
    return { x: p.x, y: p.y, kind: g.k[best], dur: g.e[best] - g.s[best] };
  });
  await page.waitForTimeout(50);
  await page.mouse.move(target.x, target.y);
  await page.waitForSelector('#tooltip:not([hidden])');
  const text = await page.textContent('#tooltip');
  assert.match(text, [/Has GIL/, /GIL wait/, /GIL hand-over/][target.kind]);
  assert.match(text, /worker 0 \(tid 41001\)/);
  assert.match(text, /duration \d/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'contention-tooltip.png') });
  await page.mouse.click(target.x, target.y);
  const details = await page.textContent('#details');
  assert.match(details, /duration/);
  assert.ok(details.replace(/\u202f/g, '').includes('(' + Math.round(target.dur) + ' ns)'), 'details show the exact duration: ' + details);
  // the flame chart: hover a Python call
  const call = await page.evaluate(() => {
    const row = window.per4m.data.threads[1].calls[1];
    return window.per4m.timeline.locate(1, 'calls', (row.s[0] + row.e[0]) / 2);
  });
  await page.mouse.move(call.x, call.y + 16);
  await page.waitForFunction(() => /contention\.py/.test(document.getElementById('tooltip').textContent));
  assert.deepStrictEqual(problems, []);
});

test('names from the traced program stay text', async () => {
  const { page, problems } = await open('xss', path.join(ARTIFACTS, 'xss.html'));
  assert.strictEqual(await page.$$eval('img', (imgs) => imgs.length), 0);
  assert.strictEqual(await page.$$eval('script', (s) => s.length), 2);
  const names = await page.$$eval('#threads td.name', (tds) => tds.map((td) => td.firstChild.textContent));
  assert.ok(names.includes(XSS_NAME), 'the thread name shows as text: ' + JSON.stringify(names));
  assert.ok(names.includes('w"\'&amp;\u2028'), JSON.stringify(names));
  assert.strictEqual(await page.textContent('#title'), '<b>bold</b></title><script>alert(3)</script>');
  assert.strictEqual(await page.title(), '<b>bold</b></title><script>alert(3)</script> · per4m GIL report');
  const fn = await page.evaluate(() => window.per4m.data.strings.find((s) => s.startsWith('sum_squares')));
  assert.strictEqual(fn, 'sum_squares (</script><script>alert(2)</script>:5)');
  const blame = await page.textContent('#blame');
  assert.ok(blame.includes(XSS_NAME + ' (501)'), blame);
  // no summary in this trace: the report derives it, and says so
  assert.match(await page.textContent('#meta'), /derived from the timeline/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'xss.png'), fullPage: true });
  await page.waitForTimeout(200);
  assert.deepStrictEqual(problems, []);
});

test('child processes get a card of their own figures', async () => {
  const trace = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'contention.json'), 'utf8'));
  const parent = trace.per4m.process;
  assert.strictEqual(await pages.contention.page.$$eval('#process .card', (c) => c.filter((e) => e.textContent.includes('Child processes')).length), 0,
    'one process: no card');
  trace.per4m.process = Object.assign({ pid: 41000 }, parent);
  trace.per4m.processes = [trace.per4m.process,
    { pid: 41100, span_us: 1000, held_by_any_us: 925, someone_waits_us: 10, held_pct: 92.5, wait_pct: 1, gil_events: 80 },
    { pid: 41200, span_us: 1000, held_by_any_us: 790, someone_waits_us: 0, held_pct: 79, wait_pct: 0, gil_events: 86 }];
  const file = path.join(ARTIFACTS, 'children.json');
  fs.writeFileSync(file, JSON.stringify(trace));
  const { page, problems } = await open('children', report(file, path.join(ARTIFACTS, 'children.html')));
  const cards = await page.$$eval('#process .card', (c) => c.map((e) => e.textContent));
  const children = cards.filter((t) => t.includes('Child processes'));
  assert.strictEqual(children.length, 1, JSON.stringify(cards));
  assert.match(children[0], /2pid 41100: held 92\.5 %, waited 1\.0 % · pid 41200: held 79\.0 %, waited 0\.0 %/);
  assert.ok(cards.some((t) => t.includes('GIL held by some thread') && t.includes(parent.held_pct.toFixed(1))), 'the parent\'s own figures stay on top');
  assert.deepStrictEqual(problems, []);
});

test('notebook fragment: the report in a sandboxed iframe sized to its content', async () => {
  const out = path.join(ARTIFACTS, 'notebook');
  fs.mkdirSync(out, { recursive: true });
  const { execFileSync } = require('child_process');
  const { engineJar } = require('./browser');
  execFileSync('java', ['-cp', engineJar(), 'io.per4m.cli.Main', 'report', path.join(FIXTURES, 'contention.json'),
    '-o', path.join(out, 'contention.html'), '--notebook-html', path.join(out, 'fragment.html'), '--quiet']);
  const fragment = fs.readFileSync(path.join(out, 'fragment.html'), 'utf8');
  // what a notebook output cell is: the fragment inside a page of its own
  fs.writeFileSync(path.join(out, 'cell.html'), '<!DOCTYPE html><html><body style="margin:20px;width:1100px"><h3>In [1]:</h3>' + fragment + '<p id="after">next cell</p></body></html>');
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto('file://' + path.join(out, 'cell.html'));
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForFunction(() => window.per4m && window.per4m.timing);
  // the frame reported its height and the parent applied it: the whole report fits without an inner scrollbar
  await page.waitForFunction(() => parseInt(document.querySelector('iframe.per4m-report').style.height, 10) > 900);
  const inner = await frame.evaluate(() => document.documentElement.scrollHeight);
  const outer = await page.evaluate(() => document.querySelector('iframe.per4m-report').clientHeight);
  assert.ok(Math.abs(inner - outer) < 12, `iframe ${outer}px for content ${inner}px`);
  assert.strictEqual(await frame.$$eval('#threads tbody tr', (r) => r.length), 3);
  const links = await page.$$eval('.per4m-inline a', (as) => as.map((a) => [a.textContent, a.getAttribute('href').slice(0, 30)]));
  assert.deepStrictEqual(links.map((l) => l[0]), ['Open report HTML', 'Open trace JSON']);
  assert.strictEqual(await page.$$eval('.per4m-inline a[target="_blank"][download]', (a) => a.length), 0, 'files open, not saved');
  assert.strictEqual(links[0][1], 'contention.html');
  assert.strictEqual(links[1][1], '../../fixtures/contention.json', 'relative to the notebook\'s folder');
  assert.strictEqual(await page.getAttribute('iframe.per4m-report', 'sandbox'), 'allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox');
  await page.screenshot({ path: path.join(ARTIFACTS, 'notebook-cell.png'), fullPage: true });
  assert.deepStrictEqual(problems, []);
});

test('exported trace JSON reads back with the same lanes', async () => {
  const { page } = pages.contention;
  const exported = await page.evaluate(async () => JSON.parse(await window.Per4m.exporter.traceBlob(window.per4m.data).text()));
  const original = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'contention.json'), 'utf8'));
  const count = (trace, pred) => trace.traceEvents.filter(pred).length;
  for (const pred of [(e) => e.cat === 'gil', (e) => e.cat === 'state', (e) => e.ph === 'X', (e) => e.ph === 'C']) {
    assert.strictEqual(count(exported, pred), count(original, pred));
  }
  const firstHeld = (trace) => trace.traceEvents.filter((e) => e.cat === 'gil' && e.tid === 41001 && e.ph === 'b').map((e) => e.ts).sort((a, b) => a - b)[0];
  assert.ok(Math.abs(firstHeld(exported) - firstHeld(original)) < 0.0011);
  assert.deepStrictEqual(exported.per4m, original.per4m);
});

test('frames above the user code are hidden until the toggle shows them', async () => {
  // a traced notebook cell: the magic, IPython and exec above the cell's code; a thread started by the cell
  const pkg = '/venv/lib/python3.11/site-packages/';
  const X = (tid, name, ts, dur) => ({ ph: 'X', pid: 1, tid, name, ts, dur, cat: 'FEE' });
  const trace = { traceEvents: [
    { ph: 'M', name: 'process_name', pid: 1, tid: 1, args: { name: 'In [7]' } },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'MainThread' } },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: { name: 'worker' } },
    X(1, `GilTracerMagics._run_cell (${pkg}per4m/magic.py:143)`, 0, 1000),
    X(1, `ZMQInteractiveShell.run_cell (${pkg}ipykernel/zmqshell.py:540)`, 10, 980),
    // a C function has no file: IPython drives the cell's coroutine with coroutine.send
    X(1, 'coroutine.send', 11, 975),
    X(1, `Bool.validate (${pkg}traitlets/traitlets.py:2350)`, 12, 2),
    X(1, 'builtins.exec', 20, 960),
    X(1, '<module> (In [7]:1)', 30, 940),
    X(1, 'Thread.join (/usr/lib/python3.11/threading.py:1112)', 100, 800),
    X(2, 'Thread._bootstrap (/usr/lib/python3.11/threading.py:995)', 50, 900),
    X(2, 'Thread.run (/usr/lib/python3.11/threading.py:975)', 60, 880),
    X(2, 'count (In [7]:3)', 70, 860),
  ] };
  const json = path.join(ARTIFACTS, 'machinery.json');
  fs.writeFileSync(json, JSON.stringify(trace));
  const { page, problems } = await open('machinery', report(json, path.join(ARTIFACTS, 'machinery.html')));
  const stacks = () => page.evaluate(() => window.per4m.data.threads.map((t) =>
    t.calls.map((row) => Array.from({ length: row.n }, (_, i) => window.per4m.data.strings[row.k[i]]))));
  const byThread = (all) => Object.fromEntries((all).map((rows, i) => [i, rows]));
  const shown = byThread(await stacks());
  const names = await page.evaluate(() => window.per4m.data.threads.map((t) => t.name));
  const main = shown[names.indexOf('MainThread')], worker = shown[names.indexOf('worker')];
  assert.deepStrictEqual(main, [['<module> (In [7]:1)'], ['Thread.join (/usr/lib/python3.11/threading.py:1112)']]);
  assert.deepStrictEqual(worker, [['count (In [7]:3)']]);
  assert.strictEqual(await page.isVisible('#tl-machinery'), true);
  await page.check('#tl-machinery');
  const all = byThread(await stacks());
  assert.strictEqual(all[names.indexOf('MainThread')].length, 6);
  assert.deepStrictEqual(all[names.indexOf('MainThread')][2], ['coroutine.send']);
  assert.deepStrictEqual(all[names.indexOf('MainThread')][3], [`Bool.validate (${pkg}traitlets/traitlets.py:2350)`, 'builtins.exec']);
  assert.strictEqual(all[names.indexOf('worker')].length, 3);
  assert.deepStrictEqual(problems, []);
});

test('with its scripts blocked (JupyterLab\'s untrusted HTML viewer) the page says so in one line', async () => {
  // JupyterLab shows an untrusted HTML file in an iframe sandboxed without allow-scripts
  const viewer = path.join(ARTIFACTS, 'html-viewer.html');
  fs.writeFileSync(viewer, '<!DOCTYPE html><html><body><iframe sandbox="allow-same-origin" style="width:900px;height:600px" src="contention.html"></iframe></body></html>');
  const page = await browser.newPage();
  await page.goto('file://' + viewer);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForSelector('.noscript');
  const hint = await frame.innerText('.noscript');
  assert.match(hint, /scripts, which are blocked here/);
  assert.ok(!hint.includes('\n'), hint);
  assert.strictEqual(await frame.innerText('#title'), '', 'nothing was drawn');
  await page.close();
  const { page: scripted } = pages.contention || await open('contention', path.join(ARTIFACTS, 'contention.html'));
  assert.strictEqual(await scripted.isVisible('.noscript'), false);
});

test('in a dark front end and at 600 px the report stays readable and fits', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 600, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  await page.goto('file://' + path.join(ARTIFACTS, 'contention.html'));
  await page.waitForFunction(() => window.per4m && window.per4m.timing);
  const look = await page.evaluate(() => {
    const luminance = (css) => {
      const [r, g, b] = css.match(/\d+(\.\d+)?/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const c = document.getElementById('tl-canvas');
    const dpr = window.devicePixelRatio || 1;
    // a pixel of the label column below the ruler, between lanes: the canvas's own background
    const px = c.getContext('2d').getImageData(4 * dpr, c.height - 4 * dpr, 1, 1).data;
    const table = document.getElementById('threads');
    return {
      page: luminance(getComputedStyle(document.body).backgroundColor),
      text: luminance(getComputedStyle(document.body).color),
      canvas: (0.2126 * px[0] + 0.7152 * px[1] + 0.0722 * px[2]) / 255,
      scrollWidth: document.documentElement.scrollWidth,
      tableRight: table.getBoundingClientRect().right,
      width: window.innerWidth,
    };
  });
  assert.ok(look.page < 0.2 && look.text > 0.7, 'dark page, light text: ' + JSON.stringify(look));
  assert.ok(look.canvas < 0.2, 'the timeline follows the theme: ' + JSON.stringify(look));
  assert.ok(look.scrollWidth <= look.width && look.tableRight <= look.width, 'nothing cut off at 600 px: ' + JSON.stringify(look));
  await page.screenshot({ path: path.join(ARTIFACTS, 'contention-dark-600.png'), fullPage: true });
  assert.deepStrictEqual(problems, []);
  await page.close();
});

test('probes located without symbols: the report says which figure they cannot give, escaped; with symbols it says nothing', async () => {
  const trace = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'contention.json'), 'utf8'));
  trace.per4m.gil_probes = { method: 'located:take_gil+inlined-release-stores', exact: ['wait', 'held'], not_measured: ['handover'],
    note: 'hand-over is not measured ' + XSS_NAME };
  const json = path.join(ARTIFACTS, 'located-probes.json');
  fs.writeFileSync(json, JSON.stringify(trace));
  report(json, path.join(ARTIFACTS, 'located-probes.html'));
  const located = await open('located-probes', path.join(ARTIFACTS, 'located-probes.html'));
  const note = await located.page.$eval('#probe-note', (p) => ({ hidden: p.hidden, text: p.textContent, imgs: document.querySelectorAll('#probe-note img').length }));
  assert.deepStrictEqual(note, { hidden: false, text: 'hand-over is not measured ' + XSS_NAME + '.', imgs: 0 });
  assert.deepStrictEqual(located.problems, []);
  const plain = pages.contention || await open('contention', path.join(ARTIFACTS, 'contention.html'));
  assert.strictEqual(await plain.page.$eval('#probe-note', (p) => p.hidden), true);
});
