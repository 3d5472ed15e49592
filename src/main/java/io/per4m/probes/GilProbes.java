package io.per4m.probes;

import io.per4m.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Adds and removes the four GIL uprobes (GROUP:take_gil, GROUP:take_gil__return, GROUP:drop_gil,
 * GROUP:drop_gil__return) for one ELF file.
 *
 * <p>perf computes the probe points ({@code perf probe -D}: DWARF, inlined copies, %return) and this class writes
 * them to tracefs uprobe_events itself, because perf 6.1 refuses an event name that exists in any other group
 * ("event take_gil already exists" while python:take_gil exists), and its -f renames the event to take_gil_1.
 * Writing directly keeps the plain names in every group. An inlined copy becomes a second probe point of the same
 * event (kernel multi-probe events); on kernels that refuse that, it gets a numbered name like take_gil_1.
 */
public final class GilProbes {
    /** The group per4m setup adds when none is named, and giltracer and the magic record by default. */
    public static final String DEFAULT_GROUP = "python";

    /** The probe specs: event name, function, at return. */
    private record Spec(String event, String function, boolean atReturn) {
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("take_gil", "take_gil", false),
            new Spec("take_gil__return", "take_gil", true),
            new Spec("drop_gil", "drop_gil", false),
            new Spec("drop_gil__return", "drop_gil", true));
    private static final Pattern GIL_EVENT = Pattern.compile("(take_gil|drop_gil)(__return)?(_\\d+)?");
    /** Groups of probes that live for one run (ProbeLease) or one test. */
    public static final String PRIVATE_PREFIX = "per4m_";
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Perf perf;
    private final TraceFs tracefs;

    public GilProbes(Perf perf, TraceFs tracefs) {
        this.perf = perf;
        this.tracefs = tracefs;
    }

    /**
     * The result of {@link #add}.
     *
     * @param added       definitions written now (event names may repeat for inlined copies)
     * @param replaced    GIL events of the group removed first because they pointed elsewhere
     * @param unchanged   true when the group already had exactly these probes: nothing was written
     * @param unavailable specs perf could not place, with the reason (e.g. %return of an inlined-only function)
     * @param places      where each probe point sits (the function, a compiler's copy of it, or inlined into another)
     */
    public record Change(String group, Path file, List<UprobeDefinition> added, List<String> replaced, boolean unchanged,
                         List<String> unavailable, List<UprobeDefinition> present, ProbePlaces places, String method) {
        /** Entry points with no return probe at the same place, each named with where it sits. */
        public List<String> entriesWithoutReturn() {
            return withoutReturn(present, places);
        }

        /** Distinct "GROUP:EVENT" names that exist for this file after the change. */
        public List<String> eventNames() {
            return present.stream().map(UprobeDefinition::eventName).distinct().toList();
        }
    }

    /** What perf would add for the file, without touching the kernel. */
    public Plan plan(String group, Path elfFile) {
        return plan(group, elfFile, Optional.empty());
    }

    /** The probes for an interpreter's GIL file: by symbol (perf), or where the locator found the code without them. */
    public Plan plan(String group, GilElf elf) {
        return plan(group, elf.file(), elf.hasSymbols() ? Optional.empty() : elf.located());
    }

