package io.per4m.session;

import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeCheckTest {
    @Test
    void probeCheckNamesTheMissingProbeAndTheFix(@TempDir Path tracefs) throws Exception {
        Path group = tracefs.resolve("events/mygroup");
        Files.createDirectories(group.resolve("take_gil"));
        Files.createDirectories(group.resolve("take_gil__return"));
        Path bin = Files.createDirectories(tracefs.resolve("bin"));
        Path perf = Files.createFile(bin.resolve("perf"));
        assertTrue(perf.toFile().setExecutable(true));
        ProbeCheck check = new ProbeCheck(List.of(tracefs), () -> Optional.of(perf));
        RecordOptions options = new RecordOptions(true, false, List.of(), "mygroup");

        UserError missing = assertThrows(UserError.class, () -> check.check(options, "/opt/py/bin/python3"));
        assertEquals("GIL probe mygroup:drop_gil is missing: run `sudo per4m setup --python /opt/py/bin/python3"
                + " --group mygroup`", missing.getMessage());

        Files.createDirectories(group.resolve("drop_gil"));
        check.check(options, "/opt/py/bin/python3");
        check.check(new RecordOptions(false, true, List.of(), "absent"), null);
        UserError noPerf = assertThrows(UserError.class,
                () -> new ProbeCheck(List.of(tracefs), Optional::empty).check(options, null));
        assertEquals("perf is not installed: run `sudo per4m setup --group mygroup`", noPerf.getMessage());
    }
}
