package io.per4m.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.per4m.counter.CounterPoint;
import io.per4m.gil.GilInterval;
import io.per4m.gil.GilState;
import io.per4m.sched.ProcessState;
import io.per4m.sched.StateInterval;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceEventWriterTest {
    private static final int PID = 4242;

    private static byte[] write(ClockAlignment clock, Consumer<TraceEventWriter> body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TraceEventWriter writer = new TraceEventWriter(out, clock, tid -> PID)) {
            writer.startEvents();
            body.accept(writer);
            writer.endEvents();
        }
        return out.toByteArray();
    }

    @Test
    void gilIntervalsBecomeBalancedAsyncPairsWithExactTimestamps() throws IOException {
        byte[] json = write(ClockAlignment.NONE, w -> {
            w.interval(new GilInterval(PID, 4243, GilState.WAIT, 3_846_350_744_446_123L, 3_846_350_749_502_001L));
            w.interval(new GilInterval(PID, 4244, GilState.HELD, 3_846_350_744_000_000L, 3_846_350_749_500_999L));
            w.interval(new GilInterval(PID, 4243, GilState.HELD, 3_846_350_749_502_001L, 3_846_350_754_557_000L));
        });
        JsonNode trace = TraceJson.read(json);
        TraceJson.assertBalancedAsyncPairs(trace);
        List<JsonNode> begins = TraceJson.events(trace, "b");
        assertEquals(3, begins.size());

        JsonNode wait = begins.get(0);
        assertEquals("gil", wait.get("cat").asText());
        assertEquals("GIL wait", wait.get("name").asText());
        assertEquals("gil-4243", wait.get("id").asText());
        assertEquals(PID, wait.get("pid").intValue());
        assertEquals(4243, wait.get("tid").intValue());
        TraceJson.assertDecimal("3846350744446.123", wait.get("ts"));
        assertTrue(wait.get("cname").isTextual());

        JsonNode waitEnd = TraceJson.events(trace, "e").get(0);
        TraceJson.assertDecimal("3846350749502.001", waitEnd.get("ts"));
        assertEquals("GIL held", begins.get(1).get("name").asText());
        assertFalse(begins.get(0).get("cname").asText().equals(begins.get(1).get("cname").asText()),
                "wait and held differ in colour");
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"ts\":3846350744446.123"), "ts written as a plain number: " + text);
    }

    @Test
    void clockOffsetMovesEveryTimestamp() throws IOException {
        byte[] json = write(new ClockAlignment(-1_000_000_500L), w ->
                w.interval(new GilInterval(PID, PID, GilState.HELD, 2_000_000_000L, 2_000_001_000L)));
        List<JsonNode> events = TraceJson.events(TraceJson.read(json));
        TraceJson.assertDecimal("999999.500", events.get(0).get("ts"));
        TraceJson.assertDecimal("1000000.500", events.get(1).get("ts"));
    }

    @Test
    void statesAndCounters() throws IOException {
        byte[] json = write(ClockAlignment.NONE, w -> {
            w.interval(new StateInterval(PID, 4243, ProcessState.GIL_SLEEP, 10_000, 25_500));
            w.interval(new StateInterval(PID, 4243, ProcessState.RUNNING, 25_500, 30_000));
            w.point(new CounterPoint(PID, 4243, "page-faults", 30_000, 123.5));
        });
        JsonNode trace = TraceJson.read(json);
        TraceJson.assertBalancedAsyncPairs(trace);
        List<JsonNode> begins = TraceJson.events(trace, "b");
        assertEquals("state", begins.get(0).get("cat").asText());
        assertEquals("S(GIL)", begins.get(0).get("name").asText());
        assertEquals("state-4243", begins.get(0).get("id").asText());
        assertEquals("running", begins.get(1).get("name").asText());
        JsonNode counter = TraceJson.events(trace, "C").get(0);
        assertEquals("counter", counter.get("cat").asText());
        assertEquals("page-faults (tid 4243)", counter.get("name").asText());
        TraceJson.assertDecimal("30.000", counter.get("ts"));
        assertEquals(123.5, counter.get("args").get("per_second").doubleValue());
        assertTrue(counter.get("pid").isInt() && counter.get("tid").isInt());
    }

    @Test
    void unknownPidIsResolvedAndThreadsAreRememberedInOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceEventWriter writer = new TraceEventWriter(out, ClockAlignment.NONE, tid -> tid == 7 ? 5 : 99);
        writer.startEvents();
        writer.interval(new GilInterval(-1, 7, GilState.HELD, 0, 10));
        writer.interval(new GilInterval(5, 5, GilState.HELD, 10, 20));
        writer.interval(new GilInterval(-1, 7, GilState.WAIT, 20, 30));
        assertEquals(List.of(Map.entry(7, 5), Map.entry(5, 5)), List.copyOf(writer.threadsWritten().entrySet()));
        writer.endEvents();
        writer.close();
        TraceJson.events(TraceJson.read(out.toByteArray())).forEach(e -> assertEquals(5, e.get("pid").intValue()));
    }

    @Test
    void backwardsIntervalIsDroppedNotWrittenUnbalanced() throws IOException {
        byte[] json = write(ClockAlignment.NONE, w -> {
            w.interval(new GilInterval(PID, 1, GilState.HELD, 20, 10));
            w.interval(new GilInterval(PID, 1, GilState.WAIT, 20, 20));
        });
        JsonNode trace = TraceJson.read(json);
        TraceJson.assertBalancedAsyncPairs(trace);
        assertEquals(1, TraceJson.events(trace, "b").size());
    }

    @Test
    void hostileThreadNamesAreEscapedForJsonAndHtml() throws IOException {
        String hostile = "</script><img src=x onerror=alert(1)>\"\\\n\u2028&";
        byte[] json = write(ClockAlignment.NONE, w -> {
            try {
                w.processName(PID, "python3.11");
                w.threadName(PID, 4243, hostile);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        String text = new String(json, StandardCharsets.UTF_8);
        assertFalse(text.contains("<"), text);
        assertFalse(text.contains(">"), text);
        assertFalse(text.contains("\u2028"), text);
        List<JsonNode> metadata = TraceJson.events(TraceJson.read(json), "M");
        assertEquals("process_name", metadata.get(0).get("name").asText());
        assertEquals("python3.11", metadata.get(0).get("args").get("name").asText());
        assertEquals(PID, metadata.get(0).get("tid").intValue());
        assertEquals("thread_name", metadata.get(1).get("name").asText());
        assertEquals(hostile, metadata.get(1).get("args").get("name").asText());
        assertEquals(4243, metadata.get(1).get("tid").intValue());
    }

    @Test
    void documentHasTheTopLevelKeysAfterTheEvents() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TraceEventWriter writer = new TraceEventWriter(out, ClockAlignment.NONE, tid -> PID)) {
            writer.startEvents();
            writer.interval(new GilInterval(PID, PID, GilState.HELD, 0, 1));
            writer.endEvents();
            writer.generator().writeStringField("extra", "x");
        }
        JsonNode trace = TraceJson.read(out.toByteArray());
        assertEquals("ns", trace.get("displayTimeUnit").asText());
        assertEquals("x", trace.get("extra").asText());
        assertEquals(2, TraceJson.events(trace).size());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("{\"traceEvents\":[", "{\"ph\":\"b\",", "{\"ph\":\"e\",", "],", "\"displayTimeUnit\":\"ns\",",
                "\"extra\":\"x\"}"), text.lines().map(l -> l.startsWith("{\"ph\"") ? l.substring(0, 10) : l).toList(),
                "one event per line: " + text);
    }
}
