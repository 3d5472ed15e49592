package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadDirectoryTest {
    private static PerfEvent event(String comm, int pid, int tid) {
        return new PerfEvent(comm, pid, tid, 0, 1_000, "python:take_gil", 0, "", List.of(), 1);
    }

    @Test
    void remembersPidAndLatestCommInFirstAppearanceOrder() {
        ThreadDirectory directory = new ThreadDirectory();
        directory.accept(event("python3.11", 100, 100));
        directory.accept(event("python3.11", 100, 102));
        directory.accept(event("python3.11", -1, 101));
        directory.accept(event("worker 2", 100, 102));
        directory.accept(event("python3.11", 100, 101));
        directory.accept(event("python3.11", -1, 102));

        assertEquals(List.of(100, 102, 101), directory.tids());
        assertEquals(100, directory.pidOf(102), "a later line without pid does not forget it");
        assertEquals(100, directory.pidOf(101), "learnt from a later line");
        assertEquals("python3.11", directory.commOf(102), "latest comm wins");
        assertEquals("python3.11", directory.commOf(100));
        assertTrue(directory.contains(101));
        assertFalse(directory.contains(7));
        assertEquals(-1, directory.pidOf(7));
        assertNull(directory.commOf(7));
    }

    @Test
    void threadWithoutPidStaysUnknown() {
        ThreadDirectory directory = new ThreadDirectory();
        directory.accept(event("a b  c", -1, 55));
        assertEquals(-1, directory.pidOf(55));
        assertEquals("a b  c", directory.commOf(55));
    }
}
