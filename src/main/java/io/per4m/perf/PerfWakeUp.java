package io.per4m.perf;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Wakes perf record's main loop through its control fifo, so that a SIGUSR2 it has taken is acted on at once.
 * <p>
 * perf's SIGUSR2 handler only marks the output switch as due; the main loop checks the mark and then sleeps in
 * {@code poll} without a timeout. A signal that arrives after the check and before the {@code poll} (while perf
 * finishes the previous switch, or reads its buffers on a busy machine) interrupts nothing: perf sleeps until its
 * ring buffers fill or a control command comes, which with events disabled is never. A line perf does not know
 * ends its {@code poll}; perf reads it, acknowledges nothing (unknown commands get no ack, so whoever waits for
 * acks on the other fifo is not confused) and goes round its loop, where it switches the output.
 */
final class PerfWakeUp implements AutoCloseable {
    /** Not a prefix of any command perf knows (enable, disable, snapshot, stop, ping, evlist, ack). */
    private static final byte[] LINE = "per4m-wake\n".getBytes(StandardCharsets.US_ASCII);

    private final RandomAccessFile ctl;

    /** Opened read-write, which never blocks, whether perf has opened the fifo yet or not. */
    PerfWakeUp(Path ctlFifo) throws IOException {
        this.ctl = new RandomAccessFile(ctlFifo.toFile(), "rw");
    }

    /** One line, written atomically (shorter than PIPE_BUF) between other writers' commands. */
    synchronized void wake() throws IOException {
        ctl.write(LINE);
    }

    @Override
    public synchronized void close() {
        try {
            ctl.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
