package io.per4m.flame;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Time weighed on stacks, per thread: what offgil's flame graphs are made of, whatever gives the stacks (perf's
 * call chains merged with Python's, or the Python stacks of a giltracer trace).
 */
public abstract class WeighedStacks {
    private final ThreadStacks stacks = new ThreadStacks();
    private final IntFunction<String> pythonThreadName;

    /** @param pythonThreadName a thread's Python name, or null when there is none */
    protected WeighedStacks(IntFunction<String> pythonThreadName) {
        this.pythonThreadName = pythonThreadName;
    }

    /** Names a thread by its process name (its Python name, where known, is used instead). */
    protected final void name(int tid, String comm) {
        stacks.name(tid, comm);
    }

    /** Adds {@code ns} to {@code frames} (outermost first) of thread {@code tid}. */
    protected final void weigh(int tid, List<String> frames, long ns) {
        stacks.add(tid, frames, ns);
    }

    /** Sum of all weighed time, ns. */
    public long totalNs() {
        return stacks.totalNs();
    }

    /** Number of intervals weighed with a non-zero duration. */
    public long intervals() {
        return stacks.count();
    }

    public int threads() {
        return stacks.threads();
    }

    /** Folded stacks weighted in units of {@code nsPerUnit} ns (1000 for µs), the thread as root frame. */
    public FoldedStacks folded(long nsPerUnit) {
        return stacks.folded(nsPerUnit, pythonThreadName);
    }
}
