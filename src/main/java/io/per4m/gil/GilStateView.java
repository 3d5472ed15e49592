package io.per4m.gil;

/** Current GIL state of threads while a recording is being read in time order. */
public interface GilStateView {
    /**
     * True when thread {@code tid} is blocked by the GIL at the current point of the pass: waiting in take_gil, or
     * in drop_gil's hand-over (released, waiting until the next holder has taken it). A thread that sleeps then
     * sleeps because of the GIL.
     */
    boolean isBlockedByGil(int tid);
}
