package io.per4m.probes;

import io.per4m.cli.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.per4m.probes.Machine.*;
import static org.junit.jupiter.api.Assertions.*;

class DoctorCommandTest {
    private static List<String> lines(CliRun r) {
        return r.out().lines().toList();
    }

    private static String line(CliRun r, String id) {
        return lines(r).stream().filter(l -> l.matches("^[✓✗!] " + id + " .*")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " line in\n" + r.out()));
    }

    @Test
    void goodInterpreterWithProbesIsReady() throws IOException {
        TraceFs fs = assumeProbesPossible();
        assumeFile(PYENV_311);
        String group = randomGroup();
        try {
            new GilProbes(new Perf("perf", new CommandRunner()), fs).add(group, LIBPYTHON_311);
            CliRun r = CliRun.of("doctor", "--python", PYENV_311.toString(), "--group", group);
            assertEquals(0, r.exitCode(), r.out());
            assertTrue(lines(r).stream().filter(l -> !l.startsWith(" ")).limit(8).allMatch(l -> l.startsWith("✓")), r.out());
            assertEquals("ready for GIL tracing", lines(r).get(lines(r).size() - 1));
            assertTrue(line(r, "gil_elf").contains(LIBPYTHON_311.toString()));
            assertTrue(line(r, "probes").contains(group + ":take_gil, " + group + ":take_gil__return"), r.out());

            JsonNode json = new ObjectMapper().readTree(CliRun.of("doctor", "--python", PYENV_311.toString(), "--group", group, "--json").out());
            assertTrue(json.get("ready").asBoolean());
            assertEquals(LIBPYTHON_311.toString(), json.at("/gil_elf/file").asText());
            assertEquals(PYENV_311.toRealPath().toString(), json.at("/python/executable").asText());
            List<String> ids = new ArrayList<>();
            json.get("checks").forEach(c -> ids.add(c.get("id").asText() + "=" + c.get("status").asText()));
            assertEquals(List.of("perf=ok", "privileges=ok", "tracefs=ok", "interpreter=ok", "gil=ok", "gil_elf=ok",
                    "symbols=ok", "probes=ok"), ids);
        } finally {
            deleteGroup(group);
        }
    }

    @Test
    void goodInterpreterWithoutProbesSaysToRunSetup() throws IOException {
        assumeProbesPossible();
        assumeFile(PYENV_39);
        String group = randomGroup();
        CliRun r = CliRun.of("doctor", "--python", PYENV_39.toString(), "--group", group);
        assertEquals(1, r.exitCode());
        assertTrue(line(r, "probes").startsWith("✗ probes       no GIL probes in group '" + group + "'"), r.out());
        int at = lines(r).indexOf(line(r, "probes"));
        assertEquals("fix: per4m setup --python " + PYENV_39.toRealPath() + " --group " + group, lines(r).get(at + 1).strip());
        assertEquals("not ready for GIL tracing: 1 problem", lines(r).get(lines(r).size() - 1));
    }

    /** Group python serves 3.11: for 3.12 doctor advises a group of its own, never replacing python's probes. */
    @Test
    void anotherInterpretersDefaultGroupIsLeftAloneAndAGroupOfItsOwnAdvised() throws IOException {
        assumeProbesPossible();
        assumeFile(LIBPYTHON_312);
        List<String> pythonGroup = pythonGroupProbeLines();
        org.junit.jupiter.api.Assumptions.assumeTrue(pythonGroup.stream().anyMatch(l -> l.contains(LIBPYTHON_311.toString())),
                "group python does not point at 3.11's libpython here");
        Path python312 = LIBPYTHON_312.getParent().getParent().resolve("bin/python3.12");
        CliRun r = CliRun.of("doctor", "--python", python312.toString());
        String probes = line(r, "probes");
        assertTrue(probes.contains("group 'python' point at " + LIBPYTHON_311) && probes.contains("leave them"), r.out());
        String fix = lines(r).get(lines(r).indexOf(probes) + 1).strip();
        assertTrue(fix.startsWith("fix: per4m setup --python " + python312.toRealPath() + " --group python3_12"), fix);
        assertEquals(pythonGroup, pythonGroupProbeLines());
    }

    /** A Python that fails at start: the last line of its traceback (what went wrong), not the first. */
    @Test
    void aBrokenInterpreterShowsTheLastLineOfItsTraceback(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path fake = dir.resolve("python3");
        Files.writeString(fake, "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho '  File \"x\", line 1' >&2\n"
                + "echo 'ModuleNotFoundError: No module named encodings' >&2\nexit 1\n");
        assertTrue(fake.toFile().setExecutable(true));
        CliRun r = CliRun.of("doctor", "--python", fake.toString());
        assertTrue(line(r, "interpreter").contains("ModuleNotFoundError: No module named encodings"), r.out());
    }

    @Test
    void strippedDebianInterpreterIsLocatedWithoutSymbolsAndSaysWhichPackageHelps() throws IOException {
        assumeFile(DEBIAN_311);
        assumeCommand("objdump");
        CliRun r = CliRun.of("doctor", "--python", DEBIAN_311.toString());
        assertTrue(line(r, "gil_elf").contains("/usr/bin/python3.11 (the executable itself: libpython is linked in statically)"), r.out());
        // drop_gil is inlined in Debian's build: a warning, since the hand-over there is not measured
        assertTrue(line(r, "symbols").startsWith("! symbols      no take_gil/drop_gil symbols in /usr/bin/python3.11;"
                + " located from PyEval_* without symbols: take_gil at 0x"), r.out());
        assertTrue(line(r, "symbols").contains("inlined release store"), r.out());
        String fix = lines(r).get(lines(r).indexOf(line(r, "symbols")) + 1);
        assertTrue(fix.contains("python3.11-dbg") && fix.contains("DEBUGINFOD_URLS"), fix);

        JsonNode json = new ObjectMapper().readTree(CliRun.of("doctor", "--python", DEBIAN_311.toString(), "--json").out());
        assertFalse(json.at("/gil_elf/has_symbols").asBoolean());
        assertEquals("located from PyEval_* without symbols", json.at("/gil_elf/probe_method").asText());
        assertEquals("[\"take_gil\",\"drop_gil\"]", json.at("/gil_elf/missing").toString());
        assertNotEquals("fail", checkStatus(json, "symbols"));
    }

    @Test
    void anInterpreterWithSymbolsSaysSo() throws IOException {
        assumeFile(PYENV_311);
        JsonNode json = new ObjectMapper().readTree(CliRun.of("doctor", "--python", PYENV_311.toString(), "--json").out());
        assertEquals("symbols", json.at("/gil_elf/probe_method").asText());
        assertTrue(json.at("/gil_elf/located").isNull());
    }

    private static String checkStatus(JsonNode json, String id) {
        for (JsonNode c : json.get("checks")) {
            if (c.get("id").asText().equals(id)) {
                return c.get("status").asText();
            }
        }
        return "absent";
    }

    /** A stand-in for a 3.13t build: answers like the inspector's script would, with Py_GIL_DISABLED=1. */
    private static Path freeThreaded(Path dir) throws IOException {
        Path fake = dir.resolve("python3.13t");
        Files.writeString(fake, "#!/bin/sh\necho 'per4m-python-info:{\"executable\": \"" + PYENV_313
                + "\", \"proc_exe\": \"" + PYENV_313 + "\", \"version\": \"3.13.0\", \"implementation\": \"cpython\","
                + " \"enable_shared\": \"1\", \"ldlibrary\": \"libpython3.13t.so\", \"instsoname\": null, \"libdir\": null,"
                + " \"gil_disabled\": \"1\", \"maps\": []}'\n");
        assertTrue(fake.toFile().setExecutable(true));
        return fake;
    }

    /** giltracer says it in one line, with the options that work. */
    @Test
    void giltracerOnAFreeThreadedBuildSaysSoInOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assumeFile(PYENV_313);
        Path script = Files.writeString(dir.resolve("x.py"), "print(1)\n");
        CliRun r = CliRun.of("giltracer", "--python", freeThreaded(dir).toString(), "-o", dir.resolve("out").toString(), script.toString());
        assertNotEquals(0, r.exitCode());
        List<String> errLines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, errLines.size(), r.err());
        assertTrue(errLines.get(0).contains("free-threaded build (Py_GIL_DISABLED): there is no GIL to trace")
                && errLines.get(0).contains("--no-gil-detect --state-detect"), r.err());
    }

    @Test
    void freeThreadedBuildIsNotReadyAndOffersProcessStates(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assumeFile(PYENV_313);
        Path fake = freeThreaded(dir);
        CliRun r = CliRun.of("doctor", "--python", fake.toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(line(r, "gil").startsWith("✗ gil          free-threaded build (Py_GIL_DISABLED=1)"), r.out());
        String fix = lines(r).get(lines(r).indexOf(line(r, "gil")) + 1);
        assertTrue(fix.contains("--no-gil-detect --state-detect"), fix);
    }

    @Test
    void aMissingInterpreterIsOneFailedCheck() {
        CliRun r = CliRun.of("doctor", "--python", "/nonexistent/python3");
        assertEquals(1, r.exitCode());
        assertTrue(line(r, "interpreter").startsWith("✗ interpreter  cannot run the Python interpreter '/nonexistent/python3'"), r.out());
    }
}
