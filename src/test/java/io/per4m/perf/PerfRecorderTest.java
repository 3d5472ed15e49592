package io.per4m.perf;

import io.per4m.UserError;
import io.per4m.perf.data.PerfDataReader;
import io.per4m.perf.data.PerfRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PerfRecorder against real perf and a real Python (skipped without root/perf/that Python). */
class PerfRecorderTest {
    /** Two spinning threads; every line on stdin is answered with CLOCK_MONOTONIC in ns, read by Python. */
    private static final String TARGET = """
            import sys, threading, time
            def spin():
                while True:
                    s = 0
                    for i in range(20000):
                        s += i
                    time.sleep(0.001)
            for i in range(2):
                threading.Thread(target=spin, daemon=True, name=f"w{i}").start()
            print("ready", flush=True)
            for line in sys.stdin:
                print(time.clock_gettime_ns(time.CLOCK_MONOTONIC), flush=True)
            """;
    private static final Pattern EVENT = Pattern.compile("^\\s*(.+?)\\s+(\\d+)/(\\d+)\\s+\\[(\\d+)]\\s+(\\d+)\\.(\\d{9}):\\s+(?:\\d+\\s+)?(\\S+):");

    private static final String LOSSY_WORKLOAD = """
            import threading, time
            def release():
                end = time.monotonic() + 0.4
                while time.monotonic() < end:
                    time.sleep(0)
            ts = [threading.Thread(target=release) for _ in range(2)]
            [t.start() for t in ts]
            [t.join() for t in ts]
            """;
    private static String group;

    @TempDir
    Path tmp;

    @BeforeAll
    static void probes() throws Exception {
        RealPerf.assumeAvailable();
        group = RealPerf.addProbeGroup();
    }

    @AfterAll
    static void removeProbes() throws Exception {
        RealPerf.removeProbeGroup(group);
    }

    record Event(long pid, long tid, long timeNs, String name) {
    }

    private static final class Target implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final OutputStream in;

        Target(Path script) throws IOException {
            process = new ProcessBuilder(RealPerf.PYTHON.toString(), script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = process.getOutputStream();
            assertEquals("ready", out.readLine());
        }

        long pid() {
            return process.pid();
        }

        /** CLOCK_MONOTONIC as the target reads it. */
        long now() throws IOException {
            in.write('\n');
            in.flush();
            return Long.parseLong(out.readLine().strip());
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Path script() throws IOException {
        Path script = tmp.resolve("target.py");
        Files.writeString(script, TARGET);
        return script;
    }

    private RecordOptions options(List<String> counters) {
        return new RecordOptions(true, true, counters, group);
    }

    private static List<Event> events(Path dataFile) throws IOException {
        List<Event> events = new ArrayList<>();
        try (InputStream in = PerfScriptText.open(dataFile);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = EVENT.matcher(line);
                String text = line;
                assertTrue(m.find(), () -> "unexpected perf script line: " + text);
                events.add(new Event(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(5)) * 1_000_000_000L + Long.parseLong(m.group(6)), m.group(7)));
            }
        }
        return events;
    }

    private static void assertWindow(List<Event> events, long pid, long fromNs, long toNs) {
        assertTrue(events.stream().anyMatch(e -> e.name().equals(group + ":take_gil")), "take_gil events");
        assertTrue(events.stream().anyMatch(e -> e.name().equals(group + ":drop_gil__return")), "drop_gil return events");
        assertTrue(events.stream().anyMatch(e -> e.name().equals("sched:sched_switch")), "sched_switch events");
        assertTrue(events.stream().map(Event::tid).distinct().count() >= 2, "events from both workers (main waits on stdin)");
        for (Event e : events) {
            assertEquals(pid, e.pid(), () -> "event of another process: " + e);
            assertTrue(e.timeNs() > fromNs && e.timeNs() < toNs,
                    () -> "event outside the enabled window [" + fromNs + ", " + toNs + "]: " + e);
        }
    }

