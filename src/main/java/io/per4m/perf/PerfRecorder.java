package io.per4m.perf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One running {@code perf record} session (clock CLOCK_MONOTONIC, events disabled until {@link #enable()}),
 * controlled through perf's --control fifo. (Stub: owned by the recorder work.)
 * Closing it always stops perf and deletes what it created, whatever happened before.
 */
public final class PerfRecorder implements AutoCloseable {
    /** Attaches to a running process (all its threads, also those created later); returns once perf is ready. */
    public static PerfRecorder attach(long pid, RecordOptions options) throws IOException {
        throw new UnsupportedOperationException("PerfRecorder not implemented yet");
    }

    /** Starts events; returns once perf acknowledged. */
    public void enable() throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Stops events; returns once perf acknowledged. */
    public void disable() throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Closes the current output window and returns its perf.data file; recording goes on into a new one. */
    public Path cutWindow() throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Stops perf (SIGINT, bounded wait) and returns the data files it wrote with perf's lost-event count. */
    public RecordingResult stop() throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }

    /** @param dataFiles perf.data files in time order @param lostEvents events perf reported as lost */
    public record RecordingResult(List<Path> dataFiles, long lostEvents) {
    }
}
