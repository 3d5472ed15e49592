package io.per4m.report;

/** Samples of one counter, times in ns relative to the trace start, sorted by time. */
public record CounterTrack(String name, long[] time, double[] value) {
}
