package io.per4m.counter;

/**
 * Tells counter events from tracepoints and probes by the shape of the name perf prints: a tracepoint or probe is
 * {@code group:event} ({@code sched:sched_switch}, {@code python:take_gil__return}); a counter has no group
 * ({@code page-faults}, {@code cpu/cycles/}) or only an event modifier after the colon ({@code cycles:u},
 * {@code instructions:ppp}). An event sampled for its stacks ({@code cpu-clock/freq=99,call-graph=dwarf/}) is none.
 */
final class CounterEventName {
    /** perf's event modifier letters (see perf-list(1), "EVENT MODIFIERS"). */
    private static final String MODIFIER_LETTERS = "ukhIGHpPSDWeb";

    private CounterEventName() {
    }

    static boolean isCounter(String eventName) {
        if (eventName.contains("call-graph=")) {
            return false; // stack samples (giltracer's sampled Python stacks): the count only paces them
        }
        int colon = eventName.lastIndexOf(':');
        return colon < 0 || isModifier(eventName.substring(colon + 1));
    }

    /** The name without its modifier: {@code cycles:u} → {@code cycles}. */
    static String withoutModifier(String eventName) {
        int colon = eventName.lastIndexOf(':');
        return colon >= 0 && isModifier(eventName.substring(colon + 1)) ? eventName.substring(0, colon) : eventName;
    }

    private static boolean isModifier(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (MODIFIER_LETTERS.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
