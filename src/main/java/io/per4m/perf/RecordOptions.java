package io.per4m.perf;

import io.per4m.UserError;

import java.util.List;

/**
 * What a perf recording captures, for giltracer and for the notebook alike (two cells with equal options share
 * one attached perf session).
 *
 * @param gil           record the GIL probes (take_gil/drop_gil entry and return)
 * @param states        record scheduler tracepoints for process states
 * @param counters      software/hardware counter names, e.g. page-faults, context-switches
 * @param probeGroup    uprobe group holding the GIL probes ({@value #DEFAULT_PROBE_GROUP} when not given)
 * @param stackSampleHz samples per second and thread of the user stack (for Python stacks through CPython's perf
 *                      trampolines, see {@link StackSampling}), 0 for none
 */
public record RecordOptions(boolean gil, boolean states, List<String> counters, String probeGroup,
                            int stackSampleHz) {
    public static final String DEFAULT_PROBE_GROUP = "python";

    /** Refuses what perf would refuse later, and options that leave perf nothing to record. */
    public RecordOptions {
        counters = counters == null ? List.of() : List.copyOf(counters);
        probeGroup = probeGroup == null || probeGroup.isBlank() ? DEFAULT_PROBE_GROUP : probeGroup;
        if (!probeGroup.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new UserError("invalid probe group name '" + probeGroup + "': use letters, digits and _");
        }
        for (String counter : counters) {
            if (!counter.matches("[A-Za-z0-9_:.-]+")) {
                throw new UserError("invalid counter name '" + counter + "'");
            }
        }
        if (!gil && !states && counters.isEmpty()) {
            throw new UserError("nothing to record: leave GIL detection on (no --no-gil-detect), "
                    + "or add --state-detect or --counters");
        }
    }

    public RecordOptions(boolean gil, boolean states, List<String> counters, String probeGroup) {
        this(gil, states, counters, probeGroup, 0);
    }

    /** The same options recording the GIL probes of another group (one that points at the traced interpreter). */
    public RecordOptions withProbeGroup(String group) {
        return new RecordOptions(gil, states, counters, group, stackSampleHz);
    }
}
