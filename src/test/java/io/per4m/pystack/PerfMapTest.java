package io.per4m.pystack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Lines as CPython 3.12.1 wrote them into /tmp/perf-PID.map for a run of a three-function script. */
class PerfMapTest {
    private static final String MAP = """
            7f84c42b6000 b py::_find_and_load:<frozen importlib._bootstrap>
            7f84c42b6bf2 b py::Thread._bootstrap_inner:/root/.pyenv/versions/3.12.1/lib/python3.12/threading.py
            7f84c42b6c08 b py::spin:/tmp/h14s/deep.py
            7f84c42b6c13 b py::middle:/tmp/h14s/deep.py
            7f84c42b6c1e b py::inner:/tmp/h14s/deep.py
            7f84c42b6c29 b py::torn""";

    private final PerfMap map = PerfMap.parse(MAP);

    @Test
    void namesTheFunctionATrampolineReturnsInto() {
        // perf script showed this return address as py::inner for a sample of the spinning thread
        assertEquals("inner (/tmp/h14s/deep.py)", map.returnInto(0x7f84c42b6c23L));
        assertEquals("Thread._bootstrap_inner (/root/.pyenv/versions/3.12.1/lib/python3.12/threading.py)",
                map.returnInto(0x7f84c42b6bf2L + 5));
        assertEquals("_find_and_load (<frozen importlib._bootstrap>)", map.returnInto(0x7f84c42b6001L));
    }

    @Test
    void aPointerToATrampolineOrAnAddressBesideThemIsNoFrame() {
        assertNull(map.returnInto(0x7f84c42b6c1eL)); // a trampoline's first byte: a stored pointer, not a return
        assertNull(map.returnInto(0x7f84c42b6c1eL + 0xb)); // just past inner's trampoline
        assertNull(map.returnInto(0x7f84c42b5fffL));
        assertNull(map.returnInto(42));
    }

    @Test
    void skipsATornLastLine() {
        assertEquals(5, map.size());
    }
}
