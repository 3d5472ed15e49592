package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventQueueSinkTest {
    private static PerfEvent event(long line) {
        return new PerfEvent("python", 1, 1, 0, line, "python:take_gil", 1, "", List.of(), line);
    }

    /** Records what it receives, and on which thread. */
    private static final class Recording implements PerfEventSink {
        final List<Long> lines = new ArrayList<>();
        final List<String> threads = new ArrayList<>();
        int ends;

        @Override
        public void accept(PerfEvent event) {
            lines.add(event.lineNumber());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void end() {
            ends++;
        }
    }

    @Test
    void deliversEveryEventInOrderOnAnotherThreadThenEndsOnce() {
        Recording downstream = new Recording();
        EventQueueSink queue = new EventQueueSink(downstream);
        int count = 2048 * 3 + 5; // three full batches and a partial one
        List<Long> sent = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            queue.accept(event(i));
            sent.add(i);
        }
        queue.end();
        assertEquals(count, downstream.lines.size());
        assertEquals(sent, downstream.lines);
        assertEquals(1, downstream.ends);
        assertNotEquals(Thread.currentThread().getName(), downstream.threads.get(0));
    }

    @Test
    void aFailureDownstreamSurfacesInTheProducingThread() {
        EventQueueSink queue = new EventQueueSink(event -> {
            throw new IllegalArgumentException("bad event " + event.lineNumber());
        });
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> {
            for (long i = 0; i < 2048 * 20; i++) {
                queue.accept(event(i));
            }
            queue.end();
        });
        assertEquals("bad event 0", failure.getMessage());
    }
}
