package io.per4m.cli;

import io.per4m.UserError;
import io.per4m.files.OutputFile;
import io.per4m.jupyter.KernelProcess;
import io.per4m.jupyter.NotebookRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run-notebook", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
        "Execute a notebook's code cells in a fresh ipykernel (with per4m loaded) and save it with its outputs.",
        "Teachers use it to check workshop notebooks and to pre-render them."})
final class RunNotebookCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NOTEBOOK", description = "the .ipynb file to run")
    Path notebook;

    @Option(names = {"-o", "--output"}, description = "where to write the executed notebook (default: in place)")
    Path output;

    @Option(names = "--python", description = "the kernel's Python interpreter (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:PER4M_PYTHON:-python3}")
    String python;

    @Option(names = "--no-extension", description = "do not preload the per4m IPython extension")
    boolean noExtension;

    @Option(names = "--keep-going", description = "run the remaining cells after a cell fails")
    boolean keepGoing;

    @Option(names = "--cell-timeout", description = "seconds a cell may run (default: ${DEFAULT-VALUE})",
            defaultValue = "600")
    long cellTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(notebook)) {
            throw new UserError(notebook + ": no such notebook");
        }
        OutputFile.of(output == null ? notebook : output).check();
        NotebookRunner runner = new NotebookRunner(Duration.ofSeconds(cellTimeoutSeconds));
        var nb = runner.read(notebook);
        Path workDir = notebook.toAbsolutePath().getParent();
        List<String> args = noExtension ? List.of() : List.of("--ext=per4m.preload");
        NotebookRunner.Result result;
        try (KernelProcess kernel = KernelProcess.start(python, args, workDir, Duration.ofSeconds(60))) {
            result = runner.run(nb, kernel.client(), keepGoing);
        }
        runner.write(result.notebook(), output == null ? notebook : output);
        for (NotebookRunner.ExecutedCell cell : result.cells()) {
            if (cell.failed()) {
                System.err.println("run-notebook: code cell " + (cell.index() + 1) + " failed: "
                        + firstLine(cell.source()));
            }
        }
        System.out.println("run-notebook: " + result.cells().size() + " code cells run, "
                + result.cells().stream().filter(NotebookRunner.ExecutedCell::failed).count() + " failed");
        return result.ok() ? 0 : 1;
    }

    private static String firstLine(String source) {
        int newline = source.indexOf('\n');
        return newline < 0 ? source : source.substring(0, newline) + " …";
    }
}
