package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.files.OutputFile;
import io.per4m.report.ReportData;
import io.per4m.report.ReportWriter;
import io.per4m.report.TraceJsonReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Write a self-contained HTML report (summary table and GIL timeline) of a trace JSON.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE.json", description = "trace written by giltracer or perf2trace (viztracer events may be merged in)")
    Path trace;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "HTML file to write (default: TRACE with .html)")
    Path output;

    @Option(names = "--notebook-html", paramLabel = "FILE",
            description = "also write the fragment a notebook cell displays (its figures, the report with a bounded timeline in a sandboxed iframe, links to the files relative to FILE's folder)")
    Path notebookHtml;

    @Option(names = "--quiet", description = "print nothing on success")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (Files.isDirectory(trace)) {
            throw new UserError(trace + " is a folder: give the trace JSON in it (giltracer and perf2trace write "
                    + "NAME.json)");
        }
        if (!Files.isRegularFile(trace)) {
            throw new UserError("trace file not found: " + trace);
        }
        Path out = output != null ? output : defaultOutput(trace);
        OutputFile.of(out).check();
        if (notebookHtml != null) {
            OutputFile.of(notebookHtml).check();
        }
        ReportWriter writer = new ReportWriter();
        ReportData data = TraceJsonReader.read(trace);
        writer.write(data, trace, out);
        if (notebookHtml != null) {
            Path base = notebookHtml.toAbsolutePath().getParent();
            // links relative to the notebook's folder, as the magic makes them
            String fragment = writer.inline(data, trace, href(base, out), href(base, trace));
            OutputFile.of(notebookHtml).write(text -> text.write(fragment));
        }
        if (!quiet && !OutputFile.isStdout(out)) {
            System.out.printf("per4m report: %s (%d threads, %d events, %.1f KB)%n", out, data.threads().size(),
                    data.eventCount(), Files.size(out) / 1024.0);
        }
        return 0;
    }

    private static String href(Path folder, Path file) {
        return folder.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }

    private static Path defaultOutput(Path trace) {
        String name = trace.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return trace.resolveSibling(base + ".html");
    }
}
