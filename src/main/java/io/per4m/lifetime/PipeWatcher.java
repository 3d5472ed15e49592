package io.per4m.lifetime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small shell in a session of its own (a terminal's Ctrl-C does not reach it) reading a pipe from this JVM: when
 * the JVM dies in any way, even SIGKILL, the pipe closes and the script goes on past its read loop to clean up.
 * A pipe works where PR_SET_PDEATHSIG does not: that fires when the spawning <em>thread</em> ends.
 */
public final class PipeWatcher implements AutoCloseable {
    private final Process shell;
    private final OutputStream pipe;

    private PipeWatcher(Process shell) {
        this.shell = shell;
        this.pipe = shell.getOutputStream();
    }

    /** Starts {@code script} (read lines until end of file, then act) as {@code sh -c script name args...}. */
    public static PipeWatcher start(String script, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", script, name));
        command.addAll(List.of(args));
        return new PipeWatcher(new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** Sends the script one line. */
    public void tell(String line) throws IOException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one line: " + line);
        }
        pipe.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        pipe.flush();
    }

    public long pid() {
        return shell.pid();
    }

    /** Lets the script act now, as if the JVM had died: its pipe closes. */
    public void release() {
        try {
            pipe.close();
        } catch (IOException ignored) {
            // the shell is gone already: it acted, or was ended
        }
    }

    /** The JVM cleaned up itself: ends the watcher without letting it act. */
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
