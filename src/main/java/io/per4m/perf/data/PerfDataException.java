package io.per4m.perf.data;

/** A perf.data file this reader cannot read; the message completes "cannot read FILE: ...". */
public final class PerfDataException extends RuntimeException {
    public PerfDataException(String message) {
        super(message);
    }
}
