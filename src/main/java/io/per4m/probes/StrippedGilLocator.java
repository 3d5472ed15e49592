package io.per4m.probes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds take_gil and the points where the GIL is released in an interpreter without take_gil/drop_gil symbols,
 * from the exported API around them (.dynsym) and their code.
 *
 * <p>take_gil is the function that {@code PyEval_RestoreThread} and {@code PyEval_AcquireThread} both reach
 * first (directly, or on 3.13 through {@code _PyThreadState_Attach}) that contains take_gil's mark: the store of 1
 * to {@code gil->locked} followed by {@code COND_SIGNAL(gil->switch_cond)}. drop_gil is marked by the store of 0 to
 * {@code gil->locked} followed by {@code COND_SIGNAL(gil->cond)}: a function with that mark reached from
 * {@code PyEval_SaveThread}, {@code PyEval_ReleaseThread} or {@code PyEval_ReleaseLock} is drop_gil (probed at its
 * entry and return); a mark inside one of those API functions means drop_gil was inlined, and then every store of
 * 0 to the same absolute address in the file is a release point, probed at that instruction with its "return" at
 * the next one (the hand-over after it, waiting for the next holder, is not seen there).
 */
public final class StrippedGilLocator {
    private static final List<String> TAKERS = List.of("PyEval_RestoreThread", "PyEval_AcquireThread");
    private static final List<String> DROPPERS = List.of("PyEval_SaveThread", "PyEval_ReleaseThread", "PyEval_ReleaseLock");
    /** How deep to follow direct calls from an API function (3.13: RestoreThread → _PyThreadState_Attach → _PyEval_AcquireLock → take_gil). */
    private static final int MAX_DEPTH = 3;
    /** How many instructions may separate the store from its COND_SIGNAL. */
    private static final int SIGNAL_WITHIN = 16;

    /** The part of a probe method that says some releases are inlined stores, where the hand-over is not seen. */
    private static final String INLINED_RELEASE_STORES = "inlined-release-stores";

    private final Objdump objdump;

    /** Whether probes placed by {@code method} (a {@link Located#method()}, or "symbols") leave the hand-over unmeasured. */
    public static boolean handoverNotMeasured(String method) {
        return method.contains(INLINED_RELEASE_STORES);
    }

    public StrippedGilLocator(Objdump objdump) {
        this.objdump = objdump;
    }

    /**
     * One release point inlined into other code: the store of 0 to {@code gil->locked}.
     *
     * @param address the store's virtual address
     * @param next    the next instruction's virtual address (the "return" of that drop)
     */
    public record InlinedRelease(long address, long next) {
    }

    /**
     * Where the GIL is taken and released, by virtual address.
     *
     * @param takeGil        take_gil's entry
     * @param dropGil        drop_gil's entry, for each out-of-line copy found
     * @param inlined        release points inlined elsewhere (empty when drop_gil is never inlined into the API)
     * @param lockedAddress  the absolute address of {@code gil->locked}, when the code names it
     * @param notes          what was seen but could not be probed (an inlined copy reached through a pointer)
     */
    public record Located(long takeGil, List<Long> dropGil, List<InlinedRelease> inlined, OptionalLong lockedAddress,
                          List<String> notes) {
        /** "located:take_gil+drop_gil", "located:take_gil+inlined-release-stores", or both. */
        public String method() {
            return "located:take_gil" + (dropGil.isEmpty() ? "" : "+drop_gil") + (inlined.isEmpty() ? "" : "+" + INLINED_RELEASE_STORES);
        }

        /** One line for doctor and setup. */
        public String describe() {
            StringBuilder s = new StringBuilder("take_gil at 0x").append(Long.toHexString(takeGil));
            if (!dropGil.isEmpty()) {
                s.append(", drop_gil at ").append(String.join(", ", dropGil.stream().map(a -> "0x" + Long.toHexString(a)).toList()));
            }
            if (!inlined.isEmpty()) {
                s.append(", ").append(inlined.size()).append(" inlined release store").append(inlined.size() == 1 ? "" : "s")
                        .append(lockedAddress.isPresent() ? " of gil->locked at 0x" + Long.toHexString(lockedAddress.getAsLong()) : "")
                        .append(" (there the hand-over is not measured)");
            }
            return s.toString();
        }
    }

    /** The store of {@code gil->locked} that marks take_gil (value 1) or drop_gil (value 0). */
    private record Mark(Instruction store) {
        OptionalLong absolute() {
            return store.ripRelative() ? store.target() : OptionalLong.empty();
        }
    }

