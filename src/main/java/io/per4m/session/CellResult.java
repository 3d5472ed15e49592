package io.per4m.session;

import java.util.List;

/**
 * What one traced cell produced.
 *
 * @param outDir      directory holding the cell's files
 * @param traceJson   path of the merged Trace Event Format JSON (null when not written)
 * @param reportHtml  path of the stand-alone HTML report (null when not written)
 * @param summaryJson the summary JSON (figures) as text, "{}" when there are none
 * @param inlineHtml  HTML fragment to show in the notebook output
 * @param messages    short notes for the user (lost events, missing data, ...)
 * @param lostEvents  events perf reported as lost in this window
 * @param engineMillis time the engine spent after the cell (disable, cut, convert, report)
 */
public record CellResult(String outDir, String traceJson, String reportHtml, String summaryJson, String inlineHtml,
                         List<String> messages, long lostEvents, long engineMillis) {
}
