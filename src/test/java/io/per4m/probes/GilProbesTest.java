package io.per4m.probes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.per4m.probes.Machine.*;
import static org.junit.jupiter.api.Assertions.*;

/** Adds real uprobes under a random group; verified with `perf probe -l`; always cleaned up. */
class GilProbesTest {
    private static final Set<String> FOUR = Set.of("take_gil", "take_gil__return", "drop_gil", "drop_gil__return");

    private String group;
    private GilProbes probes;
    private List<String> pythonGroupBefore;

    @BeforeEach
    void setUp() throws IOException {
        TraceFs fs = assumeProbesPossible();
        group = randomGroup();
        probes = new GilProbes(new Perf("perf", new CommandRunner()), fs);
        pythonGroupBefore = pythonGroupProbeLines();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (group != null) {
            deleteGroup(group);
            assertEquals(List.of(), perfProbeList(group));
            assertEquals(pythonGroupBefore, pythonGroupProbeLines(), "the python group's probes must not change");
        }
    }

    /** Event name and file of each `perf probe -l` line: "G:take_gil (on take_gil@Python/ceval_gil.h in FILE)". */
    private Set<String> eventsOn(Path file) {
        return perfProbeList(group).stream()
                .filter(l -> l.endsWith(" in " + file + ")"))
                .map(l -> l.substring(group.length() + 1, l.indexOf(' ')))
                .collect(Collectors.toSet());
    }

    @Test
    void addsExactlyTheFourProbesThenRemovesThem() throws IOException {
        assumeFile(LIBPYTHON_311);
        GilProbes.Change change = probes.add(group, LIBPYTHON_311);
        assertFalse(change.unchanged());
        assertEquals(List.of(), change.replaced());
        assertEquals(List.of(), change.unavailable());
        assertEquals(FOUR, eventsOn(LIBPYTHON_311));
        assertEquals(4, perfProbeList(group).size(), "one probe point each");
        assertEquals(FOUR.stream().map(e -> group + ":" + e).collect(Collectors.toSet()), Set.copyOf(change.eventNames()));

        GilProbes.Change again = probes.add(group, LIBPYTHON_311);
        assertTrue(again.unchanged());
        assertEquals(List.of(), again.added());
        assertEquals(4, perfProbeList(group).size());

        assertEquals(List.of(), probes.remove(group, Optional.of(LIBPYTHON_312)), "none point at another file");
        assertEquals(4, probes.remove(group, Optional.of(LIBPYTHON_311)).size());
        assertEquals(List.of(), perfProbeList(group));
    }

    @Test
    void replacesProbesThatPointAtAnotherFile() throws IOException {
        assumeFile(LIBPYTHON_311);
        assumeFile(LIBPYTHON_312);
        probes.add(group, LIBPYTHON_312);
        assertEquals(FOUR, eventsOn(LIBPYTHON_312));
        GilProbes.Change change = probes.add(group, LIBPYTHON_311);
        assertEquals(4, change.replaced().size());
        assertEquals(FOUR, eventsOn(LIBPYTHON_311));
        assertEquals(Set.of(), eventsOn(LIBPYTHON_312));
    }

    @Test
    void leavesOtherEventsOfTheGroupAlone() throws IOException {
        assumeFile(LIBPYTHON_311);
        CommandRunner.Result foreign = run("perf", "probe", "-x", LIBPYTHON_311.toString(), group + ":save_thread=PyEval_SaveThread");
        assertTrue(foreign.ok(), foreign.stderr());
        probes.add(group, LIBPYTHON_311);
        probes.remove(group, Optional.empty());
        assertEquals(Set.of("save_thread"), eventsOn(LIBPYTHON_311));
    }

    /** 3.13.0's drop_gil is also inlined into PyEval_ReleaseLock: the event gets two probe points. */
    @Test
    void anInlinedCopyBecomesASecondProbePoint() throws IOException {
        assumeFile(LIBPYTHON_313);
        GilProbes.Change change = probes.add(group, LIBPYTHON_313);
        List<String> dropGil = fourWithTwoPointsOf(LIBPYTHON_313, "drop_gil");
        assertTrue(dropGil.stream().anyMatch(l -> l.contains("PyEval_ReleaseLock")), dropGil.toString());
        assertEquals(5, change.added().size());
        assertTrue(probes.add(group, LIBPYTHON_313).unchanged());
        // the inlined point has no return: named as inlined, with the function it sits in
        assertEquals(1, change.entriesWithoutReturn().size(), change.entriesWithoutReturn().toString());
        assertTrue(change.entriesWithoutReturn().get(0).contains("drop_gil")
                && change.entriesWithoutReturn().get(0).contains("inlined into PyEval_ReleaseLock"), change.entriesWithoutReturn().toString());
    }

    /**
     * 3.8.18's GCC made take_gil.constprop.0, which PyEval_RestoreThread calls: perf puts take_gil's entry probe on
     * both but take_gil%return only on the original, so the copy's return is added as a second point of
     * take_gil__return (offsets from `nm`: the copy starts 0x260 after take_gil).
     */
    @Test
    void aCompilersCopyGetsItsOwnReturnProbe() throws IOException {
        assumeFile(LIBPYTHON_38);
        GilProbes.Change change = probes.add(group, LIBPYTHON_38);
        fourWithTwoPointsOf(LIBPYTHON_38, "take_gil__return");
        long copy = nmAddress(LIBPYTHON_38, "take_gil.constprop.0");
        assertTrue(change.added().stream().anyMatch(d -> d.returnProbe() && d.offset() == copy), change.added().toString());
        assertEquals(List.of(), change.entriesWithoutReturn());
        assertTrue(probes.add(group, LIBPYTHON_38).unchanged());
    }

    /** Checks the four events are on {@code file} and {@code event} has two probe points; returns its `perf probe -l` lines. */
    private List<String> fourWithTwoPointsOf(Path file, String event) {
        assertEquals(FOUR, eventsOn(file));
        List<String> points = perfProbeList(group).stream().filter(l -> l.startsWith(group + ":" + event + " ")).toList();
        assertEquals(2, points.size(), points.toString());
        return points;
    }

    /** A symbol's address by `nm` (for these shared libraries the text segment's addresses equal file offsets). */
    private static long nmAddress(Path file, String symbol) {
        return run("nm", file.toString()).stdout().lines().map(l -> l.split(" "))
                .filter(f -> f.length == 3 && f[2].equals(symbol)).mapToLong(f -> Long.parseLong(f[0], 16))
                .findFirst().orElseThrow();
    }

    /** The probes fire: a two-thread program records take_gil, its return and drop_gil. */
    @Test
    void probesFireInARealRecording(@TempDir Path dir) throws IOException {
        assumeFile(PYENV_311);
        probes.add(group, LIBPYTHON_311);
        Path data = dir.resolve("perf.data");
        String program = "import threading\n"
                + "def spin():\n    n = 0\n    for i in range(300000): n += i\n"
                + "ts = [threading.Thread(target=spin) for _ in range(2)]\n[t.start() for t in ts]\n[t.join() for t in ts]\n";
        CommandRunner.Result rec = run("perf", "record", "-q", "-B", "-N", "-o", data.toString(),
                "-e", group + ":take_gil", "-e", group + ":take_gil__return", "-e", group + ":drop_gil",
                "--", PYENV_311.toString(), "-c", program);
        assertTrue(rec.ok(), rec.stderr());
        String script = run("perf", "script", "-i", data.toString()).stdout();
        for (String event : List.of("take_gil:", "take_gil__return:", "drop_gil:")) {
            assertTrue(script.contains(group + ":" + event), "no " + event + " in the recording");
        }
    }
}
