package io.per4m.jupyter;

import io.per4m.files.TempFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An ipykernel started by us, with a private connection file; closing it shuts the kernel down. */
public final class KernelProcess implements AutoCloseable {
    private final Process process;
    private final TempFolder tempDir;
    private final KernelClient client;

    private KernelProcess(Process process, TempFolder tempDir, KernelClient client) {
        this.process = process;
        this.tempDir = tempDir;
        this.client = client;
    }

    /**
     * Starts {@code python -m ipykernel_launcher -f <connection file> [extraArgs]} in {@code workDir}
     * and waits until it answers.
     */
    public static KernelProcess start(String python, List<String> extraArgs, Path workDir, Duration timeout)
            throws IOException {
        // the ports are free when chosen but another process may bind one before the kernel does (jupyter_client
        // has the same race): the kernel then exits at once, and fresh ports are chosen
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(python, extraArgs, workDir, timeout);
            } catch (PortTaken e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IOException(e.getMessage());
                }
            }
        }
    }

    private static final int PORT_ATTEMPTS = 3;

    /** The kernel could not bind a port chosen for it. */
    private static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static KernelProcess startOnce(String python, List<String> extraArgs, Path workDir, Duration timeout)
            throws IOException {
        // per4m-kernel-PID-…: removed at close, at the JVM's shutdown, and by the next run should this one be killed
        TempFolder tempDir = TempFolder.create(null, "kernel");
        ConnectionInfo connection = ConnectionInfo.fresh();
        Path connectionFile = tempDir.path().resolve("kernel.json");
        connection.write(connectionFile);
        List<String> command = new ArrayList<>(List.of(python, "-m", "ipykernel_launcher", "-f",
                connectionFile.toString()));
        command.addAll(extraArgs);
        Path log = tempDir.path().resolve("kernel.log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KernelClient client = new KernelClient(connection);
        KernelProcess kernel = new KernelProcess(process, tempDir, client);
        try {
            client.awaitReady(timeout, process::isAlive);
        } catch (IOException e) {
            String output = Files.exists(log) ? Files.readString(log).strip() : "";
            kernel.close();
            String message = "the kernel (" + python + ") did not start: "
                    + (output.isEmpty() ? e.getMessage() : lastLine(output));
            throw output.contains("Address already in use") ? new PortTaken(message) : new IOException(message);
        }
        return kernel;
    }

    private static String lastLine(String text) {
        return text.substring(text.lastIndexOf('\n') + 1);
    }

    public KernelClient client() {
        return client;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                client.shutdown();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(3, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                    }
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            client.close();
            tempDir.close();
        }
    }
}
