package io.per4m.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.per4m.html.HtmlText;
import io.per4m.trace.SummaryTable;

import java.util.Locale;

/**
 * The figures of a notebook's report as plain HTML, readable where no script runs (an untrusted notebook, a
 * notebook viewer, a repository's preview): one line on what was recorded and what the timeline in the notebook
 * holds, and the per-thread GIL table. It sets no colours of its own but the GIL states', so it takes the front
 * end's text colour, light or dark theme alike.
 */
final class InlineSummary {
    private static final String CELL = "padding:2px 10px 2px 0;border-bottom:1px solid rgba(127,127,127,.3);";
    private static final String NUM = CELL + "text-align:right;font-variant-numeric:tabular-nums;";
    private static final String[][] COLUMNS = {
            {"No GIL", "no_gil_pct", "#2f9e44"}, {"Has GIL", "held_pct", "#f08c00"},
            {"GIL wait", "wait_pct", "#e03131"}, {"Hand-over", "handover_pct", "#845ef7"}};

    private InlineSummary() {
    }

    static String html(TimelineCut cut, String traceName) {
        ReportData data = cut.data();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<div class=\"per4m-summary\" style=\"font:13px/1.4 system-ui,sans-serif;margin:4px 2px 8px\">");
        sb.append("<div><b>per4m \u00b7 ").append(HtmlText.escape(data.title())).append("</b> \u00b7 ")
                .append(SummaryTable.duration(data.spanNs())).append(" recorded \u00b7 ")
                .append(count(cut.total())).append(" events</div>");
        sb.append("<table style=\"border-collapse:collapse;margin:4px 0;font-size:12.5px\"><thead><tr>")
                .append("<th style=\"").append(CELL).append("text-align:left\">Thread</th>");
        for (String[] column : COLUMNS) {
            sb.append("<th style=\"").append(NUM).append("\"><span style=\"color:").append(column[2])
                    .append("\">\u25a0</span> ").append(column[0]).append("</th>");
        }
        sb.append("<th style=\"").append(NUM).append("\">Waits</th><th style=\"").append(NUM).append("\">Total</th></tr></thead><tbody>");
        for (JsonNode t : data.summary().path("threads")) {
            sb.append("<tr data-tid=\"").append(t.path("tid").asLong()).append("\"><td style=\"").append(CELL).append("\">")
                    .append(HtmlText.escape(t.path("name").asText())).append(t.path("main").asBoolean() ? " (main)" : "")
                    .append("</td>");
            for (String[] column : COLUMNS) {
                sb.append("<td style=\"").append(NUM).append("\">")
                        .append(String.format(Locale.ROOT, "%.1f %%", t.path(column[1]).asDouble())).append("</td>");
            }
            sb.append("<td style=\"").append(NUM).append("\">").append(t.path("wait_count").asLong()).append("</td>")
                    .append("<td style=\"").append(NUM).append("\">")
                    .append(SummaryTable.duration(Math.round(t.path("total_us").asDouble() * 1000))).append("</td></tr>");
        }
        sb.append("</tbody></table>");
        String probeNote = data.summary().path("gil_probes").path("note").asText("");
        if (!probeNote.isEmpty()) {
            sb.append("<div class=\"per4m-probes\" style=\"opacity:.8\">").append(HtmlText.escape(probeNote)).append(".</div>");
        }
        sb.append("<div class=\"per4m-cut\" data-shown=\"").append(cut.shown()).append("\" data-total=\"")
                .append(cut.total()).append("\" data-until-ns=\"").append(cut.untilNs()).append("\" style=\"opacity:.8\">")
                .append(HtmlText.escape(cutNote(cut, traceName))).append("</div>");
        sb.append("</div>");
        return sb.toString();
    }

    /** What the notebook's copy of the timeline holds, and where the rest is. */
    static String cutNote(TimelineCut cut, String traceName) {
        if (cut.whole()) {
            return "The timeline in the notebook holds all " + count(cut.total()) + " events.";
        }
        return "The timeline in the notebook holds the first " + count(cut.shown()) + " of " + count(cut.total())
                + " events: every thread complete up to " + SummaryTable.duration(cut.untilNs()) + " of "
                + SummaryTable.duration(cut.data().spanNs()) + "; the other " + count(cut.total() - cut.shown())
                + " events are in " + traceName + " (open the full report). The figures are the whole recording's.";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
