package io.per4m.flame;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;

import java.util.ArrayList;
import java.util.List;

/** Test helper: call chains and GIL probe events written by hand. */
final class Chains {
    static final String ENTRY_PAYLOAD = "(7f87e5a4f7b0)";
    static final String RETURN_PAYLOAD = "(7f87e5a4f7b0 <- 7f87e5a4fbb3)";

    private Chains() {
    }

    /** A call chain from its symbols, innermost first (as perf prints it). */
    static List<StackFrame> chain(String... innermostFirst) {
        List<StackFrame> frames = new ArrayList<>();
        for (String symbol : innermostFirst) {
            frames.add(new StackFrame("1234", symbol, "/lib/libpython3.11.so.1.0"));
        }
        return frames;
    }

    static PerfEvent take(long t, int tid, String comm, List<StackFrame> chain) {
        return new PerfEvent(comm, 100, tid, 0, t, "python:take_gil", 0, ENTRY_PAYLOAD, chain, 0);
    }

    static PerfEvent takeReturn(long t, int tid, String comm) {
        return new PerfEvent(comm, 100, tid, 0, t, "python:take_gil__return", 0, RETURN_PAYLOAD,
                chain("PyEval_RestoreThread", "time_sleep"), 0);
    }

    static PerfEvent drop(long t, int tid, String comm, boolean isReturn) {
        return new PerfEvent(comm, 100, tid, 0, t, isReturn ? "python:drop_gil__return" : "python:drop_gil", 0,
                isReturn ? RETURN_PAYLOAD : ENTRY_PAYLOAD, List.of(), 0);
    }
}
