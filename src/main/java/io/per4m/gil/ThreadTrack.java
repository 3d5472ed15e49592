package io.per4m.gil;

/** Running GIL state and totals of one thread during the pass. */
final class ThreadTrack {
    enum Phase { NONE, WAITING, HOLDING }

    final int tid;
    final boolean main;
    final long firstNs;
    /** its process's GIL */
    final GilSweep gil;
    int pid;
    String name;
    long lastNs;
    long events;

    Phase phase = Phase.NONE;
    long phaseStartNs;
    /** drop_gil entered, its return not seen yet (the hold lasts until the return) */
    boolean dropping;

    long waitNs;
    long heldNs;
    long waitCount;
    long holdCount;

    ThreadTrack(int pid, int tid, String name, boolean main, long firstNs, GilSweep gil) {
        this.gil = gil;
        this.pid = pid;
        this.tid = tid;
        this.name = name;
        this.main = main;
        this.firstNs = firstNs;
        this.lastNs = firstNs;
    }

    /** Figures as of {@code endNs}; an interval still open counts up to {@code endNs}. */
    ThreadGilFigures figures(long endNs) {
        long wait = waitNs;
        long held = heldNs;
        long last = lastNs;
        if (phase != Phase.NONE) {
            long open = Math.max(0, endNs - phaseStartNs);
            if (phase == Phase.WAITING) {
                wait += open;
            } else {
                held += open;
            }
            last = Math.max(last, endNs);
        }
        long total = last - firstNs;
        return new ThreadGilFigures(pid, tid, name, main, firstNs, last, total, held, wait, total - held - wait,
                waitCount, holdCount);
    }
}
