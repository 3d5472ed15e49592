#!/usr/bin/env node
'use strict';
// node shot.js REPORT.html OUT.png [width height]: a full-page screenshot of a report, to look at it.
const { launch } = require('./browser');
(async () => {
  const [html, png, w, h] = process.argv.slice(2);
  const browser = await launch();
  const page = await browser.newPage();
  await page.setViewportSize({ width: +(w || 1280), height: +(h || 900) });
  page.on('console', (m) => console.log('console.' + m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => console.log('pageerror: ' + e.message));
  await page.goto('file://' + require('path').resolve(html));
  await page.waitForFunction(() => window.per4m && window.per4m.timing);
  await page.screenshot({ path: png, fullPage: true });
  await browser.dispose();
})();
