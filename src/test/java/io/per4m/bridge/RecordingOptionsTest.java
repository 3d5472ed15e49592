package io.per4m.bridge;

import io.per4m.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingOptionsTest {
    @Test
    void readsTheShimsJsonWithDefaults() {
        RecordingOptions options = RecordingOptions.fromJson("{\"gil\": false, \"states\": true, \"counters\": [\"page-faults\"]}");
        assertEquals(new RecordingOptions(false, true, List.of("page-faults"), "python"), options);
        assertEquals(new RecordingOptions(true, false, List.of(), "python"), RecordingOptions.fromJson(""));
    }

    @Test
    void rejectsTyposNothingToRecordAndOddNames() {
        assertThrows(UserError.class, () -> RecordingOptions.fromJson("{\"gill\": true}"));
        UserError nothing = assertThrows(UserError.class, () -> RecordingOptions.fromJson("{\"gil\": false}"));
        assertTrue(nothing.getMessage().startsWith("nothing to record"), nothing.getMessage());
        assertThrows(UserError.class, () -> RecordingOptions.fromJson("{\"gil\": true, \"probeGroup\": \"a/../b\"}"));
        assertThrows(UserError.class, () -> RecordingOptions.fromJson("{\"counters\": [\"x y\"]}"));
    }

    @Test
    void probeCheckNamesTheMissingProbeAndTheFix(@TempDir Path tracefs) throws Exception {
        Path group = tracefs.resolve("events/mygroup");
        Files.createDirectories(group.resolve("take_gil"));
        Files.createDirectories(group.resolve("take_gil__return"));
        Path bin = Files.createDirectories(tracefs.resolve("bin"));
        Path perf = Files.createFile(bin.resolve("perf"));
        assertTrue(perf.toFile().setExecutable(true));
        ProbeCheck check = new ProbeCheck(List.of(tracefs), bin.toString());
        RecordingOptions options = new RecordingOptions(true, false, List.of(), "mygroup");

        UserError missing = assertThrows(UserError.class, () -> check.check(options, "/opt/py/bin/python3"));
        assertEquals("GIL probe mygroup:drop_gil is missing: run `sudo per4m setup --python /opt/py/bin/python3"
                + " --group mygroup`", missing.getMessage());

        Files.createDirectories(group.resolve("drop_gil"));
        check.check(options, "/opt/py/bin/python3");
        check.check(new RecordingOptions(false, true, List.of(), "absent"), null);
    }
}
