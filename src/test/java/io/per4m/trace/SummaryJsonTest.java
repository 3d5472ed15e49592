package io.per4m.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryJsonTest {
    private static final InputFigures INPUT = new InputFigures(5000, 2, 4321, 7);

    @Test
    void allFieldsWithHandComputedValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(file, Summaries.threeThreads(), INPUT);
        JsonNode json = TraceJson.read(file);

        JsonNode threads = json.get("threads");
        assertEquals(List.of(100, 101, 102), List.of(threads.get(0).get("tid").intValue(),
                threads.get(1).get("tid").intValue(), threads.get(2).get("tid").intValue()), "main first");
        JsonNode main = threads.get(0);
        assertEquals(100, main.get("pid").intValue());
        assertEquals("MainThread", main.get("name").asText());
        assertTrue(main.get("main").booleanValue());
        TraceJson.assertDecimal("1000000", main.get("total_us"));
        TraceJson.assertDecimal("250000", main.get("held_us"));
        TraceJson.assertDecimal("50000", main.get("wait_us"));
        TraceJson.assertDecimal("20000", main.get("handover_us"));
        TraceJson.assertDecimal("680000", main.get("no_gil_us"));
        TraceJson.assertDecimal("25", main.get("held_pct"));
        TraceJson.assertDecimal("5", main.get("wait_pct"));
        TraceJson.assertDecimal("2", main.get("handover_pct"));
        TraceJson.assertDecimal("68", main.get("no_gil_pct"));
        assertEquals(10, main.get("wait_count").intValue());
        assertEquals(20, main.get("hold_count").intValue());
        assertEquals(19, main.get("handover_count").intValue());
        assertFalse(threads.get(1).get("main").booleanValue());
        TraceJson.assertDecimal("10.3", threads.get(2).get("wait_pct"));
        TraceJson.assertDecimal("62.7", threads.get(2).get("no_gil_pct"));
        TraceJson.assertDecimal("2", threads.get(2).get("handover_pct"));
        TraceJson.assertDecimal("41200", threads.get(2).get("wait_us"));

        JsonNode process = json.get("process");
        TraceJson.assertDecimal("1000000", process.get("span_us"));
        TraceJson.assertDecimal("650000", process.get("held_by_any_us"));
        TraceJson.assertDecimal("91200", process.get("someone_waits_us"));
        TraceJson.assertDecimal("65", process.get("held_pct"));
        TraceJson.assertDecimal("9.12", process.get("wait_pct"));
        assertEquals(1234, process.get("gil_events").intValue());

        JsonNode blame = json.get("blame");
        assertEquals(7, blame.size(), "all pairs; the table shows the top 5");
        assertEquals(102, blame.get(0).get("waiter_tid").intValue());
        assertEquals("worker 2", blame.get(0).get("waiter_name").asText());
        assertEquals(101, blame.get(0).get("holder_tid").intValue());
        assertEquals("worker 1", blame.get(0).get("holder_name").asText());
        TraceJson.assertDecimal("41200", blame.get(0).get("us"));
        TraceJson.assertDecimal("0.003", blame.get(6).get("us"));
        // waiting while nobody held the GIL: charged to the hand-over, not to a thread
        assertEquals(100, blame.get(3).get("waiter_tid").intValue());
        assertTrue(blame.get(3).get("holder_tid").isNull());
        assertEquals("hand-over", blame.get(3).get("holder_name").asText());
        TraceJson.assertDecimal("10000", blame.get(3).get("us"));

        JsonNode handoff = json.get("handoff");
        assertEquals(50, handoff.get("count").intValue());
        TraceJson.assertDecimal("5.2", handoff.get("p50_us"));
        TraceJson.assertDecimal("10.1", handoff.get("p90_us"));
        TraceJson.assertDecimal("50.3", handoff.get("p99_us"));
        TraceJson.assertDecimal("120", handoff.get("max_us"));

        assertEquals(3, json.get("anomalies").get("take_without_return").intValue());
        JsonNode input = json.get("input");
        assertEquals(5000, input.get("lines").intValue());
        assertEquals(2, input.get("bad_lines").intValue());
        assertEquals(4321, input.get("events").intValue());
        assertEquals(7, input.get("lost_events").intValue());
    }

    @Test
    void sameObjectAsValueInsideAnotherDocument(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(file, Summaries.threeThreads(), INPUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            gen.writeStartObject();
            gen.writeFieldName("per4m");
            SummaryJson.write(gen, Summaries.threeThreads(), INPUT);
            gen.writeEndObject();
        }
        assertEquals(TraceJson.read(file), TraceJson.read(out.toByteArray()).get("per4m"));
    }
}
