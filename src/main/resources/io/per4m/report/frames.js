'use strict';
/*
 * The frames above the user's code: the notebook's machinery (per4m's magic, IPython, ipykernel, traitlets),
 * giltracer's runner and runpy, the interpreter's own thread start-up. A call is hidden when it is not the user's
 * code and every call above it is hidden too, so the stack shown starts at the cell, the script or the thread's
 * target; whatever the user's code calls (the standard library and C functions included) stays.
 */
Per4m.frames = (function () {
  /** Code that is not the user's: installed packages, the standard library, builtins, compiled strings. */
  var NOT_USER = /site-packages[\/\\]|[\/\\]lib[\/\\]python\d\.\d+[\/\\]|per4m_runner\.py|[\/\\]per4m[\/\\](?!examples[\/\\])|\(<string>:\d+\)$|\(<frozen |^builtins\.|^<built-in/;
  var USER = /\(In \[\d+\]:\d+\)$|[\/\\]per4m[\/\\]examples[\/\\]/;

  /** A Python function is named with its place, "f (file:line)"; a C function (coroutine.send) has none. */
  var PLACED = /\(.+:\d+\)$/;

  function isUser(name) { return USER.test(name) || (PLACED.test(name) && !NOT_USER.test(name)); }

  /** The row index in a depth row holding the call that contains time t, or -1. */
  function containing(row, t) {
    var lo = 0, hi = row.n;
    while (lo < hi) { var mid = (lo + hi) >>> 1; if (row.s[mid] <= t) lo = mid + 1; else hi = mid; }
    var i = lo - 1;
    return i >= 0 && row.e[i] >= t ? i : -1;
  }

  /** Depth rows (as decoded) without the calls above the user's code; deeper calls move up. */
  function userRows(rows, strings) {
    var depthOf = [], out = [];
    rows.forEach(function (row, depth) {
      var own = new Int32Array(row.n); // -1: hidden, else the depth shown
      for (var i = 0; i < row.n; i++) {
        var parentDepth = -1;
        if (depth > 0) {
          var p = containing(rows[depth - 1], row.s[i]);
          parentDepth = p < 0 ? -1 : depthOf[depth - 1][p];
        }
        own[i] = parentDepth >= 0 ? parentDepth + 1 : isUser(strings[row.k[i]]) ? 0 : -1;
        if (own[i] >= 0) (out[own[i]] = out[own[i]] || []).push(i + ':' + depth);
      }
      depthOf.push(own);
    });
    return out.filter(Boolean).map(function (refs) {
      var picked = refs.map(function (ref) { var p = ref.split(':'); return rows[+p[1]] && { r: rows[+p[1]], i: +p[0] }; })
        .sort(function (a, b) { return a.r.s[a.i] - b.r.s[b.i]; });
      var n = picked.length, s = new Float64Array(n), e = new Float64Array(n), k = new Array(n);
      picked.forEach(function (p, j) { s[j] = p.r.s[p.i]; e[j] = p.r.e[p.i]; k[j] = p.r.k[p.i]; });
      return { s: s, e: e, k: k, n: n };
    });
  }

  return { userRows: userRows, isUser: isUser };
})();
