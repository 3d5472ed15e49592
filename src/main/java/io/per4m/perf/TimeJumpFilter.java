package io.per4m.perf;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Drops events whose timestamp jumps far outside their neighbours' (forward or backward) and counts them, so that
 * one corrupt timestamp (a flipped byte in perf.data, a damaged text line) cannot stretch a recording to days and
 * squeeze every real figure to nothing. It sits in front of every analysis and delays the stream by a few events.
 *
 * <p>An event is kept when its time is near the previous kept event's, or near one of the next {@link #LOOK_AHEAD}
 * events'. The second test keeps real gaps: after a program slept ten seconds, the first event after the pause is
 * far from what came before but near what follows; a corrupt timestamp is near neither. "Near" is at least
 * {@link #FLOOR_NS}: perf's per-CPU buffers deliver events a little out of order (milliseconds, counted later as
 * {@code time_went_backwards}), and a jump of less than a second cannot stretch a recording much. Where events are
 * sparse, "near" grows with them to {@link #GAP_FACTOR} times the median gap between the neighbours (the last
 * {@link #BEHIND} kept events and the look-ahead), so a recording
 * with one event every few seconds is not taken apart. A run of jumped events is caught while it is shorter than
 * the look-ahead; a pair of events that jumped by the same amount would be kept (corruption gives different values).
 */
public final class TimeJumpFilter implements PerfEventSink {
    public static final String TIME_JUMPED = "time_jumped";
    static final int LOOK_AHEAD = 16;
    static final int BEHIND = 8;
    static final long FLOOR_NS = 1_000_000_000L;
    static final long GAP_FACTOR = 100;

    private final PerfEventSink downstream;
    private final ArrayDeque<PerfEvent> ahead = new ArrayDeque<>(LOOK_AHEAD + 1);
    /** The last kept events' times, oldest first once full; the newest is the previous kept event. */
    private final long[] behind = new long[BEHIND];
    private final long[] gaps = new long[BEHIND + LOOK_AHEAD];
    private int kept;
    private boolean hasPrevious;
    private long previousNs;
    private long jumped;

    public TimeJumpFilter(PerfEventSink downstream) {
        this.downstream = downstream;
    }

    /** Events dropped so far; all of them once {@link #end()} returned. */
    public long jumped() {
        return jumped;
    }

    @Override
    public void accept(PerfEvent event) {
        ahead.addLast(event);
        if (ahead.size() > LOOK_AHEAD) {
            decide(ahead.pollFirst());
        }
    }

    @Override
    public void end() {
        while (!ahead.isEmpty()) {
            decide(ahead.pollFirst());
        }
        downstream.end();
    }

    private void decide(PerfEvent event) {
        if (fits(event.timeNs())) {
            hasPrevious = true;
            previousNs = event.timeNs();
            behind[kept++ % BEHIND] = previousNs;
            downstream.accept(event);
        } else {
            jumped++;
        }
    }

    private boolean fits(long t) {
        if (hasPrevious && distance(t, previousNs) <= FLOOR_NS) {
            return true;
        }
        if (!hasPrevious && ahead.isEmpty()) {
            return true;
        }
        long near = Math.max(FLOOR_NS, saturatedTimes(GAP_FACTOR, medianGap()));
        if (hasPrevious && distance(t, previousNs) <= near) {
            return true;
        }
        for (PerfEvent next : ahead) {
            if (distance(t, next.timeNs()) <= near) {
                return true;
            }
        }
        return false;
    }

    /** The median step between the neighbours (the last kept events, then the look-ahead), robust to a few jumps. */
    private long medianGap() {
        int n = 0;
        boolean first = true;
        long last = 0;
        for (int i = Math.max(0, kept - BEHIND); i < kept; i++) {
            long time = behind[i % BEHIND];
            if (!first) {
                gaps[n++] = distance(time, last);
            }
            first = false;
            last = time;
        }
        for (PerfEvent next : ahead) {
            if (!first) {
                gaps[n++] = distance(next.timeNs(), last);
            }
            first = false;
            last = next.timeNs();
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(gaps, 0, n);
        return gaps[n / 2];
    }

    private static long distance(long a, long b) {
        long d = a - b;
        // overflow: the two are more than 2^63 ns apart, as far as any threshold can be
        return (a >= b) != (d >= 0) || d == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(d);
    }

    private static long saturatedTimes(long factor, long value) {
        return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
    }
}
