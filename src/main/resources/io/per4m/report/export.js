'use strict';
/*
 * Leaving the page: the trace as Trace Event JSON rebuilt from the embedded data (what the timeline shows,
 * without viztracer's arguments), "open in Perfetto" through ui.perfetto.dev's postMessage protocol, and
 * saving the report itself.
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
    var a = document.createElement('a');
    a.href = url; a.download = fileName; a.rel = 'noopener';
    document.body.appendChild(a); a.click(); a.remove();
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
        win.postMessage({ perfetto: { buffer: buffer, title: data.title + ' (per4m)', fileName: fileName(data, '.json') } }, PERFETTO);
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

  function fileName(data, ext) {
    return ('per4m-' + (data.title || 'report')).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) + ext;
  }

  return { traceBlob: traceBlob, download: download, openInPerfetto: openInPerfetto, fileName: fileName };
})();
