package io.per4m.probes;

import io.per4m.matrix.Interpreters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The locator, which reads only the exported API (.dynsym) and the code, against the symbol tables where they exist:
 * every pyenv CPython 3.x present (found, not named) with its shared libpython. Debian's stripped python3.11 is
 * checked against addresses read off its disassembly by hand.
 */
class StrippedGilLocatorTest {
    private final StrippedGilLocator locator = new StrippedGilLocator(new Objdump("objdump"));

    @TestFactory
    Stream<DynamicTest> findsWhatTheSymbolsSay() throws IOException {
        Path versions = Interpreters.pyenvVersions();
        Assumptions.assumeTrue(Files.isDirectory(versions), "no pyenv versions at " + versions);
        assumeObjdump();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(versions)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("3\\.\\d+\\.\\d+")).sorted().toList()) {
                try (Stream<Path> libs = Files.list(dir.resolve("lib"))) {
                    libs.filter(l -> l.getFileName().toString().matches("libpython3\\.\\d+m?\\.so\\.1\\.0")).findFirst()
                            .ifPresent(lib -> tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> sameAsSymbols(lib))));
                }
            }
        }
        Assumptions.assumeFalse(tests.isEmpty(), "no pyenv CPython 3.x with a shared libpython in " + versions);
        return tests.stream();
    }

    private void sameAsSymbols(Path lib) throws IOException {
        ElfFile elf = ElfFile.open(lib);
        var symbols = elf.functionSymbols(Set.of("take_gil", "drop_gil"));
        assertTrue(symbols.containsKey("take_gil") && symbols.containsKey("drop_gil"), lib + " has the symbols to compare with");
        List<String> why = new ArrayList<>();
        Optional<StrippedGilLocator.Located> found = locator.locate(lib, elf, why);
        assertTrue(found.isPresent(), lib + ": " + why);
        StrippedGilLocator.Located l = found.get();
        // the API functions may call a compiler's copy (3.8: take_gil.constprop.0), which perf probes as take_gil too
        assertEquals("take_gil", baseName(elf, l.takeGil()), lib + ": take_gil located at 0x" + Long.toHexString(l.takeGil()));
        assertFalse(l.dropGil().isEmpty(), lib + ": drop_gil is a function here, found " + l);
        for (long drop : l.dropGil()) {
            assertEquals("drop_gil", baseName(elf, drop), lib + ": drop_gil located at 0x" + Long.toHexString(drop));
        }
        for (StrippedGilLocator.InlinedRelease r : l.inlined()) {
            assertTrue(nameAt(elf, r.address()).isPresent(), lib + ": release store at 0x" + Long.toHexString(r.address()));
        }
    }

    @Test
    void debiansStrippedPython311() throws IOException {
        Path python = Interpreters.SYSTEM_311;
        Assumptions.assumeTrue(Files.isExecutable(python), python + " is not installed");
        assumeObjdump();
        ElfFile elf = ElfFile.open(python.toRealPath());
        Assumptions.assumeTrue(elf.functionSymbols(Set.of("take_gil")).isEmpty(), python + " is not stripped here");
        Assumptions.assumeTrue(elf.buildId().orElse("").equals(DEBIAN_311_BUILD_ID),
                "the addresses below were read off Debian's python3.11 3.11.2-6 (build-id " + DEBIAN_311_BUILD_ID + ")");
        List<String> why = new ArrayList<>();
        StrippedGilLocator.Located l = locator.locate(python.toRealPath(), elf, why).orElseThrow(() -> new AssertionError(why));
        // by hand: take_gil is the first call of PyEval_RestoreThread and PyEval_AcquireThread (file offset 0xf92c0);
        // PyEval_ReleaseThread and PyEval_ReleaseLock jump to an out-of-line drop_gil at 0x634310; PyEval_SaveThread
        // and four other places inline it, each storing 0 to gil->locked (_PyRuntime+0x178 = 0xa5b8b8)
        assertEquals(0x4f92c0L, l.takeGil());
        assertEquals(List.of(0x634310L), l.dropGil());
        assertEquals(0xa5b8b8L, l.lockedAddress().orElseThrow());
        assertEquals(List.of(0x527a3cL, 0x5a1174L, 0x5aed2eL, 0x5ba533L, 0x647fbdL),
                l.inlined().stream().map(StrippedGilLocator.InlinedRelease::address).toList());
        assertEquals(0x527a46L, l.inlined().get(0).next());
        assertEquals("located:take_gil+drop_gil+inlined-release-stores", l.method());
    }

    private static final String DEBIAN_311_BUILD_ID = "571d98e01096d5c1c32420d229a6731a0a50d2a0";

    private static void assumeObjdump() {
        Assumptions.assumeTrue(new CommandRunner().run(List.of("objdump", "--version"), java.time.Duration.ofSeconds(20)).ok(),
                "objdump (binutils) is not installed");
    }

    /** The function symbol starting at {@code vaddr}, without a compiler's suffix (.constprop.0). */
    private static String baseName(ElfFile elf, long vaddr) throws IOException {
        long offset = elf.fileOffsetOfAddress(vaddr);
        Optional<ElfSymbol> s = elf.functionCovering(offset);
        return s.isPresent() && elf.fileOffsetOfSymbol(s.get()) == offset ? s.get().name().replaceAll("\\..*$", "")
                : "(no function starts there: " + s.map(ElfSymbol::name).orElse("none") + ")";
    }

    private static Optional<String> nameAt(ElfFile elf, long vaddr) throws IOException {
        return elf.functionCovering(elf.fileOffsetOfAddress(vaddr)).map(ElfSymbol::name);
    }
}
