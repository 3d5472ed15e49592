package io.per4m.trace;

import io.per4m.gil.GilState;
import io.per4m.sched.ProcessState;

/**
 * Which of the analysed slices a conversion writes (per4m 0.1's perf2trace switches); the figures always cover all.
 *
 * @param running        slices of a thread on a CPU ("running")
 * @param sleeping       sleeping slices (S, S(GIL), D)
 * @param onlyLock       GIL held slices only, no GIL wait
 * @param allTracepoints an instant event for every tracepoint event read as well
 */
public record TrackSelection(boolean running, boolean sleeping, boolean onlyLock, boolean allTracepoints) {
    public static final TrackSelection ALL = new TrackSelection(true, true, false, false);

    boolean writes(GilState state) {
        return !onlyLock || state == GilState.HELD;
    }

    boolean writes(ProcessState state) {
        return switch (state) {
            case RUNNING -> running;
            case SLEEPING, DISK_SLEEP, GIL_SLEEP -> sleeping;
            default -> true;
        };
    }
}
