package io.per4m.sched;

/** Scheduler state of a thread. */
public enum ProcessState {
    RUNNING("running"),
    RUNNABLE("R"),
    PREEMPTED("R+"),
    SLEEPING("S"),
    DISK_SLEEP("D"),
    GIL_SLEEP("S(GIL)"),
    OTHER("other");

    private final String label;

    ProcessState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
