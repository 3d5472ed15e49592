package io.per4m.session;

import io.per4m.perf.RecordOptions;
import io.per4m.perf.data.WindowSource;
import io.per4m.report.ReportWriter;
import io.per4m.trace.PythonThreadNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns one cell's perf windows (and viztracer trace) into the trace JSON, the report and the inline HTML,
 * converting the windows while the cell runs.
 */
class CellProcessor {
    static final String BASE_NAME = "giltracer";

    /**
     * @param windows           this cell's perf windows, ending once the viztracer trace is saved
     * @param viztracerJson     where viztracer's trace of the cell is saved at its end, or null
     * @param outDir            where the cell's files go (exists)
     * @param pid               the traced process
     * @param options           what was recorded
     * @param kernelTids        threads of the kernel itself (heartbeat, IOPub, control, ...)
     * @param showKernelThreads show them one by one instead of folding them into one "kernel" group
     */
    record CellInput(WindowSource windows, Path viztracerJson, Path outDir, long pid, RecordOptions options,
                     String probeMethod, Set<Integer> kernelTids, boolean showKernelThreads) {
    }

    /** @param traceJson null when not written @param reportHtml null when not written */
    record CellOutput(Path traceJson, Path reportHtml, String summaryJson, String inlineHtml, List<String> messages,
                      long lostEvents) {
    }

    /** A cell's conversion under way. */
    interface Conversion {
        /** Waits for the conversion (the cell's windows must have ended) and makes what the notebook shows. */
        CellOutput finish() throws IOException;

        /** Stops the conversion; its partial files are deleted. */
        void abandon();
    }

    Conversion start(CellInput input) {
        // the cell's viztracer ran in the kernel itself, on CLOCK_MONOTONIC like perf: no sync file needed
        LiveReport live = LiveReport.start(new RecordingReport.Input(input.windows(), input.viztracerJson(), null,
                RecordingRules.mode(input.options()),
                input.options().gil() ? input.options().probeGroup() : null,
                input.showKernelThreads() ? Set.of() : input.kernelTids(),
                input.outDir().resolve(PythonThreadNames.CELL_FILE), input.probeMethod()),
                input.outDir().resolve(BASE_NAME));
        return new Conversion() {
            @Override
            public CellOutput finish() throws IOException {
                return output(live.await());
            }

            @Override
            public void abandon() {
                live.close();
            }
        };
    }

    private static CellOutput output(RecordingReport.Output out) throws IOException {
        List<String> messages = new ArrayList<>();
        String inline = new ReportWriter().inline(out.report(), out.traceJson(), href(out.reportHtml()),
                href(out.traceJson()));
        String summary = out.summary().text();
        if (out.result().report().badLines() > 0) {
            messages.add(out.result().report().badLines() + " records of perf's output could not be read");
        }
        long lost = out.result().input().lostEvents();
        if (lost > 0) {
            messages.add(RecordingRules.lostEvents(lost));
        }
        return new CellOutput(out.traceJson(), out.reportHtml(), summary, inline, messages, lost);
    }

    /** A link relative to the kernel's working folder (the notebook's), or null when the file is elsewhere. */
    private static String href(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString().replace('\\', '/') : null;
    }
}
