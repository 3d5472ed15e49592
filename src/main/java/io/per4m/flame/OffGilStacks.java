package io.per4m.flame;

import io.per4m.gil.GilInterval;
import io.per4m.gil.GilIntervalSink;
import io.per4m.gil.GilProbe;
import io.per4m.gil.GilState;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.StackFrame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who waits for the GIL, and where: each GIL wait interval of the {@link io.per4m.gil.GilAnalyzer} (take_gil to
 * its return) weighs on the call chain of the thread's take_gil entry that started it, merged with the Python
 * stack by a {@link StackMerger}.
 *
 * <p>Feed every event to the GilAnalyzer first and then here (the pipeline order): a take_gil that closes a
 * still-open wait (a lost return) must close it with the chain of the take_gil that opened it.
 */
public final class OffGilStacks implements PerfEventSink, GilIntervalSink {
    /** Root-level frame of a wait whose take_gil event had no call chain. */
    public static final String NO_CALL_CHAIN = "[no call chain]";

    private final StackMerger merger;
    private final ThreadStacks stacks = new ThreadStacks();
    private final Map<String, GilProbe> probes = new HashMap<>();
    private final Map<Integer, List<StackFrame>> latestTakeChain = new HashMap<>();
    private long takes;
    private long takesWithChain;

    public OffGilStacks(StackMerger merger) {
        this.merger = merger;
    }

    @Override
    public void accept(PerfEvent event) {
        GilProbe probe = probes.computeIfAbsent(event.name(), name -> {
            GilProbe parsed = GilProbe.parse(name);
            return parsed == null ? new GilProbe("", false, false) : parsed;
        });
        if (!probe.take() || !probe.isTakeEntry(event.payload())) {
            return;
        }
        takes++;
        if (!event.callchain().isEmpty()) {
            takesWithChain++;
        }
        stacks.name(event.tid(), event.comm());
        latestTakeChain.put(event.tid(), event.callchain());
    }

    @Override
    public void interval(GilInterval interval) {
        if (interval.state() != GilState.WAIT) {
            return;
        }
        List<StackFrame> chain = latestTakeChain.get(interval.tid());
        List<String> frames;
        if (chain == null || chain.isEmpty()) {
            frames = List.of(NO_CALL_CHAIN);
        } else {
            // the Python stack cannot change while the thread waits; the middle of the wait is the moment
            // furthest from both ends of the enclosing viztracer slice, should the clocks be a little off
            long middle = interval.startNs() + interval.durationNs() / 2;
            frames = merger.frames(interval.tid(), middle, chain);
        }
        stacks.add(interval.tid(), frames, interval.durationNs());
    }

    /** take_gil entry events seen. */
    public long takeEvents() {
        return takes;
    }

    /** take_gil entry events that came with a call chain. */
    public long takeEventsWithCallChain() {
        return takesWithChain;
    }

    /** Sum of all wait intervals, ns. */
    public long totalWaitNs() {
        return stacks.totalNs();
    }

    /** Number of wait intervals with a non-zero duration. */
    public long waits() {
        return stacks.count();
    }

    public int threads() {
        return stacks.threads();
    }

    /** Folded stacks weighted in units of {@code nsPerUnit} ns (1000 for µs). */
    public FoldedStacks folded(long nsPerUnit) {
        return stacks.folded(nsPerUnit, merger::pythonThreadName);
    }
}
