package io.per4m.trace;

import io.per4m.counter.CounterSink;
import io.per4m.gil.GilIntervalSink;
import io.per4m.sched.StateIntervalSink;

/**
 * Sees what a conversion writes into the trace, on the trace's clock: the GIL, state and counter tracks and the
 * names of the threads perf saw. The report builds from it without reading the trace back.
 */
public interface TrackListener extends GilIntervalSink, StateIntervalSink, CounterSink {
    void threadName(int pid, int tid, String name);

    void processName(int pid, String name);
}
