package io.per4m.counter;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;

/** Turns counter samples (software/hardware events with a period) into per-thread rates. (Stub: sched work.) */
public final class CounterAnalyzer implements PerfEventSink {
    public CounterAnalyzer(CounterSink sink) {
    }

    @Override
    public void accept(PerfEvent event) {
        throw new UnsupportedOperationException("CounterAnalyzer not implemented yet");
    }
}
