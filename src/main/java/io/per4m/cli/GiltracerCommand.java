package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.files.OutputFile;
import io.per4m.perf.RecordOptions;
import io.per4m.probes.ProbeLease;
import io.per4m.probes.StrippedGilLocator;
import io.per4m.session.ProgramRecording;
import io.per4m.session.RecordingReport;
import io.per4m.session.RecordingRules;
import io.per4m.session.ReportWarmup;
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
import java.util.Map;
import java.util.concurrent.Callable;

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


    @Override
    public Integer call() throws Exception {
        TargetCommand program = TargetCommand.of(target);
        boolean noGil = !switches.gil();
        boolean states = switches.states();
        PythonStacks stacks = noViztracer ? PythonStacks.NONE : PythonStacks.parse(pythonStacks);
        // what perf records; the probe group is the one found on the interpreter's libpython, once leased
        RecordOptions asked = new RecordOptions(!noGil, states, counters, probeGroup, 0);
        boolean sampled = stacks == PythonStacks.SAMPLED;
        if (sampled && (sampleRate < 1 || sampleRate > 10_000)) {
            throw new UserError("--sample-rate must be between 1 and 10000 samples a second, not " + sampleRate);
        }
        boolean withoutViztracer = stacks != PythonStacks.VIZTRACER;
        Path base = GiltracerSwitches.baseName(output);
        checkOutputs(base);
        String interpreter = python;
        PrintWriter err = spec.commandLine().getErr();
        try (RunScope run = RunScope.start(RecordingReport.outputsOf(base));
             ReportWarmup warmup = ReportWarmup.start(run.workDir());
             ProbeLease probes = noGil ? null : ProbeLease.acquire(interpreter, probeGroup);
             ProgramRecording recording = ProgramRecording.prepare(recorded(asked, probes, sampled), run.workDir(),
                     probes != null && probes.temporary(), probes == null ? "" : probes.probeMethod())) {
            run.watch(probes);
            Path workDir = run.workDir();
            if (sampled && probes != null) {
                PythonStacks.requireTrampolines(interpreter, probes.python().version());
            }
            recording.notes().forEach(note -> err.println("giltracer: " + note));
            err.flush();
            Path runner = extractRunner(workDir);
            List<String> command = new ArrayList<>(List.of(interpreter, runner.toString(),
                    "--viztracer-out", recording.viztracerTrace().toString(),
                    "--sync-out", recording.syncFile().toString()));
            if (!imports.isEmpty()) {
                command.addAll(List.of("--import", String.join(",", imports)));
            }
            if (withoutViztracer) {
                command.add("--no-viztracer");
            }
            if (program.module() != null) {
                command.addAll(List.of("--fallback-path", ShimPackage.extract(workDir.resolve("shim")).toString()));
            }
            if (sampled) {
                command.addAll(List.of("--perf-trampoline",
                        "--child-pids-out", recording.childPidsFile().toString()));
            }
            command.addAll(program.runnerArguments());
            ProgramRecording.Recorded recorded;
            int exitCode;
            try (TargetSignals signals = TargetSignals.install()) {
                recorded = recording.record(new ProgramRecording.Target() {
                    @Override
                    public Process start(Map<String, String> environment) throws IOException {
                        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                        builder.environment().putAll(environment);
                        builder.environment().putAll(run.environment());
                        if (switches.verbose()) {
                            err.println("giltracer: running " + String.join(" ", command));
                            err.flush();
                        }
                        return builder.start();
                    }

                    @Override
                    public void running(Process target) {
                        signals.running(target);
                    }

                    @Override
                    public void ended() {
                        signals.ended();
                    }
                }, base, !withoutViztracer);
                if (recorded.output() == null) {
                    return recorded.exitCode() == 0 ? 1 : recorded.exitCode();
                }
                exitCode = signals.exitCode(recorded.exitCode());
            }
            RecordingReport.Output out = recorded.output();
            long postMs = recorded.postMillis();
            if (!quiet && !noGil) {
                PrintWriter stdout = new PrintWriter(System.err, true);
                SummaryTable.print(out.result().summary(), stdout);
                stdout.flush();
            }
            if (!noGil && probes != null && StrippedGilLocator.handoverNotMeasured(probes.probeMethod())) {
                err.println("giltracer: " + SummaryJson.HANDOVER_NOT_MEASURED);
            }
            if (switches.verbose()) {
                err.println("giltracer: " + ConversionFigures.line(out.result()));
            }
            long lost = out.result().input().lostEvents();
            if (lost > 0) {
                err.println("giltracer: " + RecordingRules.lostEvents(lost));
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

    /** What perf records: the GIL probes of the leased group, and stack samples for sampled Python stacks. */
    private RecordOptions recorded(RecordOptions asked, ProbeLease probes, boolean sampled) {
        RecordOptions options = probes == null ? asked : asked.withProbeGroup(probes.group());
        return new RecordOptions(options.gil(), options.states(), options.counters(), options.probeGroup(),
                sampled ? sampleRate : 0);
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
