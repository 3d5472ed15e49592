package io.per4m.session;

import io.per4m.perf.PerfRecorder;
import io.per4m.perf.RecordOptions;

import java.io.IOException;
import java.nio.file.Path;

/** Attaches a perf session to a process. */
@FunctionalInterface
interface RecorderFactory {
    Recorder attach(long pid, RecordOptions options, Path workDir) throws IOException;

    /** The real one: {@link PerfRecorder#attach}. */
    static RecorderFactory perf() {
        return (pid, options, workDir) -> {
            PerfRecorder perf = PerfRecorder.attach(pid, options, workDir);
            return new Recorder() {
                @Override
                public void enable() throws IOException {
                    perf.enable();
                }

                @Override
                public void disable() throws IOException {
                    perf.disable();
                }

                @Override
                public Path cutWindow() throws IOException {
                    return perf.cutWindow();
                }

                @Override
                public void close() {
                    perf.close();
                }
            };
        };
    }
}
