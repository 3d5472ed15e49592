package io.per4m.counter;

import io.per4m.perf.PerfEvent;
import io.per4m.sched.FixtureEvents;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterAnalyzerTest {
    private static final int PID = 100;
    private static final int A = 11;
    private static final int B = 12;

    @Test
    void rateIsThePeriodOverTheTimeSinceThePreviousSampleOfTheSameCounterAndThread() {
        List<CounterPoint> got = run(
                sample(1_000_000, A, "page-faults", 5),          // A's first event: starts the series only
                sample(3_000_000, A, "page-faults", 10),         // 10 in 2 ms
                sample(3_500_000, A, "page-faults", 1),          // 1 in 0.5 ms
                sample(4_000_000, B, "page-faults", 7));         // B's first event
        assertEquals(List.of(
                new CounterPoint(PID, A, "page-faults", 3_000_000, 5000.0),
                new CounterPoint(PID, A, "page-faults", 3_500_000, 2000.0)), got);
    }

    @Test
    void firstSampleIsMeasuredFromTheThreadsFirstEvent() {
        List<CounterPoint> got = run(
                event(0, A, "python:take_gil", 0),
                event(1_000_000, A, "sched:sched_switch", 1),     // a tracepoint with a period is no counter
                sample(4_000_000, A, "cycles:u", 8));            // 8 in 4 ms since A's first event
        assertEquals(List.of(new CounterPoint(PID, A, "cycles", 4_000_000, 2000.0)), got);
    }

    @Test
    void countersAndThreadsAreSeparateSeries() {
        List<CounterPoint> got = run(
                sample(0, A, "page-faults", 1),
                sample(0, B, "context-switches", 1),
                sample(1_000_000, A, "context-switches", 3),     // A's first context-switches: from A's first event
                sample(2_000_000, B, "context-switches", 4),
                sample(4_000_000, A, "page-faults", 2),
                sample(5_000_000, A, "context-switches", 1));
        assertEquals(List.of(
                new CounterPoint(PID, A, "context-switches", 1_000_000, 3000.0),
                new CounterPoint(PID, B, "context-switches", 2_000_000, 2000.0),
                new CounterPoint(PID, A, "page-faults", 4_000_000, 500.0),
                new CounterPoint(PID, A, "context-switches", 5_000_000, 250.0)), got);
    }

    @Test
    void samplesAtTheSameTimeCarryTheirPeriodToTheNextPoint() {
        List<CounterPoint> got = run(
                sample(0, A, "task-clock", 1),
                sample(2_000_000, A, "task-clock", 3),
                sample(2_000_000, A, "task-clock", 5),
                sample(4_000_000, A, "task-clock", 2));
        assertEquals(List.of(
                new CounterPoint(PID, A, "task-clock", 2_000_000, 1500.0),
                new CounterPoint(PID, A, "task-clock", 4_000_000, 3500.0)), got);
    }

    @Test
    void whatIsACounter() {
        for (String counter : List.of("page-faults", "context-switches", "cpu-clock", "task-clock", "instructions",
                "L1-dcache-load-misses", "cycles:u", "cycles:k", "instructions:ppp", "cpu/cycles/", "cpu/event=0x3c/u")) {
            assertTrue(CounterEventName.isCounter(counter), counter);
        }
        for (String notCounter : List.of("sched:sched_switch", "python:take_gil", "python:take_gil__return",
                "probe_libpython3:drop_gil", "raw_syscalls:sys_enter",
                "cpu-clock/freq=99,call-graph=dwarf,stack-size=16384/")) {
            assertFalse(CounterEventName.isCounter(notCounter), notCounter);
        }
        assertEquals("cycles", CounterEventName.withoutModifier("cycles:u"));
        assertEquals("instructions", CounterEventName.withoutModifier("instructions:ppp"));
        assertEquals("page-faults", CounterEventName.withoutModifier("page-faults"));
    }

    @Test
    void samplesWithoutPeriodGiveNothing() {
        assertEquals(List.of(), run(sample(0, A, "page-faults", 0), sample(1_000, A, "page-faults", 0)));
    }

    @Test
    void realPageFaultRatesAddUpToThePeriodsInTheFile() {
        // grep -E '^python3.11  8236/8236 .*page-faults:' sched-sleep.txt: 50 samples, periods summing to 1956,
        // the first one (period 1) is 8236's first event; 8238's only sample (period 1) at 4634.273937906 comes
        // 59712512 ns after its first own event (sched_waking at 4634.214225394).
        List<CounterPoint> points = new ArrayList<>();
        CounterAnalyzer analyzer = new CounterAnalyzer(points::add);
        for (PerfEvent event : FixtureEvents.read("/fixtures/sched-sleep.txt")) {
            analyzer.accept(event);
        }
        analyzer.end();
        List<CounterPoint> main = points.stream().filter(p -> p.tid() == 8236 && p.counter().equals("page-faults")).toList();
        assertEquals(49, main.size());
        long previousNs = 4634_181578688L;
        double counted = 0;
        for (CounterPoint point : main) {
            counted += point.perSecond() * (point.timeNs() - previousNs) / 1e9;
            previousNs = point.timeNs();
        }
        assertEquals(1955, counted, 1e-6);
        List<CounterPoint> sleeper = points.stream().filter(p -> p.tid() == 8238 && p.counter().equals("page-faults")).toList();
        assertEquals(1, sleeper.size());
        assertEquals(1e9 / 59_712_512, sleeper.get(0).perSecond(), 1e-9);
        assertEquals(8236, sleeper.get(0).pid());
    }

    private static List<CounterPoint> run(PerfEvent... events) {
        List<CounterPoint> points = new ArrayList<>();
        CounterAnalyzer analyzer = new CounterAnalyzer(points::add);
        for (PerfEvent event : events) {
            analyzer.accept(event);
        }
        analyzer.end();
        return points;
    }

    private static PerfEvent sample(long timeNs, int tid, String name, long period) {
        return event(timeNs, tid, name, period);
    }

    private static PerfEvent event(long timeNs, int tid, String name, long period) {
        return new PerfEvent("python3.11", PID, tid, -1, timeNs, name, period, "", List.of(), 0);
    }
}
