package io.per4m.trace;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.per4m.gil.GilState;
import io.per4m.sched.ProcessState;

/**
 * Slice colours, as names from the trace viewer's reserved colour scheme (catapult's color_scheme.html):
 * waiting is red, holding orange, handing over yellow, sleeping for the GIL as red as waiting for it.
 */
final class TraceColours {
    private static final SerializableString TERRIBLE = new SerializedString("terrible");              // 180,0,0
    private static final SerializableString BAD = new SerializedString("bad");                        // 180,125,0
    private static final SerializableString IOWAIT = new SerializedString("thread_state_iowait");     // 255,140,0
    private static final SerializableString YELLOW = new SerializedString("yellow");                  // 255,255,0
    private static final SerializableString RUNNING = new SerializedString("thread_state_running");   // green
    private static final SerializableString RUNNABLE = new SerializedString("thread_state_runnable"); // blue
    private static final SerializableString UNINTERRUPTIBLE = new SerializedString("thread_state_uninterruptible");
    private static final SerializableString UNKNOWN = new SerializedString("thread_state_unknown");

    private TraceColours() {
    }

    static SerializableString of(GilState state) {
        return switch (state) {
            case WAIT -> TERRIBLE;
            case HELD -> IOWAIT;
            case HANDOVER -> YELLOW;
        };
    }

    static SerializableString of(ProcessState state) {
        return switch (state) {
            case RUNNING -> RUNNING;
            case RUNNABLE, PREEMPTED -> RUNNABLE;
            case SLEEPING -> BAD;
            case DISK_SLEEP -> UNINTERRUPTIBLE;
            case GIL_SLEEP -> TERRIBLE;
            case OTHER -> UNKNOWN;
        };
    }
}
