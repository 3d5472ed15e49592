package io.per4m.perf.data;

/**
 * What the reader needs of one {@code perf_event_attr} of a recording, with the name perf gave the event.
 *
 * @param name        event name as perf script prints it, e.g. {@code python:take_gil}, {@code page-faults}
 * @param type        PERF_TYPE_* (2 is a tracepoint, uprobes included)
 * @param config      for tracepoints, the tracepoint id
 * @param sampleType  PERF_SAMPLE_* bits: which fields a sample of this event carries
 * @param sampleIdAll non-sample records carry the sample_id trailer
 * @param ids         the sample ids perf assigned to this event (one per cpu or thread it was opened on)
 * @param sampleRegsUser which user registers a sample carries (PERF_SAMPLE_REGS_USER), a bit per register
 */
public record EventAttr(String name, int type, long config, long sampleType, boolean sampleIdAll, long[] ids,
                        long sampleRegsUser) {
    static final int TYPE_SOFTWARE = 1;
    static final int TYPE_TRACEPOINT = 2;

    static final long SAMPLE_IP = 1L;
    static final long SAMPLE_TID = 1L << 1;
    static final long SAMPLE_TIME = 1L << 2;
    static final long SAMPLE_ADDR = 1L << 3;
    static final long SAMPLE_READ = 1L << 4;
    static final long SAMPLE_CALLCHAIN = 1L << 5;
    static final long SAMPLE_ID = 1L << 6;
    static final long SAMPLE_CPU = 1L << 7;
    static final long SAMPLE_PERIOD = 1L << 8;
    static final long SAMPLE_STREAM_ID = 1L << 9;
    static final long SAMPLE_RAW = 1L << 10;
    static final long SAMPLE_BRANCH_STACK = 1L << 11;
    static final long SAMPLE_REGS_USER = 1L << 12;
    static final long SAMPLE_STACK_USER = 1L << 13;
    static final long SAMPLE_IDENTIFIER = 1L << 16;
    boolean tracepoint() {
        return type == TYPE_TRACEPOINT;
    }

    boolean has(long sampleBit) {
        return (sampleType & sampleBit) != 0;
    }
}
