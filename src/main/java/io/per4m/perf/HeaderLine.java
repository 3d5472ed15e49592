package io.per4m.perf;

/**
 * Parses one event header line of {@code perf script} in place:
 * {@code COMM  [PID/]TID  [[CPU]]  SECONDS.FRACTION:  [PERIOD]  EVENT:  [PAYLOAD]}.
 * <p>
 * COMM may contain spaces and digits (it is right-aligned in 16 columns, or left-aligned when call chains are
 * printed), so the line is not split on whitespace: the header is anchored on the first token from the left
 * that starts a valid {@code TID [CPU] TIME:} sequence, and everything before it is the thread name.
 * The results are plain fields of this reusable object: no allocation per line.
 */
final class HeaderLine {
    private static final long[] SCALE = {
            1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};
    private static final int MAX_SECONDS_DIGITS = 12;

    int commStart;
    int commEnd;
    int pid;
    int tid;
    int cpu;
    long timeNs;
    long period;
    int nameStart;
    int nameEnd;
    int payloadStart;
    int payloadEnd;

    // scratch results of the small scanners below
    private int cursor;
    private long number;

    boolean parse(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            while (p < to && isSpace(b[p])) {
                p++;
            }
            if (p >= to) {
                return false;
            }
            if ((isDigit(b[p]) || b[p] == '-') && (p == from || isSpace(b[p - 1])) && anchorAt(b, p, to)) {
                commStart = trimStart(b, from, p);
                commEnd = trimEnd(b, commStart, p);
                return true;
            }
            while (p < to && !isSpace(b[p])) {
                p++;
            }
        }
        return false;
    }

    /** Tries to read {@code [PID/]TID [[CPU]] TIME: [PERIOD] EVENT: PAYLOAD} starting at {@code p}. */
    private boolean anchorAt(byte[] b, int p, int to) {
        if (!readInt(b, p, to)) {
            return false;
        }
        p = cursor;
        int first = (int) number;
        if (p < to && b[p] == '/') {
            if (!readInt(b, p + 1, to)) {
                return false;
            }
            pid = first;
            tid = (int) number;
            p = cursor;
        } else {
            pid = -1;
            tid = first;
        }
        if (p >= to || !isSpace(b[p])) {
            return false;
        }
        p = skipSpaces(b, p, to);
        cpu = -1;
        if (p < to && b[p] == '[') {
            if (!readUnsigned(b, p + 1, to) || cursor >= to || b[cursor] != ']') {
                return false;
            }
            cpu = (int) number;
            p = skipSpaces(b, cursor + 1, to);
        }
        if (!readTime(b, p, to)) {
            return false;
        }
        p = skipSpaces(b, cursor, to);
        return readPeriodAndEvent(b, p, to);
    }

    private boolean readPeriodAndEvent(byte[] b, int p, int to) {
        period = 0;
        int tokenEnd = tokenEnd(b, p, to);
        if (tokenEnd == p) {
            return false;
        }
        if (isDigit(b[p]) && readUnsigned(b, p, to) && cursor == tokenEnd && tokenEnd < to) {
            int next = skipSpaces(b, tokenEnd, to);
            if (next < to) {
                period = number;
                p = next;
                tokenEnd = tokenEnd(b, p, to);
            }
        }
        if (b[tokenEnd - 1] != ':' || tokenEnd - 1 == p) {
            return false;
        }
        nameStart = p;
        nameEnd = tokenEnd - 1;
        payloadStart = skipSpaces(b, tokenEnd, to);
        payloadEnd = trimEnd(b, payloadStart, to);
        return true;
    }

    /** {@code SECONDS.FRACTION:} with 1 to 9 fraction digits, followed by whitespace or the end of the line. */
    private boolean readTime(byte[] b, int p, int to) {
        long seconds = 0;
        int start = p;
        while (p < to && isDigit(b[p])) {
            seconds = seconds * 10 + (b[p] - '0');
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > MAX_SECONDS_DIGITS || p >= to || b[p] != '.') {
            return false;
        }
        p++;
        long fraction = 0;
        int fracStart = p;
        while (p < to && isDigit(b[p])) {
            fraction = fraction * 10 + (b[p] - '0');
            p++;
        }
        int fracDigits = p - fracStart;
        if (fracDigits == 0 || fracDigits > 9 || p >= to || b[p] != ':') {
            return false;
        }
        p++;
        if (p < to && !isSpace(b[p])) {
            return false;
        }
        timeNs = seconds * 1_000_000_000L + fraction * SCALE[fracDigits];
        cursor = p;
        return true;
    }

    /** A decimal int (perf prints -1 for unknown ids) into {@link #number}. */
    private boolean readInt(byte[] b, int p, int to) {
        boolean negative = p < to && b[p] == '-';
        if (!readUnsigned(b, negative ? p + 1 : p, to) || number > Integer.MAX_VALUE) {
            return false;
        }
        if (negative) {
            number = -number;
        }
        return true;
    }

    /** Up to 18 decimal digits into {@link #number}; {@link #cursor} after the last digit. */
    private boolean readUnsigned(byte[] b, int p, int to) {
        long n = 0;
        int start = p;
        while (p < to && isDigit(b[p])) {
            n = n * 10 + (b[p] - '0');
            p++;
        }
        if (p == start || p - start > 18) {
            return false;
        }
        number = n;
        cursor = p;
        return true;
    }

    private static int tokenEnd(byte[] b, int p, int to) {
        while (p < to && !isSpace(b[p])) {
            p++;
        }
        return p;
    }

    private static int skipSpaces(byte[] b, int p, int to) {
        while (p < to && isSpace(b[p])) {
            p++;
        }
        return p;
    }

    private static int trimStart(byte[] b, int from, int to) {
        return skipSpaces(b, from, to);
    }

    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && isSpace(b[to - 1])) {
            to--;
        }
        return to;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
