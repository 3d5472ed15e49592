package io.per4m.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How viztracer's timestamps relate to perf's, from the sync file per4m.runner writes.
 * <p>
 * viztracer stamps events with the TSC, converted at save time to CLOCK_MONOTONIC: the conversion is anchored
 * at import (the mean of 1000 TSC/clock_gettime(CLOCK_MONOTONIC) pairs) with a rate calibrated between import
 * and the first conversion (quicktime.c). perf records with {@code -k CLOCK_MONOTONIC}. So the offset is
 * essentially zero; the sync pairs measure what is left (here 10–30 ns at the end pair, about 0.5 µs at the start
 * pair, whose reading goes through a slower Python call). The pair read with the least uncertainty wins.
 *
 * @param offsetNs        perf time minus viztracer time, in ns: viztracer µs = (perf ns - offsetNs) / 1000
 * @param uncertaintyNs   how long the chosen pair took to read (0 when there were no pairs)
 * @param disagreementNs  largest difference between the offsets of all pairs (rate error and reading noise)
 */
public record ViztracerClock(long offsetNs, long uncertaintyNs, long disagreementNs) {
    /** Both sides read CLOCK_MONOTONIC: what applies when viztracer did not run. */
    public static final ViztracerClock SAME_CLOCK = new ViztracerClock(0, 0, 0);

    public static ViztracerClock fromSyncFile(Path syncFile) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(syncFile.toFile());
        } catch (IOException e) {
            throw new UserError("cannot read the clock sync file " + syncFile + ": " + e.getMessage());
        }
        return fromSyncJson(root, syncFile.toString());
    }

    static ViztracerClock fromSyncJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new UserError("clock sync file " + source + " is not a JSON object");
        }
        String clock = root.path("clock").asText("");
        if (!clock.equals("CLOCK_MONOTONIC")) {
            throw new UserError("clock sync file " + source + " is for clock '" + clock
                    + "', perf records CLOCK_MONOTONIC: rerun with the matching per4m.runner");
        }
        long bestOffset = 0;
        long bestUncertainty = Long.MAX_VALUE;
        long minOffset = Long.MAX_VALUE;
        long maxOffset = Long.MIN_VALUE;
        for (JsonNode pair : root.path("pairs")) {
            if (!pair.path("viztracer_us").isNumber() || !pair.path("clock_ns").isNumber()) {
                throw new UserError("clock sync file " + source + " has a pair without viztracer_us/clock_ns");
            }
            long vizNs = Math.round(pair.get("viztracer_us").asDouble() * 1000.0);
            long offset = pair.get("clock_ns").asLong() - vizNs;
            long uncertainty = pair.path("uncertainty_ns").asLong(Long.MAX_VALUE - 1);
            minOffset = Math.min(minOffset, offset);
            maxOffset = Math.max(maxOffset, offset);
            if (uncertainty < bestUncertainty) {
                bestUncertainty = uncertainty;
                bestOffset = offset;
            }
        }
        if (bestUncertainty == Long.MAX_VALUE) {
            return SAME_CLOCK;
        }
        return new ViztracerClock(bestOffset, bestUncertainty, maxOffset - minOffset);
    }

    /** A perf timestamp on viztracer's time line, in µs. */
    public double toViztracerUs(long perfNs) {
        return (perfNs - offsetNs) / 1000.0;
    }

    /** A viztracer timestamp (µs) on perf's time line, in ns. */
    public long toPerfNs(double viztracerUs) {
        return Math.round(viztracerUs * 1000.0) + offsetNs;
    }
}
