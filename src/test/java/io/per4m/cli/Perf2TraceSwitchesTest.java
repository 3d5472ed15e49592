package io.per4m.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** perf2trace's switches of per4m 0.1, and its type taken from the events present. */
class Perf2TraceSwitchesTest {
    private static final Pattern SCHED_HEADER = Pattern.compile("^\\S.* sched:[a-z_]+: ");

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(Perf2TraceSwitchesTest.class.getResource("/fixtures/" + name).toURI());
    }

    private static List<JsonNode> convert(Path dir, String... args) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".json");
        String[] command = new String[args.length + 3];
        command[0] = "perf2trace";
        System.arraycopy(args, 0, command, 1, args.length);
        command[args.length + 1] = "-o";
        command[args.length + 2] = out.toString();
        CliRun run = CliRun.of(command);
        assertEquals(0, run.exitCode(), run.err());
        JsonNode events = new ObjectMapper().readTree(out.toFile()).path("traceEvents");
        return StreamSupport.stream(events.spliterator(), false).toList();
    }

    /** Begin events by category and name. */
    private static Map<String, Long> slices(List<JsonNode> events) {
        Map<String, Long> counts = new TreeMap<>();
        events.stream().filter(e -> e.path("ph").asText().equals("b"))
                .forEach(e -> counts.merge(e.path("cat").asText() + "/" + e.path("name").asText(), 1L, Long::sum));
        return counts;
    }

    @Test
    void withoutATypeTheRecordingDecides(@TempDir Path dir) throws Exception {
        Map<String, Long> sched = slices(convert(dir, fixture("sched-sleep.txt").toString()));
        assertEquals(slices(convert(dir, "sched", fixture("sched-sleep.txt").toString())), sched);
        assertTrue(sched.keySet().stream().allMatch(k -> k.startsWith("state/")), sched.toString());

        Map<String, Long> gil = slices(convert(dir, fixture("gil-two-threads.txt").toString()));
        assertEquals(slices(convert(dir, "gil", fixture("gil-two-threads.txt").toString())), gil);
        assertEquals(Set.of("gil/GIL held", "gil/GIL wait", "gil/GIL hand-over"), gil.keySet());
    }

    @Test
    void runningAndSleepingSlicesCanBeLeftOut(@TempDir Path dir) throws Exception {
        Map<String, Long> all = slices(convert(dir, "sched", fixture("sched-sleep.txt").toString()));
        assertTrue(all.containsKey("state/running") && all.containsKey("state/S"), all.toString());

        Map<String, Long> noRunning = slices(convert(dir, "sched", "--no-running", fixture("sched-sleep.txt").toString()));
        Map<String, Long> expected = new TreeMap<>(all);
        expected.remove("state/running");
        assertEquals(expected, noRunning);

        Map<String, Long> noSleeping = slices(convert(dir, "--running", "--no-sleeping", fixture("sched-sleep.txt").toString()));
        expected = new TreeMap<>(all);
        List.of("state/S", "state/S(GIL)", "state/D").forEach(expected::remove);
        assertEquals(expected, noSleeping);

        // of a pair, the last one given wins
        assertEquals(all, slices(convert(dir, "--no-running", "--running", fixture("sched-sleep.txt").toString())));
    }

    @Test
    void onlyLockKeepsTheHeldSlices(@TempDir Path dir) throws Exception {
        Map<String, Long> all = slices(convert(dir, fixture("gil-two-threads.txt").toString()));
        Map<String, Long> onlyLock = slices(convert(dir, "--only-lock", fixture("gil-two-threads.txt").toString()));
        assertEquals(Map.of("gil/GIL held", all.get("gil/GIL held")), onlyLock);
    }

    @Test
    void allTracepointsAddsAnInstantPerTracepointEvent(@TempDir Path dir) throws Exception {
        long tracepointLines;
        try (var lines = Files.lines(fixture("sched-sleep.txt"))) {
            tracepointLines = lines.filter(l -> SCHED_HEADER.matcher(l).find()).count();
        }
        List<JsonNode> events = convert(dir, "--all-tracepoints", fixture("sched-sleep.txt").toString());
        List<JsonNode> instants = events.stream().filter(e -> e.path("ph").asText().equals("i")).toList();
        assertEquals(79, tracepointLines); // 36 switches, 23 wakings, 13 wakeups, 2 wakeup_new, 2 forks, 3 exits
        assertEquals(tracepointLines, instants.size());
        assertEquals(36, instants.stream().filter(e -> e.path("name").asText().equals("sched:sched_switch")).count());
    }

    @Test
    void noAsAsyncAndVerboseSayWhatTheyDo(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("perf2trace", "--no-as-async", "-v", fixture("gil-two-threads.txt").toString(),
                "-o", dir.resolve("o.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("perf2trace: --no-as-async changes nothing"), run.err());
        // 1342 GIL probe lines in the fixture (grep -c), nothing else
        assertTrue(run.err().contains(", 1342 events (0 skipped lines"), run.err());
    }
}
