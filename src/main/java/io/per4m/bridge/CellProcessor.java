package io.per4m.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns one cell's perf window (and viztracer trace) into the trace JSON, the report and the inline HTML. */
class CellProcessor {
    static final String TRACE_FILE = "giltracer.json";
    static final String REPORT_FILE = "giltracer.html";
    static final String PLACEHOLDER_MARKER = "per4m-placeholder-report";

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
        // TODO(lead): wire PerfToTrace + ReportWriter: `perf script` on input.perfData() -> PerfToTrace (GIL, states,
        //  counters; merged with input.viztracerJson(); kernel threads folded unless showKernelThreads) -> TRACE_FILE,
        //  summary JSON; ReportWriter -> REPORT_FILE and the inline iframe HTML. Until then: a placeholder.
        List<String> messages = new ArrayList<>();
        Path trace = input.outDir().resolve(TRACE_FILE);
        if (input.viztracerJson() != null && Files.isRegularFile(input.viztracerJson())) {
            Files.copy(input.viztracerJson(), trace, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(trace, "{\"traceEvents\": []}\n", StandardCharsets.UTF_8);
        }
        if (input.perfData() != null && Files.isRegularFile(input.perfData())) {
            Files.copy(input.perfData(), input.outDir().resolve("perf.data"), StandardCopyOption.REPLACE_EXISTING);
        }
        String body = "<div class=\"" + PLACEHOLDER_MARKER + "\">per4m: the GIL analysis is not wired into the"
                + " notebook bridge yet; the cell's perf window is in perf.data.</div>";
        Path report = input.outDir().resolve(REPORT_FILE);
        Files.writeString(report, "<!doctype html><html><body>" + body + "</body></html>\n", StandardCharsets.UTF_8);
        messages.add("placeholder report (analysis not wired yet)");
        return new CellOutput(trace, report, "{}", body, messages, 0);
    }
}
