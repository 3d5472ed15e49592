package io.per4m.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code per4m <command>}. */
@Command(name = "per4m", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The Python GIL, exposed: perf + viztracer analysis.",
        subcommands = {
                Perf2TraceCommand.class,
                GiltracerCommand.class,
                ReportCommand.class,
                OffGilCommand.class,
                RunNotebookCommand.class,
                DoctorCommand.class,
                SetupCommand.class,
                WarmupCommand.class,
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new OneLineErrors());
        // everything after the script or -m MODULE belongs to the traced program
        cli.getSubcommands().get("giltracer").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        return cli.execute(args);
    }
}
