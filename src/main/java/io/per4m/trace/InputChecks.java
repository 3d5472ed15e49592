package io.per4m.trace;

import io.per4m.UserError;
import io.per4m.perf.ParseReport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Whether an input can be converted: refused before anything is written, or once read when nothing was usable. */
final class InputChecks {
    private static final byte[] PERF_DATA_MAGIC = "PERFILE2".getBytes(StandardCharsets.US_ASCII);

    private InputChecks() {
    }

    /** Empty or perf.data input given as text is recognised before anything is written. */
    static void checkStart(BufferedInputStream in, String inputName) throws IOException {
        in.mark(PERF_DATA_MAGIC.length);
        byte[] start = in.readNBytes(PERF_DATA_MAGIC.length);
        in.reset();
        if (start.length == 0) {
            throw new UserError(InputProblems.empty());
        }
        if (Arrays.equals(start, PERF_DATA_MAGIC)) {
            throw new UserError(InputProblems.binary(inputName));
        }
    }

    /** Throws when nothing usable was read; a recording that turns binary half-way is kept up to that point. */
    static void checkUsable(ParseReport report, String inputName, PerfToTrace.Mode mode, String probeGroup,
                            boolean sawGil, boolean sawSched, long counterPoints) {
        boolean usable = switch (mode) {
            case GIL -> sawGil;
            case SCHED -> sawSched || counterPoints > 0;
            case ALL -> sawGil || sawSched || counterPoints > 0;
        };
        if (usable) {
            return;
        }
        if (report.binary()) {
            // perf.data's magic at the start was refused before the pass: what stopped it is a NUL byte
            throw new UserError(InputProblems.nulByte(inputName, report.lines()));
        }
        if (report.lines() == 0) {
            throw new UserError(InputProblems.empty());
        }
        if (report.events() == 0) {
            throw new UserError(InputProblems.noEvents(report));
        }
        throw new UserError(switch (mode) {
            case GIL -> InputProblems.noGilEvents(report.events(), probeGroup);
            case SCHED -> InputProblems.noSchedEvents(report.events());
            case ALL -> InputProblems.nothingUsable(report.events());
        });
    }
}
