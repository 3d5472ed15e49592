package io.per4m.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.per4m.UserError;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole conversion on a real recording (perf GIL probes and viztracer on the same run, see
 * fixtures/README-trace.md). Expected figures come from trace_merge_figures.py, not from the engine.
 */
class PerfToTraceEndToEndTest {
    @TempDir
    Path dir;

    private PerfToTrace.Result convert(PerfToTrace.Options options) throws IOException {
        try (InputStream in = Fixtures.open(Fixtures.MERGE_PERF)) {
            return new PerfToTrace().run(in, Fixtures.MERGE_PERF, options);
        }
    }

    private PerfToTrace.Options options(Path viztracer, long offsetNs) {
        return new PerfToTrace.Options(PerfToTrace.Mode.GIL, viztracer, dir.resolve("out.json"), null,
                new ClockAlignment(offsetNs), 0);
    }

    /** Sum of slice durations (e.ts - b.ts) in µs, exactly, per tid and slice name. */
    private static Map<String, BigDecimal> sliceSums(JsonNode trace) {
        Map<String, BigDecimal> open = new HashMap<>();
        Map<String, BigDecimal> sums = new HashMap<>();
        for (JsonNode e : TraceJson.events(trace)) {
            String key = e.path("tid").asText() + " " + e.path("name").asText();
            switch (e.path("ph").asText()) {
                case "b" -> open.put(key, e.get("ts").decimalValue());
                case "e" -> sums.merge(key, e.get("ts").decimalValue().subtract(open.remove(key)), BigDecimal::add);
                default -> {
                }
            }
        }
        return sums;
    }

    private static JsonNode thread(JsonNode summary, int tid) {
        for (JsonNode t : summary.get("threads")) {
            if (t.get("tid").intValue() == tid) {
                return t;
            }
        }
        throw new AssertionError("no thread " + tid + " in " + summary);
    }

    @Test
    void mergedTraceKeepsViztracerEventsAndTakesItsThreadNames() throws Exception {
        PerfToTrace.Result result = convert(options(Fixtures.path(Fixtures.MERGE_VIZTRACER), 0));
        JsonNode trace = TraceJson.read(dir.resolve("out.json"));
        JsonNode viztracer = TraceJson.read(Fixtures.path(Fixtures.MERGE_VIZTRACER));

        List<JsonNode> notOurs = TraceJson.events(trace).stream().filter(e -> !e.path("cat").asText().equals("gil"))
                .toList();
        assertEquals(TraceJson.events(viztracer), notOurs, "viztracer's events unchanged, none of ours unnamed");
        Map<Integer, Integer> threadNames = new HashMap<>();
        TraceJson.events(trace, "M").stream().filter(e -> e.get("name").asText().equals("thread_name"))
                .forEach(e -> threadNames.merge(e.get("tid").intValue(), 1, Integer::sum));
        assertEquals(Map.of(Fixtures.PID, 1, Fixtures.WORKER_0, 1, Fixtures.WORKER_1, 1), threadNames,
                "one name per OS thread");
        TraceJson.assertBalancedAsyncPairs(trace);
        TraceJson.events(trace, "b").forEach(e -> assertEquals(Fixtures.PID, e.get("pid").intValue()));

        Map<String, BigDecimal> sums = sliceSums(trace);
        TraceJson.assertDecimal("14023.182", json(sums.get(Fixtures.WORKER_0 + " GIL wait")));
        TraceJson.assertDecimal("29683.820", json(sums.get(Fixtures.WORKER_0 + " GIL held")));
        TraceJson.assertDecimal("4970.844", json(sums.get(Fixtures.WORKER_0 + " GIL hand-over")));
        TraceJson.assertDecimal("15332.729", json(sums.get(Fixtures.WORKER_1 + " GIL wait")));
        TraceJson.assertDecimal("33968.597", json(sums.get(Fixtures.WORKER_1 + " GIL held")));
        TraceJson.assertDecimal("2061.063", json(sums.get(Fixtures.WORKER_1 + " GIL hand-over")));

        JsonNode summary = trace.get("per4m");
        JsonNode first = summary.get("threads").get(0);
        assertEquals(Fixtures.PID, first.get("tid").intValue());
        assertEquals("MainThread", first.get("name").asText());
        assertTrue(first.get("main").booleanValue());
        TraceJson.assertDecimal("114996.478", first.get("total_us"));
        TraceJson.assertDecimal("24092.574", first.get("wait_us"));
        TraceJson.assertDecimal("40464.715", first.get("held_us"));
        TraceJson.assertDecimal("944.247", first.get("handover_us"));
        JsonNode w0 = thread(summary, Fixtures.WORKER_0);
        assertEquals("worker 0", w0.get("name").asText());
        TraceJson.assertDecimal("53749.430", w0.get("total_us"));
        TraceJson.assertDecimal("14023.182", w0.get("wait_us"));
        TraceJson.assertDecimal("29683.820", w0.get("held_us"));
        TraceJson.assertDecimal("4970.844", w0.get("handover_us"));
        TraceJson.assertDecimal("5071.584", w0.get("no_gil_us"));
        assertEquals(7, w0.get("wait_count").intValue());
        assertEquals(7, w0.get("hold_count").intValue());
        JsonNode w1 = thread(summary, Fixtures.WORKER_1);
        assertEquals("worker 1", w1.get("name").asText());
        TraceJson.assertDecimal("56439.698", w1.get("total_us"));
        TraceJson.assertDecimal("15332.729", w1.get("wait_us"));
        TraceJson.assertDecimal("33968.597", w1.get("held_us"));
        TraceJson.assertDecimal("2061.063", w1.get("handover_us"));
        assertEquals(7270, summary.get("input").get("lines").intValue());
        assertEquals(0, summary.get("input").get("bad_lines").intValue());
        assertEquals(7270, summary.get("input").get("events").intValue());
        assertEquals(7270, summary.get("process").get("gil_events").intValue());

        assertEquals("ns", trace.get("displayTimeUnit").asText());
        assertEquals("1.1.1", trace.get("viztracer_metadata").get("version").asText());
        assertEquals("per4m", trace.get("viztracer_metadata").get("producer").asText());
        assertEquals(viztracer.get("file_info"), trace.get("file_info"));
        assertEquals(List.of("traceEvents", "displayTimeUnit", "file_info", "viztracer_metadata", "per4m"),
                fieldNames(trace), "per4m last: it is known only after the pass");

        assertEquals("worker 0", result.summary().threads().stream().filter(t -> t.tid() == Fixtures.WORKER_0)
                .findFirst().orElseThrow().name());
        assertEquals(1805 + 1804 + 1804 + 1 + 7 + 7 + 7 + 6 + 6 + 6, result.gilIntervals(),
                "every wait, hold and hand-over once, plus the open hold of the main thread at the end");
    }

