package io.per4m.perf;

/** Receives parsed perf events in input order. */
public interface PerfEventSink {
    void accept(PerfEvent event);

    /** Called once after the last event. */
    default void end() {
    }
}
