'use strict';
// Makes trace JSON fixtures in the engine's trace format (README, "How it is built"), from a small simulation of
// threads contending for the GIL, and works out the summary figures independently of the Java engine.
const fs = require('fs');

function rng(seed) { // mulberry32: deterministic fixtures
  return function () {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Simulates `threads` (first is the main thread) for `durationUs`. Workers want the GIL until `cpuUntilUs`,
 * then run native code without it; the main thread mostly sleeps and now and then takes the GIL briefly.
 * Returns per-thread GIL intervals (µs), state intervals, calls and counters.
 */
function simulate(opts) {
  const r = rng(opts.seed || 1);
  const pid = opts.pid;
  const names = opts.names;
  const threads = names.map((name, i) => ({ tid: pid + i, name, main: i === 0, gil: [], state: [], calls: [], counters: [] }));
  const sw = opts.switchUs;
  const wantsFrom = threads.map((t, i) => (i === 0 ? Infinity : opts.startUs + i * 50));
  const mainWakes = [];
  for (let t = opts.startUs + opts.mainEveryUs; t < opts.startUs + opts.durationUs; t += opts.mainEveryUs) mainWakes.push(t);
  let now = opts.startUs;
  let holder = -1;
  const waitingSince = new Map();
  const end = opts.startUs + opts.durationUs;
  const cpuUntil = opts.startUs + opts.cpuUntilUs;
  let lastRelease = null;
  // the releasing thread stays in drop_gil (hand-over) until the next thread has taken the GIL
  let pendingHandover = null;
  const handoverEnd = threads.map(() => -Infinity);
  const handoffs = [];
  while (now < end) {
    // who wants the GIL now
    threads.forEach((t, i) => {
      if (i === holder || waitingSince.has(i)) return;
      if (i === 0 ? mainWakes.length && mainWakes[0] <= now : (wantsFrom[i] <= now && now < cpuUntil)) {
        if (i === 0) mainWakes.shift();
        waitingSince.set(i, Math.max(i === 0 ? Math.max(now - r() * 50, opts.startUs) : now, handoverEnd[i]));
      }
    });
    if (!waitingSince.size) { now += 20; continue; }
    // longest waiter gets it after a hand-off latency
    let next = -1, since = Infinity;
    waitingSince.forEach((s, i) => { if (s < since) { since = s; next = i; } });
    const latency = 5 + r() * r() * 120;
    const take = Math.max(now, since) + latency;
    const hold = next === 0 ? 40 + r() * 250 : Math.min(sw * (0.6 + r() * 0.4), Math.max(5, cpuUntil - take));
    const release = Math.min(take + hold, end);
    if (take >= end) break;
    if (pendingHandover && pendingHandover.i !== next) {
      // a requested drop: drop_gil returns once the next thread has the GIL; its next take_gil comes after that
      const e = take + Math.min(3 + r() * 20, hold / 2);
      threads[pendingHandover.i].gil.push({ kind: 'handover', s: pendingHandover.s, e });
      handoverEnd[pendingHandover.i] = e;
      if (waitingSince.has(pendingHandover.i) && waitingSince.get(pendingHandover.i) < e) waitingSince.set(pendingHandover.i, e);
    }
    pendingHandover = null;
    if (waitingSince.size) {
      pendingHandover = { i: next, s: release };
    } else if (release < end) {
      // nobody waits: drop_gil returns at once
      threads[next].gil.push({ kind: 'handover', s: release, e: Math.min(release + 2, end) });
      handoverEnd[next] = Math.min(release + 2, end);
    }
    threads[next].gil.push({ kind: 'wait', s: since, e: take });
    threads[next].gil.push({ kind: 'held', s: take, e: release });
    if (lastRelease != null && since <= lastRelease) handoffs.push(take - lastRelease);
    lastRelease = release;
    waitingSince.delete(next);
    holder = next;
    now = release;
    holder = -1;
  }
  if (pendingHandover && pendingHandover.s < end) threads[pendingHandover.i].gil.push({ kind: 'handover', s: pendingHandover.s, e: Math.min(pendingHandover.s + 2, end) });
  // process states, calls and counters derived from the GIL intervals
  threads.forEach((t, i) => {
    t.gil.sort((a, b) => a.s - b.s);
    let cursor = opts.startUs;
    for (const g of t.gil) {
      if (g.s > cursor) t.state.push({ name: i === 0 ? 'S' : (cursor >= cpuUntil ? 'running' : 'R'), s: cursor, e: g.s });
      t.state.push({ name: g.kind === 'held' ? 'running' : 'S(GIL)', s: g.s, e: g.e });
      cursor = g.e;
    }
    if (cursor < end) t.state.push({ name: i === 0 ? 'S' : 'running', s: cursor, e: end });
    const file = opts.file || 'contention.py';
    if (i === 0) {
      t.calls.push({ name: `<module> (${file}:1)`, s: opts.startUs + 1, d: opts.durationUs - 2 });
      t.calls.push({ name: `main (${file}:30)`, s: opts.startUs + 2, d: opts.durationUs - 4 });
      t.calls.push({ name: 'Thread.join (/usr/lib/python3.11/threading.py:1112)', s: opts.startUs + 10, d: opts.durationUs - 20 });
    } else {
      t.calls.push({ name: `Thread.run (/usr/lib/python3.11/threading.py:975)`, s: wantsFrom[i], d: end - wantsFrom[i] - 1 });
      t.calls.push({ name: `work (${file}:12)`, s: wantsFrom[i] + 1, d: end - wantsFrom[i] - 3 });
      // one python call per GIL hold, a native call after cpuUntil
      for (const g of t.gil) {
        if (g.kind !== 'held' || g.e - g.s < 4) continue;
        t.calls.push({ name: `sum_squares (${file}:5)`, s: g.s + 0.5, d: g.e - g.s - 1 });
        if (opts.deepCalls && g.e - g.s > 20) t.calls.push({ name: `square (${file}:3)`, s: g.s + 2, d: (g.e - g.s) / 3 });
      }
      if (cpuUntil < end) t.calls.push({ name: `numpy.dot (${file}:20)`, s: cpuUntil + 20, d: end - cpuUntil - 40 });
    }
    for (let ts = opts.startUs + opts.counterEveryUs; ts <= end; ts += opts.counterEveryUs) {
      t.counters.push({ name: `page-faults (tid ${t.tid})`, ts, v: Math.round(r() * 4000 * (i === 0 ? 0.1 : 1)) });
    }
  });
  return { pid, threads, handoffs, startUs: opts.startUs, endUs: end };
}

const r3 = (x) => Math.round(x * 1000) / 1000;

/** The summary JSON worked out from the simulated intervals: an independent route from the engine's. */
function summarize(sim) {
  const threads = sim.threads.filter((t) => t.gil.length).map((t) => {
    const first = t.gil[0].s, last = t.gil.reduce((m, g) => Math.max(m, g.e), -Infinity);
    const sum = (kind) => t.gil.filter((g) => g.kind === kind).reduce((a, g) => a + g.e - g.s, 0);
    const count = (kind) => t.gil.filter((g) => g.kind === kind).length;
    const held = sum('held'), wait = sum('wait'), handover = sum('handover');
    const total = last - first, nogil = total - held - wait - handover;
    return { pid: sim.pid, tid: t.tid, name: t.name, main: t.main, total_us: r3(total), held_us: r3(held), wait_us: r3(wait),
      handover_us: r3(handover), no_gil_us: r3(nogil), held_pct: r3(100 * held / total), wait_pct: r3(100 * wait / total),
      handover_pct: r3(100 * handover / total), no_gil_pct: r3(100 * nogil / total),
      wait_count: count('wait'), hold_count: count('held'), handover_count: count('handover') };
  });
  const all = (kind) => sim.threads.flatMap((t) => t.gil.filter((g) => g.kind === kind).map((g) => ({ ...g, tid: t.tid }))).sort((a, b) => a.s - b.s);
  const union = (ivs) => { let tot = 0, cs = 0, ce = -Infinity; for (const v of ivs) { if (v.s > ce) { if (ce > cs) tot += ce - cs; cs = v.s; ce = v.e; } else ce = Math.max(ce, v.e); } return ce > cs ? tot + ce - cs : tot; };
  let first = Infinity, last = -Infinity;
  for (const t of sim.threads) for (const g of t.gil) { first = Math.min(first, g.s); last = Math.max(last, g.e); }
  const span = last - first, heldAny = union(all('held')), waits = union(all('wait'));
  const held = all('held');
  const pairs = new Map();
  for (const w of all('wait')) {
    // held intervals never overlap (one holder at a time): start at the last one that began before the wait
    let lo = 0, hi = held.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (held[mid].s <= w.s) lo = mid + 1; else hi = mid; }
    for (let j = Math.max(0, lo - 1); j < held.length && held[j].s < w.e; j++) {
      const h = held[j];
      if (h.tid === w.tid || h.e <= w.s || h.s >= w.e) continue;
      const key = w.tid + ':' + h.tid;
      pairs.set(key, (pairs.get(key) || 0) + Math.min(h.e, w.e) - Math.max(h.s, w.s));
    }
  }
  // waiting while nobody held the GIL, after it was first held, is charged to the hand-over
  const gaps = [];
  let cursor = held.length ? held[0].s : Infinity;
  for (const h of held) { if (h.s > cursor) gaps.push({ s: cursor, e: h.s }); cursor = Math.max(cursor, h.e); }
  if (cursor < last) gaps.push({ s: cursor, e: last });
  for (const w of all('wait')) {
    for (const g of gaps) {
      const overlap = Math.min(g.e, w.e) - Math.max(g.s, w.s);
      if (overlap > 0) pairs.set(w.tid + ':-1', (pairs.get(w.tid + ':-1') || 0) + overlap);
    }
  }
  const name = (tid) => sim.threads.find((t) => t.tid === tid).name;
  const blame = [...pairs.entries()].sort((a, b) => b[1] - a[1]).map(([k, us]) => {
    const [w, h] = k.split(':').map(Number);
    return h === -1 ? { waiter_tid: w, waiter_name: name(w), holder_tid: null, holder_name: 'hand-over', us: r3(us) }
      : { waiter_tid: w, waiter_name: name(w), holder_tid: h, holder_name: name(h), us: r3(us) };
  });
  const sorted = sim.handoffs.slice().sort((a, b) => a - b);
  const q = (p) => (sorted.length ? r3(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]) : 0);
  return {
    threads,
    process: { span_us: r3(span), held_by_any_us: r3(heldAny), someone_waits_us: r3(waits), held_pct: r3(100 * heldAny / span), wait_pct: r3(100 * waits / span), gil_events: held.length * 4 },
    blame,
    handoff: { count: sorted.length, p50_us: q(0.5), p90_us: q(0.9), p99_us: q(0.99), max_us: sorted.length ? r3(sorted[sorted.length - 1]) : 0 },
    anomalies: {},
    input: { lines: 0, bad_lines: 0, events: held.length * 4, lost_events: 0 },
  };
}

