package io.per4m.gil;

/** Running GIL state and totals of one thread during the pass. */
final class ThreadTrack {
    enum Phase { NONE, WAITING, HOLDING, HANDING_OVER }

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
    /**
     * Set when another thread of the process took the GIL while this one held it: the hold was ended there, and
     * this thread's drop_gil is expected within probe jitter of that moment (else the holds overlapped).
     */
    boolean supersededHold;
    long supersededAtNs;

    long waitNs;
    long heldNs;
    long handoverNs;
    long waitCount;
    long holdCount;
    long handoverCount;

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
        long handover = handoverNs;
        long last = lastNs;
        if (phase != Phase.NONE) {
            long open = Math.max(0, endNs - phaseStartNs);
            switch (phase) {
                case WAITING -> wait += open;
                case HOLDING -> held += open;
                case HANDING_OVER -> handover += open;
                default -> { }
            }
            last = Math.max(last, endNs);
        }
        long total = last - firstNs;
        return new ThreadGilFigures(pid, tid, name, main, firstNs, last, total, held, wait, handover,
                total - held - wait - handover, waitCount, holdCount, handoverCount);
    }
}
