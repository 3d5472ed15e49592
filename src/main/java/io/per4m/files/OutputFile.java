package io.per4m.files;

import io.per4m.UserError;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A file a command writes for the user (a trace, a report, a summary, a flame graph), written so that nothing
 * is replaced that should not be:
 * <ul>
 * <li>{@code -} is standard output;</li>
 * <li>a device, fifo or socket is written in place, never replaced by a rename (renaming over {@code /dev/null}
 * as root destroys it);</li>
 * <li>a regular file, or a new one, is written beside its final place and renamed over it once complete, so
 * readers see the old file or the new one, never half of one, and a failed write leaves the old file as it was;</li>
 * <li>a symbolic link is never replaced: in a folder others can write to (sticky or world-writable, like /tmp)
 * it is refused, anywhere else it is followed and its target written by the rules above.</li>
 * </ul>
 * Write errors (a full disk) name the file.
 */
public final class OutputFile {
    private static final String STDOUT = "-";
    private static final int STICKY = 01000;
    private static final int OTHERS_WRITE = 02;

    private final Path path;

    private OutputFile(Path path) {
        this.path = path;
    }

    public static OutputFile of(Path path) {
        return new OutputFile(path);
    }

    /** True for {@code -}, standard output. */
    public static boolean isStdout(Path path) {
        return path.toString().equals(STDOUT);
    }

    public Path path() {
        return path;
    }

    /**
     * Checks that the file can be written, before any work is done for it: its folder exists and is writable, it is
     * no folder, and no symbolic link this class would refuse. Throws {@link UserError} saying what to change.
     */
    public OutputFile check() throws IOException {
        place();
        return this;
    }

    /** Starts writing; nothing is in place until {@link Writing#commit()}, and closing without it leaves no trace. */
    public Writing open() throws IOException {
        Place place = place();
        return switch (place.kind()) {
            case STDOUT -> new Writing(path, new FileOutputStream(FileDescriptor.out), null, null);
            case IN_PLACE -> new Writing(path, Files.newOutputStream(place.file(), StandardOpenOption.WRITE), null, null);
            case REPLACE -> replacing(place);
        };
    }

    /** What writes a text output. */
    @FunctionalInterface
    public interface Text {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes UTF-8 text by the rules of this class, buffered. */
    public void write(Text text) throws IOException {
        try (Writing output = open()) {
            try (Writer out = new BufferedWriter(new OutputStreamWriter(output.stream(), StandardCharsets.UTF_8), 1 << 16)) {
                text.writeTo(out);
            }
            output.commit();
        }
    }

    /**
     * What the names of this process's partial files for this output start with (they end in {@code .part}), for a
     * watcher to remove should the process be killed while writing; null when the output is written in place.
     */
    public String partialPrefix() throws IOException {
        Place place = place();
        return place.kind() == Kind.REPLACE ? partialPrefix(place.file()).toString() : null;
    }

    private static Path partialPrefix(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".");
    }

    private Writing replacing(Place place) throws IOException {
        Path target = place.file();
        // beside the target, so that the final move is a rename within one file system
        Path partial = Path.of(partialPrefix(target) + Long.toHexString(System.nanoTime()) + ".part");
        OutputStream out;
        try {
            out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot write " + path + ": no permission to write in " + target.getParent());
        }
        try {
            if (place.keepPermissions() != null) {
                Files.setPosixFilePermissions(partial, place.keepPermissions());
            }
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(partial);
            throw e;
        }
        return new Writing(path, out, partial, target);
    }

    private enum Kind { STDOUT, IN_PLACE, REPLACE }

    /** @param keepPermissions the replaced file's permissions, for the new one (null: a new file) */
    private record Place(Kind kind, Path file, Set<PosixFilePermission> keepPermissions) {
    }