    @Test
    void outputGetsTheUsualPermissionsAndNoPartialFileStays() throws Exception {
        convert(options(null, 0));
        Path reference = Files.createFile(dir.resolve("reference"));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(dir.resolve("out.json")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }

    @Test
    void withoutViztracerThreadsAreNamedByPerfComm() throws Exception {
        convert(options(null, 0));
        JsonNode trace = TraceJson.read(dir.resolve("out.json"));
        Map<Integer, String> names = new HashMap<>();
        List<String> processNames = new ArrayList<>();
        for (JsonNode m : TraceJson.events(trace, "M")) {
            if (m.get("name").asText().equals("thread_name")) {
                names.put(m.get("tid").intValue(), m.get("args").get("name").asText());
            } else {
                processNames.add(m.get("pid").intValue() + " " + m.get("args").get("name").asText());
            }
        }
        assertEquals(Map.of(Fixtures.PID, "python", Fixtures.WORKER_0, "python", Fixtures.WORKER_1, "python"), names);
        assertEquals(List.of(Fixtures.PID + " python"), processNames);
        assertEquals(ViztracerMetadata.VIZTRACER_VERSION, trace.get("viztracer_metadata").get("version").asText());
        assertEquals("python", thread(trace.get("per4m"), Fixtures.WORKER_0).get("name").asText());
    }

    @Test
    void clockOffsetShiftsEverySliceExactly() throws Exception {
        convert(options(null, 0));
        List<JsonNode> plain = TraceJson.events(TraceJson.read(dir.resolve("out.json")), "b");
        long offset = -6_436_000_000_123L;
        convert(options(null, offset));
        List<JsonNode> shifted = TraceJson.events(TraceJson.read(dir.resolve("out.json")), "b");
        assertEquals(plain.size(), shifted.size());
        BigDecimal offsetUs = new BigDecimal(offset).movePointLeft(3);
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(0, plain.get(i).get("ts").decimalValue().add(offsetUs)
                    .compareTo(shifted.get(i).get("ts").decimalValue()), plain.get(i) + " vs " + shifted.get(i));
        }
    }

    @Test
    void badLinesAreCountedAndSkippedWithoutChangingFigures() throws Exception {
        List<String> lines = new ArrayList<>(Fixtures.lines(Fixtures.MERGE_PERF));
        lines.add(100, "this is not perf script output");
        lines.add(2000, "          python  3538/3538  [000]  garbage");
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        PerfToTrace.Result result = new PerfToTrace().run(new ByteArrayInputStream(input), null, options(null, 0));
        assertEquals(2, result.report().badLines());
        assertEquals(101, result.report().firstBadLines().get(0).lineNumber());
        assertEquals(7270, result.report().events());
        JsonNode w0 = thread(TraceJson.read(dir.resolve("out.json")).get("per4m"), Fixtures.WORKER_0);
        TraceJson.assertDecimal("14023.182", w0.get("wait_us"));
        assertEquals(2, TraceJson.read(dir.resolve("out.json")).get("per4m").get("input").get("bad_lines").intValue());
    }

