package io.per4m.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Perf2TraceCommandTest {
    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void assertOneLineError(CliRun run, String... mustContain) {
        assertNotEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().size(), "one line: " + run.err());
        assertTrue(run.err().startsWith("perf2trace: "), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
        for (String text : mustContain) {
            assertTrue(run.err().contains(text), text + " in: " + run.err());
        }
    }

    @Test
    void emptyInputSaysWhatToPipeIn(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Path out = dir.resolve("out.json");
        CliRun run = run("perf2trace", empty.toString(), "-o", out.toString());
        assertOneLineError(run, "perf script", "--ns --no-inline | per4m perf2trace");
        assertFalse(Files.exists(out), "no output for unusable input");
        assertEquals(List.of(), Files.list(dir).filter(p -> p.toString().endsWith(".part")).toList());
    }

    @Test
    void aPerfDataFileWithoutDataIsOneLineThatSaysWhy(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("perf.data");
        byte[] header = new byte[256];
        System.arraycopy("PERFILE2".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 8);
        header[8] = 0x68;
        Files.write(data, header);
        Path out = dir.resolve("out.json");
        CliRun run = run("perf2trace", "gil", data.toString(), "-o", out.toString());
        assertOneLineError(run, "cannot read " + data + ": its data section is empty");
        assertFalse(Files.exists(out));
    }

    @Test
    void aPerfDataFileIsReadDirectly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("attached.perf.data");
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
                getClass().getResourceAsStream("/io/per4m/report/warmup/perf.data.gz"))) {
            Files.copy(in, data);
        }
        Path out = dir.resolve("out.json");
        Path summary = dir.resolve("summary.json");
        CliRun run = run("perf2trace", "all", data.toString(), "-o", out.toString(), "--summary-json", summary.toString());
        assertEquals(0, run.exitCode(), run.err());
        // 4 x 193 GIL probe events in the recording (perf report --stats)
        assertEquals(772, new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile())
                .path("process").path("gil_events").asLong());
    }

    @Test
    void missingInputFile(@TempDir Path dir) {
        CliRun run = run("perf2trace", "sched", dir.resolve("nope.txt").toString(), "-o", dir.resolve("o.json").toString());
        assertOneLineError(run, "nope.txt does not exist");
    }

    @Test
    void missingOutputDirectory(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "x\n");
        CliRun run = run("perf2trace", input.toString(), "-o", dir.resolve("no/such/dir/out.json").toString());
        assertOneLineError(run, "does not exist");
    }

    @Test
    void tooManyPositionals(@TempDir Path dir) {
        CliRun run = run("perf2trace", "gil", "a.txt", "b.txt");
        assertNotEquals(0, run.exitCode());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void badClockOffsetIsAUsageError() {
        CliRun run = run("perf2trace", "--clock-offset-ns", "soon");
        assertEquals(2, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void noGilEventsInGilModeSaysHowToRecordThem(@TempDir Path dir) throws Exception {
        Path sched = dir.resolve("sched.txt");
        Files.writeString(sched, """
                      python3.11  6170/6170  [001]  4449.503924712: sched:sched_switch: prev_comm=python3.11 prev_pid=6170 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120
                         swapper     0/0     [001]  4449.504924712: sched:sched_wakeup: comm=python3.11 pid=6170 prio=120 target_cpu=001
                """);
        Path out = dir.resolve("out.json");
        CliRun run = run("perf2trace", "gil", sched.toString(), "-o", out.toString());
        assertOneLineError(run, "no GIL probe events", "per4m setup", "perf record -e 'python:*' -k CLOCK_MONOTONIC");
        assertFalse(Files.exists(out));
    }
}
