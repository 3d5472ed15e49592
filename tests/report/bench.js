#!/usr/bin/env node
'use strict';
// Benchmark: a report of about a million events in headless Chromium. Prints the time to first paint
// (navigation start to the timeline drawn) and to a full redraw after a zoom. Targets: < 1 s and < 50 ms.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { launch, report, ARTIFACTS } = require('./browser');

(async () => {
  const dir = path.join(ARTIFACTS, 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const trace = path.join(dir, 'big.json');
  if (!fs.existsSync(trace)) execFileSync('node', [path.join(__dirname, 'make-fixtures.js'), dir, '--big'], { stdio: 'inherit' });
  const html = path.join(dir, 'big.html');
  let t = Date.now();
  report(trace, html);
  const writeMs = Date.now() - t;
  const browser = await launch();
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await page.goto('file://' + html);
    await page.waitForFunction(() => window.per4m && window.per4m.timing);
    runs.push(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve({
      events: window.per4m.data.threads.reduce((n, t) => n + t.gil.n + t.state.n + t.calls.reduce((m, r) => m + r.n, 0) + t.counters.reduce((m, c) => m + c.s.length, 0), 0),
      parseMs: window.per4m.timing.parseMs, scriptMs: window.per4m.timing.scriptMs,
      firstPaintMs: window.per4m.timing.firstPaintMs, framePaintedMs: performance.now(),
    })))));
  }
  const redraws = await page.evaluate(() => {
    const tl = window.per4m.timeline, out = [];
    tl.reset(); tl.drawNow();
    for (const factor of [1, 0.5, 0.2, 0.1, 0.01, 0.001, 1000]) {
      tl.zoom(factor); out.push(tl.drawNow());
    }
    tl.reset();
    for (let i = 0; i < 20; i++) { tl.zoom(i < 10 ? 0.7 : 1 / 0.7); out.push(tl.drawNow()); }
    return out;
  });
  await page.screenshot({ path: path.join(dir, 'big.png') });
  await browser.dispose();
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const best = runs.slice().sort((a, b) => a.framePaintedMs - b.framePaintedMs)[0];
  const pageBytes = fs.statSync(html).size;
  const htmlText = fs.readFileSync(html, 'utf8');
  const dataBytes = Buffer.byteLength(htmlText.slice(htmlText.indexOf('id="per4m-data">') + 16, htmlText.indexOf('</script>')));
  console.log(`fixture: ${best.events.toLocaleString('en-US')} events, trace ${(fs.statSync(trace).size / 1e6).toFixed(1)} MB, report ${(pageBytes / 1e6).toFixed(1)} MB (data ${(dataBytes / 1e6).toFixed(1)} MB), written by the engine in ${writeMs} ms`);
  console.log(`first paint: ${Math.round(median(runs.map((r) => r.framePaintedMs)))} ms after navigation start (median of ${runs.length}; JSON.parse+decode ${Math.round(best.parseMs)} ms, scripts ${Math.round(best.scriptMs)} ms)`);
  console.log(`redraw after zoom: median ${median(redraws).toFixed(1)} ms, max ${Math.max(...redraws).toFixed(1)} ms over ${redraws.length} zoom steps`);
  if (errors.length) { console.error('page errors: ' + errors.join('; ')); process.exit(1); }
})();
