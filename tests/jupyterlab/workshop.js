'use strict';
// The workshop notebooks in a real JupyterLab, driven in headless Chromium the way a participant uses them:
//   node tests/jupyterlab/workshop.js [NOTEBOOK.ipynb ...]      (default: notebooks/*.ipynb; needs root and perf)
// For each notebook (a copy in a temporary folder the server serves): it opens on the "Python 3 (per4m)" kernel
// and unmodified; every cell runs with Shift+Enter; each traced cell's report appears and its timeline draws;
// hovering a GIL slice shows its tooltip, the wheel zooms the visible range; Ctrl+S saves, and after a reload the
// reports are drawn again from the saved outputs; a copy of the saved file that this server did not sign opens
// untrusted and shows, instead of each report, the note saying how to trust it. Prints one line per step and exits
// non-zero on the first check that fails.
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { launch, ROOT } = require('../report/browser');
const lab = require('./lab');

const GIL_KINDS = [/Has GIL/, /GIL wait/, /GIL hand-over/];

function log(...args) { process.stdout.write(args.join(' ') + '\n'); }

/** The interpreter the kernel runs: JupyterLab writes its version into the notebook's language_info. */
function kernelPythonVersion() {
  return execFileSync(path.join(ROOT, '.venv', 'bin', 'python'), ['-c', 'import platform; print(platform.python_version())'],
    { encoding: 'utf8' }).trim();
}

/** The drawn timeline holds more than its background: pixels of at least three colours, a good number of them inked. */
async function checkDrawn(frame, what) {
  const seen = await frame.evaluate(() => {
    const c = document.getElementById('tl-canvas');
    const img = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < img.length; i += 4) {
      const key = (img[i] << 16) | (img[i + 1] << 8) | img[i + 2];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    const sorted = Array.from(counts.values()).sort((a, b) => b - a);
    return { colours: sorted.filter((n) => n >= 50).length, inked: img.length / 4 - sorted[0] };
  });
  assert.ok(seen.colours >= 3 && seen.inked > 2000, `${what}: the timeline canvas looks blank: ${JSON.stringify(seen)}`);
}

/** The cell's own code is the top of the main thread's stacks: nothing of IPython's, ipykernel's or per4m's above it. */
async function checkCellOnTop(frame, what) {
  const top = await frame.evaluate(() => {
    const main = window.per4m.data.threads.find((t) => t.name === 'MainThread');
    const row = main && main.calls[0];
    return row ? Array.from({ length: row.n }, (_, i) => window.per4m.data.strings[row.k[i]]) : [];
  });
  assert.ok(top.length > 0 && top.every((name) => /^<module> \(In \[\d+\]:\d+\)$/.test(name)),
    `${what}: the main thread's stacks start with ${JSON.stringify(top.slice(0, 5))}, not the cell`);
}

/** Hovers the longest GIL slice of the thread with the most GIL activity and reads the tooltip. */
async function hoverGilSlice(report, what) {
  const { frame } = report;
  const target = await frame.evaluate(() => {
    const threads = window.per4m.data.threads;
    let ti = -1;
    threads.forEach((t, i) => { if (t.gil.n && (ti < 0 || t.gil.n > threads[ti].gil.n)) ti = i; });
    if (ti < 0) return null;
    const g = threads[ti].gil;
    let best = 0;
    for (let i = 1; i < g.n; i++) if (g.e[i] - g.s[i] > g.e[best] - g.s[best]) best = i;
    const p = window.per4m.timeline.locate(ti, 'gil', (g.s[best] + g.e[best]) / 2);
    const r = document.getElementById('tl-canvas').getBoundingClientRect();
    return { x: p.x - r.left, y: p.y - r.top, kind: g.k[best], thread: threads[ti].name };
  });
  assert.ok(target, `${what}: the report has no GIL slice to hover`);
  await frame.locator('#tl-canvas').hover({ position: { x: target.x, y: target.y }, timeout: lab.UI_TIMEOUT_MS });
  await frame.locator('#tooltip:not([hidden])').waitFor({ timeout: lab.UI_TIMEOUT_MS });
  const text = await frame.innerText('#tooltip');
  assert.match(text, GIL_KINDS[target.kind], `${what}: tooltip`);
  assert.ok(text.includes(target.thread), `${what}: the tooltip names the thread ${target.thread}: ${text}`);
  return text.replace(/\s+/g, ' ').trim();
}

/** The wheel over the timeline (the pointer is on it after the hover) narrows the visible range. */
async function zoomIn(page, report, what) {
  const { frame } = report;
  const before = await frame.evaluate(() => ({ view: window.per4m.timeline.view(), text: document.getElementById('tl-range').textContent }));
  await page.mouse.wheel(0, -400);
  await frame.waitForFunction((b) => {
    const v = window.per4m.timeline.view();
    return v.t1 - v.t0 < (b.view.t1 - b.view.t0) * 0.8 && document.getElementById('tl-range').textContent !== b.text;
  }, before, { timeout: lab.UI_TIMEOUT_MS });
  const after = await frame.textContent('#tl-range');
  log(`  ${what}: zoom: "${before.text}" -> "${after}"`);
}

/** A copy of the saved notebook as someone else would share it: same outputs, a signature this server never made. */
function unsignedCopy(file) {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  nb.metadata.shared = 'copied from a workshop participant';
  const copy = path.join(path.dirname(file), 'shared-' + path.basename(file));
  fs.writeFileSync(copy, JSON.stringify(nb, null, 1) + '\n');
  return path.basename(copy);
}

