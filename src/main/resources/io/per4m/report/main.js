'use strict';
/*
 * Reads the embedded data, fills the summary and starts the timeline. In a notebook (an iframe) it talks to the
 * script of the notebook's page, when that runs: the front end's theme, the rest of a cut timeline and the cell's
 * files, which the sandboxed iframe cannot fetch itself.
 */
(function () {
  // the page as delivered, before any script changes the DOM: what "Report HTML" saves without its file
  var pageHtml = '<!DOCTYPE html>\n' + document.documentElement.outerHTML + '\n';
  var started = performance.now();
  var fmt = Per4m.fmt;
  var framed = window.parent !== window;
  var host = null; // what the notebook's page offers, once it has said so
  var hostTheme = null, timeline = null;
  var data;
  try {
    data = decode(JSON.parse(document.getElementById('per4m-data').textContent));
  } catch (e) {
    document.getElementById('title').textContent = 'This report could not read its data';
    document.getElementById('meta').textContent = String(e);
    throw e;
  }
  var parsed = performance.now();

  var prefersDark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function applyTheme() {
    var theme = hostTheme || (prefersDark && prefersDark.matches ? 'dark' : 'light');
    if (document.documentElement.getAttribute('data-theme') === theme) return;
    document.documentElement.setAttribute('data-theme', theme);
    if (timeline) timeline.restyle();
  }
  applyTheme();
  if (prefersDark && prefersDark.addEventListener) prefersDark.addEventListener('change', applyTheme);

  document.getElementById('title').textContent = data.title;
  describe();
  document.getElementById('footer').textContent = 'per4m report · times are relative to the first event of the trace · data format v' + data.v;

  Per4m.renderSummary(data);
  timeline = Per4m.Timeline(data, {
    scroller: document.getElementById('tl-scroll'), canvas: document.getElementById('tl-canvas'),
    spacer: document.getElementById('tl-spacer'), tooltip: document.getElementById('tooltip'),
    details: document.getElementById('details'), range: document.getElementById('tl-range'),
    resetButton: document.getElementById('btn-reset')
  });
  var painted = performance.now();
  cutNote(null);

  // the calls above the user's code (notebook machinery, runner, runpy) are hidden until asked for
  var machinery = document.getElementById('tl-machinery');
  function showMachinery() {
    machinery.parentNode.hidden = !data.threads.some(function (t) { return t.allCalls.length !== t.userCalls.length ||
      t.allCalls.some(function (r, d) { return !t.userCalls[d] || r.n !== t.userCalls[d].n; }); });
    data.threads.forEach(function (t) { t.calls = machinery.checked ? t.allCalls : t.userCalls; });
  }
  showMachinery();
  machinery.addEventListener('change', function () { showMachinery(); timeline.relayout(); });

  function notify(message) {
    var box = document.getElementById('details');
    Per4m.dom.clear(box).appendChild(Per4m.dom.el('span', { class: 'hint' }, message));
  }

  /** The file the page came with (the cell's, through the notebook's page; the one beside a standalone page), else the page's own copy. */
  function save(kind) {
    var name = Per4m.exporter.fileName(data, kind), file = data.files && data.files[kind];
    if (host && host[kind]) window.parent.postMessage({ per4mSave: kind, name: name }, '*');
    // a served page saves the file beside it; a page opened from disk may not (the browser would show it instead)
    else if (!framed && file && /^https?:$/.test(location.protocol)) Per4m.exporter.downloadLink(file, name);
    else saveOwnCopy(kind, framed ? null : file && kind === 'trace' ? 'a page opened from disk cannot read ' + file : null);
  }
  function saveOwnCopy(kind, why) {
    var name = Per4m.exporter.fileName(data, kind);
    Per4m.exporter.download(kind === 'trace' ? Per4m.exporter.traceBlob(data) : new Blob([pageHtml], { type: 'text/html' }), name);
    if (why || data.cut) {
      notify((why ? 'The recorded file could not be read (' + why + '): ' : '') + 'saved ' + name + ', rebuilt from this page' +
        (data.cut ? ', the ' + fmt.count(data.cut.shown) + ' events it holds of ' + fmt.count(data.cut.total) : '') + '.');
    }
  }
  document.getElementById('btn-json').addEventListener('click', function () { save('trace'); });
  document.getElementById('btn-html').addEventListener('click', function () { save('report'); });
  document.getElementById('btn-perfetto').addEventListener('click', function () { Per4m.exporter.openInPerfetto(data, notify); });

  if (framed) {
    window.addEventListener('message', function (e) {
      var d = e.data;
      if (e.source !== window.parent || !d || typeof d !== 'object') return;
      if (d.per4mHost) {
        host = d.per4mHost;
        hostTheme = host.theme;
        applyTheme();
        if (data.cut && host.report) { cutNote('loading'); window.parent.postMessage({ per4mWants: 'timeline' }, '*'); }
        else cutNote(null);
      } else if ('per4mTheme' in d) {
        hostTheme = d.per4mTheme;
        applyTheme();
      } else if (typeof d.per4mTimeline === 'string') {
        loadWhole(d.per4mTimeline);
      } else if (d.per4mTimelineFailed) {
        cutNote('failed', String(d.per4mTimelineFailed));
      } else if (d.per4mSaveFailed) {
        saveOwnCopy(d.per4mSaveFailed, String(d.reason));
      }
    });
    // tell the output cell how tall the report is (its answer brings the theme and what it can fetch)
    if (window.ResizeObserver) {
      var lastHeight = 0;
      new ResizeObserver(function () {
        var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
        if (Math.abs(h - lastHeight) > 2) { lastHeight = h; window.parent.postMessage({ per4mReportHeight: h }, '*'); }
      }).observe(document.body);
    }
  }

  /** The report HTML's data, sent by the notebook's page: the whole timeline of the same recording. */
  function loadWhole(text) {
    var whole;
    try {
      whole = decode(JSON.parse(text));
      if (whole.cut || whole.origin_us !== data.origin_us || whole.title !== data.title) throw new Error('the report file is of another recording');
    } catch (e) {
      cutNote('failed', String(e.message || e));
      return;
    }
    var cut = data.cut;
    whole.files = data.files;
    data = whole;
    window.per4m.data = data;
    showMachinery();
    timeline.load(data);
    describe();
    cutNote('loaded', null, cut);
  }

  /** Says what the timeline holds when it is cut: how much, up to when, where the rest is, and whether it came. */
  function cutNote(state, why, wasCut) {
    var box = document.getElementById('tl-cut'), cut = data.cut || wasCut;
    box.hidden = !cut;
    if (!cut) return;
    var file = (data.files && data.files.trace) || 'the trace file';
    var rest = fmt.count(cut.total - cut.shown) + ' more events in ' + file.split('/').pop();
    var head = 'This copy of the timeline holds the first ' + fmt.count(cut.shown) + ' of ' + fmt.count(cut.total) +
      ' events: every thread complete up to ' + fmt.dur(cut.until_ns) + ' of ' + fmt.dur(data.span_ns) + '. ';
    box.setAttribute('data-state', state || 'cut');
    box.textContent = state === 'loaded'
      ? 'All ' + fmt.count(cut.total) + ' events, loaded from the cell\'s report file (the notebook itself holds the first ' + fmt.count(cut.shown) + ').'
      : state === 'loading' ? head + 'Loading the other ' + rest + '…'
      : head + rest + ' (open the full report)' + (why ? ': they could not be loaded here (' + why + ').' : '.');
  }

  function describe() {
    var events = data.threads.reduce(function (n, t) {
      return n + t.gil.n + t.state.n + t.allCalls.reduce(function (m, r) { return m + r.n; }, 0) +
        t.counters.reduce(function (m, c) { return m + c.s.length; }, 0);
    }, 0);
    var pids = Array.from(new Set(data.threads.map(function (t) { return t.pid; })));
    document.getElementById('meta').textContent = [
      (pids.length === 1 ? 'pid ' + pids[0] : pids.length + ' processes'),
      data.threads.length + (data.threads.length === 1 ? ' thread' : ' threads'),
      data.cut ? fmt.count(events) + ' of ' + fmt.count(data.cut.total) + ' events shown' : fmt.count(events) + ' events',
      fmt.dur(data.span_ns) + ' recorded',
      data.summary_from_trace ? 'figures from the per4m engine' : 'figures derived from the timeline (no engine summary in this trace)'
    ].join('  ·  ');
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
