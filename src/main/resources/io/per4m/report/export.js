'use strict';
/*
 * Leaving the page: the trace as Trace Event JSON rebuilt from the embedded data (what the timeline shows,
 * without viztracer's arguments) for pages without their trace file, "open in Perfetto" through ui.perfetto.dev's
 * postMessage protocol, and saving files under names that say whose they are.
 */
Per4m.exporter = (function () {
  var PERFETTO = 'https://ui.perfetto.dev';

  function traceBlob(data) {
    var parts = ['{"traceEvents":[\n'], chunk = [], first = true, origin = data.origin_us;
    function ts(ns) { return +(origin + ns / 1000).toFixed(3); }
    function push(ev) {
      chunk.push((first ? '' : ',\n') + JSON.stringify(ev));
      first = false;
      if (chunk.length >= 20000) { parts.push(chunk.join('')); chunk = []; }
    }
    var pids = {};
    data.threads.forEach(function (t) {
      if (!pids[t.pid]) { pids[t.pid] = true; push({ ph: 'M', name: 'process_name', pid: t.pid, tid: t.pid, args: { name: data.title } }); }
      push({ ph: 'M', name: 'thread_name', pid: t.pid, tid: t.tid, args: { name: t.name } });
      var row = t.gil, i;
      for (i = 0; i < row.n; i++) {
        var name = Per4m.gilSliceNames[row.k[i]], id = 'gil-' + t.tid;
        push({ ph: 'b', cat: 'gil', name: name, id: id, pid: t.pid, tid: t.tid, ts: ts(row.s[i]) });
        push({ ph: 'e', cat: 'gil', name: name, id: id, pid: t.pid, tid: t.tid, ts: ts(row.e[i]) });
      }
      row = t.state;
      for (i = 0; i < row.n; i++) {
        var st = data.states[row.k[i]], sid = 'state-' + t.tid;
        push({ ph: 'b', cat: 'state', name: st, id: sid, pid: t.pid, tid: t.tid, ts: ts(row.s[i]) });
        push({ ph: 'e', cat: 'state', name: st, id: sid, pid: t.pid, tid: t.tid, ts: ts(row.e[i]) });
      }
      (t.allCalls || t.calls).forEach(function (r) {
        for (var j = 0; j < r.n; j++) {
          push({ ph: 'X', name: data.strings[r.k[j]], pid: t.pid, tid: t.tid, ts: ts(r.s[j]), dur: +((r.e[j] - r.s[j]) / 1000).toFixed(3) });
        }
      });
      t.counters.forEach(function (c) {
        for (var j = 0; j < c.s.length; j++) push({ ph: 'C', cat: 'counter', name: c.name, pid: t.pid, tid: t.tid, ts: ts(c.s[j]), args: { per_second: c.v[j] } });
      });
    });
    parts.push(chunk.join(''));
    parts.push('\n],\n"displayTimeUnit":"ns",\n"per4m":' + JSON.stringify(data.summary) + '}\n');
    return new Blob(parts, { type: 'application/json' });
  }

  function download(blob, fileName) {
    var url = URL.createObjectURL(blob);
    downloadLink(url, fileName);
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /**
   * Opens ui.perfetto.dev and hands it the trace: PING until it answers PONG, then post the buffer. Pages
   * with an opaque origin (file://, a sandboxed notebook frame) may never get the PONG, so after a while
   * the trace is posted once anyway.
   */
  function openInPerfetto(data, notify) {
    var win = window.open(PERFETTO + '/#!/?referrer=per4m');
    if (!win) { notify('The browser blocked the Perfetto window; allow pop-ups or download the trace JSON and open it at ui.perfetto.dev.'); return; }
    var sent = false, tries = 0;
    function send() {
      if (sent) return;
      sent = true;
      clearInterval(timer);
      window.removeEventListener('message', onMessage);
      traceBlob(data).arrayBuffer().then(function (buffer) {
        win.postMessage({ perfetto: { buffer: buffer, title: data.title + ' (per4m)', fileName: fileName(data, 'trace') } }, PERFETTO);
      });
    }
    function onMessage(ev) { if (ev.source === win && ev.data === 'PONG') send(); }
    window.addEventListener('message', onMessage);
    var timer = setInterval(function () {
      tries++;
      try { win.postMessage('PING', PERFETTO); } catch (e) { /* not loaded yet */ }
      if (tries > 100) send();
    }, 80);
    notify('Opening Perfetto… if the trace does not appear, download the trace JSON and drop it on ui.perfetto.dev.');
  }

  /** What saved files are named after: the notebook cell ("cell-007"), else the script or module. */
  function stem(data) {
    if (data.files && data.files.stem) return data.files.stem;
    var title = String(data.title || 'report').replace(/^python -m /, '').replace(/\.py$/, '');
    return title.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'report';
  }

  /** "cell-007-giltracer.json": the stem, then the name of the file the page came with. */
  function fileName(data, kind) {
    var f = data.files || {};
    var file = kind === 'trace' ? (f.trace || 'trace.json') : kind === 'report' ? (f.report || 'report.html') : kind;
    return stem(data) + '-' + file.split('/').pop();
  }

  /** Saves the file at a URL relative to the page (the one beside it) under another name. */
  function downloadLink(href, name) {
    var a = document.createElement('a');
    a.href = href; a.download = name; a.rel = 'noopener';
    document.body.appendChild(a); a.click(); a.remove();
  }

  return { traceBlob: traceBlob, download: download, downloadLink: downloadLink, openInPerfetto: openInPerfetto,
    fileName: fileName, stem: stem };
})();
