package io.per4m.matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPython interpreters the tests run against, found on this machine rather than named: pyenv's 3.8 to 3.13
 * (the newest patch release of each) and the distribution's /usr/bin/python3.11. Each absent one says why.
 */
public final class Interpreters {
    public static final List<String> PYENV_MINORS = List.of("3.8", "3.9", "3.10", "3.11", "3.12", "3.13");
    public static final Path SYSTEM_311 = Path.of("/usr/bin/python3.11");

    /**
     * @param label     e.g. "pyenv 3.12" or "system 3.11"
     * @param python    the interpreter, when present
     * @param libpython its shared libpython, when it has one next to it (pyenv builds with --enable-shared)
     * @param absent    why it is not there
     */
    public record Interpreter(String label, Optional<Path> python, Optional<Path> libpython, String absent) {
        @Override
        public String toString() {
            return label;
        }
    }

    private Interpreters() {
    }

    /** Where pyenv keeps its versions: $PYENV_ROOT, else ~/.pyenv. */
    public static Path pyenvVersions() {
        String root = System.getenv("PYENV_ROOT");
        return (root == null || root.isBlank() ? Path.of(System.getProperty("user.home"), ".pyenv") : Path.of(root)).resolve("versions");
    }

    public static List<Interpreter> all() {
        List<Interpreter> out = new ArrayList<>();
        for (String minor : PYENV_MINORS) {
            out.add(pyenv(minor));
        }
        out.add(Files.isExecutable(SYSTEM_311)
                ? new Interpreter("system 3.11", Optional.of(SYSTEM_311), Optional.empty(), "")
                : new Interpreter("system 3.11", Optional.empty(), Optional.empty(), SYSTEM_311 + " is not installed"));
        return out;
    }

    /** The newest pyenv release of {@code minor} ("3.12"), or why there is none. */
    public static Interpreter pyenv(String minor) {
        Path versions = pyenvVersions();
        String label = "pyenv " + minor;
        if (!Files.isDirectory(versions)) {
            return new Interpreter(label, Optional.empty(), Optional.empty(), "no pyenv versions at " + versions);
        }
        List<Path> found;
        try (Stream<Path> dirs = Files.list(versions)) {
            found = dirs.filter(d -> d.getFileName().toString().matches("\\Q" + minor + "\\E\\.\\d+"))
                    .filter(d -> Files.isExecutable(d.resolve("bin/python" + minor)))
                    .sorted(Comparator.comparingInt(Interpreters::patch).reversed())
                    .toList();
        } catch (IOException e) {
            return new Interpreter(label, Optional.empty(), Optional.empty(), "cannot list " + versions + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            return new Interpreter(label, Optional.empty(), Optional.empty(), "pyenv has no " + minor + ".x in " + versions);
        }
        Path dir = found.get(0);
        Path lib = dir.resolve("lib/libpython" + minor + ".so.1.0");
        return new Interpreter("pyenv " + dir.getFileName(), Optional.of(dir.resolve("bin/python" + minor)),
                Files.exists(lib) ? Optional.of(lib) : Optional.empty(), "");
    }

    private static int patch(Path versionDir) {
        String name = versionDir.getFileName().toString();
        return Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
    }
}
