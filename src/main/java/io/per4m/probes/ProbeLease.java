package io.per4m.probes;

import io.per4m.UserError;

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
    private final PythonInfo python;
    private final Thread cleanup;
    private final GilElf elf;

    private ProbeLease(GilProbes probes, String group, List<String> addedEvents, PythonInfo python, GilElf elf) {
        this.elf = elf;
        this.probes = probes;
        this.group = group;
        this.addedEvents = addedEvents;
        this.python = python;
        if (addedEvents.isEmpty()) {
            cleanup = null;
        } else {
            // SIGTERM, SIGINT or SIGHUP to the JVM: the private probes go with it
            cleanup = new Thread(this::removeWhileShuttingDown, "per4m-probe-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
    }

    /** The interpreter the probes are for, as inspected. */
    public PythonInfo python() {
        return python;
    }

    /**
     * How the probes were placed: "symbols", or "located:take_gil+..." (see {@link StrippedGilLocator.Located#method});
     * with inlined release stores the hand-over there is not measured.
     */
    public String probeMethod() {
        return elf.located().filter(l -> !elf.hasSymbols()).map(StrippedGilLocator.Located::method).orElse(GilProbes.SYMBOLS);
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
        TraceFs tracefs = reachableTraceFs(python);
        CommandRunner runner = new CommandRunner();
        PythonInfo info = new PythonInspector(runner).inspect(python);
        return lease(runner, tracefs, info, GilElfLocator.forThisSystem(runner).locate(info), python, preferredGroup);
    }

    /** tracefs, mounted and readable: checked first, since nothing else helps without it. */
    private static TraceFs reachableTraceFs(String python) throws IOException {
        TraceFs tracefs = TraceFs.locate().orElseThrow(() -> new UserError(
                "tracefs is not mounted: run 'sudo per4m setup --python " + python + "'"));
        if (!tracefs.uprobeEventsReadable()) {
            throw new UserError("the GIL probes are out of reach: " + tracefs.uprobeEvents() + " is readable by root"
                    + " only; run giltracer as root (sudo giltracer ...), or without the probes (--no-gil-detect"
                    + " --state-detect); 'per4m doctor' lists what users need");
        }
        return tracefs;
    }

    /**
     * For an interpreter already running as process {@code pid} (the notebook's kernel): the probes must sit on
     * the file that process mapped, whatever {@code python} resolves to today.
     */
    public static ProbeLease forProcess(long pid, String python, String preferredGroup) throws IOException {
        TraceFs tracefs = reachableTraceFs(python);
        CommandRunner runner = new CommandRunner();
        PythonInfo info = new PythonInspector(runner).inspect(python);
        GilElfLocator locator = GilElfLocator.forThisSystem(runner);
        GilElf elf = locator.locate(info);
        Optional<Path> loaded = loadedGilFile(pid);
        if (loaded.isPresent() && !Files.isSameFile(loaded.get(), elf.file())) {
            elf = locator.describe(loaded.get(), "mapped by process " + pid, ElfFile.open(loaded.get()), List.of());
        }
        return lease(runner, tracefs, info, elf, python, preferredGroup);
    }

    /** The libpython process {@code pid} mapped, else its executable (libpython linked in). */
    private static Optional<Path> loadedGilFile(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
                int slash = line.indexOf('/');
                if (slash > 0 && Path.of(line.substring(slash).strip()).getFileName().toString().startsWith("libpython")) {
                    return Optional.of(Path.of(line.substring(slash).strip()).toRealPath());
                }
            }
            return Optional.of(Path.of("/proc", Long.toString(pid), "exe").toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ProbeLease lease(CommandRunner runner, TraceFs tracefs, PythonInfo info, GilElf elf, String python,
                                    String preferredGroup) throws IOException {
        if (info.gilDisabled()) {
            throw new UserError(FREE_THREADED.formatted(python));
        }
        if (!elf.probeable()) {
            throw new UserError(elf.file() + " has no " + String.join("/", elf.missing())
                    + " symbols and they could not be located (" + elf.notLocated() + "): run 'per4m doctor --python "
                    + python + "' for how to get them");
        }
        GilProbes probes = new GilProbes(new Perf("perf", runner), tracefs);
        List<String> groups = probes.groupsOn(elf.file(), preferredGroup);
        if (!GilProbes.DEFAULT_GROUP.equals(preferredGroup)) {
            // a group the user named is that group or none: another group stands in only for the default one
            groups = groups.contains(preferredGroup) ? List.of(preferredGroup) : List.of();
        }
        if (!groups.isEmpty()) {
            return new ProbeLease(probes, groups.get(0), List.of(), info, elf);
        }
        if (!new SystemFacts(runner).isRoot()) {
            String group = probes.gilProbes(preferredGroup).isEmpty() ? preferredGroup : probes.ownGroupFor(info.version(), elf.file());
            throw new UserError("no GIL probes for " + elf.file() + ": run 'sudo " + Doctor.setupCommand(info, group) + "'");
        }
        String group = GilProbes.PRIVATE_PREFIX + ProcessHandle.current().pid();
        GilProbes.Change change = probes.add(group, elf, planned -> { });
        if (change.eventNames().stream().noneMatch(name -> name.endsWith(":take_gil"))) {
            probes.remove(group, Optional.of(elf.file()));
            throw new UserError("perf could not place the GIL probes on " + elf.file() + ": run 'per4m doctor'");
        }
        return new ProbeLease(probes, group, change.eventNames(), info, elf);
    }

    /** One line for a free-threaded interpreter (%s: the interpreter). */
    public static final String FREE_THREADED = "%s is a free-threaded build (Py_GIL_DISABLED): there is no GIL to trace;"
            + " trace process states instead (--no-gil-detect --state-detect)";

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
