package io.per4m.bridge;

import io.per4m.UserError;
import io.per4m.probes.ProbeLease;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks, before perf is started, that what a recording needs is there: perf itself and the GIL uprobes.
 * Failing here gives the notebook one short line with the command that fixes it, instead of a perf error.
 */
class ProbeCheck {
    static final List<String> REQUIRED_GIL_PROBES = List.of("take_gil", "take_gil__return", "drop_gil");

    /** The probes a session records: its options (with the probe group to record) and what to close with it. */
    record Leased(RecordingOptions options, AutoCloseable release) {
    }

    /** Finds (or, for root, makes) GIL probes on the file a running interpreter loaded. */
    interface ProbeSource {
        Leased lease(RecordingOptions options, String python, long pid) throws IOException;
    }

    private final List<Path> tracefsRoots;
    private final String pathEnv;
    private final ProbeSource source;

    /** Records the group as given, after checking that its probes exist. */
    ProbeCheck(List<Path> tracefsRoots, String pathEnv) {
        this(tracefsRoots, pathEnv, null);
    }

    private ProbeCheck(List<Path> tracefsRoots, String pathEnv, ProbeSource source) {
        this.tracefsRoots = List.copyOf(tracefsRoots);
        this.pathEnv = pathEnv == null ? "" : pathEnv;
        this.source = source;
    }

    /** Follows the interpreter: the probes recorded are those on the ELF file the kernel loaded for the process. */
    static ProbeCheck system() {
        return new ProbeCheck(List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing")),
                System.getenv("PATH"), ProbeCheck::leaseFor);
    }

    private static Leased leaseFor(RecordingOptions options, String python, long pid) throws IOException {
        String interpreter = python == null || python.isBlank() ? "/proc/" + pid + "/exe" : python;
        ProbeLease lease = ProbeLease.forProcess(pid, interpreter, options.probeGroup());
        return new Leased(options.withProbeGroup(lease.group()), lease);
    }

    /** The probes to record process {@code pid} with; call after {@link #check}. */
    Leased lease(RecordingOptions options, String python, long pid) throws IOException {
        if (source == null || !options.gil()) {
            return new Leased(options, () -> { });
        }
        return source.lease(options, python, pid);
    }

    /** @param python the traced interpreter, named in the fix command */
    void check(RecordingOptions options, String python) {
        if (findPerf() == null) {
            throw new UserError("perf is not installed: run `" + setupCommand(python, options.probeGroup()) + "`");
        }
        if (options.gil() && source == null) {
            for (String probe : REQUIRED_GIL_PROBES) {
                if (!probeExists(options.probeGroup(), probe)) {
                    throw new UserError("GIL probe " + options.probeGroup() + ":" + probe + " is missing: run `"
                            + setupCommand(python, options.probeGroup()) + "`");
                }
            }
        }
    }

    boolean probeExists(String group, String probe) {
        return tracefsRoots.stream().anyMatch(root -> Files.isDirectory(root.resolve("events").resolve(group).resolve(probe)));
    }

    Path findPerf() {
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "perf"))) {
                return Path.of(dir, "perf");
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/perf")) ? Path.of("/usr/bin/perf") : null;
    }

    /** The command that fixes it: the options of per4m setup (InterpreterOptions). */
    static String setupCommand(String python, String probeGroup) {
        StringBuilder command = new StringBuilder("sudo per4m setup");
        if (python != null && !python.isBlank()) {
            command.append(" --python ").append(python);
        }
        if (!RecordingOptions.DEFAULT_PROBE_GROUP.equals(probeGroup)) {
            command.append(" --group ").append(probeGroup);
        }
        return command.toString();
    }
}
