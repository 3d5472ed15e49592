'use strict';
// node tests/jupyterlab/shot.js NOTEBOOK.ipynb OUT.png: runs a workshop notebook in a real JupyterLab (as the
// JupyterLab test does) and takes a screenshot of its first traced cell with the report drawn, for the README.
// Root, after `make setup`.
const fs = require('fs');
const path = require('path');
const { launch } = require('../report/browser');
const lab = require('./lab');

async function main() {
  const [notebook, png] = process.argv.slice(2).map((p) => path.resolve(p));
  if (!notebook || !png) { console.error('usage: node tests/jupyterlab/shot.js NOTEBOOK.ipynb OUT.png'); process.exit(2); }
  const server = await lab.startLab();
  let browser;
  try {
    const name = path.basename(notebook);
    fs.copyFileSync(notebook, path.join(server.root, name));
    browser = await launch();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 1500 });
    await lab.openNotebook(page, server, name);
    const traced = lab.tracedCells(notebook);
    const cells = JSON.parse(fs.readFileSync(notebook, 'utf8')).cells;
    for (let i = 0; i <= traced[0]; i++) {
      if (cells[i].cell_type === 'code') await lab.runCell(page, i);
    }
    await lab.paintedReport(page, traced[0]);
    // the cell's code at the top, its report below
    await lab.cell(page, traced[0]).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300); // the scroll's frame
    await page.screenshot({ path: png });
    console.log('wrote ' + png);
  } finally {
    if (browser) await browser.dispose();
    await server.stop();
  }
}

main().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
