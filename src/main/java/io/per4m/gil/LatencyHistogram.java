package io.per4m.gil;

/**
 * Latency distribution in constant memory (about 30 KB, whatever the number of values): a log-linear histogram.
 * Values below 128 ns are counted exactly; above, each power of two is split into 64 equal buckets and a value
 * is reported as the middle of its bucket, so a percentile is off by at most 1/128 (0.8 %) of its value.
 * Count, minimum and maximum are exact; percentiles are nearest-rank (the smallest value with at least p of all
 * values at or below it), clamped to [min, max].
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB_COUNT = 1 << SUB_BITS;          // 64 buckets per power of two
    private static final int EXACT_LIMIT = 2 * SUB_COUNT;        // 0..127 exact
    private static final int BUCKETS = EXACT_LIMIT + (62 - SUB_BITS) * SUB_COUNT;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Adds one value; negative values count as 0. */
    public void record(long valueNs) {
        long v = Math.max(0, valueNs);
        counts[index(v)]++;
        count++;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    public long count() {
        return count;
    }

    public long max() {
        return count == 0 ? 0 : max;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]; 0 when empty. */
    public long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, Math.max(min, representative(i)));
            }
        }
        return max;
    }

    public LatencyFigures figures() {
        if (count == 0) {
            return LatencyFigures.EMPTY;
        }
        return new LatencyFigures(count, percentile(50), percentile(90), percentile(99), max);
    }

    static int index(long v) {
        if (v < EXACT_LIMIT) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);   // >= 7
        int shift = exponent - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB_COUNT;           // 0..63
        return EXACT_LIMIT + (exponent - SUB_BITS - 1) * SUB_COUNT + sub;
    }

    /** Middle of bucket {@code i}. */
    static long representative(int i) {
        if (i < EXACT_LIMIT) {
            return i;
        }
        int exponent = (i - EXACT_LIMIT) / SUB_COUNT + SUB_BITS + 1;
        int sub = (i - EXACT_LIMIT) % SUB_COUNT;
        int shift = exponent - SUB_BITS;
        long low = (long) (SUB_COUNT + sub) << shift;
        return low + ((1L << shift) - 1) / 2;
    }
}
