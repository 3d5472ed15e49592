package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The perf record command line the recorder builds, for giltracer and the notebook alike. */
class PerfRecordCommandTest {
    private static final Path DIR = Path.of("/tmp/x");

    private static List<String> arguments(RecordOptions options, RecordOptionSupport support) {
        return new PerfRecordCommand("perf", 42, options, options.counters(), DIR.resolve("ctl"), DIR.resolve("ack"),
                DIR.resolve("perf.data"), support.quickStartOptions()).arguments();
    }

    @Test
    void skipsBpfEventsAndBuildIdsWhenPerfKnowsHow() {
        List<String> args = arguments(new RecordOptions(true, false, List.of(), "python"),
                RecordOptionSupport.of(Set.of("--no-bpf-event", "--pid", "--control")));
        assertTrue(args.contains("--no-bpf-event"), args.toString());
        assertTrue(args.containsAll(List.of("-B", "-N")), args.toString()); // no build-id scan at exit, no cache
        assertTrue(args.containsAll(List.of("-k", "CLOCK_MONOTONIC", "-p", "42", "-e", "python:*")), args.toString());
        assertFalse(args.stream().anyMatch(a -> a.startsWith("cpu-clock")), "no stack samples unless asked");
    }

    @Test
    void leavesOutWhatAnOlderPerfDoesNotKnow() {
        List<String> args = arguments(new RecordOptions(true, false, List.of(), "python"),
                RecordOptionSupport.of(Set.of("--pid", "--control")));
        assertFalse(args.contains("--no-bpf-event"), args.toString());
    }

    @Test
    void samplesUserStacksAtTheChosenRate() {
        List<String> args = arguments(new RecordOptions(true, false, List.of(), "python", 250),
                RecordOptionSupport.of(Set.of()));
        int event = args.indexOf("cpu-clock/freq=250,call-graph=dwarf,stack-size=16384/");
        assertTrue(event > 0 && args.get(event - 1).equals("-e"), args.toString());
    }

    @Test
    void readsTheOptionsPerfLists() {
        assertEquals(Set.of("--no-bpf-event", "--pid", "--off-cpu"),
                RecordOptionSupport.parse("--pid --no-bpf-event  --off-cpu \n"));
    }

    @Test
    void thisMachinesPerfSkipsBpfEvents() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perf")), "needs perf");
        assertEquals(List.of("--no-bpf-event"), RecordOptionSupport.ask("perf").quickStartOptions());
    }
}
