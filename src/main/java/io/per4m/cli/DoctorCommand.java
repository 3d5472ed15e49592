package io.per4m.cli;

import io.per4m.perf.setup.Doctor;
import io.per4m.perf.setup.DoctorReport;
import io.per4m.perf.setup.DoctorReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check everything GIL tracing needs for one Python interpreter, and say how to fix what is missing.",
                "Exit code 0 when ready for GIL tracing, 1 otherwise."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "${env:PER4M_PYTHON:-python3}",
            description = "Interpreter to check: a path, a venv's python or a name on PATH (pyenv shims are followed). Default: ${DEFAULT-VALUE}.")
    String python;

    @Option(names = "--group", paramLabel = "NAME", defaultValue = "python",
            description = "Probe group to look for. Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--json", description = "Print the findings as JSON.")
    boolean json;

    @Override
    public Integer call() {
        DoctorReport report = Doctor.forThisSystem().examine(python, group);
        spec.commandLine().getOut().print(json ? DoctorReportWriter.json(report) : DoctorReportWriter.text(report));
        spec.commandLine().getOut().flush();
        return report.ready() ? 0 : 1;
    }
}
