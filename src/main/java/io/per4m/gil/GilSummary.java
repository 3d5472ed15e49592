package io.per4m.gil;

import java.util.List;
import java.util.Map;

/**
 * Everything the GIL analysis concludes about one recording.
 *
 * @param threads   per-thread figures, in order of first appearance
 * @param process   process-wide figures
 * @param blame     blame pairs, largest first
 * @param handoff   hand-off latency distribution
 * @param anomalies counts of resynchronised pairing problems by kind (e.g. "take_without_return"); never null
 */
public record GilSummary(List<ThreadGilFigures> threads, ProcessGilFigures process, List<BlameEntry> blame,
                         LatencyFigures handoff, Map<String, Long> anomalies) {
}
