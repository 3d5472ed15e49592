package io.per4m.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.per4m.counter.CounterPoint;
import io.per4m.counter.CounterSink;
import io.per4m.gil.GilInterval;
import io.per4m.gil.GilIntervalSink;
import io.per4m.gil.GilState;
import io.per4m.sched.StateInterval;
import io.per4m.sched.StateIntervalSink;
import io.per4m.trace.TrackListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects slices, calls and counter samples (absolute times in ns, any one clock) as they stream by and
 * turns them into {@link ReportData}. The trace reader feeds it; a live pipeline can feed it directly
 * through the GIL, state and counter sink interfaces and so avoid writing and re-reading a trace.
 */
public final class ReportDataBuilder implements TrackListener {
    private final Map<Integer, ThreadAccumulator> threads = new LinkedHashMap<>();
    private final Map<String, Integer> stringIndex = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private String title = "per4m report";
    private boolean titled;
    private JsonNode summary;
    private long minNs = Long.MAX_VALUE;
    private long maxNs = Long.MIN_VALUE;

    public ReportDataBuilder title(String newTitle) {
        title = newTitle;
        titled = true;
        return this;
    }

    public ReportDataBuilder summary(JsonNode engineSummary) {
        summary = engineSummary;
        return this;
    }

    /** The first process named gives the title, as the first process_name event of a trace does. */
    @Override
    public void processName(int pid, String name) {
        if (!titled) {
            title = name;
            titled = true;
        }
    }

    @Override
    public void threadName(int pid, int tid, String name) {
        thread(pid, tid).name = name;
    }

    /** @param kind {@link ReportData#GIL_HELD}, {@link ReportData#GIL_WAIT} or {@link ReportData#GIL_HANDOVER} */
    public void gil(int pid, int tid, int kind, long startNs, long endNs) {
        thread(pid, tid).gil.add(startNs, endNs, kind);
        span(startNs, endNs);
    }

    /** @param label one of {@link ReportData#STATE_LABELS}; anything else counts as "other" */
    public void state(int pid, int tid, String label, long startNs, long endNs) {
        int kind = ReportData.STATE_LABELS.indexOf(label);
        if (kind < 0) {
            kind = ReportData.STATE_LABELS.size() - 1;
        }
        thread(pid, tid).state.add(startNs, endNs, kind);
        span(startNs, endNs);
    }

    public void call(int pid, int tid, String name, long startNs, long durationNs) {
        thread(pid, tid).calls.add(startNs, startNs + Math.max(0, durationNs), intern(name));
        span(startNs, startNs + Math.max(0, durationNs));
    }

    public void counter(int pid, int tid, String name, long timeNs, double value) {
        ThreadAccumulator t = thread(pid, tid);
        t.counters.computeIfAbsent(name, k -> new CounterAccumulator()).add(timeNs, value);
        span(timeNs, timeNs);
    }

    @Override
    public void interval(GilInterval interval) {
        gil(interval.pid(), interval.tid(), ReportData.gilKind(interval.state()),
                interval.startNs(), interval.endNs());
    }

    @Override
    public void interval(StateInterval interval) {
        state(interval.pid(), interval.tid(), interval.state().label(), interval.startNs(), interval.endNs());
    }

    @Override
    public void point(CounterPoint point) {
        counter(point.pid(), point.tid(), point.counter(), point.timeNs(), point.perSecond());
    }

    public ReportData build() {
        long origin = minNs == Long.MAX_VALUE ? 0 : minNs;
        long span = maxNs == Long.MIN_VALUE ? 0 : maxNs - origin;
        List<ThreadLanes> lanes = new ArrayList<>();
        for (int tid : threadOrder()) {
            ThreadAccumulator t = threads.get(tid);
            if (t.isEmpty()) {
                continue;
            }
            List<CounterTrack> counters = new ArrayList<>();
            t.counters.forEach((name, c) -> counters.add(c.toTrack(name, origin)));
            lanes.add(new ThreadLanes(t.pid, tid, t.name == null ? "thread " + tid : t.name, isMain(t.pid, tid),
                    t.gil.toRow(origin), t.state.toRow(origin), t.calls.toDepthRows(origin), counters));
        }
        boolean fromTrace = summary != null && summary.isObject();
        JsonNode finalSummary = fromTrace ? summary : new FallbackSummary(lanes).toJson();
        return new ReportData(title, origin / 1000.0, span, lanes, List.copyOf(strings), finalSummary, fromTrace);
    }

    private List<Integer> threadOrder() {
        List<Integer> summaryOrder = new ArrayList<>();
        if (summary != null && summary.path("threads").isArray()) {
            for (JsonNode t : summary.path("threads")) {
                int tid = t.path("tid").asInt(-1);
                if (threads.containsKey(tid) && !summaryOrder.contains(tid)) {
                    summaryOrder.add(tid);
                }
            }
        }
        List<Integer> order = new ArrayList<>(summaryOrder);
        List<Integer> rest = new ArrayList<>(threads.keySet());
        rest.removeAll(order);
        // without an engine summary the main thread (tid == pid) goes first, the rest by first appearance
        rest.sort((a, b) -> Boolean.compare(isMain(threads.get(b).pid, b), isMain(threads.get(a).pid, a)));
        order.addAll(rest);
        return order;
    }

    private boolean isMain(int pid, int tid) {
        if (summary != null && summary.path("threads").isArray()) {
            for (JsonNode t : summary.path("threads")) {
                if (t.path("tid").asInt(-1) == tid) {
                    return t.path("main").asBoolean(tid == pid);
                }
            }
        }
        return tid == pid;
    }

    private ThreadAccumulator thread(int pid, int tid) {
        ThreadAccumulator t = threads.computeIfAbsent(tid, k -> new ThreadAccumulator());
        if (t.pid == 0) {
            t.pid = pid;
        }
        return t;
    }

    private int intern(String name) {
        return stringIndex.computeIfAbsent(name, k -> {
            strings.add(k);
            return strings.size() - 1;
        });
    }

    private void span(long startNs, long endNs) {
        minNs = Math.min(minNs, startNs);
        maxNs = Math.max(maxNs, endNs);
    }

    private static final class ThreadAccumulator {
        int pid;
        String name;
        final SliceAccumulator gil = new SliceAccumulator();
        final SliceAccumulator state = new SliceAccumulator();
        final SliceAccumulator calls = new SliceAccumulator();
        final Map<String, CounterAccumulator> counters = new LinkedHashMap<>();

        boolean isEmpty() {
            return gil.size() == 0 && state.size() == 0 && calls.size() == 0 && counters.isEmpty();
        }
    }

    private static final class CounterAccumulator {
        final LongColumn time = new LongColumn();
        final List<Double> values = new ArrayList<>();

        void add(long timeNs, double value) {
            time.add(timeNs);
            values.add(value);
        }

        CounterTrack toTrack(String name, long origin) {
            Integer[] order = SliceAccumulator.orderBy(time, null);
            long[] t = new long[order.length];
            double[] v = new double[order.length];
            for (int i = 0; i < order.length; i++) {
                t[i] = time.get(order[i]) - origin;
                v[i] = values.get(order[i]);
            }
            return new CounterTrack(name, t, v);
        }
    }
}
