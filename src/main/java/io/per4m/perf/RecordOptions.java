package io.per4m.perf;

import java.nio.file.Path;
import java.util.List;

/**
 * What a perf recording captures.
 *
 * @param gil        record the GIL probes (take_gil/drop_gil entry and return)
 * @param states     record scheduler tracepoints for process states
 * @param counters   software/hardware counter names, e.g. page-faults, context-switches
 * @param probeGroup uprobe group holding the GIL probes (they must exist; see ProbeSetup)
 * @param workDir    where perf.data files and the control fifos go (a private temp dir)
 * @param stackSampleHz samples per second and thread of the user stack (for Python stacks through CPython's perf
 *                   trampolines, see {@link StackSampling}), 0 for none
 */
public record RecordOptions(boolean gil, boolean states, List<String> counters, String probeGroup, Path workDir,
                            int stackSampleHz) {
    public RecordOptions(boolean gil, boolean states, List<String> counters, String probeGroup, Path workDir) {
        this(gil, states, counters, probeGroup, workDir, 0);
    }
}
