package io.per4m.flame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Nanoseconds per (thread, stack), turned into folded stacks with the thread as root frame
 * ({@code worker 1 (tid 123)}) once all are in, so that a thread renamed while recorded still has one root: its
 * Python name when viztracer recorded one (CPython does not give threads an OS name, so perf's comm is mostly the
 * executable's name), else its latest perf comm.
 */
final class ThreadStacks {
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Map<List<String>, long[]>> nsByThread = new LinkedHashMap<>();
    private long totalNs;
    private long count;

    void name(int tid, String comm) {
        names.put(tid, comm);
    }

    void add(int tid, List<String> framesOutermostFirst, long ns) {
        if (ns <= 0) {
            return;
        }
        nsByThread.computeIfAbsent(tid, t -> new HashMap<>())
                .computeIfAbsent(List.copyOf(framesOutermostFirst), f -> new long[1])[0] += ns;
        totalNs += ns;
        count++;
    }

    long totalNs() {
        return totalNs;
    }

    long count() {
        return count;
    }

    int threads() {
        return nsByThread.size();
    }

    /** Weights in units of {@code nsPerUnit}, each stack rounded to the nearest unit (stacks that round to 0 go). */
    FoldedStacks folded(long nsPerUnit, IntFunction<String> pythonThreadName) {
        FoldedStacks folded = new FoldedStacks();
        nsByThread.forEach((tid, stacks) -> {
            String name = pythonThreadName.apply(tid);
            String root = (name != null ? name : names.getOrDefault(tid, "?")) + " (tid " + tid + ")";
            stacks.forEach((frames, ns) -> {
                List<String> withRoot = new ArrayList<>(frames.size() + 1);
                withRoot.add(root);
                withRoot.addAll(frames);
                folded.add(withRoot, (ns[0] + nsPerUnit / 2) / nsPerUnit);
            });
        });
        return folded;
    }
}
