package io.per4m.flame;

import io.per4m.perf.StackFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.per4m.flame.Chains.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StackMergerTest {
    /** time.sleep returning into a thread that waits for the GIL, called from Python code two levels deep. */
    private static final List<StackFrame> SLEEP = chain("take_gil", "PyEval_RestoreThread", "time_sleep",
            "cfunction_vectorcall_O", "PyObject_Vectorcall", "_PyEval_EvalFrameDefault", "_PyEval_Vector",
            "PyObject_Call", "_PyEval_EvalFrameDefault", "PyEval_EvalCode", "Py_RunMain", "_start");
    /** A thread switched out inside take_gil (sched_switch chain): kernel and pthread frames inner to take_gil. */
    private static final List<StackFrame> SWITCHED_OUT = chain("__schedule", "schedule", "futex_wait",
            "pthread_cond_timedwait", "take_gil", "_PyEval_EvalFrameDefault", "PyEval_EvalCode");

    @Test
    void pythonStackReplacesEverythingDownToTheInnermostEvalFrameAndTheCallGlue(@TempDir Path dir) throws Exception {
        // thread 7 on viztracer's clock: main [0,100) µs > work [10,60) > time.sleep [20,59)
        PythonStacks python = PythonStacks.read(viztracer(dir));
        StackMerger merger = new StackMerger(python, 0, true, false);
        assertEquals(List.of("main (a.py:1)", "work (a.py:2)", "time.sleep", "time_sleep", "PyEval_RestoreThread",
                "take_gil"), merger.frames(7, 30_000, SLEEP));
        // at 65 µs only main is open
        assertEquals(List.of("main (a.py:1)", "time_sleep", "PyEval_RestoreThread", "take_gil"),
                merger.frames(7, 65_000, SLEEP));
    }

    @Test
    void clockOffsetMovesPerfTimeOntoViztracersClock(@TempDir Path dir) throws Exception {
        PythonStacks python = PythonStacks.read(viztracer(dir));
        // perf 1_000_030_000 ns + offset -1_000_000_000 = viztracer 30 µs
        StackMerger merger = new StackMerger(python, -1_000_000_000L, true, false);
        assertEquals(List.of("main (a.py:1)", "work (a.py:2)", "time.sleep", "time_sleep", "PyEval_RestoreThread",
                "take_gil"), merger.frames(7, 1_000_030_000L, SLEEP));
        // without the offset that moment is after the whole trace
        assertEquals(List.of(StackMerger.NO_PYTHON_STACK, "time_sleep", "PyEval_RestoreThread", "take_gil"),
                new StackMerger(python, 0, true, false).frames(7, 1_000_030_000L, SLEEP));
    }

    @Test
    void withoutPythonStackTheEvalPartIsOnePlaceholderFrame() {
        StackMerger merger = new StackMerger(PythonStacks.empty(), 0, true, false);
        assertEquals(List.of("[python]", "time_sleep", "PyEval_RestoreThread", "take_gil"),
                merger.frames(7, 30_000, SLEEP));
    }

    @Test
    void keepCpythonEvalsPutsTheWholeCChainAfterThePythonStack(@TempDir Path dir) throws Exception {
        StackMerger merger = new StackMerger(PythonStacks.read(viztracer(dir)), 0, true, true);
        assertEquals(List.of("main (a.py:1)", "work (a.py:2)", "time.sleep",
                "_start", "Py_RunMain", "PyEval_EvalCode", "_PyEval_EvalFrameDefault", "PyObject_Call",
                "_PyEval_Vector", "_PyEval_EvalFrameDefault", "PyObject_Vectorcall", "cfunction_vectorcall_O",
                "time_sleep", "PyEval_RestoreThread", "take_gil"), merger.frames(7, 30_000, SLEEP));
        // no Python stack: the C chain alone
        assertEquals(List.of("_start", "Py_RunMain", "PyEval_EvalCode", "_PyEval_EvalFrameDefault", "PyObject_Call",
                "_PyEval_Vector", "_PyEval_EvalFrameDefault", "PyObject_Vectorcall", "cfunction_vectorcall_O",
                "time_sleep", "PyEval_RestoreThread", "take_gil"), merger.frames(8, 30_000, SLEEP));
    }

    @Test
    void framesInnerToTakeGilAreStrippedUnlessAskedToKeepThem() {
        assertEquals(List.of("[python]", "take_gil"),
                new StackMerger(PythonStacks.empty(), 0, true, false).frames(7, 0, SWITCHED_OUT));
        assertEquals(List.of("[python]", "take_gil", "pthread_cond_timedwait", "futex_wait", "schedule", "__schedule"),
                new StackMerger(PythonStacks.empty(), 0, false, false).frames(7, 0, SWITCHED_OUT));
    }

    @Test
    void chainWithoutEvalFrameStaysAsItIs(@TempDir Path dir) throws Exception {
        List<StackFrame> threadStart = chain("take_gil", "PyEval_AcquireThread", "thread_run", "start_thread", "clone3");
        StackMerger merger = new StackMerger(PythonStacks.read(viztracer(dir)), 0, true, false);
        assertEquals(List.of("clone3", "start_thread", "thread_run", "PyEval_AcquireThread", "take_gil"),
                merger.frames(7, 30_000, threadStart));
    }

    @Test
    void evalBreakerWaitIsThePythonStackThenTakeGil(@TempDir Path dir) throws Exception {
        // the eval loop dropped the GIL on request and takes it back: take_gil right inside the eval frame
        List<StackFrame> evalBreaker = chain("take_gil", "_PyEval_EvalFrameDefault", "_PyEval_Vector",
                "method_vectorcall", "thread_run", "start_thread", "clone3");
        StackMerger merger = new StackMerger(PythonStacks.read(viztracer(dir)), 0, true, false);
        assertEquals(List.of("main (a.py:1)", "work (a.py:2)", "take_gil"), merger.frames(7, 15_000, evalBreaker));
    }

    static Path viztracer(Path dir) throws Exception {
        Path trace = dir.resolve("viz.json");
        Files.writeString(trace, """
                {"traceEvents": [
                 {"ph":"M","name":"thread_name","pid":1,"tid":7,"args":{"name":"worker 1"}},
                 {"ph":"X","name":"time.sleep","pid":1,"tid":7,"ts":20,"dur":39,"cat":"FEE"},
                 {"ph":"X","name":"work (a.py:2)","pid":1,"tid":7,"ts":10,"dur":50,"cat":"FEE"},
                 {"ph":"X","name":"main (a.py:1)","pid":1,"tid":7,"ts":0,"dur":100,"cat":"FEE"}
                ], "viztracer_metadata": {"version": "1.1.1"}}
                """);
        return trace;
    }
}
