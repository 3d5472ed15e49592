package io.per4m.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one Trace Event Format event that a reader of traces needs: phase, names, ids, times in ns and the
 * scalar arguments (counter values, metadata names). One instance is filled and reused per event of a stream,
 * so that reading millions of events allocates nothing per event; a consumer copies what it keeps.
 */
public final class TraceEventFields {
    public String ph;
    public String name;
    public String cat;
    public String id;
    public int pid;
    public int tid;
    public long tsNs;
    public long durNs;
    /** {@code args.name} (metadata events), or null */
    public String argName;
    public final List<String> argKeys = new ArrayList<>();
    public final List<Double> argValues = new ArrayList<>();

    public void clear() {
        ph = null;
        name = null;
        cat = null;
        id = null;
        pid = 0;
        tid = 0;
        tsNs = 0;
        durNs = 0;
        argName = null;
        argKeys.clear();
        argValues.clear();
    }

    /** A trace's µs (as a JSON number, possibly fractional) in ns. */
    public static long nanos(double micros) {
        return Math.round(micros * 1000.0);
    }
}
