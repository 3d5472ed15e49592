package io.per4m.trace;

/** Sees each event of a trace as it streams by (the fields object is reused: copy what you keep). */
public interface TraceEventListener {
    void event(TraceEventFields event);
}
