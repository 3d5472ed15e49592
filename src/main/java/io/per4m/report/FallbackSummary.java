package io.per4m.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary JSON worked out from the GIL lanes alone, for traces that carry no engine summary
 * (hand-made or merged by other tools). Hand-off latencies need the probe events, so they stay empty.
 */
final class FallbackSummary {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final List<ThreadLanes> threads;

    FallbackSummary(List<ThreadLanes> threads) {
        this.threads = threads;
    }

    JsonNode toJson() {
        ObjectNode root = JSON.objectNode();
        ArrayNode threadArray = root.putArray("threads");
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long gilSlices = 0;
        for (ThreadLanes t : threads) {
            Row gil = t.gil();
            if (gil.size() == 0) {
                continue;
            }
            long start = gil.start()[0];
            long end = gil.start()[gil.size() - 1] + gil.duration()[gil.size() - 1];
            first = Math.min(first, start);
            last = Math.max(last, end);
            gilSlices += gil.size();
            long held = 0;
            long wait = 0;
            long holds = 0;
            long waits = 0;
            for (int i = 0; i < gil.size(); i++) {
                if (gil.kind()[i] == ReportData.GIL_HELD) {
                    held += gil.duration()[i];
                    holds++;
                } else {
                    wait += gil.duration()[i];
                    waits++;
                }
            }
            long total = end - start;
            ObjectNode o = threadArray.addObject();
            o.put("pid", t.pid()).put("tid", t.tid()).put("name", t.name()).put("main", t.main());
            o.put("total_us", us(total)).put("held_us", us(held)).put("wait_us", us(wait))
                    .put("no_gil_us", us(total - held - wait));
            o.put("held_pct", pct(held, total)).put("wait_pct", pct(wait, total))
                    .put("no_gil_pct", pct(total - held - wait, total));
            o.put("wait_count", waits).put("hold_count", holds);
        }
        long span = first == Long.MAX_VALUE ? 0 : last - first;
        long[][] held = intervals(ReportData.GIL_HELD);
        long heldByAny = unionLength(held);
        long someoneWaits = unionLength(intervals(ReportData.GIL_WAIT));
        ObjectNode process = root.putObject("process");
        process.put("span_us", us(span)).put("held_by_any_us", us(heldByAny)).put("someone_waits_us", us(someoneWaits))
                .put("held_pct", pct(heldByAny, span)).put("wait_pct", pct(someoneWaits, span))
                .put("gil_events", gilSlices * 2);
        root.set("blame", blame(held));
        ObjectNode handoff = root.putObject("handoff");
        handoff.put("count", 0).put("p50_us", 0.0).put("p90_us", 0.0).put("p99_us", 0.0).put("max_us", 0.0);
        root.putObject("anomalies");
        return root;
    }

    /** For every wait, the time each other thread held the GIL meanwhile. */
    private ArrayNode blame(long[][] held) {
        Map<Long, Long> byPair = new HashMap<>();
        for (ThreadLanes waiter : threads) {
            Row gil = waiter.gil();
            for (int i = 0; i < gil.size(); i++) {
                if (gil.kind()[i] != ReportData.GIL_WAIT) {
                    continue;
                }
                long a = gil.start()[i];
                long b = a + gil.duration()[i];
                int j = firstEndingAfter(held, a);
                for (; j < held.length && held[j][0] < b; j++) {
                    int holder = (int) held[j][2];
                    if (holder == waiter.tid()) {
                        continue;
                    }
                    long overlap = Math.min(b, held[j][1]) - Math.max(a, held[j][0]);
                    if (overlap > 0) {
                        byPair.merge(((long) waiter.tid() << 32) | (holder & 0xffffffffL), overlap, Long::sum);
                    }
                }
            }
        }
        Map<Integer, String> names = new HashMap<>();
        threads.forEach(t -> names.put(t.tid(), t.name()));
        ArrayNode out = JSON.arrayNode();
        byPair.entrySet().stream()
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed())
                .forEach(e -> {
                    int waiter = (int) (e.getKey() >> 32);
                    int holder = (int) (long) e.getKey();
                    out.addObject().put("waiter_tid", waiter).put("waiter_name", names.get(waiter))
                            .put("holder_tid", holder).put("holder_name", names.get(holder)).put("us", us(e.getValue()));
                });
        return out;
    }

    /** All slices of one GIL kind over all threads as {start, end, tid}, sorted by start. */
    private long[][] intervals(int kind) {
        List<long[]> all = new ArrayList<>();
        for (ThreadLanes t : threads) {
            Row gil = t.gil();
            for (int i = 0; i < gil.size(); i++) {
                if (gil.kind()[i] == kind) {
                    all.add(new long[]{gil.start()[i], gil.start()[i] + gil.duration()[i], t.tid()});
                }
            }
        }
        long[][] sorted = all.toArray(new long[0][]);
        Arrays.sort(sorted, Comparator.comparingLong(x -> x[0]));
        return sorted;
    }

    /** Index of the first interval whose end is after {@code time}, assuming held intervals barely overlap. */
    private static int firstEndingAfter(long[][] sorted, long time) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid][0] < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // step back over intervals that started earlier but may still run at `time`
        while (lo > 0 && sorted[lo - 1][1] > time) {
            lo--;
        }
        return lo;
    }

    private static long unionLength(long[][] sorted) {
        long total = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (long[] iv : sorted) {
            if (iv[0] > curEnd) {
                if (curEnd > curStart) {
                    total += curEnd - curStart;
                }
                curStart = iv[0];
                curEnd = iv[1];
            } else {
                curEnd = Math.max(curEnd, iv[1]);
            }
        }
        if (curEnd > curStart) {
            total += curEnd - curStart;
        }
        return total;
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : Math.round(100_000.0 * part / whole) / 1000.0;
    }
}
