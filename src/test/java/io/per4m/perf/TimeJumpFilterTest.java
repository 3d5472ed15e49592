package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimeJumpFilterTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static PerfEvent at(long timeNs, long line) {
        return new PerfEvent("t", 1, 1, 0, timeNs, "python:take_gil", 0, "", List.of(), line);
    }

    /** The times that came through, and the filter's count. */
    private record Outcome(List<Long> kept, long jumped) {
    }

    private static Outcome filter(long... times) {
        List<Long> kept = new ArrayList<>();
        TimeJumpFilter filter = new TimeJumpFilter(e -> kept.add(e.timeNs()));
        for (int i = 0; i < times.length; i++) {
            filter.accept(at(times[i], i + 1));
        }
        filter.end();
        return new Outcome(kept, filter.jumped());
    }

    /** Events 10 µs apart from 1000 s on, with {@code replace} put at index {@code at}. */
    private static long[] dense(int n, int at, long replace) {
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = 1000 * S + i * 10_000L;
        }
        if (at >= 0) {
            times[at] = replace;
        }
        return times;
    }

    private static List<Long> without(long[] times, int index) {
        List<Long> rest = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            if (i != index) {
                rest.add(times[i]);
            }
        }
        return rest;
    }

    @Test
    void oneTimestampFarForwardOrBackwardIsDroppedAndCounted() {
        for (long jumped : new long[]{1000 * S + 100_000 * S, 1000 * S - 999 * S, 1000 * S + 5 * S, Long.MAX_VALUE,
                Long.MIN_VALUE, 0}) {
            for (int index : new int[]{0, 1, 50, 98, 99}) {
                long[] times = dense(100, index, jumped);
                Outcome outcome = filter(times);
                assertEquals(without(times, index), outcome.kept(), "jump to " + jumped + " at " + index);
                assertEquals(1, outcome.jumped());
            }
        }
    }

    @Test
    void aFewJumpedEventsInARowAreAllDropped() {
        long[] times = dense(100, -1, 0);
        times[40] += 3000 * S;
        times[41] += 7000 * S;
        times[42] -= 500 * S;
        Outcome outcome = filter(times);
        assertEquals(3, outcome.jumped());
        assertEquals(97, outcome.kept().size());
    }

    @Test
    void aRealPauseKeepsEveryEvent() {
        long[] times = new long[60];
        for (int i = 0; i < 60; i++) {
            times[i] = i * 10_000L + (i >= 30 ? 10 * S : 0) + (i >= 45 ? 3600 * S : 0);
        }
        Outcome outcome = filter(times);
        assertEquals(0, outcome.jumped());
        assertEquals(60, outcome.kept().size());
    }

    @Test
    void smallBackwardStepsAsFromPerCpuBuffersAreKeptInOrder() {
        long[] times = dense(100, -1, 0);
        for (int i = 3; i < 100; i += 7) {
            times[i] -= 40 * MS;
        }
        Outcome outcome = filter(times);
        assertEquals(0, outcome.jumped());
        assertEquals(without(times, -1), outcome.kept());
    }

    @Test
    void sparseEventsSecondsApartAreKeptAndAJumpAmongThemIsNot() {
        long[] times = new long[40];
        for (int i = 0; i < 40; i++) {
            times[i] = i * 3 * S;
        }
        assertEquals(0, filter(times).jumped());
        times[20] += 100_000 * S;
        Outcome outcome = filter(times);
        assertEquals(1, outcome.jumped());
        assertEquals(without(times, 20), outcome.kept());
    }

    @Test
    void veryShortStreamsPassUnlessTheirNeighboursDisagree() {
        assertEquals(List.of(5L), filter(5).kept());
        assertEquals(List.of(5L, 6L), filter(5, 6).kept());
        assertEquals(0, filter().kept().size());
    }
}
