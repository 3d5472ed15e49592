package io.per4m.perf.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Tells a perf.data file from perf script text by its first bytes. */
public final class PerfDataFiles {
    private static final byte[] MAGIC = "PERFILE2".getBytes(StandardCharsets.US_ASCII);

    private PerfDataFiles() {
    }

    /** True when {@code file} is a regular file starting with perf.data's magic. */
    public static boolean isPerfData(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }
}
