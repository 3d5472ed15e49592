package io.per4m.trace;

/**
 * Writes nanoseconds as microseconds with exactly three decimals ({@code 1234567 -> "1234.567"}) straight from the
 * long, without double formatting: it runs twice for every slice of the trace.
 */
public final class Micros {
    /** Enough for "-9223372036854775.808". */
    public static final int MAX_CHARS = 24;

    private Micros() {
    }

    /** Writes {@code ns} as µs into {@code buf} from index 0 and returns the number of chars written. */
    public static int format(long ns, char[] buf) {
        int pos = 0;
        if (ns < 0) {
            buf[pos++] = '-';
        }
        // magnitudes kept apart so that Long.MIN_VALUE needs no special case
        long whole = Math.abs(ns / 1000);
        int frac = (int) Math.abs(ns % 1000);
        // int arithmetic is much cheaper than long division: split into 8-digit groups
        if (whole < 100_000_000) {
            pos = writeInt((int) whole, buf, pos);
        } else {
            long high = whole / 100_000_000;
            int low = (int) (whole - high * 100_000_000);
            if (high < 100_000_000) {
                pos = writeInt((int) high, buf, pos);
            } else {
                long top = high / 100_000_000;
                pos = writeInt((int) top, buf, pos);
                pos = writeEightDigits((int) (high - top * 100_000_000), buf, pos);
            }
            pos = writeEightDigits(low, buf, pos);
        }
        buf[pos++] = '.';
        buf[pos++] = (char) ('0' + frac / 100);
        buf[pos++] = (char) ('0' + frac / 10 % 10);
        buf[pos++] = (char) ('0' + frac % 10);
        return pos;
    }

    private static int writeInt(int value, char[] buf, int pos) {
        int digits = 1;
        for (int rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return pos + digits;
    }

    private static int writeEightDigits(int value, char[] buf, int pos) {
        for (int i = pos + 7; i >= pos; i--) {
            buf[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return pos + 8;
    }

    public static String toString(long ns) {
        char[] buf = new char[MAX_CHARS];
        return new String(buf, 0, format(ns, buf));
    }

    /** A fraction 0..1 as a percentage with three decimals, e.g. {@code 0.123456 -> "12.346"}. */
    public static String percent(double fraction) {
        if (Double.isNaN(fraction)) {
            return "0.000";
        }
        return toString(Math.round(fraction * 100_000));
    }
}
