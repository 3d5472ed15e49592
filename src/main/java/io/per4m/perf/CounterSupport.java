package io.per4m.perf;

import io.per4m.UserError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds out which counters perf can count on this machine (a VM often has no hardware counters),
 * with one quick {@code perf stat -x,} run (about 25 ms).
 */
public final class CounterSupport {
    private final String perf;

    public CounterSupport(String perf) {
        this.perf = perf;
    }

    /** @param supported counters to record @param unsupported counters perf knows but cannot count here */
    public record Result(List<String> supported, List<String> unsupported) {
        /** One line for the user, or null when every counter is supported. */
        public String note() {
            if (unsupported.isEmpty()) {
                return null;
            }
            return "counter" + (unsupported.size() > 1 ? "s " : " ") + String.join(", ", unsupported)
                    + " not supported on this machine (hardware counters are often missing in VMs): skipped";
        }
    }

    public Result check(List<String> counters) throws IOException {
        if (counters == null || counters.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        StatRun run = stat(counters);
        if (run.exitCode != 0) {
            for (String counter : counters) {
                if (stat(List.of(counter)).exitCode != 0) {
                    throw new UserError("unknown counter '" + counter + "': see `perf list sw` for the names");
                }
            }
            throw new IOException("perf stat failed: " + run.output.strip());
        }
        List<String> supported = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (String counter : counters) {
            (run.unsupported(counter) ? unsupported : supported).add(counter);
        }
        return new Result(List.copyOf(supported), List.copyOf(unsupported));
    }

    private record StatRun(int exitCode, String output) {
        boolean unsupported(String counter) {
            for (String line : output.split("\n")) {
                String[] fields = line.split(",", -1);
                if (fields.length > 2 && fields[2].equals(counter)) {
                    return fields[0].contains("not supported") || fields[0].contains("not counted");
                }
            }
            return true;
        }
    }

    private StatRun stat(List<String> counters) throws IOException {
        Process p = new ProcessBuilder(perf, "stat", "-x,", "-e", String.join(",", counters), "--", "true")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("perf stat did not finish");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new StatRun(p.exitValue(), out);
    }
}
