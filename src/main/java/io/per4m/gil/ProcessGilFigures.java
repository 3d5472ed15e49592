package io.per4m.gil;

/**
 * Process-wide GIL figures.
 *
 * @param spanNs         first to last GIL event of the recording
 * @param heldByAnyNs    time in which at least one thread held the GIL
 * @param someoneWaitsNs time in which at least one thread waited for the GIL
 * @param gilEvents      GIL probe events read
 */
public record ProcessGilFigures(long spanNs, long heldByAnyNs, long someoneWaitsNs, long gilEvents) {
    public double heldFraction() {
        return spanNs == 0 ? 0 : (double) heldByAnyNs / spanNs;
    }

    public double waitFraction() {
        return spanNs == 0 ? 0 : (double) someoneWaitsNs / spanNs;
    }
}
