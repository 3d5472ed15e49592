package io.per4m.sched;

import io.per4m.perf.TracepointFields;

/**
 * The fields of a {@code sched:sched_switch} payload that the state analysis needs.
 * Kernel format: {@code prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%d next_prio=%d}.
 * Thread names may contain spaces, {@code =} and even the field names themselves, so the fields are found by
 * their fixed structure instead of by splitting on whitespace: the prev fields are the first
 * {@code " prev_pid=N prev_prio=N prev_state=X ==> next_comm="} run that is complete (a name has at most
 * 15 characters, too few to hold that whole run), the next fields are the last {@code " next_pid=N"}.
 * Anything after {@code next_prio} (e.g. an ip and symbol printed on the same line) is ignored.
 */
record SchedSwitch(String prevComm, int prevPid, String prevState, String nextComm, int nextPid) {
    private static final String PREV_COMM = "prev_comm=";
    private static final String PREV_PID = " prev_pid=";
    private static final String PREV_PRIO = " prev_prio=";
    private static final String PREV_STATE = " prev_state=";
    private static final String NEXT_COMM = " ==> next_comm=";
    private static final String NEXT_PID = " next_pid=";
    private static final String NEXT_PRIO = " next_prio=";

    /** Returns null when {@code payload} is not a well-formed sched_switch payload. */
    static SchedSwitch parse(String payload) {
        if (!payload.startsWith(PREV_COMM)) {
            return null;
        }
        for (int at = payload.indexOf(PREV_PID); at >= 0; at = payload.indexOf(PREV_PID, at + 1)) {
            SchedSwitch parsed = parseFrom(payload, at);
            if (parsed != null) {
                return parsed;
            }
        }
        return null;
    }

    private static SchedSwitch parseFrom(String payload, int prevPidAt) {
        int pidStart = prevPidAt + PREV_PID.length();
        int pidEnd = TracepointFields.integerEnd(payload, pidStart);
        if (pidEnd < 0 || !payload.startsWith(PREV_PRIO, pidEnd)) {
            return null;
        }
        int prioEnd = TracepointFields.integerEnd(payload, pidEnd + PREV_PRIO.length());
        if (prioEnd < 0 || !payload.startsWith(PREV_STATE, prioEnd)) {
            return null;
        }
        int stateStart = prioEnd + PREV_STATE.length();
        int stateEnd = payload.indexOf(' ', stateStart);
        if (stateEnd <= stateStart || !payload.startsWith(NEXT_COMM, stateEnd)) {
            return null;
        }
        int nextCommStart = stateEnd + NEXT_COMM.length();
        int nextPidAt = payload.lastIndexOf(NEXT_PID);
        while (nextPidAt >= nextCommStart) {
            int nextPidStart = nextPidAt + NEXT_PID.length();
            int nextPidEnd = TracepointFields.integerEnd(payload, nextPidStart);
            if (nextPidEnd > 0 && payload.startsWith(NEXT_PRIO, nextPidEnd)) {
                return new SchedSwitch(
                        payload.substring(PREV_COMM.length(), prevPidAt),
                        Integer.parseInt(payload, pidStart, pidEnd, 10),
                        payload.substring(stateStart, stateEnd),
                        payload.substring(nextCommStart, nextPidAt),
                        Integer.parseInt(payload, nextPidStart, nextPidEnd, 10));
            }
            nextPidAt = payload.lastIndexOf(NEXT_PID, nextPidAt - 1);
        }
        return null;
    }
}
