package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.files.OutputFile;
import io.per4m.perf.FinalWindow;
import io.per4m.perf.PerfRecorder;
import io.per4m.perf.RecordOptions;
import io.per4m.perf.WindowCutter;
import io.per4m.probes.ProbeLease;
import io.per4m.pystack.SampledStacks;
import io.per4m.report.LiveReport;
import io.per4m.report.RecordingReport;
import io.per4m.report.ReportWarmup;
import io.per4m.trace.PerfToTrace;
import io.per4m.trace.SummaryJson;
import io.per4m.trace.SummaryTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "giltracer", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
        "Run a Python program, record who holds and who waits for the GIL (perf uprobes) and its Python calls "
                + "(viztracer) on one clock, and write NAME.json (merged trace), NAME.html (report) and "
                + "NAME.summary.json.",
        "Example: giltracer -m per4m.examples.contention    giltracer --state-detect script.py arg1"})
final class GiltracerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "NAME", defaultValue = "giltracer",
            description = "Output name: NAME.json, NAME.html, NAME.summary.json (default: ${DEFAULT-VALUE}); "
                    + "NAME.html names the same files.")
    Path output;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "${env:PER4M_PYTHON:-python3}",
            description = "Interpreter to run the target with (default: $PER4M_PYTHON, else python3).")
    String python;

    @Option(names = "--import", paramLabel = "a,b", split = ",",
            description = "Modules to import before tracing starts, so their import is not in the trace.")
    List<String> imports = new ArrayList<>();

    @Mixin
    GiltracerSwitches switches;

    @Option(names = "--counters", paramLabel = "a,b", split = ",",
            description = "Counters to record per thread, e.g. page-faults,context-switches.")
    List<String> counters = new ArrayList<>();

    @Option(names = "--no-viztracer", description = "Do not trace Python calls with viztracer "
            + "(the same as --python-stacks=none).")
    boolean noViztracer;

    @Option(names = "--python-stacks", paramLabel = "MODE", defaultValue = "viztracer",
            description = "Python call stacks: viztracer (every call, exact; the program runs slower), sampled "
                    + "(perf samples each thread's stack through CPython's perf trampolines, 3.12+; light) or none "
                    + "(default: ${DEFAULT-VALUE}).")
    String pythonStacks;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "99",
            description = "Stack samples per second and thread for --python-stacks=sampled (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--probe-group", paramLabel = "NAME", defaultValue = "python",
            description = "uprobe group made by 'per4m setup' (default: ${DEFAULT-VALUE}), used when its probes sit on "
                    + "the interpreter's libpython; else another group's that do; else root gets private probes for this run.")
    String probeGroup;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the summary table.")
    boolean quiet;

    @Parameters(paramLabel = "(SCRIPT | -m MODULE) [ARGS]", arity = "1..*",
            description = "The program to run and its arguments.")
    List<String> target = new ArrayList<>();

    /**
     * How often the recording is cut while the program runs, each window converted as it comes: shorter leaves
     * less for the end, longer costs fewer perf dumps (a few ms each).
     */
    private static final long WINDOW_MILLIS = 200;
    /** Where CPython writes its perf maps (perf reads them there too). */
    private static final Path PERF_MAP_DIR = Path.of("/tmp");

    /** Where the runner marks that the target started (see per4m.runner). */
    private static final String STARTED_ENV = "PER4M_STARTED_FILE";

    @Override
    public Integer call() throws Exception {
        TargetCommand program = TargetCommand.of(target);
        boolean noGil = !switches.gil();
        boolean states = switches.states();
        PythonStacks stacks = noViztracer ? PythonStacks.NONE : PythonStacks.parse(pythonStacks);
        if (noGil && !states && counters.isEmpty() && stacks == PythonStacks.NONE) {
            throw new UserError("nothing to record: drop --no-gil-detect, or add --state-detect or --counters");
        }
        boolean sampled = stacks == PythonStacks.SAMPLED;
        if (sampled && (sampleRate < 1 || sampleRate > 10_000)) {
            throw new UserError("--sample-rate must be between 1 and 10000 samples a second, not " + sampleRate);
        }
        boolean withoutViztracer = stacks != PythonStacks.VIZTRACER;
        Path base = GiltracerSwitches.baseName(output);
        checkOutputs(base);
        String interpreter = python;
        PrintWriter err = spec.commandLine().getErr();
        long postMs;
        try (RunScope run = RunScope.start(RecordingReport.outputsOf(base));
             ReportWarmup warmup = ReportWarmup.start(run.workDir());
             ProbeLease probes = noGil ? null : ProbeLease.acquire(interpreter, probeGroup);
             PerfRecorder recorder = PerfRecorder.prepare(new RecordOptions(!noGil, states, counters,
                     probes == null ? null : probes.group(), run.workDir(), sampled ? sampleRate : 0))) {
            run.watch(probes);
            Path workDir = run.workDir();
            if (sampled && probes != null) {
                PythonStacks.requireTrampolines(interpreter, probes.python().version());
            }
            recorder.notes().forEach(note -> err.println("giltracer: " + note));
            err.flush();
            Path viztracer = workDir.resolve("viztracer.json");
            Path sync = workDir.resolve("sync.json");
            Path runner = extractRunner(workDir);
            List<String> command = new ArrayList<>(List.of(interpreter, runner.toString(),
                    "--viztracer-out", viztracer.toString(), "--sync-out", sync.toString()));
            if (!imports.isEmpty()) {
                command.addAll(List.of("--import", String.join(",", imports)));
            }
            if (withoutViztracer) {
                command.add("--no-viztracer");
            }
            if (program.module() != null) {
                command.addAll(List.of("--fallback-path", ShimPackage.extract(workDir.resolve("shim")).toString()));
            }
            Path childPids = workDir.resolve("child-pids.txt");
            if (sampled) {
                command.addAll(List.of("--perf-trampoline",
                        "--child-pids-out", childPids.toString()));
            }
            command.addAll(program.runnerArguments());
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().putAll(recorder.controlEnvironment());
            Path startedMarker = workDir.resolve("started");
            builder.environment().put(STARTED_ENV, startedMarker.toString());
            if (switches.verbose()) {
                err.println("giltracer: running " + String.join(" ", command));
                err.flush();
            }
            builder.environment().putAll(run.environment());
            WindowCutter windows = new WindowCutter(recorder::cutWindow);
            Path stacksTrace = workDir.resolve("sampled-stacks.json");
            SampledStacks sampledStacks = sampled
                    ? new SampledStacks(windows, stacksTrace, PERF_MAP_DIR, sampleRate) : null;
            long targetPid = -1;
            FinalWindow finalWindow = FinalWindow.await(windows, workDir);
            builder.environment().putAll(finalWindow.environment());
            int exitCode;
            RecordingReport.Output out;
            try (TargetSignals signals = TargetSignals.install();
                 LiveReport live = LiveReport.start(new RecordingReport.Input(
                         sampled ? sampledStacks : windows, sampled ? stacksTrace : withoutViztracer ? null : viztracer,
                         sync, mode(noGil, states), probes == null ? null : probes.group(), Set.of())
                         .withProbeMethod(probes == null ? "" : probes.probeMethod()),
                         base.toAbsolutePath())) {
                long started;
                Process target = builder.start();
                targetPid = target.pid();
                try {
                    signals.running(target);
                    recorder.start(target.pid());
                    windows.startPacing(WINDOW_MILLIS, recorder::ready);
                    exitCode = awaitTarget(target, recorder);
                    signals.ended();
                    started = System.nanoTime();
                    if (!Files.exists(startedMarker)) {
                        // it printed why; a report of the moments in which nothing ran would only mislead
                        live.discard();
                        return exitCode == 0 ? 1 : exitCode;
                    }
                    if (finalWindow.window() == null) {
                        // the runner never said it was done (it crashed, or ran without perf): stop perf the slow way
                        windows.endWith(recorder.stop().dataFiles());
                    }
                } finally {
                    if (target.isAlive()) {
                        Programs.kill(target);
                    }
                }
                out = live.await();
                postMs = (System.nanoTime() - started) / 1_000_000;
                exitCode = signals.exitCode(exitCode);
            } finally {
                windows.close();
                if (sampledStacks != null) {
                    sampledStacks.removeMaps(targetPid, childPids);
                }
            }
            keepRecording(windows.windows(), viztracer);
            if (probes == null || !probes.temporary()) {
                recorder.closeInBackground(); // probes of our own can only be removed once perf is gone
            }
            if (!quiet && !noGil) {
                PrintWriter stdout = new PrintWriter(System.err, true);
                SummaryTable.print(out.result().summary(), stdout);
                stdout.flush();
            }
            if (!noGil && probes != null && probes.probeMethod().contains("inlined-release-stores")) {
                err.println("giltracer: " + SummaryJson.HANDOVER_NOT_MEASURED);
            }
            if (switches.verbose()) {
                err.println("giltracer: " + ConversionFigures.line(out.result()));
            }
            long lost = out.result().input().lostEvents();
            if (lost > 0) {
                err.printf(Locale.ROOT, "giltracer: perf lost %d events; figures may be off "
                        + "(record less: drop --state-detect or --counters)%n", lost);
            }
            err.printf(Locale.ROOT, "giltracer: wrote %s, %s and %s (post-processing %d ms)%n",
                    out.traceJson(), out.reportHtml(), out.summaryJson(), postMs);
            err.flush();
            return exitCode;
        }
    }

    /** The three outputs can be written: checked before the program runs, not found out after. */
    private void checkOutputs(Path base) throws IOException {
        if (OutputFile.isStdout(output)) {
            throw new UserError("-o names three files (NAME.json, NAME.html, NAME.summary.json): give a NAME, not -");
        }
        for (Path file : RecordingReport.outputsOf(base)) {
            OutputFile.of(file).check();
        }
    }

    /**
     * Waits for the program; should perf refuse to start meanwhile, the program is not left running unrecorded.
     */
    private static int awaitTarget(Process target, PerfRecorder recorder) throws InterruptedException {
        while (!recorder.ready()) {
            if (target.waitFor(20, TimeUnit.MILLISECONDS)) {
                return target.exitValue();
            }
            if (recorder.failedToStart()) {
                Programs.kill(target);
                String why = recorder.explanation();
                throw new UserError("perf record failed to start" + (why.isEmpty() ? "" : ": " + why)
                        + "; run 'per4m doctor'");
            }
        }
        return target.waitFor();
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
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(viztracer)) {
            Files.copy(viztracer, dir.resolve("viztracer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private PerfToTrace.Mode mode(boolean noGil, boolean states) {
        if (noGil) {
            return PerfToTrace.Mode.SCHED;
        }
        return states || !counters.isEmpty() ? PerfToTrace.Mode.ALL : PerfToTrace.Mode.GIL;
    }

    private static Path extractRunner(Path workDir) throws IOException {
        Path runner = workDir.resolve("per4m_runner.py");
        try (InputStream in = GiltracerCommand.class.getResourceAsStream("runner.py")) {
            if (in == null) {
                throw new IOException("runner.py is missing from the per4m jar: rebuild it with mvn package");
            }
            Files.copy(in, runner);
        }
        return runner;
    }

    /** What the runner runs: a script or a module, with its own arguments. */
    record TargetCommand(String module, String script, List<String> args) {
        static TargetCommand of(List<String> words) {
            if (words.get(0).equals("-m")) {
                if (words.size() < 2) {
                    throw new UserError("-m needs a module name, e.g. giltracer -m per4m.examples.contention");
                }
                return new TargetCommand(words.get(1), null, words.subList(2, words.size()));
            }
            if (words.get(0).startsWith("-")) {
                throw new UserError("unknown option " + words.get(0) + " (see giltracer --help)");
            }
            if (!Files.isRegularFile(Path.of(words.get(0)))) {
                throw new UserError("can't open file '" + words.get(0) + "': no such file");
            }
            return new TargetCommand(null, words.get(0), words.subList(1, words.size()));
        }

        List<String> runnerArguments() {
            List<String> arguments = new ArrayList<>();
            if (module != null) {
                arguments.addAll(List.of("--module", module));
            } else {
                arguments.add(script);
            }
            arguments.addAll(args);
            return arguments;
        }
    }
}
