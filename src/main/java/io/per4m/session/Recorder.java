package io.per4m.session;

import java.io.IOException;
import java.nio.file.Path;

/** The part of a perf session the notebook session drives; {@link io.per4m.perf.PerfRecorder} in production. */
interface Recorder extends AutoCloseable {
    void enable() throws IOException;

    void disable() throws IOException;

    /** Closes the current output window and returns its data file. */
    Path cutWindow() throws IOException;

    /** Stops perf and deletes what it created; never throws. */
    @Override
    void close();
}
