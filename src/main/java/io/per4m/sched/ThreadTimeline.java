package io.per4m.sched;

import java.util.ArrayDeque;

/**
 * The state of one thread at the current point of the pass, and the intervals it closed while it was not yet
 * known to be a traced thread (seen as the thread a sample was taken on, which also gives its pid).
 */
final class ThreadTimeline {
    static final int MAX_PENDING = 64;

    private final int tid;
    private int pid = -1;
    private boolean confirmed;
    private boolean exited;
    private ProcessState state;
    private long sinceNs;
    private ArrayDeque<StateInterval> pending;

    ThreadTimeline(int tid) {
        this.tid = tid;
    }

    ProcessState state() {
        return state;
    }

    boolean exited() {
        return exited;
    }

    boolean confirmed() {
        return confirmed;
    }

    /** Enters {@code next} at {@code timeNs}; staying in the same state keeps the open interval. */
    void enter(ProcessState next, long timeNs, StateIntervalSink sink) {
        if (state != next) {
            begin(next, timeNs, sink);
        }
    }

    /**
     * Starts a new interval in {@code next} even when already in it: each switch-out is a sleep (or wait) of its
     * own, the thread ran in between even when no sample showed it.
     */
    void begin(ProcessState next, long timeNs, StateIntervalSink sink) {
        close(timeNs, sink);
        state = next;
        sinceNs = timeNs;
    }

    /** Closes the open interval, if any, at {@code timeNs}. */
    void close(long timeNs, StateIntervalSink sink) {
        if (state != null && timeNs > sinceNs) {
            emit(new StateInterval(pid, tid, state, sinceNs, timeNs), sink);
        }
        state = null;
    }

    /** The thread was seen as the thread of a sample: it is traced and belongs to {@code processId}. */
    void confirm(int processId, StateIntervalSink sink) {
        if (confirmed && processId == pid) {
            return;
        }
        if (processId != -1 || !confirmed) {
            pid = processId;
        }
        confirmed = true;
        if (pending != null) {
            for (StateInterval interval : pending) {
                sink.interval(new StateInterval(pid, tid, interval.state(), interval.startNs(), interval.endNs()));
            }
            pending = null;
        }
    }

    void exit(long timeNs, StateIntervalSink sink) {
        close(timeNs, sink);
        exited = true;
    }

    /** A new thread got this tid (fork): forget the old one's identity. */
    void reuse() {
        if (exited) {
            exited = false;
            confirmed = false;
            pid = -1;
            pending = null;
        }
    }

    private void emit(StateInterval interval, StateIntervalSink sink) {
        if (confirmed) {
            sink.interval(interval);
            return;
        }
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        if (pending.size() == MAX_PENDING) {
            pending.removeFirst();
        }
        pending.addLast(interval);
    }
}
