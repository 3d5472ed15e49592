package io.per4m.report;

import java.util.Arrays;

/** A growable column of longs, so a million slices cost 8 bytes each instead of a boxed object. */
final class LongColumn {
    private long[] values = new long[16];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
