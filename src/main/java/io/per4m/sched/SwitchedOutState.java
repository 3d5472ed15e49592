package io.per4m.sched;

import io.per4m.gil.GilFunctions;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;

/** The state a thread enters when it is switched out, from sched_switch's {@code prev_state}. */
final class SwitchedOutState {

    private SwitchedOutState() {
    }

    /**
     * {@code R} and {@code R+} (preempted) leave the thread runnable; {@code S} is a sleep, for the GIL when the
     * thread is waiting in take_gil or handing the GIL over in drop_gil; {@code D} is an uninterruptible (disk) sleep; anything else (T, t, X, Z, I, P,
     * combinations) is OTHER.
     */
    static ProcessState of(String prevState, boolean blockedByGil) {
        if (prevState.isEmpty()) {
            return ProcessState.OTHER;
        }
        return switch (prevState.charAt(0)) {
            case 'R' -> ProcessState.PREEMPTED;
            case 'S' -> blockedByGil ? ProcessState.GIL_SLEEP : ProcessState.SLEEPING;
            case 'D' -> ProcessState.DISK_SLEEP;
            default -> ProcessState.OTHER;
        };
    }

    /** The call chain of a sched_switch is the stack of the thread switched out: is it inside take_gil or drop_gil? */
    static boolean callchainInGil(PerfEvent event) {
        for (StackFrame frame : event.callchain()) {
            if (GilFunctions.isGilFunction(frame.symbol())) {
                return true;
            }
        }
        return false;
    }
}
