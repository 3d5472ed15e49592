package io.per4m.perf;

/**
 * Reads one field out of a tracepoint payload such as
 * {@code prev_comm=worker one prev_pid=6205 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0}
 * without regex or splitting. Values may contain spaces (thread names): a value runs until the next
 * {@code " key="} (a space, then a name made of letters, digits and '_', then '='), the {@code " ==> "}
 * separator of sched_switch, or the end of the payload.
 */
public final class TracepointFields {
    // two ways in: by field name (values may hold spaces), and by the last " key=" followed by digits, for
    // integer fields after a thread name that may itself contain " pid=" (the scheduler tracepoints)
    private TracepointFields() {
    }

    /** The value of {@code key}, or null when the payload has no such field. */
    public static String get(String payload, String key) {
        int start = valueStart(payload, key);
        return start < 0 ? null : payload.substring(start, valueEnd(payload, start));
    }

    /** The value of {@code key} as a long (decimal), or {@code missing} when absent or not a number. */
    public static long getLong(String payload, String key, long missing) {
        int start = valueStart(payload, key);
        if (start < 0) {
            return missing;
        }
        int end = valueEnd(payload, start);
        boolean negative = start < end && payload.charAt(start) == '-';
        int i = negative ? start + 1 : start;
        if (i == end || end - i > 18) {
            return missing;
        }
        long n = 0;
        for (; i < end; i++) {
            char c = payload.charAt(i);
            if (c < '0' || c > '9') {
                return missing;
            }
            n = n * 10 + (c - '0');
        }
        return negative ? -n : n;
    }

    /**
     * The integer after the last occurrence of {@code key} (e.g. {@code " pid="}) that is followed by digits,
     * or {@code missing}. The last one is the field: a thread name can only appear before the numeric fields.
     */
    public static int intAfterLast(String payload, String key, int missing) {
        for (int at = payload.lastIndexOf(key); at >= 0; at = at == 0 ? -1 : payload.lastIndexOf(key, at - 1)) {
            int start = at + key.length();
            int end = integerEnd(payload, start);
            if (end > 0) {
                return Integer.parseInt(payload, start, end, 10);
            }
        }
        return missing;
    }

    /** Index just past an optionally signed decimal integer starting at {@code start}, or -1 when there is none. */
    public static int integerEnd(String text, int start) {
        int i = start;
        if (i < text.length() && text.charAt(i) == '-') {
            i++;
        }
        int digitsStart = i;
        while (i < text.length() && i - digitsStart < 9 && isDigit(text.charAt(i))) {
            i++;
        }
        if (i == digitsStart || (i < text.length() && isDigit(text.charAt(i)))) {
            return -1;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int valueStart(String payload, String key) {
        int from = 0;
        while (true) {
            int at = payload.indexOf(key, from);
            if (at < 0) {
                return -1;
            }
            int eq = at + key.length();
            if ((at == 0 || payload.charAt(at - 1) == ' ') && eq < payload.length() && payload.charAt(eq) == '=') {
                return eq + 1;
            }
            from = at + 1;
        }
    }

    private static int valueEnd(String payload, int start) {
        int n = payload.length();
        for (int i = start; i < n; i++) {
            if (payload.charAt(i) == ' ' && (startsField(payload, i + 1) || payload.startsWith("==>", i + 1))) {
                return i;
            }
        }
        return n;
    }

    private static boolean startsField(String s, int i) {
        int j = i;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '=') {
                return j > i;
            }
            if (!(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
            j++;
        }
        return false;
    }
}
