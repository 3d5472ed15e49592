package io.per4m.perf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small fixed-size cache from byte ranges to their decoded strings, so that the few distinct thread names
 * and event names of a recording are decoded once and shared. A slot taken by another value is overwritten:
 * memory stays bounded whatever the input.
 */
final class ByteStrings {
    private final byte[][] keys;
    private final String[] values;
    private final int mask;

    ByteStrings(int slotsPowerOfTwo) {
        if (Integer.bitCount(slotsPowerOfTwo) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slotsPowerOfTwo);
        }
        keys = new byte[slotsPowerOfTwo][];
        values = new String[slotsPowerOfTwo];
        mask = slotsPowerOfTwo - 1;
    }

    String get(byte[] b, int from, int to) {
        int h = hash(b, from, to);
        int slot = h & mask;
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
            return values[slot];
        }
        String value = decode(b, from, to);
        keys[slot] = Arrays.copyOfRange(b, from, to);
        values[slot] = value;
        return value;
    }

    static String decode(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    static int hash(byte[] b, int from, int to) {
        int h = to - from;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
