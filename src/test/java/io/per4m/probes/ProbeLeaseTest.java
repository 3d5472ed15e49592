package io.per4m.probes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.per4m.probes.Machine.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Probes follow the interpreter that runs: a process of pyenv 3.12 is recorded with probes on 3.12's libpython,
 * never with group python (which points at 3.11's); a lasting group of its own is found by itself.
 */
class ProbeLeaseTest {
    private static final Path PYENV_312 = Path.of("/root/.pyenv/versions/3.12.1/bin/python3.12");

    private TraceFs fs;
    private String group;
    private Process sleeper;
    private List<String> pythonGroupBefore;

    @BeforeEach
    void setUp() throws IOException {
        fs = assumeProbesPossible();
        assumeFile(PYENV_312);
        group = "lasting" + randomGroup(); // a user's group: not per4m_*, which are other runs' private ones
        pythonGroupBefore = pythonGroupProbeLines();
        sleeper = new ProcessBuilder(PYENV_312.toString(), "-c", "import time; time.sleep(60)").start();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
        if (group != null) {
            deleteGroup(group);
            assertEquals(pythonGroupBefore, pythonGroupProbeLines(), "the python group's probes must not change");
        }
    }

    /** The group's take_gil file, read back through `perf probe -l` (independent of the lease's own parsing). */
    private static boolean onLibpython312(String group) {
        return perfProbeList(group).stream().anyMatch(l -> l.startsWith(group + ":take_gil ") && l.endsWith(LIBPYTHON_312 + ")"));
    }

    @Test
    void aRunningInterpreterGetsProbesOnTheFileItLoaded() throws IOException {
        String privateGroup;
        try (ProbeLease lease = ProbeLease.forProcess(sleeper.pid(), PYENV_312.toString(), "python")) {
            privateGroup = lease.group();
            assertNotEquals("python", privateGroup, "group python points at 3.11's libpython");
            assertTrue(lease.temporary());
            assertTrue(onLibpython312(privateGroup), perfProbeList(privateGroup).toString());
        }
        assertEquals(List.of(), perfProbeList(privateGroup), "private probes are removed on close");
    }

    @Test
    void aLastingGroupOfItsOwnIsFoundBesideTheDefaultOne() throws IOException {
        new GilProbes(new Perf("perf", new CommandRunner()), fs).add(group, LIBPYTHON_312);
        try (ProbeLease lease = ProbeLease.forProcess(sleeper.pid(), PYENV_312.toString(), "python")) {
            assertEquals(group, lease.group());
            assertFalse(lease.temporary());
        }
        assertTrue(onLibpython312(group), "a lasting group stays");
        assertTrue(Files.exists(fs.root().resolve("events").resolve(group).resolve("take_gil")));
    }
}
