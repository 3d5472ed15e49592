package io.per4m.gil;

/**
 * GIL figures of one thread, all durations in nanoseconds.
 * total = first GIL event to last (or to the recording's last GIL event while still holding);
 * noGil = total - wait - held.
 */
public record ThreadGilFigures(int pid, int tid, String name, boolean mainThread, long firstNs, long lastNs,
                               long totalNs, long heldNs, long waitNs, long noGilNs, long waitCount,
                               long holdCount) {
    public double heldFraction() {
        return totalNs == 0 ? 0 : (double) heldNs / totalNs;
    }

    public double waitFraction() {
        return totalNs == 0 ? 0 : (double) waitNs / totalNs;
    }

    public double noGilFraction() {
        return totalNs == 0 ? 0 : (double) noGilNs / totalNs;
    }

    public ThreadGilFigures withName(String newName) {
        return new ThreadGilFigures(pid, tid, newName, mainThread, firstNs, lastNs, totalNs, heldNs, waitNs,
                noGilNs, waitCount, holdCount);
    }
}
