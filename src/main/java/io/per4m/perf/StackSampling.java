package io.per4m.perf;

import java.util.Locale;

/**
 * Samples of each thread's user stack at a fixed rate, for Python stacks taken from CPython's perf trampolines
 * (3.12+): the software clock (this VM has no hardware counters), the stack copied raw ({@code call-graph=dwarf}),
 * never unwound by perf: the engine finds the trampolines' return addresses in the copy itself.
 */
public final class StackSampling {
    /** Bytes of stack copied per sample: the innermost 25 or so Python calls on 3.12. */
    public static final int STACK_BYTES = 16_384;
    /** The event's name as perf gives it in the recording. */
    public static final String EVENT = "cpu-clock";

    private StackSampling() {
    }

    /** The {@code -e} argument for {@code hz} samples a second per thread. */
    public static String event(int hz) {
        return String.format(Locale.ROOT, "%s/freq=%d,call-graph=dwarf,stack-size=%d/", EVENT, hz, STACK_BYTES);
    }
}
