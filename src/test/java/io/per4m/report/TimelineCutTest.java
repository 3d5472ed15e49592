package io.per4m.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineCutTest {
    private static Row row(long... starts) {
        long[] durations = new long[starts.length];
        java.util.Arrays.fill(durations, 4);
        return new Row(starts, durations, new int[starts.length]);
    }

    /** 13 events; their starts in order: 0 0 1 3 5 10 12 20 25 26 30 40 50. */
    private static ReportData data() {
        ThreadLanes a = new ThreadLanes(1, 1, "MainThread", true, row(0, 10, 20, 30), Row.EMPTY,
                List.of(row(0, 25), row(5, 26)), List.of());
        ThreadLanes b = new ThreadLanes(1, 2, "worker", false, Row.EMPTY, row(3, 12, 40), List.of(),
                List.of(new CounterTrack("page-faults", new long[]{1, 50}, new double[]{7, 9})));
        return new ReportData("In [7]", 0, 54, List.of(a, b), List.of("f"), JsonNodeFactory.instance.objectNode(), true);
    }

    @Test
    void keepsEveryEventThatStartsBeforeTheCutAndNoOther() {
        TimelineCut cut = TimelineCut.of(data(), 6);
        // the 7th start (index 6) is 12: the six events starting before it are kept, whole
        assertEquals(12, cut.untilNs());
        assertEquals(6, cut.shown());
        assertEquals(13, cut.total());
        ThreadLanes a = cut.data().threads().get(0), b = cut.data().threads().get(1);
        assertArrayEquals(new long[]{0, 10}, a.gil().start());
        assertEquals(2, a.calls().size());
        assertArrayEquals(new long[]{0}, a.calls().get(0).start());
        assertArrayEquals(new long[]{5}, a.calls().get(1).start());
        assertArrayEquals(new long[]{3}, b.state().start());
        assertArrayEquals(new long[]{1}, b.counters().get(0).time());
        assertArrayEquals(new double[]{7}, b.counters().get(0).value());
        assertEquals(54, cut.data().spanNs(), "the axis is still the whole recording's");
        assertEquals(6, cut.data().eventCount());
    }

    @Test
    void aCallStackDeeperThanTheCutLosesItsEmptyRows() {
        TimelineCut cut = TimelineCut.of(data(), 4);  // until 5: the call at depth 1 starts at 5
        assertEquals(5, cut.untilNs());
        assertEquals(4, cut.shown());
        assertEquals(1, cut.data().threads().get(0).calls().size());
    }

    @Test
    void tiedStartsAreNotSplit() {
        TimelineCut cut = TimelineCut.of(data(), 1);  // two events start at 0: keeping one would be arbitrary
        assertEquals(0, cut.shown());
        assertTrue(!cut.whole());
    }

    @Test
    void withinTheBudgetTheDataIsWhole() {
        ReportData data = data();
        TimelineCut cut = TimelineCut.of(data, 13);
        assertTrue(cut.whole());
        assertSame(data, cut.data());
        assertEquals(54, cut.untilNs());
    }
}
