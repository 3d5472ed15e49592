package io.per4m.sched;

/** Reading integer fields out of tracepoint payloads without splitting them on whitespace. */
final class TracepointFields {
    private TracepointFields() {
    }

    /**
     * The integer after the last occurrence of {@code key} (e.g. {@code " pid="}) that is followed by digits,
     * or {@code missing}. The last one is the field: a thread name can only appear before the numeric fields.
     */
    static int intAfterLast(String payload, String key, int missing) {
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
    static int integerEnd(String text, int start) {
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
}
