package io.per4m.gil;

import io.per4m.perf.PerfEventSink;
import io.per4m.perf.PerfScriptParser;
import io.per4m.perf.data.PerfDataReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GIL is a mutex: on every real recording the test suite has, per process, the holds of its threads add up
 * to at most the process's span (+0.5 %), no two holds of one process overlap, and each waiter's blame adds up to
 * no more than its wait.
 */
class GilMutexInvariantTest {
    @TempDir
    Path dir;

    private GilEvents analyse(String resource) throws IOException {
        GilEvents ev = new GilEvents();
        if (resource.endsWith("perf.data.gz")) {
            Path file = dir.resolve("perf.data");
            try (InputStream in = open(resource)) {
                Files.copy(in, file);
            }
            new PerfDataReader(List.of(file)).readInto(ev.analyzer);
        } else {
            try (InputStream in = open(resource)) {
                new PerfScriptParser().parse(in, (PerfEventSink) ev.analyzer);
            }
        }
        return ev;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = GilMutexInvariantTest.class.getResourceAsStream(resource);
        assertNotNull(in, "missing " + resource);
        return resource.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fixtures/gil-two-threads.txt", "/fixtures/gil_ns.txt.gz", "/fixtures/gil_ns_nospace.txt.gz",
            "/fixtures/gil_ns_pid.txt.gz", "/fixtures/gil_us.txt.gz", "/fixtures/gil_sched_callchain.txt.gz",
            "/fixtures/trace_merge_perf.txt.gz", "/fixtures/offgil_dwarf.txt",
            "/fixtures/warmup.perf-script.txt.gz", "/io/per4m/report/warmup/perf.data.gz"})
    void holdsOfOneProcessNeverOverlap(String resource) throws IOException {
        GilEvents ev = analyse(resource);
        GilSummary s = ev.analyzer.summary();
        assertTrue(ev.analyzer.sawGilEvents(), resource);
        for (ProcessGilFigures p : s.processes()) {
            long held = s.threads().stream().filter(t -> t.pid() == p.pid()).mapToLong(ThreadGilFigures::heldNs).sum();
            assertTrue(held <= p.spanNs() * 1.005, resource + ": pid " + p.pid() + " held " + held + " ns in a span of "
                    + p.spanNs());
            assertEquals(held, p.heldByAnyNs(), resource + ": holds that do not overlap add up to the time held by any");
        }
        assertEquals(0, s.anomalies().getOrDefault("overlapping_holds", 0L), resource + ": " + s.anomalies());
        // the intervals themselves: per process, each hold starts at or after the previous one's end
        Map<Integer, Long> lastHoldEnd = new HashMap<>();
        ev.intervals.stream().filter(i -> i.state() == GilState.HELD)
                .sorted((a, b) -> Long.compare(a.startNs(), b.startNs()))
                .forEach(i -> {
                    assertTrue(i.startNs() >= lastHoldEnd.getOrDefault(i.pid(), Long.MIN_VALUE), resource + ": " + i);
                    lastHoldEnd.put(i.pid(), i.endNs());
                });
        Map<Integer, Long> blamed = new HashMap<>();
        s.blame().forEach(b -> blamed.merge(b.waiterTid(), b.ns(), Long::sum));
        for (ThreadGilFigures t : s.threads()) {
            assertTrue(blamed.getOrDefault(t.tid(), 0L) <= t.waitNs(), resource + ": tid " + t.tid());
        }
    }
}
