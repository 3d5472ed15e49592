package io.per4m.trace;

/**
 * Maps perf's clock onto the trace's clock (viztracer's, when merging): {@code traceNs = perfNs + offsetNs}.
 */
public record ClockAlignment(long offsetNs) {
    public static final ClockAlignment NONE = new ClockAlignment(0);

    public long toTraceNs(long perfNs) {
        return perfNs + offsetNs;
    }
}
