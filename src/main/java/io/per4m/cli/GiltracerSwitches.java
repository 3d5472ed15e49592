package io.per4m.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What giltracer records, with per4m 0.1's switch pairs: of a pair, the last one given wins. */
final class GiltracerSwitches {
    private static final String HTML = ".html";

    private boolean gil = true;
    private boolean states;

    @Option(names = {"-v", "--verbose"}, description = "Also print the command run and what was read.")
    boolean[] verbosity = new boolean[0];

    @Option(names = "--gil-detect", description = "Record the GIL probes (the default).")
    void gilDetect(boolean on) {
        gil = true;
    }

    @Option(names = "--no-gil-detect", description = "Do not record the GIL probes.")
    void noGilDetect(boolean on) {
        gil = false;
    }

    @Option(names = "--state-detect", description = "Record process states (running, R, R+, S, D, S(GIL)).")
    void stateDetect(boolean on) {
        states = true;
    }

    @Option(names = "--no-state-detect", description = "Do not record process states (the default).")
    void noStateDetect(boolean on) {
        states = false;
    }

    boolean gil() {
        return gil;
    }

    boolean states() {
        return states;
    }

    boolean verbose() {
        return verbosity.length > 0;
    }

    /** NAME of -o NAME, also when given as per4m 0.1's NAME.html: the files are NAME.json, NAME.html, ... */
    static Path baseName(Path output) {
        String name = output.getFileName() == null ? "" : output.getFileName().toString();
        if (name.length() > HTML.length() && name.endsWith(HTML)) {
            return output.resolveSibling(name.substring(0, name.length() - HTML.length()));
        }
        return output;
    }
}