    private Plan plan(String group, Path elfFile, Optional<StrippedGilLocator.Located> located) {
        checkGroup(group);
        if (located.isPresent()) {
            return located(group, elfFile, located.get());
        }
        List<UprobeDefinition> defs = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Spec spec : SPECS) {
            // perf names a %return probe EVENT__return itself
            Perf.Definitions d = perf.define(elfFile, group, spec.function(), spec.function(), spec.atReturn());
            if (!d.definitions().isEmpty()) {
                defs.addAll(d.definitions());
            } else if (d.noReturnPoint()) {
                unavailable.add(group + ":" + spec.event() + ": " + d.failure().orElse(""));
            } else {
                errors.add(d.spec() + ": " + d.failure().orElse("no probe point"));
            }
        }
        ProbePlaces places = ProbePlaces.of(elfFile, defs);
        defs.addAll(copyReturns(group, elfFile, defs, places));
        return new Plan(group, elfFile, List.copyOf(defs), List.copyOf(unavailable), List.copyOf(errors), places, SYMBOLS);
    }

    /** What {@link Plan#method} says for probes placed by symbol. */
    public static final String SYMBOLS = "symbols";

    /**
     * Probes at the located addresses: take_gil and each out-of-line drop_gil at entry and return; an inlined release
     * store is a drop_gil whose "return" is the next instruction, so a hold ends there as it does at drop_gil's entry.
     */
    private static Plan located(String group, Path elfFile, StrippedGilLocator.Located at) {
        List<UprobeDefinition> defs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<Long, String> places = new HashMap<>();
        try {
            ElfFile elf = ElfFile.open(elfFile);
            long take = elf.fileOffsetOfAddress(at.takeGil());
            defs.add(new UprobeDefinition(false, group, "take_gil", elfFile, take));
            defs.add(new UprobeDefinition(true, group, "take_gil__return", elfFile, take));
            places.put(take, "take_gil located at 0x" + Long.toHexString(at.takeGil()));
            for (long drop : at.dropGil()) {
                long offset = elf.fileOffsetOfAddress(drop);
                defs.add(new UprobeDefinition(false, group, "drop_gil", elfFile, offset));
                defs.add(new UprobeDefinition(true, group, "drop_gil__return", elfFile, offset));
                places.put(offset, "drop_gil located at 0x" + Long.toHexString(drop));
            }
            for (StrippedGilLocator.InlinedRelease r : at.inlined()) {
                long offset = elf.fileOffsetOfAddress(r.address());
                defs.add(new UprobeDefinition(false, group, "drop_gil", elfFile, offset));
                defs.add(new UprobeDefinition(false, group, "drop_gil__return", elfFile, elf.fileOffsetOfAddress(r.next())));
                places.put(offset, "inlined release store at 0x" + Long.toHexString(r.address()));
            }
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        return new Plan(group, elfFile, List.copyOf(defs), List.of(), List.copyOf(errors), ProbePlaces.named(places), at.method());
    }

    /**
     * Return probes for the compiler's copies of take_gil/drop_gil (take_gil.constprop.0, .isra.N): perf puts the
     * entry probe on every copy but FUNCTION%return only on the original, so a thread that takes the GIL through
     * a copy would never be seen to get it. Each copy's return joins the event FUNCTION__return.
     */
    private List<UprobeDefinition> copyReturns(String group, Path elfFile, List<UprobeDefinition> defs, ProbePlaces places) {
        List<UprobeDefinition> out = new ArrayList<>();
        for (UprobeDefinition entry : defs) {
            Optional<String> copy = places.copyAt(entry.offset());
            if (entry.returnProbe() || copy.isEmpty() || hasReturnAt(defs, entry)) {
                continue;
            }
            Perf.Definitions d = perf.define(elfFile, group, entry.event(), copy.get(), true);
            d.definitions().stream().filter(r -> r.offset() == entry.offset()).forEach(out::add);
        }
        return out;
    }

    private static boolean hasReturnAt(List<UprobeDefinition> defs, UprobeDefinition entry) {
        return defs.stream().anyMatch(d -> d.returnProbe() && d.offset() == entry.offset()
                && d.event().equals(entry.event() + "__return"));
    }

    /** Probe points perf computed; {@code errors} non-empty means the file cannot be probed. */
    public record Plan(String group, Path file, List<UprobeDefinition> definitions, List<String> unavailable, List<String> errors,
                       ProbePlaces places, String method) {
        public boolean hasEntryProbes() {
            return definitions.stream().anyMatch(d -> d.event().equals("take_gil"))
                    && definitions.stream().anyMatch(d -> d.event().equals("drop_gil"));
        }

        /** Entry points with no return probe at the same place, each named with where it sits. */
        public List<String> entriesWithoutReturn() {
            return withoutReturn(definitions, places);
        }
    }

    /**
     * Entry points of {@code defs} with no return probe at the same offset (nor, for a located release store, an
     * EVENT__return probe at a following instruction), named by their place.
     */
    public static List<String> withoutReturn(List<UprobeDefinition> defs, ProbePlaces places) {
        return defs.stream()
                .filter(d -> !d.returnProbe() && !d.event().contains("__return"))
                .filter(d -> defs.stream().noneMatch(r -> r.returnProbe() && r.offset() == d.offset()))
                .filter(d -> defs.stream().noneMatch(r -> !r.returnProbe() && r.event().startsWith(d.event().replaceAll("_\\d+$", "") + "__return")
                        && r.offset() > d.offset() && r.offset() <= d.offset() + 15))
                .map(d -> d.eventName() + " at 0x" + Long.toHexString(d.offset()) + " (" + places.describe(d.offset())
                        + ") has no return probe")
                .toList();
    }

    /**
     * Makes the group hold exactly the GIL probes for {@code elfFile}. Idempotent: when they are there already,
     * nothing is written. GIL events of the group that point elsewhere are replaced; other events of the group stay.
     */
    public Change add(String group, Path elfFile) throws IOException {
        return add(plan(group, elfFile), planned -> { });
    }

    /** {@link #add(String, Path)} for an interpreter's GIL file, placed by symbol or where the locator found the code. */
    public Change add(String group, GilElf elf, BeforeWriting beforeWriting) throws IOException {
        return add(plan(group, elf), beforeWriting);
    }

    /** What must happen before probes are written (setup records them, so that a failure leaves none it forgot). */
    @FunctionalInterface
    public interface BeforeWriting {
        void accept(List<UprobeDefinition> planned) throws IOException;
    }

    /** {@link #add(String, Path)}, telling {@code beforeWriting} what it is about to write first. */
    public Change add(String group, Path elfFile, BeforeWriting beforeWriting) throws IOException {
        return add(plan(group, elfFile), beforeWriting);
    }

    private Change add(Plan plan, BeforeWriting beforeWriting) throws IOException {
        String group = plan.group();
        Path elfFile = plan.file();
        if (!plan.errors().isEmpty() || !plan.hasEntryProbes()) {
            throw new IOException("cannot place GIL probes in " + elfFile + ": "
                    + (plan.errors().isEmpty() ? "no take_gil/drop_gil probe points" : String.join("; ", plan.errors())));
        }
        List<UprobeDefinition> existing = gilProbes(group);
        if (sameProbes(existing, plan.definitions())) {
            return new Change(group, elfFile, List.of(), List.of(), true, plan.unavailable(), existing, plan.places(), plan.method());
        }
        beforeWriting.accept(plan.definitions());
        List<String> replaced = existing.isEmpty() ? List.of() : removeEvents(group, eventsOf(existing));
        List<UprobeDefinition> written = new ArrayList<>();
        try {
            for (UprobeDefinition def : plan.definitions()) {
                written.add(write(def, written));
            }
        } catch (IOException e) {
            removeQuietly(group, eventsOf(written));
            throw e;
        }
        List<UprobeDefinition> present = gilProbes(group);
        Set<String> missing = new LinkedHashSet<>(eventsOf(written));
        missing.removeAll(eventsOf(present));
        if (!missing.isEmpty()) {
            throw new IOException("probes written but not listed by the kernel afterwards: " + missing);
        }
        return new Change(group, elfFile, List.copyOf(written), replaced, false, plan.unavailable(), present, plan.places(), plan.method());
    }

    private UprobeDefinition write(UprobeDefinition def, List<UprobeDefinition> writtenSoFar) throws IOException {
        boolean extraPoint = writtenSoFar.stream().anyMatch(w -> w.event().equals(def.event()));
        try {
            tracefs.append(def.line());
            return def;
        } catch (IOException e) {
            if (!extraPoint) {
                throw e;
            }
        }
        // This kernel has no multi-probe events: give the inlined copy its own numbered event, as older perf did.
        Set<String> taken = new HashSet<>(eventsOf(tracefs.uprobes().stream().filter(u -> u.group().equals(def.group())).toList()));
        for (int n = 1; n < 100; n++) {
            UprobeDefinition numbered = def.withEvent(def.event() + "_" + n);
            if (!taken.contains(numbered.event())) {
                tracefs.append(numbered.line());
                return numbered;
            }
        }
        throw new IOException("no free event name for " + def.line());
    }

    /**
     * Removes the GIL events of {@code group} (those pointing at {@code elfFile} when given). Other groups and
     * non-GIL events of the group are never touched.
     *
     * @return the removed "GROUP:EVENT" names
     */
    public List<String> remove(String group, Optional<Path> elfFile) throws IOException {
        checkGroup(group);
        List<UprobeDefinition> mine = gilProbes(group).stream()
                .filter(u -> elfFile.isEmpty() || samePath(u.file(), elfFile.get()))
                .toList();
        return removeEvents(group, eventsOf(mine));
    }

    /** Removes exactly these events of the group (all their probe points); missing ones are skipped. */
    public List<String> removeEvents(String group, Collection<String> events) throws IOException {
        checkGroup(group);
        Set<String> present = new HashSet<>(eventsOf(tracefs.uprobes().stream().filter(u -> u.group().equals(group)).toList()));
        List<String> removed = new ArrayList<>();
        for (String event : new LinkedHashSet<>(events)) {
            if (!present.contains(event)) {
                continue;
            }
            try {
                tracefs.append("-:" + group + "/" + event);
            } catch (IOException e) {
                String busy = e.getMessage() != null && e.getMessage().contains("busy")
                        ? " (a running perf uses it: stop that first)" : "";
                throw new IOException("cannot remove " + group + ":" + event + busy + ": " + e.getMessage(), e);
            }
            removed.add(group + ":" + event);
        }
        return removed;
    }

    private void removeQuietly(String group, Collection<String> events) {
        try {
            removeEvents(group, events);
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }

    /**
     * Groups whose GIL probes are placed on {@code elfFile} (take_gil, take_gil__return and drop_gil all there),
     * {@code preferred} first when it is one of them: several interpreters can have lasting probes side by side,
     * each in a group of its own.
     */
    public List<String> groupsOn(Path elfFile, String preferred) throws IOException {
        Set<String> complete = new LinkedHashSet<>();
        List<UprobeDefinition> all = tracefs.uprobes();
        // per4m_* groups are other runs' private probes (and tests'): they go when that run ends
        for (String group : all.stream().map(UprobeDefinition::group).distinct().sorted()
                .filter(g -> g.equals(preferred) || !g.startsWith(PRIVATE_PREFIX)).toList()) {
            Set<String> events = new HashSet<>();
            for (UprobeDefinition u : all) {
                if (u.group().equals(group) && GIL_EVENT.matcher(u.event()).matches() && samePath(u.file(), elfFile)) {
                    events.add(u.event().replaceAll("_\\d+$", ""));
                }
            }
            if (events.containsAll(List.of("take_gil", "take_gil__return", "drop_gil"))) {
                complete.add(group);
            }
        }
        List<String> out = new ArrayList<>();
        if (complete.remove(preferred)) {
            out.add(preferred);
        }
        out.addAll(complete);
        return out;
    }

    /**
     * A group name for an interpreter's own lasting probes that takes no other file's: "python3_12", or
     * "python3_12_2"... when that one points elsewhere.
     */
    public String ownGroupFor(String version, Path elfFile) throws IOException {
        String base = "python" + version.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2");
        List<UprobeDefinition> all = tracefs.uprobes();
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? base : base + "_" + n;
            boolean elsewhere = all.stream().anyMatch(u -> u.group().equals(candidate) && !samePath(u.file(), elfFile));
            if (!elsewhere) {
                return candidate;
            }
        }
    }

    /** The group's GIL probes now in the kernel. */
    public List<UprobeDefinition> gilProbes(String group) throws IOException {
        return tracefs.uprobes().stream()
                .filter(u -> u.group().equals(group) && GIL_EVENT.matcher(u.event()).matches())
                .toList();
    }

    /** True when both lists place the same kind of probe at the same points (numbered copies count as their base event). */
    public static boolean sameProbes(List<UprobeDefinition> existing, List<UprobeDefinition> wanted) {
        return existing.size() == wanted.size() && keys(existing).equals(keys(wanted));
    }

    private static Set<String> keys(List<UprobeDefinition> defs) {
        Set<String> out = new HashSet<>();
        for (UprobeDefinition d : defs) {
            out.add(d.returnProbe() + " " + d.event().replaceAll("_\\d+$", "") + " " + real(d.file()) + " " + d.offset());
        }
        return out;
    }

    /** The same file, symbolic links resolved. */
    static boolean samePath(Path a, Path b) {
        return real(a).equals(real(b));
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static List<String> eventsOf(List<UprobeDefinition> defs) {
        return defs.stream().map(UprobeDefinition::event).distinct().toList();
    }

    private static void checkGroup(String group) {
        if (!GROUP_NAME.matcher(group).matches()) {
            throw new io.per4m.UserError("probe group '" + group + "' must be letters, digits and _ (not starting with a digit)");
        }
    }
}
