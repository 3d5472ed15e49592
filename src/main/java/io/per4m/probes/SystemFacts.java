package io.per4m.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Facts about this machine and process that decide what setup can do. */
public class SystemFacts {
    private final CommandRunner runner;

    public SystemFacts(CommandRunner runner) {
        this.runner = runner;
    }

    /** Effective uid 0, read from /proc/self/status. */
    public boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0");
                }
            }
        } catch (IOException ignored) {
            // treated as not root
        }
        return false;
    }

    /** kernel.perf_event_paranoid, if readable. */
    public OptionalInt perfEventParanoid() {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public boolean hasAptGet() {
        return Files.isExecutable(Path.of("/usr/bin/apt-get"));
    }

    /** The Debian package that owns a file ({@code dpkg -S}), if any. */
    public Optional<String> debianPackageOf(Path file) {
        if (!Files.isExecutable(Path.of("/usr/bin/dpkg"))) {
            return Optional.empty();
        }
        CommandRunner.Result r = runner.run(List.of("dpkg", "-S", file.toString()), Duration.ofSeconds(20));
        if (!r.ok()) {
            return Optional.empty();
        }
        return r.stdout().lines()
                .filter(l -> !l.startsWith("diversion"))
                .map(l -> l.substring(0, Math.max(0, l.indexOf(':'))).strip())
                .filter(s -> !s.isEmpty())
                .findFirst();
    }

    /** The command that installs perf here. */
    public String installPerfCommand() {
        return hasAptGet() ? "apt-get install -y linux-perf" : "install perf (package linux-perf, linux-tools-common or perf)";
    }

    public CommandRunner runner() {
        return runner;
    }
}
