package io.per4m.probes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where GIL probe points sit in their ELF file: at the start of take_gil/drop_gil itself, at the start of a copy the
 * compiler made of it (take_gil.constprop.0, drop_gil.isra.0), or inside another function it was inlined into.
 */
public final class ProbePlaces {
    /** @param function the function covering the point; empty without symbols */
    private record Place(String probedFunction, Optional<String> function, boolean atStart) {
    }

    private final Map<Long, Place> byOffset;
    /** Places found without symbols, described by what was found there. */
    private final Map<Long, String> named;

    private ProbePlaces(Map<Long, Place> byOffset, Map<Long, String> named) {
        this.byOffset = Map.copyOf(byOffset);
        this.named = Map.copyOf(named);
    }

    public static ProbePlaces none() {
        return new ProbePlaces(Map.of(), Map.of());
    }

    /** Places found without symbols (StrippedGilLocator), each with its description, by file offset. */
    public static ProbePlaces named(Map<Long, String> descriptions) {
        return new ProbePlaces(Map.of(), descriptions);
    }

    /** Looks each definition's offset up in the file's symbol tables; an unreadable file gives places unknown. */
    public static ProbePlaces of(Path elfFile, List<UprobeDefinition> defs) {
        Map<Long, Place> out = new HashMap<>();
        try {
            ElfFile elf = ElfFile.open(elfFile);
            for (UprobeDefinition d : defs) {
                if (out.containsKey(d.offset())) {
                    continue;
                }
                Optional<ElfSymbol> covering = elf.functionCovering(d.offset());
                boolean atStart = covering.isPresent() && elf.fileOffsetOfSymbol(covering.get()) == d.offset();
                out.put(d.offset(), new Place(d.event().replaceAll("(__return)?(_\\d+)?$", ""),
                        covering.map(ElfSymbol::name), atStart));
            }
        } catch (IOException e) {
            return none();
        }
        return new ProbePlaces(out, Map.of());
    }

    /** The copy's symbol when the point is the start of a copy of the probed function (take_gil.constprop.0). */
    public Optional<String> copyAt(long offset) {
        Place p = byOffset.get(offset);
        if (p == null || !p.atStart() || p.function().isEmpty()) {
            return Optional.empty();
        }
        String name = p.function().get();
        return name.startsWith(p.probedFunction() + ".") ? Optional.of(name) : Optional.empty();
    }

    /** "take_gil", "copy take_gil.constprop.0", "inlined into PyEval_ReleaseLock", or "place unknown". */
    public String describe(long offset) {
        if (named.containsKey(offset)) {
            return named.get(offset);
        }
        Place p = byOffset.get(offset);
        if (p == null || p.function().isEmpty()) {
            return "place unknown";
        }
        String name = p.function().get();
        if (p.atStart() && name.equals(p.probedFunction())) {
            return name;
        }
        if (p.atStart() && name.startsWith(p.probedFunction() + ".")) {
            return "copy " + name;
        }
        return "inlined into " + name;
    }
}
