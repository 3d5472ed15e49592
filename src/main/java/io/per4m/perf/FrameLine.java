package io.per4m.perf;

import java.util.Arrays;

/**
 * Parses call-chain lines such as {@code \t    7fbfc084f7b0 take_gil+0x10 (/usr/lib/libpython3.11.so.1.0)}
 * into {@link StackFrame}s. Symbols may contain spaces and parentheses (demangled C++), so the DSO is the
 * balanced parenthesised group that ends the line. Call chains repeat the same frames over and over, so parsed
 * frames are kept in a small fixed-size cache keyed by the line's bytes.
 */
final class FrameLine {
    private static final int SLOTS = 4096;

    private final byte[][] keys = new byte[SLOTS][];
    private final StackFrame[] frames = new StackFrame[SLOTS];
    private final ByteStrings dsos = new ByteStrings(256);

    /** The frame on {@code b[from, to)} or null when the line is no frame (no address and symbol). */
    StackFrame parse(byte[] b, int from, int to) {
        int p = from;
        while (p < to && HeaderLine.isSpace(b[p])) {
            p++;
        }
        while (to > p && HeaderLine.isSpace(b[to - 1])) {
            to--;
        }
        int slot = ByteStrings.hash(b, p, to) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, p, to)) {
            return frames[slot];
        }
        StackFrame frame = parseUncached(b, p, to);
        if (frame != null) {
            keys[slot] = Arrays.copyOfRange(b, p, to);
            frames[slot] = frame;
        }
        return frame;
    }

    private StackFrame parseUncached(byte[] b, int p, int to) {
        int addressEnd = p;
        while (addressEnd < to && isHex(b[addressEnd])) {
            addressEnd++;
        }
        if (addressEnd == p || addressEnd >= to || !HeaderLine.isSpace(b[addressEnd])) {
            return null;
        }
        int symbolStart = addressEnd;
        while (symbolStart < to && HeaderLine.isSpace(b[symbolStart])) {
            symbolStart++;
        }
        int symbolEnd = to;
        String dso = "";
        int open = dsoOpenParen(b, symbolStart, to);
        if (open >= 0) {
            dso = dsos.get(b, open + 1, to - 1);
            symbolEnd = open;
            while (symbolEnd > symbolStart && HeaderLine.isSpace(b[symbolEnd - 1])) {
                symbolEnd--;
            }
        }
        symbolEnd = withoutOffset(b, symbolStart, symbolEnd);
        if (symbolEnd == symbolStart) {
            return null;
        }
        return new StackFrame(ByteStrings.decode(b, p, addressEnd), ByteStrings.decode(b, symbolStart, symbolEnd), dso);
    }

    /** Index of the '(' matching the ')' that ends the line, when a space precedes it; else -1. */
    private static int dsoOpenParen(byte[] b, int from, int to) {
        if (to - from < 2 || b[to - 1] != ')') {
            return -1;
        }
        int depth = 0;
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == ')') {
                depth++;
            } else if (b[i] == '(' && --depth == 0) {
                return i > from && HeaderLine.isSpace(b[i - 1]) ? i : -1;
            }
        }
        return -1;
    }

    /** End of the symbol without a trailing {@code +0x<hex>} offset. */
    private static int withoutOffset(byte[] b, int from, int to) {
        int i = to - 1;
        while (i > from && isHex(b[i])) {
            i--;
        }
        if (i < to - 1 && i - 2 >= from && b[i] == 'x' && b[i - 1] == '0' && b[i - 2] == '+') {
            return i - 2;
        }
        return to;
    }

    private static boolean isHex(byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
