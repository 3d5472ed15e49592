'use strict';
// Reopens a saved notebook's per4m outputs the way a notebook front end shows a trusted notebook's HTML output,
// in headless Chromium, and prints what each one shows as JSON:
//   node tests/report/reopen.js NOTEBOOK.ipynb
// Each output's page sits next to the notebook, so its relative links resolve as they do in Jupyter.
const fs = require('fs');
const path = require('path');
const { launch } = require('./browser');

async function main() {
  const notebook = path.resolve(process.argv[2]);
  const nb = JSON.parse(fs.readFileSync(notebook, 'utf8'));
  const dir = path.dirname(notebook);
  const outputs = [];
  for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
    for (const output of cell.outputs || []) {
      const html = output.data && output.data['text/html'];
      const text = Array.isArray(html) ? html.join('') : html;
      if (text && text.includes('per4m-inline')) outputs.push(text);
    }
  }
  const browser = await launch();
  const seen = [];
  try {
    for (let i = 0; i < outputs.length; i++) {
      const file = path.join(dir, `.reopen-${i}.html`);
      fs.writeFileSync(file, `<!DOCTYPE html><html><body style="width:1100px">${outputs[i]}</body></html>`);
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto('file://' + file);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      await frame.waitForFunction(() => window.per4m && window.per4m.timing, null, { timeout: 30000 });
      const rows = await frame.$$eval('#threads tbody tr', (r) => r.length);
      const hrefs = await page.$$eval('.per4m-inline a[href]', (as) => as.map((a) => a.getAttribute('href')));
      const missing = hrefs.filter((h) => !h.startsWith('data:') && !fs.existsSync(path.join(dir, h)));
      const untrustedNote = await page.$$eval('.per4m-untrusted', (n) => n.length);
      // an untrusted notebook: the front end's sanitizer drops scripts and iframes; the note must say why
      await page.setContent(`<!DOCTYPE html><html><body>${outputs[i].replace(/<script[\s\S]*?<\/script>/g, '')
        .replace(/<iframe[\s\S]*?<\/iframe>/g, '')}</body></html>`);
      const sanitizedNote = await page.$$eval('.per4m-untrusted', (n) => n.map((e) => e.innerText).join(''));
      seen.push({ rows, links: hrefs.length, missing, errors, untrustedNote, sanitizedNote });
      await page.close();
      fs.rmSync(file);
    }
  } finally {
    await browser.dispose();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch((e) => { console.error(e.message); process.exit(1); });
