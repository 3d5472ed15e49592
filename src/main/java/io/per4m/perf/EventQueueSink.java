package io.per4m.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a sink on a thread of its own, so that parsing and analysis use two cores. Events travel in batches
 * through a short queue: memory stays bounded (a few batches) whatever the input size. A failure of the
 * downstream sink surfaces in the parsing thread at the next hand-off or at {@link #end()}.
 */
public final class EventQueueSink implements PerfEventSink {
    private static final int BATCH = 2048;
    private static final PerfEvent[] END = new PerfEvent[0];

    private final BlockingQueue<PerfEvent[]> queue = new ArrayBlockingQueue<>(8);
    private final Thread consumer;
    private volatile Throwable failure;
    private PerfEvent[] batch = new PerfEvent[BATCH];
    private int size;

    public EventQueueSink(PerfEventSink downstream) {
        consumer = new Thread(() -> consume(downstream), "per4m-analysis");
        consumer.setDaemon(true);
        consumer.start();
    }

    private void consume(PerfEventSink downstream) {
        try {
            while (true) {
                PerfEvent[] events = queue.take();
                if (events == END) {
                    downstream.end();
                    return;
                }
                for (PerfEvent event : events) {
                    if (event == null) {
                        break;
                    }
                    downstream.accept(event);
                }
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear();
        }
    }

    @Override
    public void accept(PerfEvent event) {
        batch[size++] = event;
        if (size == BATCH) {
            put(batch);
            batch = new PerfEvent[BATCH];
            size = 0;
        }
    }

    @Override
    public void end() {
        if (size > 0) {
            put(batch);
        }
        put(END);
        try {
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the analysis finished", e);
        }
        rethrow();
    }

    private void put(PerfEvent[] events) {
        try {
            while (!queue.offer(events, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!consumer.isAlive()) {
                    throw new IllegalStateException("the analysis thread ended early");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing events to the analysis", e);
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