    private Place place() throws IOException {
        if (isStdout(path)) {
            return new Place(Kind.STDOUT, null, null);
        }
        Path absolute = path.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        if (folder == null) {
            throw new UserError("cannot write " + path + ": give a file name");
        }
        if (!Files.isDirectory(folder)) {
            throw new UserError("cannot write " + path + ": folder " + folder + " does not exist");
        }
        Path file = absolute;
        if (Files.isSymbolicLink(absolute)) {
            if (othersCanWrite(folder)) {
                throw new UserError("cannot write " + path + ": it is a symbolic link in " + folder
                        + ", a folder others can write to, and is not followed there; remove it or write elsewhere");
            }
            try {
                file = absolute.toRealPath();
            } catch (NoSuchFileException e) {
                throw new UserError("cannot write " + path + ": it is a symbolic link to "
                        + Files.readSymbolicLink(absolute) + ", which does not exist");
            }
            folder = file.getParent();
        }
        PosixFileAttributes attributes = attributesOf(file);
        if (attributes != null && attributes.isDirectory()) {
            throw new UserError("cannot write " + path + ": it is a folder; give a file name");
        }
        if (attributes != null && attributes.isOther()) {
            if (!Files.isWritable(file)) {
                throw new UserError("cannot write " + path + ": no permission");
            }
            return new Place(Kind.IN_PLACE, file, null);
        }
        if (!Files.isWritable(folder)) {
            throw new UserError("cannot write " + path + ": no permission to write in " + folder);
        }
        return new Place(Kind.REPLACE, file, attributes == null ? null : attributes.permissions());
    }

    private static PosixFileAttributes attributesOf(Path file) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Sticky or world-writable: a link there may have been planted by someone else. */
    static boolean othersCanWrite(Path folder) throws IOException {
        int mode = (Integer) Files.getAttribute(folder, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & (STICKY | OTHERS_WRITE)) != 0;
    }

    /**
     * One output being written. The stream names the file in its errors; {@link #commit()} puts the file in place,
     * {@link #close()} without a commit removes what was written (also when the JVM is shut down meanwhile).
     */
    public static final class Writing implements AutoCloseable {
        private final Path shownAs;
        private final NamedOutputStream stream;
        private final Path partial;
        private final Path target;
        private final Thread cleanup;
        private boolean committed;

        private Writing(Path shownAs, OutputStream out, Path partial, Path target) {
            this.shownAs = shownAs;
            this.stream = new NamedOutputStream(out, shownAs, partial == null && target == null && isStdout(shownAs));
            this.partial = partial;
            this.target = target;
            if (partial != null) {
                cleanup = new Thread(() -> deleteQuietly(partial), "per4m-partial-output-cleanup");
                Runtime.getRuntime().addShutdownHook(cleanup);
            } else {
                cleanup = null;
            }
        }

        /** Where to write; buffer it yourself. */
        public OutputStream stream() {
            return stream;
        }

        /** Flushes and closes the stream and puts the file in place. */
        public void commit() throws IOException {
            stream.close();
            if (partial != null) {
                try {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            committed = true;
        }

        @Override
        public void close() throws IOException {
            try {
                stream.closeQuietly();
                if (!committed && partial != null) {
                    Files.deleteIfExists(partial);
                }
            } finally {
                if (cleanup != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(cleanup);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs (or ran) anyway
                    }
                }
            }
        }

        @Override
        public String toString() {
            return shownAs.toString();
        }

        private static void deleteQuietly(Path partial) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the JVM is going down: nothing left to tell
            }
        }
    }

    /** Names the file in write errors (ENOSPC says only "No space left on device"); closes once. */
    private static final class NamedOutputStream extends OutputStream {
        private final OutputStream out;
        private final Path shownAs;
        private final boolean stdout;
        private boolean closed;

        NamedOutputStream(OutputStream out, Path shownAs, boolean stdout) {
            this.out = out;
            this.shownAs = shownAs;
            this.stdout = stdout;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void flush() throws IOException {
            if (closed) {
                return;
            }
            try {
                out.flush();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (stdout) {
                    out.flush(); // standard output stays open for what the command prints next
                } else {
                    out.close();
                }
            } catch (IOException e) {
                throw named(e);
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException ignored) {
                // the output is abandoned
            }
        }

        private IOException named(IOException e) {
            String what = stdout ? "standard output" : shownAs.toString();
            return new IOException("cannot write " + what + ": " + e.getMessage(), e);
        }
    }
}
