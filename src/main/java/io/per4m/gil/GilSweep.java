package io.per4m.gil;

import java.util.ArrayList;
import java.util.List;

/**
 * One process's GIL (each process has its own: multiprocessing children are swept apart from their parent).
 * Process-wide figures by a sweep over the events in time order: between two consecutive GIL events the set of
 * waiting and holding threads is constant, so each gap is added to "held by any", "someone waits" and to the
 * blame of every waiting thread. Only the current sets are kept, never intervals.
 *
 * <p>A waiting moment is charged to the one thread holding the GIL at that moment. A hold ends at drop_gil's
 * entry (CPython releases the GIL right there), so holds of one process do not overlap and at most one thread
 * holds; should they overlap all the same, the thread that took the GIL last is charged. A moment in which nobody
 * holds it, once the GIL was seen held or released, is charged to {@link BlameEntry#HANDOVER}: it was released
 * and the next holder was not running with it yet. Before that, who held it is unknown, and nothing is charged.
 */
final class GilSweep {
    private final int pid;
    private final List<ThreadTrack> waiting = new ArrayList<>();
    private final List<ThreadTrack> holding = new ArrayList<>();
    private final List<ThreadTrack> handingOver = new ArrayList<>();
    private final BlameMatrix blame;
    private boolean started;
    private boolean holderKnown;
    private long firstNs;
    private long nowNs;
    private long heldByAnyNs;
    private long someoneWaitsNs;
    private long gilEvents;

    /** A drop_gil or its return was seen in this process: the recording has release points. */
    boolean sawDrop;

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

    /** True while one of its threads waits, holds or hands over. */
    boolean open() {
        return !waiting.isEmpty() || !holding.isEmpty() || !handingOver.isEmpty();
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
                    chargeWaiters(dt);
                }
            }
        }
        if (!started) {
            firstNs = timeNs;
        }
        started = true;
        nowNs = timeNs;
    }

    private void chargeWaiters(long dt) {
        int holder;
        if (!holding.isEmpty()) {
            holder = holding.get(holding.size() - 1).tid;
        } else if (holderKnown) {
            holder = BlameEntry.HANDOVER;
        } else {
            return;
        }
        for (ThreadTrack waiter : waiting) {
            if (waiter.tid != holder) {
                blame.add(waiter.tid, holder, dt);
            }
        }
    }

    /** The thread holding the GIL now, null when none; the one that took it last if holds overlap. */
    ThreadTrack holder() {
        return holding.isEmpty() ? null : holding.get(holding.size() - 1);
    }

    /** {@code t} starts waiting, holding or handing over in this process. */
    void enter(ThreadTrack t, ThreadTrack.Phase phase) {
        threadsIn(phase).add(t);
        if (phase != ThreadTrack.Phase.WAITING) {
            holderKnown = true;
        }
    }

    void leave(ThreadTrack t, ThreadTrack.Phase phase) {
        threadsIn(phase).remove(t);
    }

    private List<ThreadTrack> threadsIn(ThreadTrack.Phase phase) {
        return switch (phase) {
            case WAITING -> waiting;
            case HOLDING -> holding;
            case HANDING_OVER -> handingOver;
            case NONE -> throw new IllegalArgumentException("no interval in phase NONE");
        };
    }
}
