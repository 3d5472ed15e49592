package io.per4m.probes;

import io.per4m.UserError;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Checks every condition GIL tracing depends on, for one interpreter, and says what to do about each. */
public final class Doctor {
    private final SystemFacts system;
    private final Perf perf;
    private final PythonInspector inspector;
    private final GilElfLocator locator;
    private final Supplier<Optional<TraceFs>> tracefs;

    public Doctor(SystemFacts system, Perf perf, PythonInspector inspector, GilElfLocator locator,
                  Supplier<Optional<TraceFs>> tracefs) {
        this.system = system;
        this.perf = perf;
        this.inspector = inspector;
        this.locator = locator;
        this.tracefs = tracefs;
    }

    public static Doctor forThisSystem() {
        CommandRunner runner = new CommandRunner();
        return new Doctor(new SystemFacts(runner), new Perf("perf", runner), new PythonInspector(runner),
                GilElfLocator.forThisSystem(runner), Doctor::locateTraceFs);
    }

    static Optional<TraceFs> locateTraceFs() {
        try {
            return TraceFs.locate();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public DoctorReport examine(String python, String group) {
        List<Check> checks = new ArrayList<>();
        boolean root = system.isRoot();
        Optional<String> perfVersion = perf.version();
        checks.add(perfVersion.map(v -> Check.ok("perf", v))
                .orElseGet(() -> Check.fail("perf", "perf is not installed (or cannot run)", asRoot(root, system.installPerfCommand()))));
        checks.add(privileges(root));
        Optional<TraceFs> fs = tracefs.get();
        checks.add(tracefsCheck(fs, root));

        Optional<PythonInfo> info;
        try {
            info = Optional.of(inspector.inspect(python));
        } catch (UserError e) {
            checks.add(Check.fail("interpreter", e.getMessage(), "give the interpreter's path: --python /path/to/python3"));
            return DoctorReport.of(python, group, Optional.empty(), Optional.empty(), checks);
        }
        PythonInfo py = info.get();
        checks.add(Check.ok("interpreter", describe(python, py)));
        if (py.gilDisabled()) {
            checks.add(Check.fail("gil", "free-threaded build (Py_GIL_DISABLED=1): there is no GIL to trace",
                    "trace process states only (giltracer --no-gil-detect --state-detect), or use a build with a GIL"));
        } else if (!"cpython".equalsIgnoreCase(py.implementation())) {
            checks.add(Check.fail("gil", py.implementation() + " is not CPython: it has no take_gil/drop_gil",
                    "use a CPython interpreter, or trace process states only (giltracer --no-gil-detect --state-detect)"));
        } else {
            checks.add(Check.ok("gil", "the build has a GIL"));
        }

        Optional<GilElf> gil;
        try {
            gil = Optional.of(locator.locate(py));
        } catch (IOException e) {
            checks.add(Check.fail("gil_elf", "cannot tell which file runs the interpreter: " + e.getMessage(),
                    "give the interpreter's real path with --python"));
            return DoctorReport.of(python, group, info, Optional.empty(), checks);
        }
        GilElf elf = gil.get();
        checks.add(Check.ok("gil_elf", "the interpreter's GIL code is in " + elf.file() + " (" + elf.how() + ")"));
        for (String note : elf.notes()) {
            checks.add(Check.warn("gil_elf", note, null));
        }
        checks.add(symbolsCheck(py, elf));
        if (elf.probeable() && perfVersion.isPresent()) {
            checks.add(probesCheck(fs, group, py, elf, root));
        } else {
            checks.add(Check.fail("probes", "no GIL probes can be placed until the checks above pass",
                    "fix the checks above, then: " + asRoot(root, setupCommand(py, group))));
        }
        return DoctorReport.of(python, group, info, gil, checks);
    }

    private Check privileges(boolean root) {
        OptionalInt paranoid = system.perfEventParanoid();
        String value = paranoid.isPresent() ? String.valueOf(paranoid.getAsInt()) : "unknown";
        if (root) {
            return Check.ok("privileges", "running as root: kernel.perf_event_paranoid (" + value + ") does not limit root");
        }
        if (paranoid.isPresent() && paranoid.getAsInt() <= -1) {
            return Check.warn("privileges", "not root; kernel.perf_event_paranoid=-1 lets users record tracepoints",
                    "if perf still refuses, run as root (sudo)");
        }
        return Check.fail("privileges", "not root, and kernel.perf_event_paranoid=" + value + " keeps users from tracepoints and uprobes",
                "run as root (sudo), or allow users: sudo sysctl -w kernel.perf_event_paranoid=-1");
    }

    private static Check tracefsCheck(Optional<TraceFs> fs, boolean root) {
        if (fs.isEmpty()) {
            return Check.fail("tracefs", "tracefs is not mounted (neither /sys/kernel/tracing nor /sys/kernel/debug/tracing)",
                    asRoot(root, String.join(" ", TraceFs.mountCommand())));
        }
        if (!fs.get().uprobeEventsReadable()) {
            return Check.fail("tracefs", "tracefs is mounted at " + fs.get().root() + " but " + fs.get().uprobeEvents() + " is not readable",
                    root ? "check the mount (mount | grep tracefs)" : "run as root (sudo)");
        }
        return Check.ok("tracefs", "mounted at " + fs.get().root() + ", uprobe_events readable");
    }

    private static String describe(String requested, PythonInfo py) {
        StringBuilder s = new StringBuilder();
        s.append(requested).append(" → ").append(py.executable()).append(" (")
                .append(py.implementation()).append(' ').append(py.version());
        Optional<Path> onPath = onPath(requested);
        if (onPath.isPresent() && !ElfFile.looksLikeElf(onPath.get())) {
            s.append(isPyenvShim(onPath.get()) ? ", via pyenv shim " : ", via script ").append(onPath.get());
        }
        if (py.sysExecutable() != null && !py.sysExecutable().equals(py.executable().toString())) {
            s.append(", sys.executable ").append(py.sysExecutable());
        }
        return s.append(')').toString();
    }

    private static boolean isPyenvShim(Path p) {
        return p.toString().contains("/.pyenv/shims/") || p.toString().contains("/pyenv/shims/");
    }

    /** Where a command name is found on PATH (the path itself for names with a slash). */
    public static Optional<Path> onPath(String command) {
        if (command.contains("/")) {
            return Optional.of(Path.of(command));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private Check symbolsCheck(PythonInfo py, GilElf elf) {
        if (elf.hasSymbols()) {
            Path where = elf.symbolsIn().orElse(elf.file());
            String in = where.equals(elf.file()) ? elf.symbolTable() + " of that file" : "the detached debug file " + where;
            return Check.ok("symbols", "symbols: take_gil and drop_gil found in " + in
                    + (elf.debugInfo() ? ", with DWARF debug info" : " (no DWARF: inlined copies will be missed)"));
        }
        if (elf.located().isPresent()) {
            StrippedGilLocator.Located l = elf.located().get();
            String notes = l.notes().isEmpty() ? "" : "; " + String.join("; ", l.notes());
            String how = "no take_gil/drop_gil symbols in " + elf.file() + "; " + elf.probeMethod() + ": " + l.describe() + notes;
            return l.inlined().isEmpty() && l.notes().isEmpty() ? Check.ok("symbols", how)
                    : Check.warn("symbols", how, "for the hand-over too, a build with symbols: " + symbolsFix(py, elf));
        }
        String summary = String.join(" and ", elf.missing()) + " not found in " + elf.file()
                + (elf.notLocated().isEmpty() ? "" : " nor located from PyEval_* (" + elf.notLocated() + ")")
                + (elf.variants().isEmpty() ? "" : " (only renamed copies: " + String.join(", ", elf.variants()) + ")")
                + (elf.buildId().map(id -> "; build-id " + id).orElse(""));
        return Check.fail("symbols", summary, symbolsFix(py, elf));
    }

    private String symbolsFix(PythonInfo py, GilElf elf) {
        String minor = py.version().replaceAll("^(\\d+\\.\\d+).*", "$1");
        if (py.version().startsWith("2.")) {
            return "Python 2 has no take_gil/drop_gil; use Python 3";
        }
        Optional<String> pkg = system.debianPackageOf(elf.file());
        if (pkg.isPresent()) {
            return "Debian ships " + elf.file() + " stripped: install python" + minor + "-dbg and trace python" + minor
                    + "d (a debug build with symbols; " + pkg.get() + " owns this file), or let perf fetch the symbols for"
                    + elf.buildId().map(id -> " build-id " + id).orElse(" it")
                    + " (export DEBUGINFOD_URLS=https://debuginfod.debian.net), or use a pyenv build (pyenv install "
                    + py.version() + ")";
        }
        return "this build has no symbols for them: use a build that keeps them (pyenv install " + py.version()
                + ", or your distribution's debug-symbol package for " + elf.file().getFileName() + ")";
    }

    private Check probesCheck(Optional<TraceFs> fs, String group, PythonInfo py, GilElf elf, boolean root) {
        String setup = asRoot(root, setupCommand(py, group));
        if (fs.isEmpty() || !fs.get().uprobeEventsReadable()) {
            return Check.fail("probes", "cannot list probes (tracefs not readable)", "fix tracefs, then: " + setup);
        }
        GilProbes probes = new GilProbes(perf, fs.get());
        List<UprobeDefinition> existing;
        String found = "";
        try {
            List<String> groupsHere = probes.groupsOn(elf.file(), group);
            if (!groupsHere.isEmpty() && !groupsHere.get(0).equals(group)) {
                found = "group '" + group + "' has none for this file, but group '" + groupsHere.get(0)
                        + "' has (giltracer and %%giltracer find it by themselves): ";
                group = groupsHere.get(0);
                setup = asRoot(root, setupCommand(py, group));
            }
            existing = probes.gilProbes(group);
            if (existing.isEmpty()) {
                return Check.fail("probes", "no GIL probes in group '" + group + "'", setup);
            }
            List<Path> elsewhere = existing.stream().map(UprobeDefinition::file).filter(f -> !samePath(f, elf.file())).distinct().toList();
            if (!elsewhere.isEmpty()) {
                String own = probes.ownGroupFor(py.version(), elf.file());
                String summary = "the GIL probes of group '" + group + "' point at " + elsewhere.get(0) + ", not at "
                        + elf.file() + " (they serve that file's interpreter: leave them)";
                String fix = asRoot(root, setupCommand(py, own)) + "  (a group of its own; giltracer and %%giltracer find it by themselves)";
                // root gets private probes for each run anyway: lasting ones only save their set-up time
                return root ? Check.warn("probes", summary + "; as root, giltracer and %%giltracer add private probes for each run", fix)
                        : Check.fail("probes", summary, fix);
            }
        } catch (IOException e) {
            return Check.fail("probes", "cannot read " + fs.get().uprobeEvents() + ": " + e.getMessage(), setup);
        }
        GilProbes.Plan plan = probes.plan(group, elf);
        if (plan.errors().isEmpty() && !GilProbes.sameProbes(existing, plan.definitions())) {
            return Check.fail("probes", "the GIL probes of group '" + group + "' do not match " + elf.file()
                    + " as it is now (rebuilt since they were added?)", setup + "  (replaces them)");
        }
        String names = existing.stream().map(UprobeDefinition::eventName).distinct().collect(Collectors.joining(", "));
        if (existing.stream().noneMatch(d -> d.event().startsWith("take_gil") && !d.returnProbe())
                || existing.stream().noneMatch(d -> d.event().startsWith("drop_gil") && !d.returnProbe())) {
            return Check.fail("probes", "group '" + group + "' lacks take_gil or drop_gil: " + names, setup);
        }
        String unavailable = plan.unavailable().isEmpty() ? "" : " (not possible here: " + String.join("; ", plan.unavailable()) + ")";
        List<String> withoutReturn = GilProbes.withoutReturn(existing, plan.places());
        if (!withoutReturn.isEmpty()) {
            return Check.warn("probes", found + names + " on " + elf.file() + unavailable + "; " + String.join("; ", withoutReturn), null);
        }
        return Check.ok("probes", found + names + " on " + elf.file() + unavailable);
    }

    static String setupCommand(PythonInfo py, String group) {
        return "per4m setup --python " + py.executable() + ("python".equals(group) ? "" : " --group " + group);
    }

    private static String asRoot(boolean root, String command) {
        return root ? command : "sudo " + command;
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.equals(b);
        }
    }
}
