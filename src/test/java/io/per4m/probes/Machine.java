package io.per4m.probes;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests need from this machine, checked by routes independent of the code under test. */
final class Machine {
    static final Path PYENV_311 = Path.of("/root/.pyenv/versions/3.11.7/bin/python3.11");
    static final Path LIBPYTHON_38 = Path.of("/root/.pyenv/versions/3.8.18/lib/libpython3.8.so.1.0");
    static final Path PYENV_39 = Path.of("/root/.pyenv/versions/3.9.18/bin/python3.9");
    static final Path LIBPYTHON_311 = Path.of("/root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0");
    static final Path LIBPYTHON_312 = Path.of("/root/.pyenv/versions/3.12.1/lib/libpython3.12.so.1.0");
    static final Path PYENV_313 = Path.of("/root/.pyenv/versions/3.13.0/bin/python3.13");
    static final Path LIBPYTHON_313 = Path.of("/root/.pyenv/versions/3.13.0/lib/libpython3.13.so.1.0");
    static final Path DEBIAN_311 = Path.of("/usr/bin/python3.11");
    static final Path PYENV_SHIM = Path.of("/root/.pyenv/shims/python3");

    private Machine() {
    }

    static CommandRunner.Result run(String... cmd) {
        return new CommandRunner().run(List.of(cmd), Duration.ofSeconds(120));
    }

    static void assumeFile(Path p) {
        Assumptions.assumeTrue(Files.exists(p), p + " is not on this machine");
    }

    static void assumeCommand(String name) {
        Assumptions.assumeTrue(run("sh", "-c", "command -v " + name).ok(), name + " is not installed");
    }

    /** Root, perf and a mounted tracefs: what adding uprobes needs. */
    static TraceFs assumeProbesPossible() throws IOException {
        Assumptions.assumeTrue(new SystemFacts(new CommandRunner()).isRoot(), "adding uprobes needs root");
        Assumptions.assumeTrue(run("perf", "--version").ok(), "perf is not installed");
        TraceFs fs = TraceFs.locate().orElse(null);
        Assumptions.assumeTrue(fs != null && fs.uprobeEventsReadable(), "tracefs is not mounted");
        return fs;
    }

    /**
     * A group of this test run's own, named after the JVM's pid so that a later run can tell it was left behind by
     * a run that was killed before its clean-up (such a group would otherwise stand in for the probes a test expects
     * to be made).
     */
    static String randomGroup() {
        removeGroupsOfEndedRuns();
        return TEST_GROUP_PREFIX + ProcessHandle.current().pid() + "_" + Long.toHexString(new Random().nextLong() & 0xffffffffL);
    }

    private static final String TEST_GROUP_PREFIX = "per4m_setup_test_";
    private static final Pattern TEST_GROUP = Pattern.compile("^[pr]:(\\w*" + TEST_GROUP_PREFIX + "(\\d+)_[0-9a-f]+)/");

    private static void removeGroupsOfEndedRuns() {
        try {
            TraceFs fs = TraceFs.locate().orElse(null);
            if (fs == null || !fs.uprobeEventsReadable()) {
                return;
            }
            Set<String> ended = new TreeSet<>();
            for (String line : Files.readAllLines(fs.uprobeEvents())) {
                Matcher m = TEST_GROUP.matcher(line);
                if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                    ended.add(m.group(1));
                }
            }
            ended.forEach(Machine::deleteGroup);
        } catch (IOException e) {
            // nothing to tidy can be read: the tests that need it will say so
        }
    }

    /** `perf probe -l` lines of one group (perf resolves them back to functions: a route independent of uprobe_events parsing). */
    static List<String> perfProbeList(String group) {
        CommandRunner.Result r = run("perf", "probe", "-l");
        return r.stdout().lines().map(String::strip).filter(l -> l.startsWith(group + ":")).toList();
    }

    /** The raw uprobe_events lines of group python (per4m setup's lasting probes), to prove they are never touched. */
    static List<String> pythonGroupProbeLines() throws IOException {
        TraceFs fs = TraceFs.locate().orElseThrow();
        return Files.readAllLines(fs.uprobeEvents()).stream().filter(l -> l.contains(":python/")).toList();
    }

    /** Last-resort cleanup through perf itself. */
    static void deleteGroup(String group) {
        if (!perfProbeList(group).isEmpty()) {
            run("perf", "probe", "-d", group + ":*");
        }
    }
}
