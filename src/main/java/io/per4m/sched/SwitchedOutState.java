package io.per4m.sched;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;

/** The state a thread enters when it is switched out, from sched_switch's {@code prev_state}. */
final class SwitchedOutState {
    private static final String TAKE_GIL = "take_gil";

    private SwitchedOutState() {
    }

    /**
     * {@code R} and {@code R+} (preempted) leave the thread runnable; {@code S} is a sleep, for the GIL when the
     * thread is waiting in take_gil; {@code D} is an uninterruptible (disk) sleep; anything else (T, t, X, Z, I, P,
     * combinations) is OTHER.
     */
    static ProcessState of(String prevState, boolean waitingForGil) {
        if (prevState.isEmpty()) {
            return ProcessState.OTHER;
        }
        return switch (prevState.charAt(0)) {
            case 'R' -> ProcessState.PREEMPTED;
            case 'S' -> waitingForGil ? ProcessState.GIL_SLEEP : ProcessState.SLEEPING;
            case 'D' -> ProcessState.DISK_SLEEP;
            default -> ProcessState.OTHER;
        };
    }

    /** The call chain of a sched_switch is the stack of the thread switched out. */
    static boolean callchainInTakeGil(PerfEvent event) {
        for (StackFrame frame : event.callchain()) {
            if (frame.symbol().startsWith(TAKE_GIL)) {
                return true;
            }
        }
        return false;
    }
}
