package io.per4m.sched;

import io.per4m.gil.GilStateView;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;

/**
 * Turns scheduler tracepoints into per-thread process-state intervals. (Stub: owned by the sched work.)
 * {@code gil} tells whether a thread is waiting for the GIL when GIL probes are in the same recording
 * (it must have seen the same event first); without GIL probes a {@code take_gil} frame in the call chain decides.
 */
public final class StateAnalyzer implements PerfEventSink {
    public StateAnalyzer(GilStateView gil, StateIntervalSink sink) {
    }

    @Override
    public void accept(PerfEvent event) {
        throw new UnsupportedOperationException("StateAnalyzer not implemented yet");
    }

    public boolean sawSchedEvents() {
        return false;
    }
}
