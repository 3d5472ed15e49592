package io.per4m.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds the file a DT_NEEDED name of an executable resolves to, in the order glibc's ld.so searches:
 * a name with a slash as is; DT_RPATH (only when there is no DT_RUNPATH); LD_LIBRARY_PATH; DT_RUNPATH;
 * the ld.so cache; the default directories. $ORIGIN expands to the executable's directory.
 * Candidates of another ELF class or machine are skipped, as ld.so does.
 */
public final class LibraryResolver {
    /** Where a library was found and by which rule (e.g. "RUNPATH", "ld.so.cache"). */
    public record Resolved(Path file, String rule) {
    }

    /** One line of {@code ldconfig -p}. */
    public record CacheEntry(String soname, Path file) {
    }

    private final String ldLibraryPath;
    private final Supplier<List<CacheEntry>> ldCache;

    public LibraryResolver(String ldLibraryPathOrNull, Supplier<List<CacheEntry>> ldCache) {
        this.ldLibraryPath = ldLibraryPathOrNull == null ? "" : ldLibraryPathOrNull;
        this.ldCache = ldCache;
    }

    /** Resolver with this process's LD_LIBRARY_PATH and the system's ld.so cache. */
    public static LibraryResolver forThisSystem(CommandRunner runner) {
        return new LibraryResolver(System.getenv("LD_LIBRARY_PATH"), () -> systemLdCache(runner));
    }

    public Optional<Resolved> resolve(ElfFile executable, String needed) throws IOException {
        Path origin = executable.path().toRealPath().getParent();
        if (needed.contains("/")) {
            Path p = origin.resolve(needed);
            return Files.isRegularFile(p) ? Optional.of(new Resolved(p.toRealPath(), "path in DT_NEEDED")) : Optional.empty();
        }
        ElfFile.DynamicInfo dyn = executable.dynamicInfo();
        List<Optional<Resolved>> searches = new ArrayList<>();
        if (dyn.runpath().isEmpty()) {
            searches.add(searchDirs(dyn.rpath(), origin, needed, executable, "RPATH"));
        }
        searches.add(searchDirs(List.of(ldLibraryPath.split("[:;]")), origin, needed, executable, "LD_LIBRARY_PATH"));
        searches.add(searchDirs(dyn.runpath(), origin, needed, executable, "RUNPATH"));
        for (Optional<Resolved> r : searches) {
            if (r.isPresent()) {
                return r;
            }
        }
        for (CacheEntry e : ldCache.get()) {
            if (e.soname().equals(needed) && compatible(e.file(), executable)) {
                return Optional.of(new Resolved(e.file().toRealPath(), "ld.so.cache"));
            }
        }
        return searchDirs(defaultDirs(executable), origin, needed, executable, "default directories");
    }

    private Optional<Resolved> searchDirs(List<String> dirs, Path origin, String needed, ElfFile executable, String rule)
            throws IOException {
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            String expanded = dir.replace("${ORIGIN}", origin.toString()).replace("$ORIGIN", origin.toString());
            Path candidate = Path.of(expanded).resolve(needed);
            if (Files.isRegularFile(candidate) && compatible(candidate, executable)) {
                return Optional.of(new Resolved(candidate.toRealPath(), rule));
            }
        }
        return Optional.empty();
    }

    private static boolean compatible(Path candidate, ElfFile executable) {
        if (!ElfFile.looksLikeElf(candidate)) {
            return false;
        }
        try {
            return ElfFile.open(candidate).machine() == executable.machine();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> defaultDirs(ElfFile executable) {
        String triple = switch (executable.machine()) {
            case 62 -> "x86_64-linux-gnu";
            case 183 -> "aarch64-linux-gnu";
            default -> null;
        };
        List<String> dirs = new ArrayList<>();
        if (triple != null) {
            dirs.add("/lib/" + triple);
            dirs.add("/usr/lib/" + triple);
        }
        dirs.addAll(List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib"));
        return dirs;
    }

    /** Parses {@code ldconfig -p}; an empty list when ldconfig is not available. */
    public static List<CacheEntry> systemLdCache(CommandRunner runner) {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            if (ldconfig.startsWith("/") && !Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            CommandRunner.Result r = runner.run(List.of(ldconfig, "-p"), Duration.ofSeconds(20));
            if (r.ok()) {
                return parseLdconfig(r.stdout());
            }
        }
        return List.of();
    }

    static List<CacheEntry> parseLdconfig(String text) {
        List<CacheEntry> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            int arrow = line.indexOf(" => ");
            int paren = line.indexOf(" (");
            if (arrow < 0 || paren < 0 || paren > arrow) {
                continue;
            }
            out.add(new CacheEntry(line.substring(0, paren).strip(), Path.of(line.substring(arrow + 4).strip())));
        }
        return out;
    }
}
