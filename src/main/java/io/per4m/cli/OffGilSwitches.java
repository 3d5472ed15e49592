package io.per4m.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** per4m 0.1's offgil switches about matching C and Python stacks, which mean nothing here (see the notes). */
final class OffGilSwitches {
    @Option(names = {"--allow-mismatch", "--no-allow-mismatch"}, negatable = false,
            description = "Accepted for per4m 0.1: C and Python stacks are matched by time, a mismatch never stops.")
    boolean allowMismatch;

    @Option(names = {"--pedantic", "--no-pedantic"}, negatable = false,
            description = "Accepted for per4m 0.1: there are no known mismatches to be pedantic about.")
    boolean pedantic;

    List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (allowMismatch) {
            notes.add("--allow-mismatch changes nothing: the Python stack is the one viztracer recorded for that thread "
                    + "and moment, so there is no C-to-Python stack matching that could fail");
        }
        if (pedantic) {
            notes.add("--pedantic changes nothing: the Python stack is the one viztracer recorded for that thread "
                    + "and moment, so there are no known stack mismatches to accept or refuse");
        }
        return notes;
    }
}
