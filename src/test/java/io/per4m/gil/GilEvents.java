package io.per4m.gil;

import io.per4m.perf.PerfEvent;

import java.util.ArrayList;
import java.util.List;

/** Test helper: builds GIL probe events by hand and feeds them to an analyzer, keeping the intervals it emits. */
final class GilEvents implements GilIntervalSink {
    static final String ENTRY_PAYLOAD = "(7f87e5a4f7b0)";
    static final String RETURN_PAYLOAD = "(7f87e5a4f7b0 <- 7f87e5a4fbb3)";

    final List<GilInterval> intervals = new ArrayList<>();
    final GilAnalyzer analyzer;
    private int pid = 1;
    private String comm = "python3.11";

    GilEvents(String probeGroup) {
        analyzer = new GilAnalyzer(probeGroup, this);
    }

    GilEvents() {
        this(null);
    }

    @Override
    public void interval(GilInterval interval) {
        intervals.add(interval);
    }

    GilEvents pid(int newPid) {
        pid = newPid;
        return this;
    }

    GilEvents comm(String newComm) {
        comm = newComm;
        return this;
    }

    /** Feeds {@code group:name} (default group "python" when name has no colon) for thread {@code tid} at {@code t}. */
    GilEvents at(long t, int tid, String name) {
        String full = name.contains(":") ? name : "python:" + name;
        return feed(t, tid, full, full.contains("__return") ? RETURN_PAYLOAD : ENTRY_PAYLOAD);
    }

    GilEvents feed(long t, int tid, String fullName, String payload) {
        analyzer.accept(new PerfEvent(comm, pid, tid, 0, t, fullName, 0, payload, List.of(), 0));
        return this;
    }

    GilSummary end() {
        analyzer.end();
        return analyzer.summary();
    }

    static GilInterval waited(int tid, long start, long end) {
        return new GilInterval(1, tid, GilState.WAIT, start, end);
    }

    static GilInterval held(int tid, long start, long end) {
        return new GilInterval(1, tid, GilState.HELD, start, end);
    }

    static GilInterval handover(int tid, long start, long end) {
        return new GilInterval(1, tid, GilState.HANDOVER, start, end);
    }

    static ThreadGilFigures thread(GilSummary summary, int tid) {
        return summary.threads().stream().filter(t -> t.tid() == tid).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + tid + " in " + summary.threads()));
    }
}
