package io.per4m.flame;

import io.per4m.gil.GilAnalyzer;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.per4m.flame.Chains.chain;
import static io.per4m.flame.Chains.drop;
import static io.per4m.flame.Chains.take;
import static io.per4m.flame.Chains.takeReturn;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OffGilStacksTest {
    private static final List<StackFrame> SLEEP = chain("take_gil", "PyEval_RestoreThread", "time_sleep",
            "cfunction_vectorcall_O", "PyObject_Vectorcall", "_PyEval_EvalFrameDefault", "PyEval_EvalCode");
    private static final List<StackFrame> EVAL = chain("take_gil", "_PyEval_EvalFrameDefault", "_PyEval_Vector",
            "thread_run");
    private static final List<StackFrame> THREAD_START = chain("take_gil", "PyEval_AcquireThread", "thread_run");

    /**
     * Waits by hand (ns): tid 7 21000-24000 (3000), 30000-32500 (2500), 45000-end of recording at 50700 (5700),
     * all in time.sleep called from work() (viztracer: main [0,100) µs > work [10,60) > time.sleep [20,59));
     * tid 8 22000-29000 (7000) in the eval loop, then a take_gil without return: 40000-41000 (1000) in thread
     * start, 41000-44000 (3000) in the eval loop; tid 9 50000-50700 (700) without call chain.
     */
    private static OffGilStacks feed(StackMerger merger) {
        OffGilStacks offGil = new OffGilStacks(merger);
        GilAnalyzer gil = new GilAnalyzer(null, offGil);
        List<PerfEvent> events = List.of(
                take(21_000, 7, "python3.11", SLEEP),
                take(22_000, 8, "spinner", EVAL),
                takeReturn(24_000, 7, "python3.11"),
                drop(26_000, 7, "python3.11", false),
                drop(26_500, 7, "python3.11", true),
                takeReturn(29_000, 8, "spinner"),
                take(30_000, 7, "python3.11", SLEEP),
                takeReturn(32_500, 7, "python3.11"),
                take(40_000, 8, "spinner", THREAD_START),
                take(41_000, 8, "spinner", EVAL),
                takeReturn(44_000, 8, "spinner"),
                take(45_000, 7, "python3.11", SLEEP),
                take(50_000, 9, "nochain", List.of()),
                takeReturn(50_700, 9, "nochain"));
        for (PerfEvent event : events) {
            gil.accept(event);
            offGil.accept(event);
        }
        gil.end();
        offGil.end();
        return offGil;
    }

    @Test
    void waitTimeByCallChainWithPythonStacksInNanoseconds(@TempDir Path dir) throws Exception {
        OffGilStacks offGil = feed(new StackMerger(PythonStacks.read(StackMergerTest.viztracer(dir)), 0, true, false));
        assertEquals(Map.of(
                "worker 1 (tid 7);main (a.py:1);work (a.py:2);time.sleep;time_sleep;PyEval_RestoreThread;take_gil", 11_200L,
                "spinner (tid 8);[python];take_gil", 10_000L,
                "spinner (tid 8);thread_run;PyEval_AcquireThread;take_gil", 1_000L,
                "nochain (tid 9);[no call chain]", 700L), offGil.folded(1).asMap());
        assertEquals(22_900, offGil.totalNs());
        assertEquals(7, offGil.intervals());
        assertEquals(7, offGil.chainEvents());
        assertEquals(6, offGil.chainEventsWithCallChain());
    }

    @Test
    void microsecondWeightsAreRoundedPerStack(@TempDir Path dir) throws Exception {
        OffGilStacks offGil = feed(new StackMerger(PythonStacks.read(StackMergerTest.viztracer(dir)), 0, true, false));
        StringWriter out = new StringWriter();
        offGil.folded(1000).writeFolded(out);
        List<String> lines = List.of(out.toString().split("\n"));
        assertEquals("worker 1 (tid 7);main (a.py:1);work (a.py:2);time.sleep;time_sleep;PyEval_RestoreThread;take_gil 11",
                lines.get(0));
        assertEquals("spinner (tid 8);[python];take_gil 10", lines.get(1));
        // 1000 ns and 700 ns both round to 1 µs
        assertEquals(List.of("nochain (tid 9);[no call chain] 1", "spinner (tid 8);thread_run;PyEval_AcquireThread;take_gil 1"),
                lines.subList(2, 4).stream().sorted().toList());
        assertEquals(4, lines.size());
    }

    @Test
    void withoutViztracerTheThreadIsNamedByItsCommAndPythonIsOneFrame() {
        OffGilStacks offGil = feed(new StackMerger(PythonStacks.empty(), 0, true, false));
        assertEquals(11_200L, offGil.folded(1).asMap()
                .get("python3.11 (tid 7);[python];time_sleep;PyEval_RestoreThread;take_gil"));
    }

    @Test
    void keepCpythonEvalsKeepsTheCFrames(@TempDir Path dir) throws Exception {
        OffGilStacks offGil = feed(new StackMerger(PythonStacks.read(StackMergerTest.viztracer(dir)), 0, true, true));
        Map<String, Long> stacks = offGil.folded(1).asMap();
        assertEquals(11_200L, stacks.get("worker 1 (tid 7);main (a.py:1);work (a.py:2);time.sleep;PyEval_EvalCode;"
                + "_PyEval_EvalFrameDefault;PyObject_Vectorcall;cfunction_vectorcall_O;time_sleep;PyEval_RestoreThread;take_gil"));
        assertEquals(10_000L, stacks.get("spinner (tid 8);thread_run;_PyEval_Vector;_PyEval_EvalFrameDefault;take_gil"));
    }
}
