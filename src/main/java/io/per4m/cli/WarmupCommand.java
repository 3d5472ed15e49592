package io.per4m.cli;

import io.per4m.files.FileTrees;
import io.per4m.session.ReportWarmup;
import picocli.CommandLine.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs the bundled warm-up conversion once and exits: the training run that
 * {@code java -XX:ArchiveClassesAtExit=target/per4m.jsa -jar target/per4m.jar warmup} turns into the class-data
 * archive the launchers use (scripts/bootstrap.sh makes it).
 */
@Command(name = "warmup", hidden = true, description = "Convert the bundled recording once (for the class-data archive).")
final class WarmupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("per4m-warmup-");
        try (ReportWarmup warmup = ReportWarmup.start(dir)) {
            warmup.await(60_000);
        } finally {
            FileTrees.deleteQuietly(dir);
        }
        return 0;
    }
}
