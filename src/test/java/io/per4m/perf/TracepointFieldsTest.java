package io.per4m.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TracepointFieldsTest {
    private static final String SWITCH = "prev_comm=worker one prev_pid=6205 prev_prio=120 prev_state=R+ ==> "
            + "next_comm=swapper/1 next_pid=0 next_prio=120";
    private static final String FORK = "comm=python3.11 pid=6202 child_comm=python3.11 child_pid=6204";

    @Test
    void valuesEndAtTheNextFieldOrTheArrow() {
        assertEquals("worker one", TracepointFields.get(SWITCH, "prev_comm"));
        assertEquals("R+", TracepointFields.get(SWITCH, "prev_state"));
        assertEquals("swapper/1", TracepointFields.get(SWITCH, "next_comm"));
        assertEquals("120", TracepointFields.get(SWITCH, "next_prio"));
    }

    @Test
    void keysMatchWholeNamesOnly() {
        assertEquals(6202, TracepointFields.getLong(FORK, "pid", -1));
        assertEquals(6204, TracepointFields.getLong(FORK, "child_pid", -1));
        assertEquals("python3.11", TracepointFields.get(FORK, "comm"));
        assertNull(TracepointFields.get(FORK, "id"));
        assertNull(TracepointFields.get(SWITCH, "state"));
    }

    @Test
    void missingOrNonNumericGivesTheDefault() {
        assertEquals(-7, TracepointFields.getLong(SWITCH, "prev_comm", -7));
        assertEquals(-7, TracepointFields.getLong(SWITCH, "nope", -7));
        assertEquals(-1, TracepointFields.getLong("a=-1 b=2", "a", 99));
        assertEquals("", TracepointFields.get("a= b=2", "a"));
    }
}
