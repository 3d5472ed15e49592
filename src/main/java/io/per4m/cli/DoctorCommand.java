package io.per4m.cli;

import io.per4m.probes.Doctor;
import io.per4m.probes.DoctorReport;
import io.per4m.probes.DoctorReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check everything GIL tracing needs for one Python interpreter, and say how to fix what is missing.",
                "Exit code 0 when ready for GIL tracing, 1 otherwise."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InterpreterOptions target;

    @Option(names = "--json", description = "Print the findings as JSON.")
    boolean json;

    @Override
    public Integer call() {
        DoctorReport report = Doctor.forThisSystem().examine(target.python, target.group);
        spec.commandLine().getOut().print(json ? DoctorReportWriter.json(report) : DoctorReportWriter.text(report));
        spec.commandLine().getOut().flush();
        return report.ready() ? 0 : 1;
    }
}
