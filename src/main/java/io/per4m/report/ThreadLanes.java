package io.per4m.report;

import java.util.List;

/**
 * Everything drawn for one thread.
 *
 * @param gil      GIL slices; kind {@link ReportData#GIL_HELD}, {@link ReportData#GIL_WAIT} or
 *                 {@link ReportData#GIL_HANDOVER}
 * @param state    process state slices; kind indexes {@link ReportData#STATE_LABELS}
 * @param calls    Python call stack, one row per depth; kind indexes {@link ReportData#strings()}
 * @param counters counter tracks recorded for this thread
 */
public record ThreadLanes(int pid, int tid, String name, boolean main, Row gil, Row state, List<Row> calls,
                          List<CounterTrack> counters) {
    public long eventCount() {
        long n = gil.size() + state.size();
        for (Row row : calls) {
            n += row.size();
        }
        for (CounterTrack c : counters) {
            n += c.time().length;
        }
        return n;
    }
}
