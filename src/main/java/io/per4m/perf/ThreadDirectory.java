package io.per4m.perf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Remembers, for every thread of a recording, its process id and its latest comm, in order of first appearance. */
public final class ThreadDirectory implements PerfEventSink {
    private final Map<Integer, Entry> byTid = new HashMap<>();
    private final List<Integer> order = new ArrayList<>();
    private Entry last;

    @Override
    public void accept(PerfEvent event) {
        Entry entry = last != null && last.tid == event.tid() ? last : byTid.get(event.tid());
        if (entry == null) {
            entry = new Entry(event.tid());
            byTid.put(event.tid(), entry);
            order.add(event.tid());
        }
        if (event.pid() >= 0) {
            entry.pid = event.pid();
        }
        entry.comm = event.comm();
        last = entry;
    }

    /** Thread ids in order of first appearance. */
    public List<Integer> tids() {
        return List.copyOf(order);
    }

    public boolean contains(int tid) {
        return byTid.containsKey(tid);
    }

    /** The process id perf printed for this thread, or -1 when it never printed one. */
    public int pidOf(int tid) {
        Entry entry = byTid.get(tid);
        return entry == null ? -1 : entry.pid;
    }

    /** The latest comm (thread name) perf printed for this thread, or null when the thread was not seen. */
    public String commOf(int tid) {
        Entry entry = byTid.get(tid);
        return entry == null ? null : entry.comm;
    }

    private static final class Entry {
        final int tid;
        int pid = -1;
        String comm;

        Entry(int tid) {
            this.tid = tid;
        }
    }
}
