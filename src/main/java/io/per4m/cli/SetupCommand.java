package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.probes.Setup;
import io.per4m.probes.SetupStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "setup", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Make this machine ready for GIL tracing (as root): install perf, mount tracefs, add the four GIL",
                "uprobes (take_gil, take_gil__return, drop_gil, drop_gil__return) for the interpreter's ELF file.",
                "Running it again changes nothing. Without root it prints the commands to run.",
                "kernel.perf_event_paranoid is left alone (it does not limit root) unless --allow-users."})
final class SetupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InterpreterOptions target;

    @Option(names = "--remove", description = "Remove the probes this command added in the group (and only those).")
    boolean remove;

    @Option(names = "--replace", description = "Without --group: move the default group to this interpreter even when"
            + " it serves another one (whose probes then go).")
    boolean replace;

    @Option(names = "--allow-users", description = "Also let non-root users trace: kernel.perf_event_paranoid=-1.")
    boolean allowUsers;

    @Option(names = "--state", paramLabel = "FILE", hidden = true,
            description = "Where to record what was added (default /var/lib/per4m/probes.json).")
    Path stateFile;

    @Override
    public Integer call() throws IOException {
        if (!target.group.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new UserError("--group must be letters, digits and _ (not starting with a digit), got '" + target.group + "'");
        }
        Setup setup = Setup.forThisSystem(stateFile);
        PrintWriter out = spec.commandLine().getOut();
        List<SetupStep> steps;
        if (!setup.isRoot()) {
            out.println("not root: nothing changed. Run:");
            steps = remove
                    ? List.of(new SetupStep(SetupStep.Status.TODO, "remove the probes per4m setup added",
                    "sudo per4m setup --remove" + ("python".equals(target.group) ? "" : " --group " + target.group)))
                    : setup.commandsForRoot(target.python, target.group, allowUsers);
        } else {
            // an unnamed group is the default one, which another interpreter may rely on: never moved silently
            boolean groupNamed = spec.commandLine().getParseResult().hasMatchedOption("--group");
            steps = remove ? setup.remove(target.group) : setup.apply(target.python, target.group, allowUsers, !groupNamed && !replace);
        }
        for (SetupStep s : steps) {
            if (s.status() == SetupStep.Status.TODO) {
                out.println("  " + s.command() + "    # " + s.what());
                continue;
            }
            out.println(mark(s.status()) + " " + s.what());
            if (s.command() != null) {
                out.println("    run: " + s.command());
            }
        }
        boolean changed = steps.stream().anyMatch(s -> s.status() == SetupStep.Status.DONE);
        boolean failed = steps.stream().anyMatch(s -> s.status() == SetupStep.Status.FAILED || s.status() == SetupStep.Status.TODO);
        if (setup.isRoot() && !failed) {
            out.println(changed ? "done" : remove ? "nothing removed" : "nothing to do: already set up");
        }
        out.flush();
        return failed ? 1 : 0;
    }

    private static String mark(SetupStep.Status status) {
        return switch (status) {
            case DONE -> "+";
            case UNCHANGED -> "✓";
            case SKIPPED -> "-";
            case FAILED -> "✗";
            case TODO -> " ";
        };
    }
}
