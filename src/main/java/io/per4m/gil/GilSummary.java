package io.per4m.gil;

import java.util.List;
import java.util.Map;

/**
 * Everything the GIL analysis concludes about one recording.
 *
 * @param threads   per-thread figures, in order of first appearance
 * @param process   figures of the traced process (the first whose GIL events were read)
 * @param processes figures of every process with GIL events, the traced one first (children have GILs of their own)
 * @param blame     blame pairs, largest first
 * @param handoff   hand-off latency distribution
 * @param anomalies counts of resynchronised pairing problems by kind (e.g. "take_without_return"); never null
 */
public record GilSummary(List<ThreadGilFigures> threads, ProcessGilFigures process, List<ProcessGilFigures> processes,
                         List<BlameEntry> blame, LatencyFigures handoff, Map<String, Long> anomalies) {
    /** A recording of one process. */
    public GilSummary(List<ThreadGilFigures> threads, ProcessGilFigures process, List<BlameEntry> blame,
                      LatencyFigures handoff, Map<String, Long> anomalies) {
        this(threads, process, List.of(process), blame, handoff, anomalies);
    }
}
