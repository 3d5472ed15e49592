package io.per4m.perf.data;

import java.nio.ByteBuffer;

/**
 * The fields of a sample record up to and including its callchain, in PERF_SAMPLE_* bit order (what comes after
 * differs by reader: a tracepoint's raw payload, a user stack).
 *
 * @param next index of the first byte after the callchain (where RAW would start); -1 when the callchain's length
 *             runs past the record's end (a damaged record)
 */
record SampleFields(int pid, int tid, long timeNs, int cpu, long period, int next) {
    /** @param at index of the record's header in {@code b} */
    static SampleFields read(ByteBuffer b, int at, EventAttr event) {
        int i = at + 8;
        i += event.has(EventAttr.SAMPLE_IDENTIFIER) ? 8 : 0;
        i += event.has(EventAttr.SAMPLE_IP) ? 8 : 0;
        int pid = -1;
        int tid = -1;
        if (event.has(EventAttr.SAMPLE_TID)) {
            pid = b.getInt(i);
            tid = b.getInt(i + 4);
            i += 8;
        }
        long time = 0;
        if (event.has(EventAttr.SAMPLE_TIME)) {
            time = b.getLong(i);
            i += 8;
        }
        i += event.has(EventAttr.SAMPLE_ADDR) ? 8 : 0;
        i += event.has(EventAttr.SAMPLE_ID) ? 8 : 0;
        i += event.has(EventAttr.SAMPLE_STREAM_ID) ? 8 : 0;
        int cpu = -1;
        if (event.has(EventAttr.SAMPLE_CPU)) {
            cpu = b.getInt(i);
            i += 8;
        }
        long period = 0;
        if (event.has(EventAttr.SAMPLE_PERIOD)) {
            period = b.getLong(i);
            i += 8;
        }
        if (event.has(EventAttr.SAMPLE_CALLCHAIN)) {
            long frames = b.getLong(i);
            int end = at + (b.getShort(at + 6) & 0xffff);
            if (frames < 0 || frames > (end - i - 8) / 8) {
                return new SampleFields(pid, tid, time, cpu, period, -1);
            }
            i += 8 + 8 * (int) frames;
        }
        return new SampleFields(pid, tid, time, cpu, period, i);
    }
}
