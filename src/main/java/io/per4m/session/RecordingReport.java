package io.per4m.session;

import io.per4m.report.ReportData;
import io.per4m.report.ReportDataBuilder;
import io.per4m.report.ReportWriter;
import io.per4m.report.TraceJsonReader;
import io.per4m.perf.data.PerfDataReader;
import io.per4m.perf.data.WindowSource;
import io.per4m.trace.ClockAlignment;
import io.per4m.trace.PerfToTrace;
import io.per4m.trace.TrackSelection;
import io.per4m.trace.SummaryJson;
import io.per4m.trace.ViztracerClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * From a recording to what people look at: perf's windows (plus viztracer's trace and the runner's clock sync
 * file) become the merged trace JSON, the summary JSON and the HTML report. Used by giltracer and by the notebook
 * bridge, on a finished recording or, through {@link LiveReport}, on one still going on.
 * <p>
 * Both sides stamp CLOCK_MONOTONIC (see {@link ViztracerClock}), so perf's windows are converted as they come
 * with perf's timestamps as they are; the sync file, written when the program ends, only confirms it. Should it
 * show the clocks a microsecond or more apart, the recording is converted again with the offset.
 */
public final class RecordingReport {
    /** Below this, an offset the sync pairs measure is their own noise and viztracer's calibration error. */
    static final long SAME_CLOCK_TOLERANCE_NS = 1_000;

    /**
     * @param windows    perf's windows of the recording, in time order (ending once the viztracer trace and the sync
     *                   file, if any, are complete)
     * @param viztracer  viztracer's trace, or null; used if it exists once perf's windows are read
     * @param syncFile   the runner's clock sync file, or null (then perf's clock is viztracer's)
     * @param mode       which tracks to convert
     * @param probeGroup uprobe group of the GIL probes, or null
     * @param hiddenTids threads to leave out (a notebook kernel's own)
     * @param threadNames the Python program's own thread names (io.per4m.trace.PythonThreadNames), or null
     * @param probeMethod how the GIL probes were placed ("symbols", "located:..."), or "" when not known
     */
    public record Input(WindowSource windows, Path viztracer, Path syncFile, PerfToTrace.Mode mode, String probeGroup,
                        Set<Integer> hiddenTids, Path threadNames, String probeMethod) {
        /** The runner writes the program's thread names into its sync file. */
        public Input(WindowSource windows, Path viztracer, Path syncFile, PerfToTrace.Mode mode, String probeGroup,
                     Set<Integer> hiddenTids) {
            this(windows, viztracer, syncFile, mode, probeGroup, hiddenTids, syncFile, "");
        }

        public Input withProbeMethod(String method) {
            return new Input(windows, viztracer, syncFile, mode, probeGroup, hiddenTids, threadNames, method);
        }

        public Input(List<Path> dataFiles, Path viztracer, Path syncFile, PerfToTrace.Mode mode, String probeGroup,
                     Set<Integer> hiddenTids) {
            this(WindowSource.of(dataFiles), viztracer, syncFile, mode, probeGroup, hiddenTids);
        }
    }

    /** @param base output name without extension: base.json, base.summary.json, base.html */
    public record Output(Path traceJson, Path summaryJson, Path reportHtml, PerfToTrace.Result result,
                         SummaryJson.Document summary, ReportData report, ClockAlignment clock) {
    }

    /**
     * @param report   null when the conversion's clock proved wrong (no report was made)
     * @param measured the clock the sync file measures
     */
    private record Conversion(PerfToTrace.Result result, ReportData report, SummaryJson.Document summary,
                              ClockAlignment measured) {
    }

    /** What the second thread made: the report, unless the clock proved wrong. */
    private record Made(ReportData report, SummaryJson.Document summary, ClockAlignment measured) {
    }

    /** The files {@link #write} writes for {@code base}: the trace, the summary and the report. */
    public static List<Path> outputsOf(Path base) {
        return List.of(sibling(base, ".json"), sibling(base, ".summary.json"), sibling(base, ".html"));
    }

