package io.per4m.flame;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;

import java.util.List;

/**
 * Time intervals weighing on call chains: each interval adds its duration to the stack of the event that started
 * it (its call chain from perf merged with the Python stack by a {@link StackMerger}). Subclasses say which events
 * carry the chains and which intervals count.
 */
public abstract class CallChainStacks extends WeighedStacks {
    /** Root-level frame of an interval whose starting event had no call chain. */
    public static final String NO_CALL_CHAIN = "[no call chain]";

    private final StackMerger merger;
    private long chainEvents;
    private long chainEventsWithCallChain;

    protected CallChainStacks(StackMerger merger) {
        super(merger::pythonThreadName);
        this.merger = merger;
    }

    /** Counts an event that may start an interval, and names its thread. */
    protected final void sawChainEvent(PerfEvent event) {
        chainEvents++;
        if (!event.callchain().isEmpty()) {
            chainEventsWithCallChain++;
        }
        name(event.tid(), event.comm());
    }

    /** Adds {@code endNs - startNs} to the stack of {@code chain} (null or empty: {@link #NO_CALL_CHAIN}). */
    protected final void weigh(int tid, List<StackFrame> chain, long startNs, long endNs) {
        List<String> frames;
        if (chain == null || chain.isEmpty()) {
            frames = List.of(NO_CALL_CHAIN);
        } else {
            // the Python stack cannot change while the thread waits or sleeps; the middle of the interval is the
            // moment furthest from both ends of the enclosing viztracer slice, should the clocks be a little off
            frames = merger.frames(tid, startNs + (endNs - startNs) / 2, chain);
        }
        weigh(tid, frames, endNs - startNs);
    }

    /** Events that may start an interval (take_gil entries, switch-outs) seen. */
    public long chainEvents() {
        return chainEvents;
    }

    /** Those of them that came with a call chain. */
    public long chainEventsWithCallChain() {
        return chainEventsWithCallChain;
    }
}
