'use strict';
/*
 * The timeline: one lane group per thread (GIL state, process state, Python call stack as a flame chart,
 * counters) drawn on one canvas. Every row holds slices that do not overlap, sorted by start, so the slices
 * in view are found by binary search, and slices narrower than a pixel are merged into one pixel column:
 * a redraw costs about (rows x pixels), not (events).
 */
Per4m.Timeline = function (data, elements) {
  var fmt = Per4m.fmt;
  var LABEL_W = 176, RULER_H = 26, HEADER_H = 22, GIL_H = 16, STATE_H = 11, CALL_H = 16, COUNTER_H = 30, GAP = 6;
  var MIN_RANGE = 100; // ns
  var COLORS = {
    nogil: '#69c181', held: '#f08c00', wait: '#e03131', handover: '#845ef7',
    states: { 'running': '#4263eb', 'R': '#91a7ff', 'R+': '#748ffc', 'S': '#ced4da', 'D': '#a0785a', 'S(GIL)': '#ff8787', 'other': '#e9ecef' },
    counter: '#5c7cfa', grid: 'rgba(31,41,51,0.07)', text: '#1f2933', muted: '#616e7c', header: '#f1f3f5', line: '#e4e7eb',
    bg: '#fff', ink: '#1f2933', ruler: '#fafbfc', cut: 'rgba(127,127,127,0.22)'
  };
  // the page's theme, light or dark, sets the canvas's background, rules and label colours
  function themed(css) {
    function pick(name, key) { var v = css.getPropertyValue(name).trim(); if (v) COLORS[key] = v; }
    pick('--bg', 'bg'); pick('--ink', 'ink'); pick('--muted', 'muted'); pick('--line', 'line'); pick('--header', 'header');
    pick('--ruler', 'ruler'); pick('--grid', 'grid'); pick('--cut', 'cut');
  }
  themed(getComputedStyle(document.documentElement));
  var CALL_PALETTE = ['#a5d8ff', '#bac8ff', '#d0bfff', '#99e9f2', '#b2c7e0', '#c5d3f0', '#e5dbff', '#a3daff', '#c3fae8', '#d6e4f5', '#bfd7ff', '#dcd0ff'];
  var scroller = elements.scroller, canvas = elements.canvas, spacer = elements.spacer, tooltip = elements.tooltip;
  var ctx = canvas.getContext('2d', { alpha: false });
  var span = Math.max(data.span_ns, 1);
  var view = { t0: 0, t1: span };
  var width = 0, height = 0, dpr = 1;
  var selected = null; // {lane, index}
  var pending = false;
  var lastPointer = null;

  var lanes = buildLanes();
  var totalHeight = RULER_H + lanes.reduce(function (h, l) { return Math.max(h, l.y + l.h); }, 0) + GAP;
  var callColors = data.strings.map(function (s) { return CALL_PALETTE[hash(s) % CALL_PALETTE.length]; });

  function buildLanes() {
    var out = [], y = 0;
    data.threads.forEach(function (t, ti) {
      out.push({ type: 'header', thread: t, ti: ti, y: y, h: HEADER_H }); y += HEADER_H;
      if (t.gil.n) { out.push({ type: 'gil', thread: t, ti: ti, row: t.gil, y: y, h: GIL_H, label: 'GIL' }); y += GIL_H + 2; }
      if (t.state.n) { out.push({ type: 'state', thread: t, ti: ti, row: t.state, y: y, h: STATE_H, label: 'CPU state' }); y += STATE_H + 2; }
      t.calls.forEach(function (row, depth) {
        out.push({ type: 'calls', thread: t, ti: ti, row: row, depth: depth, y: y, h: CALL_H, label: depth === 0 ? 'Python' : '' }); y += CALL_H;
      });
      if (t.calls.length) y += 2;
      t.counters.forEach(function (c) { out.push({ type: 'counter', thread: t, ti: ti, counter: c, y: y, h: COUNTER_H, label: c.name }); y += COUNTER_H + 2; });
      y += GAP;
    });
    out.forEach(function (l) { l.y += RULER_H; });
    return out;
  }

  function hash(s) { var h = 2166136261; for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }

  // ---- geometry
  function scale() { return (width - LABEL_W) / (view.t1 - view.t0); }
  function xOf(t) { return LABEL_W + (t - view.t0) * scale(); }
  function tOf(x) { return view.t0 + (x - LABEL_W) / scale(); }
  /** First index >= from whose end is after t (ends are sorted because a row's slices do not overlap). */
  function firstEndAfter(e, t, from) {
    var lo = from || 0, hi = e.length;
    while (lo < hi) { var mid = (lo + hi) >>> 1; if (e[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function firstAtOrAfter(a, t) {
    var lo = 0, hi = a.length;
    while (lo < hi) { var mid = (lo + hi) >>> 1; if (a[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---- drawing
  function resize() {
    dpr = window.devicePixelRatio || 1;
    width = Math.max(scroller.clientWidth, LABEL_W + 100);
    height = Math.min(totalHeight, 640);
    canvas.style.height = height + 'px';
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    spacer.style.height = Math.max(0, totalHeight - height) + 'px';
    draw();
  }

  function requestDraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }

  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = COLORS.bg;
    ctx.fillRect(0, 0, width, height);
    var top = scroller.scrollTop;
    var ticks = rulerTicks();
    ctx.fillStyle = COLORS.grid;
    ticks.forEach(function (t) { ctx.fillRect(Math.round(xOf(t)), RULER_H, 1, height - RULER_H); });
    ctx.font = '11px ' + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = 'middle';
    for (var i = 0; i < lanes.length; i++) {
      var lane = lanes[i], y = lane.y - top;
      if (y + lane.h < RULER_H || y > height) continue;
      drawLane(lane, y);
    }
    drawCut();
    drawSelection(top);
    drawLabels(top);
    drawRuler(ticks);
    elements.range.textContent = fmt.tick(view.t0, view.t1 - view.t0) + ' – ' + fmt.tick(view.t1, view.t1 - view.t0) +
      '  ·  ' + fmt.dur(view.t1 - view.t0) + ' shown of ' + fmt.dur(span);
    // the wall-clock time of the first drawn timeline: what tests/jupyterlab and bench/notebook-latency wait for
    if (!document.documentElement.dataset.per4mPainted) document.documentElement.dataset.per4mPainted = String(Date.now());
  }

  /** A timeline cut to a budget (a notebook's copy): past the cut it holds nothing, which must not read as idle. */
  function drawCut() {
    if (!data.cut) return;
    var x = Math.max(Math.round(xOf(data.cut.until_ns)), LABEL_W);
    if (x >= width) return;
    ctx.fillStyle = COLORS.cut;
    ctx.fillRect(x, RULER_H, width - x, height - RULER_H);
    if (width - x > 140) {
      ctx.fillStyle = COLORS.ink;
      ctx.fillText(fmt.count(data.cut.total - data.cut.shown) + ' more events not in this copy', x + 8, RULER_H + 12);
    }
  }

  function drawLane(lane, y) {
    if (lane.type === 'header') {
      ctx.fillStyle = COLORS.header; ctx.fillRect(0, y, width, lane.h);
      ctx.fillStyle = COLORS.line; ctx.fillRect(0, y, width, 1);
    } else if (lane.type === 'gil') {
      var t = lane.thread;
      var a = Math.max(xOf(t.gilFirst), LABEL_W), b = Math.min(xOf(t.gilLast), width);
      if (b > a) { ctx.fillStyle = COLORS.nogil; ctx.fillRect(a, y, b - a, lane.h); }
      drawRow(lane.row, y, lane.h, gilColor, null);
    } else if (lane.type === 'state') {
      drawRow(lane.row, y, lane.h, stateColor, null);
    } else if (lane.type === 'calls') {
      drawRow(lane.row, y, lane.h - 1, callColor, callLabel);
    } else if (lane.type === 'counter') {
      drawCounter(lane.counter, y, lane.h);
    }
  }

  function gilColor(k) { return k === 0 ? COLORS.held : k === 2 ? COLORS.handover : COLORS.wait; }
  function stateColor(k) { return COLORS.states[data.states[k]] || COLORS.states.other; }
  function callColor(k) { return callColors[k]; }
  function callLabel(k) { return data.strings[k]; }

  function drawRow(row, y, h, colorOf, labelOf) {
    var s = row.s, e = row.e, k = row.k, n = row.n;
    if (!n) return;
    var sc = scale(), t0 = view.t0, t1 = view.t1;
    var i = firstEndAfter(e, t0, 0);
    var lastColor = null;
    while (i < n) {
      var st = s[i];
      if (st > t1) break;
      var x0 = LABEL_W + (st - t0) * sc, x1 = LABEL_W + (e[i] - t0) * sc;
      var c = colorOf(k[i]);
      if (c !== lastColor) { ctx.fillStyle = c; lastColor = c; }
      if (x1 - x0 < 1) {
        // narrower than a pixel: paint the pixel column once and jump past everything that ends inside it
        var px = Math.floor(x0);
        ctx.fillRect(Math.max(px, LABEL_W), y, 1, h);
        i = firstEndAfter(e, t0 + (px + 1 - LABEL_W) / sc, i + 1);
        continue;
      }
      if (x0 < LABEL_W) x0 = LABEL_W;
      if (x1 > width) x1 = width;
      var w = x1 - x0;
      ctx.fillRect(x0, y, w > 2 ? w - 0.5 : w, h);
      if (labelOf && w > 34) {
        var text = fitText(labelOf(k[i]), w - 6);
        if (text) { ctx.fillStyle = COLORS.text; ctx.fillText(text, x0 + 3, y + h / 2 + 0.5); lastColor = null; }
      }
      i++;
    }
  }

  /** The text, or as much of it as fits in w pixels in the current font, ending with an ellipsis. */
  function fitText(text, w) {
    if (w < 14) return '';
    var full = ctx.measureText(text).width;
    if (full <= w) return text;
    var n = Math.floor(text.length * w / full);
    while (n > 1 && ctx.measureText(text.slice(0, n - 1) + '…').width > w) n--;
    return n > 1 ? text.slice(0, n - 1) + '…' : '';
  }

  function drawCounter(c, y, h) {
    var s = c.s, v = c.v, n = s.length;
    if (!n || c.max <= 0) return;
    var sc = scale(), t0 = view.t0;
    var cols = width - LABEL_W;
    var colMax = new Float32Array(cols).fill(-1);
    var i = Math.max(0, firstAtOrAfter(s, view.t0) - 1);
    for (; i < n; i++) {
      var prev = i > 0 ? s[i - 1] : s[i];
      if (prev > view.t1) break;
      var xa = Math.max(0, Math.floor((prev - t0) * sc)), xb = Math.min(cols - 1, Math.floor((s[i] - t0) * sc));
      for (var px = xa; px <= xb; px++) if (v[i] > colMax[px]) colMax[px] = v[i];
    }
    ctx.fillStyle = 'rgba(92,124,250,0.55)';
    var runStart = 0;
    for (var x = 1; x <= cols; x++) {
      if (x === cols || colMax[x] !== colMax[runStart]) {
        var val = colMax[runStart];
        if (val > 0) { var bh = Math.max(1, val / c.max * (h - 4)); ctx.fillRect(LABEL_W + runStart, y + h - bh, x - runStart, bh); }
        runStart = x;
      }
    }
    ctx.fillStyle = COLORS.line; ctx.fillRect(LABEL_W, y + h, width - LABEL_W, 1);
    ctx.fillStyle = COLORS.muted; ctx.textAlign = 'right';
    ctx.fillText('max ' + compact(c.max), width - 6, y + 7);
    ctx.textAlign = 'left';
  }
  function compact(x) { return x >= 1e6 ? (x / 1e6).toFixed(1) + 'M' : x >= 1e3 ? (x / 1e3).toFixed(1) + 'k' : x.toFixed(x < 10 ? 2 : 0); }

  function drawSelection(top) {
    if (!selected) return;
    var lane = selected.lane, row = lane.row;
    var x0 = Math.max(xOf(row.s[selected.index]), LABEL_W), x1 = Math.min(xOf(row.e[selected.index]), width);
    if (x1 < LABEL_W || x0 > width) return;
    ctx.strokeStyle = '#1f2933'; ctx.lineWidth = 2;
    ctx.strokeRect(x0, lane.y - top, Math.max(x1 - x0, 2), lane.h - 1);
  }

  function drawLabels(top) {
    ctx.fillStyle = COLORS.bg; ctx.fillRect(0, RULER_H, LABEL_W, height - RULER_H);
    for (var i = 0; i < lanes.length; i++) {
      var lane = lanes[i], y = lane.y - top;
      if (y + lane.h < RULER_H || y > height) continue;
      if (lane.type === 'header') {
        ctx.fillStyle = COLORS.header; ctx.fillRect(0, y, LABEL_W, lane.h);
        ctx.fillStyle = COLORS.line; ctx.fillRect(0, y, width, 1);
        var t = lane.thread;
        ctx.font = '600 12px ' + getComputedStyle(document.body).fontFamily;
        ctx.fillStyle = COLORS.ink;
        var tag = (t.main ? 'main · ' : '') + 'tid ' + t.tid;
        ctx.fillText(fitText(t.name, LABEL_W - 16), 8, y + lane.h / 2 + 1);
        ctx.font = '11px ' + getComputedStyle(document.body).fontFamily;
        ctx.fillStyle = COLORS.muted;
        ctx.fillText(tag, LABEL_W + 8, y + lane.h / 2 + 1);
      } else if (lane.label) {
        ctx.fillStyle = COLORS.muted;
        ctx.fillText(fitText(lane.label, LABEL_W - 24), 16, y + Math.min(lane.h, 16) / 2 + 0.5);
      }
    }
    ctx.fillStyle = COLORS.line; ctx.fillRect(LABEL_W - 1, RULER_H, 1, height - RULER_H);
  }

  function rulerTicks() {
    var range = view.t1 - view.t0, raw = range / Math.max(1, (width - LABEL_W) / 110);
    var p = Math.pow(10, Math.floor(Math.log10(raw))), step = p;
    if (raw / p > 5) step = 10 * p; else if (raw / p > 2) step = 5 * p; else if (raw / p > 1) step = 2 * p;
    var ticks = [];
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) ticks.push(t);
    ticks.step = step;
    return ticks;
  }

  function drawRuler(ticks) {
    ctx.fillStyle = COLORS.ruler; ctx.fillRect(0, 0, width, RULER_H);
    ctx.fillStyle = COLORS.line; ctx.fillRect(0, RULER_H - 1, width, 1);
    ctx.fillStyle = COLORS.muted;
    ctx.font = '11px ' + getComputedStyle(document.body).fontFamily;
    ticks.forEach(function (t) {
      var x = Math.round(xOf(t));
      if (x < LABEL_W) return;
      ctx.fillRect(x, RULER_H - 7, 1, 6);
      ctx.fillText(fmt.tick(t, ticks.step), x + 3, RULER_H / 2 - 2);
    });
    ctx.fillStyle = COLORS.ruler; ctx.fillRect(0, 0, LABEL_W, RULER_H - 1);
    ctx.fillStyle = COLORS.muted;
    ctx.fillText('time since trace start', 8, RULER_H / 2 - 2);
  }

  // ---- view changes
  function setView(t0, t1) {
    var range = Math.min(Math.max(t1 - t0, MIN_RANGE), span * 1.05);
    var margin = span * 0.025;
    t0 = Math.min(Math.max(t0, -margin), span + margin - range);
    view.t0 = t0; view.t1 = t0 + range;
    requestDraw();
  }
  function zoom(factor, anchor) {
    if (anchor == null) anchor = (view.t0 + view.t1) / 2;
    var range = view.t1 - view.t0, next = Math.min(Math.max(range * factor, MIN_RANGE), span * 1.05);
    setView(anchor - (anchor - view.t0) * next / range, anchor - (anchor - view.t0) * next / range + next);
  }
  function pan(dxPixels) { var dt = dxPixels / scale(); setView(view.t0 + dt, view.t1 + dt); }
  function reset() { setView(0, span); }

  // ---- hit testing
  function laneAt(canvasY) {
    if (canvasY < RULER_H) return null;
    var y = canvasY + scroller.scrollTop;
    for (var i = 0; i < lanes.length; i++) if (y >= lanes[i].y && y < lanes[i].y + lanes[i].h) return lanes[i];
    return null;
  }
  function hit(canvasX, canvasY) {
    var lane = laneAt(canvasY);
    if (!lane || canvasX < LABEL_W) return null;
    var t = tOf(canvasX);
    if (lane.type === 'counter') {
      var c = lane.counter, j = firstAtOrAfter(c.s, t);
      if (j >= c.s.length) return null;
      return { lane: lane, index: j };
    }
    if (!lane.row) return null;
    var tol = 3 / scale(), row = lane.row;
    var i = firstEndAfter(row.e, t - tol, 0), best = -1, bestDist = Infinity;
    for (; i < row.n && row.s[i] <= t + tol; i++) {
      var d = t < row.s[i] ? row.s[i] - t : t > row.e[i] ? t - row.e[i] : 0;
      if (d < bestDist) { best = i; bestDist = d; }
      if (d === 0) break;
    }
    if (best < 0 && lane.type === 'gil' && t >= lane.thread.gilFirst && t <= lane.thread.gilLast) return { lane: lane, index: -1, t: t };
    return best < 0 ? null : { lane: lane, index: best };
  }

  /** What a hit shows: a title, a subtitle and [label, value] lines; the same for tooltip and details. */
  function describe(h) {
    var lane = h.lane, t = lane.thread, where = t.name + ' (tid ' + t.tid + ')';
    if (lane.type === 'counter') {
      var c = lane.counter, prev = h.index > 0 ? c.s[h.index - 1] : 0;
      return { title: c.name + ': ' + c.v[h.index].toLocaleString('en-US'), sub: where,
        lines: [['interval', fmt.dur(prev) + ' – ' + fmt.dur(c.s[h.index])]] };
    }
    if (h.index < 0) return { title: 'No GIL', sub: where, lines: [['at', fmt.dur(h.t)]] };
    var row = lane.row, s = row.s[h.index], e = row.e[h.index], k = row.k[h.index];
    var title = lane.type === 'gil' ? Per4m.gilLabels[k]
      : lane.type === 'state' ? 'CPU state: ' + data.states[k] : data.strings[k];
    var lines = [['start', fmt.dur(s)], ['duration', fmt.dur(e - s)], ['end', fmt.dur(e)]];
    return { title: title, sub: where + (lane.type === 'calls' ? ' · depth ' + lane.depth : ''), lines: lines, s: s, e: e };
  }

  function showTooltip(h, clientX, clientY) {
    if (!h) { tooltip.hidden = true; return; }
    var d = describe(h), el = Per4m.dom.el;
    Per4m.dom.clear(tooltip);
    tooltip.appendChild(el('div', { class: 't-title' }, d.title));
    tooltip.appendChild(el('div', { class: 't-sub' }, d.sub));
    tooltip.appendChild(el('div', null, d.lines.map(function (l) { return l[0] + ' ' + l[1]; }).join('  ·  ')));
    tooltip.hidden = false;
    var w = tooltip.offsetWidth, hgt = tooltip.offsetHeight;
    var x = clientX + 14, y = clientY + 16;
    if (x + w > window.innerWidth - 4) x = Math.max(4, clientX - w - 10);
    if (y + hgt > window.innerHeight - 4) y = Math.max(4, clientY - hgt - 10);
    tooltip.style.left = x + 'px'; tooltip.style.top = y + 'px';
  }

  function showDetails(h) {
    var box = elements.details, el = Per4m.dom.el;
    Per4m.dom.clear(box);
    if (!h || h.index < 0 || h.lane.type === 'counter') {
      selected = null;
      if (h) { var d0 = describe(h); box.appendChild(el('div', { class: 'd-title' }, d0.title)); box.appendChild(el('div', null, d0.sub)); }
      else box.appendChild(el('span', { class: 'hint' }, 'Click a slice to see its details here.'));
      requestDraw();
      return;
    }
    selected = h;
    var d = describe(h);
    box.appendChild(el('div', { class: 'd-title' }, d.title));
    var dl = el('dl');
    dl.appendChild(el('dt', null, 'thread')); dl.appendChild(el('dd', null, d.sub));
    dl.appendChild(el('dt', null, 'start')); dl.appendChild(el('dd', null, fmt.dur(d.s) + '  (' + fmt.exactNs(d.s) + ' after trace start)'));
    dl.appendChild(el('dt', null, 'duration')); dl.appendChild(el('dd', null, fmt.dur(d.e - d.s) + '  (' + fmt.exactNs(d.e - d.s) + ')'));
    dl.appendChild(el('dt', null, 'end')); dl.appendChild(el('dd', null, fmt.dur(d.e)));
    if (h.lane.type === 'calls') {
      var stack = el('div', { class: 'stack' });
      var mid = (d.s + d.e) / 2;
      h.lane.thread.calls.slice(0, h.lane.depth + 1).forEach(function (row, depth) {
        var j = firstEndAfter(row.e, mid, 0);
        if (j < row.n && row.s[j] <= mid) stack.appendChild(el('div', null, '\u00a0'.repeat(depth * 2) + data.strings[row.k[j]]));
      });
      dl.appendChild(el('dt', null, 'call stack')); dl.appendChild(el('dd', null, stack));
    }
    box.appendChild(dl);
    requestDraw();
  }

  // ---- input
  function local(ev) { var r = canvas.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
  var pointers = new Map(), drag = null, pinch = null;

  canvas.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? height : 1;
    var dx = ev.deltaX * unit, dy = ev.deltaY * unit;
    if (ev.shiftKey && !ev.ctrlKey) { scroller.scrollTop += dy || dx; return; }
    if (Math.abs(dx) > Math.abs(dy)) { pan(dx); return; }
    var p = local(ev);
    zoom(Math.exp(dy * (ev.ctrlKey ? 0.01 : 0.0015)), p.x >= LABEL_W ? tOf(p.x) : null);
  }, { passive: false });

  canvas.addEventListener('pointerdown', function (ev) {
    scroller.focus({ preventScroll: true });
    canvas.setPointerCapture(ev.pointerId);
    pointers.set(ev.pointerId, local(ev));
    if (pointers.size === 1) {
      var p = local(ev);
      drag = { x: p.x, y: p.y, t0: view.t0, t1: view.t1, top: scroller.scrollTop, moved: false };
    } else if (pointers.size === 2) {
      var pts = Array.from(pointers.values());
      pinch = { dist: Math.abs(pts[0].x - pts[1].x) || 1, t0: view.t0, t1: view.t1, mid: tOf((pts[0].x + pts[1].x) / 2) };
      drag = null;
    }
  });
  canvas.addEventListener('pointermove', function (ev) {
    var p = local(ev);
    lastPointer = p;
    if (pointers.has(ev.pointerId)) pointers.set(ev.pointerId, p);
    if (pinch && pointers.size === 2) {
      var pts = Array.from(pointers.values()), dist = Math.abs(pts[0].x - pts[1].x) || 1;
      var range = (pinch.t1 - pinch.t0) * pinch.dist / dist, frac = (pinch.mid - pinch.t0) / (pinch.t1 - pinch.t0);
      setView(pinch.mid - frac * range, pinch.mid - frac * range + range);
      return;
    }
    if (drag) {
      var dx = p.x - drag.x, dy = p.y - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; canvas.classList.add('dragging'); tooltip.hidden = true; }
      if (drag.moved) {
        var dt = dx / ((width - LABEL_W) / (drag.t1 - drag.t0));
        setView(drag.t0 - dt, drag.t1 - dt);
        scroller.scrollTop = drag.top - dy;
      }
      return;
    }
    showTooltip(hit(p.x, p.y), ev.clientX, ev.clientY);
  });
  function endPointer(ev) {
    pointers.delete(ev.pointerId);
    if (pointers.size < 2) pinch = null;
    if (drag && !drag.moved && ev.type === 'pointerup') { var p = local(ev); showDetails(hit(p.x, p.y)); }
    drag = null;
    canvas.classList.remove('dragging');
  }
  canvas.addEventListener('pointerup', endPointer);
  canvas.addEventListener('pointercancel', endPointer);
  canvas.addEventListener('pointerleave', function () { if (!drag) tooltip.hidden = true; });
  scroller.addEventListener('scroll', function () { tooltip.hidden = true; requestDraw(); });
  scroller.addEventListener('keydown', function (ev) {
    var anchor = lastPointer && lastPointer.x >= LABEL_W ? tOf(lastPointer.x) : null;
    var key = ev.key.toLowerCase(), step = (width - LABEL_W) * 0.15;
    if (key === 'w' || key === '+' || key === '=') zoom(0.7, anchor);
    else if (key === 's' || key === '-') zoom(1 / 0.7, anchor);
    else if (key === 'a' || key === 'arrowleft') pan(-step);
    else if (key === 'd' || key === 'arrowright') pan(step);
    else if (key === '0' || key === 'home') reset();
    else if (key === 'escape') showDetails(null);
    else return;
    ev.preventDefault();
  });
  elements.resetButton.addEventListener('click', reset);
  if (window.ResizeObserver) new ResizeObserver(function () { if (scroller.clientWidth !== width) resize(); }).observe(scroller);

  resize();

  /** The threads' rows changed (e.g. hidden frames shown): lanes and height again, same view. */
  function relayout() {
    lanes = buildLanes();
    totalHeight = RULER_H + lanes.reduce(function (h, l) { return Math.max(h, l.y + l.h); }, 0) + GAP;
    selected = null;
    resize();
  }

  /** The whole recording in place of a cut one: same view, rows and lanes from the new data. */
  function load(whole) {
    data = whole;
    span = Math.max(data.span_ns, 1);
    callColors = data.strings.map(function (s) { return CALL_PALETTE[hash(s) % CALL_PALETTE.length]; });
    relayout();
  }

  /** The page's theme changed: colours again from its variables. */
  function restyle() {
    themed(getComputedStyle(document.documentElement));
    draw();
  }

  return {
    relayout: relayout, load: load, restyle: restyle,
    view: function () { return { t0: view.t0, t1: view.t1 }; },
    zoom: zoom, pan: pan, reset: reset, setView: setView,
    drawNow: function () { var a = performance.now(); draw(); return performance.now() - a; },
    /** Client coordinates of time t (ns) in a lane of thread ti ('gil', 'state', 'calls', 'counter'); for tests. */
    locate: function (ti, type, t) {
      var lane = lanes.filter(function (l) { return l.ti === ti && l.type === type; })[0];
      if (!lane) return null;
      if (lane.y - scroller.scrollTop < RULER_H || lane.y + lane.h - scroller.scrollTop > height) scroller.scrollTop = lane.y - RULER_H - 10;
      var r = canvas.getBoundingClientRect();
      return { x: r.left + xOf(t), y: r.top + lane.y - scroller.scrollTop + lane.h / 2 };
    }
  };
};