    /** perf script per window and the direct reader over all windows give the same events; names carry over. */
    private static void assertBothRoutesAgree(List<Path> windows) throws IOException {
        List<PerfEvent> viaText = new ArrayList<>();
        for (Path window : windows) {
            try (InputStream in = PerfScriptText.open(window)) {
                viaText.addAll(PerfRoutes.fromText(in));
            }
        }
        PerfDataReader reader = new PerfDataReader(windows);
        List<PerfEvent> direct = new ArrayList<>();
        reader.readInto(direct::add);
        PerfRoutes.assertSameEvents(viaText, direct, false);
        assertEquals(0, reader.lostEvents());
        assertTrue(direct.stream().noneMatch(e -> e.comm().startsWith(":")), "every thread has its name in every window");
    }

    /** Gone, or dead and waiting to be reaped (a zombie holds nothing). */
    private static boolean processGone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** The command line of a process that mentions {@code text}, or null; one still exiting gets a second. */
    private static String processMentioning(String text) throws IOException, InterruptedException {
        String found = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            found = null;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                        if (cmdline.contains(text)) {
                            found = p.getFileName() + ": " + cmdline.replace('\0', ' ');
                        }
                    } catch (IOException gone) {
                        // exited meanwhile
                    }
                }
            }
            if (found == null) {
                return null;
            }
            Thread.sleep(50);
        }
        return found;
    }

    private static void assertCleanedUp(long perfPid, Path dir) throws IOException, InterruptedException {
        assertTrue(processGone(perfPid), "perf " + perfPid + " still running");
        assertFalse(Files.exists(dir), dir + " still exists");
        String left = processMentioning(dir.toString());
        assertNull(left, () -> "a process still refers to " + dir + ": " + left);
    }

    @Test
    void windowsHoldExactlyTheEnabledEvents() throws Exception {
        Path workDir = tmp.resolve("work");
        try (Target target = new Target(script())) {
            long perfPid;
            Path dir;
            try (PerfRecorder recorder = PerfRecorder.attach(target.pid(),
                    options(List.of("context-switches", "cycles")), workDir)) {
                perfPid = recorder.perfPid();
                dir = recorder.workDir();
                assertTrue(recorder.notes().isEmpty() || recorder.notes().get(0).contains("cycles"), recorder.notes()::toString);

                Thread.sleep(150);
                Path before = recorder.cutWindow();
                assertEquals(List.of(), events(before), "nothing is recorded before enable");

                long t0 = target.now();
                recorder.enable();
                Thread.sleep(300);
                recorder.disable();
                long t1 = target.now();
                Thread.sleep(100);
                Path first = recorder.cutWindow();
                List<Event> firstEvents = events(first);
                assertWindow(firstEvents, target.pid(), t0, t1);
                assertTrue(firstEvents.stream().anyMatch(e -> e.name().equals("context-switches")), "counter events");

                long t2 = target.now();
                recorder.enable();
                Thread.sleep(200);
                recorder.disable();
                long t3 = target.now();
                Thread.sleep(100);
                PerfRecorder.RecordingResult result = recorder.stop();
                assertEquals(3, result.dataFiles().size(), result.dataFiles()::toString);
                assertEquals(List.of(before, first), result.dataFiles().subList(0, 2));
                assertWindow(events(result.dataFiles().get(2)), target.pid(), t2, t3);
                assertBothRoutesAgree(result.dataFiles());
                assertTrue(processGone(perfPid), "perf ended by stop");
            }
            assertCleanedUp(perfPid, dir);
            try (Stream<Path> left = Files.list(workDir)) {
                assertEquals(0, left.count(), "work dir emptied");
            }
        }
    }

    /** Windows cut at a pace reach a reader while perf records, and together hold what perf recorded. */
    @Test
    void pacedWindowsAreReadWhileRecording() throws Exception {
        try (Target target = new Target(script());
             PerfRecorder recorder = PerfRecorder.attach(target.pid(), options(List.of()), tmp.resolve("paced"))) {
            WindowCutter windows = new WindowCutter(recorder::cutWindow);
            List<PerfEvent> live = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try {
                    new PerfDataReader(windows).readInto(live::add);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            recorder.enable();
            windows.startPacing(100, recorder::ready);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (live.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int readBeforeTheEnd = live.size();
            recorder.disable();
            windows.cutLast();
            windows.end();
            reader.join(10_000);
            assertTrue(readBeforeTheEnd > 0, "events were read while perf still recorded");
            assertTrue(windows.windows().size() >= 2, "windows cut: " + windows.windows());
            List<PerfEvent> viaText = new ArrayList<>();
            for (Path window : windows.windows()) {
                try (InputStream in = PerfScriptText.open(window)) {
                    viaText.addAll(PerfRoutes.fromText(in));
                }
            }
            PerfRoutes.assertSameEvents(viaText, live, false);
        }
    }

    /**
     * Without a control fifo, perf handled SIGUSR2 only when the program's events woke it (seconds later for a
     * sleeping one); the recorder's perf, which polls its control fifo, cuts an idle program's window at once.
     */
    @Test
    void aWindowOfAnIdleProgramIsCutAtOnce() throws Exception {
        Process idle = new ProcessBuilder(RealPerf.PYTHON.toString(), "-c", "import time; time.sleep(60)").start();
        try (PerfRecorder recorder = PerfRecorder.attach(idle.pid(), options(List.of()), tmp.resolve("idle"))) {
            recorder.enable();
            Thread.sleep(300); // perf is asleep in poll by now
            long started = System.nanoTime();
            Path window = recorder.cutWindow();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(Files.isRegularFile(window));
            assertTrue(millis < 1_000, "cutting took " + millis + " ms");
        } finally {
            idle.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A SIGUSR2 that reaches perf while it finishes the previous dump, outside its poll, used to leave a disabled
     * recording's window uncut for good: cuts back to back, each one at once.
     */
    @Test
    void backToBackCutsOfADisabledRecordingEachReturnAtOnce() throws Exception {
        try (Target target = new Target(script());
             PerfRecorder recorder = PerfRecorder.attach(target.pid(), options(List.of()), tmp.resolve("cuts"))) {
            recorder.enable();
            Thread.sleep(100);
            recorder.disable();
            long slowest = 0;
            for (int i = 0; i < 40; i++) {
                long started = System.nanoTime();
                Files.delete(recorder.cutWindow());
                slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
            }
            assertTrue(slowest < 1_000, "the slowest cut took " + slowest + " ms");
        }
    }

    @Test
    void anExceptionWhileRecordingStillCleansUp() throws Exception {
        long[] perfPid = new long[1];
        Path[] dir = new Path[1];
        try (Target target = new Target(script())) {
            assertThrows(IllegalArgumentException.class, () -> {
                try (PerfRecorder recorder = PerfRecorder.attach(target.pid(), options(List.of()), tmp)) {
                    perfPid[0] = recorder.perfPid();
                    dir[0] = recorder.workDir();
                    recorder.enable();
                    throw new IllegalArgumentException("the traced code failed");
                }
            });
        }
        assertCleanedUp(perfPid[0], dir[0]);
    }

    @Test
    void perfRefusingToStartIsAUserErrorAndLeavesNothing() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path workDir = tmp.resolve("work-fail");
        UserError e = assertThrows(UserError.class, () -> PerfRecorder.attach(gone.pid(), options(List.of()), workDir));
        assertFalse(e.getMessage().isBlank());
        try (Stream<Path> left = Files.list(workDir)) {
            assertEquals(0, left.count(), "work dir emptied");
        }
        String left = processMentioning(workDir.toString());
        assertNull(left, () -> "a process still refers to " + workDir + ": " + left);
    }

    @Test
    void unknownCounterIsAUserError() {
        UserError e = assertThrows(UserError.class,
                () -> PerfRecorder.prepare(options(List.of("page-faults", "no-such-counter")), tmp.resolve("w")));
        assertTrue(e.getMessage().contains("no-such-counter"), e.getMessage());
    }

    @Test
    void perfDiesWithAKilledJvm() throws Exception {
        try (Target target = new Target(script())) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-cp", classpath, RecorderChild.class.getName(),
                    Long.toString(target.pid()), group, tmp.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long perfPid;
            Path dir;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String[] line = out.readLine().split(" ");
                assertEquals("perf", line[0]);
                perfPid = Long.parseLong(line[1]);
                dir = Path.of(line[2]);
                assertFalse(processGone(perfPid));
                child.destroyForcibly(); // SIGKILL: no shutdown hook runs
                assertTrue(child.waitFor(5, TimeUnit.SECONDS));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!processGone(perfPid) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(processGone(perfPid), "perf outlived its JVM by more than 5 s");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (Files.exists(dir) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertCleanedUp(perfPid, dir);
        }
    }

    @Test
    void theRunnerEnablesPerfAroundItsTarget() throws Exception {
        Path shim = Path.of("python-shim").toAbsolutePath();
        Path sync = tmp.resolve("sync.json");
        try (PerfRecorder recorder = PerfRecorder.prepare(options(List.of()), tmp)) {
            ProcessBuilder pb = new ProcessBuilder(RealPerf.PYTHON.toString(), "-m", "per4m.runner", "--no-viztracer",
                    "--sync-out", sync.toString(), "--module", "per4m.examples.contention", "3", "300000")
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(recorder.controlEnvironment());
            pb.environment().put("PYTHONPATH", shim.toString());
            Process runner = pb.start();
            recorder.start(runner.pid());
            String out = new String(runner.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(runner.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, runner.exitValue());
            assertTrue(out.startsWith("contention: 3 threads"), out);

            PerfRecorder.RecordingResult result = recorder.stop();
            String json = Files.readString(sync);
            long enabled = Long.parseLong(json.replaceAll("(?s).*\"enabled_ns\": (\\d+).*", "$1"));
            long disabled = Long.parseLong(json.replaceAll("(?s).*\"disabled_ns\": (\\d+).*", "$1"));
            List<Event> events = new ArrayList<>();
            for (Path file : result.dataFiles()) {
                events.addAll(events(file));
            }
            long gilThreads = events.stream().filter(e -> e.name().startsWith(group + ":")).map(Event::tid).distinct().count();
            assertTrue(gilThreads >= 4, "GIL events from main and the three counters: " + gilThreads);
            for (Event e : events) {
                assertEquals(runner.pid(), e.pid());
            }
            // the runner reads enabled_ns just after perf's ack and disabled_ns just before sending disable: perf's
            // own switch points lie before and after them by the time an ack takes, which on a busy machine is tens
            // of ms; only the runner's main thread runs before enable. The target's threads start after it (their
            // last drop_gil returns once the main thread has taken the GIL back, so they may end after disabled_ns).
            List<Event> fromWorkers = events.stream().filter(e -> e.tid() != runner.pid()).toList();
            assertTrue(fromWorkers.size() > 0, "events from the counters");
            for (Event e : fromWorkers) {
                assertTrue(e.timeNs() > enabled, () -> "a counter's event before the runner enabled perf: " + e);
            }
            long nearby = events.stream().filter(e -> e.timeNs() > enabled - 500_000_000L && e.timeNs() < disabled + 500_000_000L).count();
            assertEquals(events.size(), nearby, "events long before enable or after disable");
        }
    }

    /**
     * A recording forced to lose events (2-page ring buffers): the reader's count equals perf report --stats', and
     * its events equal perf script's.
     */
    @Test
    void lostEventsAsPerfCountsThem() throws Exception {
        Path data = tmp.resolve("lossy.data");
        long viaPerfReport = 0;
        // perf reads its buffers only when the workload leaves the CPU they share: as an idle-class task pinned
        // beside the workload (which goes back to the normal class), it falls behind however busy the machine is
        for (int attempt = 0; attempt < 5 && viaPerfReport == 0; attempt++) {
            RealPerf.run("taskset", "-c", "0", "chrt", "--idle", "0", "perf", "record", "-q", "-B", "-N", "-m", "2",
                    "-o", data.toString(), "-e", group + ":*",
                    "--", "chrt", "--other", "0", RealPerf.PYTHON.toString(), "-c", LOSSY_WORKLOAD);
            viaPerfReport = new LostEventCount("perf").count(data);
        }
        PerfDataReader reader = new PerfDataReader(List.of(data));
        List<PerfEvent> direct = new ArrayList<>();
        reader.readInto(direct::add);
        assertTrue(viaPerfReport > 0, "the recording lost events (2-page buffers)");
        assertEquals(viaPerfReport, reader.lostEvents());
        // here perf put the sample id at ID's place (all events alike), not first (IDENTIFIER) as in giltracer's
        try (InputStream in = PerfScriptText.open(data)) {
            PerfRoutes.assertSameEvents(PerfRoutes.fromText(in), direct, true);
        }
    }
}
