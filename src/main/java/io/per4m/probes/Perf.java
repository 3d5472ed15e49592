package io.per4m.probes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parts of the perf tool that setup uses. */
public final class Perf {
    private final String perf;
    private final CommandRunner runner;

    public Perf(String perfCommand, CommandRunner runner) {
        this.perf = perfCommand;
        this.runner = runner;
    }

    public String command() {
        return perf;
    }

    /** "perf version 6.1.187", or empty when perf cannot run. */
    public Optional<String> version() {
        CommandRunner.Result r = runner.run(List.of(perf, "--version"), Duration.ofSeconds(20));
        return r.ok() ? r.stdout().lines().findFirst().map(String::strip) : Optional.empty();
    }

    /**
     * What perf would add for {@code GROUP:EVENT=FUNCTION[%return]} in {@code elf}, without adding it
     * ({@code perf probe -D}): one definition per probe point (inlined copies give several).
     *
     * @return the definitions, or the reason perf gives (e.g. "take_gil is an inlined function and has no return point")
     */
    public Definitions define(Path elf, String group, String event, String function, boolean atReturn) {
        String spec = group + ":" + event + "=" + function + (atReturn ? "%return" : "");
        CommandRunner.Result r = runner.run(List.of(perf, "probe", "-x", elf.toString(), "-D", spec), Duration.ofSeconds(120));
        List<UprobeDefinition> defs = new ArrayList<>();
        r.stdout().lines().forEach(l -> UprobeDefinition.parse(l).ifPresent(defs::add));
        if (r.ok() && !defs.isEmpty()) {
            return new Definitions(spec, defs, Optional.empty(), false);
        }
        String all = (r.stderr() + "\n" + r.stdout()).replaceAll("\\s+", " ").strip();
        boolean noReturnPoint = all.contains("has no return point");
        String reason = noReturnPoint
                ? function + " is only inlined here and has no return point"
                : (all.isEmpty() ? "perf probe exit code " + r.exitCode() : all);
        return new Definitions(spec, List.of(), Optional.of(reason), noReturnPoint);
    }

    /**
     * @param spec          the probe spec given to perf
     * @param definitions   the uprobe lines perf computed
     * @param failure       why there are none
     * @param noReturnPoint true when the only failure is an inlined function without return point (not an error)
     */
    public record Definitions(String spec, List<UprobeDefinition> definitions, Optional<String> failure, boolean noReturnPoint) {
    }
}
