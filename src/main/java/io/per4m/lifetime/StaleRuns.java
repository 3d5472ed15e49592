package io.per4m.lifetime;

import io.per4m.files.FileTrees;
import io.per4m.files.TempFolder;
import io.per4m.probes.TraceFs;
import io.per4m.probes.UprobeDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what runs killed beyond any cleanup left behind: temp folders {@code per4m-KIND-PID-*} and private probe
 * groups {@code per4m_PID} whose process is gone. Anything of a live process, and every other folder and group, is
 * left alone.
 */
public final class StaleRuns {
    private static final Pattern PRIVATE_GROUP = Pattern.compile("per4m_(\\d+)");

    private final Path tempRoot;
    private final TraceFs tracefs;
    private final LongPredicate alive;

    /**
     * @param tracefs null when there is none (or it cannot be read)
     * @param alive   whether a pid belongs to a running process
     */
    public StaleRuns(Path tempRoot, TraceFs tracefs, LongPredicate alive) {
        this.tempRoot = tempRoot;
        this.tracefs = tracefs;
        this.alive = alive;
    }

    public static StaleRuns forThisSystem() {
        TraceFs fs;
        try {
            fs = TraceFs.locate().filter(TraceFs::uprobeEventsReadable).orElse(null);
        } catch (IOException e) {
            fs = null;
        }
        return new StaleRuns(Path.of(System.getProperty("java.io.tmpdir")), fs,
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** What was removed. */
    public record Removed(List<Path> folders, List<String> probeGroups) {
    }

    /** Removes what it can; what it cannot (no permission, a probe still in use) stays for a later run. */
    public Removed clean() {
        return new Removed(cleanFolders(), cleanProbes());
    }

    private List<Path> cleanFolders() {
        List<Path> removed = new ArrayList<>();
        List<Path> candidates;
        try (Stream<Path> list = Files.list(tempRoot)) {
            candidates = list.filter(p -> isStale(TempFolder.ownerOf(p.getFileName().toString()))).toList();
        } catch (IOException e) {
            return removed;
        }
        for (Path folder : candidates) {
            if (Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try {
                    FileTrees.delete(folder);
                    removed.add(folder);
                } catch (IOException e) {
                    // not ours to remove (another user's), or busy: a later run tries again
                }
            }
        }
        return removed;
    }

    private List<String> cleanProbes() {
        List<String> removed = new ArrayList<>();
        if (tracefs == null) {
            return removed;
        }
        Map<String, Set<String>> stale = new LinkedHashMap<>();
        try {
            for (UprobeDefinition probe : tracefs.uprobes()) {
                Matcher m = PRIVATE_GROUP.matcher(probe.group());
                if (m.matches() && isStale(OptionalLong.of(Long.parseLong(m.group(1))))) {
                    stale.computeIfAbsent(probe.group(), g -> new LinkedHashSet<>()).add(probe.event());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return removed;
        }
        stale.forEach((group, events) -> {
            try {
                for (String event : events) {
                    tracefs.append("-:" + group + "/" + event);
                }
                removed.add(group);
            } catch (IOException e) {
                // still in use by a perf that outlived its run, or not root: a later run tries again
            }
        });
        return removed;
    }

    private boolean isStale(OptionalLong owner) {
        return owner.isPresent() && owner.getAsLong() != ProcessHandle.current().pid() && !alive.test(owner.getAsLong());
    }
}
