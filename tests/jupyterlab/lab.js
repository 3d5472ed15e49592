'use strict';
// A real JupyterLab for the tests and the benchmark: the project's .venv serves a temporary folder on 127.0.0.1
// (random port, random token), with the "Python 3 (per4m)" kernel installed the way `make demo` installs it
// (`per4m install-kernel --user`) into a Jupyter data folder of its own, so nothing of the user's Jupyter set-up
// (kernels, settings, workspaces, trusted-notebook database) is read or written. Helpers drive its notebooks.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { ROOT } = require('../report/browser');

const VENV_BIN = path.join(ROOT, '.venv', 'bin');
const KERNEL_DISPLAY_NAME = 'Python 3 (per4m)';
// a cell's wait: a traced cell on a busy machine (the first one starts the engine and perf) takes tens of seconds
const CELL_TIMEOUT_MS = 240000;
const UI_TIMEOUT_MS = 120000;

/** Starts JupyterLab serving a new temporary folder; `lab.root` is that folder, `lab.stop()` ends it all. */
async function startLab() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'per4m-lab-'));
  const root = path.join(work, 'root');
  fs.mkdirSync(root);
  const env = Object.assign({}, process.env, {
    JUPYTER_CONFIG_DIR: path.join(work, 'config'),
    JUPYTER_DATA_DIR: path.join(work, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(work, 'runtime'),
    IPYTHONDIR: path.join(work, 'ipython'),
    JUPYTER_PLATFORM_DIRS: '1',
  });
  delete env.JUPYTER_PATH;
  execFileSync(path.join(VENV_BIN, 'per4m'), ['install-kernel', '--user'], { env, stdio: 'pipe' });
  // no news or update checks: the page must not reach outside 127.0.0.1
  const settings = path.join(work, 'config', 'lab', 'user-settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(settings, { recursive: true });
  fs.writeFileSync(path.join(settings, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const token = crypto.randomBytes(24).toString('hex');
  const log = fs.openSync(path.join(work, 'server.log'), 'w');
  const server = spawn(path.join(VENV_BIN, 'jupyter'), ['lab', '--no-browser', '--allow-root',
    '--ServerApp.ip=127.0.0.1', '--ServerApp.port=0', '--ServerApp.open_browser=False',
    '--ServerApp.root_dir=' + root, '--IdentityProvider.token=' + token,
    '--LabApp.extension_manager=readonly', '--ServerApp.terminals_enabled=False'],
  { cwd: root, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => server.on('exit', resolve));
  const lab = { root, token, work, server, url: null, env };
  lab.log = () => fs.readFileSync(path.join(work, 'server.log'), 'utf8');
  lab.stop = async () => {
    if (server.exitCode === null && lab.url) {
      // the server shuts its kernels down (each ends its engine and perf), then exits
      await fetch(lab.url + 'api/shutdown', { method: 'POST', headers: { Authorization: 'token ' + token } }).catch(() => {});
    }
    if (server.exitCode === null && !(await within(exited, 60000))) server.kill('SIGTERM');
    if (server.exitCode === null && !(await within(exited, 30000))) server.kill('SIGKILL');
    await exited;
    fs.rmSync(work, { recursive: true, force: true });
  };
  // the runtime file names the port the server chose
  const runtime = path.join(work, 'runtime');
  const deadline = Date.now() + UI_TIMEOUT_MS;
  while (!lab.url) {
    if (server.exitCode !== null) { const text = lab.log(); await lab.stop(); throw new Error('JupyterLab did not start:\n' + text); }
    if (Date.now() > deadline) { const text = lab.log(); await lab.stop(); throw new Error('JupyterLab did not start in time:\n' + text); }
    const file = fs.existsSync(runtime) && fs.readdirSync(runtime).find((f) => /^jpserver-\d+\.json$/.test(f));
    if (file) {
      try { lab.url = JSON.parse(fs.readFileSync(path.join(runtime, file), 'utf8')).url; } catch (e) { /* being written */ }
    }
    if (!lab.url) await new Promise((r) => setTimeout(r, 200));
  }
  return lab;
}

function within(promise, ms) {
  return Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);
}

/** The server's REST API, as the page uses it. */
async function api(lab, method, route) {
  const res = await fetch(lab.url + route, { method, headers: { Authorization: 'token ' + lab.token } });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** Ends every kernel session (one notebook's kernel must not run on while the next is measured). */
async function closeSessions(lab) {
  for (const s of await api(lab, 'GET', 'api/sessions')) await api(lab, 'DELETE', 'api/sessions/' + s.id);
}

/** The open notebook's panel (the current tab of the main area). */
function panel(page) {
  return page.locator('#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)');
}

/** Cell i of the open notebook (its index in the file). */
function cell(page, i) {
  return panel(page).locator(`.jp-Notebook .jp-Cell[data-windowed-list-index="${i}"]`);
}

/**
 * Opens a notebook of the served folder in a page of its own workspace layout (`reset`: nothing restored from an
 * earlier page), and waits until its kernel is idle. Returns what the toolbar and the tab show.
 */
async function openNotebook(page, lab, name, { reset = true } = {}) {
  await page.goto(`${lab.url}lab/tree/${encodeURIComponent(name)}?${reset ? 'reset&' : ''}token=${lab.token}`);
  return notebookShown(page, name);
}

/** Waits for the named notebook to be the current tab with its kernel idle; what its tab and toolbar say. */
async function notebookShown(page, name) {
  const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current', { hasText: name });
  await tab.waitFor({ timeout: UI_TIMEOUT_MS });
  await panel(page).locator('.jp-Notebook .jp-Cell').first().waitFor({ timeout: UI_TIMEOUT_MS });
  // the toolbar says "No Kernel" (and the indicator "idle") until the session has its kernel; a notebook whose
  // kernel is not installed opens a dialog to pick one instead
  const kernel = await page.waitForFunction(() => {
    const dialog = document.querySelector('.jp-Dialog');
    if (dialog) return { dialog: dialog.textContent.trim().slice(0, 200) };
    const p = document.querySelector('#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)');
    const name = p && p.querySelector('.jp-Toolbar-kernelName');
    const status = p && p.querySelector('.jp-Notebook-ExecutionIndicator');
    const text = name ? name.textContent.trim() : '';
    return text && text !== 'No Kernel' && status && status.dataset.status === 'idle' && { name: text };
  }, null, { timeout: CELL_TIMEOUT_MS }).then((h) => h.jsonValue());
  return { kernel: kernel.name || 'a dialog: ' + kernel.dialog, dirty: await isDirty(page, name) };
}

async function kernelIdle(page) {
  await panel(page).locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: CELL_TIMEOUT_MS });
}

async function isDirty(page, name) {
  const cls = await page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: name }).first().getAttribute('class');
  return /\bjp-mod-dirty\b/.test(cls);
}

/**
 * Runs cell i as a user does (selects it, Shift+Enter) and waits for its prompt's number. Returns the wall-clock
 * time (ms) of the keydown as the page received it.
 */
async function runCell(page, i) {
  const target = cell(page, i);
  await target.scrollIntoViewIfNeeded({ timeout: UI_TIMEOUT_MS });
  // a click on the prompt selects the cell in command mode (a click in the editor would enter edit mode)
  const prompt = target.locator('.jp-InputArea-prompt').first();
  if (await prompt.count()) await prompt.click(); else await target.click({ position: { x: 30, y: 5 } });
  await panel(page).locator(`.jp-Cell.jp-mod-selected[data-windowed-list-index="${i}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
  await page.evaluate(() => {
    window.__per4mKeydown = null;
    const listener = (e) => {
      if (e.key !== 'Enter' || !e.shiftKey) return;  // Shift's own keydown comes first
      // event.timeStamp is on the page's own clock: taken back to the wall clock, which the report's marker uses
      window.__per4mKeydown = Date.now() - (performance.now() - e.timeStamp);
      window.removeEventListener('keydown', listener, true);
    };
    window.addEventListener('keydown', listener, true);
  });
  await page.keyboard.press('Shift+Enter');
  const isCode = /\bjp-CodeCell\b/.test(await target.getAttribute('class'));
  if (isCode) {
    await page.waitForFunction((el) => /^\[\d+\]/.test(el.textContent.trim()),
      await target.locator('.jp-InputArea-prompt').first().elementHandle(), { timeout: CELL_TIMEOUT_MS });
  }
  return page.evaluate(() => window.__per4mKeydown);
}

/** The report iframe in cell i's output, once its timeline has drawn: { frame, paintedAt } (wall-clock ms). */
async function paintedReport(page, i) {
  const iframe = cell(page, i).locator('iframe.per4m-report').first();
  // called once the cell has run: its outputs are there or about to be; none after a while says why in its text
  await iframe.waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS }).catch(async () => {
    const shown = await cell(page, i).locator('.jp-OutputArea').first().innerText().catch(() => '');
    throw new Error(`cell ${i} shows no report; its output says: ${shown.slice(0, 600) || '(nothing)'}`);
  });
  const frame = await (await iframe.elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.documentElement.dataset.per4mPainted, null, { timeout: CELL_TIMEOUT_MS });
  const paintedAt = Number(await frame.evaluate(() => document.documentElement.dataset.per4mPainted));
  return { iframe, frame, paintedAt };
}

/** The code cells of a notebook file whose report shows inline (traced, not --quiet). */
function tracedCells(notebookFile) {
  const nb = JSON.parse(fs.readFileSync(notebookFile, 'utf8'));
  return nb.cells.map((c, i) => ({ c, i }))
    .filter(({ c }) => c.cell_type === 'code' && /^%%giltracer\b(?![^\n]*(\s-q\b|--quiet))/.test([].concat(c.source).join('')))
    .map(({ i }) => i);
}

/** The version of the JupyterLab the .venv serves. */
function labVersion() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, '.venv', 'share', 'jupyter', 'lab', 'static', 'package.json'), 'utf8')).version;
}

module.exports = {
  startLab, closeSessions, openNotebook, notebookShown, kernelIdle, isDirty, runCell, paintedReport, tracedCells, cell,
  panel, labVersion, KERNEL_DISPLAY_NAME, CELL_TIMEOUT_MS, UI_TIMEOUT_MS,
};
