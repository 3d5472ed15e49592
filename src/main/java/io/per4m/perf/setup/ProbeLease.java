package io.per4m.perf.setup;

import io.per4m.cli.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * GIL probes to record one run with: the ones {@code per4m setup} left for the interpreter, or, for root when
 * there are none, probes in a private group that {@link #close()} removes again.
 */
public final class ProbeLease implements AutoCloseable {
    private final GilProbes probes;
    private final String group;
    private final List<String> addedEvents;
    private final Thread cleanup;

    private ProbeLease(GilProbes probes, String group, List<String> addedEvents) {
        this.probes = probes;
        this.group = group;
        this.addedEvents = addedEvents;
        if (addedEvents.isEmpty()) {
            cleanup = null;
        } else {
            // SIGTERM, SIGINT or SIGHUP to the JVM: the private probes go with it
            cleanup = new Thread(this::removeWhileShuttingDown, "per4m-probe-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
    }

    /** The probe group to record. */
    public String group() {
        return group;
    }

    /** True when this lease added the probes itself (and removes them on close). */
    public boolean temporary() {
        return !addedEvents.isEmpty();
    }

    public static ProbeLease acquire(String python, String preferredGroup) throws IOException {
        TraceFs tracefs = TraceFs.locate().orElseThrow(() -> new UserError(
                "tracefs is not mounted: run 'sudo per4m setup --python " + python + "'"));
        if (!tracefs.uprobeEventsReadable()) {
            throw new UserError("the GIL probes are out of reach: " + tracefs.uprobeEvents() + " is readable by root"
                    + " only; run giltracer as root (sudo giltracer ...), or without the probes (--no-gil-detect"
                    + " --state-detect); 'per4m doctor' lists what users need");
        }
        CommandRunner runner = new CommandRunner();
        PythonInfo info = new PythonInspector(runner).inspect(python);
        if (info.gilDisabled()) {
            throw new UserError(python + " is a free-threaded build without a GIL: trace process states instead "
                    + "(--no-gil-detect --state-detect)");
        }
        GilElf elf = GilElfLocator.forThisSystem(runner).locate(info);
        if (!elf.hasSymbols()) {
            throw new UserError(elf.file() + " has no " + String.join("/", elf.missing())
                    + " symbols: run 'per4m doctor --python " + python + "' for how to get them");
        }
        GilProbes probes = new GilProbes(new Perf("perf", runner), tracefs);
        if (pointsAt(probes.gilProbes(preferredGroup), elf.file())) {
            return new ProbeLease(probes, preferredGroup, List.of());
        }
        if (!new SystemFacts(runner).isRoot()) {
            throw new UserError("no GIL probes for " + elf.file() + ": run 'sudo per4m setup --python " + python + "'");
        }
        String group = "per4m_" + ProcessHandle.current().pid();
        GilProbes.Change change = probes.add(group, elf.file());
        if (change.eventNames().stream().noneMatch(name -> name.endsWith(":take_gil"))) {
            probes.remove(group, Optional.of(elf.file()));
            throw new UserError("perf could not place the GIL probes on " + elf.file() + ": run 'per4m doctor'");
        }
        return new ProbeLease(probes, group, change.eventNames());
    }

    private static boolean pointsAt(List<UprobeDefinition> defs, Path file) throws IOException {
        for (UprobeDefinition def : defs) {
            if (def.event().equals("take_gil") && Files.isSameFile(def.file(), file)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (temporary()) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook removes them
                return;
            }
            removeProbes();
        }
    }

    private void removeProbes() throws IOException {
        probes.removeEvents(group, addedEvents.stream().map(n -> n.substring(n.indexOf(':') + 1)).toList());
    }

    /** perf, stopped by its own hook at the same time, may hold the probes for a moment: "busy" until it is gone. */
    private void removeWhileShuttingDown() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                removeProbes();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    return; // the next run removes them (StaleRuns)
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
