package io.per4m.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "perf2trace", description = "Convert `perf script` output into a GIL timeline and per-thread figures.")
final class Perf2TraceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("not implemented yet");
    }
}
