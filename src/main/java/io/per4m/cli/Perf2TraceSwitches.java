package io.per4m.cli;

import io.per4m.trace.TrackSelection;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** perf2trace's switches of per4m 0.1: which slices the trace gets; of a pair, the last one given wins. */
final class Perf2TraceSwitches {
    private boolean running = true;
    private boolean sleeping = true;
    private boolean onlyLock;
    private boolean allTracepoints;
    private boolean syncSlicesAsked;

    @Option(names = {"-v", "--verbose"}, description = "Also print what was read: lines, events, slices, anomalies.")
    boolean[] verbosity = new boolean[0];

    @Option(names = "--running", description = "Write the slices in which a thread runs on a CPU (the default).")
    void running(boolean on) {
        running = true;
    }

    @Option(names = "--no-running", description = "Leave out the slices in which a thread runs on a CPU.")
    void noRunning(boolean on) {
        running = false;
    }

    @Option(names = "--sleeping", description = "Write the sleeping slices S, S(GIL), D (the default).")
    void sleeping(boolean on) {
        sleeping = true;
    }

    @Option(names = "--no-sleeping", description = "Leave out the sleeping slices S, S(GIL), D.")
    void noSleeping(boolean on) {
        sleeping = false;
    }

    @Option(names = "--only-lock", description = "Of the GIL, write only the slices in which a thread holds it.")
    void onlyLock(boolean on) {
        onlyLock = true;
    }

    @Option(names = "--no-only-lock", description = "Write GIL wait and GIL held slices (the default).")
    void noOnlyLock(boolean on) {
        onlyLock = false;
    }

    @Option(names = "--all-tracepoints", description = "Also write an instant event for every tracepoint event.")
    void allTracepoints(boolean on) {
        allTracepoints = true;
    }

    @Option(names = "--as-async", description = "Slices as async events (always so).")
    void asAsync(boolean on) {
        syncSlicesAsked = false;
    }

    @Option(names = "--no-as-async", description = "Accepted for per4m 0.1; slices stay async events (see the note).")
    void noAsAsync(boolean on) {
        syncSlicesAsked = true;
    }

    TrackSelection selection() {
        return new TrackSelection(running, sleeping, onlyLock, allTracepoints);
    }

    boolean verbose() {
        return verbosity.length > 0;
    }

    /** One line per switch given that does something else here than in per4m 0.1. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (syncSlicesAsked) {
            notes.add("--no-as-async changes nothing: GIL and state slices are always async events, on tracks of "
                    + "their own, so they never cut into viztracer's call stacks");
        }
        return notes;
    }
}
