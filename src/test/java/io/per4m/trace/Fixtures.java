package io.per4m.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The recordings under src/test/resources/fixtures/. */
final class Fixtures {
    static final String MERGE_PERF = "trace_merge_perf.txt.gz";
    static final String MERGE_VIZTRACER = "trace_merge_viztracer.json";
    static final int PID = 3538;
    static final int WORKER_0 = 3540;
    static final int WORKER_1 = 3541;

    private Fixtures() {
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixture " + name + " missing", e);
        }
    }

    static boolean exists(String name) {
        return Fixtures.class.getResource("/fixtures/" + name) != null;
    }

    static InputStream open(String name) throws IOException {
        InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name);
        if (in == null) {
            throw new IllegalStateException("fixture " + name + " missing");
        }
        return name.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    static byte[] bytes(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8).lines().toList();
    }
}
