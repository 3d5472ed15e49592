package io.per4m.gil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The figures of GIL intervals read back from a trace that carries no engine summary: the intervals are turned
 * back into the probe events that bound them and replayed through a {@link GilAnalyzer}, so a trace's figures
 * follow the same model and the same blame and hand-off rules as a recording's. A hold not followed by a
 * hand-over (traces written before hand-overs were a state of their own) ends with a drop of no duration, unless
 * it lasts to the end of the trace (still held when the recording ended).
 * Pairing anomalies of the replay say nothing about probes and are left out, except {@code overlapping_holds}.
 */
public final class GilReplay {
    private final Map<Integer, List<GilInterval>> intervalsByThread = new LinkedHashMap<>();
    private final Map<Integer, Integer> pidByThread = new LinkedHashMap<>();
    private final Map<Integer, String> nameByThread = new LinkedHashMap<>();
    private long lastNs = Long.MIN_VALUE;

    private record Event(long timeNs, GilEventKind kind) {
    }

    /**
     * Adds one thread's intervals, in time order.
     *
     * @param pid its process (-1 if unknown)
     */
    public void thread(int pid, int tid, String name, List<GilInterval> intervals) {
        intervalsByThread.computeIfAbsent(tid, t -> new ArrayList<>()).addAll(intervals);
        pidByThread.put(tid, pid);
        nameByThread.put(tid, name);
        for (GilInterval interval : intervals) {
            lastNs = Math.max(lastNs, interval.endNs());
        }
    }

    /** The probe events that bound a thread's intervals; a hold that lasts to the end of the trace stays open. */
    private List<Event> events(List<GilInterval> intervals) {
        List<Event> events = new ArrayList<>(intervals.size() * 2);
        GilInterval previous = null;
        for (int i = 0; i < intervals.size(); i++) {
            GilInterval interval = intervals.get(i);
            GilInterval next = i + 1 < intervals.size() ? intervals.get(i + 1) : null;
            switch (interval.state()) {
                case WAIT -> {
                    events.add(new Event(interval.startNs(), GilEventKind.TAKE));
                    events.add(new Event(interval.endNs(), GilEventKind.TAKE_RETURN));
                }
                case HELD -> {
                    if (!follows(previous, GilState.WAIT, interval.startNs())) {
                        events.add(new Event(interval.startNs(), GilEventKind.TAKE_RETURN));
                    }
                    boolean openAtEnd = next == null && interval.endNs() == lastNs;
                    if (!precedes(next, GilState.HANDOVER, interval.endNs()) && !openAtEnd) {
                        events.add(new Event(interval.endNs(), GilEventKind.DROP));
                        events.add(new Event(interval.endNs(), GilEventKind.DROP_RETURN));
                    }
                }
                case HANDOVER -> {
                    events.add(new Event(interval.startNs(), GilEventKind.DROP));
                    events.add(new Event(interval.endNs(), GilEventKind.DROP_RETURN));
                }
            }
            previous = interval;
        }
        return events;
    }

    private static boolean follows(GilInterval previous, GilState state, long startNs) {
        return previous != null && previous.state() == state && previous.endNs() == startNs;
    }

    private static boolean precedes(GilInterval next, GilState state, long endNs) {
        return next != null && next.state() == state && next.startNs() == endNs;
    }

    /** Replays every thread's events in time order (at one instant releases before takes) and sums up. */
    public GilSummary summary() {
        GilAnalyzer analyzer = new GilAnalyzer(null, interval -> { });
        record Head(int tid, int index, Event event) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong((Head h) -> h.event().timeNs())
                .thenComparingInt(h -> rank(h.event().kind()))
                .thenComparingInt(Head::tid));
        Map<Integer, List<Event>> eventsByThread = new LinkedHashMap<>();
        intervalsByThread.forEach((tid, intervals) -> {
            List<Event> events = events(intervals);
            eventsByThread.put(tid, events);
            if (!events.isEmpty()) {
                heads.add(new Head(tid, 0, events.get(0)));
            }
        });
        while (!heads.isEmpty()) {
            Head head = heads.poll();
            analyzer.apply(pidByThread.get(head.tid()), head.tid(), nameByThread.get(head.tid()),
                    head.event().kind(), head.event().timeNs());
            List<Event> events = eventsByThread.get(head.tid());
            if (head.index() + 1 < events.size()) {
                heads.add(new Head(head.tid(), head.index() + 1, events.get(head.index() + 1)));
            }
        }
        analyzer.endAt(lastNs);
        GilSummary replayed = analyzer.summary();
        Long overlaps = replayed.anomalies().get(GilAnalyzer.OVERLAPPING_HOLDS);
        Map<String, Long> anomalies = overlaps == null ? Map.of() : Map.of(GilAnalyzer.OVERLAPPING_HOLDS, overlaps);
        return new GilSummary(replayed.threads(), replayed.process(), replayed.processes(), replayed.blame(),
                replayed.handoff(), anomalies);
    }

    /** At one instant the GIL is released before it is taken, as it must be for a mutex. */
    private static int rank(GilEventKind kind) {
        return switch (kind) {
            case DROP, DROP_RETURN -> 0;
            case TAKE -> 1;
            case TAKE_RETURN -> 2;
        };
    }
}
