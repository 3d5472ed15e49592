package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.files.OutputFile;
import io.per4m.flame.FlameGraphSvg;
import io.per4m.flame.FoldedStacks;
import io.per4m.flame.OffGilStacks;
import io.per4m.flame.PythonStacks;
import io.per4m.flame.StackMerger;
import io.per4m.flame.StateStacks;
import io.per4m.flame.TraceWaitStacks;
import io.per4m.gil.GilAnalyzer;
import io.per4m.gil.GilState;
import io.per4m.perf.ParseReport;
import io.per4m.perf.PerfScriptParser;
import io.per4m.perf.data.PerfDataFiles;
import io.per4m.pipeline.EventPipeline;
import io.per4m.sched.ProcessState;
import io.per4m.sched.StateAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "offgil", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
        "Who waits for the GIL, and where in the code: a flame graph of GIL wait time (take_gil to its return)",
        "by call chain, with the Python stack from a viztracer trace in place of CPython's eval frames.",
        "Input: a recording with call chains (perf.data, or its `perf script --ns --no-inline` text), e.g.",
        "  perf record -e 'python:take_gil*' --call-graph dwarf -o perf.data -- python script.py",
        "Without input, the trace a giltracer run left (giltracer.json): GIL waits by Python stack."})
final class OffGilCommand implements Callable<Integer> {
    private static final String RECORD_HINT = "record with `perf record -e 'python:take_gil*' --call-graph dwarf ...`";

    @Spec
    CommandSpec spec;

    private static final Path GILTRACER_TRACE = Path.of("giltracer.json");

    @Parameters(index = "0", arity = "0..1", paramLabel = "INPUT",
            description = "perf.data or perf script text; - for stdin; none: stdin if piped, else giltracer.json")
    String input;

    @Option(names = "--input-perf", paramLabel = "FILE", description = "the recording (perf.data, or perf script text)")
    String inputPerf;

    @Option(names = {"-i", "--viztracer", "--input-viztracer"}, paramLabel = "JSON",
            description = "viztracer trace of the same run, for the Python stacks (without input: giltracer's trace)")
    Path viztracer;

    @Mixin
    OffGilSwitches switches;

    @Option(names = "--clock-offset-ns", paramLabel = "N", description = "perf ns + N = viztracer ns (default: 0)")
    long clockOffsetNs;

    @Option(names = {"--folded", "-o", "--output"}, paramLabel = "OUT", description = "folded stacks file (- for stdout); default stdout when no --svg")
    String folded;

    @Option(names = "--svg", paramLabel = "OUT", description = "flame graph SVG file")
    Path svg;

    @Option(names = "--title", paramLabel = "T", description = "SVG title (default: ${DEFAULT-VALUE})", defaultValue = "Off-GIL time")
    String title;

    @Option(names = "--no-strip-take-gil", description = "keep the frames take_gil (and drop_gil) call (with --state: the kernel and pthread frames)")
    boolean noStripTakeGil;

    @Option(names = "--keep-cpython-evals", description = "keep CPython's C frames below the Python ones")
    boolean keepCpythonEvals;

    @Option(names = "--unit", paramLabel = "UNIT", description = "weight unit: ns, us or ms (default: ${DEFAULT-VALUE})", defaultValue = "us")
    String unit;

    @Option(names = "--state", paramLabel = "STATE", description = {
            "weigh by time in this process state instead of GIL waits, e.g. S(GIL), S, D, R",
            "(needs sched:sched_switch recorded with --call-graph dwarf)"})
    String state;

    @Override
    public Integer call() throws IOException {
        long nsPerUnit = switch (unit) {
            case "ns" -> 1;
            case "us" -> 1_000;
            case "ms" -> 1_000_000;
            default -> throw new UserError("--unit must be ns, us or ms, not '" + unit + "'");
        };
        ProcessState wanted = state == null ? null : processState(state);
        if (folded != null) {
            OutputFile.of(Path.of(folded)).check();
        }
        if (svg != null) {
            OutputFile.of(svg).check();
        }
        PrintWriter err = spec.commandLine().getErr();
        switches.notes().forEach(note -> err.println("offgil: " + note));
        if (inputPerf != null) {
            if (input != null) {
                throw new UserError("give the recording once: as INPUT or as --input-perf");
            }
            input = inputPerf;
        }
        if (input == null && !StandardInput.carriesText()) {
            write(giltracerTrace(wanted, nsPerUnit, err));
            return 0;
        }
        PythonStacks python = readViztracer();
        StackMerger merger = new StackMerger(python, clockOffsetNs, !noStripTakeGil, keepCpythonEvals);
        FoldedStacks stacks = wanted == null ? gilWaits(merger, nsPerUnit) : stateTimes(wanted, merger, nsPerUnit);
        write(stacks);
        return 0;
    }

