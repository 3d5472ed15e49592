package io.per4m.perf;

import io.per4m.files.FileTrees;

import io.per4m.UserError;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One running {@code perf record} session (clock CLOCK_MONOTONIC, events disabled until enabled),
 * controlled through perf's --control fifo.
 * <p>
 * Two ways to drive it:
 * <ul>
 * <li>{@link #attach(long, RecordOptions)}: the engine enables and disables ({@link #enable()}, {@link #disable()}).</li>
 * <li>{@link #prepare(RecordOptions)}, start the traced process with {@link #controlEnvironment()} in its
 * environment, then {@link #start(long)}: the traced process (per4m.runner) writes {@code enable}/{@code disable}
 * to the fifo itself, right around the target's code. The engine must not call enable/disable then:
 * two readers of the ack fifo would steal each other's acks.</li>
 * </ul>
 * Closing it always stops perf and deletes everything it created (fifos and data files included: read the
 * data files before closing), whatever happened before. perf also dies with the JVM, even on SIGKILL
 * (see {@link PerfLifeline}), and runs in its own session so a terminal's Ctrl-C reaches the traced program
 * (which disables recording in its finally block) but not perf.
 */
public final class PerfRecorder implements AutoCloseable {
    /** Environment variables telling the traced process where perf's control fifos are. */
    public static final String CTL_ENV = "PER4M_PERF_CTL";
    public static final String ACK_ENV = "PER4M_PERF_ACK";

    private static final String PERF = "perf";
    private static final long READY_TIMEOUT_MS = 30_000;
    private static final long ACK_TIMEOUT_MS = 10_000;
    private static final long STOP_WAIT_MS = 5_000;
    /** A window's dump takes milliseconds; this long means perf no longer dumps at all. */
    private static final long DUMP_TIMEOUT_MS = 5_000;
    private static final long WAKE_AGAIN_MS = 250;
    private static final String OUTPUT_NAME = "perf.data";

    private final RecordOptions options;
    private final Path dir;
    private final Path ctlFifo;
    private final Path ackFifo;
    private final List<String> counters;
    private final List<String> notes;
    private final RecordOptionSupport optionSupport = RecordOptionSupport.ask(PERF);
    private final Thread shutdownHook = new Thread(this::close, "per4m-perf-cleanup");
    private final List<Path> dataFiles = new ArrayList<>();

    private Process perf;
    private volatile PerfStderrWatcher stderr;
    private PerfLifeline lifeline;
    private PerfControlChannel control;
    private final PerfWakeUp wakeUp;
    private RecordingResult result;
    private boolean closed;

    private PerfRecorder(RecordOptions options, Path dir, List<String> counters, List<String> notes) throws IOException {
        this.options = options;
        this.dir = dir;
        this.ctlFifo = dir.resolve("ctl.fifo");
        this.ackFifo = dir.resolve("ack.fifo");
        this.counters = counters;
        this.notes = notes;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        mkfifo(ctlFifo, ackFifo);
        this.wakeUp = new PerfWakeUp(ctlFifo);
    }

    /** Attaches to a running process (all its threads, also those created later); returns once perf is ready. */
    public static PerfRecorder attach(long pid, RecordOptions options, Path workDir) throws IOException {
        PerfRecorder recorder = prepare(options, workDir);
        try {
            recorder.control = new PerfControlChannel(recorder.ctlFifo, recorder.ackFifo);
            recorder.start(pid);
            if (!recorder.send("ping", READY_TIMEOUT_MS)) {
                throw recorder.failure("perf record did not start");
            }
            return recorder;
        } catch (IOException | RuntimeException e) {
            recorder.close();
            throw e;
        }
    }

    /**
     * Creates the work directory and the control fifos and checks the options; perf is not running yet.
     * Counters this machine cannot count are dropped (see {@link #notes()}). The work directory is made in
     * {@code workDir} (a private temp folder), or in java.io.tmpdir when null.
     */
    public static PerfRecorder prepare(RecordOptions options, Path workDir) throws IOException {
        if (options.gil()) {
            checkProbeGroup(options.probeGroup());
        }
        CounterSupport.Result support = new CounterSupport(PERF).check(options.counters());
        List<String> notes = support.note() == null ? List.of() : List.of(support.note());
        Path parent = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        // the pid in the name lets a later run remove it should this process be killed before it can
        Path dir = Files.createTempDirectory(parent, "per4m-perf-" + ProcessHandle.current().pid() + "-");
        try {
            return new PerfRecorder(options, dir, support.supported(), notes);
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(dir);
            throw e;
        }
    }

    /** What the traced process needs to enable and disable recording itself (see per4m.runner). */
    public Map<String, String> controlEnvironment() {
        return Map.of(CTL_ENV, ctlFifo.toString(), ACK_ENV, ackFifo.toString());
    }

    /** One-line notes for the user, e.g. counters that are not supported here and were skipped. */
    public List<String> notes() {
        return notes;
    }

    /** The private directory holding fifos and data files; deleted on close. */
    public Path workDir() {
        return dir;
    }

    /** perf's process id while it runs (for tests and diagnostics). */
    public long perfPid() {
        return perf == null ? -1 : perf.pid();
    }

    /**
     * Starts perf attached to {@code pid} and returns at once; recording stays disabled until someone writes
     * {@code enable} to the control fifo.
     */
    public synchronized void start(long pid) throws IOException {
        if (perf != null || closed) {
            throw new IllegalStateException("perf already started");
        }
        PerfRecordCommand command = new PerfRecordCommand(PERF, pid, options, counters, ctlFifo, ackFifo,
                dir.resolve(OUTPUT_NAME), optionSupport.quickStartOptions());
        List<String> args = new ArrayList<>();
        args.add("setsid"); // own session: a terminal's Ctrl-C must not stop perf before the target is done
        args.addAll(command.arguments());
        perf = new ProcessBuilder(args)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        stderr = new PerfStderrWatcher(perf.getErrorStream());
        lifeline = PerfLifeline.watch(perf.pid(), dir);
    }

    /** True when perf has ended without ever getting ready to record: it refused to run ({@link #explanation()}). */
    public boolean failedToStart() {
        Process process = perf;
        return process != null && !process.isAlive() && !ready();
    }

    /** What perf said on stderr about why it stopped, or "" when it said nothing. */
    public String explanation() {
        PerfStderrWatcher watcher = stderr;
        return watcher == null ? "" : watcher.explanation();
    }

    /** True once perf has set up and records (or waits to be enabled); before that it must not be signalled. */
    public boolean ready() {
        PerfStderrWatcher watcher = stderr;
        return watcher != null && watcher.ready();
    }

    /** Starts events; returns once perf acknowledged. */
    public void enable() throws IOException {
        requireEngineControl();
        if (!send("enable", ACK_TIMEOUT_MS)) {
            throw failure("perf did not acknowledge enable");
        }
    }

    /** Stops events; returns once perf acknowledged. */
    public void disable() throws IOException {
        requireEngineControl();
        if (!send("disable", ACK_TIMEOUT_MS)) {
            throw failure("perf did not acknowledge disable");
        }
    }

    /**
     * Closes the current output window and returns its perf.data file; recording goes on into a new one.
     * If perf has ended already (the traced process exited), returns its last file.
     */
    public synchronized Path cutWindow() throws IOException {
        requireStarted();
        try {
            if (perf.isAlive()) {
                signal("USR2");
                Path dumped = awaitDump();
                if (dumped != null) {
                    return keep(dumped);
                }
                if (perf.isAlive()) {
                    // perf's last lines are its earlier dumps here: they would not explain anything
                    throw new IOException("perf did not close its window within " + DUMP_TIMEOUT_MS / 1000 + " s");
                }
            }
            perf.waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            stderr.awaitEnd(2000);
            Path dumped = stderr.nextDump(0, TimeUnit.MILLISECONDS);
            if (dumped == null) {
                throw failure("perf ended without closing the window");
            }
            return keep(dumped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Waits for the file perf dumps on the SIGUSR2 just sent, waking its main loop first and then now and then
     * (see {@link PerfWakeUp}); null once perf died or the time is up.
     */
    private Path awaitDump() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DUMP_TIMEOUT_MS);
        while (perf.isAlive()) {
            wakeUp.wake();
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            Path dumped = stderr.nextDump(Math.min(left, WAKE_AGAIN_MS), TimeUnit.MILLISECONDS);
            if (dumped != null) {
                return dumped;
            }
        }
        return stderr.nextDump(0, TimeUnit.MILLISECONDS);
    }

    /** Stops perf (SIGINT, bounded wait) and returns the data files it wrote. */
    public synchronized RecordingResult stop() throws IOException {
        requireStarted();
        if (result != null) {
            return result;
        }
        try {
            if (perf.isAlive()) {
                signal("INT");
            }
            endProcess(perf, STOP_WAIT_MS);
            stderr.awaitEnd(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (Path dumped : stderr.drainDumps()) {
            keep(dumped);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path leftover : files.filter(f -> f.getFileName().toString().startsWith(OUTPUT_NAME + "."))
                    .sorted().toList()) {
                keep(leftover); // dumped without a line we could read
            }
        }
        if (dataFiles.isEmpty()) {
            throw failure("perf record wrote no data");
        }
        result = new RecordingResult(List.copyOf(dataFiles));
        return result;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (perf != null && perf.isAlive()) {
                perf.destroy();
                endProcess(perf, 2000);
            }
        } catch (InterruptedException e) {
            perf.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (control != null) {
                control.close();
            }
            wakeUp.close();
            if (lifeline != null) {
                lifeline.close();
            }
            FileTrees.deleteQuietly(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // we are the hook, or the JVM is going down anyway
            }
        }
    }

    /**
     * Closes without waiting for perf to exit, for when its data files have been read: perf takes 0.3–0.9 s to exit
     * here (the kernel unregisters each uprobe as perf closes its event), which is no part of what the user waits
     * for. perf is killed and the lifeline removes the work directory once perf is gone, also after this JVM exited.
     */
    public synchronized void closeInBackground() {
        if (closed) {
            return;
        }
        if (perf == null || lifeline == null) {
            close();
            return;
        }
        closed = true;
        perf.destroyForcibly();
        if (control != null) {
            control.close();
        }
        lifeline.handOver();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is going down anyway
        }
    }

    /** @param dataFiles perf.data files in time order (their LOST records tell what perf lost) */
    public record RecordingResult(List<Path> dataFiles) {
    }

    private boolean send(String command, long timeoutMillis) throws IOException {
        try {
            return control.send(command, timeoutMillis, perf::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Path keep(Path dumped) throws IOException {
        Path source = dir.resolve(dumped.getFileName());
        Path target = dir.resolve(String.format("window-%03d.data", dataFiles.size() + 1));
        // perf names windows by the 1/100 s: a later window could reuse the name, so move it away at once
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        dataFiles.add(target);
        return target;
    }

    private IOException failure(String what) {
        String why = stderr == null ? "" : ": " + stderr.explanation();
        if (perf != null && !perf.isAlive()) {
            throw new UserError(what + why); // perf refused to run: bad event, missing process, permissions
        }
        return new IOException(what + why);
    }

    private void requireStarted() {
        if (perf == null) {
            throw new IllegalStateException("perf not started");
        }
        if (closed) {
            throw new IllegalStateException("recorder closed");
        }
    }

    private void requireEngineControl() {
        requireStarted();
        if (control == null) {
            throw new IllegalStateException("recording is controlled by the traced process, not by the engine");
        }
    }

    private void signal(String name) throws IOException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(perf.pid()))
                .redirectErrorStream(true).start();
        try {
            kill.getInputStream().readAllBytes();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void endProcess(Process p, long graceMillis) throws InterruptedException {
        if (p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            return;
        }
        p.destroy();
        if (p.waitFor(2, TimeUnit.SECONDS)) {
            return;
        }
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
    }

    private static void checkProbeGroup(String group) {
        if (group == null || group.isBlank()) {
            throw new UserError("no uprobe group given for the GIL probes: run `per4m setup` first");
        }
        Path events = Path.of("/sys/kernel/tracing/events");
        if (Files.isDirectory(events) && !Files.isDirectory(events.resolve(group))) {
            throw new UserError("no GIL probes in uprobe group '" + group + "': run `per4m setup` first");
        }
    }

    static void mkfifo(Path... fifos) throws IOException {
        List<String> args = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        for (Path f : fifos) {
            args.add(f.toString());
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mkfifo failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
