package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowCutterTest {
    /** Numbered windows, as perf would close them one after the other. */
    private static final class Cuts implements WindowCutter.Cut {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public Path cut() {
            return Path.of("window-" + count.incrementAndGet());
        }
    }

    private static List<Path> readAll(WindowCutter windows) throws IOException {
        List<Path> read = new ArrayList<>();
        for (Path p = windows.next(); p != null; p = windows.next()) {
            read.add(p);
        }
        return read;
    }

    @Test
    void pacedAndLastWindowsReachTheReaderInOrder() throws Exception {
        Cuts cuts = new Cuts();
        WindowCutter windows = new WindowCutter(cuts);
        CompletableFuture<List<Path>> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return readAll(windows);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        windows.startPacing(5, () -> true);
        while (cuts.count.get() < 4) {
            Thread.sleep(2);
        }
        Path last = windows.cutLast();
        int afterLast = cuts.count.get();
        Thread.sleep(30);
        assertEquals(afterLast, cuts.count.get(), "no pacing after the last cut");
        windows.end();
        List<Path> read = reader.get(5, TimeUnit.SECONDS);
        assertEquals(windows.windows(), read);
        assertEquals(last, read.get(read.size() - 1));
        for (int i = 0; i < read.size(); i++) {
            assertEquals(Path.of("window-" + (i + 1)), read.get(i));
        }
        assertNull(windows.next(), "the end stays the end");
    }

    @Test
    void noCutBeforePerfIsReady() throws Exception {
        Cuts cuts = new Cuts();
        AtomicBoolean ready = new AtomicBoolean();
        WindowCutter windows = new WindowCutter(cuts);
        windows.startPacing(2, ready::get);
        Thread.sleep(40);
        assertEquals(0, cuts.count.get());
        ready.set(true);
        while (cuts.count.get() == 0) {
            Thread.sleep(2);
        }
        windows.close();
    }

    @Test
    void endingWithPerfsOwnFilesAddsOnlyThoseNotCutYet() throws Exception {
        Cuts cuts = new Cuts();
        WindowCutter windows = new WindowCutter(cuts);
        Path first = windows.cutLast();
        windows.endWith(List.of(first, Path.of("perf.data.end")));
        assertEquals(List.of(first, Path.of("perf.data.end")), readAll(windows));
    }

    @Test
    void closingReleasesAWaitingReader() throws Exception {
        WindowCutter windows = new WindowCutter(new Cuts());
        CompletableFuture<Path> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return windows.next();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(20);
        assertFalse(waiting.isDone());
        windows.close();
        assertNull(waiting.get(5, TimeUnit.SECONDS));
        assertTrue(windows.windows().isEmpty());
    }
}
