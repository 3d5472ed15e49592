package io.per4m.flame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TraceWaitStacksTest {
    /** A giltracer-like trace: viztracer's calls on thread 7 and 8, per4m's GIL and state slices (times in µs). */
    private static final String TRACE = """
            {"traceEvents":[
            {"ph":"M","name":"thread_name","pid":1,"tid":7,"args":{"name":"MainThread"}},
            {"ph":"X","name":"main","pid":1,"tid":7,"ts":0,"dur":1000},
            {"ph":"X","name":"work","pid":1,"tid":7,"ts":100,"dur":300},
            {"ph":"b","cat":"gil","name":"GIL wait","id":"gil-7","pid":1,"tid":7,"ts":200.5},
            {"ph":"e","cat":"gil","name":"GIL wait","id":"gil-7","pid":1,"tid":7,"ts":250.5},
            {"ph":"b","cat":"gil","name":"GIL held","id":"gil-7","pid":1,"tid":7,"ts":250.5},
            {"ph":"e","cat":"gil","name":"GIL held","id":"gil-7","pid":1,"tid":7,"ts":490},
            {"ph":"b","cat":"gil","name":"GIL wait","id":"gil-7","pid":1,"tid":7,"ts":500},
            {"ph":"e","cat":"gil","name":"GIL wait","id":"gil-7","pid":1,"tid":7,"ts":510},
            {"ph":"b","cat":"gil","name":"GIL wait","id":"gil-8","pid":1,"tid":8,"ts":0},
            {"ph":"e","cat":"gil","name":"GIL wait","id":"gil-8","pid":1,"tid":8,"ts":30},
            {"ph":"b","cat":"state","name":"S(GIL)","id":"state-7","pid":1,"tid":7,"ts":600},
            {"ph":"e","cat":"state","name":"S(GIL)","id":"state-7","pid":1,"tid":7,"ts":700}
            ],"displayTimeUnit":"ns"}
            """;

    @Test
    void waitSlicesWeighOnThePythonStackOfTheirThread(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("giltracer.json"), TRACE);
        TraceWaitStacks stacks = TraceWaitStacks.read(trace, "gil", "GIL wait", "take_gil");
        assertEquals(3, stacks.slices());
        assertEquals(90_000, stacks.totalNs());
        assertEquals(Map.of(
                "MainThread (tid 7);main;work;take_gil", 50L,
                "MainThread (tid 7);main;take_gil", 10L,
                "? (tid 8);[python];take_gil", 30L), stacks.folded(1_000).asMap());
    }

    @Test
    void stateSlicesTheSameWay(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("giltracer.json"), TRACE);
        TraceWaitStacks stacks = TraceWaitStacks.read(trace, "state", "S(GIL)", "S(GIL)");
        assertEquals(Map.of("MainThread (tid 7);main;S(GIL)", 100L), stacks.folded(1_000).asMap());
    }
}
