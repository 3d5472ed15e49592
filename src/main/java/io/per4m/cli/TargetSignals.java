package io.per4m.cli;

import io.per4m.session.Programs;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * giltracer's SIGINT, SIGTERM and SIGHUP while it runs a program. While the program runs, they go to it (SIGTERM and
 * SIGHUP the runner turns into SystemExit): the program ends the way it would alone,
 * its runner saves viztracer's trace, and giltracer writes the report of what was recorded. A terminal's Ctrl-C
 * reaches the program directly too; the runner takes two SIGINTs that close together as one. A second SIGTERM or
 * SIGHUP kills the program outright. Once the program has ended, they only wait for the report to be written.
 */
final class TargetSignals implements AutoCloseable {
    private static final List<String> HANDLED = List.of("INT", "TERM", "HUP");

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private Process target;
    private boolean ended;
    private Signal early;
    private Signal afterExit;
    private int terminations;

    private TargetSignals() {
        for (String name : HANDLED) {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, this::received));
        }
    }

    static TargetSignals install() {
        return new TargetSignals();
    }

    /** From now on, signals go to {@code program}; one that came while it was being started goes there now. */
    synchronized void running(Process program) {
        target = program;
        if (early != null) {
            received(early);
        }
    }

    /** The program has ended: signals from now on only wait for the report. */
    synchronized void ended() {
        ended = true;
    }

    /** The program's exit code, or 128 + the signal that came after it ended, as a shell reports a killed command. */
    synchronized int exitCode(int programExitCode) {
        return afterExit == null ? programExitCode : 128 + afterExit.getNumber();
    }

    private synchronized void received(Signal signal) {
        Process program = target;
        if (program == null) {
            early = signal;
            return;
        }
        if (ended || !program.isAlive()) {
            if (afterExit == null) {
                afterExit = signal;
            }
            return;
        }
        if (signal.getName().equals("INT")) {
            send(program, "INT");
        } else if (++terminations == 1) {
            send(program, signal.getName());
        } else {
            Programs.kill(program);
        }
    }

    private static void send(Process program, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(program.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            program.destroy(); // no kill command: SIGTERM still ends it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
