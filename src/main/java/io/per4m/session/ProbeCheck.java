package io.per4m.session;

import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import io.per4m.probes.Doctor;
import io.per4m.probes.ProbeLease;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks, before perf is started, that what a recording needs is there: perf itself and the GIL uprobes.
 * Failing here gives the notebook one short line with the command that fixes it, instead of a perf error.
 */
class ProbeCheck {
    static final List<String> REQUIRED_GIL_PROBES = List.of("take_gil", "take_gil__return", "drop_gil");

    /** The probes a session records: its options (with the probe group to record) and what to close with it. */
    /** @param probeMethod how the probes were placed ("symbols", "located:..."), "" when not known */
    record Leased(RecordOptions options, AutoCloseable release, String probeMethod) {
    }

    /** Finds (or, for root, makes) GIL probes on the file a running interpreter loaded. */
    interface ProbeSource {
        Leased lease(RecordOptions options, String python, long pid) throws IOException;
    }

    private final List<Path> tracefsRoots;
    private final Supplier<Optional<Path>> perf;
    private final ProbeSource source;

    /**
     * Records the group as given, after checking that its probes exist.
     *
     * @param tracefsRoots where tracefs is mounted
     * @param perf         where perf is, empty when it is not installed
     */
    ProbeCheck(List<Path> tracefsRoots, Supplier<Optional<Path>> perf) {
        this(tracefsRoots, perf, null);
    }

    private ProbeCheck(List<Path> tracefsRoots, Supplier<Optional<Path>> perf, ProbeSource source) {
        this.tracefsRoots = List.copyOf(tracefsRoots);
        this.perf = perf;
        this.source = source;
    }

    /**
     * Follows the interpreter: the probes recorded are those on the ELF file the kernel loaded for the process;
     * the lease ({@link ProbeLease}) finds or makes them through tracefs itself, so no tracefs path is looked at
     * here. Where perf is, is setup's knowledge too ({@link Doctor#onPath}).
     */
    static ProbeCheck system() {
        return new ProbeCheck(List.of(), () -> Doctor.onPath("perf"), ProbeCheck::leaseFor);
    }

    private static Leased leaseFor(RecordOptions options, String python, long pid) throws IOException {
        String interpreter = python == null || python.isBlank() ? "/proc/" + pid + "/exe" : python;
        ProbeLease lease = ProbeLease.forProcess(pid, interpreter, options.probeGroup());
        return new Leased(options.withProbeGroup(lease.group()), lease, lease.probeMethod());
    }

    /** The probes to record process {@code pid} with; call after {@link #check}. */
    Leased lease(RecordOptions options, String python, long pid) throws IOException {
        if (source == null || !options.gil()) {
            return new Leased(options, () -> { }, "");
        }
        return source.lease(options, python, pid);
    }

    /** @param python the traced interpreter, named in the fix command */
    void check(RecordOptions options, String python) {
        if (perf.get().isEmpty()) {
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

    /** The command that fixes it: the options of per4m setup (InterpreterOptions). */
    static String setupCommand(String python, String probeGroup) {
        StringBuilder command = new StringBuilder("sudo per4m setup");
        if (python != null && !python.isBlank()) {
            command.append(" --python ").append(python);
        }
        if (!RecordOptions.DEFAULT_PROBE_GROUP.equals(probeGroup)) {
            command.append(" --group ").append(probeGroup);
        }
        return command.toString();
    }
}
