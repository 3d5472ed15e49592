package io.per4m.files;

import io.per4m.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OutputFileTest {
    @TempDir
    Path dir;

    private static void write(Path path, String text) throws IOException {
        OutputFile.of(path).write(out -> out.write(text));
    }

    private List<String> partials() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    @Test
    void aNewFileAppearsOnlyOnCommit() throws IOException {
        Path out = dir.resolve("out.json");
        try (OutputFile.Writing writing = OutputFile.of(out).open()) {
            writing.stream().write("{}".getBytes(StandardCharsets.UTF_8));
            assertFalse(Files.exists(out), "nothing in place before the commit");
            assertEquals(1, partials().size());
            writing.commit();
        }
        assertEquals("{}", Files.readString(out));
        assertEquals(List.of(), partials());
    }

    @Test
    void anAbandonedWriteLeavesTheOldFileAndNoPartial() throws IOException {
        Path out = dir.resolve("out.json");
        Files.writeString(out, "old");
        try (OutputFile.Writing writing = OutputFile.of(out).open()) {
            writing.stream().write("half".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("old", Files.readString(out));
        assertEquals(List.of(), partials());
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        Path out = dir.resolve("out.json");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        Object inode = Files.getAttribute(out, "unix:ino");
        write(out, "new");
        assertEquals("new", Files.readString(out));
        assertNotEquals(inode, Files.getAttribute(out, "unix:ino"), "renamed over, not rewritten");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void aFifoIsWrittenInPlace() throws Exception {
        Path fifo = dir.resolve("out.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        write(fifo, "through the pipe");
        assertEquals("through the pipe", read.get());
        assertTrue(Files.isRegularFile(fifo) == false && Files.exists(fifo), "still a fifo");
        assertEquals(List.of(), partials());
    }

    @Test
    void aSymlinkInAPrivateFolderIsFollowedAndKept() throws IOException {
        Path real = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real, Files.readSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void aSymlinkInAStickyFolderIsRefused() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path link = Files.createSymbolicLink(shared.resolve("out.json"), victim);
        UserError e = assertThrows(UserError.class, () -> write(link, "new"));
        assertTrue(e.getMessage().contains("symbolic link in " + shared), e.getMessage());
        assertThrows(UserError.class, () -> OutputFile.of(link).check());
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aDanglingSymlinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("out.json"), dir.resolve("nowhere"));
        UserError e = assertThrows(UserError.class, () -> OutputFile.of(link).check());
        assertEquals("cannot write " + link + ": it is a symbolic link to " + dir.resolve("nowhere")
                + ", which does not exist", e.getMessage());
    }

    @Test
    void aMissingFolderAndAFolderAreOneLine() {
        Path missing = dir.resolve("missing").resolve("out.json");
        assertEquals("cannot write " + missing + ": folder " + missing.getParent() + " does not exist",
                assertThrows(UserError.class, () -> OutputFile.of(missing).check()).getMessage());
        assertEquals("cannot write " + dir + ": it is a folder; give a file name",
                assertThrows(UserError.class, () -> OutputFile.of(dir).check()).getMessage());
    }

    @Test
    void dashIsStandardOutputAndHasNoPartial() throws IOException {
        assertTrue(OutputFile.isStdout(Path.of("-")));
        assertNull(OutputFile.of(Path.of("-")).partialPrefix());
        assertFalse(OutputFile.isStdout(Path.of("./-")));
    }

    @Test
    void aPartialIsFoundByItsPrefix() throws IOException {
        Path out = dir.resolve("out.json");
        String prefix = OutputFile.of(out).partialPrefix();
        try (OutputFile.Writing ignored = OutputFile.of(out).open()) {
            List<String> parts = partials();
            assertEquals(1, parts.size());
            assertTrue(dir.resolve(parts.get(0)).toString().startsWith(prefix), parts + " " + prefix);
        }
    }

    /** A full disk says which file it could not write (the system says only "No space left on device"). */
    @Test
    void aFullDiskNamesTheFile() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path small = Files.createDirectory(dir.resolve("small"));
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", small.toString())
                .inheritIO().start().waitFor() == 0, "cannot mount a tmpfs here");
        try {
            Path out = small.resolve("big.json");
            IOException e = assertThrows(IOException.class, () -> {
                try (OutputFile.Writing writing = OutputFile.of(out).open()) {
                    OutputStream stream = writing.stream();
                    byte[] block = new byte[8192];
                    for (int i = 0; i < 64; i++) {
                        stream.write(block);
                    }
                    writing.commit();
                }
            });
            assertEquals("cannot write " + out + ": No space left on device", e.getMessage());
            try (Stream<Path> left = Files.list(small)) {
                assertEquals(List.of(), left.toList(), "no partial left on the full disk");
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
    }
}
