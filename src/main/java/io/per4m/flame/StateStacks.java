package io.per4m.flame;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.StackFrame;
import io.per4m.sched.ProcessState;
import io.per4m.sched.StateInterval;
import io.per4m.sched.StateIntervalSink;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Off-CPU time in one process state (e.g. {@code S(GIL)}), from the {@link io.per4m.sched.StateAnalyzer}'s
 * intervals, each weighing on the call chain of the {@code sched_switch} that switched the thread out (the
 * interval's start). Needs {@code sched:sched_switch} recorded with call chains (DWARF: frame-pointer chains
 * stop in libc, short of take_gil).
 *
 * <p>The StateAnalyzer may hold a thread's closed intervals back until it knows the thread is traced, so the
 * switch-out chains wait here by (thread, time) until their interval arrives; at most {@value #MAX_PENDING} a
 * thread, the oldest go first.
 */
public final class StateStacks extends CallChainStacks implements PerfEventSink, StateIntervalSink {
    private static final String SWITCH = "sched:sched_switch";
    static final int MAX_PENDING = 4096;

    private final ProcessState state;
    private final Map<Integer, LinkedHashMap<Long, List<StackFrame>>> switchOuts = new HashMap<>();

    public StateStacks(ProcessState state, StackMerger merger) {
        super(merger);
        this.state = state;
    }

    @Override
    public void accept(PerfEvent event) {
        if (!SWITCH.equals(event.name())) {
            return;
        }
        // sched_switch runs in the context of the thread being switched out: the header tid is prev_pid
        sawChainEvent(event);
        LinkedHashMap<Long, List<StackFrame>> pending = switchOuts.computeIfAbsent(event.tid(), t -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, List<StackFrame>> eldest) {
                return size() > MAX_PENDING;
            }
        });
        pending.put(event.timeNs(), event.callchain());
    }

    @Override
    public void interval(StateInterval interval) {
        LinkedHashMap<Long, List<StackFrame>> pending = switchOuts.get(interval.tid());
        List<StackFrame> chain = pending == null ? null : pending.remove(interval.startNs());
        if (interval.state() == state) {
            weigh(interval.tid(), chain, interval.startNs(), interval.endNs());
        }
    }
}
