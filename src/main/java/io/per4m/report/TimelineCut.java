package io.per4m.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first events of a report, up to a budget: every row is cut at one time, so the timeline shown is complete
 * up to that time on every thread (an event that starts before it is kept whole) and empty after it.
 *
 * @param data    what is drawn: the rows cut, the span and the summary those of the whole recording
 * @param shown   events kept
 * @param total   events in the whole recording
 * @param untilNs events starting before this relative time are all kept; none after it
 */
public record TimelineCut(ReportData data, long shown, long total, long untilNs) {
    public static TimelineCut all(ReportData data) {
        return new TimelineCut(data, data.eventCount(), data.eventCount(), data.spanNs());
    }

    /** The whole of {@code data} when it has at most {@code budget} events, else its first {@code budget} or fewer. */
    public static TimelineCut of(ReportData data, int budget) {
        long total = data.eventCount();
        if (total <= budget) {
            return all(data);
        }
        long until = nthStart(data, budget);
        List<ThreadLanes> threads = new ArrayList<>();
        for (ThreadLanes t : data.threads()) {
            List<Row> calls = new ArrayList<>();
            for (Row row : t.calls()) {
                Row cut = cut(row, until);
                if (cut.size() > 0) {
                    calls.add(cut);
                }
            }
            List<CounterTrack> counters = new ArrayList<>();
            for (CounterTrack c : t.counters()) {
                int n = before(c.time(), until);
                counters.add(new CounterTrack(c.name(), Arrays.copyOf(c.time(), n), Arrays.copyOf(c.value(), n)));
            }
            threads.add(new ThreadLanes(t.pid(), t.tid(), t.name(), t.main(), cut(t.gil(), until), cut(t.state(), until),
                    calls, counters));
        }
        ReportData kept = new ReportData(data.title(), data.originUs(), data.spanNs(), threads, data.strings(),
                data.summary(), data.summaryFromTrace());
        return new TimelineCut(kept, kept.eventCount(), total, until);
    }

    public boolean whole() {
        return shown == total;
    }

    /** The start time of the event at index {@code n} (0-based) when all events are sorted by start. */
    private static long nthStart(ReportData data, int n) {
        long[] starts = new long[Math.toIntExact(data.eventCount())];
        int i = 0;
        for (ThreadLanes t : data.threads()) {
            i = copy(t.gil().start(), starts, i);
            i = copy(t.state().start(), starts, i);
            for (Row row : t.calls()) {
                i = copy(row.start(), starts, i);
            }
            for (CounterTrack c : t.counters()) {
                i = copy(c.time(), starts, i);
            }
        }
        Arrays.sort(starts);
        return starts[n];
    }

    private static int copy(long[] from, long[] to, int at) {
        System.arraycopy(from, 0, to, at, from.length);
        return at + from.length;
    }

    private static Row cut(Row row, long until) {
        int n = before(row.start(), until);
        return n == row.size() ? row
                : new Row(Arrays.copyOf(row.start(), n), Arrays.copyOf(row.duration(), n), Arrays.copyOf(row.kind(), n));
    }

    /** How many of the sorted {@code times} are before {@code until}. */
    private static int before(long[] times, long until) {
        int lo = 0, hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < until) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
