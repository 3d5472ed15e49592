package io.per4m.flame;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlameGraphSvgTest {
    @Test
    void foldsAndSumsStacks() throws Exception {
        FoldedStacks stacks = new FoldedStacks();
        stacks.add(List.of("worker", "run (a.py:1)", "take_gil"), 30);
        stacks.add(List.of("worker", "run (a.py:1)", "take_gil"), 12);
        stacks.add(List.of("main", "x;y"), 5);
        StringWriter folded = new StringWriter();
        stacks.writeFolded(folded);
        assertEquals("worker;run (a.py:1);take_gil 42\nmain;x:y 5\n", folded.toString());
        assertEquals(47, stacks.total());
    }

    @Test
    void escapesFrameNames() throws Exception {
        FoldedStacks stacks = new FoldedStacks();
        stacks.add(List.of("<img src=x onerror=alert(1)>", "f&g"), 10);
        StringWriter svg = new StringWriter();
        new FlameGraphSvg("Off-GIL <time>", "us").write(stacks, svg);
        String text = svg.toString();
        assertFalse(text.contains("<img"));
        assertTrue(text.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(text.contains("f&amp;g"));
        assertTrue(text.contains("Off-GIL &lt;time&gt;"));
    }
}
