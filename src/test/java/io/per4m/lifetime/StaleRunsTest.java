package io.per4m.lifetime;

import io.per4m.files.TempFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class StaleRunsTest {
    @TempDir
    Path tmp;

    @Test
    void onlyFoldersOfGoneProcessesAreRemoved() throws IOException {
        Path gone = Files.createDirectories(tmp.resolve("per4m-giltracer-111-abc").resolve("per4m-perf-111-x"));
        Path goneRecorder = Files.createDirectories(tmp.resolve("per4m-perf-112-def"));
        Path alive = Files.createDirectories(tmp.resolve("per4m-giltracer-222-abc"));
        Path unnumbered = Files.createDirectories(tmp.resolve("per4m-giltracer-3940423058461111716"));
        Path other = Files.createDirectories(tmp.resolve("per4m-kernel-abc"));
        Path notOurs = Files.createDirectories(tmp.resolve("something-111-abc"));
        StaleRuns.Removed removed = new StaleRuns(tmp, null, Set.of(222L)::contains).clean();
        assertEquals(Set.of(gone.getParent(), goneRecorder), Set.copyOf(removed.folders()));
        assertFalse(Files.exists(gone.getParent()));
        for (Path kept : List.of(alive, unnumbered, other, notOurs)) {
            assertTrue(Files.isDirectory(kept), kept.toString());
        }
        assertEquals(List.of(), removed.probeGroups());
    }

    @Test
    void aFolderOfThisProcessStays() throws IOException {
        try (TempFolder mine = TempFolder.create(tmp, "giltracer")) {
            new StaleRuns(tmp, null, pid -> false).clean();
            assertTrue(Files.isDirectory(mine.path()));
        }
    }

    @Test
    void theOwnerIsReadFromTheName() throws IOException {
        assertEquals(OptionalLong.of(42), TempFolder.ownerOf("per4m-giltracer-42-1234"));
        assertEquals(OptionalLong.empty(), TempFolder.ownerOf("per4m-giltracer-1234"));
        assertEquals(OptionalLong.empty(), TempFolder.ownerOf("per4m-giltracer-99999999999999999999999-x"));
        try (TempFolder folder = TempFolder.create(tmp, "perf")) {
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()),
                    TempFolder.ownerOf(folder.path().getFileName().toString()));
        }
    }
}
