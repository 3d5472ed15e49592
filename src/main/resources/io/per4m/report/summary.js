'use strict';
/* The answer at the top: process figures, per-thread table with stacked bars, blame pairs, hand-off latency. */
Per4m.renderSummary = function (data) {
  var fmt = Per4m.fmt, el = Per4m.dom.el;
  var s = data.summary || {};
  var threads = s.threads || [];
  var proc = s.process || {};
  var handoff = s.handoff || {};

  // probes placed without symbols: say which figures they cannot give (the summary's gil_probes)
  var probes = s.gil_probes || {};
  if (probes.note) {
    var note = document.getElementById('probe-note');
    note.textContent = probes.note + '.';
    note.hidden = false;
  }

  var cards = document.getElementById('process');
  function card(label, value, sub, bad) {
    cards.appendChild(el('div', { class: 'card' + (bad ? ' bad' : '') },
      el('div', { class: 'label' }, label), el('div', { class: 'value' }, value), sub ? el('div', { class: 'sub' }, sub) : null));
  }
  card('Recorded span', fmt.us(proc.span_us || 0), fmt.count(proc.gil_events) + ' GIL events');
  card('GIL held by some thread', fmt.pct(proc.held_pct), fmt.us(proc.held_by_any_us || 0));
  card('Some thread waits for the GIL', fmt.pct(proc.wait_pct), fmt.us(proc.someone_waits_us || 0), proc.wait_pct >= 20);
  card('Hand-off p90', handoff.count ? fmt.us(handoff.p90_us) : '–', handoff.count ? fmt.count(handoff.count) + ' hand-offs' : 'no hand-offs recorded');
  // multiprocessing children have GILs of their own: their figures, not mixed into the cards above
  var others = (s.processes || []).filter(function (p) { return p.pid !== proc.pid; });
  if (others.length) {
    card('Child processes, own GILs', fmt.count(others.length), others.slice(0, 4).map(function (p) {
      return 'pid ' + p.pid + ': held ' + fmt.pct(p.held_pct) + ', waited ' + fmt.pct(p.wait_pct);
    }).join(' · ') + (others.length > 4 ? ' · …' : ''));
  }
  var worst = threads.reduce(function (w, t) { return (!w || t.wait_pct > w.wait_pct) ? t : w; }, null);
  if (worst) card('Most waiting thread', fmt.pct(worst.wait_pct), worst.name + ' (' + worst.tid + ')', worst.wait_pct >= 20);

  var body = document.querySelector('#threads tbody');
  if (!threads.length) {
    body.appendChild(el('tr', null, el('td', { colspan: '9', class: 'empty' }, 'No GIL events in this trace.')));
  }
  threads.forEach(function (t) {
    var bar = el('div', { class: 'split', title: 'no GIL ' + fmt.pct(t.no_gil_pct) + ' · has GIL ' + fmt.pct(t.held_pct) + ' · GIL wait ' + fmt.pct(t.wait_pct) + ' · hand-over ' + fmt.pct(t.handover_pct || 0) },
      el('span', { class: 'nogil', style: 'width:' + clampPct(t.no_gil_pct) + '%' }),
      el('span', { class: 'held', style: 'width:' + clampPct(t.held_pct) + '%' }),
      el('span', { class: 'wait', style: 'width:' + clampPct(t.wait_pct) + '%' }),
      el('span', { class: 'handover', style: 'width:' + clampPct(t.handover_pct) + '%' }));
    var name = el('td', { class: 'name', title: t.name }, t.name);
    if (t.main) name.appendChild(el('span', { class: 'badge' }, 'main'));
    body.appendChild(el('tr', { 'data-tid': String(t.tid) },
      name,
      el('td', { class: 'num tid' }, String(t.tid)),
      el('td', { class: 'bar' }, bar),
      figure('nogil', t.no_gil_pct, t.no_gil_us),
      figure('held', t.held_pct, t.held_us),
      figure('wait', t.wait_pct, t.wait_us, t.wait_pct >= 20),
      figure('handover', t.handover_pct || 0, t.handover_us || 0),
      el('td', { class: 'num count' }, fmt.count(t.wait_count)),
      el('td', { class: 'num total' }, fmt.us(t.total_us))));
  });
  function figure(kind, pct, us, high) {
    return el('td', { class: 'num ' + kind }, el('span', { class: 'pct' + (kind === 'wait' ? ' pct-wait' + (high ? ' high' : '') : '') }, fmt.pct(pct)),
      el('small', { class: 'us' }, fmt.us(us)));
  }
  function clampPct(p) { return Math.max(0, Math.min(100, +p || 0)).toFixed(3); }

  var blame = document.getElementById('blame');
  var pairs = (s.blame || []).slice(0, 5);
  if (!pairs.length) blame.appendChild(el('li', { class: 'empty' }, 'No thread waited while another held the GIL.'));
  pairs.forEach(function (b) {
    var waiter = el('span', { class: 'who' }, (b.waiter_name || 'thread') + ' (' + b.waiter_tid + ')');
    // holder_tid null: nobody held the GIL, it was being handed over to the next thread
    blame.appendChild(b.holder_tid == null
      ? el('li', null, waiter, ' waited ', el('span', { class: 'ms' }, fmt.us(b.us)), ' while the GIL was handed over (nobody held it)')
      : el('li', null, waiter, ' waited ', el('span', { class: 'ms' }, fmt.us(b.us)), ' while ',
        el('span', { class: 'who' }, (b.holder_name || 'thread') + ' (' + b.holder_tid + ')'), ' held the GIL'));
  });

  var ho = document.getElementById('handoff');
  if (!handoff.count) {
    ho.appendChild(el('p', { class: 'empty' }, 'No hand-offs recorded.'));
  } else {
    ho.appendChild(el('div', { class: 'pcts' },
      pc('count', fmt.count(handoff.count)), pc('p50', fmt.us(handoff.p50_us)), pc('p90', fmt.us(handoff.p90_us)),
      pc('p99', fmt.us(handoff.p99_us)), pc('max', fmt.us(handoff.max_us))));
  }
  function pc(label, value) { return el('div', { class: 'pc-' + label }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value)); }
};
