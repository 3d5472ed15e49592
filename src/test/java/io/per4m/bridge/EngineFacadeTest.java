package io.per4m.bridge;

import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineFacadeTest {
    @Test
    void readsTheShimsJsonWithDefaults() {
        RecordOptions options = EngineFacade.options("{\"gil\": false, \"states\": true, \"counters\": [\"page-faults\"]}");
        assertEquals(new RecordOptions(false, true, List.of("page-faults"), "python"), options);
        assertEquals(new RecordOptions(true, false, List.of(), "python"), EngineFacade.options(""));
    }

    @Test
    void rejectsTyposNothingToRecordAndOddNames() {
        assertThrows(UserError.class, () -> EngineFacade.options("{\"gill\": true}"));
        UserError nothing = assertThrows(UserError.class, () -> EngineFacade.options("{\"gil\": false}"));
        assertTrue(nothing.getMessage().startsWith("nothing to record"), nothing.getMessage());
        assertThrows(UserError.class, () -> EngineFacade.options("{\"gil\": true, \"probeGroup\": \"a/../b\"}"));
        assertThrows(UserError.class, () -> EngineFacade.options("{\"counters\": [\"x y\"]}"));
    }
}
