package io.per4m.gil;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.per4m.gil.GilEvents.held;
import static io.per4m.gil.GilEvents.thread;
import static io.per4m.gil.GilEvents.waited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GilAnalyzerTest {

    @Test
    void twoThreadsAlternating() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(10, 1, "take_gil__return");
        assertEquals(List.of(waited(1, 0, 10)), ev.intervals, "wait is emitted as soon as it closes");
        ev.at(20, 2, "take_gil")
                .at(50, 1, "drop_gil")
                .at(55, 2, "take_gil__return")
                .at(60, 1, "drop_gil__return")
                .at(70, 1, "take_gil")
                .at(90, 2, "drop_gil")
                .at(92, 1, "take_gil__return")
                .at(95, 2, "drop_gil__return")
                .at(120, 1, "drop_gil");
        assertEquals(5, ev.intervals.size(), "the last hold is still open before its drop_gil__return");
        ev.at(121, 1, "drop_gil__return");
        GilSummary s = ev.end();

        assertEquals(List.of(waited(1, 0, 10), waited(2, 20, 55), held(1, 10, 60), waited(1, 70, 92), held(2, 55, 95),
                held(1, 92, 121)), ev.intervals);
        // thread 1: total 121-0 = 121; wait (10-0)+(92-70) = 10+22 = 32; held (60-10)+(121-92) = 50+29 = 79;
        // no GIL 121-32-79 = 10
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 121, 121, 79, 32, 10, 2, 2), thread(s, 1));
        // thread 2: total 95-20 = 75; wait 55-20 = 35; held 95-55 = 40; no GIL 0
        assertEquals(new ThreadGilFigures(1, 2, "python3.11", false, 20, 95, 75, 40, 35, 0, 1, 1), thread(s, 2));
        // span 121-0; held by any: union [10,60]+[55,95]+[92,121] = [10,121] = 111;
        // someone waits: [0,10]+[20,55]+[70,92] = 10+35+22 = 67; 12 GIL events
        assertEquals(new ProcessGilFigures(1, 121, 111, 67, 12), s.process());
        // 2 waited [20,55] while 1 held [10,60]: 35; 1 waited [70,92] while 2 held [55,95]: 22;
        // 1's first wait [0,10] had no holder
        assertEquals(List.of(new BlameEntry(2, 1, 35), new BlameEntry(1, 2, 22)), s.blame());
        // hand-offs: drop 50 -> other's return 55 = 5; drop 90 -> other's return 92 = 2.
        // sorted {2,5}: p50 rank ceil(0.5*2)=1 -> 2; p90 rank ceil(1.8)=2 -> 5; p99 -> 5; max 5
        assertEquals(new LatencyFigures(2, 2, 5, 5, 5), s.handoff());
        assertEquals(Map.of(), s.anomalies());
    }

    /** Each process has its own GIL: a child's threads neither wait for the parent's holder nor hand off to it. */
    @Test
    void processesHaveGilsOfTheirOwn() {
        GilEvents ev = new GilEvents();
        ev.pid(1).at(0, 1, "take_gil").at(10, 1, "take_gil__return")         // parent's main holds from 10
                .pid(7).at(20, 7, "take_gil").at(30, 7, "take_gil__return")  // child's main holds from 30
                .at(40, 8, "take_gil")                                        // child's worker waits for 7
                .pid(1).at(50, 1, "drop_gil")
                .pid(7).at(55, 7, "drop_gil").at(60, 8, "take_gil__return").at(65, 7, "drop_gil__return")
                .at(70, 8, "drop_gil").at(75, 8, "drop_gil__return")
                .pid(1).at(80, 1, "drop_gil__return");
        GilSummary s = ev.end();
        // parent: held [10,80], waited [0,10], span 0..80, 4 events
        // child: 7 waited [20,30] and held [30,65], 8 waited [40,60] and held [60,75]; span 20..75,
        // held by any [30,75] = 45, someone waits [20,30] + [40,60] = 30, 8 events
        assertEquals(List.of(new ProcessGilFigures(1, 80, 70, 10, 4), new ProcessGilFigures(7, 55, 45, 30, 8)),
                s.processes());
        assertEquals(s.processes().get(0), s.process(), "the traced process is the first one seen");
        // 8 waited [40,60] while 7 held: 20; 7's wait [20,30] had no holder in its process: never blamed on 1,
        // which held all along, but the GIL of another process
        assertEquals(List.of(new BlameEntry(8, 7, 20)), s.blame());
        // one hand-off: 7's drop at 55 to 8's return at 60; 1's drop at 50 hands off to nobody in its process
        assertEquals(new LatencyFigures(1, 5, 5, 5, 5), s.handoff());
    }

    @Test
    void blameWhileTwoThreadsWait() {
        GilEvents ev = new GilEvents();
        ev.at(100, 1, "take_gil").at(110, 1, "take_gil__return")
                .at(200, 2, "take_gil")
                .at(300, 3, "take_gil")
                .at(500, 1, "drop_gil")
                .at(510, 2, "take_gil__return")
                .at(520, 1, "drop_gil__return")
                .at(800, 2, "drop_gil")
                .at(830, 3, "take_gil__return")
                .at(840, 2, "drop_gil__return")
                .at(900, 3, "drop_gil").at(905, 3, "drop_gil__return");
        GilSummary s = ev.end();
        // holds: 1 [110,520], 2 [510,840], 3 [830,905]; waits: 1 [100,110], 2 [200,510], 3 [300,830]
        // the holder is the thread that took the GIL last: 1 in [110,510), 2 in [510,830), 3 from 830
        // 3 waited [300,830]: 2 held [510,830] = 320, 1 held [300,510] = 210 (1's hold overlapping 2's
        // in [510,520] is blamed on 2 alone), so 3's blame adds up to its 530 of wait
        // 2 waited [200,510]: 1 held [200,510] = 310
        assertEquals(List.of(new BlameEntry(3, 2, 320), new BlameEntry(2, 1, 310), new BlameEntry(3, 1, 210)),
                s.blame());
        // span 905-100 = 805; held by any: [110,905] = 795;
        // someone waits: 1 [100,110] + union(2 [200,510], 3 [300,830]) = 10 + 630 = 640
        // (1 waited [100,110] with no holder: no blame)
        assertEquals(new ProcessGilFigures(1, 805, 795, 640, 12), s.process());
        // hand-offs 510-500 = 10 and 830-800 = 30
        assertEquals(new LatencyFigures(2, 10, 30, 30, 30), s.handoff());
        assertEquals(310, thread(s, 2).waitNs());
        assertEquals(530, thread(s, 3).waitNs());
    }

    /** Two threads pass the GIL back and forth; hand-off i (1-based) takes {@code latencies[i-1]} ns. */
    private static GilSummary pingPong(long[] latencies) {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(1, 1, "take_gil__return").at(2, 2, "take_gil");
        int holder = 1;
        int other = 2;
        long t = 1_000;
        for (long latency : latencies) {
            ev.at(t, holder, "drop_gil")
                    .at(t + latency, other, "take_gil__return")
                    .at(t + latency + 1, holder, "drop_gil__return")
                    .at(t + latency + 2, holder, "take_gil");
            int previous = holder;
            holder = other;
            other = previous;
            t += latency + 1_000;
        }
        return ev.end();
    }

    @Test
    void handoffPercentilesExactForSmallLatencies() {
        // latencies 10, 20, ..., 100 ns (below 128: counted exactly)
        long[] latencies = new long[10];
        for (int i = 0; i < 10; i++) {
            latencies[i] = 10L * (i + 1);
        }
        GilSummary s = pingPong(latencies);
        // nearest rank of 10 values: p50 -> 5th = 50, p90 -> 9th = 90, p99 -> ceil(9.9) = 10th = 100
        assertEquals(new LatencyFigures(10, 50, 90, 100, 100), s.handoff());
        assertEquals(Map.of(), s.anomalies());
    }

    @Test
    void handoffPercentilesWithinOnePercentForLargeLatencies() {
        // latencies 1 us .. 100 us in 1 us steps, given in reverse order
        long[] latencies = new long[100];
        for (int i = 0; i < 100; i++) {
            latencies[i] = 1_000L * (100 - i);
        }
        LatencyFigures h = pingPong(latencies).handoff();
        assertEquals(100, h.count());
        // nearest rank of 100 values: p50 = 50th = 50 us, p90 = 90 us, p99 = 99 us; max exact = 100 us
        assertEquals(50_000, h.p50Ns(), 50_000 * 0.01);
        assertEquals(90_000, h.p90Ns(), 90_000 * 0.01);
        assertEquals(99_000, h.p99Ns(), 99_000 * 0.01);
        assertEquals(100_000, h.maxNs());
    }

    @Test
    void handoffUsesLatestDropAndIgnoresRetakeBySameThread() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(1, 1, "take_gil__return")
                .at(50, 2, "take_gil")
                .at(100, 1, "drop_gil").at(101, 1, "drop_gil__return")
                .at(102, 1, "take_gil").at(103, 1, "take_gil__return")   // the GIL went back to 1: no hand-off
                .at(300, 1, "drop_gil")
                .at(350, 2, "take_gil__return")                          // 350-300 = 50, not 350-100
                .at(351, 1, "drop_gil__return");
        assertEquals(new LatencyFigures(1, 50, 50, 50, 50), ev.end().handoff());
    }

    @Test
    void stillHoldingOrWaitingAtEnd() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(5, 1, "take_gil__return")
                .at(20, 1, "drop_gil").at(22, 1, "drop_gil__return")
                .at(30, 1, "take_gil").at(31, 1, "take_gil__return")    // 1 never drops again
                .at(40, 2, "take_gil").at(45, 2, "take_gil__return")
                .at(50, 3, "take_gil")                                   // 3 never gets it
                .at(60, 2, "drop_gil").at(61, 2, "drop_gil__return");   // last GIL event: 61
        // before end(): open intervals are counted provisionally but not emitted
        GilSummary before = ev.analyzer.summary();
        // closed so far: 1 wait [0,5], 1 held [5,22], 1 wait [30,31], 2 wait [40,45], 2 held [45,61]
        assertEquals(5, ev.intervals.size());
        assertTrue(ev.analyzer.isWaiting(3));

        GilSummary s = ev.end();
        assertEquals(List.of(held(1, 31, 61), waited(3, 50, 61)), ev.intervals.subList(5, 7));
        // thread 1: total 61-0 = 61 (extended to the last GIL event); wait 5+1 = 6; held (22-5)+(61-31) = 17+30 = 47;
        // no GIL 61-6-47 = 8
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 61, 61, 47, 6, 8, 2, 2), thread(s, 1));
        // thread 2: total 61-40 = 21; wait 5; held 61-45 = 16; no GIL 0
        assertEquals(new ThreadGilFigures(1, 2, "python3.11", false, 40, 61, 21, 16, 5, 0, 1, 1), thread(s, 2));
        // thread 3: waits 50..61 = 11 = its whole total
        assertEquals(new ThreadGilFigures(1, 3, "python3.11", false, 50, 61, 11, 0, 11, 0, 1, 0), thread(s, 3));
        assertEquals(before.threads().stream().map(ThreadGilFigures::heldNs).toList(),
                s.threads().stream().map(ThreadGilFigures::heldNs).toList());

        ev.analyzer.end();
        assertEquals(7, ev.intervals.size(), "end() twice emits nothing more");
    }

    @Test
    void inlinedTakeWithoutReturn() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil")                                  // inlined copy: no return follows
                .at(10, 1, "take_gil")                           // second take while waiting
                .at(15, 1, "take_gil__return")
                .at(30, 1, "drop_gil").at(32, 1, "drop_gil__return")
                .at(40, 1, "take_gil")                           // inlined again
                .at(70, 1, "drop_gil")                           // drop while "waiting": the take got the GIL
                .at(72, 1, "drop_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 10), waited(1, 10, 15), held(1, 15, 32), waited(1, 40, 70), held(1, 70, 72)),
                ev.intervals);
        // wait 10+5+30 = 45; held 17+2 = 19; total 72; no GIL 72-45-19 = 8 (the gap 32..40)
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 72, 72, 19, 45, 8, 3, 2), thread(s, 1));
        assertEquals(Map.of("take_without_return", 2L), s.anomalies());
    }

    @Test
    void returnWithoutTake() {
        GilEvents ev = new GilEvents();
        ev.at(100, 1, "take_gil__return")                        // trace starts mid-wait
                .at(150, 1, "drop_gil").at(151, 1, "drop_gil__return")
                .at(160, 1, "take_gil__return")                  // entry lost
                .at(165, 1, "take_gil__return")                  // while holding: the hold goes on
                .at(170, 1, "drop_gil").at(175, 1, "drop_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(held(1, 100, 151), held(1, 160, 175)), ev.intervals);
        // held 51+15 = 66; wait 0; total 175-100 = 75; no GIL 9
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 100, 175, 75, 66, 0, 9, 0, 2), thread(s, 1));
        assertEquals(Map.of("return_without_take", 3L), s.anomalies());
    }

    @Test
    void dropReturnWithoutDrop() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(5, 1, "take_gil__return")
                .at(20, 1, "drop_gil__return")                   // entry lost: the hold still ends here
                .at(30, 1, "drop_gil__return")                   // nothing open: ignored
                .at(40, 1, "take_gil")
                .at(50, 1, "drop_gil__return");                  // take return and drop entry lost: the wait ends
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 5), held(1, 5, 20), waited(1, 40, 50)), ev.intervals);
        assertEquals(Map.of("return_without_drop", 3L), s.anomalies());
    }

    @Test
    void takeWhileHoldingAndMissingDropReturn() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(1, 1, "take_gil__return")
                .at(10, 1, "take_gil")                           // drop pair lost: hold ends, wait starts
                .at(12, 1, "take_gil__return")
                .at(20, 1, "drop_gil")
                .at(25, 1, "drop_gil")                           // second drop_gil: hold goes on
                .at(30, 1, "take_gil")                           // drop_gil__return lost
                .at(31, 1, "take_gil__return")
                .at(40, 1, "drop_gil").at(41, 1, "drop_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 1), held(1, 1, 10), waited(1, 10, 12), held(1, 12, 30), waited(1, 30, 31),
                held(1, 31, 41)), ev.intervals);
        assertEquals(Map.of("take_while_holding", 1L, "drop_without_return", 2L), s.anomalies());
    }

    @Test
    void traceStartingMidHold() {
        GilEvents ev = new GilEvents();
        ev.at(1000, 1, "drop_gil")                               // 1's first event: it held the GIL already
                .at(1001, 2, "drop_gil__return")                 // 2's first event: nothing to count
                .at(1004, 1, "drop_gil__return")
                .at(1010, 2, "take_gil").at(1020, 2, "take_gil__return")
                .at(1030, 2, "drop_gil").at(1031, 2, "drop_gil__return")
                .at(1040, 1, "drop_gil")                         // seen before, not holding: lost take
                .at(1045, 1, "drop_gil__return");
        GilSummary s = ev.end();
        // the hold counts from the thread's first event (the drop_gil at 1000), not from before it
        assertEquals(List.of(held(1, 1000, 1004), waited(2, 1010, 1020), held(2, 1020, 1031), held(1, 1040, 1045)),
                ev.intervals);
        // thread 1: total 1045-1000 = 45; held 4+5 = 9; no GIL 36
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 1000, 1045, 45, 9, 0, 36, 0, 2), thread(s, 1));
        // thread 2: total 1031-1001 = 30; wait 10; held 11; no GIL 9
        assertEquals(new ThreadGilFigures(1, 2, "python3.11", false, 1001, 1031, 30, 11, 10, 9, 1, 1),
                thread(s, 2));
        assertEquals(Map.of("hold_at_start", 2L, "drop_without_hold", 1L), s.anomalies());
        // drop_gil of 1 at 1000 -> 2's take_gil__return at 1020: 20
        assertEquals(new LatencyFigures(1, 20, 20, 20, 20), s.handoff());
    }

    @Test
    void timeGoingBackwardsIsClampedToThePreviousEvent() {
        GilEvents ev = new GilEvents();
        ev.at(100, 1, "take_gil").at(110, 1, "take_gil__return")
                .at(105, 1, "drop_gil")                          // backwards: taken as 110
                .at(130, 1, "drop_gil__return")
                .at(120, 1, "take_gil")                          // backwards: taken as 130
                .at(140, 1, "take_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 100, 110), held(1, 110, 130), waited(1, 130, 140), held(1, 140, 140)),
                ev.intervals);
        assertTrue(ev.intervals.stream().allMatch(i -> i.durationNs() >= 0));
        // wait 10+10 = 20; held 20; span 140-100 = 40
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 100, 140, 40, 20, 20, 0, 2, 2), thread(s, 1));
        assertEquals(new ProcessGilFigures(1, 40, 20, 20, 6), s.process());
        assertEquals(Map.of("time_went_backwards", 2L), s.anomalies());
        assertEquals(LatencyFigures.EMPTY, s.handoff(), "1 took the GIL back itself");
    }

    @Test
    void numberedProbeNamesAreTheSameEvents() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "python:take_gil_1")
                .at(5, 1, "python:take_gil_1__return")
                .at(10, 1, "python:drop_gil_1")
                .at(12, 1, "python:drop_gil__return_1")
                // perf -f names a duplicate return probe "take_gil_3": only the payload says it is a return
                .feed(20, 1, "python:take_gil_2", GilEvents.ENTRY_PAYLOAD)
                .feed(26, 1, "python:take_gil_3", GilEvents.RETURN_PAYLOAD)
                .at(30, 1, "python:drop_gil")
                .at(31, 1, "python:drop_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 5), held(1, 5, 12), waited(1, 20, 26), held(1, 26, 31)), ev.intervals);
        // wait 5+6 = 11; held 7+5 = 12; total 31; no GIL 8
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 31, 31, 12, 11, 8, 2, 2), thread(s, 1));
        assertEquals(Map.of(), s.anomalies());
    }

    @Test
    void firstGroupSeenIsUsedAndOthersAreCounted() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "python:take_gil")
                .at(3, 1, "per4m_x:take_gil__return")            // other group: no effect on the state
                .at(5, 1, "python:take_gil__return")
                .at(7, 1, "per4m_x:drop_gil")
                .at(9, 1, "python:drop_gil").at(10, 1, "python:drop_gil__return");
        GilSummary s = ev.end();
        assertEquals("python", ev.analyzer.probeGroup());
        assertEquals(List.of(waited(1, 0, 5), held(1, 5, 10)), ev.intervals);
        assertEquals(Map.of("other_probe_group", 2L), s.anomalies());
        assertEquals(4, s.process().gilEvents());
    }

    @Test
    void explicitGroupIgnoresTheOthers() {
        GilEvents ev = new GilEvents("mine");
        ev.at(0, 1, "python:take_gil").at(1, 1, "python:take_gil__return");
        assertFalse(ev.analyzer.sawGilEvents());
        ev.at(2, 1, "mine:take_gil").at(4, 1, "mine:take_gil__return");
        assertTrue(ev.analyzer.sawGilEvents());
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 2, 4)), ev.intervals.subList(0, 1));
        assertEquals(Map.of("other_probe_group", 2L), s.anomalies());
    }

    @Test
    void nonGilEventsAreIgnored() {
        GilEvents ev = new GilEvents();
        for (String name : List.of("sched:sched_switch", "cycles:u", "page-faults", "probe_libc:malloc_1",
                "python:take_gil_x", "python:take_gilman", "python:gil", "take_gil", "probe:drop_gil_ret",
                "python:xtake_gil__return")) {
            ev.feed(10, 1, name, "");
        }
        assertFalse(ev.analyzer.sawGilEvents());
        GilSummary s = ev.end();
        assertEquals(List.of(), s.threads());
        assertEquals(new ProcessGilFigures(0, 0, 0, 0), s.process());
        assertEquals(LatencyFigures.EMPTY, s.handoff());
        assertEquals(List.of(), ev.intervals);
    }

    @Test
    void isWaitingExactlyBetweenTakeAndItsReturn() {
        GilEvents ev = new GilEvents();
        assertFalse(ev.analyzer.isWaiting(7));
        ev.at(10, 7, "take_gil");
        assertTrue(ev.analyzer.isWaiting(7));
        ev.at(11, 8, "take_gil");
        assertTrue(ev.analyzer.isWaiting(7), "another thread's event changes nothing for 7");
        assertTrue(ev.analyzer.isWaiting(8));
        ev.at(12, 7, "take_gil__return");
        assertFalse(ev.analyzer.isWaiting(7));
        assertTrue(ev.analyzer.isWaiting(8));
        ev.at(13, 7, "drop_gil");
        assertFalse(ev.analyzer.isWaiting(7));
        ev.at(14, 8, "take_gil__return").at(15, 7, "drop_gil__return");
        assertFalse(ev.analyzer.isWaiting(7));
        assertFalse(ev.analyzer.isWaiting(8));
        ev.at(20, 7, "take_gil");
        assertTrue(ev.analyzer.isWaiting(7));
        ev.at(21, 7, "drop_gil");                                // inlined take resynchronised: no longer waiting
        assertFalse(ev.analyzer.isWaiting(7));
        assertFalse(ev.analyzer.isWaiting(12345));
    }

    @Test
    void mainThreadIsTidEqualPidAndListedFirst() {
        GilEvents ev = new GilEvents().pid(10);
        ev.comm("worker 0").at(0, 11, "take_gil")
                .comm("python3.11").at(1, 10, "take_gil")
                .comm("renamed one").at(2, 11, "take_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(10, 11), s.threads().stream().map(ThreadGilFigures::tid).toList());
        assertTrue(s.threads().get(0).mainThread());
        assertFalse(s.threads().get(1).mainThread());
        assertEquals("renamed one", s.threads().get(1).name(), "latest comm of the thread");
        assertEquals(10, s.threads().get(1).pid());
    }

    @Test
    void withoutPidTheFirstThreadSeenIsMain() {
        GilEvents ev = new GilEvents().pid(-1);
        ev.at(0, 21, "take_gil").at(1, 22, "take_gil").at(2, 21, "take_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(21, 22), s.threads().stream().map(ThreadGilFigures::tid).toList());
        assertTrue(thread(s, 21).mainThread());
        assertFalse(thread(s, 22).mainThread());
        assertEquals(-1, thread(s, 22).pid());
    }
}
