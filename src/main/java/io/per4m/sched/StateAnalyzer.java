package io.per4m.sched;

import io.per4m.gil.GilStateView;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.TracepointFields;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns scheduler tracepoints into per-thread process-state intervals, emitted as they close.
 * {@code gil} tells whether a thread is blocked by the GIL (waiting in take_gil, or in drop_gil's hand-over until
 * the next holder has taken it) when GIL probes are in the same recording (it must have seen the same event
 * first; may be null); without GIL probes a {@code take_gil} or {@code drop_gil} frame in the switched-out
 * thread's call chain decides. A thread that sleeps there sleeps because of the GIL: S(GIL).
 *
 * <p>Transitions: switched in (sched_switch next_pid) → RUNNING; switched out (prev_pid) → by prev_state
 * (R/R+ PREEMPTED, S SLEEPING or GIL_SLEEP, D DISK_SLEEP, else OTHER), always a new interval, even after one
 * in the same state (the thread ran in between, unseen); woken (sched_waking, sched_wakeup,
 * sched_wakeup_new) while asleep or unknown → RUNNABLE, while running or runnable → no change;
 * forked (sched_process_fork child_pid) → OTHER until woken; sched_process_exit closes the thread for good.
 *
 * <p>A recording of selected threads ({@code perf record -p} or a command) holds only the events that happen
 * while one of them is on a CPU: their switch-outs, but not their switch-ins from an untraced thread (swapper),
 * and not wakeups from interrupts of untraced threads. So every sample also counts as evidence: the thread a
 * sample was taken on (the header pid/tid) is on a CPU at that moment and becomes RUNNING if it was not. The
 * exceptions are the software events the kernel counts inside the scheduler after sched_switch
 * ({@code context-switches}, {@code cpu-migrations}), whose samples name the thread being switched out, and
 * perf's side-band records ({@code PERF_RECORD_*}) except {@code PERF_RECORD_SWITCH IN} (from
 * {@code perf record --switch-events} and {@code perf script --show-switch-events}), which is an exact switch-in.
 *
 * <p>Intervals are emitted only for threads seen as the thread of a sample (that also gives their pid); until
 * then a thread's closed intervals wait (at most {@value ThreadTimeline#MAX_PENDING} per thread, oldest
 * dropped), and at {@link #end()} those of threads never seen so (untraced threads that only appeared as
 * next_pid or wakeup target) are dropped. pid 0 (swapper) is never tracked. Zero-length intervals are skipped.
 * If no scheduler event was seen at all, nothing is emitted. {@link #end()} closes open intervals at the
 * latest event time seen.
 */
public final class StateAnalyzer implements PerfEventSink {
    private static final String SWITCH = "sched:sched_switch";
    private static final String WAKEUP = "sched:sched_wakeup";
    private static final String WAKING = "sched:sched_waking";
    private static final String WAKEUP_NEW = "sched:sched_wakeup_new";
    private static final String FORK = "sched:sched_process_fork";
    private static final String EXIT = "sched:sched_process_exit";
    private static final Set<String> SCHEDULER_INTERNAL_EVENTS =
            Set.of("context-switches", "cs", "cpu-migrations", "migrations");
    private static final String SIDE_BAND_RECORD = "PERF_RECORD_";
    private static final String SWITCH_RECORD = "PERF_RECORD_SWITCH";
    private static final int SWAPPER = 0;

    private final GilStateView gil;
    private final StateIntervalSink sink;
    private final Map<Integer, ThreadTimeline> threads = new LinkedHashMap<>();
    private boolean sawSchedEvents;
    private long malformedSchedEvents;
    private long lastTimeNs = Long.MIN_VALUE;

    public StateAnalyzer(GilStateView gil, StateIntervalSink sink) {
        this.gil = gil;
        this.sink = sink;
    }

    @Override
    public void accept(PerfEvent event) {
        lastTimeNs = Math.max(lastTimeNs, event.timeNs());
        switch (event.name()) {
            case SWITCH -> onSwitch(event);
            case WAKEUP, WAKING, WAKEUP_NEW -> onWakeup(event);
            case FORK -> onFork(event);
            case EXIT -> onExit(event);
            default -> onSample(event);
        }
    }

    @Override
    public void end() {
        if (!sawSchedEvents) {
            return;
        }
        for (ThreadTimeline thread : threads.values()) {
            if (!thread.exited()) {
                thread.close(lastTimeNs, sink);
            }
        }
        threads.clear();
    }

    public boolean sawSchedEvents() {
        return sawSchedEvents;
    }

    /** Scheduler events whose payload could not be read (skipped). */
    public long malformedSchedEvents() {
        return malformedSchedEvents;
    }

    private void onSwitch(PerfEvent event) {
        SchedSwitch change = SchedSwitch.parse(event.payload());
        if (change == null) {
            malformedSchedEvents++;
            return;
        }
        sawSchedEvents = true;
        long time = event.timeNs();
        headerThread(event);
        if (change.prevPid() != SWAPPER) {
            ThreadTimeline prev = thread(change.prevPid());
            if (!prev.exited()) {
                prev.begin(SwitchedOutState.of(change.prevState(), blockedByGil(change, event)), time, sink);
            }
        }
        if (change.nextPid() != SWAPPER) {
            ThreadTimeline next = thread(change.nextPid());
            if (!next.exited()) {
                next.enter(ProcessState.RUNNING, time, sink);
            }
        }
    }

    private boolean blockedByGil(SchedSwitch change, PerfEvent event) {
        if (!change.prevState().startsWith("S")) {
            return false;
        }
        return (gil != null && gil.isBlockedByGil(change.prevPid())) || SwitchedOutState.callchainInGil(event);
    }

    private void onWakeup(PerfEvent event) {
        int target = TracepointFields.intAfterLast(event.payload(), " pid=", -1);
        if (target < 0) {
            malformedSchedEvents++;
            return;
        }
        sawSchedEvents = true;
        markRunning(event);
        if (target == SWAPPER) {
            return;
        }
        ThreadTimeline woken = thread(target);
        ProcessState state = woken.state();
        if (!woken.exited() && (state == null || isAsleep(state))) {
            woken.enter(ProcessState.RUNNABLE, event.timeNs(), sink);
        }
    }

    private void onFork(PerfEvent event) {
        int child = TracepointFields.intAfterLast(event.payload(), " child_pid=", -1);
        if (child < 0) {
            malformedSchedEvents++;
            return;
        }
        sawSchedEvents = true;
        markRunning(event);
        if (child == SWAPPER) {
            return;
        }
        ThreadTimeline born = thread(child);
        born.reuse();
        if (born.state() == null) {
            born.enter(ProcessState.OTHER, event.timeNs(), sink);
        }
    }

    private void onExit(PerfEvent event) {
        sawSchedEvents = true;
        int tid = TracepointFields.intAfterLast(event.payload(), " pid=", event.tid());
        headerThread(event);
        ThreadTimeline gone = threads.get(tid);
        if (gone != null && !gone.exited()) {
            gone.exit(event.timeNs(), sink);
        }
    }

    private void onSample(PerfEvent event) {
        String name = event.name();
        if (name.startsWith(SIDE_BAND_RECORD)) {
            if (name.startsWith(SWITCH_RECORD) && isSwitchIn(name, event.payload())) {
                markRunning(event);
            }
        } else if (SCHEDULER_INTERNAL_EVENTS.contains(baseName(name))) {
            headerThread(event);
        } else {
            markRunning(event);
        }
    }

    /** {@code PERF_RECORD_SWITCH IN} / {@code PERF_RECORD_SWITCH_CPU_WIDE IN ...} (perf record --switch-events). */
    private static boolean isSwitchIn(String name, String payload) {
        return payload.startsWith("IN") || name.endsWith(" IN");
    }

    /** The thread a sample was taken on is on a CPU now. */
    private void markRunning(PerfEvent event) {
        ThreadTimeline thread = headerThread(event);
        if (thread != null && !thread.exited()) {
            thread.enter(ProcessState.RUNNING, event.timeNs(), sink);
        }
    }

    /** The thread a sample was taken on, confirmed as traced with the sample's pid; null for swapper. */
    private ThreadTimeline headerThread(PerfEvent event) {
        if (event.tid() <= SWAPPER) {
            return null;
        }
        ThreadTimeline thread = thread(event.tid());
        if (!thread.exited()) {
            thread.confirm(event.pid(), sink);
        }
        return thread;
    }

    private ThreadTimeline thread(int tid) {
        return threads.computeIfAbsent(tid, ThreadTimeline::new);
    }

    private static boolean isAsleep(ProcessState state) {
        return switch (state) {
            case SLEEPING, DISK_SLEEP, GIL_SLEEP, OTHER -> true;
            case RUNNING, RUNNABLE, PREEMPTED -> false;
        };
    }

    private static String baseName(String eventName) {
        int colon = eventName.indexOf(':');
        return colon < 0 ? eventName : eventName.substring(0, colon);
    }
}
