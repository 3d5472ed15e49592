package io.per4m.gil;

import java.util.ArrayList;
import java.util.List;

/**
 * One process's GIL (each process has its own: multiprocessing children are swept apart from their parent).
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
    private final int pid;
    private final List<ThreadTrack> waiting = new ArrayList<>();
    private final List<ThreadTrack> holding = new ArrayList<>();
    private final BlameMatrix blame;
    private boolean started;
    private long firstNs;
    private long nowNs;
    private long heldByAnyNs;
    private long someoneWaitsNs;
    private long gilEvents;

    /** A drop_gil whose hand-off to another thread of this process is still to come. */
    boolean pendingDrop;
    int pendingDropTid;
    long pendingDropNs;

    /** @param blame where waiting time is charged (shared by the processes: tids are unique across them) */
    GilSweep(int pid, BlameMatrix blame) {
        this.pid = pid;
        this.blame = blame;
    }

    /** Counts one GIL event of this process, at {@code timeNs}, and moves the sweep there. */
    void event(long timeNs) {
        gilEvents++;
        advanceTo(timeNs);
    }

    /** True while one of its threads waits or holds. */
    boolean open() {
        return !waiting.isEmpty() || !holding.isEmpty();
    }

    /** Its figures: from its first GIL event to the last time the sweep reached. */
    ProcessGilFigures figures() {
        return new ProcessGilFigures(pid, started ? nowNs - firstNs : 0, heldByAnyNs, someoneWaitsNs, gilEvents);
    }

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
        if (!started) {
            firstNs = timeNs;
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

}
