package io.per4m.trace;

import io.per4m.gil.BlameEntry;
import io.per4m.gil.GilSummary;
import io.per4m.gil.LatencyFigures;
import io.per4m.gil.ProcessGilFigures;
import io.per4m.gil.ThreadGilFigures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-made summary with round figures, so expected table and JSON values can be worked out by hand. */
final class Summaries {
    static final long MS = 1_000_000;

    private Summaries() {
    }

    static GilSummary threeThreads() {
        // total = held + wait + hand-over + no GIL
        ThreadGilFigures worker1 = new ThreadGilFigures(100, 101, "worker 1", false, 0, 500 * MS, 500 * MS,
                300 * MS, 0, 0, 200 * MS, 0, 40, 0);
        ThreadGilFigures main = new ThreadGilFigures(100, 100, "MainThread", true, 0, 1000 * MS, 1000 * MS,
                250 * MS, 50 * MS, 20 * MS, 680 * MS, 10, 20, 19);
        ThreadGilFigures worker2 = new ThreadGilFigures(100, 102, "worker 2", false, 0, 400 * MS, 400 * MS,
                100 * MS, 41_200_000, 8 * MS, 250_800_000, 12, 30, 29);
        Map<String, Long> anomalies = new LinkedHashMap<>();
        anomalies.put("take_without_return", 3L);
        anomalies.put("drop_without_take", 0L);
        return new GilSummary(List.of(worker1, main, worker2),
                new ProcessGilFigures(1000 * MS, 650 * MS, 91_200_000, 1234),
                List.of(new BlameEntry(102, 101, 41_200_000), new BlameEntry(100, 101, 30 * MS),
                        new BlameEntry(100, 102, 20 * MS), new BlameEntry(100, BlameEntry.HANDOVER, 10 * MS),
                        new BlameEntry(101, 100, 5_000),
                        new BlameEntry(102, 100, 4_000), new BlameEntry(101, 102, 3)),
                new LatencyFigures(50, 5_200, 10_100, 50_300, 120_000), anomalies);
    }
}
