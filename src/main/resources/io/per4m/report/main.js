'use strict';
/* Reads the embedded data, fills the summary and starts the timeline. */
(function () {
  // the page as delivered, before any script changes the DOM: what "Report HTML" saves
  var pageHtml = '<!DOCTYPE html>\n' + document.documentElement.outerHTML + '\n';
  var started = performance.now();
  var fmt = Per4m.fmt;
  var data;
  try {
    data = decode(JSON.parse(document.getElementById('per4m-data').textContent));
  } catch (e) {
    document.getElementById('title').textContent = 'This report could not read its data';
    document.getElementById('meta').textContent = String(e);
    throw e;
  }
  var parsed = performance.now();

  document.getElementById('title').textContent = data.title;
  var events = data.threads.reduce(function (n, t) {
    return n + t.gil.n + t.state.n + t.allCalls.reduce(function (m, r) { return m + r.n; }, 0) +
      t.counters.reduce(function (m, c) { return m + c.s.length; }, 0);
  }, 0);
  var pids = Array.from(new Set(data.threads.map(function (t) { return t.pid; })));
  document.getElementById('meta').textContent = [
    (pids.length === 1 ? 'pid ' + pids[0] : pids.length + ' processes'),
    data.threads.length + (data.threads.length === 1 ? ' thread' : ' threads'),
    fmt.count(events) + ' events',
    fmt.dur(data.span_ns) + ' recorded',
    data.summary_from_trace ? 'figures from the per4m engine' : 'figures derived from the timeline (no engine summary in this trace)'
  ].join('  ·  ');
  document.getElementById('footer').textContent = 'per4m report · times are relative to the first event of the trace · data format v' + data.v;

  Per4m.renderSummary(data);
  var timeline = Per4m.Timeline(data, {
    scroller: document.getElementById('tl-scroll'), canvas: document.getElementById('tl-canvas'),
    spacer: document.getElementById('tl-spacer'), tooltip: document.getElementById('tooltip'),
    details: document.getElementById('details'), range: document.getElementById('tl-range'),
    resetButton: document.getElementById('btn-reset')
  });
  var painted = performance.now();

  // the calls above the user's code (notebook machinery, runner, runpy) are hidden until asked for
  var machinery = document.getElementById('tl-machinery');
  var hiddenSomewhere = data.threads.some(function (t) { return t.allCalls.length !== t.userCalls.length ||
    t.allCalls.some(function (r, d) { return !t.userCalls[d] || r.n !== t.userCalls[d].n; }); });
  machinery.parentNode.hidden = !hiddenSomewhere;
  machinery.addEventListener('change', function () {
    data.threads.forEach(function (t) { t.calls = machinery.checked ? t.allCalls : t.userCalls; });
    timeline.relayout();
  });

  function notify(message) {
    var box = document.getElementById('details');
    Per4m.dom.clear(box).appendChild(Per4m.dom.el('span', { class: 'hint' }, message));
  }
  document.getElementById('btn-json').addEventListener('click', function () {
    Per4m.exporter.download(Per4m.exporter.traceBlob(data), Per4m.exporter.fileName(data, '.json'));
  });
  document.getElementById('btn-html').addEventListener('click', function () {
    Per4m.exporter.download(new Blob([pageHtml], { type: 'text/html' }), Per4m.exporter.fileName(data, '.html'));
  });
  document.getElementById('btn-perfetto').addEventListener('click', function () { Per4m.exporter.openInPerfetto(data, notify); });

  // inside a notebook's iframe: tell the output cell how tall the report is
  if (window.parent !== window && window.ResizeObserver) {
    var lastHeight = 0;
    new ResizeObserver(function () {
      var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (Math.abs(h - lastHeight) > 2) { lastHeight = h; window.parent.postMessage({ per4mReportHeight: h }, '*'); }
    }).observe(document.body);
  }

  window.per4m = {
    data: data,
    timeline: timeline,
    timing: { parseMs: parsed - started, firstPaintMs: painted, scriptMs: painted - started }
  };

  /** Columns as sent (start deltas, durations, kinds) to absolute starts and ends in typed arrays. */
  function decode(raw) {
    raw.threads.forEach(function (t) {
      t.gil = row(t.gil);
      t.state = row(t.state);
      t.allCalls = t.calls.map(row);
      t.userCalls = Per4m.frames.userRows(t.allCalls, raw.strings);
      t.calls = t.userCalls;
      t.counters.forEach(function (c) {
        var n = c.t.length, s = new Float64Array(n), acc = 0, max = 0;
        for (var i = 0; i < n; i++) { acc += c.t[i]; s[i] = acc; if (c.v[i] > max) max = c.v[i]; }
        c.s = s; c.max = max; delete c.t;
      });
      t.gilFirst = t.gil.n ? t.gil.s[0] : 0;
      t.gilLast = t.gil.n ? t.gil.e[t.gil.n - 1] : 0;
    });
    return raw;
  }
  function row(r) {
    var n = r.t.length, s = new Float64Array(n), e = new Float64Array(n), acc = 0;
    for (var i = 0; i < n; i++) { acc += r.t[i]; s[i] = acc; e[i] = acc + r.d[i]; }
    return { s: s, e: e, k: r.k, n: n };
  }
})();
