#!/usr/bin/env node
'use strict';
// Writes the trace fixtures: node make-fixtures.js OUTDIR [--big]
//  contention.json  3 threads contending for the GIL, with viztracer calls, states, counters and the summary
//  xss.json         hostile names (thread, function, process), no summary: the report derives its figures
//  big.json         (--big) about a million events, for the benchmark
const fs = require('fs');
const path = require('path');
const { simulate, summarize, writeTrace } = require('./simulate');

function contention(out) {
  const sim = simulate({ seed: 7, pid: 41000, names: ['MainThread', 'worker 0', 'worker 1'], startUs: 81234567.0,
    durationUs: 200000, cpuUntilUs: 150000, switchUs: 5000, mainEveryUs: 23000, counterEveryUs: 5000, deepCalls: true });
  const summary = summarize(sim);
  writeTrace(sim, path.join(out, 'contention.json'), { summary, processName: 'python3.11 contention.py' });
  fs.writeFileSync(path.join(out, 'contention.summary.json'), JSON.stringify(summary, null, 1));
}

function xss(out) {
  const evil = '<img src=x onerror=alert(1)>';
  const sim = simulate({ seed: 3, pid: 500, names: ['MainThread', evil, 'w"\'&amp;\u2028'], startUs: 1000, durationUs: 30000,
    cpuUntilUs: 30000, switchUs: 2000, mainEveryUs: 9000, counterEveryUs: 3000, file: '</script><script>alert(2)</script>' });
  writeTrace(sim, path.join(out, 'xss.json'), { processName: '<b>bold</b></title><script>alert(3)</script>' });
}

function big(out) {
  // 8 threads with a short switch interval: about a million slices, samples and calls (1.6 M trace events) in 12 s
  const names = ['MainThread'].concat([...Array(7).keys()].map((i) => 'worker ' + i));
  const sim = simulate({ seed: 11, pid: 90000, names, startUs: 5e6, durationUs: 12e6, cpuUntilUs: 11e6, switchUs: 42,
    mainEveryUs: 9000, counterEveryUs: 1000, deepCalls: true });
  const summary = summarize(sim);
  const n = writeTrace(sim, path.join(out, 'big.json'), { summary, processName: 'python3.11 big.py' });
  console.log('big.json: ' + n + ' trace events');
}

const out = process.argv[2] || path.join(__dirname, 'fixtures');
fs.mkdirSync(out, { recursive: true });
contention(out);
xss(out);
if (process.argv.includes('--big')) big(out);
