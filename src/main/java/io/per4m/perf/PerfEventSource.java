package io.per4m.perf;

import java.io.IOException;

/** Where perf events come from: perf script text, or perf.data files read directly. */
public interface PerfEventSource {
    /** Delivers every event in time order to {@code sink}, then calls {@code sink.end()}. */
    ParseReport readInto(PerfEventSink sink) throws IOException;

    /** Events perf reported lost, known once {@link #readInto} returned; 0 when the source cannot tell. */
    default long lostEvents() {
        return 0;
    }
}