    @Test
    void gilModeWithoutGilEventsIsAOneLineErrorAndWritesNothing() {
        byte[] sched = """
                      python3.11  6170/6170  [001]  4449.503924712: sched:sched_switch: prev_comm=python3.11 prev_pid=6170 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120
                """.getBytes(StandardCharsets.UTF_8);
        UserError error = assertThrows(UserError.class, () ->
                new PerfToTrace().run(new ByteArrayInputStream(sched), null, options(null, 0)));
        assertTrue(error.getMessage().contains("perf record -e 'python:*' -k CLOCK_MONOTONIC"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
        assertFalse(Files.exists(dir.resolve("out.json")));
    }

    @Test
    void otherProbeGroupGivesNoGilEvents() {
        PerfToTrace.Options other = new PerfToTrace.Options(PerfToTrace.Mode.GIL, null, dir.resolve("out.json"),
                "python", ClockAlignment.NONE, 0);
        UserError error = assertThrows(UserError.class, () -> convert(other));
        assertTrue(error.getMessage().contains("group 'python'"), error.getMessage());
    }

    @Test
    void schedModeWritesStateSlices() throws Exception {
        Assumptions.assumeTrue(Fixtures.exists("sched_fields.txt"), "the sched fixture of the parser work");
        try (InputStream in = Fixtures.open("sched_fields.txt")) {
            PerfToTrace.Result result = new PerfToTrace().run(in, null, new PerfToTrace.Options(PerfToTrace.Mode.SCHED,
                    null, dir.resolve("out.json"), null, ClockAlignment.NONE, 0));
            assertTrue(result.stateIntervals() > 0);
        }
        JsonNode trace = TraceJson.read(dir.resolve("out.json"));
        TraceJson.assertBalancedAsyncPairs(trace);
        Set<String> names = Set.of("running", "R", "R+", "S", "D", "S(GIL)", "other");
        List<JsonNode> begins = TraceJson.events(trace, "b");
        assertFalse(begins.isEmpty());
        for (JsonNode b : begins) {
            assertEquals("state", b.get("cat").asText());
            assertTrue(names.contains(b.get("name").asText()), b.toString());
            assertEquals("state-" + b.get("tid").intValue(), b.get("id").asText());
        }
    }

    @Test
    void viztracerCombineAcceptsTheOutput() throws Exception {
        // the project venv made by scripts/bootstrap.sh has viztracer
        Path viztracer = Path.of(System.getProperty("per4m.test.python", ".venv/bin/python")).resolveSibling("viztracer");
        Assumptions.assumeTrue(Files.isExecutable(viztracer), "no viztracer next to the test Python: run scripts/bootstrap.sh");
        convert(options(null, 0));
        Path combined = dir.resolve("combined.json");
        Process process = new ProcessBuilder(viztracer.toString(), "--combine", dir.resolve("out.json").toString(),
                Fixtures.path(Fixtures.MERGE_VIZTRACER).toString(), "-o", combined.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("combine.log").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("combine.log")));
        JsonNode result = TraceJson.read(combined);
        assertEquals(TraceJson.events(TraceJson.read(dir.resolve("out.json"))).size()
                + TraceJson.events(TraceJson.read(Fixtures.path(Fixtures.MERGE_VIZTRACER))).size(),
                TraceJson.events(result).size());
    }

    private static JsonNode json(BigDecimal value) {
        return TraceJson.MAPPER.getNodeFactory().numberNode(value);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void hiddenThreadsAreLeftOutAndTheOthersKeepTheirFigures() throws Exception {
        PerfToTrace.Options hidden = new PerfToTrace.Options(PerfToTrace.Mode.GIL, null, dir.resolve("out.json"), null,
                ClockAlignment.NONE, 0, java.util.Set.of(Fixtures.WORKER_1));
        convert(hidden);
        JsonNode trace = TraceJson.read(dir.resolve("out.json"));
        TraceJson.events(trace, "b").forEach(e -> assertTrue(e.get("tid").intValue() != Fixtures.WORKER_1));
        for (JsonNode t : trace.get("per4m").get("threads")) {
            assertTrue(t.get("tid").intValue() != Fixtures.WORKER_1, "hidden thread in the summary");
        }
        // worker 0's own waits and holds do not depend on worker 1's events (same figures as the test above)
        Map<String, BigDecimal> sums = sliceSums(trace);
        TraceJson.assertDecimal("14023.182", json(sums.get(Fixtures.WORKER_0 + " GIL wait")));
        TraceJson.assertDecimal("29683.820", json(sums.get(Fixtures.WORKER_0 + " GIL held")));
    }
}
