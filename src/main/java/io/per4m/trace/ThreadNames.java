package io.per4m.trace;

import io.per4m.perf.ThreadDirectory;

/**
 * Names and pids of the recording's threads: viztracer's names win (the same OS thread is one row), then perf's comm.
 */
public final class ThreadNames {
    private final ThreadDirectory perf;
    private final ViztracerThreads viztracer;

    public ThreadNames(ThreadDirectory perf, ViztracerThreads viztracer) {
        this.perf = perf;
        this.viztracer = viztracer;
    }

    public String threadName(int tid) {
        String name = viztracer.threadName(tid);
        if (name == null) {
            name = perf.commOf(tid);
        }
        return name == null ? "thread " + tid : name;
    }

    public boolean namedByViztracer(int tid) {
        return viztracer.threadName(tid) != null;
    }

    public String processName(int pid) {
        String name = viztracer.processName(pid);
        if (name == null) {
            name = perf.commOf(pid);
        }
        return name == null ? "process " + pid : name;
    }

    public boolean processNamedByViztracer(int pid) {
        return viztracer.processName(pid) != null;
    }

    /** The real process id of a thread: from perf, else from viztracer, else the tid itself (a main thread). */
    public int pidOf(int tid) {
        int pid = perf.pidOf(tid);
        if (pid < 0) {
            pid = viztracer.pidOf(tid);
        }
        if (pid < 0) {
            pid = viztracer.singlePid();
        }
        return pid < 0 ? tid : pid;
    }
}
