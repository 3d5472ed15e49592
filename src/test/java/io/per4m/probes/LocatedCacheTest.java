package io.per4m.probes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static io.per4m.probes.Machine.DEBIAN_311;
import static io.per4m.probes.Machine.assumeCommand;
import static io.per4m.probes.Machine.assumeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stripped build's places, found once with objdump, are found again without it while the file is the same, and
 * searched afresh once it changes. The second locator's objdump does not exist: what it finds can only come from
 * the cache.
 */
class LocatedCacheTest {
    private static GilElf describe(Path file, Path cache, String objdump) throws IOException {
        GilElfLocator locator = new GilElfLocator(LibraryResolver.forThisSystem(new CommandRunner()), List.of(),
                new StrippedGilLocator(new Objdump(objdump)), LocatedCache.in(cache));
        return locator.describe(file, "given", ElfFile.open(file), new ArrayList<>());
    }

    @Test
    void aStrippedFileIsSearchedOnceAndAgainWhenItChanges(@TempDir Path dir) throws IOException {
        assumeFile(DEBIAN_311);
        assumeCommand("objdump");
        Path python = Files.copy(DEBIAN_311, dir.resolve("python3.11"));
        Path cache = dir.resolve("cache");

        GilElf searched = describe(python, cache, "objdump");
        assertTrue(searched.located().isPresent(), searched.notLocated());
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count());
        }

        GilElf remembered = describe(python, cache, dir.resolve("no-objdump").toString());
        assertEquals(searched.located(), remembered.located());

        Files.setLastModifiedTime(python, FileTime.fromMillis(Files.getLastModifiedTime(python).toMillis() - 60_000));
        GilElf changed = describe(python, cache, dir.resolve("no-objdump").toString());
        assertFalse(changed.located().isPresent(), "a changed file is searched afresh (here: no objdump to search with)");
    }
}
