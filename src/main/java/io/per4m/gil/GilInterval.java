package io.per4m.gil;

/** A closed interval in which thread {@code tid} of process {@code pid} was in {@code state}; times in perf ns. */
public record GilInterval(int pid, int tid, GilState state, long startNs, long endNs) {
    public long durationNs() {
        return endNs - startNs;
    }
}
