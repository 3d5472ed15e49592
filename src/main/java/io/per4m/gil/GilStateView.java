package io.per4m.gil;

/** Current GIL state of threads while a recording is being read in time order. */
public interface GilStateView {
    /** True when thread {@code tid} is between take_gil and take_gil__return at the current point of the pass. */
    boolean isWaiting(int tid);
}
