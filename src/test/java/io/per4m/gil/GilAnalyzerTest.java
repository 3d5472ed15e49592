package io.per4m.gil;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.per4m.gil.BlameEntry.HANDOVER;
import static io.per4m.gil.GilEvents.handover;
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
                .at(60, 1, "drop_gil__return")     // forced switch: drop_gil returns after 2 took the GIL
                .at(70, 1, "take_gil")
                .at(90, 2, "drop_gil")
                .at(92, 1, "take_gil__return")
                .at(95, 2, "drop_gil__return")
                .at(120, 1, "drop_gil");
        assertEquals(8, ev.intervals.size(), "the last hand-over is still open before its drop_gil__return");
        ev.at(121, 1, "drop_gil__return");
        GilSummary s = ev.end();

        // a hold ends at drop_gil's entry, the hand-over runs from there to drop_gil__return
        assertEquals(List.of(waited(1, 0, 10), held(1, 10, 50), waited(2, 20, 55), handover(1, 50, 60),
                held(2, 55, 90), waited(1, 70, 92), handover(2, 90, 95), held(1, 92, 120), handover(1, 120, 121)),
                ev.intervals);
        // thread 1: total 121-0 = 121; wait (10-0)+(92-70) = 10+22 = 32; held (50-10)+(120-92) = 40+28 = 68;
        // hand-over (60-50)+(121-120) = 10+1 = 11; no GIL 121-32-68-11 = 10
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 121, 121, 68, 32, 11, 10, 2, 2, 2),
                thread(s, 1));
        // thread 2: total 95-20 = 75; wait 55-20 = 35; held 90-55 = 35; hand-over 95-90 = 5; no GIL 0
        assertEquals(new ThreadGilFigures(1, 2, "python3.11", false, 20, 95, 75, 35, 35, 5, 0, 1, 1, 1),
                thread(s, 2));
        // span 121-0; held by any: [10,50]+[55,90]+[92,120] = 40+35+28 = 103 = 68+35, the sum of the holds;
        // someone waits: [0,10]+[20,55]+[70,92] = 10+35+22 = 67; 12 GIL events
        assertEquals(new ProcessGilFigures(1, 121, 103, 67, 12), s.process());
        // 2 waited [20,55]: 1 held [20,50] = 30, nobody held [50,55] = 5 (hand-over);
        // 1 waited [70,92]: 2 held [70,90] = 20, hand-over [90,92] = 2; 1's first wait [0,10]: holder unknown
        assertEquals(List.of(new BlameEntry(2, 1, 30), new BlameEntry(1, 2, 20), new BlameEntry(2, HANDOVER, 5),
                new BlameEntry(1, HANDOVER, 2)), s.blame());
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
        // parent: waited [0,10], held [10,50], hand-over [50,80]; span 0..80, held by any 40, waits 10, 4 events
        // child: 7 waited [20,30], held [30,55], hand-over [55,65]; 8 waited [40,60], held [60,70], hand-over
        // [70,75]; span 20..75 = 55, held by any [30,55]+[60,70] = 35, someone waits [20,30]+[40,60] = 30, 8 events
        assertEquals(List.of(new ProcessGilFigures(1, 80, 40, 10, 4), new ProcessGilFigures(7, 55, 35, 30, 8)),
                s.processes());
        assertEquals(s.processes().get(0), s.process(), "the traced process is the first one seen");
        // 8 waited [40,60]: 7 held [40,55] = 15, hand-over [55,60] = 5; 7's wait [20,30]: no holder known in its
        // process, never blamed on 1, which held the GIL of another process
        assertEquals(List.of(new BlameEntry(8, 7, 15), new BlameEntry(8, HANDOVER, 5)), s.blame());
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
        // holds: 1 [110,500], 2 [510,800], 3 [830,900]; hand-overs: 1 [500,520], 2 [800,840], 3 [900,905];
        // waits: 1 [100,110], 2 [200,510], 3 [300,830]
        // 3 waited [300,830]: 1 held [300,500] = 200, nobody [500,510] = 10, 2 held [510,800] = 290,
        // nobody [800,830] = 30: hand-over 10+30 = 40; 200+40+290 = 530, its whole wait
        // 2 waited [200,510]: 1 held [200,500] = 300, hand-over [500,510] = 10: 310, its whole wait
        assertEquals(List.of(new BlameEntry(2, 1, 300), new BlameEntry(3, 2, 290), new BlameEntry(3, 1, 200),
                new BlameEntry(3, HANDOVER, 40), new BlameEntry(2, HANDOVER, 10)), s.blame());
        // span 905-100 = 805; held by any: 390+290+70 = 750;
        // someone waits: 1 [100,110] + union(2 [200,510], 3 [300,830]) = 10 + 630 = 640
        // (1 waited [100,110] before any holder was seen: no blame)
        assertEquals(new ProcessGilFigures(1, 805, 750, 640, 12), s.process());
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
    void stillHoldingWaitingOrHandingOverAtEnd() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(5, 1, "take_gil__return")
                .at(20, 1, "drop_gil").at(22, 1, "drop_gil__return")
                .at(25, 2, "take_gil").at(27, 2, "take_gil__return")
                .at(30, 1, "take_gil")
                .at(40, 2, "drop_gil")                                   // 2's drop_gil never returns
                .at(41, 1, "take_gil__return")                           // 1 never drops again
                .at(50, 3, "take_gil")                                   // 3 never gets it
                .at(61, 4, "take_gil");                                  // last GIL event: 61
        // before end(): open intervals are counted provisionally but not emitted
        GilSummary before = ev.analyzer.summary();
        // closed so far: 1 wait [0,5], held [5,20], hand-over [20,22]; 2 wait [25,27], held [27,40]; 1 wait [30,41]
        assertEquals(6, ev.intervals.size());
        assertTrue(ev.analyzer.isBlockedByGil(3), "waiting");
        assertTrue(ev.analyzer.isBlockedByGil(2), "handing over");
        assertFalse(ev.analyzer.isBlockedByGil(1), "holding");

        GilSummary s = ev.end();
        assertEquals(List.of(held(1, 41, 61), handover(2, 40, 61), waited(3, 50, 61), waited(4, 61, 61)),
                ev.intervals.subList(6, 10));
        // thread 1: total 61-0 = 61 (extended to the last GIL event); wait 5+11 = 16; held 15+20 = 35;
        // hand-over 2; no GIL 61-16-35-2 = 8
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 61, 61, 35, 16, 2, 8, 2, 2, 1), thread(s, 1));
        // thread 2: total 61-25 = 36; wait 2; held 40-27 = 13; hand-over 61-40 = 21; no GIL 0
        assertEquals(new ThreadGilFigures(1, 2, "python3.11", false, 25, 61, 36, 13, 2, 21, 0, 1, 1, 1),
                thread(s, 2));
        // thread 3: waits 50..61 = 11 = its whole total
        assertEquals(new ThreadGilFigures(1, 3, "python3.11", false, 50, 61, 11, 0, 11, 0, 0, 1, 0, 0),
                thread(s, 3));
        // held by any [5,20]+[27,40]+[41,61] = 48 = 35+13; someone waits [0,5]+[25,27]+[30,41]+[50,61] = 29
        assertEquals(new ProcessGilFigures(1, 61, 48, 29, 11), s.process());
        assertEquals(before.threads().stream().map(ThreadGilFigures::heldNs).toList(),
                s.threads().stream().map(ThreadGilFigures::heldNs).toList());
        assertEquals(Map.of(), s.anomalies());

        ev.analyzer.end();
        assertEquals(10, ev.intervals.size(), "end() twice emits nothing more");
    }

    /**
     * The GIL is a mutex: when another thread takes it while one still holds it (that one's drop_gil not seen),
     * the hold ends where the other took it. A drop_gil within probe jitter after that is the expected one; later,
     * or never, it is counted as overlapping holds.
     */
    @Test
    void overlappingHoldsAreEndedWhereTheNextThreadTakesTheGil() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil").at(10, 1, "take_gil__return")
                .at(20, 2, "take_gil").at(30, 2, "take_gil__return")    // 1 still holds: its hold ends at 30
                .at(35, 1, "drop_gil").at(36, 1, "drop_gil__return")    // 5 ns later: jitter, no anomaly
                .at(100, 3, "take_gil").at(20_000, 3, "take_gil__return") // 2 still holds: ends at 20 000
                .at(40_000, 2, "drop_gil").at(40_001, 2, "drop_gil__return") // 20 us later: an overlap
                .at(50_000, 3, "drop_gil").at(50_001, 3, "drop_gil__return")
                .at(60_000, 1, "take_gil").at(60_010, 1, "take_gil__return")
                .at(60_020, 3, "take_gil").at(70_000, 3, "take_gil__return") // 1 still holds: ends at 70 000
                .at(80_000, 3, "drop_gil").at(80_001, 3, "drop_gil__return"); // 1 never drops: an overlap
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 10), waited(2, 20, 30), held(1, 10, 30), handover(1, 35, 36),
                waited(3, 100, 20_000), held(2, 30, 20_000), handover(2, 40_000, 40_001), held(3, 20_000, 50_000),
                handover(3, 50_000, 50_001), waited(1, 60_000, 60_010), waited(3, 60_020, 70_000),
                held(1, 60_010, 70_000), held(3, 70_000, 80_000), handover(3, 80_000, 80_001)), ev.intervals);
        assertEquals(Map.of("overlapping_holds", 2L), s.anomalies());
        // held: 1 20+9 990 = 10 010, 2 19 970, 3 30 000+10 000 = 40 000; together 69 980 = held by any
        assertEquals(List.of(10_010L, 19_970L, 40_000L), s.threads().stream().map(ThreadGilFigures::heldNs).toList());
        assertEquals(69_980, s.process().heldByAnyNs());
    }

    @Test
    void inlinedTakeWithoutReturn() {
        GilEvents ev = new GilEvents();
        ev.at(0, 1, "take_gil")                                  // a copy without return point: no return follows
                .at(10, 1, "take_gil")                           // second take while waiting
                .at(15, 1, "take_gil__return")
                .at(30, 1, "drop_gil").at(32, 1, "drop_gil__return")
                .at(40, 1, "take_gil")                           // the copy again
                .at(70, 1, "drop_gil")                           // drop while "waiting": the take got the GIL
                .at(72, 1, "drop_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 10), waited(1, 10, 15), held(1, 15, 30), handover(1, 30, 32),
                waited(1, 40, 70), handover(1, 70, 72)), ev.intervals);
        // wait 10+5+30 = 45; held 15; hand-over 2+2 = 4; total 72; no GIL 72-45-15-4 = 8 (the gap 32..40)
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 72, 72, 15, 45, 4, 8, 3, 1, 2), thread(s, 1));
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
        assertEquals(List.of(held(1, 100, 150), handover(1, 150, 151), held(1, 160, 170), handover(1, 170, 175)),
                ev.intervals);
        // held 50+10 = 60; hand-over 1+5 = 6; wait 0; total 175-100 = 75; no GIL 9
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 100, 175, 75, 60, 0, 6, 9, 0, 2, 2), thread(s, 1));
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
                .at(25, 1, "drop_gil")                           // second drop_gil: the hand-over goes on
                .at(30, 1, "take_gil")                           // drop_gil__return lost
                .at(31, 1, "take_gil__return")
                .at(40, 1, "drop_gil").at(41, 1, "drop_gil__return");
        GilSummary s = ev.end();
        assertEquals(List.of(waited(1, 0, 1), held(1, 1, 10), waited(1, 10, 12), held(1, 12, 20), handover(1, 20, 30),
                waited(1, 30, 31), held(1, 31, 40), handover(1, 40, 41)), ev.intervals);
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
        // the hold before the thread's first event is unknown: its drop_gil starts a hand-over
        assertEquals(List.of(handover(1, 1000, 1004), waited(2, 1010, 1020), held(2, 1020, 1030),
                handover(2, 1030, 1031), handover(1, 1040, 1045)), ev.intervals);
        // thread 1: total 1045-1000 = 45; hand-over 4+5 = 9; no GIL 36
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 1000, 1045, 45, 0, 0, 9, 36, 0, 0, 2),
                thread(s, 1));
        // thread 2: total 1031-1001 = 30; wait 10; held 10; hand-over 1; no GIL 9
        assertEquals(new ThreadGilFigures(1, 2, "python3.11", false, 1001, 1031, 30, 10, 10, 1, 9, 1, 1, 1),
                thread(s, 2));
        assertEquals(Map.of("hold_at_start", 2L, "drop_without_hold", 1L), s.anomalies());
        // drop_gil of 1 at 1000 -> 2's take_gil__return at 1020: 20
        assertEquals(new LatencyFigures(1, 20, 20, 20, 20), s.handoff());
        // 2 waited [1010,1020] while the GIL released by 1 was being handed over
        assertEquals(List.of(new BlameEntry(2, HANDOVER, 10)), s.blame());
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
        assertEquals(List.of(waited(1, 100, 110), held(1, 110, 110), handover(1, 110, 130), waited(1, 130, 140),
                held(1, 140, 140)), ev.intervals);
        assertTrue(ev.intervals.stream().allMatch(i -> i.durationNs() >= 0));
        // wait 10+10 = 20; held 0; hand-over 20; span 140-100 = 40
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 100, 140, 40, 0, 20, 20, 0, 2, 2, 1), thread(s, 1));
        assertEquals(new ProcessGilFigures(1, 40, 0, 20, 6), s.process());
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
        assertEquals(List.of(waited(1, 0, 5), held(1, 5, 10), handover(1, 10, 12), waited(1, 20, 26), held(1, 26, 30),
                handover(1, 30, 31)), ev.intervals);
        // wait 5+6 = 11; held 5+4 = 9; hand-over 2+1 = 3; total 31; no GIL 8
        assertEquals(new ThreadGilFigures(1, 1, "python3.11", true, 0, 31, 31, 9, 11, 3, 8, 2, 2, 2), thread(s, 1));
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
        assertEquals(List.of(waited(1, 0, 5), held(1, 5, 9), handover(1, 9, 10)), ev.intervals);
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
    void blockedByGilWhileWaitingAndWhileHandingOver() {
        GilEvents ev = new GilEvents();
        assertFalse(ev.analyzer.isBlockedByGil(7));
        ev.at(10, 7, "take_gil");
        assertTrue(ev.analyzer.isBlockedByGil(7));
        ev.at(11, 8, "take_gil");
        assertTrue(ev.analyzer.isBlockedByGil(7), "another thread's event changes nothing for 7");
        assertTrue(ev.analyzer.isBlockedByGil(8));
        ev.at(12, 7, "take_gil__return");
        assertFalse(ev.analyzer.isBlockedByGil(7), "holding");
        assertTrue(ev.analyzer.isBlockedByGil(8));
        ev.at(13, 7, "drop_gil");
        assertTrue(ev.analyzer.isBlockedByGil(7), "handing over until drop_gil returns");
        ev.at(14, 8, "take_gil__return").at(15, 7, "drop_gil__return");
        assertFalse(ev.analyzer.isBlockedByGil(7));
        assertFalse(ev.analyzer.isBlockedByGil(8));
        ev.at(20, 7, "take_gil");
        assertTrue(ev.analyzer.isBlockedByGil(7));
        ev.at(21, 7, "drop_gil");                                // a take without return: now handing over
        assertTrue(ev.analyzer.isBlockedByGil(7));
        ev.at(22, 7, "drop_gil__return");
        assertFalse(ev.analyzer.isBlockedByGil(7));
        assertFalse(ev.analyzer.isBlockedByGil(12345));
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
