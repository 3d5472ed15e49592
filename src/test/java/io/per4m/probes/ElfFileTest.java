package io.per4m.probes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.per4m.probes.Machine.*;
import static org.junit.jupiter.api.Assertions.*;

class ElfFileTest {
    private static final Set<String> GIL = Set.of("take_gil", "drop_gil");

    /** Value of a symbol as nm prints it (a different reader of the same table). */
    private static long nmValue(Path file, String symbol) {
        CommandRunner.Result r = run("nm", file.toString());
        Matcher m = Pattern.compile("(?m)^([0-9a-f]+) [tT] " + Pattern.quote(symbol) + "$").matcher(r.stdout());
        assertTrue(m.find(), "nm does not list " + symbol);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    private static String readelfBuildId(Path file) {
        Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", file.toString()).stdout());
        assertTrue(m.find(), "readelf shows no build-id");
        return m.group(1);
    }

    @Test
    void findsTakeGilAndDropGilInThePyenvLibpython() throws IOException {
        assumeFile(LIBPYTHON_311);
        assumeCommand("nm");
        ElfFile elf = ElfFile.open(LIBPYTHON_311);
        Map<String, List<ElfSymbol>> found = elf.functionSymbols(GIL);
        assertEquals(GIL, found.keySet());
        for (String name : GIL) {
            ElfSymbol s = found.get(name).get(0);
            assertEquals(".symtab", s.table());
            assertEquals(nmValue(LIBPYTHON_311, name), s.value(), name);
            assertTrue(s.size() > 0, name + " size");
        }
        assertTrue(elf.hasDebugInfo());
        assertEquals(readelfBuildId(LIBPYTHON_311), elf.buildId().orElseThrow());
        assertEquals(Set.of(), elf.functionSymbols(Set.of("no_such_function_xyz")).keySet());
    }

    @Test
    void readsDtNeededAndRunpathOfThePyenvExecutable() throws IOException {
        assumeFile(PYENV_311);
        ElfFile.DynamicInfo dyn = ElfFile.open(PYENV_311).dynamicInfo();
        // by hand, from `readelf -d`: NEEDED libpython3.11.so.1.0 and libc.so.6, RUNPATH .../3.11.7/lib, no RPATH
        assertEquals(List.of("libpython3.11.so.1.0", "libc.so.6"), dyn.needed());
        assertEquals(List.of("/root/.pyenv/versions/3.11.7/lib"), dyn.runpath());
        assertEquals(List.of(), dyn.rpath());
        assertEquals("libpython3.11.so.1.0", ElfFile.open(LIBPYTHON_311).dynamicInfo().soname().orElseThrow());
    }

    @Test
    void debianExecutableIsStrippedAndHasNoTakeGil() throws IOException {
        assumeFile(DEBIAN_311);
        ElfFile elf = ElfFile.open(DEBIAN_311);
        assertFalse(elf.hasSymtab());
        assertFalse(elf.hasDebugInfo());
        assertEquals(Set.of(), elf.functionSymbols(GIL).keySet());
        // the dynamic table is there: exported API symbols are found, so the miss above is not a reader failure
        assertEquals(Set.of("PyGILState_Ensure"), elf.functionSymbols(Set.of("PyGILState_Ensure")).keySet());
        assertEquals(readelfBuildId(DEBIAN_311), elf.buildId().orElseThrow());
        assertTrue(elf.dynamicInfo().needed().stream().noneMatch(n -> n.startsWith("libpython")));
    }

    @Test
    void aScriptIsRejectedWithAClearMessage(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("python3");
        Files.writeString(script, "#!/usr/bin/env bash\nexec python3.11 \"$@\"\n");
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.open(script));
        assertEquals(script + " is not an ELF file (a script starting with '#!/usr/bin/env bash')", e.getMessage());
        assertFalse(ElfFile.looksLikeElf(script));
    }

    @Test
    void emptyAndTruncatedFilesAreRejected(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertTrue(assertThrows(ElfFormatException.class, () -> ElfFile.open(empty)).getMessage().contains("not an ELF file (empty)"));
        assumeFile(LIBPYTHON_311);
        Path cut = dir.resolve("cut.so");
        byte[] head = new byte[4096];
        try (var in = Files.newInputStream(LIBPYTHON_311)) {
            assertEquals(head.length, in.readNBytes(head, 0, head.length));
        }
        Files.write(cut, head);
        assertTrue(ElfFile.looksLikeElf(cut));
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.open(cut));
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
}
