package io.per4m.gil;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {
    @Test
    void emptyGivesZeros() {
        assertEquals(LatencyFigures.EMPTY, new LatencyHistogram().figures());
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 100; v >= 1; v--) {
            h.record(v);
        }
        // 1..100, nearest rank: p50 = 50th value = 50, p90 = 90, p99 = 99; max 100
        assertEquals(new LatencyFigures(100, 50, 90, 99, 100), h.figures());
    }

    @Test
    void singleLargeValueIsExactEverywhere() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_000_003);
        // clamped to [min, max], which are exact
        assertEquals(new LatencyFigures(1, 1_000_003, 1_000_003, 1_000_003, 1_000_003), h.figures());
    }

    @Test
    void negativeCountsAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        assertEquals(new LatencyFigures(1, 0, 0, 0, 0), h.figures());
    }

    @Test
    void percentilesWithinOneHundredTwentyEighthOfTheExactValue() {
        Random random = new Random(42);
        int n = 200_000;
        long[] values = new long[n];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < n; i++) {
            // log-uniform from 1 ns to ~17 s
            values[i] = (long) Math.exp(random.nextDouble() * Math.log(1L << 34));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[]{0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100}) {
            long exact = values[(int) Math.max(1, Math.ceil(p / 100 * n)) - 1];
            long estimate = h.percentile(p);
            assertTrue(Math.abs(estimate - exact) <= exact / 128.0,
                    "p" + p + ": exact " + exact + ", histogram " + estimate);
        }
        assertEquals(values[n - 1], h.max());
        assertEquals(n, h.count());
    }

    @Test
    void bucketsAreOrderedAndCoverEveryLong() {
        long[] probes = {0, 1, 126, 127, 128, 129, 255, 256, 1000, 1 << 20, (1L << 40) + 12345, 1L << 62,
                Long.MAX_VALUE};
        int previous = -1;
        for (long v : probes) {
            int i = LatencyHistogram.index(v);
            assertTrue(i >= previous, "index must not decrease at " + v);
            previous = i;
            long mid = LatencyHistogram.representative(i);
            assertTrue(Math.abs((double) mid - v) <= v / 128.0, v + " -> " + mid);
        }
        assertEquals(127, LatencyHistogram.index(127));
        assertEquals(128, LatencyHistogram.index(128));
        assertEquals(128, LatencyHistogram.index(129), "128 and 129 share a bucket of width 2");
    }
}
