package io.per4m.gil;

/**
 * While thread {@code waiterTid} waited for the GIL, thread {@code holderTid} held it for {@code ns};
 * {@code holderTid} is {@link #HANDOVER} for the moments nobody held it (released, the next holder not yet running).
 */
public record BlameEntry(int waiterTid, int holderTid, long ns) {
    /** The holder "tid" of waiting time in which no thread held the GIL: it was being handed over. */
    public static final int HANDOVER = -1;

    public boolean duringHandover() {
        return holderTid == HANDOVER;
    }
}
