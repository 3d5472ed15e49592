package io.per4m.perf;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The engine's end of perf's --control fifos. Both fifos are opened read-write, which never blocks
 * whether perf has opened them yet or not (perf does the same on its side).
 */
final class PerfControlChannel implements AutoCloseable {
    private final RandomAccessFile ctl;
    private final RandomAccessFile ack;
    private final BlockingQueue<String> acks = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    PerfControlChannel(Path ctlFifo, Path ackFifo) throws IOException {
        this.ctl = new RandomAccessFile(ctlFifo.toFile(), "rw");
        this.ack = new RandomAccessFile(ackFifo.toFile(), "rw");
        Thread reader = new Thread(this::readAcks, "perf-record-ack");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAcks() {
        StringBuilder line = new StringBuilder();
        try {
            int c;
            while (!closed && (c = ack.read()) >= 0) {
                if (c == 0) {
                    continue; // perf writes "ack\n" with its C string terminator
                }
                if (c == '\n') {
                    acks.add(line.toString().strip());
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    /**
     * Sends one command and waits for perf's ack.
     *
     * @param perfAlive checked while waiting, so a dead perf fails fast instead of timing out
     * @return false when perf died or did not answer in time
     */
    synchronized boolean send(String command, long timeoutMillis, BooleanSupplier perfAlive)
            throws IOException, InterruptedException {
        acks.clear();
        ctl.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            String answer = acks.poll(20, TimeUnit.MILLISECONDS);
            if (answer != null && answer.startsWith("ack")) {
                return true;
            }
            if (answer == null && !perfAlive.getAsBoolean()) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        try {
            ack.write('\n'); // wakes the reader thread, which then sees closed
        } catch (IOException ignored) {
            // already closed
        }
        try {
            ctl.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        try {
            ack.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
