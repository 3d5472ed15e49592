package io.per4m.perf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A tiny shell process that holds the read end of a pipe from this JVM. When the JVM dies in any way
 * (even SIGKILL) the pipe closes, and the shell kills perf and removes the recorder's work directory.
 * A pipe works where PR_SET_PDEATHSIG does not: that fires when the spawning *thread* ends.
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
    private final Process shell;
    private final OutputStream pipe;

    private PerfLifeline(Process shell) {
        this.shell = shell;
        this.pipe = shell.getOutputStream();
    }

    static PerfLifeline watch(long perfPid, Path workDir) throws IOException {
        Process shell = new ProcessBuilder("setsid", "sh", "-c", SCRIPT, "per4m-lifeline",
                Long.toString(perfPid), workDir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new PerfLifeline(shell);
    }

    long pid() {
        return shell.pid();
    }

    /** Lets the watcher act now, as if the JVM had died: it kills perf and removes the work directory. */
    void handOver() {
        try {
            pipe.close();
        } catch (IOException ignored) {
            // the shell is gone already: it acted, or was ended
        }
    }

    /** The recorder cleaned up itself: end the watcher without letting it act. */
    @Override
    public void close() {
        shell.destroyForcibly();
        try {
            pipe.close();
        } catch (IOException ignored) {
            // the shell is gone already
        }
    }
}
