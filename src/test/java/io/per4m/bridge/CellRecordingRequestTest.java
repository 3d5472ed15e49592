package io.per4m.bridge;

import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import io.per4m.session.CellRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellRecordingRequestTest {
    private static CellRequest request(String json) {
        return CellRecordingRequest.fromJson(json).toCellRequest();
    }

    @Test
    void readsTheShimsJsonWithDefaults() {
        CellRequest cell = request("{\"pid\": 42, \"python\": \"/usr/bin/python3\", \"outDir\": \"/tmp/cell\","
                + " \"viztracerJson\": \"/tmp/cell/viztracer.json\", \"kernelTids\": [7, 8, 9],"
                + " \"showKernelThreads\": true,"
                + " \"recording\": {\"gil\": false, \"states\": true, \"counters\": [\"page-faults\"]}}");
        assertEquals(new CellRequest(42, new RecordOptions(false, true, List.of("page-faults"), "python"),
                "/usr/bin/python3", Path.of("/tmp/cell"), Path.of("/tmp/cell/viztracer.json"), Set.of(7, 8, 9), true),
                cell);

        CellRequest least = request("{\"pid\": 42, \"outDir\": \"/tmp/cell\"}");
        assertEquals(new RecordOptions(true, false, List.of(), "python"), least.recording());
        assertNull(least.viztracerJson());
        assertEquals(Set.of(), least.kernelTids());
    }

    @Test
    void rejectsTyposNothingToRecordAndOddNames() {
        assertThrows(UserError.class, () -> request("{\"pid\": 42, \"outDir\": \"/tmp/c\", \"recording\": {\"gill\": true}}"));
        assertThrows(UserError.class, () -> request("{\"pid\": 42, \"outdir\": \"/tmp/c\"}"));
        assertThrows(UserError.class, () -> request("{\"outDir\": \"/tmp/c\"}"));
        assertThrows(UserError.class, () -> request(""));
        UserError nothing = assertThrows(UserError.class,
                () -> request("{\"pid\": 42, \"outDir\": \"/tmp/c\", \"recording\": {\"gil\": false}}"));
        assertTrue(nothing.getMessage().startsWith("nothing to record"), nothing.getMessage());
        assertThrows(UserError.class, () -> request("{\"pid\": 42, \"outDir\": \"/tmp/c\","
                + " \"recording\": {\"gil\": true, \"probeGroup\": \"a/../b\"}}"));
        assertThrows(UserError.class, () -> request("{\"pid\": 42, \"outDir\": \"/tmp/c\","
                + " \"recording\": {\"counters\": [\"x y\"]}}"));
    }
}
