package io.per4m.cli;

import io.per4m.UserError;
import java.util.Locale;

/** Where giltracer's Python call stacks come from. */
enum PythonStacks {
    /** viztracer traces every call: exact, and the program runs up to about 1.7x slower. */
    VIZTRACER,
    /** perf samples each thread's stack at a fixed rate through CPython's perf trampolines (3.12+): light. */
    SAMPLED,
    /** no Python stacks, only what perf records. */
    NONE;

    /** The minor version of CPython 3 that first has perf trampolines. */
    static final int SAMPLED_FROM_MINOR = 12;

    static PythonStacks parse(String word) {
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--python-stacks must be viztracer, sampled or none, not '" + word + "'");
        }
    }

    /** Checks that {@code version} (e.g. "3.11.7") can give sampled stacks. */
    static void requireTrampolines(String python, String version) {
        String[] parts = version.split("\\.");
        boolean recent = parts.length >= 2 && parts[0].equals("3") && parts[1].matches("\\d+")
                && Integer.parseInt(parts[1]) >= SAMPLED_FROM_MINOR;
        if (!recent) {
            throw new UserError("sampled Python stacks need Python 3.12+ (" + python + " is " + version
                    + "): use --python-stacks=viztracer, or --python with a 3.12+ interpreter");
        }
    }
}
