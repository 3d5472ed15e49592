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
        long whole = Math.abs(ns / 1000);
        int frac = (int) Math.abs(ns % 1000);
        int digits = 1;
        for (long rest = whole / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (char) ('0' + whole % 10);
            whole /= 10;
        }
        pos += digits;
        buf[pos++] = '.';
        buf[pos++] = (char) ('0' + frac / 100);
        buf[pos++] = (char) ('0' + frac / 10 % 10);
        buf[pos++] = (char) ('0' + frac % 10);
        return pos;
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
