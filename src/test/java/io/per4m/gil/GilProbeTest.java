package io.per4m.gil;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class GilProbeTest {
    private static GilEventKind kind(String name, String payload) {
        return GilProbe.parse(name).kind(payload);
    }

    @Test
    void plainAndNumberedNames() {
        assertEquals(GilEventKind.TAKE, kind("python:take_gil", "(7f)"));
        assertEquals(GilEventKind.TAKE_RETURN, kind("python:take_gil__return", "(7f <- 7e)"));
        assertEquals(GilEventKind.DROP, kind("python:drop_gil", "(7f)"));
        assertEquals(GilEventKind.DROP_RETURN, kind("python:drop_gil__return", "(7f <- 7e)"));
        assertEquals(GilEventKind.TAKE, kind("g:take_gil_1", "(7f)"));
        assertEquals(GilEventKind.TAKE_RETURN, kind("g:take_gil_1__return", "(7f <- 7e)"));
        assertEquals(GilEventKind.TAKE_RETURN, kind("g:take_gil__return_1", "(7f <- 7e)"));
        assertEquals(GilEventKind.DROP_RETURN, kind("g:drop_gil_12__return_3", "(7f <- 7e)"));
        assertEquals("per4m_gil_fx", GilProbe.parse("per4m_gil_fx:take_gil").group());
    }

    @Test
    void returnOnlyVisibleInPayload() {
        // measured: perf probe -f -x libpython G:take_gil=take_gil%return named the probe G:take_gil_2
        assertEquals(GilEventKind.TAKE_RETURN, kind("g:take_gil_2", "(7fd884a4f7b0 <- 7fd884a4fbb3)"));
        assertEquals(GilEventKind.TAKE, kind("g:take_gil_2", "(7fd884a4f7b0)"));
        assertEquals(GilEventKind.DROP_RETURN, kind("g:drop_gil_2", "(7fd884a4f3e0 <- 7fd884a4fd2a)"));
        assertEquals(GilEventKind.DROP, kind("g:drop_gil_1", ""));
        assertEquals(GilEventKind.DROP, kind("g:drop_gil_1", null));
    }

    @Test
    void otherNamesAreNotGilProbes() {
        for (String name : new String[]{"take_gil", ":take_gil", "g:take_gilx", "g:take_gil_", "g:take_gil_x",
                "g:_1", "g:__return", "g:my_take_gil", "g:take_gil__ret", "sched:sched_switch", "cycles:u",
                "g:take_gil:u"}) {
            assertNull(GilProbe.parse(name), name);
        }
    }
}
