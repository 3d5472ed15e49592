'use strict';
// What a notebook user waits for: in a real JupyterLab (the project's .venv, 127.0.0.1) driven by headless Chromium,
// the time from the Shift+Enter keydown as the page receives it to the moment the cell's result is in the page:
// for a traced cell, the report's timeline drawn on its canvas inside the output's iframe (the report's
// data-per4m-painted mark, set right after its first draw; the browser shows those pixels with its next frame);
// for the same cell untraced (the anchor), its result's text inserted into the output area. Both are wall-clock
// readings in the page (Date.now(), 1 ms). The cell is trivial, `sum(range(1000))`, so the figures are the cost of
// the path itself: kernel messages, the magic, perf's window, the engine's conversion, the output's transfer and
// rendering, the report's scripts. Run as root after `make setup` (perf needs root):
//   node bench/notebook-latency.js [--later N]
// Cells, in one notebook on a fresh kernel: the traced cell first (it starts the engine and perf), then N times the
// untraced cell and the traced cell in turn. Prints a table: the first traced cell, the medians of the later ones
// and of the untraced ones, each against the untraced median, and for the later traced cells when the report's
// iframe reached the page (the rest, to painted, is the report's own parsing and drawing in the browser).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { launch } = require('../tests/report/browser');
const lab = require('../tests/jupyterlab/lab');

const CELL = 'sum(range(1000))';
const RESULT = '499500';

/** The comment at the top of this file. */
function usage() {
  const lines = fs.readFileSync(__filename, 'utf8').split('\n').slice(1);
  return lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n');
}

function parseArgs(argv) {
  const args = { later: 10 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--later') args.later = parseInt(argv[++i], 10);
    else if (argv[i] === '-h' || argv[i] === '--help') { console.log(usage()); process.exit(0); }
    else { console.error(`unknown option ${argv[i]} (see --help)`); process.exit(2); }
  }
  if (!(args.later >= 1)) { console.error('--later needs a count of 1 or more'); process.exit(2); }
  return args;
}

function notebook(cells) {
  return {
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `latency-${i}`, metadata: {}, source, execution_count: null, outputs: [] })),
    metadata: { kernelspec: { display_name: lab.KERNEL_DISPLAY_NAME, language: 'python', name: 'per4m' } },
    nbformat: 4, nbformat_minor: 5,
  };
}

/**
 * Records (wall clock) when cell i's output first reaches the page: the untraced result's text, or the traced cell's
 * report iframe (inserted, before its scripts have run).
 */
async function watchOutput(page, i, traced) {
  const handle = await lab.cell(page, i).elementHandle();
  await page.evaluate(({ el, text, traced }) => {
    el.__per4mShownAt = null;
    const seen = () => {
      const out = el.querySelector('.jp-OutputArea-output');
      if (traced ? el.querySelector('iframe.per4m-report') : out && out.textContent.includes(text)) {
        el.__per4mShownAt = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(seen);
    observer.observe(el, { childList: true, subtree: true, characterData: true });
  }, { el: handle, text: RESULT, traced });
  return async () => {
    await page.waitForFunction((el) => el.__per4mShownAt, handle, { timeout: lab.CELL_TIMEOUT_MS });
    return page.evaluate((el) => el.__per4mShownAt, handle);
  };
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (process.getuid() !== 0) { console.error('notebook-latency: traced cells record with perf uprobes: run as root'); process.exit(2); }
  const cells = ['%%giltracer\n' + CELL];
  for (let k = 0; k < args.later; k++) cells.push(CELL, '%%giltracer\n' + CELL);
  const loadBefore = os.loadavg()[0];
  const server = await lab.startLab();
  const browser = await launch();
  const first = [], later = [], untraced = [], laterInserted = [];
  try {
    fs.writeFileSync(path.join(server.root, 'latency.ipynb'), JSON.stringify(notebook(cells), null, 1));
    const page = await browser.newPage();
    await lab.openNotebook(page, server, 'latency.ipynb');
    for (let i = 0; i < cells.length; i++) {
      const traced = cells[i].startsWith('%%giltracer');
      const shown = await watchOutput(page, i, traced);
      const keyAt = await lab.runCell(page, i);
      const shownAt = await shown();
      const at = traced ? (await lab.paintedReport(page, i)).paintedAt : shownAt;
      const seconds = (at - keyAt) / 1000;
      (traced ? (i === 0 ? first : later) : untraced).push(seconds);
      if (traced && i > 0) laterInserted.push((shownAt - keyAt) / 1000);
      process.stderr.write(`cell ${i} ${traced ? 'traced' : 'untraced'}: ${seconds.toFixed(3)} s` +
        (traced ? ` (report inserted at ${((shownAt - keyAt) / 1000).toFixed(3)} s)` : '') + '\n');
    }
  } finally {
    await browser.dispose();
    await server.stop();
  }
  const anchor = median(untraced);
  const row = (what, s, n) => `${what.padEnd(44)} ${s.toFixed(3).padStart(8)} ${String(n).padStart(3)} ${(s / anchor).toFixed(1).padStart(9)}x`;
  const spread = (xs) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)} s`;
  console.log(`Shift+Enter to painted in JupyterLab ${lab.labVersion()}` +
    ` (headless Chromium), cell \`${CELL}\`; ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`);
  console.log(`${'cell'.padEnd(44)} ${'wait s'.padStart(8)} ${'n'.padStart(3)} ${'vs anchor'.padStart(10)}`);
  console.log(row('untraced (anchor), median', anchor, untraced.length) + `   (${spread(untraced)})`);
  console.log(row('first traced, fresh kernel (engine starts)', first[0], 1));
  console.log(row('later traced, median', median(later), later.length) + `   (${spread(later)})`);
  console.log(row('  of which: later report inserted, median', median(laterInserted), laterInserted.length));
  console.log(`added by tracing a later cell, median: ${(median(later) - anchor).toFixed(3)} s`);
}

main().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
