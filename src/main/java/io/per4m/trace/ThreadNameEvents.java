package io.per4m.trace;

import io.per4m.gil.GilSummary;
import io.per4m.gil.ThreadGilFigures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The names a trace's threads and processes go by: as M events of the trace, and in the summary. */
final class ThreadNameEvents {
    private final TraceEventWriter writer;
    private final ThreadNames names;
    private final TrackListener listener;

    ThreadNameEvents(TraceEventWriter writer, ThreadNames names, TrackListener listener) {
        this.writer = writer;
        this.names = names;
        this.listener = listener;
    }

    /** The summary with the names (the program's own, then viztracer's) and pids the trace uses. */
    static GilSummary named(GilSummary summary, ThreadNames names) {
        List<ThreadGilFigures> threads = new ArrayList<>(summary.threads().size());
        for (ThreadGilFigures t : summary.threads()) {
            String name = names.namedByPython(t.tid()) || t.name() == null || t.name().isBlank()
                    ? names.threadName(t.tid()) : t.name();
            int pid = t.pid() >= 0 ? t.pid() : names.pidOf(t.tid());
            threads.add(t.withName(name).withPid(pid));
        }
        Map<String, Long> anomalies = summary.anomalies() == null ? Map.of() : summary.anomalies();
        return new GilSummary(List.copyOf(threads), summary.process(), summary.processes(), summary.blame(),
                summary.handoff(), anomalies);
    }

    /** M events for our threads and processes, except those viztracer already named (one OS thread, one row). */
    void writeOurs() throws IOException {
        Set<Integer> pids = new LinkedHashSet<>(writer.threadsWritten().values());
        for (int pid : pids) {
            if (!names.processNamedByViztracer(pid)) {
                writer.processName(pid, names.processName(pid));
                if (listener != null) {
                    listener.processName(pid, names.processName(pid));
                }
            }
        }
        for (Map.Entry<Integer, Integer> thread : writer.threadsWritten().entrySet()) {
            if (!names.namedByViztracer(thread.getKey())) {
                threadName(thread);
            }
        }
    }

    /** After viztracer's own thread_name events, the names the program gave (a later M event wins in viewers). */
    void renameViztracers() throws IOException {
        for (Map.Entry<Integer, Integer> thread : writer.threadsWritten().entrySet()) {
            if (names.renamesViztracers(thread.getKey())) {
                threadName(thread);
            }
        }
    }

    private void threadName(Map.Entry<Integer, Integer> thread) throws IOException {
        writer.threadName(thread.getValue(), thread.getKey(), names.threadName(thread.getKey()));
        if (listener != null) {
            listener.threadName(thread.getValue(), thread.getKey(), names.threadName(thread.getKey()));
        }
    }
}
