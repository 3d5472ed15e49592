package io.per4m.sched;

/** Thread {@code tid} was in {@code state} from {@code startNs} to {@code endNs} (perf ns). */
public record StateInterval(int pid, int tid, ProcessState state, long startNs, long endNs) {
}
