package io.per4m.gil;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;

/**
 * Turns GIL probe events into per-thread GIL intervals and figures. (Stub: owned by the gil work.)
 * {@code probeGroup} null means: use the first probe group seen with GIL events.
 */
public final class GilAnalyzer implements PerfEventSink, GilStateView {
    public GilAnalyzer(String probeGroup, GilIntervalSink sink) {
    }

    @Override
    public void accept(PerfEvent event) {
        throw new UnsupportedOperationException("GilAnalyzer not implemented yet");
    }

    @Override
    public boolean isWaiting(int tid) {
        return false;
    }

    /** True once at least one GIL probe event was read. */
    public boolean sawGilEvents() {
        return false;
    }

    /** Figures so far; complete after {@link #end()}. */
    public GilSummary summary() {
        throw new UnsupportedOperationException("GilAnalyzer not implemented yet");
    }
}
