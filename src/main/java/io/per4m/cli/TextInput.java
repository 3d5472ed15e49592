package io.per4m.cli;

import io.per4m.UserError;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command reads perf script text from: a file, a pipe such as /dev/stdin, or stdin for "-" or none. */
final class TextInput {
    private TextInput() {
    }

    /** @param whenMissing what to tell the user when the file does not exist */
    static InputStream open(String input, String whenMissing) throws IOException {
        if (input == null || input.equals("-")) {
            return new NonClosing(System.in);
        }
        if (!Files.exists(Path.of(input))) {
            throw new UserError(input + " does not exist; " + whenMissing);
        }
        try {
            // FileInputStream, not Files.newInputStream: the latter's channel fails on pipes ("Illegal seek")
            return new FileInputStream(input);
        } catch (FileNotFoundException e) {
            throw new UserError("cannot read " + input + ": " + e.getMessage());
        }
    }

    /** stdin stays open for whoever runs us in-process (tests, the py4j bridge). */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
