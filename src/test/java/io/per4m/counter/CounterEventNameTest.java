package io.per4m.counter;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterEventNameTest {
    @Test
    void countersAreTheEventsThatAreNoTracepointOrProbe() {
        for (String counter : List.of("page-faults", "context-switches", "cpu-clock", "task-clock", "instructions",
                "L1-dcache-load-misses", "cycles:u", "cycles:k", "instructions:ppp", "cpu/cycles/", "cpu/event=0x3c/u")) {
            assertTrue(CounterEventName.isCounter(counter), counter);
        }
        for (String notCounter : List.of("sched:sched_switch", "python:take_gil", "python:take_gil__return",
                "probe_libpython3:drop_gil", "raw_syscalls:sys_enter",
                "cpu-clock/freq=99,call-graph=dwarf,stack-size=16384/")) {
            assertFalse(CounterEventName.isCounter(notCounter), notCounter);
        }
        assertEquals("cycles", CounterEventName.withoutModifier("cycles:u"));
        assertEquals("instructions", CounterEventName.withoutModifier("instructions:ppp"));
        assertEquals("page-faults", CounterEventName.withoutModifier("page-faults"));
    }

}
