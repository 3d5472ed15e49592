package io.per4m.gil;

/** What a thread is doing with respect to the GIL during an interval. */
public enum GilState {
    /** between take_gil and its return */
    WAIT("GIL wait"),
    /** between take_gil__return and the next drop_gil (entry): drop_gil releases the GIL right at its start */
    HELD("GIL held"),
    /**
     * between drop_gil and its return: released, and (when a drop was requested) waiting until another thread
     * has taken it
     */
    HANDOVER("GIL hand-over");

    private final String label;

    GilState(String label) {
        this.label = label;
    }

    /** Name used for trace slices and in the report. */
    public String label() {
        return label;
    }
}