async function workshop(page, server, name, pythonVersion) {
  const file = path.join(server.root, name);
  const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  const traced = lab.tracedCells(file);
  assert.ok(traced.length > 0, `${name}: no traced cell with an inline report`);

  const shown = await lab.openNotebook(page, server, name);
  log(`${new Date().toISOString().slice(11, 19)} ${name}: opened on "${shown.kernel}"${shown.dirty ? ', modified' : ''}`);
  assert.strictEqual(shown.kernel, lab.KERNEL_DISPLAY_NAME, `${name}: the notebook's kernel`);
  const storedVersion = (stored.metadata.language_info || {}).version;
  if (storedVersion && storedVersion !== pythonVersion) {
    log(`  ${name}: not checked for opening unmodified: stored for Python ${storedVersion}, the kernel runs ${pythonVersion}`);
  } else {
    assert.strictEqual(shown.dirty, false, `${name}: opens modified (JupyterLab writes what it changed in the notebook ` +
      `on its first save: compare the stored metadata.language_info with the kernel's)`);
  }

  let interacted = false;
  for (let i = 0; i < stored.cells.length; i++) {
    const keyAt = await lab.runCell(page, i);
    if (!traced.includes(i)) continue;
    const report = await lab.paintedReport(page, i);
    await checkDrawn(report.frame, `${name} cell ${i}`);
    await checkCellOnTop(report.frame, `${name} cell ${i}`);
    log(`  cell ${i}: report drawn ${((report.paintedAt - keyAt) / 1000).toFixed(2)} s after Shift+Enter`);
    if (!interacted) {
      log(`  cell ${i}: tooltip: ${await hoverGilSlice(report, `${name} cell ${i}`)}`);
      await zoomIn(page, report, `cell ${i}`);
      interacted = true;
    }
  }
  await lab.kernelIdle(page);

  const before = fs.statSync(file).mtimeMs;
  await lab.cell(page, 0).locator('.jp-InputArea-prompt, .jp-Cell-inputWrapper').first().click();
  await page.keyboard.press('Control+s');
  await page.waitForFunction((n) => {
    const tab = Array.from(document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab')).find((t) => t.textContent.includes(n));
    return tab && !tab.classList.contains('jp-mod-dirty');
  }, name, { timeout: lab.UI_TIMEOUT_MS });
  // the tab may have been clean already (autosave): the file's time says that Ctrl+S wrote it
  const deadline = Date.now() + lab.UI_TIMEOUT_MS;
  while (fs.statSync(file).mtimeMs <= before) {
    assert.ok(Date.now() < deadline, `${name}: Ctrl+S did not write the file`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const i of traced) {
    const html = (saved.cells[i].outputs || []).map((o) => [].concat((o.data || {})['text/html'] || []).join('')).join('');
    assert.ok(html.includes('per4m-inline'), `${name}: the saved cell ${i} has no report in its outputs`);
  }
  log(`  saved (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);

  await page.reload();
  const reloaded = await lab.notebookShown(page, name);
  assert.strictEqual(reloaded.kernel, lab.KERNEL_DISPLAY_NAME, `${name}: the kernel after a reload`);
  assert.strictEqual(reloaded.dirty, false, `${name}: modified after a reload`);
  for (const i of traced) {
    const report = await lab.paintedReport(page, i);
    await checkDrawn(report.frame, `${name} cell ${i} after a reload`);
    assert.strictEqual(await lab.cell(page, i).locator('.per4m-untrusted').count(), 0, `${name} cell ${i}: the untrusted note in a trusted notebook`);
  }
  log(`  reloaded: ${traced.length} report(s) drawn again from the saved notebook`);
  await lab.closeSessions(server);

  const copy = unsignedCopy(file);
  await lab.openNotebook(page, server, copy);
  for (const i of traced) {
    const note = lab.cell(page, i).locator('.per4m-untrusted').first();
    await note.waitFor({ state: 'visible', timeout: lab.UI_TIMEOUT_MS });
    const text = await note.textContent();
    assert.match(text, /not trusted/, `${copy} cell ${i}: the untrusted note`);
    assert.strictEqual(await lab.cell(page, i).locator('iframe.per4m-report').count(), 0, `${copy} cell ${i}: an untrusted iframe`);
  }
  log(`  ${copy}: opened untrusted, ${traced.length} note(s): "${(await lab.cell(page, traced[0]).locator('.per4m-untrusted').first().textContent()).slice(0, 60)}..."`);
  await lab.closeSessions(server);
}

async function main() {
  const notebooks = process.argv.length > 2 ? process.argv.slice(2).map((p) => path.resolve(p))
    : fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(ROOT, 'notebooks', f));
  const pythonVersion = kernelPythonVersion();
  const server = await lab.startLab();
  let browser;
  try {
    log(`JupyterLab at ${server.url} (token hidden), serving ${server.root}`);
    for (const nb of notebooks) fs.copyFileSync(nb, path.join(server.root, path.basename(nb)));
    browser = await launch();
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
    page.on('request', (r) => { if (!/^(https?:\/\/127\.0\.0\.1[:/]|wss?:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(r.url())) problems.push('request: ' + r.url()); });
    for (const nb of notebooks) await workshop(page, server, path.basename(nb), pythonVersion);
    assert.deepStrictEqual(problems, [], 'the page reported problems');
    log(`ok: ${notebooks.length} notebook(s)`);
  } catch (e) {
    log('server log (last lines):\n' + server.log().split('\n').slice(-40).join('\n'));
    throw e;
  } finally {
    if (browser) await browser.dispose();
    await server.stop();
  }
}

main().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
