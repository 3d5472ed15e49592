package io.per4m.perf;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A perf.data file as {@code perf script} text, streamed. Fields per event type: tracepoints (uprobes, sched)
 * print {@code comm pid/tid [cpu] time: event: trace}; software counters print
 * {@code comm pid/tid [cpu] time: period event:} (cpu present because the recorder uses --sample-cpu).
 * Closing the stream ends perf script. A failing perf script surfaces as an IOException at end of stream.
 */
public final class PerfScriptText {
    private PerfScriptText() {
    }

    public static List<String> command(String perf, Path dataFile) {
        return List.of(perf, "script", "-i", dataFile.toString(), "--ns", "--no-inline",
                "-F", "trace:comm,pid,tid,cpu,time,event,trace",
                "-F", "sw:comm,pid,tid,cpu,time,period,event",
                "-F", "hw:comm,pid,tid,cpu,time,period,event");
    }

    public static InputStream open(Path dataFile) throws IOException {
        return open("perf", dataFile);
    }

    public static InputStream open(String perf, Path dataFile) throws IOException {
        Process p = new ProcessBuilder(command(perf, dataFile)).start();
        p.getOutputStream().close();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream err = p.getErrorStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = err.read(buf)) >= 0) {
                    synchronized (stderr) {
                        if (stderr.size() < 64 * 1024) {
                            stderr.write(buf, 0, n);
                        }
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "perf-script-stderr");
        drain.setDaemon(true);
        drain.start();
        return new FilterInputStream(p.getInputStream()) {
            private boolean checked;

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c < 0) {
                    checkExit();
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    checkExit();
                }
                return n;
            }

            private void checkExit() throws IOException {
                if (checked) {
                    return;
                }
                checked = true;
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IOException("perf script did not end");
                    }
                    drain.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (p.exitValue() != 0) {
                    String message;
                    synchronized (stderr) {
                        message = stderr.toString(StandardCharsets.UTF_8).strip();
                    }
                    throw new IOException("perf script -i " + dataFile + " failed (exit " + p.exitValue() + "): "
                            + (message.isEmpty() ? "no message" : message.lines().findFirst().orElse("")));
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    if (p.isAlive()) {
                        p.destroyForcibly();
                    }
                }
            }
        };
    }
}
