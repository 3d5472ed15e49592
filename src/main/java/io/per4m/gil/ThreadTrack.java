package io.per4m.gil;

/** Running GIL state and totals of one thread during the pass. */
final class ThreadTrack {
    enum Phase {
        NONE(null), WAITING(GilState.WAIT), HOLDING(GilState.HELD), HANDING_OVER(GilState.HANDOVER);

        private final GilState state;

        Phase(GilState state) {
            this.state = state;
        }

        /** The state of the intervals this phase makes. */
        GilState state() {
            return state;
        }
    }

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

    /** Closed intervals' time and count, by {@link GilState#ordinal()}. */
    private final long[] ns = new long[GilState.values().length];
    private final long[] count = new long[GilState.values().length];

    ThreadTrack(int pid, int tid, String name, boolean main, long firstNs, GilSweep gil) {
        this.gil = gil;
        this.pid = pid;
        this.tid = tid;
        this.name = name;
        this.main = main;
        this.firstNs = firstNs;
        this.lastNs = firstNs;
    }

    /** Adds a closed interval of {@code phase}. */
    void add(Phase phase, long durationNs) {
        ns[phase.state().ordinal()] += durationNs;
        count[phase.state().ordinal()]++;
    }

    /** Figures as of {@code endNs}; an interval still open counts up to {@code endNs}. */
    ThreadGilFigures figures(long endNs) {
        long[] time = ns.clone();
        long last = lastNs;
        if (phase != Phase.NONE) {
            time[phase.state().ordinal()] += Math.max(0, endNs - phaseStartNs);
            last = Math.max(last, endNs);
        }
        long held = time[GilState.HELD.ordinal()];
        long wait = time[GilState.WAIT.ordinal()];
        long handover = time[GilState.HANDOVER.ordinal()];
        long total = last - firstNs;
        return new ThreadGilFigures(pid, tid, name, main, firstNs, last, total, held, wait, handover,
                total - held - wait - handover, count[GilState.WAIT.ordinal()], count[GilState.HELD.ordinal()],
                count[GilState.HANDOVER.ordinal()]);
    }
}
