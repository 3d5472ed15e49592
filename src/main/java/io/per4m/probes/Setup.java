package io.per4m.probes;

import io.per4m.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.per4m.probes.SetupStep.Status.DONE;
import static io.per4m.probes.SetupStep.Status.FAILED;
import static io.per4m.probes.SetupStep.Status.SKIPPED;
import static io.per4m.probes.SetupStep.Status.TODO;
import static io.per4m.probes.SetupStep.Status.UNCHANGED;

/**
 * Fixes what GIL tracing needs, as root: perf installed, tracefs mounted, the four GIL probes in a group for the
 * interpreter's ELF file. kernel.perf_event_paranoid is left as it is (root is not limited by it) unless users
 * should trace too, then -1. Without root it lists the commands to run instead.
 */
public final class Setup {
    private static final Path PARANOID = Path.of("/proc/sys/kernel/perf_event_paranoid");

    private final SystemFacts system;
    private final Perf perf;
    private final PythonInspector inspector;
    private final GilElfLocator locator;
    private final Supplier<Optional<TraceFs>> tracefs;
    private final SetupState state;

    public Setup(SystemFacts system, Perf perf, PythonInspector inspector, GilElfLocator locator,
                 Supplier<Optional<TraceFs>> tracefs, SetupState state) {
        this.system = system;
        this.perf = perf;
        this.inspector = inspector;
        this.locator = locator;
        this.tracefs = tracefs;
        this.state = state;
    }

    public static Setup forThisSystem(Path stateFileOrNull) {
        CommandRunner runner = new CommandRunner();
        SystemFacts system = new SystemFacts(runner);
        Path stateFile = stateFileOrNull != null ? stateFileOrNull : SetupState.defaultPath(system.isRoot());
        return new Setup(system, new Perf("perf", runner), new PythonInspector(runner), GilElfLocator.forThisSystem(runner),
                Doctor::locateTraceFs, new SetupState(stateFile));
    }

    public boolean isRoot() {
        return system.isRoot();
    }

    /** As root: makes everything ready and reports each step; the group may be moved from another interpreter's file. */
    public List<SetupStep> apply(String python, String group, boolean allowUsers) throws IOException {
        return apply(python, group, allowUsers, false);
    }

    /**
     * As root: makes everything ready and reports each step.
     *
     * @param keepOthers when the group's GIL probes serve another interpreter's file, refuse (one line naming the
     *                   command with a group of its own) instead of moving them: for a group the user did not name
     */
    public List<SetupStep> apply(String python, String group, boolean allowUsers, boolean keepOthers) throws IOException {
        List<SetupStep> steps = new ArrayList<>();
        steps.add(ensurePerf());
        steps.add(ensureTraceFs());
        steps.add(paranoid(allowUsers));
        if (steps.stream().anyMatch(s -> s.status() == FAILED)) {
            return steps;
        }
        PythonInfo py = inspector.inspect(python);
        if (py.gilDisabled()) {
            steps.add(SetupStep.of(FAILED, py.executable() + " is a free-threaded build (no GIL): nothing to probe;"
                    + " trace process states only (giltracer --no-gil-detect --state-detect)"));
            return steps;
        }
        GilElf elf = locator.locate(py);
        if (!elf.probeable()) {
            steps.add(new SetupStep(FAILED, String.join(" and ", elf.missing()) + " not found in " + elf.file()
                    + " (" + elf.notLocated() + "): no GIL probes possible", "per4m doctor --python " + python));
            return steps;
        }
        elf.located().filter(l -> !elf.hasSymbols()).ifPresent(l ->
                steps.add(SetupStep.of(SKIPPED, "no symbols in " + elf.file() + ": located " + l.describe())));
        TraceFs fs = tracefs.get().orElseThrow(() -> new UserError("tracefs vanished"));
        GilProbes probes = new GilProbes(perf, fs);
        if (keepOthers) {
            refuseToMove(probes, group, py, elf);
        }
        state.check();
        // recorded before they are written: whatever fails next, --remove knows every probe setup may have added
        GilProbes.Change change = probes.add(group, elf, state::record);
        for (String u : change.unavailable()) {
            steps.add(SetupStep.of(SKIPPED, u));
        }
        for (String w : change.entriesWithoutReturn()) {
            steps.add(SetupStep.of(SKIPPED, "warning: " + w));
        }
        if (change.unchanged()) {
            steps.add(SetupStep.of(UNCHANGED, "probes already there: " + String.join(", ", change.eventNames()) + " on " + elf.file()));
            return steps;
        }
        if (!change.replaced().isEmpty()) {
            state.forget(group, change.replaced().stream().map(e -> e.substring(e.indexOf(':') + 1)).toList());
            steps.add(SetupStep.of(DONE, "removed probes that pointed elsewhere: " + String.join(", ", change.replaced())));
        }
        state.record(change.added());
        steps.add(SetupStep.of(DONE, "added " + describeAdded(change.added(), change.places()) + " on " + elf.file()));
        return steps;
    }

