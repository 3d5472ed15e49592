package io.per4m.cli;

import io.per4m.files.OutputFile;
import io.per4m.files.TempFolder;
import io.per4m.lifetime.RunLifeline;
import io.per4m.lifetime.StaleRuns;
import io.per4m.probes.ProbeLease;
import io.per4m.probes.TraceFs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a giltracer run owns beyond its own process: its temp folder, watched by a {@link RunLifeline} so that the
 * folder, the run's processes, its partial outputs and its private probes go even if giltracer is killed. Starting
 * one first removes what killed runs left ({@link StaleRuns}).
 */
final class RunScope implements AutoCloseable {
    private final RunLifeline lifeline;
    private final TempFolder folder;

    private RunScope(RunLifeline lifeline, TempFolder folder) {
        this.lifeline = lifeline;
        this.folder = folder;
    }

    /** @param outputs the files the run writes (their partial files are watched too) */
    static RunScope start(List<Path> outputs) throws IOException {
        StaleRuns.forThisSystem().clean();
        RunLifeline lifeline = RunLifeline.watch(TraceFs.locate().orElse(new TraceFs(TraceFs.DEFAULT_MOUNT)).uprobeEvents());
        try {
            TempFolder folder = TempFolder.create(null, "giltracer");
            RunScope scope = new RunScope(lifeline, folder);
            lifeline.removesFolder(folder.path());
            for (Path file : outputs) {
                lifeline.removesPartials(OutputFile.of(file).partialPrefix());
            }
            return scope;
        } catch (IOException | RuntimeException e) {
            lifeline.close();
            throw e;
        }
    }

    Path workDir() {
        return folder.path();
    }

    /** For the environment of the run's processes: how the watcher finds them. */
    Map<String, String> environment() {
        return lifeline.environment();
    }

    /** Private probes of the run (none when {@code probes} is null or setup's) are removed should giltracer be killed. */
    void watch(ProbeLease probes) throws IOException {
        if (probes != null && probes.temporary()) {
            lifeline.removesProbes(probes.group());
        }
    }

    /**
     * Removes the folder. Should something still be writing into it (the report's warm-up, on a machine too busy for
     * it to have finished), the folder outlives that attempt: the lifeline then stays on watch, and removes the
     * folder once this process has exited and nothing writes any more.
     */
    @Override
    public void close() {
        folder.close();
        if (!Files.exists(folder.path(), LinkOption.NOFOLLOW_LINKS)) {
            lifeline.close();
        }
    }
}
