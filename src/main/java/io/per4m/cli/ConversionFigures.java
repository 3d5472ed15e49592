package io.per4m.cli;

import io.per4m.trace.PerfToTrace;

import java.util.Locale;

/** The one line -v prints about a conversion: what was read and what came of it. */
final class ConversionFigures {
    private ConversionFigures() {
    }

    static String line(PerfToTrace.Result result) {
        var input = result.input();
        var anomalies = result.summary().anomalies();
        return String.format(Locale.ROOT, "read %d lines, %d events (%d skipped lines, %d events lost by perf); "
                        + "%d GIL intervals, %d state intervals, %d counter points; anomalies: %s",
                input.lines(), input.events(), input.badLines(), input.lostEvents(), result.gilIntervals(),
                result.stateIntervals(), result.counterPoints(), anomalies.isEmpty() ? "none" : anomalies);
    }
}
