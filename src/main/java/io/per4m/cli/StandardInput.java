package io.per4m.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this process's stdin is. */
final class StandardInput {
    private StandardInput() {
    }

    /**
     * True when stdin is a pipe, a socket or a file, i.e. something was given to read; false for a terminal or a
     * device such as /dev/null, where a command run without input should not wait for text.
     */
    static boolean carriesText() {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            String name = target.toString();
            return name.startsWith("pipe:") || name.startsWith("socket:") || Files.isRegularFile(target);
        } catch (IOException | UnsupportedOperationException e) {
            return true; // cannot tell: read stdin as before
        }
    }
}
