package io.per4m.report;

/**
 * One drawable row of slices that do not overlap, sorted by start; times in ns relative to the trace start.
 * {@code kind} is a colour/label index whose meaning depends on the lane (GIL state, process state, name).
 */
public record Row(long[] start, long[] duration, int[] kind) {
    public static final Row EMPTY = new Row(new long[0], new long[0], new int[0]);

    public int size() {
        return start.length;
    }

    public long totalDuration() {
        long sum = 0;
        for (long d : duration) {
            sum += d;
        }
        return sum;
    }
}
