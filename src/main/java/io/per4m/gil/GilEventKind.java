package io.per4m.gil;

/** The four GIL probe points, whatever perf named their probes. */
enum GilEventKind {
    TAKE, TAKE_RETURN, DROP, DROP_RETURN
}
