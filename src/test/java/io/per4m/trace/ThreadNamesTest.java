package io.per4m.trace;

import io.per4m.gil.GilSummary;
import io.per4m.gil.LatencyFigures;
import io.per4m.gil.ProcessGilFigures;
import io.per4m.gil.ThreadGilFigures;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.ThreadDirectory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadNamesTest {
    private static PerfEvent event(String comm, int pid, int tid) {
        return new PerfEvent(comm, pid, tid, 0, 1_000, "python:take_gil", 0, "", List.of(), 1);
    }

    private static ViztracerThreads viztracer() {
        ViztracerThreads threads = new ViztracerThreads();
        threads.thread(100, 100);
        threads.thread(100, 101);
        threads.threadName(101, "worker 1");
        threads.processName(100, "MainProcess");
        return threads;
    }

    @Test
    void viztracerNamesWinOverPerfComm() {
        ThreadDirectory perf = new ThreadDirectory();
        perf.accept(event("python3.11", 100, 100));
        perf.accept(event("python3.11", -1, 101));
        perf.accept(event("my pool", -1, 102));
        ThreadNames names = new ThreadNames(perf, viztracer());

        assertEquals("worker 1", names.threadName(101));
        assertTrue(names.namedByViztracer(101));
        assertEquals("my pool", names.threadName(102));
        assertFalse(names.namedByViztracer(102));
        assertEquals("thread 7", names.threadName(7));
        assertEquals("MainProcess", names.processName(100));
        assertEquals(100, names.pidOf(100), "from perf");
        assertEquals(100, names.pidOf(101), "from viztracer");
        assertEquals(100, names.pidOf(102), "viztracer traced a single process");
    }

    /** The program's own names (runner / magic) win over viztracer's Dummy-N and over perf's comm. */
    @Test
    void thePythonProgramsOwnNamesWin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("sync.json"),
                "{\"clock\": \"CLOCK_MONOTONIC\", \"threads\": {\"101\": \"renamed late\", \"102\": \"pool 0\"}}");
        ThreadDirectory perf = new ThreadDirectory();
        perf.accept(event("python3.12", -1, 102));
        ThreadNames names = new ThreadNames(perf, viztracer());
        names.usePythonNames(PythonThreadNames.read(file));

        assertEquals("renamed late", names.threadName(101));
        assertTrue(names.renamesViztracers(101), "viztracer said worker 1");
        assertFalse(names.namedByViztracer(101));
        assertEquals("pool 0", names.threadName(102));
        assertTrue(names.namedByPython(102));
        assertFalse(names.renamesViztracers(102), "viztracer never named it");
        assertEquals(Map.of(), PythonThreadNames.read(dir.resolve("absent.json")));
    }

    @Test
    void withoutViztracerThePidOfAnUnknownThreadIsItsTid() {
        ThreadDirectory perf = new ThreadDirectory();
        perf.accept(event("python3.11", -1, 55));
        ThreadNames names = new ThreadNames(perf, new ViztracerThreads());
        assertEquals(55, names.pidOf(55));
        assertEquals("python3.11", names.processName(55));
        assertEquals("process 9", names.processName(9));
    }

    @Test
    void summaryTakesTheNamesAndPidsOfTheTrace() {
        ThreadDirectory perf = new ThreadDirectory();
        perf.accept(event("python3.11", -1, 101));
        perf.accept(event("python3.11", -1, 102));
        ThreadNames names = new ThreadNames(perf, viztracer());
        GilSummary summary = new GilSummary(List.of(
                new ThreadGilFigures(-1, 101, "python3.11", false, 0, 10, 10, 4, 3, 1, 2, 1, 1, 1),
                new ThreadGilFigures(-1, 102, "python3.11", false, 0, 20, 20, 5, 5, 2, 8, 2, 2, 2)),
                new ProcessGilFigures(20, 9, 8, 12), List.of(), LatencyFigures.EMPTY, null);

        GilSummary named = ThreadNameEvents.named(summary, names);
        assertEquals("worker 1", named.threads().get(0).name());
        assertEquals(100, named.threads().get(0).pid());
        assertEquals("python3.11", named.threads().get(1).name());
        assertEquals(100, named.threads().get(1).pid());
        assertEquals(summary.threads().get(1).heldNs(), named.threads().get(1).heldNs());
        assertEquals(Map.of(), named.anomalies());
    }
}
