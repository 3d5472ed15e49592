package io.per4m.flame;

import io.per4m.gil.GilFunctions;
import io.per4m.perf.StackFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one perf call chain into flame-graph frames (outermost first), with the Python stack viztracer recorded
 * for that thread and moment in place of CPython's evaluation frames.
 *
 * <p>Rules, on the chain reversed to outermost first:
 * <ol>
 * <li>strip take_gil (default): the frames inner to the outermost {@code take_gil} or {@code drop_gil} frame go
 *     (for a {@code take_gil} uprobe the chain starts there anyway; a {@code sched_switch} chain has the kernel and
 *     pthread frames take_gil waits in, or drop_gil while it hands the GIL over).</li>
 * <li>no {@code _PyEval_EvalFrameDefault} frame in the chain: the C frames stay as they are (e.g. a thread
 *     taking the GIL before it runs any Python code).</li>
 * <li>otherwise the frames from the outermost one down to the innermost {@code _PyEval_EvalFrameDefault}
 *     are replaced by the Python stack, and so is the CPython call glue right after it
 *     ({@code PyObject_Vectorcall}, {@code cfunction_*}, {@code method_vectorcall_*}, ...), since the Python
 *     stack already names the call; what stays is the C function that was called and what it called
 *     ({@code time_sleep;pysleep;PyEval_RestoreThread;take_gil}). Without a Python stack for that moment
 *     (no viztracer trace, or the thread or time not in it) the replaced part is one frame {@code [python]}.</li>
 * <li>keep CPython evals: the Python stack comes first, then the whole C chain, nothing replaced.</li>
 * </ol>
 */
public final class StackMerger {
    /** Stands for the Python frames when viztracer has no stack for that thread and moment. */
    public static final String NO_PYTHON_STACK = "[python]";

    private static final List<String> EVAL_FRAMES = List.of("_PyEval_EvalFrameDefault", "_PyEval_EvalFrame",
            "PyEval_EvalFrameEx");
    private static final List<String> CALL_GLUE_PREFIXES = List.of("_PyEval_Vector", "PyObject_Vectorcall",
            "_PyObject_Vectorcall", "PyObject_Call", "_PyObject_Call", "_PyObject_MakeTpCall", "_PyObject_FastCall",
            "_PyFunction_Vectorcall", "PyVectorcall_Call", "cfunction_", "method_vectorcall_", "vectorcall_");

    private final PythonStacks python;
    private final long clockOffsetNs;
    private final boolean stripTakeGil;
    private final boolean keepCpythonEvals;

    /**
     * @param clockOffsetNs perf ns + clockOffsetNs = viztracer ns
     */
    public StackMerger(PythonStacks python, long clockOffsetNs, boolean stripTakeGil, boolean keepCpythonEvals) {
        this.python = python;
        this.clockOffsetNs = clockOffsetNs;
        this.stripTakeGil = stripTakeGil;
        this.keepCpythonEvals = keepCpythonEvals;
    }

    /** The thread's Python name from the viztracer trace, or null. */
    public String pythonThreadName(int tid) {
        return python.threadName(tid);
    }

    /** Frames, outermost first, for {@code chain} (innermost first, as perf prints it) of thread {@code tid}. */
    public List<String> frames(int tid, long perfTimeNs, List<StackFrame> chain) {
        List<String> c = new ArrayList<>(chain.size());
        for (int i = chain.size() - 1; i >= 0; i--) {
            c.add(chain.get(i).symbol());
        }
        if (stripTakeGil) {
            int take = indexOfFirstGilFunction(c);
            if (take >= 0) {
                c.subList(take + 1, c.size()).clear();
            }
        }
        int eval = indexOfLastEval(c);
        if (eval < 0) {
            return c;
        }
        List<String> py = python.stackAt(tid, perfTimeNs + clockOffsetNs);
        List<String> frames = new ArrayList<>(py.size() + c.size());
        if (keepCpythonEvals) {
            frames.addAll(py);
            frames.addAll(c);
            return frames;
        }
        if (py.isEmpty()) {
            frames.add(NO_PYTHON_STACK);
        } else {
            frames.addAll(py);
        }
        int rest = eval + 1;
        while (rest < c.size() && isCallGlue(c.get(rest))) {
            rest++;
        }
        frames.addAll(c.subList(rest, c.size()));
        return frames;
    }

    private static int indexOfFirstGilFunction(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (GilFunctions.isGilFunction(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfLastEval(List<String> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String symbol = frames.get(i);
            for (String eval : EVAL_FRAMES) {
                if (symbol.equals(eval) || symbol.startsWith(eval + ".")) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isCallGlue(String symbol) {
        for (String prefix : CALL_GLUE_PREFIXES) {
            if (symbol.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
