'use strict';
/* Number and time formatting, and DOM helpers that only ever set text (never HTML). */
var Per4m = window.Per4m || {};
window.Per4m = Per4m;

/* GIL slice kinds, indexed as the engine numbers them (ReportData.GIL_HELD, GIL_WAIT, GIL_HANDOVER). */
Per4m.gilLabels = ['Has GIL', 'GIL wait', 'GIL hand-over'];
Per4m.gilSliceNames = ['GIL held', 'GIL wait', 'GIL hand-over'];

Per4m.fmt = (function () {
  /** Duration given in ns, in the unit that keeps 3-4 significant digits. */
  function dur(ns) {
    var a = Math.abs(ns);
    if (a < 1e3) return trim(ns, 0) + ' ns';
    if (a < 1e6) return trim(ns / 1e3, a < 1e4 ? 3 : a < 1e5 ? 2 : 1) + ' µs';
    if (a < 1e9) return trim(ns / 1e6, a < 1e7 ? 3 : a < 1e8 ? 2 : 1) + ' ms';
    return trim(ns / 1e9, 3) + ' s';
  }
  function trim(x, digits) { return x.toFixed(digits); }
  function us(x) { return dur(x * 1e3); }
  function pct(x) { return (x == null || isNaN(x)) ? '–' : x.toFixed(1) + ' %'; }
  function count(n) { return n == null ? '–' : Math.round(n).toLocaleString('en-US'); }
  /** Exact time in ns, grouped in thousands: "12 345 678 ns". */
  function exactNs(ns) {
    return Math.round(ns).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f') + ' ns';
  }
  /** Ruler label for time t (ns) with tick step (ns). */
  function tick(t, step) {
    if (step >= 1e9) return trim(t / 1e9, decimals(step / 1e9)) + ' s';
    if (step >= 1e6) return trim(t / 1e6, decimals(step / 1e6)) + ' ms';
    if (step >= 1e3) return trim(t / 1e3, decimals(step / 1e3)) + ' µs';
    return trim(t, 0) + ' ns';
  }
  function decimals(step) { return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)); }
  return { dur: dur, us: us, pct: pct, count: count, exactNs: exactNs, tick: tick };
})();

Per4m.dom = (function () {
  /** el('td', {class: 'num'}, 'text', child...) — children are strings (set as text) or nodes. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (k === 'class') node.className = attrs[k];
        else if (k === 'style') node.style.cssText = attrs[k];
        else node.setAttribute(k, attrs[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  return { el: el, clear: clear };
})();
