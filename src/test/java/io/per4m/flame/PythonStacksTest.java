package io.per4m.flame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PythonStacksTest {
    @Test
    void findsEnclosingSlicesOutermostFirst(@TempDir Path dir) throws Exception {
        // thread 7: main [0,100) > work [10,60) > inner [20,30); then work2 [70,90); thread 8: other [0,50)
        Path trace = dir.resolve("viz.json");
        Files.writeString(trace, """
                {"traceEvents": [
                 {"ph":"X","name":"inner (a.py:3)","pid":1,"tid":7,"ts":20,"dur":10},
                 {"ph":"X","name":"work (a.py:2)","pid":1,"tid":7,"ts":10,"dur":50},
                 {"ph":"M","name":"thread_name","pid":1,"tid":7,"args":{"name":"MainThread"}},
                 {"ph":"X","name":"work2 (a.py:9)","pid":1,"tid":7,"ts":70,"dur":20},
                 {"ph":"X","name":"main (a.py:1)","pid":1,"tid":7,"ts":0,"dur":100,"args":{"x":[1,2]}},
                 {"ph":"X","name":"other (b.py:1)","pid":1,"tid":8,"ts":0,"dur":50}
                ], "viztracer_metadata": {"version": "1.1.1"}}
                """);
        PythonStacks stacks = PythonStacks.read(trace);
        assertEquals(List.of("main (a.py:1)", "work (a.py:2)", "inner (a.py:3)"), stacks.stackAt(7, 25_000));
        assertEquals(List.of("main (a.py:1)", "work (a.py:2)"), stacks.stackAt(7, 45_000));
        assertEquals(List.of("main (a.py:1)"), stacks.stackAt(7, 65_000));
        assertEquals(List.of("main (a.py:1)", "work2 (a.py:9)"), stacks.stackAt(7, 80_000));
        assertEquals(List.of(), stacks.stackAt(7, 100_000));
        assertEquals(List.of("other (b.py:1)"), stacks.stackAt(8, 10_000));
        assertEquals(List.of(), stacks.stackAt(9, 10_000));
    }
}
