package io.per4m.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.trace.PerfToTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled warm-up recording (real perf and viztracer, one giltracer run) through the whole report. */
class RecordingReportTest {
    @TempDir
    Path dir;

    private Path extract(String resource) throws IOException {
        Path target = dir.resolve(resource.replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(RecordingReport.class.getResourceAsStream("/io/per4m/report/warmup/" + resource))) {
            Files.copy(in, target);
        }
        return target;
    }

    /** A sync file whose one pair says perf's clock reads {@code offsetNs} more than viztracer's. */
    private Path sync(long offsetNs) throws IOException {
        return Files.writeString(dir.resolve("sync-" + offsetNs + ".json"), """
                {"clock": "CLOCK_MONOTONIC", "pairs": [
                  {"where": "end", "viztracer_us": 1000.0, "clock_ns": %d, "uncertainty_ns": 40}]}
                """.formatted(1_000_000 + offsetNs));
    }

    /** Start times (µs) of the GIL slices in the trace written. */
    private List<Double> gilStarts(Path perfData, Path viztracer, Path sync, String name) throws IOException {
        RecordingReport.Output out = new RecordingReport().write(new RecordingReport.Input(List.of(perfData),
                viztracer, sync, PerfToTrace.Mode.GIL, "python", Set.of()), dir.resolve(name));
        assertTrue(Files.size(out.reportHtml()) > 0);
        JsonNode trace = new ObjectMapper().readTree(out.traceJson().toFile());
        List<Double> starts = new java.util.ArrayList<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if ("gil".equals(e.path("cat").asText()) && "b".equals(e.path("ph").asText())) {
                starts.add(e.get("ts").asDouble());
            }
        }
        assertTrue(starts.size() > 100, "GIL slices: " + starts.size());
        return starts;
    }

    @Test
    void clocksAMicrosecondApartAreAlignedAndNoiseIsNot() throws Exception {
        Path perfData = extract("perf.data.gz");
        Path viztracer = extract("viztracer.json.gz");
        List<Double> same = gilStarts(perfData, viztracer, null, "same");
        List<Double> apart = gilStarts(perfData, viztracer, sync(5_000), "apart");
        List<Double> noise = gilStarts(perfData, viztracer, sync(300), "noise");
        assertEquals(same, noise, "300 ns is below what the sync pairs can tell: perf's times stand");
        assertEquals(same.size(), apart.size());
        for (int i = 0; i < same.size(); i++) {
            assertEquals(same.get(i) - 5.0, apart.get(i), 0.0015, "slice " + i + " moved 5 µs onto viztracer's clock");
        }
    }
}
