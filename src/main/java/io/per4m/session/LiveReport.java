package io.per4m.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RecordingReport} made while the recording goes on: a thread of its own converts perf's windows as they
 * are cut, so that when the program ends only the last window, viztracer's trace and the page are left to do.
 */
public final class LiveReport implements AutoCloseable {
    private final CompletableFuture<RecordingReport.Output> output = new CompletableFuture<>();
    private final Thread thread;
    private final Path base;
    private final FileTime startedAt = FileTime.from(Instant.now());

    private LiveReport(RecordingReport.Input input, Path base) {
        this.base = base;
        this.thread = new Thread(() -> run(input, base), "per4m-live-report");
        thread.setDaemon(true);
    }

    /** Starts converting; the input's windows end the work (end them, or close this). */
    public static LiveReport start(RecordingReport.Input input, Path base) {
        LiveReport live = new LiveReport(input, base);
        live.thread.start();
        return live;
    }

    private void run(RecordingReport.Input input, Path base) {
        try {
            output.complete(new RecordingReport().write(input, base));
        } catch (Throwable e) {
            output.completeExceptionally(e);
        }
    }

    /** Waits for the report (its windows must have ended) and returns it, or throws what the conversion threw. */
    public RecordingReport.Output await() throws IOException {
        return Outcomes.await(output);
    }

    /**
     * Abandons the report: a conversion under way stops, and every output it wrote goes, whether it finished or
     * stopped between files (an output older than this report, from an earlier run, stays).
     */
    public void discard() throws IOException {
        close();
        for (Path file : RecordingReport.outputsOf(base)) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).compareTo(startedAt) >= 0) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Abandons a conversion still under way (its partial files are deleted as it stops). */
    @Override
    public void close() {
        if (output.isDone()) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
