package io.per4m.gil;

/** While thread {@code waiterTid} waited for the GIL, thread {@code holderTid} held it for {@code ns}. */
public record BlameEntry(int waiterTid, int holderTid, long ns) {
}
