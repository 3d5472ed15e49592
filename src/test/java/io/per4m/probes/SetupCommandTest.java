package io.per4m.probes;

import io.per4m.cli.CliRun;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.per4m.probes.Machine.*;
import static org.junit.jupiter.api.Assertions.*;

/** `per4m setup` end to end as root, on a random group and a private state file. */
class SetupCommandTest {
    @TempDir
    Path dir;
    private String group;
    private String otherGroup;
    private List<String> pythonGroupBefore;

    @BeforeEach
    void setUp() throws IOException {
        assumeProbesPossible();
        assumeFile(PYENV_311);
        group = randomGroup();
        otherGroup = randomGroup();
        pythonGroupBefore = pythonGroupProbeLines();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (group != null) {
            deleteGroup(group);
            deleteGroup(otherGroup);
            assertEquals(pythonGroupBefore, pythonGroupProbeLines(), "the python group's probes must not change");
        }
    }

    private Set<String> events(String g) {
        return perfProbeList(g).stream().map(l -> l.substring(0, l.indexOf(' '))).collect(Collectors.toSet());
    }

    private CliRun setup(String... extra) {
        String state = dir.resolve("state.json").toString();
        List<String> args = new java.util.ArrayList<>(List.of("setup", "--group", group, "--state", state));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void addsOnceThenChangesNothingThenRemovesOnlyItsOwn() throws IOException {
        // a probe of the same group that setup did not add, and GIL probes in another group
        assertTrue(run("perf", "probe", "-x", LIBPYTHON_311.toString(), group + ":save_thread=PyEval_SaveThread").ok());
        new GilProbes(new Perf("perf", new CommandRunner()), TraceFs.locate().orElseThrow()).add(otherGroup, LIBPYTHON_311);
        Set<String> otherBefore = events(otherGroup);
        assertEquals(4, otherBefore.size());

        CliRun first = setup("--python", PYENV_311.toString());
        assertEquals(0, first.exitCode(), first.out() + first.err());
        assertTrue(first.out().contains("+ added " + group + ":take_gil, " + group + ":take_gil__return, "
                + group + ":drop_gil, " + group + ":drop_gil__return on " + LIBPYTHON_311), first.out());
        assertTrue(first.out().strip().endsWith("done"));
        Set<String> expected = Set.of(group + ":take_gil", group + ":take_gil__return", group + ":drop_gil",
                group + ":drop_gil__return", group + ":save_thread");
        assertEquals(expected, events(group));

        CliRun second = setup("--python", PYENV_311.toString());
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertTrue(second.out().contains("probes already there"), second.out());
        assertTrue(second.out().strip().endsWith("nothing to do: already set up"), second.out());
        assertEquals(expected, events(group));

        CliRun removed = setup("--remove");
        assertEquals(0, removed.exitCode(), removed.out() + removed.err());
        assertTrue(removed.out().contains("removed " + group + ":take_gil"), removed.out());
        assertEquals(Set.of(group + ":save_thread"), events(group));
        assertEquals(otherBefore, events(otherGroup));

        CliRun removedAgain = setup("--remove");
        assertEquals(0, removedAgain.exitCode());
        assertTrue(removedAgain.out().contains("nothing to remove"), removedAgain.out());
    }

    @Test
    void removeLeavesGilProbesItDidNotAdd() throws IOException {
        new GilProbes(new Perf("perf", new CommandRunner()), TraceFs.locate().orElseThrow()).add(group, LIBPYTHON_311);
        CliRun second = setup("--python", PYENV_311.toString());
        assertTrue(second.out().contains("probes already there"), second.out());
        CliRun removed = setup("--remove");
        assertEquals(0, removed.exitCode());
        assertTrue(removed.out().contains("left alone (not added by per4m setup)"), removed.out());
        assertEquals(4, events(group).size());
    }

    @Test
    void aStrippedInterpreterGetsProbesLocatedWithoutSymbols() {
        assumeFile(DEBIAN_311);
        assumeCommand("objdump");
        CliRun r = setup("--python", DEBIAN_311.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("- no symbols in /usr/bin/python3.11: located take_gil at 0x"), r.out());
        assertTrue(r.out().contains(group + ":drop_gil (") && r.out().contains("inlined release store at 0x"), r.out());
        Set<String> events = events(group);
        for (String e : List.of("take_gil", "take_gil__return", "drop_gil", "drop_gil__return")) {
            assertTrue(events.contains(group + ":" + e), events.toString());
        }
        // every drop_gil probe point, at a function's entry or an inlined release store, has its return
        assertFalse(r.out().contains("has no return probe"), r.out());
        CliRun removed = setup("--remove");
        assertEquals(0, removed.exitCode(), removed.out());
        assertEquals(Set.of(), events(group));
    }

    /** A group that serves another interpreter's file is not moved when the user did not name it. */
    @Test
    void anUnnamedGroupServingAnotherInterpreterIsNotMoved() throws IOException {
        assumeFile(LIBPYTHON_312);
        Path python312 = LIBPYTHON_312.getParent().getParent().resolve("bin/python3.12");
        new GilProbes(new Perf("perf", new CommandRunner()), TraceFs.locate().orElseThrow()).add(group, LIBPYTHON_311);
        List<String> before = perfProbeList(group);
        Setup setup = Setup.forThisSystem(dir.resolve("state.json"));
        io.per4m.UserError refused = assertThrows(io.per4m.UserError.class,
                () -> setup.apply(python312.toString(), group, false, true));
        assertTrue(refused.getMessage().contains("serves " + LIBPYTHON_311), refused.getMessage());
        assertTrue(refused.getMessage().contains("per4m setup --python " + python312.toRealPath() + " --group python3_12"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("--replace"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
        assertEquals(before, perfProbeList(group));
        // named (or --replace): moved, as asked
        setup.apply(python312.toString(), group, false, false);
        assertTrue(perfProbeList(group).stream().allMatch(l -> l.contains(LIBPYTHON_312.toString())), perfProbeList(group).toString());
    }

    /** What a non-root user is told to run (computed the same way as root; nothing is changed). */
    @Test
    void withoutRootItListsTheCommands() throws IOException {
        List<SetupStep> steps = Setup.forThisSystem(dir.resolve("state.json")).commandsForRoot(PYENV_311.toString(), group, true);
        List<String> commands = steps.stream().map(SetupStep::command).filter(java.util.Objects::nonNull).toList();
        assertTrue(commands.contains("sudo per4m setup --python " + PYENV_311.toRealPath() + " --group " + group), commands.toString());
        for (String spec : List.of("take_gil=take_gil", "take_gil=take_gil%return", "drop_gil=drop_gil", "drop_gil=drop_gil%return")) {
            assertTrue(commands.contains("sudo perf probe -x " + LIBPYTHON_311 + " " + group + ":" + spec), spec);
        }
        boolean paranoidOpen = new SystemFacts(new CommandRunner()).perfEventParanoid().orElse(2) <= -1;
        assertEquals(!paranoidOpen, commands.contains("sudo sysctl -w kernel.perf_event_paranoid=-1"));
        assertEquals(Set.of(), events(group));
    }

    @Test
    void aBadGroupNameIsAOneLineError() {
        CliRun r = CliRun.of("setup", "--group", "9bad-name");
        assertEquals(2, r.exitCode());
        assertEquals("setup: --group must be letters, digits and _ (not starting with a digit), got '9bad-name'", r.err().strip());
    }

    @Test
    void aCorruptStateFileIsOneLineAndAddsNoProbes() throws IOException {
        Path state = dir.resolve("state.json");
        java.nio.file.Files.writeString(state, "{\"probes\": [\"p:x/take_gil /lib");
        CliRun r = setup("--python", PYENV_311.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("the setup state " + state + " is not valid JSON"), r.err());
        assertEquals(Set.of(), events(group), "no probes that --remove would not know");
        assertEquals("{\"probes\": [\"p:x/take_gil /lib", java.nio.file.Files.readString(state));
        CliRun remove = setup("--remove");
        assertEquals(2, remove.exitCode(), remove.out() + remove.err());
        assertTrue(remove.err().contains("is not valid JSON"), remove.err());
    }

    @Test
    void aStateThatCannotBeWrittenFailsBeforeAnyProbeIsAdded() throws IOException {
        Path notAFolder = java.nio.file.Files.writeString(dir.resolve("plain-file"), "x");
        CliRun r = CliRun.of("setup", "--group", group, "--state", notAFolder.resolve("state.json").toString(),
                "--python", PYENV_311.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("cannot write the setup state"), r.err());
        assertEquals(Set.of(), events(group));
    }

    /** The state learns every probe before the kernel has it: a failure in between leaves none it does not know. */
    @Test
    void probesAreRecordedBeforeTheyAreWritten() throws IOException {
        SetupState state = new SetupState(dir.resolve("state.json"));
        List<Set<String>> inKernelWhenRecorded = new java.util.ArrayList<>();
        new GilProbes(new Perf("perf", new CommandRunner()), TraceFs.locate().orElseThrow()).add(group, LIBPYTHON_311,
                planned -> {
                    inKernelWhenRecorded.add(events(group));
                    state.record(planned);
                });
        assertEquals(List.of(Set.of()), inKernelWhenRecorded);
        assertEquals(Set.of("take_gil", "take_gil__return", "drop_gil", "drop_gil__return"),
                state.recorded(group).stream().map(UprobeDefinition::event).collect(Collectors.toSet()));
        CliRun removed = setup("--remove");
        assertEquals(0, removed.exitCode(), removed.out() + removed.err());
        assertEquals(Set.of(), events(group));
    }
}
