package io.per4m.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.per4m.report.RecordingReport;
import io.per4m.report.ReportWriter;
import io.per4m.trace.PerfToTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns one cell's perf window (and viztracer trace) into the trace JSON, the report and the inline HTML. */
class CellProcessor {
    static final String BASE_NAME = "giltracer";

    /**
     * @param perfData          this cell's perf.data window
     * @param viztracerJson     viztracer's trace of the cell, or null
     * @param outDir            where the cell's files go (exists)
     * @param pid               the traced process
     * @param options           what was recorded
     * @param kernelTids        threads of the kernel itself (heartbeat, IOPub, control, ...)
     * @param showKernelThreads show them one by one instead of folding them into one "kernel" group
     */
    record CellInput(Path perfData, Path viztracerJson, Path outDir, long pid, RecordingOptions options,
                     Set<Long> kernelTids, boolean showKernelThreads) {
    }

    /** @param traceJson null when not written @param reportHtml null when not written */
    record CellOutput(Path traceJson, Path reportHtml, String summaryJson, String inlineHtml, List<String> messages,
                      long lostEvents) {
    }

    CellOutput process(CellInput input) throws IOException {
        List<String> messages = new ArrayList<>();
        PerfToTrace.Mode mode = !input.options().gil() ? PerfToTrace.Mode.SCHED
                : input.options().states() || !input.options().counters().isEmpty() ? PerfToTrace.Mode.ALL
                : PerfToTrace.Mode.GIL;
        // the cell's viztracer ran in the kernel itself, on CLOCK_MONOTONIC like perf: no sync file needed
        RecordingReport.Output out = new RecordingReport().write(new RecordingReport.Input(List.of(input.perfData()),
                input.viztracerJson(), null, mode, input.options().gil() ? input.options().probeGroup() : null,
                input.showKernelThreads() ? Set.of() : kernelThreads(input)),
                input.outDir().resolve(BASE_NAME));
        String inline = new ReportWriter().inline(out.report(), out.traceJson(), href(out.reportHtml()),
                href(out.traceJson()));
        String summary = Files.readString(out.summaryJson(), StandardCharsets.UTF_8);
        if (out.result().report().badLines() > 0) {
            messages.add(out.result().report().badLines() + " lines of perf output could not be read");
        }
        long lost = out.result().input().lostEvents();
        if (lost > 0) {
            messages.add("perf lost " + lost + " events: figures may be off (record less: drop --state-detect or --counters)");
        }
        return new CellOutput(out.traceJson(), out.reportHtml(), summary, inline, messages, lost);
    }

    private static Set<Integer> kernelThreads(CellInput input) {
        return input.kernelTids().stream().map(Long::intValue).collect(java.util.stream.Collectors.toSet());
    }

    /** A link relative to the kernel's working folder (the notebook's), or null when the file is elsewhere. */
    private static String href(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString().replace('\\', '/') : null;
    }
}
