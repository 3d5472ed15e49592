package io.per4m.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The long options this machine's {@code perf record} knows ({@code perf record --list-opts}, about 25 ms), asked
 * in the background while the recorder gets ready, so that options which only skip work are passed where perf has
 * them and left out where it has not.
 */
final class RecordOptionSupport {
    /**
     * Options that make perf start or stop quicker without changing what it records for us: without
     * {@code --no-bpf-event}, perf 6.1 spends about 0.9 s at start synthesizing events for every BPF program loaded.
     */
    static final List<String> QUICK_START = List.of("--no-bpf-event");

    private static final long WAIT_MS = 5_000;

    private final CompletableFuture<Set<String>> known;

    private RecordOptionSupport(CompletableFuture<Set<String>> known) {
        this.known = known;
    }

    /** Starts asking {@code perf}. */
    static RecordOptionSupport ask(String perf) {
        return new RecordOptionSupport(CompletableFuture.supplyAsync(() -> list(perf)));
    }

    /** A fixed answer (for tests). */
    static RecordOptionSupport of(Set<String> known) {
        return new RecordOptionSupport(CompletableFuture.completedFuture(known));
    }

    /** Those of {@link #QUICK_START} this perf knows; none when it could not be asked. */
    List<String> quickStartOptions() {
        Set<String> options;
        try {
            options = known.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        }
        return QUICK_START.stream().filter(options::contains).toList();
    }

    private static Set<String> list(String perf) {
        try {
            Process p = new ProcessBuilder(perf, "record", "--list-opts").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Set.of();
            }
            return parse(out);
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    /** {@code --list-opts} prints the long options on one line, separated by spaces. */
    static Set<String> parse(String listOpts) {
        return Arrays.stream(listOpts.split("\\s+")).filter(o -> o.startsWith("--")).collect(Collectors.toSet());
    }
}
