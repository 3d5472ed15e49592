package io.per4m.trace;

import io.per4m.perf.ParseReport;

/** How much input a conversion read; {@code lostEvents} is what perf itself reported as lost while recording. */
public record InputFigures(long lines, long badLines, long events, long lostEvents) {
    public static InputFigures of(ParseReport report, long lostEvents) {
        return new InputFigures(report.lines(), report.badLines(), report.events(), lostEvents);
    }
}
