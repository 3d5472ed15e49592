package io.per4m.pipeline;

import io.per4m.counter.CounterAnalyzer;
import io.per4m.gil.GilAnalyzer;
import io.per4m.gil.GilSummary;
import io.per4m.perf.EventQueueSink;
import io.per4m.perf.ParseReport;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.PerfEventSource;
import io.per4m.perf.ThreadDirectory;
import io.per4m.perf.TimeJumpFilter;
import io.per4m.sched.StateAnalyzer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one road perf events take, whoever reads them (perf2trace, giltracer, the notebook, offgil): the source →
 * {@link TimeJumpFilter} → (hidden threads left out) → {@link ThreadDirectory} → tracepoint instants →
 * {@link GilAnalyzer} → observers → {@link StateAnalyzer} → {@link CounterAnalyzer}. The GIL comes first because
 * the state analysis asks it whether a thread waits, and observers see an event once the GIL analysis had it.
 * Parsing and analysis run on two threads ({@link EventQueueSink}). Every stage but the GIL analyzer is optional.
 */
public final class EventPipeline {
    private final GilAnalyzer gil;
    private Set<Integer> hiddenTids = Set.of();
    private ThreadDirectory directory;
    private PerfEventSink tracepoints;
    private final List<PerfEventSink> observers = new ArrayList<>();
    private StateAnalyzer states;
    private CounterAnalyzer counters;

    public EventPipeline(GilAnalyzer gil) {
        this.gil = gil;
    }

    /** Leaves these threads out of every stage (a notebook kernel's own threads). */
    public EventPipeline hiding(Set<Integer> tids) {
        this.hiddenTids = Set.copyOf(tids);
        return this;
    }

    public EventPipeline directory(ThreadDirectory directory) {
        this.directory = directory;
        return this;
    }

    /** Also shown every tracepoint event (a name with a ':'), before the analyses. */
    public EventPipeline tracepoints(PerfEventSink sink) {
        this.tracepoints = sink;
        return this;
    }

    /** Also shown every event, after the GIL analysis and before the state analysis. */
    public EventPipeline observer(PerfEventSink sink) {
        observers.add(sink);
        return this;
    }

    public EventPipeline states(StateAnalyzer states) {
        this.states = states;
        return this;
    }

    public EventPipeline counters(CounterAnalyzer counters) {
        this.counters = counters;
        return this;
    }

    /** Reads every event of {@code source} through the stages; they have all ended when this returns. */
    public Run read(PerfEventSource source) throws IOException {
        TimeJumpFilter timeJumps = new TimeJumpFilter(new Stages());
        ParseReport report = source.readInto(new EventQueueSink(timeJumps));
        return new Run(report, gil, timeJumps.jumped());
    }

    /**
     * What one pass read.
     *
     * @param report     what the source read
     * @param timeJumped events dropped for a timestamp that jumped
     */
    public record Run(ParseReport report, GilAnalyzer gil, long timeJumped) {
        /** The GIL figures, the events dropped for a jumped timestamp among their anomalies. */
        public GilSummary summary() {
            GilSummary summary = gil.summary();
            if (timeJumped == 0) {
                return summary;
            }
            Map<String, Long> anomalies = new TreeMap<>(summary.anomalies() == null ? Map.of() : summary.anomalies());
            anomalies.put(TimeJumpFilter.TIME_JUMPED, timeJumped);
            return new GilSummary(summary.threads(), summary.process(), summary.processes(), summary.blame(),
                    summary.handoff(), Collections.unmodifiableMap(anomalies));
        }
    }

    /** One event through every stage, in the order above. */
    private final class Stages implements PerfEventSink {
        @Override
        public void accept(PerfEvent event) {
            if (!hiddenTids.isEmpty() && hiddenTids.contains(event.tid())) {
                return;
            }
            if (directory != null) {
                directory.accept(event);
            }
            if (tracepoints != null && event.name().indexOf(':') > 0) {
                tracepoints.accept(event);
            }
            gil.accept(event);
            for (PerfEventSink observer : observers) {
                observer.accept(event);
            }
            if (states != null) {
                states.accept(event);
            }
            if (counters != null) {
                counters.accept(event);
            }
        }

        @Override
        public void end() {
            if (directory != null) {
                directory.end();
            }
            if (tracepoints != null) {
                tracepoints.end();
            }
            gil.end();
            for (PerfEventSink observer : observers) {
                observer.end();
            }
            if (states != null) {
                states.end();
            }
            if (counters != null) {
                counters.end();
            }
        }
    }
}
