package io.per4m.report;

import io.per4m.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceJsonReaderTest {
    /**
     * Two threads, times in µs from 1000.000. Worker (11) waits 0-2 µs, holds 2-10; main (10) holds 0.5-2,
     * waits 3-10.25, holds 10.25-11. Calls arrive innermost first, as viztracer writes them.
     */
    static final String TRACE = """
            {"traceEvents": [
             {"ph":"M","name":"process_name","pid":10,"tid":10,"args":{"name":"python3.11 demo.py"}},
             {"ph":"M","name":"thread_name","pid":10,"tid":10,"args":{"name":"MainThread"}},
             {"ph":"M","name":"thread_name","pid":10,"tid":11,"args":{"name":"worker"}},
             {"ph":"b","cat":"gil","name":"GIL wait","id":"gil-11","pid":10,"tid":11,"ts":1000.0},
             {"ph":"b","cat":"gil","name":"GIL held","id":"gil-10","pid":10,"tid":10,"ts":1000.5,"cname":"x"},
             {"ph":"X","name":"g (a.py:2)","pid":10,"tid":10,"ts":1000.5,"dur":2.0,"args":{"x":{"deep":[1,2]}}},
             {"ph":"e","cat":"gil","name":"GIL wait","id":"gil-11","pid":10,"tid":11,"ts":1002.0},
             {"ph":"e","cat":"gil","name":"GIL held","id":"gil-10","pid":10,"tid":10,"ts":1002.0},
             {"ph":"b","cat":"gil","name":"GIL held","id":"gil-11","pid":10,"tid":11,"ts":1002.0},
             {"ph":"b","cat":"state","name":"running","id":"state-11","pid":10,"tid":11,"ts":1002.0},
             {"ph":"b","cat":"gil","name":"GIL wait","id":"gil-10","pid":10,"tid":10,"ts":1003.0},
             {"ph":"C","cat":"counter","name":"page-faults (tid 10)","pid":10,"tid":10,"ts":1005.0,"args":{"per_second":3}},
             {"ph":"X","name":"g (a.py:2)","pid":10,"tid":10,"ts":1005.0,"dur":1.0},
             {"ph":"e","cat":"gil","name":"GIL held","id":"gil-11","pid":10,"tid":11,"ts":1010.0},
             {"ph":"e","cat":"state","name":"running","id":"state-11","pid":10,"tid":11,"ts":1010.0},
             {"ph":"e","cat":"gil","name":"GIL wait","id":"gil-10","pid":10,"tid":10,"ts":1010.25},
             {"ph":"b","cat":"gil","name":"GIL held","id":"gil-10","pid":10,"tid":10,"ts":1010.25},
             {"ph":"e","cat":"gil","name":"GIL held","id":"gil-10","pid":10,"tid":10,"ts":1011.0},
             {"ph":"C","cat":"counter","name":"page-faults (tid 10)","pid":10,"tid":10,"ts":1011.0,"args":{"per_second":4.5}},
             {"ph":"X","name":"f (a.py:1)","pid":10,"tid":10,"ts":1000.0,"dur":11.0},
             {"ph":"i","name":"marker","pid":10,"tid":10,"ts":1004.0,"s":"t"}
            ],
            "displayTimeUnit": "ns",
            "viztracer_metadata": {"version": "0.16.3", "overflow": false}
            }
            """;

    static ReportData read(String json) throws IOException {
        ReportDataBuilder builder = new ReportDataBuilder();
        new TraceJsonReader(builder).read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        return builder.build();
    }

    @Test
    void buildsColumnsRelativeToTheFirstEvent() throws IOException {
        ReportData data = read(TRACE);
        assertEquals("python3.11 demo.py", data.title());
        assertEquals(1000.0, data.originUs());
        assertEquals(11_000, data.spanNs());
        assertEquals(List.of(10, 11), data.threads().stream().map(ThreadLanes::tid).toList());
        ThreadLanes main = data.threads().get(0);
        assertTrue(main.main());
        assertEquals("MainThread", main.name());
        assertArrayEquals(new long[]{500, 3000, 10_250}, main.gil().start());
        assertArrayEquals(new long[]{1500, 7250, 750}, main.gil().duration());
        assertArrayEquals(new int[]{ReportData.GIL_HELD, ReportData.GIL_WAIT, ReportData.GIL_HELD}, main.gil().kind());

        // calls laid out by nesting: f at depth 0, both g inside it at depth 1
        assertEquals(List.of("g (a.py:2)", "f (a.py:1)"), data.strings());
        assertEquals(2, main.calls().size());
        assertArrayEquals(new long[]{0}, main.calls().get(0).start());
        assertArrayEquals(new long[]{11_000}, main.calls().get(0).duration());
        assertArrayEquals(new int[]{1}, main.calls().get(0).kind());
        assertArrayEquals(new long[]{500, 5000}, main.calls().get(1).start());
        assertArrayEquals(new long[]{2000, 1000}, main.calls().get(1).duration());

        assertEquals(1, main.counters().size());
        assertEquals("page-faults (tid 10)", main.counters().get(0).name());
        assertArrayEquals(new long[]{5000, 11_000}, main.counters().get(0).time());
        assertArrayEquals(new double[]{3, 4.5}, main.counters().get(0).value());

        ThreadLanes worker = data.threads().get(1);
        assertFalse(worker.main());
        assertArrayEquals(new long[]{0, 2000}, worker.gil().start());
        assertArrayEquals(new long[]{2000, 8000}, worker.gil().duration());
        assertArrayEquals(new long[]{2000}, worker.state().start());
        assertArrayEquals(new long[]{8000}, worker.state().duration());
        assertArrayEquals(new int[]{ReportData.STATE_LABELS.indexOf("running")}, worker.state().kind());
        assertEquals(8, main.eventCount());
        assertEquals(3, worker.eventCount());
        assertEquals(11, data.eventCount());
    }

    @Test
    void withoutAnEngineSummaryTheFiguresAreDerivedFromTheLanes() throws IOException {
        ReportData data = read(TRACE);
        assertFalse(data.summaryFromTrace());
        JsonNode s = data.summary();
        JsonNode main = s.get("threads").get(0);
        assertEquals(10, main.get("tid").asInt());
        assertEquals(10.5, main.get("total_us").asDouble(), 1e-9);      // 0.5 .. 11
        assertEquals(2.25, main.get("held_us").asDouble(), 1e-9);       // 1.5 + 0.75
        assertEquals(7.25, main.get("wait_us").asDouble(), 1e-9);
        assertEquals(1.0, main.get("no_gil_us").asDouble(), 1e-9);      // 2 .. 3
        assertEquals(21.429, main.get("held_pct").asDouble(), 1e-9);    // 2.25 / 10.5
        assertEquals(69.048, main.get("wait_pct").asDouble(), 1e-9);
        assertEquals(1, main.get("wait_count").asInt());
        assertEquals(2, main.get("hold_count").asInt());
        JsonNode worker = s.get("threads").get(1);
        assertEquals(10.0, worker.get("total_us").asDouble(), 1e-9);
        assertEquals(80.0, worker.get("held_pct").asDouble(), 1e-9);

        JsonNode process = s.get("process");
        assertEquals(11.0, process.get("span_us").asDouble(), 1e-9);
        assertEquals(10.25, process.get("held_by_any_us").asDouble(), 1e-9);   // 0.5..10 and 10.25..11
        assertEquals(9.25, process.get("someone_waits_us").asDouble(), 1e-9);  // 0..2 and 3..10.25

        // replayed through the engine's GIL model: each waiting moment charged to the one holder, the moments
        // nobody held it to the hand-over, none before a holder was seen (worker's wait 0..0.5)
        JsonNode blame = s.get("blame");
        assertEquals(3, blame.size());
        assertEquals(10, blame.get(0).get("waiter_tid").asInt());        // main waited 3..10.25, worker held to 10
        assertEquals(11, blame.get(0).get("holder_tid").asInt());
        assertEquals(7.0, blame.get(0).get("us").asDouble(), 1e-9);
        assertEquals("worker", blame.get(0).get("holder_name").asText());
        assertEquals(11, blame.get(1).get("waiter_tid").asInt());        // worker waited 0..2, main held 0.5..2
        assertEquals(1.5, blame.get(1).get("us").asDouble(), 1e-9);
        assertEquals(10, blame.get(2).get("waiter_tid").asInt());        // main waited on 10..10.25: nobody held
        assertTrue(blame.get(2).get("holder_tid").isNull());
        assertEquals(0.25, blame.get(2).get("us").asDouble(), 1e-9);
        // hand-offs: main's release at 2 to the worker's take at 2 (0), the worker's at 10 to main's at 10.25
        assertEquals(2, s.get("handoff").get("count").asInt());
        assertEquals(0.25, s.get("handoff").get("max_us").asDouble(), 1e-9);
    }

    @Test
    void anEngineSummaryIsKeptAndOrdersTheThreads() throws IOException {
        String withSummary = TRACE.substring(0, TRACE.lastIndexOf('}'))
                + ",\"per4m\": {\"threads\": [{\"tid\": 11, \"name\": \"worker\", \"main\": true, \"wait_pct\": 12.5},"
                + " {\"tid\": 10, \"main\": false}], \"process\": {\"span_us\": 99}}}";
        ReportData data = read(withSummary);
        assertTrue(data.summaryFromTrace());
        assertEquals(99, data.summary().get("process").get("span_us").asInt());
        assertEquals(List.of(11, 10), data.threads().stream().map(ThreadLanes::tid).toList());
        assertTrue(data.threads().get(0).main());
        assertFalse(data.threads().get(1).main());
    }

    @Test
    void aBareEventArrayIsATraceToo() throws IOException {
        ReportData data = read("[{\"ph\":\"X\",\"name\":\"f\",\"pid\":1,\"tid\":2,\"ts\":5,\"dur\":1.5}]");
        assertEquals(1, data.threads().size());
        assertEquals("thread 2", data.threads().get(0).name());
        assertEquals(1500, data.spanNs());
    }

    @Test
    void notJsonIsAUserError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.per4m.UserError.class,
                () -> read("{\"traceEvents\": [ {\"ph\": \"X\", }"));
        assertTrue(e.getMessage().startsWith("trace is not valid JSON"), e.getMessage());
    }
}
