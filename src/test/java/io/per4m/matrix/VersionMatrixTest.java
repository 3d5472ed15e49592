package io.per4m.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.cli.CliRun;
import io.per4m.probes.CommandRunner;
import io.per4m.probes.SystemFacts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.per4m.files.FileTrees;

import static org.junit.jupiter.api.Assertions.*;

/**
 * giltracer end to end, with real perf, on every CPython this machine has among pyenv's 3.8–3.13 and the system's
 * python3.11 (stripped on Debian: probed where the locator finds the code): the threads get the names the program
 * gave them, the figures are plausible, and a clean run has no anomalies. An interpreter that is not there is
 * reported as skipped, with the reason.
 */
class VersionMatrixTest {
    private static final int SPINNERS = 3;
    /** The same fixed work for each thread: each holds the GIL for about as long, whoever the scheduler favours. */
    private static final String SPINNING = """
            import threading
            def spin():
                x = 0
                for i in range(1500000):
                    x += i
            ts = [threading.Thread(target=spin, name="spin-%d" % i) for i in range(%d)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            """.replace("%d)]", SPINNERS + ")]");

    @TestFactory
    Stream<DynamicTest> everyInterpreter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Interpreters.Interpreter interpreter : Interpreters.all()) {
            tests.add(DynamicTest.dynamicTest(interpreter + ": " + SPINNERS + " spinning threads share the held time",
                    () -> spinnersShareTheGil(interpreter)));
            tests.add(DynamicTest.dynamicTest(interpreter + ": the io example hands the GIL over",
                    () -> ioHandsOff(interpreter)));
        }
        return tests.stream();
    }

    private static Path assumeReady(Interpreters.Interpreter interpreter) {
        Assumptions.assumeTrue(interpreter.python().isPresent(), interpreter.absent());
        Assumptions.assumeTrue(new SystemFacts(new CommandRunner()).isRoot(), "recording GIL probes needs root");
        Assumptions.assumeTrue(new CommandRunner().run(List.of("perf", "--version"), java.time.Duration.ofSeconds(20)).ok(),
                "perf is not installed");
        return interpreter.python().get();
    }

    private static JsonNode giltracer(Path python, Path dir, String... target) throws IOException {
        List<String> args = new ArrayList<>(List.of("giltracer", "-q", "--no-viztracer", "--python", python.toString(),
                "-o", dir.resolve("run").toString()));
        args.addAll(List.of(target));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(dir.resolve("run.summary.json").toFile());
    }

    private static void spinnersShareTheGil(Interpreters.Interpreter interpreter) throws IOException {
        Path python = assumeReady(interpreter);
        Path dir = Files.createTempDirectory("per4m-matrix-");
        try {
            Path script = Files.writeString(dir.resolve("spin.py"), SPINNING);
            JsonNode summary = giltracer(python, dir, script.toString());
            List<JsonNode> spinners = new ArrayList<>();
            summary.get("threads").forEach(t -> {
                if (t.get("name").asText().startsWith("spin-")) {
                    spinners.add(t);
                }
            });
            assertEquals(SPINNERS, spinners.size(), "threads named by the program: " + summary.get("threads"));
            double held = spinners.stream().mapToDouble(t -> t.get("held_us").asDouble()).sum();
            double allHeld = 0;
            for (JsonNode t : summary.get("threads")) {
                allHeld += t.get("held_us").asDouble();
            }
            assertTrue(allHeld <= summary.at("/process/span_us").asDouble() * 1.001, "one holder at a time: " + summary.get("process"));
            // a stripped build (Debian's) is probed where the locator found take_gil and the release stores
            assertEquals(interpreter.label().startsWith("system") ? "located" : "symbols",
                    summary.at("/gil_probes/method").asText().replaceAll(":.*", ""), summary.get("gil_probes").toString());
            for (JsonNode t : spinners) {
                double share = t.get("held_us").asDouble() / held;
                assertEquals(1.0 / SPINNERS, share, 0.15, t.get("name").asText() + " held " + share + " of the held time");
            }
            assertEquals(0, anomalies(summary, "take_without_return"), summary.get("anomalies").toString());
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    private static void ioHandsOff(Interpreters.Interpreter interpreter) throws IOException {
        Path python = assumeReady(interpreter);
        Path dir = Files.createTempDirectory("per4m-matrix-");
        try {
            // -m per4m.examples...: per4m is not installed in these interpreters' environments, giltracer carries it
            JsonNode summary = giltracer(python, dir, "-m", "per4m.examples.io_release");
            assertTrue(summary.at("/handoff/count").asLong() > 0, summary.get("handoff").toString());
            // every re-take after I/O must have its return (3.8 re-takes through take_gil.constprop.0: without its
            // return probe every one of the hundreds of re-takes would lack it); one may be cut at each edge of the
            // recording, where the runner's own writes of "enable" and "disable" release and re-take the GIL while
            // perf turns its events on or off one after another
            assertTrue(anomalies(summary, "take_without_return") <= 2, summary.get("anomalies").toString());
            List<String> names = new ArrayList<>();
            summary.get("threads").forEach(t -> names.add(t.get("name").asText()));
            assertTrue(names.contains("MainThread"), names.toString());
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    private static long anomalies(JsonNode summary, String kind) {
        return summary.path("anomalies").path(kind).asLong(0);
    }
}
