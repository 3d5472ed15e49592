package io.per4m.probes;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kernel's tracing file system: where it is mounted and its uprobe_events file. */
public final class TraceFs {
    public static final Path DEFAULT_MOUNT = Path.of("/sys/kernel/tracing");
    private static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

    private final Path root;

    public TraceFs(Path root) {
        this.root = root;
    }

    /** The mounted tracefs (either place), from /proc/mounts; empty when none is mounted. */
    public static Optional<TraceFs> locate() throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[2].equals("tracefs")) {
                mounts.add(Path.of(f[1].replace("\\040", " ")));
            }
        }
        for (Path preferred : List.of(DEFAULT_MOUNT, DEBUGFS_TRACING)) {
            if (mounts.contains(preferred)) {
                return Optional.of(new TraceFs(preferred));
            }
        }
        return mounts.stream().findFirst().map(TraceFs::new);
    }

    /** The command that mounts tracefs where perf looks first. */
    public static List<String> mountCommand() {
        return List.of("mount", "-t", "tracefs", "nodev", DEFAULT_MOUNT.toString());
    }

    public Path root() {
        return root;
    }

    public Path uprobeEvents() {
        return root.resolve("uprobe_events");
    }

    public boolean uprobeEventsReadable() {
        return Files.isReadable(uprobeEvents());
    }

    /** All uprobes the kernel has now (every group). */
    public List<UprobeDefinition> uprobes() throws IOException {
        List<UprobeDefinition> out = new ArrayList<>();
        for (String line : Files.readAllLines(uprobeEvents())) {
            UprobeDefinition.parse(line).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Appends one command line to uprobe_events. Opening that file with O_TRUNC would delete every uprobe
     * of every user, so it is only ever opened for appending, one write per line.
     */
    public void append(String line) throws IOException {
        try (OutputStream out = new FileOutputStream(uprobeEvents().toFile(), true)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("the kernel refused '" + line + "' in " + uprobeEvents() + ": " + e.getMessage(), e);
        }
    }
}
