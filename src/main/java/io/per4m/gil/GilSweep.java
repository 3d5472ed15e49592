package io.per4m.gil;

import java.util.ArrayList;
import java.util.List;

/**
 * Process-wide figures by a sweep over the events in time order: between two consecutive GIL events the set of
 * waiting and holding threads is constant, so each gap is added to "held by any", "someone waits" and to the
 * blame of every (waiting thread, current holder) pair. Only the current sets are kept, never intervals.
 *
 * <p>The current holder is the thread that took the GIL last. A thread's "held" interval ends at its
 * drop_gil__return, but CPython's drop_gil with a pending drop request only returns once the next thread took
 * the GIL and the dropping thread was scheduled again: on a busy machine that is milliseconds later. Blaming
 * every thread in its held interval would blame the previous holder for that stretch too, and a waiter's blame
 * would add up to more than its wait.
 */
final class GilSweep {
    private final List<ThreadTrack> waiting = new ArrayList<>();
    private final List<ThreadTrack> holding = new ArrayList<>();
    private final BlameMatrix blame = new BlameMatrix();
    private boolean started;
    private long nowNs;
    private long heldByAnyNs;
    private long someoneWaitsNs;

    /** Moves the sweep to {@code timeNs} (never earlier than the previous call). */
    void advanceTo(long timeNs) {
        if (started) {
            long dt = timeNs - nowNs;
            if (dt > 0) {
                if (!holding.isEmpty()) {
                    heldByAnyNs += dt;
                }
                if (!waiting.isEmpty()) {
                    someoneWaitsNs += dt;
                    ThreadTrack holder = holding.isEmpty() ? null : holding.get(holding.size() - 1);
                    for (ThreadTrack waiter : waiting) {
                        if (holder != null && holder != waiter) {
                            blame.add(waiter.tid, holder.tid, dt);
                        }
                    }
                }
            }
        }
        started = true;
        nowNs = timeNs;
    }

    void startWaiting(ThreadTrack t) {
        waiting.add(t);
    }

    void stopWaiting(ThreadTrack t) {
        waiting.remove(t);
    }

    void startHolding(ThreadTrack t) {
        holding.add(t);
    }

    void stopHolding(ThreadTrack t) {
        holding.remove(t);
    }

    long heldByAnyNs() {
        return heldByAnyNs;
    }

    long someoneWaitsNs() {
        return someoneWaitsNs;
    }

    List<BlameEntry> blame() {
        return blame.entries();
    }
}
