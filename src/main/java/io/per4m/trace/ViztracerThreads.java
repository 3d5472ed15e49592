package io.per4m.trace;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a viztracer trace says about processes and threads: their names (M events) and the pid of each tid. */
public final class ViztracerThreads {
    private final Map<Integer, String> threadNames = new HashMap<>();
    private final Map<Integer, String> processNames = new HashMap<>();
    private final Map<Integer, Integer> pidByTid = new LinkedHashMap<>();
    /** -2: not worked out since the last change; asked for every interval whose pid perf did not print */
    private int singlePid = -2;

    /** Nothing known yet; filled by {@link ViztracerTrace#read}. */
    public ViztracerThreads() {
    }

    void thread(int pid, int tid) {
        if (pidByTid.putIfAbsent(tid, pid) == null) {
            singlePid = -2;
        }
    }

    void threadName(int tid, String name) {
        threadNames.put(tid, name);
    }

    void processName(int pid, String name) {
        processNames.put(pid, name);
    }

    /** The thread's name in viztracer's trace, or null. */
    public String threadName(int tid) {
        return threadNames.get(tid);
    }

    /** The process's name in viztracer's trace, or null. */
    public String processName(int pid) {
        return processNames.get(pid);
    }

    /** The pid viztracer recorded for this thread, or -1. */
    public int pidOf(int tid) {
        return pidByTid.getOrDefault(tid, -1);
    }

    /** The only process of the trace, or -1 when there are none or several. */
    public int singlePid() {
        if (singlePid == -2) {
            singlePid = pidByTid.values().stream().distinct().count() == 1 ? pidByTid.values().iterator().next() : -1;
        }
        return singlePid;
    }
}