    private static void refuseToMove(GilProbes probes, String group, PythonInfo py, GilElf elf) throws IOException {
        Optional<Path> serves = probes.gilProbes(group).stream().map(UprobeDefinition::file)
                .filter(f -> !GilProbes.samePath(f, elf.file())).findFirst();
        if (serves.isPresent()) {
            throw new UserError("probe group '" + group + "' serves " + serves.get() + ", not " + elf.file() + ": run '"
                    + Doctor.setupCommand(py, probes.ownGroupFor(py.version(), elf.file()))
                    + "' to add probes beside it (or add --replace to move the group to this interpreter)");
        }
    }

    private static String describeAdded(List<UprobeDefinition> added, ProbePlaces places) {
        Set<String> names = new LinkedHashSet<>();
        added.forEach(d -> names.add(d.eventName()));
        return names.stream().map(n -> {
            List<UprobeDefinition> points = added.stream().filter(d -> d.eventName().equals(n)).toList();
            return points.size() > 1 ? n + " (" + points.size() + " probe points: "
                    + points.stream().map(d -> places.describe(d.offset())).collect(Collectors.joining(", ")) + ")" : n;
        }).collect(Collectors.joining(", "));
    }

    private SetupStep ensurePerf() {
        Optional<String> version = perf.version();
        if (version.isPresent()) {
            return SetupStep.of(UNCHANGED, version.get());
        }
        if (!system.hasAptGet()) {
            return new SetupStep(FAILED, "perf is missing and there is no apt-get here", system.installPerfCommand());
        }
        CommandRunner runner = system.runner();
        List<String> install = List.of("apt-get", "install", "-y", "linux-perf");
        CommandRunner.Result r = runner.run(install, Duration.ofMinutes(10));
        if (!r.ok()) {
            runner.run(List.of("apt-get", "update"), Duration.ofMinutes(10));
            r = runner.run(install, Duration.ofMinutes(10));
        }
        Optional<String> after = perf.version();
        return after.map(v -> SetupStep.of(DONE, "installed linux-perf: " + v))
                .orElseGet(() -> new SetupStep(FAILED, "could not install perf", String.join(" ", install)));
    }

    private SetupStep ensureTraceFs() {
        Optional<TraceFs> fs = tracefs.get();
        if (fs.isPresent() && fs.get().uprobeEventsReadable()) {
            return SetupStep.of(UNCHANGED, "tracefs mounted at " + fs.get().root());
        }
        List<String> mount = TraceFs.mountCommand();
        CommandRunner.Result r = system.runner().run(mount, Duration.ofSeconds(30));
        Optional<TraceFs> after = tracefs.get();
        if (after.isPresent() && after.get().uprobeEventsReadable()) {
            return SetupStep.of(DONE, "mounted tracefs at " + after.get().root());
        }
        return new SetupStep(FAILED, "could not mount tracefs: " + r.firstErrorLine(), String.join(" ", mount));
    }

    private SetupStep paranoid(boolean allowUsers) throws IOException {
        OptionalInt now = system.perfEventParanoid();
        String value = now.isPresent() ? String.valueOf(now.getAsInt()) : "unknown";
        if (!allowUsers) {
            return SetupStep.of(UNCHANGED, "kernel.perf_event_paranoid stays " + value
                    + ": root is not limited by it (--allow-users sets -1 so users can trace)");
        }
        if (now.isPresent() && now.getAsInt() <= -1) {
            return SetupStep.of(UNCHANGED, "kernel.perf_event_paranoid is already " + value);
        }
        Files.writeString(PARANOID, "-1\n");
        return new SetupStep(DONE, "kernel.perf_event_paranoid " + value + " → -1 (until reboot; to keep it:"
                + " echo kernel.perf_event_paranoid=-1 > /etc/sysctl.d/60-per4m.conf)", null);
    }

