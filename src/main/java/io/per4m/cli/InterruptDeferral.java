package io.per4m.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While the traced program runs, Ctrl-C belongs to it: the program stops (its runner disables perf and saves
 * viztracer's trace), and the engine lives on to write the partial report instead of dying with it.
 */
final class InterruptDeferral implements AutoCloseable {
    private final Signal signal = new Signal("INT");
    private final SignalHandler previous;

    private InterruptDeferral() {
        previous = Signal.handle(signal, sig -> { });
    }

    static InterruptDeferral whileChildRuns() {
        return new InterruptDeferral();
    }

    @Override
    public void close() {
        Signal.handle(signal, previous);
    }
}
