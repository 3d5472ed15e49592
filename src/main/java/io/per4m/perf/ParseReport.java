package io.per4m.perf;

import java.util.List;

/**
 * What a parse pass read.
 *
 * @param lines          lines read
 * @param bytes          bytes read
 * @param events         events delivered
 * @param badLines       lines that could not be parsed (counted, skipped)
 * @param firstBadLines  the first few bad lines, with their line numbers, for the error report
 * @param binary         the input looked binary (e.g. a perf.data file given instead of perf script output)
 */
public record ParseReport(long lines, long bytes, long events, long badLines, List<BadLine> firstBadLines,
                          boolean binary) {
    public record BadLine(long lineNumber, String text) {
    }
}
