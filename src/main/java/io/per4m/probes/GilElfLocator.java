package io.per4m.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the ELF file that holds take_gil/drop_gil for an interpreter: the libpython it loads (resolved as ld.so
 * would, cross-checked with the interpreter's own /proc/self/maps) or else the executable, and whether it has
 * the symbols (in itself or in a detached debug file under /usr/lib/debug).
 */
public final class GilElfLocator {
    public static final List<String> GIL_FUNCTIONS = List.of("take_gil", "drop_gil");

    private final LibraryResolver resolver;
    private final List<Path> debugRoots;
    private final StrippedGilLocator stripped;
    private final LocatedCache locatedBefore;

    /** @param debugRoots directories searched for detached debug files, normally /usr/lib/debug */
    public GilElfLocator(LibraryResolver resolver, List<Path> debugRoots, StrippedGilLocator stripped,
                         LocatedCache locatedBefore) {
        this.resolver = resolver;
        this.debugRoots = List.copyOf(debugRoots);
        this.stripped = stripped;
        this.locatedBefore = locatedBefore;
    }

    public static GilElfLocator forThisSystem(CommandRunner runner) {
        return new GilElfLocator(LibraryResolver.forThisSystem(runner), List.of(Path.of("/usr/lib/debug")),
                new StrippedGilLocator(new Objdump("objdump")), LocatedCache.forThisUser());
    }

    public GilElf locate(PythonInfo python) throws IOException {
        List<String> notes = new ArrayList<>();
        ElfFile exe = ElfFile.open(python.executable());
        Optional<String> neededLib = exe.dynamicInfo().needed().stream().filter(n -> n.startsWith("libpython")).findFirst();
        Optional<LibraryResolver.Resolved> resolved = neededLib.isPresent() ? resolver.resolve(exe, neededLib.get()) : Optional.empty();
        Optional<Path> mapped = python.mappedLibpython();

        Path file;
        String how;
        if (neededLib.isPresent() && resolved.isPresent()) {
            file = resolved.get().file();
            how = neededLib.get() + " from DT_NEEDED via " + resolved.get().rule();
            if (mapped.isPresent() && mapped.get().equals(file)) {
                how += ", the file the interpreter maps";
            } else if (mapped.isPresent()) {
                notes.add("the loader rules point at " + file + " but the running interpreter mapped " + mapped.get()
                        + " (different environment?); using the mapped one");
                file = mapped.get();
                how = neededLib.get() + " as mapped by the interpreter (/proc/self/maps)";
            }
        } else if (mapped.isPresent()) {
            file = mapped.get();
            how = neededLib.map(n -> n + " as mapped by the interpreter (/proc/self/maps); the loader rules did not find it here")
                    .orElse("libpython as mapped by the interpreter (/proc/self/maps)");
        } else if (neededLib.isPresent()) {
            throw new IOException(python.executable() + " needs " + neededLib.get()
                    + " but neither the loader's search path nor the running interpreter show where it is");
        } else {
            file = python.executable();
            how = "the executable itself: libpython is linked in statically";
            if (python.enableShared()) {
                notes.add("sysconfig says Py_ENABLE_SHARED=1 (" + python.ldLibrary() + " in " + python.libDir()
                        + ") but " + python.executable() + " does not load it: that library is not what runs");
            }
        }
        ElfFile elf = file.equals(python.executable()) ? exe : ElfFile.open(file);
        return describe(file, how, elf, notes);
    }

    /** Symbol facts about one file (also used for a file given directly). */
    public GilElf describe(Path file, String how, ElfFile elf, List<String> notes) throws IOException {
        Set<String> wanted = new LinkedHashSet<>(GIL_FUNCTIONS);
        Map<String, List<ElfSymbol>> found = elf.functionSymbols(wanted);
        Optional<String> buildId = elf.buildId();
        Optional<Path> symbolsIn = Optional.empty();
        String table = "";
        boolean debugInfo = elf.hasDebugInfo();
        List<String> missing = GIL_FUNCTIONS.stream().filter(n -> !found.containsKey(n)).toList();
        if (missing.isEmpty()) {
            symbolsIn = Optional.of(file);
            table = found.get("take_gil").get(0).table();
        } else {
            for (Path debugFile : debugFileCandidates(file, elf, buildId)) {
                ElfFile dbg;
                try {
                    dbg = ElfFile.open(debugFile);
                } catch (ElfFormatException e) {
                    continue;
                }
                Map<String, List<ElfSymbol>> inDebug = dbg.functionSymbols(wanted);
                if (inDebug.keySet().containsAll(wanted)) {
                    symbolsIn = Optional.of(debugFile);
                    table = inDebug.get("take_gil").get(0).table();
                    debugInfo = dbg.hasDebugInfo();
                    missing = List.of();
                    break;
                }
            }
        }
        List<String> variants = new ArrayList<>();
        if (!missing.isEmpty()) {
            for (String name : missing) {
                variants.addAll(elf.functionNamesStartingWith(name + "."));
            }
        }
        Optional<StrippedGilLocator.Located> located = Optional.empty();
        String notLocated = "";
        if (!missing.isEmpty()) {
            List<String> why = new ArrayList<>();
            located = locatedBefore.get(file, buildId);
            if (located.isEmpty()) {
                try {
                    located = stripped.locate(file, elf, why);
                    located.ifPresent(l -> locatedBefore.put(file, buildId, l));
                } catch (IOException e) {
                    why.add(e.getMessage());
                }
            }
            notLocated = String.join("; ", why);
        }
        return new GilElf(file, how, symbolsIn, table, debugInfo, missing, variants, buildId, List.copyOf(notes), located, notLocated);
    }

    private List<Path> debugFileCandidates(Path file, ElfFile elf, Optional<String> buildId) {
        List<Path> out = new ArrayList<>();
        for (Path root : debugRoots) {
            buildId.filter(id -> id.length() > 2).ifPresent(id ->
                    out.add(root.resolve(".build-id").resolve(id.substring(0, 2)).resolve(id.substring(2) + ".debug")));
            elf.debugLink().ifPresent(link -> {
                Path dir = file.getParent();
                out.add(root.resolve(dir.toString().substring(1)).resolve(link));
            });
        }
        // where perf's debuginfod client caches what it fetched by build-id
        buildId.ifPresent(id -> out.add(Path.of(System.getProperty("user.home"), ".cache", "debuginfod_client", id, "debuginfo")));
        elf.debugLink().ifPresent(link -> {
            out.add(file.resolveSibling(link));
            out.add(file.resolveSibling(".debug").resolve(link));
        });
        return out.stream().filter(Files::isRegularFile).filter(p -> !p.equals(file)).toList();
    }
}
