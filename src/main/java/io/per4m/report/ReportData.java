package io.per4m.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.per4m.gil.GilState;

import java.util.List;

/**
 * What the report page shows, in columnar form.
 *
 * @param title          page title (usually the traced process' name)
 * @param originUs       absolute trace time (µs, trace clock) that relative time 0 stands for
 * @param spanNs         relative time of the last slice end
 * @param threads        lanes per thread, main thread first
 * @param strings        string table for call names
 * @param summary        the summary JSON (the trace's "per4m" key, or computed from the lanes)
 * @param summaryFromTrace whether {@code summary} came from the engine (false: derived by the report)
 */
public record ReportData(String title, double originUs, long spanNs, List<ThreadLanes> threads, List<String> strings,
                         JsonNode summary, boolean summaryFromTrace) {
    /** Labels of process states, in the order their kind indexes refer to. */
    public static final List<String> STATE_LABELS = List.of("running", "R", "R+", "S", "D", "S(GIL)", "other");
    public static final int GIL_HELD = 0;
    public static final int GIL_WAIT = 1;
    public static final int GIL_HANDOVER = 2;

    /** The kind index of a GIL state's slices (the page's scripts use the same numbers). */
    public static int gilKind(GilState state) {
        return switch (state) {
            case HELD -> GIL_HELD;
            case WAIT -> GIL_WAIT;
            case HANDOVER -> GIL_HANDOVER;
        };
    }

    /** The kind index of a GIL slice named {@code label} in a trace, -1 if it names no GIL state. */
    public static int gilKind(String label) {
        for (GilState state : GilState.values()) {
            if (state.label().equals(label)) {
                return gilKind(state);
            }
        }
        return -1;
    }

    public long eventCount() {
        return threads.stream().mapToLong(ThreadLanes::eventCount).sum();
    }
}