    /** Without root: the commands that would do what {@link #apply} does. */
    public List<SetupStep> commandsForRoot(String python, String group, boolean allowUsers) {
        List<SetupStep> steps = new ArrayList<>();
        if (perf.version().isEmpty()) {
            steps.add(new SetupStep(TODO, "install perf", "sudo " + system.installPerfCommand()));
        }
        if (tracefs.get().isEmpty()) {
            steps.add(new SetupStep(TODO, "mount tracefs", "sudo " + String.join(" ", TraceFs.mountCommand())));
        }
        OptionalInt paranoid = system.perfEventParanoid();
        if (allowUsers && (paranoid.isEmpty() || paranoid.getAsInt() > -1)) {
            steps.add(new SetupStep(TODO, "let users trace", "sudo sysctl -w kernel.perf_event_paranoid=-1"));
        }
        PythonInfo py = inspector.inspect(python);
        if (py.gilDisabled()) {
            steps.add(SetupStep.of(FAILED, py.executable() + " is a free-threaded build (no GIL): nothing to probe"));
            return steps;
        }
        GilElf elf;
        try {
            elf = locator.locate(py);
        } catch (IOException e) {
            steps.add(SetupStep.of(FAILED, e.getMessage()));
            return steps;
        }
        if (!elf.probeable()) {
            steps.add(new SetupStep(FAILED, "take_gil/drop_gil not found in " + elf.file(), "per4m doctor --python " + python));
            return steps;
        }
        steps.add(new SetupStep(TODO, "add the GIL probes for " + elf.file(),
                "sudo " + Doctor.setupCommand(py, group)));
        for (String spec : elf.hasSymbols() ? List.of("take_gil=take_gil", "take_gil=take_gil%return", "drop_gil=drop_gil",
                "drop_gil=drop_gil%return") : List.<String>of()) {
            steps.add(new SetupStep(TODO, "or by hand", "sudo perf probe -x " + elf.file() + " " + group + ":" + spec));
        }
        return steps;
    }

    /** As root: removes the probes of {@code group} that setup recorded as its own, and nothing else. */
    public List<SetupStep> remove(String group) throws IOException {
        List<SetupStep> steps = new ArrayList<>();
        Optional<TraceFs> fs = tracefs.get();
        if (fs.isEmpty() || !fs.get().uprobeEventsReadable()) {
            steps.add(SetupStep.of(UNCHANGED, "tracefs is not mounted: there are no probes to remove"));
            return steps;
        }
        GilProbes probes = new GilProbes(perf, fs.get());
        List<UprobeDefinition> recorded = state.recorded(group);
        List<UprobeDefinition> inKernel = fs.get().uprobes().stream().filter(u -> u.group().equals(group)).toList();
        Set<String> ours = new LinkedHashSet<>();
        Set<String> gone = new LinkedHashSet<>();
        for (UprobeDefinition r : recorded) {
            if (inKernel.stream().anyMatch(k -> sameProbe(k, r))) {
                ours.add(r.event());
            } else {
                gone.add(r.event());
            }
        }
        gone.removeAll(ours);
        List<String> removed = probes.removeEvents(group, ours);
        state.forget(group, recorded.stream().map(UprobeDefinition::event).toList());
        if (!removed.isEmpty()) {
            steps.add(SetupStep.of(DONE, "removed " + String.join(", ", removed)));
        }
        if (!gone.isEmpty()) {
            steps.add(SetupStep.of(UNCHANGED, "already gone: " + gone.stream().map(e -> group + ":" + e).collect(Collectors.joining(", "))));
        }
        List<String> others = probes.gilProbes(group).stream().map(UprobeDefinition::eventName).distinct().toList();
        if (!others.isEmpty()) {
            steps.add(new SetupStep(SKIPPED, "left alone (not added by per4m setup): " + String.join(", ", others),
                    "perf probe -d '" + group + ":*'"));
        }
        if (steps.isEmpty()) {
            steps.add(SetupStep.of(UNCHANGED, "per4m setup added no probes in group '" + group + "': nothing to remove"));
        }
        return steps;
    }

    private static boolean sameProbe(UprobeDefinition a, UprobeDefinition b) {
        return a.returnProbe() == b.returnProbe() && a.event().equals(b.event()) && a.offset() == b.offset()
                && a.file().normalize().equals(b.file().normalize());
    }
}
