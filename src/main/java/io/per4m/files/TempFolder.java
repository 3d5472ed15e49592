package io.per4m.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private temp folder of one run, {@code per4m-KIND-PID-RANDOM}: deleted when closed, when the JVM shuts down
 * (SIGTERM, SIGINT, SIGHUP), and, after a SIGKILL, by the next run, which can tell from the pid in its name that
 * its owner is gone (see {@link io.per4m.lifetime.StaleRuns}).
 */
public final class TempFolder implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("per4m-[a-z]+-(\\d+)-.+");

    private final Path path;
    private final Thread cleanup;

    private TempFolder(Path path) {
        this.path = path;
        this.cleanup = new Thread(() -> FileTrees.deleteQuietly(path), "per4m-temp-folder-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** A new folder under {@code parent} (the system temp dir when null) for a {@code kind} of work, e.g. "giltracer". */
    public static TempFolder create(Path parent, String kind) throws IOException {
        String prefix = "per4m-" + kind + "-" + ProcessHandle.current().pid() + "-";
        return new TempFolder(parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix));
    }

    /** The pid of the process that made a folder of this name, if it is one. */
    public static OptionalLong ownerOf(String folderName) {
        Matcher m = NAME.matcher(folderName);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // no pid has that many digits
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        FileTrees.deleteQuietly(path);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
