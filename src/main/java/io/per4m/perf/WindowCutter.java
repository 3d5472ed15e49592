package io.per4m.perf;

import io.per4m.perf.data.WindowSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Cuts a live recording into windows at a steady pace and hands them, in order, to one reader (a
 * {@link io.per4m.perf.data.PerfDataReader}), so that the recording is converted while the program runs and only
 * its last window is left when it ends.
 */
public final class WindowCutter implements WindowSource, AutoCloseable {
    /** Closes perf's current window and returns its file (see {@link PerfRecorder#cutWindow()}). */
    @FunctionalInterface
    public interface Cut {
        Path cut() throws IOException;
    }

    private static final Path END = Path.of("");

    private final Cut cut;
    private final BlockingQueue<Path> queue = new LinkedBlockingQueue<>();
    private final List<Path> cutSoFar = new ArrayList<>();
    private boolean pacing = true;
    private boolean ended;

    public WindowCutter(Cut cut) {
        this.cut = cut;
    }

    /**
     * Cuts a window every {@code intervalMillis}, once {@code ready} says perf can take the signal (before it has
     * set up, SIGUSR2 would end it), until {@link #cutLast()}, {@link #end()} or {@link #close()}.
     */
    public void startPacing(long intervalMillis, BooleanSupplier ready) {
        Thread pacer = new Thread(() -> pace(intervalMillis, ready), "per4m-window-cutter");
        pacer.setDaemon(true);
        pacer.start();
    }

    private void pace(long intervalMillis, BooleanSupplier ready) {
        try {
            while (true) {
                synchronized (this) {
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                    long left;
                    while (pacing && (left = deadline - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                    if (!pacing) {
                        return;
                    }
                    if (ready.getAsBoolean()) {
                        add(cut.cut());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // pacing stops here; the last cut (or perf's own end) still delivers everything recorded
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops pacing and cuts the last window (waiting for a cut under way); the reader gets it next. */
    public synchronized Path cutLast() throws IOException {
        stopPacing();
        Path last = cut.cut();
        add(last);
        return last;
    }

    /** The recording is complete: the reader's next call after the windows it has not read yet returns null. */
    public synchronized void end() {
        stopPacing();
        if (!ended) {
            ended = true;
            queue.add(END);
        }
    }

    /** Ends with the files perf wrote up to its exit: those not cut here yet go to the reader first. */
    public synchronized void endWith(List<Path> allFiles) {
        stopPacing();
        for (Path file : allFiles) {
            if (!cutSoFar.contains(file)) {
                add(file);
            }
        }
        end();
    }

    /** Every window cut so far, in order (the whole recording once ended). */
    public synchronized List<Path> windows() {
        return List.copyOf(cutSoFar);
    }

    @Override
    public Path next() throws IOException {
        try {
            Path window = queue.take();
            if (window == END) {
                queue.add(END); // asking again still gets the end
                return null;
            }
            return window;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for perf's next window");
        }
    }

    /** Stops pacing and ends the windows (a reader still waiting sees the end). */
    @Override
    public void close() {
        end();
    }

    private void stopPacing() {
        pacing = false;
        notifyAll();
    }

    private void add(Path window) {
        if (ended) {
            return;
        }
        cutSoFar.add(window);
        queue.add(window);
    }
}