    public Output write(Input input, Path base) throws IOException {
        long begun = System.nanoTime();
        Path traceJson = sibling(base, ".json");
        Path summaryJson = sibling(base, ".summary.json");
        Path html = sibling(base, ".html");
        WindowsRead read = new WindowsRead(input.windows());
        ClockAlignment clock = ClockAlignment.NONE;
        Conversion conversion = convert(input, read, clock, traceJson, summaryJson, html);
        if (conversion.report() == null) {
            clock = conversion.measured();
            conversion = convert(input, WindowSource.of(read.files), clock, traceJson, summaryJson, html);
        }
        if ("1".equals(System.getenv("PER4M_DEBUG"))) {
            System.err.printf("per4m: conversion and report %d ms%n", (System.nanoTime() - begun) / 1_000_000);
        }
        return new Output(traceJson, summaryJson, html, conversion.result(), conversion.summary(),
                conversion.report(), clock);
    }

    /**
     * Converts the recording; once everything is analysed, and if {@code clock} is the one the sync file measures,
     * the report is made on a second thread while the trace file gets its last bytes (viztracer's events).
     */
    private static Conversion convert(Input input, WindowSource windows, ClockAlignment clock, Path traceJson,
                                      Path summaryJson, Path html) throws IOException {
        PerfToTrace.Options options = new PerfToTrace.Options(input.mode(), input.viztracer(), traceJson,
                input.probeGroup(), clock, 0, input.hiddenTids(), TrackSelection.ALL, input.threadNames());
        // the report is built from what the conversion writes, as it writes it, not by re-reading the merged trace
        ReportDataBuilder builder = new ReportDataBuilder();
        CompletableFuture<Made> report = new CompletableFuture<>();
        AtomicReference<Thread> reportWriter = new AtomicReference<>();
        Consumer<PerfToTrace.Result> whenAnalysed = result -> {
            ClockAlignment measured;
            try {
                measured = measuredClock(input.syncFile());
            } catch (RuntimeException e) {
                report.completeExceptionally(e);
                return;
            }
            if (Math.abs(measured.offsetNs() - clock.offsetNs()) >= SAME_CLOCK_TOLERANCE_NS) {
                report.complete(new Made(null, null, measured));
                return;
            }
            Thread writer = new Thread(() -> {
                try {
                    SummaryJson.Document summary = SummaryJson.Document.of(result.summary(), result.input(),
                            input.probeMethod());
                    summary.writeTo(summaryJson);
                    builder.summary(summary.tree());
                    ReportData data = builder.build();
                    new ReportWriter().write(data, html);
                    report.complete(new Made(data, summary, measured));
                } catch (Throwable e) {
                    report.completeExceptionally(e);
                }
            }, "per4m-report-writer");
            writer.setDaemon(true);
            reportWriter.set(writer);
            writer.start();
        };
        try {
            PerfToTrace.Result result = new PerfToTrace(builder, new TraceJsonReader(builder), whenAnalysed)
                    .run(new PerfDataReader(windows), "perf's recording", options);
            Made made = Outcomes.await(report);
            return new Conversion(result, made.report(), made.summary(), made.measured());
        } finally {
            settle(reportWriter.get());
        }
    }

    /**
     * Waits for the report's writer even when the conversion was interrupted or failed: a report abandoned by its
     * caller must not have files written after it gave up on them.
     */
    private static void settle(Thread writer) {
        if (writer == null) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.isAlive() && System.nanoTime() < deadline) {
            try {
                writer.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The perf-to-trace clock the runner's sync file measures; perf's own when there is none. */
    private static ClockAlignment measuredClock(Path syncFile) {
        if (syncFile == null || !Files.isRegularFile(syncFile)) {
            return ClockAlignment.NONE;
        }
        try {
            // ViztracerClock's offset is perf minus viztracer; the trace's clock is viztracer's
            return new ClockAlignment(-ViztracerClock.fromSyncFile(syncFile).offsetNs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Passes windows on and remembers them, for a second conversion. */
    private static final class WindowsRead implements WindowSource {
        private final WindowSource windows;
        private final List<Path> files = new ArrayList<>();

        WindowsRead(WindowSource windows) {
            this.windows = windows;
        }

        @Override
        public Path next() throws IOException {
            Path next = windows.next();
            if (next != null) {
                files.add(next);
            }
            return next;
        }
    }

    private static Path sibling(Path base, String extension) {
        return base.resolveSibling(base.getFileName() + extension);
    }
}
