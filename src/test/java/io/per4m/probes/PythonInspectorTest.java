package io.per4m.probes;

import io.per4m.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.per4m.probes.Machine.*;
import static org.junit.jupiter.api.Assertions.*;

class PythonInspectorTest {
    private final CommandRunner runner = new CommandRunner();
    private final PythonInspector inspector = new PythonInspector(runner);
    private final GilElfLocator locator = GilElfLocator.forThisSystem(runner);

    @Test
    void seesThroughThePyenvShim() throws IOException {
        assumeFile(PYENV_SHIM);
        assertFalse(ElfFile.looksLikeElf(PYENV_SHIM), "the shim is a script");
        // pyenv's own answer, resolved by the file system: a route that does not run our script
        CommandRunner.Result which = run("/root/.pyenv/bin/pyenv", "which", "python3");
        assertTrue(which.ok(), which.stderr());
        Path expected = Path.of(which.stdout().strip()).toRealPath();

        PythonInfo info = inspector.inspect(PYENV_SHIM.toString());
        assertEquals(expected, info.executable());
        assertTrue(ElfFile.looksLikeElf(info.executable()));
    }

    @Test
    void seesThroughAVenvLink(@TempDir Path dir) throws IOException {
        assumeFile(PYENV_311);
        Path venv = dir.resolve("venv");
        CommandRunner.Result made = run(PYENV_311.toString(), "-m", "venv", "--without-pip", venv.toString());
        assertTrue(made.ok(), made.stderr());
        Path venvPython = venv.resolve("bin/python");
        assertTrue(Files.isSymbolicLink(venvPython));

        PythonInfo info = inspector.inspect(venvPython.toString());
        assertEquals(PYENV_311.toRealPath(), info.executable());
        assertEquals(venvPython.toString(), info.sysExecutable());
        assertEquals("3.11.7", info.version());
        assertFalse(info.gilDisabled());
        assertEquals(LIBPYTHON_311, info.mappedLibpython().orElseThrow());

        GilElf elf = locator.locate(info);
        assertEquals(LIBPYTHON_311, elf.file());
        assertTrue(elf.how().contains("RUNPATH") && elf.how().contains("maps"), elf.how());
        assertTrue(elf.hasSymbols());
        assertEquals(List.of(), elf.notes());
    }

    @Test
    void debianPythonRunsItsOwnStrippedExecutableDespiteSysconfig() throws IOException {
        assumeFile(DEBIAN_311);
        PythonInfo info = inspector.inspect(DEBIAN_311.toString());
        assertEquals(DEBIAN_311.toRealPath(), info.executable());
        assertTrue(info.mappedLibpython().isEmpty(), "the Debian executable maps no libpython");
        GilElf elf = locator.locate(info);
        assertEquals(DEBIAN_311.toRealPath(), elf.file());
        assertFalse(elf.hasSymbols());
        assertEquals(List.of("take_gil", "drop_gil"), elf.missing());
        if (info.enableShared()) {
            assertEquals(1, elf.notes().size(), elf.notes().toString());
            assertTrue(elf.notes().get(0).contains("does not load it"));
        }
    }

    @Test
    void somethingThatIsNoPythonIsAUserError(@TempDir Path dir) throws IOException {
        UserError missing = assertThrows(UserError.class, () -> inspector.inspect(dir.resolve("python9").toString()));
        assertTrue(missing.getMessage().startsWith("cannot run the Python interpreter"), missing.getMessage());
        Path silent = Files.writeString(dir.resolve("silent"), "#!/bin/sh\nexit 0\n");
        assertTrue(silent.toFile().setExecutable(true));
        UserError notPython = assertThrows(UserError.class, () -> inspector.inspect(silent.toString()));
        assertTrue(notPython.getMessage().contains("did not answer as a Python interpreter"), notPython.getMessage());
    }
}
