package io.per4m.session;

import io.per4m.files.FileTrees;
import io.per4m.report.ReportWriter;
import io.per4m.trace.PerfToTrace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Runs the whole conversion once, in the background, on a small recording bundled in the jar (a giltracer run of
 * the contention example with states and counters), so that class loading, JIT compilation and the setup of the
 * JSON and HTML writers happen while perf starts and the traced program runs, not after it: the real conversion
 * then starts warm. Whatever goes wrong here only costs that head start.
 */
public final class ReportWarmup implements AutoCloseable {
    /** The bundled recording, beside the report it warms up. */
    private static final String RESOURCES = "/io/per4m/report/warmup/";
    private final Thread thread;
    private final Path scratch;

    private ReportWarmup(Path scratch) {
        this.scratch = scratch;
        this.thread = new Thread(this::run, "per4m-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** Starts the warm-up in {@code parent} (a directory of its own is made there and removed at close). */
    public static ReportWarmup start(Path parent) {
        ReportWarmup warmup = new ReportWarmup(parent.resolve("per4m-warmup"));
        warmup.thread.start();
        return warmup;
    }

    /** Waits up to {@code millis} for the warm-up to finish (it runs beside the real conversion otherwise). */
    public void await(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            Files.createDirectories(scratch);
            Path perfData = extract("perf.data.gz", scratch.resolve("perf.data"));
            Path viztracer = extract("viztracer.json.gz", scratch.resolve("viztracer.json"));
            RecordingReport.Output out = new RecordingReport().write(new RecordingReport.Input(List.of(perfData),
                    viztracer, null, PerfToTrace.Mode.ALL, "python", Set.of()), scratch.resolve("warmup"));
            new ReportWriter().inline(out.report(), out.traceJson(), null, null);
        } catch (IOException | RuntimeException ignored) {
            // a cold start instead
        } finally {
            FileTrees.deleteQuietly(scratch);
        }
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = new GZIPInputStream(ReportWarmup.class.getResourceAsStream(RESOURCES + resource))) {
            Files.copy(in, target);
        }
        return target;
    }

    @Override
    public void close() {
        await(5000);
    }
}
