package io.per4m.perf;

import io.per4m.matrix.Interpreters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the tests with real perf need: root, perf, the Python with symbols, and a private uprobe group. */
final class RealPerf {
    /** pyenv's newest 3.11 (found, not named: the tests run wherever pyenv has one). */
    private static final Interpreters.Interpreter INTERPRETER = Interpreters.pyenv("3.11");
    static final Path PYTHON = INTERPRETER.python().orElse(Path.of("python3.11"));
    static final Path LIBPYTHON = INTERPRETER.libpython().orElse(Path.of("libpython3.11.so.1.0"));

    private RealPerf() {
    }

    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for perf uprobes");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perf")), "needs perf at /usr/bin/perf");
        assumeTrue(INTERPRETER.python().isPresent() && INTERPRETER.libpython().isPresent(),
                "needs pyenv's 3.11 with a shared libpython: " + (INTERPRETER.absent().isEmpty() ? "it has none" : INTERPRETER.absent()));
    }

    /**
     * Adds take_gil/drop_gil entry and return probes in a fresh group; returns the group name.
     * perf 6.1's `perf probe` refuses an event name that exists in any group (the "python" group of `per4m setup` has
     * them) unless forced, and then numbers them; so the definitions come from `perf probe -D` and are written
     * to uprobe_events with the usual names.
     */
    static String addProbeGroup() throws IOException, InterruptedException {
        String group = "per4m_rec_" + UUID.randomUUID().toString().substring(0, 8);
        Path uprobeEvents = Path.of("/sys/kernel/tracing/uprobe_events");
        try {
            for (String function : List.of("take_gil", "drop_gil")) {
                String definition = run("perf", "probe", "-x", LIBPYTHON.toString(), "-D",
                        group + ":" + function + "=" + function).strip();
                String location = definition.substring(definition.indexOf(' ') + 1);
                Files.writeString(uprobeEvents, "p:" + group + "/" + function + " " + location + "\n",
                        StandardOpenOption.APPEND);
                Files.writeString(uprobeEvents, "r:" + group + "/" + function + "__return " + location + "\n",
                        StandardOpenOption.APPEND);
            }
        } catch (IOException | RuntimeException e) {
            removeProbeGroup(group);
            throw e;
        }
        return group;
    }

    /** Removes the group; retried, since the kernel refuses while a perf that recorded it is still exiting. */
    static void removeProbeGroup(String group) throws IOException, InterruptedException {
        if (group == null) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                run("perf", "probe", "-q", "-d", group + ":*");
                return;
            } catch (IOException busy) {
                if (attempt == 50) {
                    throw busy;
                }
                Thread.sleep(100);
            }
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
