package io.per4m.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.per4m.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViztracerTraceTest {
    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ViztracerTraceTest.class.getResource("/fixtures/" + name).toURI());
    }

    private record Copied(byte[] json, ViztracerThreads threads, ObjectNode metadata) {
    }

    private static Copied copy(Path viztracerJson) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ViztracerThreads threads = new ViztracerThreads();
        ViztracerTrace.Contents contents;
        try (TraceEventWriter writer = new TraceEventWriter(out, ClockAlignment.NONE, tid -> -1)) {
            writer.startEvents();
            contents = new ViztracerTrace(viztracerJson).read(threads, null);
            contents.copyEventsInto(writer);
            writer.endEvents();
            contents.copyOtherKeysInto(writer.generator());
        }
        return new Copied(out.toByteArray(), threads, contents.metadata());
    }

    @Test
    void realViztracerEventsPassThroughUnchanged() throws Exception {
        Path fixture = fixture("viztracer-two-workers.json");
        Copied copied = copy(fixture);
        JsonNode original = TraceJson.read(fixture);
        JsonNode merged = TraceJson.read(copied.json());
        assertEquals(original.get("traceEvents"), merged.get("traceEvents"));
        assertEquals(original.get("file_info"), merged.get("file_info"));
        assertNull(merged.get("viztracer_metadata"), "written by the caller, merged with ours");
        assertEquals("1.1.1", copied.metadata().get("version").asText());

        // events keep the bytes viztracer wrote (a double round trip would not keep "1.13" next to "0.111")
        String text = new String(copied.json(), StandardCharsets.UTF_8);
        for (String number : List.of("\"ts\": 6233821385.9,", "\"dur\": 1.13,", "\"ts\": 6233820940.835,")) {
            assertTrue(Files.readString(fixture).contains(number), "fixture has " + number);
            assertTrue(text.contains(number), "output has " + number);
        }
    }

    @Test
    void threadAndProcessNamesArePickedUp() throws Exception {
        ViztracerThreads threads = copy(fixture("viztracer-two-workers.json")).threads();
        assertEquals("MainThread", threads.threadName(30799));
        assertEquals("worker 0", threads.threadName(30805));
        assertEquals("worker 1", threads.threadName(30806));
        assertEquals("MainProcess", threads.processName(30799));
        assertEquals(30799, threads.pidOf(30806));
        assertEquals(30799, threads.singlePid());
        assertNull(threads.threadName(1));
        assertEquals(-1, threads.pidOf(1));
    }

    @Test
    void keysInAnyOrderAndOddValuesSurvive(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("vt.json");
        Files.writeString(json, """
                {"viztracer_metadata": {"version": "0.16.3", "overflow": true, "sync_marker": 12.5},
                 "custom": {"a": [1, 2.50, 1e3, -0.0, null, true, false, "<b>"]},
                 "displayTimeUnit": "ms",
                 "traceEvents": [
                   {"ph": "M", "pid": 7, "tid": 8, "name": "thread_name", "args": {"name": "pool \\u00e9 <1>"}},
                   {"ph": "i", "pid": 7, "tid": 8, "ts": 1.000100, "name": "mark", "args": {"x": {"name": "not a name"}}},
                   {"ph": "C", "pid": 7, "tid": 7, "ts": 2, "name": "counter", "args": {"name": 3}},
                   42
                 ],
                 "per4m": {"old": true}}
                """);
        Copied copied = copy(json);
        String text = new String(copied.json(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"ts\": 1.000100"), text);
        assertTrue(text.contains("pool \\u00e9 \\u003c1\\u003e"), "copied as it is, < and > escaped: " + text);
        JsonNode merged = TraceJson.read(copied.json());
        List<JsonNode> events = TraceJson.events(merged);
        assertEquals(4, events.size());
        assertEquals(42, events.get(3).intValue());
        assertEquals("pool \u00e9 <1>", events.get(0).get("args").get("name").asText());
        assertEquals("pool \u00e9 <1>", copied.threads().threadName(8));
        assertNull(copied.threads().threadName(7), "a C event's args.name is no thread name");
        assertEquals(7, copied.threads().pidOf(8));
        assertEquals("ns", merged.get("displayTimeUnit").asText(), "ours, not viztracer's");
        assertNull(merged.get("per4m"), "an old per4m summary is not carried over");
        assertEquals(TraceJson.MAPPER.readTree("{\"a\": [1, 2.50, 1e3, -0.0, null, true, false, \"<b>\"]}"),
                merged.get("custom"));
        assertTrue(copied.metadata().get("overflow").asBoolean());
    }

    @Test
    void notAViztracerTraceIsAUserError(@TempDir Path dir) throws Exception {
        Path noEvents = dir.resolve("a.json");
        Files.writeString(noEvents, "{\"foo\": 1}");
        assertTrue(assertThrows(UserError.class, () -> copy(noEvents)).getMessage().contains("no traceEvents"));
        Path broken = dir.resolve("b.json");
        Files.writeString(broken, "{\"traceEvents\": [{\"ph\": ");
        assertTrue(assertThrows(UserError.class, () -> copy(broken)).getMessage().contains("not valid JSON"));
        Path array = dir.resolve("c.json");
        Files.writeString(array, "[]");
        assertThrows(UserError.class, () -> copy(array));
        assertTrue(assertThrows(UserError.class, () -> copy(dir.resolve("missing.json"))).getMessage()
                .contains("does not exist"));
    }
}
