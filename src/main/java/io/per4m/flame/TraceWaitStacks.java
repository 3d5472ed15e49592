package io.per4m.flame;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who waits, and where in the Python code, from a trace giltracer wrote (its NAME.json): each of its slices of one
 * kind (the GIL waits, or the time in one process state) weighs on the Python stack viztracer recorded for that
 * thread and moment, with the slice's name as leaf frame. Such a trace has no C stacks: the Python stack is all.
 */
public final class TraceWaitStacks extends WeighedStacks {
    private final PythonStacks python;
    private long slices;

    private TraceWaitStacks(PythonStacks python) {
        super(python::threadName);
        this.python = python;
    }

    /**
     * @param category "gil" or "state", as giltracer's slices are categorised
     * @param name     the slice name to weigh, e.g. "GIL wait" or "S(GIL)"
     * @param leaf     the frame that stands for the slice, e.g. take_gil
     */
    public static TraceWaitStacks read(Path trace, String category, String name, String leaf) throws IOException {
        TraceWaitStacks result = new TraceWaitStacks(PythonStacks.read(trace));
        Map<String, Long> opened = new HashMap<>();
        TraceEventStream.each(trace, "trace", parser -> {
            Slice event = Slice.read(parser);
            if (!category.equals(event.cat()) || !name.equals(event.name()) || event.id() == null) {
                return;
            }
            if ("b".equals(event.ph())) {
                opened.put(event.id(), event.timeNs());
            } else if ("e".equals(event.ph()) && opened.containsKey(event.id())) {
                result.add(event.tid(), opened.remove(event.id()), event.timeNs(), leaf);
            }
        });
        return result;
    }

    private void add(int tid, long startNs, long endNs, String leaf) {
        // the middle of the slice is the moment furthest from both ends of the enclosing viztracer slices
        List<String> frames = new ArrayList<>(python.stackAt(tid, startNs + (endNs - startNs) / 2));
        if (frames.isEmpty()) {
            frames.add(StackMerger.NO_PYTHON_STACK);
        }
        frames.add(leaf);
        weigh(tid, frames, endNs - startNs);
        slices++;
    }

    /** Slices weighed. */
    public long slices() {
        return slices;
    }

    private record Slice(String ph, String cat, String name, String id, int tid, long timeNs) {
        static Slice read(JsonParser parser) throws IOException {
            String ph = null;
            String cat = null;
            String name = null;
            String id = null;
            int tid = -1;
            double ts = Double.NaN;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "ph" -> ph = parser.getValueAsString();
                    case "cat" -> cat = parser.getValueAsString();
                    case "name" -> name = parser.getValueAsString();
                    case "id" -> id = parser.getValueAsString();
                    case "tid" -> tid = parser.getValueAsInt(-1);
                    case "ts" -> ts = parser.getValueAsDouble(Double.NaN);
                    default -> {
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            parser.skipChildren();
                        }
                    }
                }
            }
            return new Slice(ph, cat, name, id, tid, Double.isNaN(ts) ? 0 : Math.round(ts * 1000));
        }
    }
}
