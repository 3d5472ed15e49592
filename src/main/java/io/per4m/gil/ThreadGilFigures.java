package io.per4m.gil;

/**
 * GIL figures of one thread, all durations in nanoseconds.
 * total = first GIL event to last (or to the recording's last GIL event while still waiting, holding or handing
 * over); noGil = total - wait - held - handover.
 *
 * @param handoverNs time inside drop_gil after releasing the GIL: waiting for the next holder to take it
 */
public record ThreadGilFigures(int pid, int tid, String name, boolean mainThread, long firstNs, long lastNs,
                               long totalNs, long heldNs, long waitNs, long handoverNs, long noGilNs, long waitCount,
                               long holdCount, long handoverCount) {
    public double heldFraction() {
        return fraction(heldNs);
    }

    public double waitFraction() {
        return fraction(waitNs);
    }

    public double handoverFraction() {
        return fraction(handoverNs);
    }

    public double noGilFraction() {
        return fraction(noGilNs);
    }

    private double fraction(long ns) {
        return totalNs == 0 ? 0 : (double) ns / totalNs;
    }

    public ThreadGilFigures withName(String newName) {
        return new ThreadGilFigures(pid, tid, newName, mainThread, firstNs, lastNs, totalNs, heldNs, waitNs,
                handoverNs, noGilNs, waitCount, holdCount, handoverCount);
    }

    public ThreadGilFigures withPid(int newPid) {
        return new ThreadGilFigures(newPid, tid, name, mainThread, firstNs, lastNs, totalNs, heldNs, waitNs,
                handoverNs, noGilNs, waitCount, holdCount, handoverCount);
    }
}
