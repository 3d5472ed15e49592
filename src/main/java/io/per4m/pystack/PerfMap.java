package io.per4m.pystack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's {@code /tmp/perf-PID.map}, as CPython 3.12+ writes it with its perf trampolines active: one line per
 * code object, {@code START SIZE py::QUALNAME:FILE} (hex), START being the code object's trampoline.
 */
public final class PerfMap {
    private static final String PYTHON_PREFIX = "py::";

    /** One trampoline: where it lies and the Python function it stands for. */
    record Entry(long start, long size, String function) {
    }

    private final TreeMap<Long, Entry> entries;

    private PerfMap(TreeMap<Long, Entry> entries) {
        this.entries = entries;
    }

    /** The map of process {@code pid} in {@code dir} (normally /tmp); empty when it has none. */
    static Path file(Path dir, int pid) {
        return dir.resolve("perf-" + pid + ".map");
    }

    static PerfMap read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new PerfMap(new TreeMap<>());
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static PerfMap parse(String text) {
        TreeMap<Long, Entry> entries = new TreeMap<>();
        // a line without its newline may be cut short (the program still writes the map): it is not read
        String complete = text.substring(0, text.lastIndexOf('\n') + 1);
        for (String line : complete.split("\n")) {
            String[] fields = line.split(" ", 3);
            if (fields.length < 3 || !fields[2].startsWith(PYTHON_PREFIX)) {
                continue;
            }
            try {
                long start = Long.parseUnsignedLong(fields[0], 16);
                long size = Long.parseUnsignedLong(fields[1], 16);
                entries.put(start, new Entry(start, size, function(fields[2].substring(PYTHON_PREFIX.length()))));
            } catch (NumberFormatException notAnEntry) {
                // not a line CPython writes
            }
        }
        return new PerfMap(entries);
    }

    /** {@code QUALNAME:FILE} as viztracer names a call: {@code QUALNAME (FILE)}; a qualname has no colon. */
    private static String function(String nameAndFile) {
        int colon = nameAndFile.indexOf(':');
        return colon < 0 ? nameAndFile : nameAndFile.substring(0, colon) + " (" + nameAndFile.substring(colon + 1) + ")";
    }

    /**
     * The function whose trampoline {@code address} returns into, or null. A return address lies after the
     * trampoline's call instruction, never at its first byte (where a stored pointer to the trampoline would).
     */
    String returnInto(long address) {
        Map.Entry<Long, Entry> floor = entries.floorEntry(address);
        if (floor == null) {
            return null;
        }
        Entry e = floor.getValue();
        return address > e.start() && address - e.start() < e.size() ? e.function() : null;
    }

    int size() {
        return entries.size();
    }
}
