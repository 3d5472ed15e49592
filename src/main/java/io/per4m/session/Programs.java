package io.per4m.session;

import java.util.concurrent.TimeUnit;

/** Ending a program giltracer started, with everything it started in turn. */
public final class Programs {
    private Programs() {
    }

    /** SIGKILL to the program and its descendants (children first are collected before the parent dies). */
    public static void kill(Process program) {
        var descendants = program.descendants().toList();
        program.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            program.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
