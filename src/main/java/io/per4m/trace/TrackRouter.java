package io.per4m.trace;

import io.per4m.counter.CounterPoint;
import io.per4m.counter.CounterSink;
import io.per4m.gil.GilInterval;
import io.per4m.gil.GilIntervalSink;
import io.per4m.sched.StateInterval;
import io.per4m.sched.StateIntervalSink;

/**
 * Where the analyses' intervals and points go: counted, written to the trace as the mode and selection say, and
 * shown to the listener on the trace's clock.
 */
final class TrackRouter implements GilIntervalSink, StateIntervalSink, CounterSink {
    private final TraceEventWriter writer;
    private final PerfToTrace.Mode mode;
    private final TrackSelection selection;
    private final TrackListener listener;
    private final ClockAlignment clock;
    private long gilIntervals;
    private long stateIntervals;
    private long counterPoints;

    TrackRouter(TraceEventWriter writer, PerfToTrace.Mode mode, TrackSelection selection, TrackListener listener,
                ClockAlignment clock) {
        this.writer = writer;
        this.mode = mode;
        this.selection = selection;
        this.listener = listener;
        this.clock = clock;
    }

    long gilIntervals() {
        return gilIntervals;
    }

    long stateIntervals() {
        return stateIntervals;
    }

    long counterPoints() {
        return counterPoints;
    }

    @Override
    public void interval(GilInterval interval) {
        gilIntervals++;
        if (mode.writesGil() && selection.writes(interval.state())) {
            writer.interval(interval);
            if (listener != null) {
                listener.interval(new GilInterval(interval.pid(), interval.tid(), interval.state(),
                        clock.toTraceNs(interval.startNs()), clock.toTraceNs(interval.endNs())));
            }
        }
    }

    @Override
    public void interval(StateInterval interval) {
        stateIntervals++;
        if (!selection.writes(interval.state())) {
            return;
        }
        writer.interval(interval);
        if (listener != null) {
            listener.interval(new StateInterval(interval.pid(), interval.tid(), interval.state(),
                    clock.toTraceNs(interval.startNs()), clock.toTraceNs(interval.endNs())));
        }
    }

    @Override
    public void point(CounterPoint point) {
        counterPoints++;
        writer.point(point);
        if (listener != null) {
            listener.point(new CounterPoint(point.pid(), point.tid(), point.counter(),
                    clock.toTraceNs(point.timeNs()), point.perSecond()));
        }
    }
}
