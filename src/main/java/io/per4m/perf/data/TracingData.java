package io.per4m.perf.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The tracepoint formats perf stores in a recording (its HEADER_TRACING_DATA feature): the tracefs
 * {@code format} text of every tracepoint recorded, uprobes included, keyed {@code system:name}.
 * Layout as perf's {@code trace-event-read.c} reads it: magic, version, endianness, long and page size, the header
 * files, the ftrace formats, then per system its event formats (kallsyms and printk formats follow, unused here).
 */
final class TracingData {
    private static final byte[] MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};

    private TracingData() {
    }

    static Map<String, TracepointFormat> formats(ByteBuffer section) {
        ByteBuffer b = section.slice().order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new PerfDataException("its tracing data does not start with perf's magic");
            }
        }
        string(b); // version
        if (b.get() != 0) {
            throw new PerfDataException("it was recorded on a big-endian machine");
        }
        b.get(); // sizeof(long)
        b.getInt(); // page size
        skipNamedFile(b, "header_page");
        skipNamedFile(b, "header_event");
        int ftraceFiles = b.getInt();
        for (int i = 0; i < ftraceFiles; i++) {
            skip(b, b.getLong());
        }
        Map<String, TracepointFormat> formats = new HashMap<>();
        int systems = b.getInt();
        for (int s = 0; s < systems; s++) {
            String system = string(b);
            int events = b.getInt();
            for (int e = 0; e < events; e++) {
                long size = b.getLong();
                byte[] text = new byte[Math.toIntExact(size)];
                b.get(text);
                TracepointFormat format = TracepointFormat.parse(system, new String(text, StandardCharsets.UTF_8));
                if (format.name() != null) {
                    formats.put(system + ":" + format.name(), format);
                }
            }
        }
        return formats;
    }

    private static void skipNamedFile(ByteBuffer b, String name) {
        String found = string(b);
        if (!found.equals(name)) {
            throw new PerfDataException("its tracing data has '" + found + "' where '" + name + "' belongs");
        }
        skip(b, b.getLong());
    }

    private static void skip(ByteBuffer b, long n) {
        b.position(Math.toIntExact(b.position() + n));
    }

    private static String string(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // to the NUL
        }
        byte[] bytes = new byte[b.position() - start - 1];
        b.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
