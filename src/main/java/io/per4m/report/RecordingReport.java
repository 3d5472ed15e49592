package io.per4m.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.perf.data.PerfDataReader;
import io.per4m.trace.ClockAlignment;
import io.per4m.trace.PerfToTrace;
import io.per4m.trace.SummaryJson;
import io.per4m.trace.ViztracerClock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * From a finished recording to what people look at: perf's data files (plus viztracer's trace and the runner's
 * clock sync file) become the merged trace JSON, the summary JSON and the HTML report. Used by giltracer and by
 * the notebook bridge.
 */
public final class RecordingReport {
    private static final ObjectMapper SUMMARY_READER = new ObjectMapper();
    /**
     * @param dataFiles  perf.data files of the recording, in time order
     * @param viztracer  viztracer's trace, or null
     * @param syncFile   the runner's clock sync file, or null (then perf's clock is taken as viztracer's)
     * @param mode       which tracks to convert
     * @param probeGroup uprobe group of the GIL probes, or null
     * @param hiddenTids threads to leave out (a notebook kernel's own)
     */
    public record Input(List<Path> dataFiles, Path viztracer, Path syncFile, PerfToTrace.Mode mode, String probeGroup,
                        Set<Integer> hiddenTids) {
    }

    /** @param base output name without extension: base.json, base.summary.json, base.html */
    public record Output(Path traceJson, Path summaryJson, Path reportHtml, PerfToTrace.Result result,
                         ReportData report) {
    }

    public Output write(Input input, Path base) throws IOException {
        long begun = System.nanoTime();
        Path traceJson = sibling(base, ".json");
        Path summaryJson = sibling(base, ".summary.json");
        Path html = sibling(base, ".html");
        ClockAlignment clock = ClockAlignment.NONE;
        if (input.syncFile() != null && Files.isRegularFile(input.syncFile())) {
            // ViztracerClock's offset is perf minus viztracer; the trace's clock is viztracer's
            clock = new ClockAlignment(-ViztracerClock.fromSyncFile(input.syncFile()).offsetNs());
        }
        Path viztracer = input.viztracer() != null && Files.isRegularFile(input.viztracer()) ? input.viztracer() : null;
        PerfToTrace.Options options = new PerfToTrace.Options(input.mode(), viztracer, traceJson, input.probeGroup(),
                clock, 0, input.hiddenTids());
        // the report is built from what the conversion writes, as it writes it, not by re-reading the merged trace
        ReportDataBuilder builder = new ReportDataBuilder();
        PerfToTrace.Result result = new PerfToTrace(builder, new TraceJsonReader(builder)).run(new PerfDataReader(input.dataFiles()),
                input.dataFiles().isEmpty() ? null : input.dataFiles().get(0).toString(), options);
        long converted = System.nanoTime();
        SummaryJson.write(summaryJson, result.summary(), result.input());
        builder.summary(SUMMARY_READER.readTree(summaryJson.toFile()));
        ReportData report = builder.build();
        new ReportWriter().write(report, html);
        if ("1".equals(System.getenv("PER4M_DEBUG"))) {
            System.err.printf("per4m: conversion %d ms, report %d ms%n", (converted - begun) / 1_000_000,
                    (System.nanoTime() - converted) / 1_000_000);
        }
        return new Output(traceJson, summaryJson, html, result, report);
    }

    private static Path sibling(Path base, String extension) {
        return base.resolveSibling(base.getFileName() + extension);
    }
}
