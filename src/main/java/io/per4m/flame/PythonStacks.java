package io.per4m.flame;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python call stacks viztracer recorded (its complete "X" events), per thread, to answer
 * "which Python functions were active on thread T at time t".
 */
public final class PythonStacks {
    private record Slice(long startNs, long endNs, String name) {
    }

    /** One thread's slices by start time, each with the index of its enclosing slice (-1 for none). */
    private record Lane(Slice[] slices, int[] parents) {
        static Lane of(Slice[] sorted) {
            int[] parents = new int[sorted.length];
            int[] open = new int[sorted.length];
            int depth = 0;
            for (int i = 0; i < sorted.length; i++) {
                while (depth > 0 && sorted[open[depth - 1]].endNs() <= sorted[i].startNs()) {
                    depth--;
                }
                parents[i] = depth == 0 ? -1 : open[depth - 1];
                open[depth++] = i;
            }
            return new Lane(sorted, parents);
        }
    }

    private final Map<Integer, Lane> byThread;
    private final Map<Integer, String> threadNames;

    private PythonStacks(Map<Integer, Lane> byThread, Map<Integer, String> threadNames) {
        this.byThread = byThread;
        this.threadNames = threadNames;
    }

    public static PythonStacks empty() {
        return new PythonStacks(Map.of(), Map.of());
    }

    /** The Python name viztracer recorded for thread {@code tid} ({@code threading.Thread.name}), or null. */
    public String threadName(int tid) {
        return threadNames.get(tid);
    }

    /** Reads viztracer's trace; its µs timestamps become ns on viztracer's clock. */
    public static PythonStacks read(Path viztracerJson) throws IOException {
        Map<Integer, List<Slice>> slices = new HashMap<>();
        Map<Integer, String> threadNames = new HashMap<>();
        TraceEventStream.each(viztracerJson, "viztracer trace", parser -> readEvent(parser, slices, threadNames));
        Map<Integer, Lane> sorted = new HashMap<>();
        slices.forEach((tid, list) -> {
            Slice[] array = list.toArray(new Slice[0]);
            // enclosing slices first when they start together
            Arrays.sort(array, Comparator.comparingLong(Slice::startNs).thenComparing(Slice::endNs,
                    Comparator.reverseOrder()));
            sorted.put(tid, Lane.of(array));
        });
        return new PythonStacks(sorted, threadNames);
    }

    private static void readEvent(JsonParser parser, Map<Integer, List<Slice>> slices,
                                  Map<Integer, String> threadNames) throws IOException {
        String ph = null;
        String argsName = null;
        String name = null;
        int tid = -1;
        double ts = Double.NaN;
        double dur = Double.NaN;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "ph" -> ph = parser.getValueAsString();
                case "name" -> name = parser.getValueAsString();
                case "tid" -> tid = parser.getValueAsInt(-1);
                case "ts" -> ts = parser.getValueAsDouble(Double.NaN);
                case "dur" -> dur = parser.getValueAsDouble(Double.NaN);
                case "args" -> argsName = value == JsonToken.START_OBJECT ? nameIn(parser) : null;
                default -> {
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        parser.skipChildren();
                    }
                }
            }
        }
        if ("X".equals(ph) && name != null && !Double.isNaN(ts) && !Double.isNaN(dur)) {
            long start = Math.round(ts * 1000);
            slices.computeIfAbsent(tid, t -> new ArrayList<>()).add(new Slice(start, start + Math.round(dur * 1000), name));
        } else if ("M".equals(ph) && "thread_name".equals(name) && argsName != null && tid >= 0) {
            threadNames.put(tid, argsName);
        }
    }

    /** The "name" string of the object the parser is at the start of; reads to its end. */
    private static String nameIn(JsonParser parser) throws IOException {
        String found = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("name".equals(field) && value == JsonToken.VALUE_STRING) {
                found = parser.getText();
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
        }
        return found;
    }

    /** Names of the slices enclosing {@code timeNs} on thread {@code tid}, outermost first. */
    public List<String> stackAt(int tid, long timeNs) {
        Lane lane = byThread.get(tid);
        List<String> stack = new ArrayList<>();
        if (lane == null) {
            return stack;
        }
        // the last slice started by t, or one of its ancestors, is the innermost one still open at t
        for (int i = upperBound(lane.slices(), timeNs) - 1; i >= 0; i = lane.parents()[i]) {
            if (lane.slices()[i].endNs() > timeNs) {
                stack.add(lane.slices()[i].name());
            }
        }
        java.util.Collections.reverse(stack);
        return stack;
    }

    private static int upperBound(Slice[] slices, long timeNs) {
        int lo = 0;
        int hi = slices.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (slices[mid].startNs() <= timeNs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
