package io.per4m.perf.data;

import io.per4m.perf.ParseReport;
import io.per4m.perf.PerfEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's warm-up recording (io/per4m/report/warmup/perf.data.gz) is a giltracer recording (perf record -p,
 * GIL probes, sched tracepoints, two software counters; see fixtures/README.md); fixtures/warmup.perf-script.txt is
 * what perf script printed for it. The reader must
 * give, event by event, what the text parser gets from perf's own rendering.
 */
class PerfDataReaderTest {
    @TempDir
    Path tmp;

    private Path recording() throws IOException {
        Path out = tmp.resolve("warmup.perf.data");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/io/per4m/report/warmup/perf.data.gz"))) {
            Files.copy(in, out);
        }
        return out;
    }

    private List<PerfEvent> perfScriptEvents() throws IOException {
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/fixtures/warmup.perf-script.txt.gz"))) {
            return PerfRoutes.fromText(in);
        }
    }

    @Test
    void everyEventEqualsPerfScriptsRendering() throws IOException {
        List<PerfEvent> expected = perfScriptEvents();
        List<PerfEvent> actual = PerfRoutes.fromData(List.of(recording()));
        PerfRoutes.assertSameEvents(expected, actual, true);
    }

    @Test
    void countsPerEventAsPerfReportStatsGives() throws IOException {
        // perf report --stats -i warmup.perf.data: 193 samples of each GIL probe, 457 sched_switch,
        // 50 sched_wakeup, 334 sched_waking, 21 page-faults, 285 context-switches
        Map<String, Long> counts = PerfRoutes.fromData(List.of(recording())).stream()
                .collect(Collectors.groupingBy(PerfEvent::name, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("python:take_gil", 193L, "python:take_gil__return", 193L, "python:drop_gil", 193L,
                "python:drop_gil__return", 193L, "sched:sched_switch", 457L, "sched:sched_wakeup", 50L,
                "sched:sched_waking", 334L, "page-faults", 21L, "context-switches", 285L), counts);
    }

    @Test
    void eventsComeInTimeOrderAndTheReportCountsThem() throws IOException {
        PerfDataReader reader = new PerfDataReader(List.of(recording()));
        long[] last = {Long.MIN_VALUE};
        ParseReport report = reader.readInto(e -> {
            assertTrue(e.timeNs() >= last[0], "out of order at " + e);
            last[0] = e.timeNs();
        });
        assertEquals(1919, report.events());
        // perf report --stats: 1954 records in all
        assertEquals(1954, report.lines());
        assertEquals(0, report.badLines());
        assertEquals(0, reader.lostEvents());
    }

    @Test
    void notAPerfDataFileIsOneClearError() throws IOException {
        Path text = tmp.resolve("perf.txt");
        Files.writeString(text, "python 1/1 [000] 1.000000000: python:take_gil: (7f)\n".repeat(10));
        PerfDataException e = assertThrows(PerfDataException.class,
                () -> new PerfDataReader(List.of(text)).readInto(ev -> { }));
        assertTrue(e.getMessage().contains("not a perf.data file"), e.getMessage());
    }

    @Test
    void aFileCutShortIsOneClearError() throws IOException {
        Path whole = recording();
        Path cut = tmp.resolve("cut.data");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        PerfDataException e = assertThrows(PerfDataException.class,
                () -> new PerfDataReader(List.of(cut)).readInto(ev -> { }));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