/** Writes the trace, streaming (a million events do not fit comfortably in one string). */
function writeTrace(sim, path, opts) {
  const fd = fs.openSync(path, 'w');
  let buf = [], first = true, count = 0;
  const ts = (us) => r3(us);
  const put = (ev) => { buf.push((first ? '' : ',\n') + JSON.stringify(ev)); first = false; count++; if (buf.length > 5000) { fs.writeSync(fd, buf.join('')); buf = []; } };
  fs.writeSync(fd, '{"traceEvents": [\n');
  put({ ph: 'M', name: 'process_name', pid: sim.pid, tid: sim.pid, args: { name: opts.processName || 'python3.11' } });
  for (const t of sim.threads) put({ ph: 'M', name: 'thread_name', pid: sim.pid, tid: t.tid, args: { name: t.name } });
  for (const t of sim.threads) {
    // viztracer writes calls in the order they return: innermost first, so the reader must sort them
    for (const c of t.calls.slice().reverse()) put({ ph: 'X', name: c.name, pid: sim.pid, tid: t.tid, ts: ts(c.s), dur: r3(c.d), cat: 'FEE' });
    for (const g of t.gil) {
      const name = { held: 'GIL held', wait: 'GIL wait', handover: 'GIL hand-over' }[g.kind];
      put({ ph: 'b', cat: 'gil', name, id: 'gil-' + t.tid, pid: sim.pid, tid: t.tid, ts: ts(g.s), cname: { held: 'thread_state_iowait', wait: 'terrible', handover: 'yellow' }[g.kind] });
      put({ ph: 'e', cat: 'gil', name, id: 'gil-' + t.tid, pid: sim.pid, tid: t.tid, ts: ts(g.e) });
    }
    for (const s of t.state) {
      put({ ph: 'b', cat: 'state', name: s.name, id: 'state-' + t.tid, pid: sim.pid, tid: t.tid, ts: ts(s.s) });
      put({ ph: 'e', cat: 'state', name: s.name, id: 'state-' + t.tid, pid: sim.pid, tid: t.tid, ts: ts(s.e) });
    }
    for (const c of t.counters) put({ ph: 'C', cat: 'counter', name: c.name, pid: sim.pid, tid: t.tid, ts: ts(c.ts), args: { per_second: c.v } });
  }
  const tail = { displayTimeUnit: 'ns', viztracer_metadata: { version: '0.16.3', overflow: false, producer: 'per4m' } };
  if (opts.summary) tail.per4m = opts.summary;
  fs.writeSync(fd, buf.join('') + '\n],\n' + JSON.stringify(tail).slice(1) + '\n');
  fs.closeSync(fd);
  return count;
}

module.exports = { simulate, summarize, writeTrace };
