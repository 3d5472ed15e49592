package io.per4m.session;

import io.per4m.perf.RecordOptions;
import io.per4m.trace.PerfToTrace;

import java.util.Locale;

/** What giltracer and the notebook decide alike about a recording. */
public final class RecordingRules {
    /**
     * How often a running recording is cut, each window converted as it comes: shorter leaves less for the end,
     * longer costs fewer perf dumps (a few ms each).
     */
    public static final long WINDOW_MILLIS = 200;

    private RecordingRules() {
    }

    /** The tracks a recording with these options gets. */
    public static PerfToTrace.Mode mode(RecordOptions options) {
        if (!options.gil()) {
            return PerfToTrace.Mode.SCHED;
        }
        return options.states() || !options.counters().isEmpty() ? PerfToTrace.Mode.ALL : PerfToTrace.Mode.GIL;
    }

    /** What the user is told when perf lost events. */
    public static String lostEvents(long lost) {
        return String.format(Locale.ROOT, "perf lost %d events: figures may be off "
                + "(record less: drop --state-detect or --counters)", lost);
    }
}
