package io.per4m.gil;

/**
 * A perf event name recognised as a GIL probe: {@code <group>:take_gil}, {@code <group>:drop_gil__return}, and the
 * numbered names perf gives to extra probe points or duplicates ({@code take_gil_1}, {@code take_gil_1__return},
 * {@code take_gil__return_1}).
 *
 * <p>Whether an event is a return cannot always be told from its name: perf 6.1 refuses an event name that exists
 * in ANY group, and with {@code -f} names {@code G:take_gil=take_gil%return} {@code G:take_gil_2} (measured).
 * The uprobe payload tells instead: a return probe prints {@code (func <- caller)}, an entry {@code (func)}.
 *
 * @param group          probe group (before the first colon)
 * @param take           true for take_gil, false for drop_gil
 * @param nameSaysReturn the name carries {@code __return}
 */
public record GilProbe(String group, boolean take, boolean nameSaysReturn) {
    private static final String RETURN_SUFFIX = "__return";

    /** The probe named {@code eventName}, or null when it is not a GIL probe. */
    public static GilProbe parse(String eventName) {
        int colon = eventName.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String event = eventName.substring(colon + 1);
        boolean isReturn = false;
        int end = event.length();
        while (true) {
            if (event.startsWith(RETURN_SUFFIX, end - RETURN_SUFFIX.length()) && end > RETURN_SUFFIX.length()) {
                isReturn = true;
                end -= RETURN_SUFFIX.length();
                continue;
            }
            int digits = end;
            while (digits > 0 && Character.isDigit(event.charAt(digits - 1))) {
                digits--;
            }
            if (digits < end && digits > 1 && event.charAt(digits - 1) == '_') {
                end = digits - 1;
                continue;
            }
            break;
        }
        String base = event.substring(0, end);
        boolean take = base.equals("take_gil");
        if (!take && !base.equals("drop_gil")) {
            return null;
        }
        return new GilProbe(eventName.substring(0, colon), take, isReturn);
    }

    /** True when an event of this probe with this payload is a {@code take_gil} entry (not its return). */
    public boolean isTakeEntry(String payload) {
        return kind(payload) == GilEventKind.TAKE;
    }

    /** The kind of one event of this probe, using its payload when the name does not say. */
    GilEventKind kind(String payload) {
        boolean isReturn = nameSaysReturn || (payload != null && payload.contains("<-"));
        if (take) {
            return isReturn ? GilEventKind.TAKE_RETURN : GilEventKind.TAKE;
        }
        return isReturn ? GilEventKind.DROP_RETURN : GilEventKind.DROP;
    }
}
