package io.per4m.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RecordingReport} made while the recording goes on: a thread of its own converts perf's windows as they
 * are cut, so that when the program ends only the last window, viztracer's trace and the page are left to do.
 */
public final class LiveReport implements AutoCloseable {
    private final CompletableFuture<RecordingReport.Output> output = new CompletableFuture<>();
    private final Thread thread;

    private LiveReport(RecordingReport.Input input, Path base) {
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

    /** Abandons the report: a conversion under way stops, the files of one that finished are deleted. */
    public void discard() throws IOException {
        close();
        if (output.isDone() && !output.isCompletedExceptionally()) {
            RecordingReport.Output written = output.join();
            for (Path file : new Path[]{written.traceJson(), written.summaryJson(), written.reportHtml()}) {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
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
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
