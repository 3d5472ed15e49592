package io.per4m.trace;

import io.per4m.perf.ThreadDirectory;

import java.util.HashMap;
import java.util.Map;

/**
 * Names and pids of the recording's threads: the names the Python program left (recorded by the runner or the
 * notebook magic) win, then viztracer's (the same OS thread is one row), then perf's comm.
 */
public final class ThreadNames {
    private final ThreadDirectory perf;
    private final ViztracerThreads viztracer;
    private final Map<Integer, String> python = new HashMap<>();

    public ThreadNames(ThreadDirectory perf, ViztracerThreads viztracer) {
        this.perf = perf;
        this.viztracer = viztracer;
    }

    /** Adds the names the Python program itself gave its threads (they win over viztracer's and perf's). */
    public void usePythonNames(Map<Integer, String> names) {
        python.putAll(names);
    }

    /** True when the Python name differs from the one viztracer's trace gives the thread (Dummy-N on 3.12+). */
    public boolean renamesViztracers(int tid) {
        String own = python.get(tid);
        return own != null && viztracer.threadName(tid) != null && !own.equals(viztracer.threadName(tid));
    }

    public String threadName(int tid) {
        String name = python.get(tid);
        if (name == null) {
            name = viztracer.threadName(tid);
        }
        if (name == null) {
            name = perf.commOf(tid);
        }
        return name == null ? "thread " + tid : name;
    }

    /** True when the name is one the Python program gave (or viztracer's): it wins over the analysis' comm. */
    public boolean namedByPython(int tid) {
        return python.containsKey(tid) || viztracer.threadName(tid) != null;
    }

    public boolean namedByViztracer(int tid) {
        return viztracer.threadName(tid) != null && !renamesViztracers(tid);
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
