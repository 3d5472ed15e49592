package io.per4m.sched;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;

import java.util.List;

/** Hand-written perf events for the tests, in the shapes perf 6.1 prints them. */
final class Events {
    static final int PID = 100;

    private Events() {
    }

    static PerfEvent switchOut(long timeNs, int prevTid, String prevState, int nextTid, StackFrame... callchain) {
        return sched(timeNs, prevTid, "sched:sched_switch", "prev_comm=python3.11 prev_pid=" + prevTid
                + " prev_prio=120 prev_state=" + prevState + " ==> next_comm=" + (nextTid == 0 ? "swapper/1" : "other")
                + " next_pid=" + nextTid + " next_prio=120", callchain);
    }

    static PerfEvent waking(long timeNs, int wakerTid, int wokenTid) {
        return sched(timeNs, wakerTid, "sched:sched_waking",
                "comm=python3.11 pid=" + wokenTid + " prio=120 target_cpu=001");
    }

    static PerfEvent wakeup(long timeNs, int wakerTid, int wokenTid) {
        return sched(timeNs, wakerTid, "sched:sched_wakeup",
                "comm=python3.11 pid=" + wokenTid + " prio=120 target_cpu=001");
    }

    static PerfEvent wakeupNew(long timeNs, int parentTid, int childTid) {
        return sched(timeNs, parentTid, "sched:sched_wakeup_new",
                "comm=python3.11 pid=" + childTid + " prio=120 target_cpu=000");
    }

    static PerfEvent fork(long timeNs, int parentTid, int childTid) {
        return sched(timeNs, parentTid, "sched:sched_process_fork",
                "comm=python3.11 pid=" + parentTid + " child_comm=python3.11 child_pid=" + childTid);
    }

    static PerfEvent exit(long timeNs, int tid) {
        return sched(timeNs, tid, "sched:sched_process_exit",
                "comm=python3.11 pid=" + tid + " prio=120 group_dead=false");
    }

    static PerfEvent counter(long timeNs, int tid, String name, long period) {
        return new PerfEvent("python3.11", PID, tid, -1, timeNs, name, period, "", List.of(), 0);
    }

    static PerfEvent sched(long timeNs, int headerTid, String name, String payload, StackFrame... callchain) {
        return new PerfEvent("python3.11", headerTid == 0 ? 0 : PID, headerTid, 1, timeNs, name, 0, payload,
                List.of(callchain), 0);
    }

    static StackFrame frame(String symbol) {
        return new StackFrame("7f0000001000", symbol, "/root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0");
    }
}
