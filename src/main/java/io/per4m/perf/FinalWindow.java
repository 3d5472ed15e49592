package io.per4m.perf;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes the recording's last window while the traced program is still alive. perf record takes 0.35–0.9 s
 * to exit on these machines once the program is gone; the program's runner instead says "done" through a fifo
 * after disabling perf, waits until the window is cut (a 3 ms dump), and only then exits, so the analysis can
 * start at once and perf is left to end in the background.
 */
public final class FinalWindow {
    public static final String DONE_ENV = "PER4M_DONE_FIFO";
    public static final String GO_ENV = "PER4M_GO_FIFO";

    private final Path done;
    private final Path go;
    private final CompletableFuture<Path> window = new CompletableFuture<>();

    private FinalWindow(Path done, Path go) {
        this.done = done;
        this.go = go;
    }

    /** Makes the fifos in {@code dir} and starts waiting for the runner's word. */
    public static FinalWindow await(WindowCutter cutter, Path dir) throws IOException {
        FinalWindow finalWindow = new FinalWindow(dir.resolve("runner-done"), dir.resolve("runner-go"));
        PerfRecorder.mkfifo(finalWindow.done, finalWindow.go);
        Thread waiter = new Thread(() -> finalWindow.serve(cutter), "per4m-final-window");
        waiter.setDaemon(true);
        waiter.start();
        return finalWindow;
    }

    public Map<String, String> environment() {
        return Map.of(DONE_ENV, done.toString(), GO_ENV, go.toString());
    }

    private void serve(WindowCutter cutter) {
        try (BufferedReader in = new BufferedReader(new FileReader(done.toFile(), StandardCharsets.UTF_8))) {
            if (!"done".equals(in.readLine())) {
                window.complete(null);
                return;
            }
            Path cut = null;
            try {
                cut = cutter.cutLast();
                cutter.end(); // the runner saved viztracer's trace and the sync file before saying "done"
            } finally {
                window.complete(cut);
                try (OutputStream out = new FileOutputStream(go.toFile())) {
                    out.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException | RuntimeException e) {
            window.complete(null);
        }
    }

    /**
     * The window cut before the program exited, or null when the runner never said "done" (it crashed, or ran
     * without perf): then the caller stops perf the slow way. Call after the program exited.
     */
    public Path window() {
        if (!window.isDone()) {
            // release the waiting thread: a writer that opens and closes the fifo gives it end of file
            try (OutputStream release = new FileOutputStream(done.toFile())) {
                release.flush();
            } catch (IOException ignored) {
                // the thread is a daemon: at worst it waits until the engine exits
            }
        }
        try {
            return window.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }
}
