package io.per4m.trace;

import io.per4m.gil.GilSummary;
import io.per4m.gil.LatencyFigures;
import io.per4m.gil.ProcessGilFigures;
import io.per4m.gil.ThreadGilFigures;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTableTest {
    private static List<String> print(GilSummary summary) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        SummaryTable.print(summary, out);
        out.flush();
        return text.toString().lines().toList();
    }

    private static List<String> cells(String row) {
        return List.of(row.trim().split("\\s{2,}|\\s(?=\\*)|(?<=\\*)\\s"));
    }

    @Test
    void threadRowsMainFirstWithHandComputedPercentages() {
        List<String> lines = print(Summaries.threeThreads());
        int header = 2;
        assertTrue(lines.get(header).contains("tid") && lines.get(header).contains("GIL wait%")
                && lines.get(header).contains("hand-over%"), lines.get(header));
        // 1 s: 680 ms without, 250 ms with, 50 ms waiting, 20 ms handing over
        assertEquals("100 * MainThread 1000000.000 68.00 25.00 5.00 2.00",
                lines.get(header + 2).trim().replaceAll("\\s+", " "));
        // 500 ms: 200 without, 300 with, none waiting or handing over
        assertEquals("101 worker 1 500000.000 40.00 60.00 0.00 0.00",
                lines.get(header + 3).trim().replaceAll("\\s+", " "));
        // 400 ms: 250.8 without, 100 with, 41.2 waiting, 8 handing over
        assertEquals("102 worker 2 400000.000 62.70 25.00 10.30 2.00",
                lines.get(header + 4).trim().replaceAll("\\s+", " "));
        // columns line up: every row as long as the header
        assertEquals(lines.get(header).length(), lines.get(header + 2).length());
        assertEquals(lines.get(header).length(), lines.get(header + 4).length());
    }

    @Test
    void processFiguresBlameHandoffAnomaliesAndLegend() {
        List<String> lines = print(Summaries.threeThreads());
        String all = String.join("\n", lines);
        assertTrue(all.contains("1.00 s recorded, the GIL was held 65.00% of the time, someone waited for it 9.12%"
                + " (1234 GIL events)"), all);
        assertTrue(all.contains("  worker 2 waited 41.2 ms while worker 1 held the GIL"), all);
        assertTrue(all.contains("  MainThread waited 30.0 ms while worker 1 held the GIL"), all);
        assertTrue(all.contains("  MainThread waited 20.0 ms while worker 2 held the GIL"), all);
        assertTrue(all.contains("  MainThread waited 10.0 ms while the GIL was being handed over (nobody held it)"),
                all);
        assertTrue(all.contains("  worker 1 waited 5.0 us while MainThread held the GIL"), all);
        assertFalse(all.contains("worker 2 waited 4.0 us"), "only the top 5 blame pairs: " + all);
        assertTrue(all.contains("(50 hand-offs): p50 5.2 us, p90 10.1 us, p99 50.3 us, max 120.0 us"), all);
        assertTrue(all.contains("take_without_return 3"), all);
        assertFalse(all.contains("drop_without_take"), "zero counts are no anomaly: " + all);
        assertEquals(SummaryTable.LEGEND, lines.get(lines.size() - 1));
    }

    @Test
    void emptySummaryPrintsNoBlameNoLatency() {
        GilSummary empty = new GilSummary(List.of(), new ProcessGilFigures(0, 0, 0, 0), List.of(),
                LatencyFigures.EMPTY, Map.of());
        String all = String.join("\n", print(empty));
        assertFalse(all.contains("held the GIL"), all);
        assertFalse(all.contains("hand-off"), all);
        assertFalse(all.contains("Anomalies"), all);
        assertTrue(all.contains("0.00% of the time"), all);
    }

    @Test
    void hostileOrLongNamesCannotReachTheTerminal() {
        ThreadGilFigures t = new ThreadGilFigures(1, 2, "\u001b[31mred\u0007 and a very long thread name indeed",
                false, 0, 10, 10, 5, 0, 0, 5, 0, 1, 0);
        GilSummary summary = new GilSummary(List.of(t), new ProcessGilFigures(10, 5, 0, 2), List.of(),
                LatencyFigures.EMPTY, Map.of());
        String all = String.join("\n", print(summary));
        assertFalse(all.contains("\u001b"), all);
        assertFalse(all.contains("\u0007"), all);
        assertTrue(all.contains("?[31mred? and a very long thr..."), all);
    }

    @Test
    void durationsForPeople() {
        assertEquals("812.5 us", SummaryTable.duration(812_500));
        assertEquals("41.2 ms", SummaryTable.duration(41_200_000));
        assertEquals("3.27 s", SummaryTable.duration(3_270_000_000L));
    }
}
