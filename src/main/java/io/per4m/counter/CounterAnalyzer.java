package io.per4m.counter;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns counter samples into per-thread rates. A counter sample is an event that is not a tracepoint or probe
 * (see {@link CounterEventName}) and carries a period; its period is the count since the previous sample of
 * the same counter on the same thread, so the rate is {@code period / (time since that sample)}.
 *
 * <p>The first sample of a counter on a thread is measured from the thread's first event of any kind in the
 * input: a thread counts only while it runs, and before its first event it was either not running or not yet
 * recorded. When that sample is itself the thread's first event there is nothing to measure from: no point is
 * emitted, the sample only starts the series.
 * Samples at the same nanosecond as the previous one carry their period over to the next point.
 * Points are named without the event modifier ({@code cycles:u} → {@code cycles}) but tracked per full name, so
 * {@code cycles:u} and {@code cycles:k} recorded together give two series with the same name.
 */
public final class CounterAnalyzer implements PerfEventSink {
    private final CounterSink sink;
    private final Map<Integer, Long> firstSeenNs = new HashMap<>();
    private final Map<SeriesKey, Series> series = new HashMap<>();

    public CounterAnalyzer(CounterSink sink) {
        this.sink = sink;
    }

    @Override
    public void accept(PerfEvent event) {
        Long threadFirstSeen = firstSeenNs.putIfAbsent(event.tid(), event.timeNs());
        if (event.period() <= 0 || !CounterEventName.isCounter(event.name())) {
            return;
        }
        SeriesKey key = new SeriesKey(event.tid(), event.name());
        Series counter = series.get(key);
        if (counter == null) {
            counter = new Series(CounterEventName.withoutModifier(event.name()));
            series.put(key, counter);
            if (threadFirstSeen == null) {
                counter.lastNs = event.timeNs();
                return;
            }
            counter.lastNs = threadFirstSeen;
        }
        long elapsedNs = event.timeNs() - counter.lastNs;
        long count = counter.carried + event.period();
        if (elapsedNs <= 0) {
            counter.carried = count;
            return;
        }
        counter.carried = 0;
        counter.lastNs = event.timeNs();
        sink.point(new CounterPoint(event.pid(), event.tid(), counter.name, event.timeNs(), count * 1e9 / elapsedNs));
    }

    private record SeriesKey(int tid, String eventName) {
    }

    private static final class Series {
        final String name;
        long lastNs;
        long carried;

        Series(String name) {
            this.name = name;
        }
    }
}