    /** GIL waits (or time in {@code wanted}) by Python stack, from the trace a giltracer run wrote. */
    private FoldedStacks giltracerTrace(ProcessState wanted, long nsPerUnit, PrintWriter err) throws IOException {
        Path trace = viztracer != null ? viztracer : GILTRACER_TRACE;
        if (!Files.isRegularFile(trace)) {
            throw new UserError("no input: pipe `perf script --ns --no-inline` text in, give a recording "
                    + "(--input-perf perf.data), or run giltracer first (offgil then reads the " + trace
                    + " it leaves)");
        }
        if (noStripTakeGil || keepCpythonEvals) {
            err.println("offgil: " + trace + " has Python stacks only: --no-strip-take-gil and "
                    + "--keep-cpython-evals change nothing (they concern the C stacks of a recording with call chains)");
        }
        TraceWaitStacks stacks = wanted == null
                ? TraceWaitStacks.read(trace, "gil", GilState.WAIT.label(), "take_gil")
                : TraceWaitStacks.read(trace, "state", wanted.label(), wanted.label());
        if (stacks.slices() == 0) {
            throw new UserError(trace + " has no " + (wanted == null ? GilState.WAIT.label()
                    : wanted.label()) + " slices: run giltracer " + (wanted == null ? "with GIL detection"
                    : "--state-detect") + " first, or give a recording with call chains");
        }
        err.printf("offgil: %d %s slices from %s, %.3f ms in %d threads%n", stacks.slices(),
                wanted == null ? GilState.WAIT.label() : wanted.label(), trace, stacks.totalNs() / 1e6,
                stacks.threads());
        return stacks.folded(nsPerUnit);
    }

    private FoldedStacks gilWaits(StackMerger merger, long nsPerUnit) throws IOException {
        OffGilStacks offGil = new OffGilStacks(merger);
        GilAnalyzer gil = new GilAnalyzer(null, offGil);
        EventPipeline.Run run = read(new EventPipeline(gil).observer(offGil));
        if (!gil.sawGilEvents()) {
            throw new UserError("no GIL probe events (take_gil/drop_gil) in " + inputName()
                    + ": add the probes with `per4m setup`, then " + RECORD_HINT);
        }
        if (offGil.chainEventsWithCallChain() == 0) {
            throw new UserError("the take_gil events in " + inputName() + " have no call chains: " + RECORD_HINT);
        }
        spec.commandLine().getErr().printf("offgil: %d GIL waits, %.3f ms in %d threads%n",
                offGil.intervals(), offGil.totalNs() / 1e6, offGil.threads());
        reportAnomalies(run);
        return offGil.folded(nsPerUnit);
    }

    private FoldedStacks stateTimes(ProcessState wanted, StackMerger merger, long nsPerUnit) throws IOException {
        StateStacks stateStacks = new StateStacks(wanted, merger);
        GilAnalyzer gil = new GilAnalyzer(null, interval -> { });
        EventPipeline.Run run = read(new EventPipeline(gil).observer(stateStacks)
                .states(new StateAnalyzer(gil, stateStacks)));
        if (stateStacks.chainEvents() == 0) {
            throw new UserError("no sched:sched_switch events in " + inputName()
                    + ": record with `perf record -e sched:sched_switch --call-graph dwarf ...`");
        }
        if (stateStacks.chainEventsWithCallChain() == 0) {
            throw new UserError("the sched_switch events in " + inputName()
                    + " have no call chains: record with `perf record -e sched:sched_switch --call-graph dwarf ...`");
        }
        spec.commandLine().getErr().printf("offgil: %d intervals in state %s, %.3f ms in %d threads%n",
                stateStacks.intervals(), wanted.label(), stateStacks.totalNs() / 1e6, stateStacks.threads());
        reportAnomalies(run);
        return stateStacks.folded(nsPerUnit);
    }

    private static ProcessState processState(String label) {
        for (ProcessState candidate : ProcessState.values()) {
            if (candidate.label().equals(label)) {
                return candidate;
            }
        }
        throw new UserError("--state must be one of " + Arrays.stream(ProcessState.values())
                .map(ProcessState::label).toList() + ", not '" + label + "'");
    }

    /** What was not taken as recorded: the figures above are right only as far as these counts are small. */
    private void reportAnomalies(EventPipeline.Run run) {
        Map<String, Long> anomalies = new TreeMap<>(run.summary().anomalies());
        if (!anomalies.isEmpty()) {
            spec.commandLine().getErr().println("offgil: anomalies (unpaired GIL events resynchronised, events with "
                    + "jumped timestamps dropped): " + anomalies.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
    }

    /** Reads the input (perf.data through perf script, or its text) through {@code pipeline}. */
    private EventPipeline.Run read(EventPipeline pipeline) throws IOException {
        InputStream text = input != null && !input.equals("-") && PerfDataFiles.isPerfData(Path.of(input))
                ? PerfScriptText.of(Path.of(input))
                : TextInput.open(input, "give perf script output with call chains");
        EventPipeline.Run run;
        try (InputStream in = new BufferedInputStream(text, 1 << 16)) {
            run = pipeline.read(sink -> new PerfScriptParser().parse(in, sink));
        }
        ParseReport report = run.report();
        if (report.binary()) {
            throw new UserError(inputName() + (report.lines() == 0 ? " looks like a perf.data file"
                    : " has a NUL byte in line " + report.lines() + ", which perf script text never has")
                    + ": give the text of `perf script --ns --no-inline -i perf.data`");
        }
        return run;
    }

    private String inputName() {
        return input == null || input.equals("-") ? "the input" : input;
    }

    private PythonStacks readViztracer() {
        if (viztracer == null) {
            return PythonStacks.empty();
        }
        try {
            return PythonStacks.read(viztracer);
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + viztracer);
        } catch (IOException e) {
            throw new UserError("cannot read viztracer trace " + viztracer + ": " + e.getMessage());
        }
    }

    private void write(FoldedStacks stacks) throws IOException {
        if (folded != null && !OutputFile.isStdout(Path.of(folded))) {
            OutputFile.of(Path.of(folded)).write(stacks::writeFolded);
        } else if (folded != null || svg == null) {
            PrintWriter out = spec.commandLine().getOut();
            stacks.writeFolded(out);
            out.flush();
        }
        if (svg != null) {
            OutputFile.of(svg).write(out -> new FlameGraphSvg(title, unit).write(stacks, out));
        }
    }
}
