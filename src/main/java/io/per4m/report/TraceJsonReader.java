package io.per4m.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;
import io.per4m.trace.TraceEventFields;
import io.per4m.trace.TraceEventListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a Trace Event Format JSON file (the engine's, with or without viztracer's events merged in) in one
 * streaming pass and feeds a {@link ReportDataBuilder}. Events are never held as objects: a million of them
 * cost only their columns.
 */
public final class TraceJsonReader implements TraceEventListener {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ReportDataBuilder builder;
    private final Map<String, OpenSlice> openAsync = new HashMap<>();
    private final Map<Integer, Deque<OpenSlice>> openDuration = new HashMap<>();
    private boolean titled;

    public TraceJsonReader(ReportDataBuilder builder) {
        this.builder = builder;
    }

    public static ReportData read(Path trace) throws IOException {
        ReportDataBuilder builder = new ReportDataBuilder();
        try (InputStream in = Files.newInputStream(trace)) {
            new TraceJsonReader(builder).read(in);
        } catch (NoSuchFileException e) {
            throw new UserError("trace file not found: " + trace + " (give the JSON written by giltracer or perf2trace)");
        } catch (UserError e) {
            throw new UserError(trace + ": " + e.getMessage());
        }
        return builder.build();
    }

    public void read(InputStream in) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readEvents(p);
            } else if (first == JsonToken.START_OBJECT) {
                readTopLevel(p);
            } else {
                throw new UserError("not a trace: expected a JSON object with \"traceEvents\" or a JSON array");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a broken stream constraint (nesting too deep, a number too long) comes without a location
            JsonLocation at = e.getLocation();
            throw new UserError("trace is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (at == null ? "" : " at line " + at.getLineNr()) + "): give the JSON written by giltracer or "
                    + "perf2trace");
        }
    }

    private void readTopLevel(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("traceEvents".equals(field) && value == JsonToken.START_ARRAY) {
                readEvents(p);
            } else if ("per4m".equals(field) && value == JsonToken.START_OBJECT) {
                builder.summary(MAPPER.readTree(p));
            } else {
                p.skipChildren();
            }
        }
    }

    private void readEvents(JsonParser p) throws IOException {
        TraceEventFields e = new TraceEventFields();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            e.read(p);
            event(e);
        }
    }

    @Override
    public void event(TraceEventFields e) {
        if (e.ph == null) {
            return;
        }
        switch (e.ph) {
            case "M" -> metadata(e);
            case "b" -> openAsync.put(asyncKey(e), new OpenSlice(e.name, e.tsNs));
            case "e" -> {
                OpenSlice open = openAsync.remove(asyncKey(e));
                if (open != null) {
                    slice(e, open.name, open.startNs, e.tsNs);
                }
            }
            case "X" -> slice(e, e.name, e.tsNs, e.tsNs + Math.max(0, e.durNs));
            case "B" -> openDuration.computeIfAbsent(e.tid, k -> new ArrayDeque<>()).push(new OpenSlice(e.name, e.tsNs));
            case "E" -> {
                Deque<OpenSlice> stack = openDuration.get(e.tid);
                if (stack != null && !stack.isEmpty()) {
                    OpenSlice open = stack.pop();
                    builder.call(e.pid, e.tid, open.name, open.startNs, e.tsNs - open.startNs);
                }
            }
            case "C" -> counter(e);
            default -> { }
        }
    }

    private void metadata(TraceEventFields e) {
        if (e.argName == null) {
            return;
        }
        if ("thread_name".equals(e.name)) {
            builder.threadName(e.pid, e.tid, e.argName);
        } else if ("process_name".equals(e.name) && !titled) {
            builder.title(e.argName);
            titled = true;
        }
    }

    private void slice(TraceEventFields e, String name, long startNs, long endNs) {
        String cat = e.cat == null ? "" : e.cat;
        if ("gil".equals(cat)) {
            int kind = ReportData.gilKind(name);
            if (kind >= 0) {
                builder.gil(e.pid, e.tid, kind, startNs, endNs);
            }
        } else if ("state".equals(cat)) {
            builder.state(e.pid, e.tid, name, startNs, endNs);
        } else if ("X".equals(e.ph) && name != null) {
            builder.call(e.pid, e.tid, name, startNs, endNs - startNs);
        }
    }

    private void counter(TraceEventFields e) {
        if (e.name == null || e.argKeys.isEmpty()) {
            return;
        }
        boolean single = e.argKeys.size() == 1;
        for (int i = 0; i < e.argKeys.size(); i++) {
            String track = single ? e.name : e.name + "." + e.argKeys.get(i);
            builder.counter(e.pid, e.tid, track, e.tsNs, e.argValues.get(i));
        }
    }

    private static String asyncKey(TraceEventFields e) {
        return e.cat + '\u0000' + e.id + '\u0000' + e.pid + '\u0000' + e.name;
    }

    private record OpenSlice(String name, long startNs) {
    }
}
