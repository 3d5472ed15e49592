package io.per4m.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code perf record} command line for one attached session.
 *
 * @param quickStart options that only skip work at start or exit, those this perf knows (see RecordOptionSupport)
 */
record PerfRecordCommand(String perf, long pid, RecordOptions options, List<String> counters,
                         Path ctlFifo, Path ackFifo, Path output, List<String> quickStart) {
    /** Pages per ring buffer (4 MB): uprobes on a GIL-heavy program fire 200 k times a second. */
    static final int MMAP_PAGES = 1024;

    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of(
                perf, "record",
                "-k", "CLOCK_MONOTONIC",      // the clock viztracer's timestamps are calibrated to
                "--sample-cpu",               // else software events carry no cpu in per-thread mode
                "-D", "-1",                   // events start disabled: enabled through the control fifo
                "--control", "fifo:" + ctlFifo + "," + ackFifo,
                "-B", "-N",                   // no build-id scan at exit, no build-id cache
                "--switch-output=signal",     // SIGUSR2 closes one window file
                "-m", Integer.toString(MMAP_PAGES),
                "-o", output.toString(),
                "-p", Long.toString(pid)));
        args.addAll(quickStart);
        if (options.gil()) {
            args.add("-e");
            args.add(options.probeGroup() + ":*");
        }
        if (options.states()) {
            args.add("-e");
            args.add("sched:sched_switch,sched:sched_wakeup,sched:sched_waking");
        }
        if (!counters.isEmpty()) {
            args.add("-e");
            args.add(String.join(",", counters));
        }
        if (options.stackSampleHz() > 0) {
            args.add("-e");
            args.add(StackSampling.event(options.stackSampleHz()));
        }
        return args;
    }
}
