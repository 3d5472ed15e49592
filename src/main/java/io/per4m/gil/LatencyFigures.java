package io.per4m.gil;

/** Distribution of GIL hand-off latencies (drop_gil of one thread to take_gil__return of the next), in ns. */
public record LatencyFigures(long count, long p50Ns, long p90Ns, long p99Ns, long maxNs) {
    public static final LatencyFigures EMPTY = new LatencyFigures(0, 0, 0, 0, 0);
}
