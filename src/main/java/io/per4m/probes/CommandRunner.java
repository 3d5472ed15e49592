package io.per4m.probes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Runs an external command to completion with a time limit and captures both outputs. */
public class CommandRunner {
    /** @param exitCode the exit code; 127 when the program could not be started */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stderr, else stdout, as one trimmed line for messages. */
        public String firstErrorLine() {
            String text = stderr.isBlank() ? stdout : stderr;
            return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("exit code " + exitCode);
        }

        /** The last non-blank line of stderr, else stdout: where a Python traceback says what went wrong. */
        public String lastErrorLine() {
            String text = stderr.isBlank() ? stdout : stderr;
            return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("exit code " + exitCode);
        }
    }

    public Result run(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(command, 127, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        // One thread per pipe (not the common pool, which may have a single thread): a full pipe must never block the child.
        Executor ownThread = task -> {
            Thread t = new Thread(task, "command-output");
            t.setDaemon(true);
            t.start();
        };
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), ownThread);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), ownThread);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(command, 124, out.getNow(""), "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
            }
            return new Result(command, process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, 130, "", "interrupted");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