    /**
     * @return the places, or empty with {@code why} holding the reason when they cannot be found
     */
    public Optional<Located> locate(Path file, ElfFile elf, List<String> why) throws IOException {
        if (elf.machine() != 62 /* EM_X86_64 */) {
            why.add("only x86-64 code can be searched for take_gil/drop_gil");
            return Optional.empty();
        }
        Map<String, List<ElfSymbol>> api = elf.functionSymbols(Stream.concat(TAKERS.stream(), DROPPERS.stream()).collect(Collectors.toSet()));
        Map<Long, Long> sizes = new HashMap<>();
        Map<String, ElfSymbol> exported = new HashMap<>();
        api.forEach((name, list) -> list.stream().filter(s -> s.table().equals(".dynsym")).findFirst().ifPresent(s -> {
            exported.put(name, s);
            sizes.put(s.value(), s.size());
        }));
        Map<Long, List<Instruction>> code = new HashMap<>();

        Long take = null;
        for (String taker : TAKERS) {
            ElfSymbol s = exported.get(taker);
            if (s == null) {
                why.add(taker + " is not exported");
                return Optional.empty();
            }
            Optional<Long> found = firstMarked(file, s.value(), 1, sizes, code);
            if (found.isEmpty()) {
                why.add("no function reached from " + taker + " stores 1 to the GIL's lock and signals");
                return Optional.empty();
            }
            if (take != null && !take.equals(found.get())) {
                why.add(TAKERS.get(0) + " and " + taker + " reach different take_gil candidates (0x" + Long.toHexString(take)
                        + ", 0x" + Long.toHexString(found.get()) + ")");
                return Optional.empty();
            }
            take = found.get();
        }
        Mark taken = mark(code.get(take), 1).orElseThrow();

        Set<Long> dropFunctions = new LinkedHashSet<>();
        Mark inlineMark = null;
        String inlinedInto = null;
        for (String dropper : DROPPERS) {
            ElfSymbol s = exported.get(dropper);
            if (s == null) {
                continue;
            }
            Optional<Long> found = firstMarked(file, s.value(), 0, sizes, code);
            if (found.isEmpty()) {
                continue;
            }
            Mark released = mark(code.get(found.get()), 0).orElseThrow();
            if (!sameWord(taken, released)) {
                continue;
            }
            if (found.get() == s.value()) {
                if (inlineMark == null || inlineMark.absolute().isEmpty()) {
                    inlineMark = released;
                    inlinedInto = dropper;
                }
            } else {
                dropFunctions.add(found.get());
            }
        }
        if (dropFunctions.isEmpty() && inlineMark == null) {
            why.add("take_gil found at 0x" + Long.toHexString(take) + ", but no release of the GIL reached from "
                    + String.join(", ", DROPPERS));
            return Optional.empty();
        }
        OptionalLong locked = taken.absolute().isPresent() ? taken.absolute() : OptionalLong.empty();
        List<InlinedRelease> inlined = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (inlineMark != null && inlineMark.absolute().isEmpty()) {
            String pointer = "drop_gil is inlined into " + inlinedInto + " and reaches the GIL through a pointer: its"
                    + " inlined copies cannot be found without symbols";
            if (dropFunctions.isEmpty()) {
                why.add(pointer);
                return Optional.empty();
            }
            notes.add(pointer + " (releases there are not seen; the next take ends such a hold)");
        } else if (inlineMark != null) {
            long word = inlineMark.absolute().getAsLong();
            locked = OptionalLong.of(word);
            for (Objdump.Hit hit : objdump.find(file, in -> in.ripRelative() && in.target().getAsLong() == word
                    && in.storeOf(0) != null)) {
                inlined.add(new InlinedRelease(hit.instruction().address(), hit.next()));
            }
        }
        return Optional.of(new Located(take, List.copyOf(dropFunctions), List.copyOf(inlined), locked, List.copyOf(notes)));
    }

    /** Both stores name the same word, as far as the code tells: equal absolute addresses, or either through a pointer. */
    private static boolean sameWord(Mark a, Mark b) {
        return a.absolute().isEmpty() || b.absolute().isEmpty() || a.absolute().getAsLong() == b.absolute().getAsLong();
    }

    /** A function reached from an API function through {@code depth} direct calls or jumps. */
    private record Reached(long start, int depth) {
    }

    /** Breadth first through direct calls and jumps from {@code root}: the first function with the mark. */
    private Optional<Long> firstMarked(Path file, long root, int value, Map<Long, Long> sizes, Map<Long, List<Instruction>> code)
            throws IOException {
        Deque<Reached> queue = new ArrayDeque<>();
        Set<Long> seen = new LinkedHashSet<>();
        queue.add(new Reached(root, 0));
        seen.add(root);
        while (!queue.isEmpty()) {
            Reached next = queue.poll();
            long start = next.start();
            List<Instruction> body = code.get(start);
            if (body == null) {
                body = objdump.function(file, start, sizes.getOrDefault(start, 0L));
                code.put(start, body);
            }
            if (mark(body, value).isPresent()) {
                return Optional.of(start);
            }
            if (next.depth() == MAX_DEPTH) {
                continue;
            }
            for (Instruction in : body) {
                if (in.isDirectBranch() && !in.name().endsWith("@plt")) {
                    long t = in.target().getAsLong();
                    boolean inside = t >= start && t <= body.get(body.size() - 1).address();
                    if ((in.isCall() || in.isUnconditionalJump()) && !inside && seen.add(t)) {
                        queue.add(new Reached(t, next.depth() + 1));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The store of {@code value} closest before a call of pthread_cond_signal, with no other call between. */
    private static Optional<Mark> mark(List<Instruction> body, int value) {
        Mark best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).storeOf(value) == null) {
                continue;
            }
            for (int j = i + 1; j < body.size() && j <= i + SIGNAL_WITHIN; j++) {
                Instruction in = body.get(j);
                if (in.isCall() || in.isReturn()) {
                    if (in.name().startsWith("pthread_cond_signal") && j - i < bestDistance) {
                        best = new Mark(body.get(i));
                        bestDistance = j - i;
                    }
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
