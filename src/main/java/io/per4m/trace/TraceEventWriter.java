package io.per4m.trace;

import io.per4m.html.ScriptSafeEscapes;
import io.per4m.html.ScriptSafeBytes;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.per4m.counter.CounterPoint;
import io.per4m.counter.CounterSink;
import io.per4m.gil.GilInterval;
import io.per4m.gil.GilIntervalSink;
import io.per4m.gil.GilState;
import io.per4m.sched.ProcessState;
import io.per4m.sched.StateInterval;
import io.per4m.sched.StateIntervalSink;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Streams Trace Event Format JSON: GIL slices and process states as async b/e pairs (so they do not break the nesting
 * of viztracer's call stacks on the same thread), counters as C events, thread and process names as M events.
 * <p>
 * Call order: {@link #startEvents()}, events (sink calls, {@link #threadName}, pass-through via
 * {@link #generator()}), {@link #endEvents()}, top-level keys via {@link #generator()}, {@link #close()}.
 */
public final class TraceEventWriter implements GilIntervalSink, StateIntervalSink, CounterSink, Closeable {
    private static final SerializableString PH = new SerializedString("ph");
    private static final SerializableString CAT = new SerializedString("cat");
    private static final SerializableString NAME = new SerializedString("name");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString PID = new SerializedString("pid");
    private static final SerializableString TID = new SerializedString("tid");
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString CNAME = new SerializedString("cname");
    private static final SerializableString ARGS = new SerializedString("args");
    private static final SerializableString PER_SECOND = new SerializedString("per_second");
    private static final SerializableString BEGIN = new SerializedString("b");
    private static final SerializableString END = new SerializedString("e");
    private static final SerializableString COUNTER_PH = new SerializedString("C");
    private static final SerializableString CAT_GIL = new SerializedString("gil");
    private static final SerializableString CAT_STATE = new SerializedString("state");
    private static final SerializableString CAT_COUNTER = new SerializedString("counter");

    private final JsonGenerator gen;
    private final OutputStream out;
    private final ClockAlignment clock;
    private final IntUnaryOperator pidOfUnknown;
    private final Map<GilState, SerializableString> gilNames = new EnumMap<>(GilState.class);
    private final Map<ProcessState, SerializableString> stateNames = new EnumMap<>(ProcessState.class);
    private final Map<Integer, SerializableString> gilIds = new HashMap<>();
    private final Map<Integer, SerializableString> stateIds = new HashMap<>();
    private final Map<String, Map<Integer, SerializableString>> counterNames = new HashMap<>();
    private final Map<Integer, Integer> threads = new LinkedHashMap<>();
    private final char[] number = new char[Micros.MAX_CHARS];
    private int lastTid = Integer.MIN_VALUE;
    private long eventsWritten;
    private long intervalsSkipped;

    /**
     * @param out          where the JSON goes (closed by {@link #close()})
     * @param clock        perf clock to trace clock
     * @param pidOfUnknown the pid to write for a thread whose events carry pid -1 (perf printed only the tid)
     */
    public TraceEventWriter(OutputStream out, ClockAlignment clock, IntUnaryOperator pidOfUnknown) throws IOException {
        // the codec lets viztracer's metadata (a small tree) be copied through as it is
        this.out = out;
        this.gen = new com.fasterxml.jackson.databind.ObjectMapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
        this.gen.setCharacterEscapes(new ScriptSafeEscapes());
        this.gen.setPrettyPrinter(new EventPerLine());
        this.clock = clock;
        this.pidOfUnknown = pidOfUnknown;
        for (GilState state : GilState.values()) {
            gilNames.put(state, new SerializedString(state.label()));
        }
        for (ProcessState state : ProcessState.values()) {
            stateNames.put(state, new SerializedString(state.label()));
        }
    }

    /** Opens the document and the traceEvents array. */
    public void startEvents() throws IOException {
        gen.writeStartObject();
        gen.writeArrayFieldStart("traceEvents");
    }

    /** For events and top-level keys written by others (viztracer's, the summary); positioned as the call order says. */
    public JsonGenerator generator() {
        return gen;
    }

    @Override
    public void interval(GilInterval interval) {
        if (interval.endNs() < interval.startNs()) {
            intervalsSkipped++;
            return;
        }
        int tid = interval.tid();
        int pid = pidOf(interval.pid(), tid);
        SerializableString id = gilIds.computeIfAbsent(tid, t -> new SerializedString("gil-" + t));
        asyncSlice(CAT_GIL, gilNames.get(interval.state()), id, pid, tid, interval.startNs(), interval.endNs(),
                TraceColours.of(interval.state()));
    }

    @Override
    public void interval(StateInterval interval) {
        if (interval.endNs() < interval.startNs()) {
            intervalsSkipped++;
            return;
        }
        int tid = interval.tid();
        int pid = pidOf(interval.pid(), tid);
        SerializableString id = stateIds.computeIfAbsent(tid, t -> new SerializedString("state-" + t));
        asyncSlice(CAT_STATE, stateNames.get(interval.state()), id, pid, tid, interval.startNs(), interval.endNs(),
                TraceColours.of(interval.state()));
    }

    @Override
    public void point(CounterPoint point) {
        int tid = point.tid();
        int pid = pidOf(point.pid(), tid);
        SerializableString name = counterNames.computeIfAbsent(point.counter(), c -> new HashMap<>())
                .computeIfAbsent(tid, t -> new SerializedString(point.counter() + " (tid " + t + ")"));
        try {
            gen.writeStartObject();
            gen.writeFieldName(PH);
            gen.writeString(COUNTER_PH);
            gen.writeFieldName(CAT);
            gen.writeString(CAT_COUNTER);
            gen.writeFieldName(NAME);
            gen.writeString(name);
            ids(pid, tid);
            ts(point.timeNs());
            gen.writeFieldName(ARGS);
            gen.writeStartObject();
            gen.writeFieldName(PER_SECOND);
            gen.writeNumber(Double.isFinite(point.perSecond()) ? point.perSecond() : 0);
            gen.writeEndObject();
            gen.writeEndObject();
            eventsWritten++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thread-scoped instant event, e.g. one tracepoint event as perf recorded it. */
    public void instant(int pid, int tid, String name, long timeNs) {
        int resolvedPid = pidOf(pid, tid);
        try {
            gen.writeStartObject();
            gen.writeFieldName(PH);
            gen.writeString("i");
            gen.writeStringField("s", "t");
            gen.writeFieldName(NAME);
            gen.writeString(name);
            ids(resolvedPid, tid);
            ts(timeNs);
            gen.writeEndObject();
            eventsWritten++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An M process_name event. */
    public void processName(int pid, String name) throws IOException {
        metadata("process_name", pid, pid, name);
    }

    /** An M thread_name event. */
    public void threadName(int pid, int tid, String name) throws IOException {
        metadata("thread_name", pid, tid, name);
    }

    /**
     * Writes the elements of another trace's events array (bytes {@code from} to {@code to} of {@code file}, viztracer's
     * as it saved them) as they are, HTML-safe like everything else written here.
     */
    public void rawEvents(Path file, long from, long to) throws IOException {
        gen.writeRawValue(""); // the separator an event gets, and the array counts a value
        gen.flush();
        ScriptSafeBytes.copy(file, from, to, out);
    }

    /** Threads that got slices or counters so far: tid to the pid written, in order of first appearance. */
    public Map<Integer, Integer> threadsWritten() {
        return Collections.unmodifiableMap(threads);
    }

    public long eventsWritten() {
        return eventsWritten;
    }

    /** Intervals that ended before they started (dropped rather than unbalancing the trace). */
    public long intervalsSkipped() {
        return intervalsSkipped;
    }

    /** Closes the traceEvents array and writes displayTimeUnit; further top-level keys go through {@link #generator()}. */
    public void endEvents() throws IOException {
        gen.writeEndArray();
        gen.writeStringField("displayTimeUnit", "ns");
    }

    /** Closes what is still open (the document) and the output. */
    @Override
    public void close() throws IOException {
        gen.close();
    }

    private int pidOf(int pid, int tid) {
        int resolved = pid >= 0 ? pid : pidOfUnknown.applyAsInt(tid);
        if (tid != lastTid) {
            threads.putIfAbsent(tid, resolved);
            lastTid = tid;
        }
        return resolved;
    }

    /**
     * The constant text of one thread's slices of one kind, built once: a slice is then two raw values with only
     * the timestamps formatted. Every part is ASCII that needs no escaping (names and colours are constants).
     */
    private record SliceText(char[] beginHead, char[] beginTail, char[] endHead) {
        static SliceText of(String cat, String name, String id, int pid, int tid, String colour) {
            String common = "\"cat\":\"" + cat + "\",\"name\":\"" + name + "\",\"id\":\"" + id + "\",\"pid\":" + pid
                    + ",\"tid\":" + tid + ",\"ts\":";
            return new SliceText(("{\"ph\":\"b\"," + common).toCharArray(),
                    (",\"cname\":\"" + colour + "\"}").toCharArray(), ("{\"ph\":\"e\"," + common).toCharArray());
        }
    }

    private record SliceKey(String cat, String name, String id, int pid, int tid) {
    }

    private final Map<SliceKey, SliceText> sliceTexts = new HashMap<>();
    private char[] event = new char[256];

    private void asyncSlice(SerializableString cat, SerializableString name, SerializableString id, int pid, int tid,
                            long startNs, long endNs, SerializableString colour) {
        SliceText text = sliceTexts.computeIfAbsent(new SliceKey(cat.getValue(), name.getValue(), id.getValue(), pid,
                tid), k -> SliceText.of(k.cat(), k.name(), k.id(), k.pid(), k.tid(), colour.getValue()));
        try {
            gen.writeRawValue(event, 0, compose(text.beginHead(), startNs, text.beginTail()));
            gen.writeRawValue(event, 0, compose(text.endHead(), endNs, CLOSE));
            eventsWritten += 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final char[] CLOSE = {'}'};

    private int compose(char[] head, long timeNs, char[] tail) {
        int needed = head.length + Micros.MAX_CHARS + tail.length;
        if (event.length < needed) {
            event = new char[needed * 2];
        }
        System.arraycopy(head, 0, event, 0, head.length);
        int pos = head.length;
        pos += Micros.format(clock.toTraceNs(timeNs), number);
        System.arraycopy(number, 0, event, head.length, pos - head.length);
        System.arraycopy(tail, 0, event, pos, tail.length);
        return pos + tail.length;
    }

    private void sliceFields(SerializableString cat, SerializableString name, SerializableString id, int pid, int tid,
                             long timeNs) throws IOException {
        gen.writeFieldName(CAT);
        gen.writeString(cat);
        gen.writeFieldName(NAME);
        gen.writeString(name);
        gen.writeFieldName(ID);
        gen.writeString(id);
        ids(pid, tid);
        ts(timeNs);
    }

    private void ids(int pid, int tid) throws IOException {
        gen.writeFieldName(PID);
        gen.writeNumber(pid);
        gen.writeFieldName(TID);
        gen.writeNumber(tid);
    }

    private void ts(long perfNs) throws IOException {
        gen.writeFieldName(TS);
        gen.writeNumber(number, 0, Micros.format(clock.toTraceNs(perfNs), number));
    }

    private void metadata(String kind, int pid, int tid, String name) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("ph", "M");
        gen.writeStringField("name", kind);
        gen.writeNumberField("pid", pid);
        gen.writeNumberField("tid", tid);
        gen.writeObjectFieldStart("args");
        gen.writeStringField("name", name);
        gen.writeEndObject();
        gen.writeEndObject();
        eventsWritten++;
    }
}
