package io.per4m.gil;

/**
 * GIL figures of one process.
 *
 * @param pid            the process, -1 when perf printed no pids
 * @param spanNs         its first to its last GIL event (the recording's last if it still waited or held then)
 * @param heldByAnyNs    time in which at least one thread held the GIL
 * @param someoneWaitsNs time in which at least one thread waited for the GIL
 * @param gilEvents      GIL probe events read
 */
public record ProcessGilFigures(int pid, long spanNs, long heldByAnyNs, long someoneWaitsNs, long gilEvents) {
    public ProcessGilFigures(long spanNs, long heldByAnyNs, long someoneWaitsNs, long gilEvents) {
        this(-1, spanNs, heldByAnyNs, someoneWaitsNs, gilEvents);
    }

    public double heldFraction() {
        return spanNs == 0 ? 0 : (double) heldByAnyNs / spanNs;
    }

    public double waitFraction() {
        return spanNs == 0 ? 0 : (double) someoneWaitsNs / spanNs;
    }
}
