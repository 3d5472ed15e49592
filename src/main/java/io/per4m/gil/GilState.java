package io.per4m.gil;

/** What a thread is doing with respect to the GIL during an interval. */
public enum GilState {
    /** between take_gil and its return */
    WAIT("GIL wait"),
    /** between take_gil__return and drop_gil__return */
    HELD("GIL held");

    private final String label;

    GilState(String label) {
        this.label = label;
    }

    /** Name used for trace slices and in the report. */
    public String label() {
        return label;
    }
}
