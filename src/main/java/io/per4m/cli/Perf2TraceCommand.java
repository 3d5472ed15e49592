package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.files.OutputFile;
import io.per4m.perf.ParseReport;
import io.per4m.perf.data.PerfDataFiles;
import io.per4m.perf.data.PerfDataReader;
import io.per4m.trace.ClockAlignment;
import io.per4m.trace.PerfToTrace;
import io.per4m.trace.SummaryJson;
import io.per4m.trace.SummaryTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "perf2trace", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Convert a perf recording (a perf.data file, or `perf script` text) into a GIL timeline "
                + "(Trace Event Format JSON) and per-thread figures.",
                "Example: per4m perf2trace gil perf.data -i viztracer.json",
                "         perf script -i perf.data --ns --no-inline | per4m perf2trace gil -i viztracer.json"})
final class Perf2TraceCommand implements Callable<Integer> {
    private static final int BAD_LINES_SHOWN = 3;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "[gil|sched|all] [INPUT|-]",
            description = "What to convert (gil: GIL slices; sched: process states and counters; all: both; default: "
                    + "what the recording has) and the recording to read: a perf.data file, or perf script text "
                    + "(default and '-': stdin).")
    List<String> positionals = List.of();

    @Option(names = {"-i", "--input"}, paramLabel = "viztracer.json", description = "viztracer trace to merge into the output.")
    Path viztracer;

    @Option(names = {"-o", "--output"}, paramLabel = "out.json", defaultValue = "perf2trace.json",
            description = "Trace JSON to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--summary-json", paramLabel = "PATH", description = "Also write the per-thread summary as JSON.")
    Path summaryJson;

    @Option(names = "--probe-group", paramLabel = "NAME",
            description = "uprobe group of the GIL probes (default: the first group seen with GIL events).")
    String probeGroup;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the summary table.")
    boolean quiet;

    @Mixin
    Perf2TraceSwitches switches;

    @Option(names = "--clock-offset-ns", paramLabel = "N", defaultValue = "0",
            description = "Added to perf's timestamps to put them on the trace's clock (default: ${DEFAULT-VALUE}).")
    long clockOffsetNs;

    @Override
    public Integer call() throws IOException {
        // no type: everything the recording has (GIL slices if it has GIL events, states if sched events, ...)
        PerfToTrace.Mode mode = PerfToTrace.Mode.ALL;
        String input = "-";
        List<String> args = positionals == null ? List.of() : positionals;
        int next = 0;
        if (next < args.size() && modeOf(args.get(next)) != null) {
            mode = modeOf(args.get(next++));
        }
        if (next < args.size()) {
            input = args.get(next++);
        }
        if (next < args.size()) {
            throw new UserError("expected [gil|sched|all] [INPUT], got: " + String.join(" ", args));
        }
        if (viztracer != null && !Files.isRegularFile(viztracer)) {
            throw new UserError("viztracer trace " + viztracer + " does not exist");
        }
        OutputFile.of(output).check();
        if (summaryJson != null) {
            OutputFile.of(summaryJson).check();
        }
        PrintWriter err = spec.commandLine().getErr();
        switches.notes().forEach(note -> err.println("perf2trace: " + note));
        PerfToTrace.Options options = new PerfToTrace.Options(mode, viztracer, output, probeGroup,
                new ClockAlignment(clockOffsetNs), 0, Set.of(), switches.selection(), null);

        PerfToTrace.Result result;
        if (!input.equals("-") && PerfDataFiles.isPerfData(Path.of(input))) {
            result = new PerfToTrace().run(new PerfDataReader(List.of(Path.of(input))), input, options);
        } else {
            try (InputStream in = TextInput.open(input, "give perf script output, e.g. "
                    + "perf script -i perf.data --ns --no-inline | per4m perf2trace")) {
                result = new PerfToTrace().run(in, input, options);
            }
        }
        reportBadLines(result.report(), err);
        if (result.report().binary()) {
            err.printf(Locale.ROOT, "perf2trace: the input turned binary after line %d; converted what came before%n",
                    result.report().lines());
        }
        if (switches.verbose()) {
            err.println("perf2trace: " + ConversionFigures.line(result));
        }
        if (summaryJson != null) {
            SummaryJson.write(summaryJson, result.summary(), result.input());
        }
        if (!quiet) {
            // with the trace on standard output, the table goes to stderr
            PrintWriter out = OutputFile.isStdout(output) || (summaryJson != null && OutputFile.isStdout(summaryJson))
                    ? err : spec.commandLine().getOut();
            if (!result.summary().threads().isEmpty()) {
                SummaryTable.print(result.summary(), out);
            }
            out.flush();
            err.printf(Locale.ROOT, "Wrote %s (%d GIL intervals, %d state intervals, %d counter points)%n",
                    OutputFile.isStdout(output) ? "the trace to standard output" : output,
                    result.gilIntervals(), result.stateIntervals(), result.counterPoints());
        }
        err.flush();
        return 0;
    }

    private static PerfToTrace.Mode modeOf(String arg) {
        return switch (arg) {
            case "gil" -> PerfToTrace.Mode.GIL;
            case "sched" -> PerfToTrace.Mode.SCHED;
            case "all" -> PerfToTrace.Mode.ALL;
            default -> null;
        };
    }

    private static void reportBadLines(ParseReport report, PrintWriter err) {
        if (report.badLines() == 0) {
            return;
        }
        err.printf(Locale.ROOT, "perf2trace: skipped %d line(s) that are not perf script output:%n", report.badLines());
        report.firstBadLines().stream().limit(BAD_LINES_SHOWN).forEach(bad -> {
            String text = bad.text().replaceAll("\\p{Cntrl}", "?");
            err.printf(Locale.ROOT, "  line %d: %s%n", bad.lineNumber(), text.length() > 100 ? text.substring(0, 97) + "..." : text);
        });
    }
}
