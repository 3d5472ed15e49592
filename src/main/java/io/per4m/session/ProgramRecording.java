package io.per4m.session;

import io.per4m.UserError;
import io.per4m.perf.FinalWindow;
import io.per4m.perf.PerfRecorder;
import io.per4m.perf.RecordOptions;
import io.per4m.perf.WindowCutter;
import io.per4m.pystack.SampledStacks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * giltracer's recording session: perf records a program from its start, its windows (cut every
 * {@value RecordingRules#WINDOW_MILLIS} ms) are converted while it runs ({@link LiveReport}), and the last window,
 * cut as the program ends ({@link FinalWindow}), completes the trace, the summary and the report. The front end
 * starts the program (its command line, its signals) through a {@link Target}; the notebook's counterpart is
 * {@link NotebookSession}.
 */
public final class ProgramRecording implements AutoCloseable {
    /** Where CPython writes its perf maps (perf reads them there too). */
    private static final Path PERF_MAP_DIR = Path.of("/tmp");
    /** Where the runner marks that the target started (see per4m.runner). */
    private static final String STARTED_ENV = "PER4M_STARTED_FILE";

    /** What the front end does around the program: start it, and hear when it runs and ends. */
    public interface Target {
        /** Starts the program with these variables added to its environment. */
        Process start(Map<String, String> environment) throws IOException;

        void running(Process program);

        void ended();
    }

    /**
     * @param exitCode   the program's
     * @param output     the files written, or null when the program never started its target (nothing written)
     * @param postMillis how long the report took after the program ended
     */
    public record Recorded(int exitCode, RecordingReport.Output output, long postMillis) {
    }

    private final RecordOptions options;
    private final PerfRecorder recorder;
    private final boolean temporaryProbes;
    private final String probeMethod;
    private final Path workDir;
    private final WindowCutter windows;
    private final SampledStacks sampledStacks;

    private ProgramRecording(RecordOptions options, PerfRecorder recorder, boolean temporaryProbes, String probeMethod,
                             Path workDir) {
        this.options = options;
        this.recorder = recorder;
        this.temporaryProbes = temporaryProbes;
        this.probeMethod = probeMethod;
        this.workDir = workDir;
        this.windows = new WindowCutter(recorder::cutWindow);
        this.sampledStacks = options.stackSampleHz() > 0 ? new SampledStacks(windows, workDir.resolve(
                "sampled-stacks.json"), PERF_MAP_DIR, options.stackSampleHz()) : null;
    }

    /**
     * Prepares perf (not running yet); counters this machine cannot count are dropped ({@link #notes}).
     *
     * @param temporaryProbes the GIL probes are this run's own: perf must be gone before they are removed
     * @param probeMethod     how the GIL probes were placed ("symbols", "located:..."), "" when not known
     */
    public static ProgramRecording prepare(RecordOptions options, Path workDir, boolean temporaryProbes,
                                           String probeMethod) throws IOException {
        PerfRecorder recorder = PerfRecorder.prepare(options, workDir);
        return new ProgramRecording(options, recorder, temporaryProbes, probeMethod, workDir);
    }

    public List<String> notes() {
        return recorder.notes();
    }

    /** Where the runner saves viztracer's trace. */
    public Path viztracerTrace() {
        return workDir.resolve("viztracer.json");
    }

    /** Where the runner writes its clock pairs and the program's thread names. */
    public Path syncFile() {
        return workDir.resolve("sync.json");
    }

    /** Where the runner lists the processes whose perf maps are to go (sampled stacks). */
    public Path childPidsFile() {
        return workDir.resolve("child-pids.txt");
    }

    /**
     * Runs the program under perf until it ends, converting as it goes, and completes the outputs of {@code base}.
     *
     * @param viztracer whether the runner saves viztracer's trace
     */
    public Recorded record(Target target, Path base, boolean viztracer) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(recorder.controlEnvironment());
        Path startedMarker = workDir.resolve("started");
        environment.put(STARTED_ENV, startedMarker.toString());
        long targetPid = -1;
        FinalWindow finalWindow = FinalWindow.await(windows, workDir);
        environment.putAll(finalWindow.environment());
        int exitCode;
        RecordingReport.Output out;
        long postMillis;
        try (LiveReport live = LiveReport.start(new RecordingReport.Input(
                sampledStacks != null ? sampledStacks : windows,
                sampledStacks != null ? workDir.resolve("sampled-stacks.json") : viztracer ? viztracerTrace() : null,
                syncFile(), RecordingRules.mode(options), options.gil() ? options.probeGroup() : null, Set.of())
                .withProbeMethod(probeMethod),
                base.toAbsolutePath())) {
            long started;
            Process program = target.start(environment);
            targetPid = program.pid();
            try {
                target.running(program);
                recorder.start(program.pid());
                windows.startPacing(RecordingRules.WINDOW_MILLIS, recorder::ready);
                exitCode = awaitProgram(program);
                target.ended();
                started = System.nanoTime();
                if (!Files.exists(startedMarker)) {
                    // it printed why; a report of the moments in which nothing ran would only mislead
                    live.discard();
                    return new Recorded(exitCode, null, 0);
                }
                if (finalWindow.window() == null) {
                    // the runner never said it was done (it crashed, or ran without perf): stop perf the slow way
                    windows.endWith(recorder.stop().dataFiles());
                }
            } finally {
                if (program.isAlive()) {
                    Programs.kill(program);
                }
            }
            out = live.await();
            postMillis = (System.nanoTime() - started) / 1_000_000;
        } finally {
            windows.close();
            if (sampledStacks != null) {
                sampledStacks.removeMaps(targetPid, childPidsFile());
            }
        }
        keepRecording(windows.windows(), viztracerTrace());
        if (!temporaryProbes) {
            recorder.closeInBackground(); // probes of our own can only be removed once perf is gone
        }
        return new Recorded(exitCode, out, postMillis);
    }

    /**
     * Waits for the program; should perf refuse to start meanwhile, the program is not left running unrecorded.
     */
    private int awaitProgram(Process program) throws InterruptedException {
        while (!recorder.ready()) {
            if (program.waitFor(20, TimeUnit.MILLISECONDS)) {
                return program.exitValue();
            }
            if (recorder.failedToStart()) {
                Programs.kill(program);
                String why = recorder.explanation();
                throw new UserError("perf record failed to start" + (why.isEmpty() ? "" : ": " + why)
                        + "; run 'per4m doctor'");
            }
        }
        return program.waitFor();
    }

    /** For the benchmarks: PER4M_KEEP_RECORDING=DIR keeps perf's data and viztracer's trace for other tools. */
    private static void keepRecording(List<Path> windows, Path viztracer) throws IOException {
        String keep = System.getenv("PER4M_KEEP_RECORDING");
        if (keep == null || keep.isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(Path.of(keep));
        for (int i = 0; i < windows.size(); i++) {
            Files.copy(windows.get(i), dir.resolve(String.format(Locale.ROOT, "perf.data.%03d", i + 1)),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(viztracer)) {
            Files.copy(viztracer, dir.resolve("viztracer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Stops perf (unless it already ends in the background) and deletes what it made. */
    @Override
    public void close() {
        recorder.close();
    }
}
