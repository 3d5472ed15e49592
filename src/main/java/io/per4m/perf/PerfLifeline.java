package io.per4m.perf;

import io.per4m.lifetime.PipeWatcher;

import java.io.IOException;
import java.nio.file.Path;

/**
 * When the JVM dies in any way (even SIGKILL), a {@link PipeWatcher} kills perf and removes the recorder's work
 * directory.
 */
final class PerfLifeline implements AutoCloseable {
    private static final String SCRIPT = """
            p=$1; d=$2
            while read -r _; do :; done
            if [ "$(cat /proc/$p/comm 2>/dev/null)" = perf ]; then kill -KILL "$p" 2>/dev/null; fi
            i=0
            while [ -e "/proc/$p" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done
            rm -rf "$d"
            """;
    private final PipeWatcher watcher;

    private PerfLifeline(PipeWatcher watcher) {
        this.watcher = watcher;
    }

    static PerfLifeline watch(long perfPid, Path workDir) throws IOException {
        return new PerfLifeline(PipeWatcher.start(SCRIPT, "per4m-lifeline", Long.toString(perfPid), workDir.toString()));
    }

    long pid() {
        return watcher.pid();
    }

    /** Lets the watcher act now, as if the JVM had died: it kills perf and removes the work directory. */
    void handOver() {
        watcher.release();
    }

    /** The recorder cleaned up itself: end the watcher without letting it act. */
    @Override
    public void close() {
        watcher.close();
    }
}
