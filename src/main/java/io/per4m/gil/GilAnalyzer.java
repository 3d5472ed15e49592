package io.per4m.gil;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns GIL probe events ({@code take_gil}, {@code take_gil__return}, {@code drop_gil}, {@code drop_gil__return},
 * numbered variants included, see {@link GilProbe}) into per-thread GIL intervals, streamed to a
 * {@link GilIntervalSink} as each closes, and into figures ({@link #summary()}). Memory holds per-thread and
 * per-thread-pair state only, never events or intervals.
 *
 * <p>Model, per thread, as CPython 3.8-3.13's ceval_gil works: WAIT from {@code take_gil} to its
 * {@code take_gil__return}; HELD from {@code take_gil__return} to the next {@code drop_gil} (entry): drop_gil clears
 * {@code locked} and signals the waiters right after its entry; HANDOVER from {@code drop_gil} to its
 * {@code drop_gil__return}: released, and when a drop was requested (FORCE_SWITCHING) waiting on
 * {@code switch_cond} until another thread has taken the GIL, which on a busy machine lasts milliseconds after
 * the next holder's {@code take_gil__return}. So the holds of one process follow each other and never overlap.
 * The thread's total runs from its first GIL event to its last; a thread still waiting, holding or handing over
 * when the recording ends stays so until the recording's last GIL event (its total grows to that point too).
 * No GIL = total - wait - held - hand-over. The main thread is the one with tid == pid, or the first thread seen
 * when perf printed no pid. A thread's name is the latest comm of its GIL events.
 *
 * <p>Probe group: {@code probeGroup} null means the first group seen with GIL events; GIL events of any other
 * group are skipped and counted as {@code other_probe_group}.
 *
 * <p>Pairing never fails: an event that does not fit the thread's state is counted under an anomaly kind and
 * the state is resynchronised so that the sweep, {@link #isBlockedByGil}, and the figures always agree with what
 * was known at that moment of the pass (an interval is never rewritten after the fact):
 * <ul>
 * <li>{@code take_without_return}: take_gil while already waiting (a copy of take_gil without return point, or the
 *     return was lost): the open wait ends at the new take_gil, a new wait starts there. The same kind for drop_gil
 *     while waiting: the wait ends at the drop_gil and a hand-over runs from there to drop_gil__return. So time in
 *     which such a take already held the GIL is counted as wait.</li>
 * <li>{@code return_without_take}: take_gil__return without a pending take_gil (trace started mid-wait, or the
 *     entry was lost): a hold starts at the return; no wait is counted. If the thread already holds, the hold
 *     goes on; if it was handing over, the hand-over ends and a hold starts.</li>
 * <li>{@code hold_at_start}: the thread's FIRST event is drop_gil or drop_gil__return (trace started mid-hold).
 *     The hold before it is unknown: a drop_gil starts a hand-over, a lone drop_gil__return adds nothing.</li>
 * <li>{@code drop_without_hold}: drop_gil when the thread was seen before but neither waits nor holds (lost
 *     take): a hand-over starts, as for hold_at_start.</li>
 * <li>{@code return_without_drop}: drop_gil__return without drop_gil: a hold or a wait ends there (its end was
 *     lost); with nothing open it is ignored.</li>
 * <li>{@code take_while_holding}: take_gil while holding (the drop pair was lost): the hold ends at the take_gil,
 *     a wait starts.</li>
 * <li>{@code drop_without_return}: take_gil, or a second drop_gil, while handing over (drop_gil__return lost):
 *     the hand-over ends at the take_gil (resp. goes on for a second drop_gil).</li>
 * <li>{@code overlapping_holds}: another thread of the process took the GIL (take_gil__return) while this one
 *     still held it, and this one's drop_gil did not follow within {@value #PROBE_JITTER_NS} ns (or never came: a
 *     release point without probe, such as a drop_gil inlined into a caller). The GIL is a mutex, so the hold is
 *     ended where the other thread took it; at most one thread of a process holds at any moment. A recording
 *     without drop_gil events (offgil's take_gil-only recordings) ends every hold so, and counts nothing.</li>
 * <li>{@code time_went_backwards}: a GIL event earlier than the previous one: it is taken as happening at the
 *     previous event's time, so no interval or gap is ever negative.</li>
 * </ul>
 * Lost events (perf ring-buffer overruns) show up as these pairing anomalies.
 *
 * <p>Each process has its own GIL: process figures and blame come from one {@link GilSweep} per process (a
 * thread's process is the pid of its first GIL event). Hand-off latency: from one thread's drop_gil (entry) to the
 * next take_gil__return of ANOTHER thread of the same process; a take_gil__return by the dropping thread itself
 * cancels the pending hand-off, a later drop_gil replaces it. Kept in a {@link LatencyHistogram} (0.8 % error
 * on percentiles, exact max).
 */
public final class GilAnalyzer implements PerfEventSink, GilStateView {
    static final String TAKE_WITHOUT_RETURN = "take_without_return";
    static final String RETURN_WITHOUT_TAKE = "return_without_take";
    static final String HOLD_AT_START = "hold_at_start";
    static final String DROP_WITHOUT_HOLD = "drop_without_hold";
    static final String RETURN_WITHOUT_DROP = "return_without_drop";
    static final String TAKE_WHILE_HOLDING = "take_while_holding";
    static final String DROP_WITHOUT_RETURN = "drop_without_return";
    static final String TIME_WENT_BACKWARDS = "time_went_backwards";
    static final String OTHER_PROBE_GROUP = "other_probe_group";
    static final String OVERLAPPING_HOLDS = "overlapping_holds";
    /**
     * How much later than another thread's take_gil__return a holder's drop_gil may be stamped without counting as
     * an overlap. The drop is stamped before the release and the take after it, so on one clock it always comes
     * first; the margin is for perf's timestamps of events on different CPUs.
     */
    static final long PROBE_JITTER_NS = 10_000;

    /** Cached answer for names that are not GIL probes. */
    private static final GilProbe NOT_GIL = new GilProbe("", false, false);
    private static final int MAX_CACHED_NAMES = 4096;

    private final GilIntervalSink sink;
    private final Map<String, GilProbe> probeByName = new HashMap<>();
    private final Map<Integer, ThreadTrack> threads = new LinkedHashMap<>();
    private final Map<String, long[]> anomalies = new HashMap<>();
    /** Each process's GIL, in order of first appearance. */
    private final Map<Integer, GilSweep> gils = new LinkedHashMap<>();
    private final BlameMatrix blame = new BlameMatrix();
    private final LatencyHistogram handoff = new LatencyHistogram();
    private String group;

    private ThreadTrack lastThread;
    private long gilEvents;
    private long lastNs;
    private boolean ended;

    public GilAnalyzer(String probeGroup, GilIntervalSink sink) {
        this.group = probeGroup;
        this.sink = sink;
    }

    @Override
    public void accept(PerfEvent event) {
        GilProbe probe = probe(event.name());
        if (probe == null) {
            return;
        }
        if (group == null) {
            group = probe.group();
        } else if (!group.equals(probe.group())) {
            anomaly(OTHER_PROBE_GROUP);
            return;
        }
        long t = event.timeNs();
        if (gilEvents > 0 && t < lastNs) {
            anomaly(TIME_WENT_BACKWARDS);
            t = lastNs;
        }
        apply(event.pid(), event.tid(), event.comm(), probe.kind(event.payload()), t);
    }

    /** One GIL event, already known to be of the probe group in use, at a time not before the previous one's. */
    void apply(int pid, int tid, String comm, GilEventKind kind, long t) {
        gilEvents++;
        lastNs = t;
        ThreadTrack thread = thread(pid, tid, comm, t);
        thread.gil.event(t);
        if (kind == GilEventKind.DROP || kind == GilEventKind.DROP_RETURN) {
            thread.gil.sawDrop = true;
        }
        if (thread.supersededHold && thread.gil.sawDrop
                && !(kind == GilEventKind.DROP && t - thread.supersededAtNs <= PROBE_JITTER_NS)) {
            anomaly(OVERLAPPING_HOLDS);
        }
        boolean expectedDrop = thread.supersededHold;
        thread.supersededHold = false;
        switch (kind) {
            case TAKE -> onTake(thread, t);
            case TAKE_RETURN -> onTakeReturn(thread, t);
            case DROP -> onDrop(thread, t, expectedDrop);
            case DROP_RETURN -> onDropReturn(thread, t);
        }
    }

    /** Closes what is still open at the recording's last GIL event. Calling it again does nothing. */
    @Override
    public void end() {
        endAt(lastNs);
    }

    /** Closes what is still open at {@code endNs} (not before the last GIL event): a replayed trace's end. */
    void endAt(long endNs) {
        if (ended) {
            return;
        }
        lastNs = Math.max(lastNs, endNs);
        ended = true;
        for (GilSweep gil : gils.values()) {
            if (gil.open()) {
                gil.advanceTo(lastNs); // what is still open lasts until the recording's last GIL event
            }
        }
        for (ThreadTrack thread : threads.values()) {
            if (thread.supersededHold && thread.gil.sawDrop) {
                anomaly(OVERLAPPING_HOLDS);
                thread.supersededHold = false;
            }
            if (thread.phase != ThreadTrack.Phase.NONE) {
                thread.lastNs = lastNs;
                closeInterval(thread, lastNs);
            }
        }
    }

    @Override
    public boolean isBlockedByGil(int tid) {
        ThreadTrack thread = lastThread != null && lastThread.tid == tid ? lastThread : threads.get(tid);
        return thread != null
                && (thread.phase == ThreadTrack.Phase.WAITING || thread.phase == ThreadTrack.Phase.HANDING_OVER);
    }

    /** True once at least one GIL probe event of the used probe group was read. */
    public boolean sawGilEvents() {
        return gilEvents > 0;
    }

    /** The probe group in use, null until the first GIL event when none was given. */
    public String probeGroup() {
        return group;
    }

    /** Figures so far (open intervals counted up to the last GIL event); complete after {@link #end()}. */
    public GilSummary summary() {
        List<ThreadGilFigures> figures = new ArrayList<>(threads.size());
        for (ThreadTrack thread : threads.values()) {
            if (thread.main) {
                figures.add(thread.figures(lastNs));
            }
        }
        for (ThreadTrack thread : threads.values()) {
            if (!thread.main) {
                figures.add(thread.figures(lastNs));
            }
        }
        List<ProcessGilFigures> processes = new ArrayList<>(gils.size());
        for (GilSweep gil : gils.values()) {
            processes.add(gil.figures());
        }
        ProcessGilFigures process = processes.isEmpty() ? new ProcessGilFigures(0, 0, 0, 0) : processes.get(0);
        Map<String, Long> anomalyCounts = new TreeMap<>();
        anomalies.forEach((kind, n) -> anomalyCounts.put(kind, n[0]));
        return new GilSummary(List.copyOf(figures), process, List.copyOf(processes), blame.entries(),
                handoff.figures(), Collections.unmodifiableMap(anomalyCounts));
    }

    private GilProbe probe(String name) {
        int n = name.length();
        if (n < 10) {       // shortest GIL name: "g:take_gil"
            return null;
        }
        char last = name.charAt(n - 1);
        if (last != 'l' && last != 'n' && (last < '0' || last > '9')) {
            return null;    // not ...gil, ...return, ..._N: most non-GIL events stop here
        }
        GilProbe probe = probeByName.get(name);
        if (probe == null) {
            probe = GilProbe.parse(name);
            if (probe == null) {
                probe = NOT_GIL;
            }
            if (probeByName.size() < MAX_CACHED_NAMES) {
                probeByName.put(name, probe);
            }
        }
        return probe == NOT_GIL ? null : probe;
    }

    private ThreadTrack thread(int pid, int tid, String comm, long t) {
        ThreadTrack thread = lastThread != null && lastThread.tid == tid ? lastThread : threads.get(tid);
        if (thread == null) {
            boolean main = pid >= 0 ? pid == tid : threads.isEmpty();
            thread = new ThreadTrack(pid, tid, comm, main, t, gils.computeIfAbsent(pid, p -> new GilSweep(p, blame)));
            threads.put(tid, thread);
        } else {
            thread.name = comm;
            if (pid >= 0) {
                thread.pid = pid;
            }
            thread.lastNs = t;
        }
        thread.events++;
        lastThread = thread;
        return thread;
    }

    private void onTake(ThreadTrack thread, long t) {
        switch (thread.phase) {
            case NONE -> begin(thread, ThreadTrack.Phase.WAITING, t);
            case WAITING -> {
                anomaly(TAKE_WITHOUT_RETURN);
                closeInterval(thread, t);
                begin(thread, ThreadTrack.Phase.WAITING, t);
            }
            case HOLDING -> {
                anomaly(TAKE_WHILE_HOLDING);
                closeInterval(thread, t);
                begin(thread, ThreadTrack.Phase.WAITING, t);
            }
            case HANDING_OVER -> {
                anomaly(DROP_WITHOUT_RETURN);
                closeInterval(thread, t);
                begin(thread, ThreadTrack.Phase.WAITING, t);
            }
        }
    }

    private void onTakeReturn(ThreadTrack thread, long t) {
        switch (thread.phase) {
            case WAITING -> {
                closeInterval(thread, t);
                beginHold(thread, t);
            }
            case NONE -> {
                anomaly(RETURN_WITHOUT_TAKE);
                beginHold(thread, t);
            }
            case HOLDING -> anomaly(RETURN_WITHOUT_TAKE);
            case HANDING_OVER -> {
                anomaly(RETURN_WITHOUT_TAKE);
                closeInterval(thread, t);
                beginHold(thread, t);
            }
        }
        GilSweep gil = thread.gil;
        if (gil.pendingDrop) {
            if (gil.pendingDropTid != thread.tid) {
                handoff.record(t - gil.pendingDropNs);
            }
            gil.pendingDrop = false;
        }
    }

    /** @param expectedDrop the hold was ended by another thread's take within probe jitter before this drop */
    private void onDrop(ThreadTrack thread, long t, boolean expectedDrop) {
        switch (thread.phase) {
            case HOLDING -> {
                closeInterval(thread, t);
                begin(thread, ThreadTrack.Phase.HANDING_OVER, t);
            }
            case HANDING_OVER -> anomaly(DROP_WITHOUT_RETURN);
            case WAITING -> {
                anomaly(TAKE_WITHOUT_RETURN);
                closeInterval(thread, t);
                begin(thread, ThreadTrack.Phase.HANDING_OVER, t);
            }
            case NONE -> {
                if (!expectedDrop) {
                    anomaly(thread.events == 1 ? HOLD_AT_START : DROP_WITHOUT_HOLD);
                }
                begin(thread, ThreadTrack.Phase.HANDING_OVER, t);
            }
        }
        thread.gil.pendingDrop = true;
        thread.gil.pendingDropTid = thread.tid;
        thread.gil.pendingDropNs = t;
    }

    private void onDropReturn(ThreadTrack thread, long t) {
        switch (thread.phase) {
            case HANDING_OVER -> closeInterval(thread, t);
            case HOLDING -> {
                anomaly(RETURN_WITHOUT_DROP);
                closeInterval(thread, t);
            }
            case WAITING -> {
                anomaly(RETURN_WITHOUT_DROP);
                closeInterval(thread, t);
            }
            case NONE -> anomaly(thread.events == 1 ? HOLD_AT_START : RETURN_WITHOUT_DROP);
        }
    }

    private void beginHold(ThreadTrack thread, long t) {
        ThreadTrack previous = thread.gil.holder();
        if (previous != null && previous != thread) {
            // a mutex: the other thread's hold ended by now, though its drop_gil is not seen (yet)
            closeInterval(previous, t);
            previous.supersededHold = true;
            previous.supersededAtNs = t;
        }
        begin(thread, ThreadTrack.Phase.HOLDING, t);
    }

    private void begin(ThreadTrack thread, ThreadTrack.Phase phase, long t) {
        thread.phase = phase;
        thread.phaseStartNs = t;
        thread.gil.enter(thread, phase);
    }

    /** Ends the thread's open interval at {@code t}: counted, emitted, and taken out of its process's sweep. */
    private void closeInterval(ThreadTrack thread, long t) {
        ThreadTrack.Phase phase = thread.phase;
        thread.add(phase, t - thread.phaseStartNs);
        thread.phase = ThreadTrack.Phase.NONE;
        thread.gil.leave(thread, phase);
        sink.interval(new GilInterval(thread.pid, thread.tid, phase.state(), thread.phaseStartNs, t));
    }

    private void anomaly(String kind) {
        anomalies.computeIfAbsent(kind, k -> new long[1])[0]++;
    }
}
