package io.per4m.report;

import io.per4m.html.HtmlText;
import java.util.Base64;

/**
 * The report for a notebook output cell: the page in an iframe ({@code srcdoc}, sandboxed: scripts run but
 * cannot touch the notebook) that tells its height to the parent, and download links below it. Everything
 * is in the HTML, so the output survives saving and reopening the notebook.
 */
final class InlineReport {
    static final long EMBED_LIMIT_BYTES = 8L << 20;
    private static final String SANDBOX = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox";

    private final String page;
    private final ReportData data;

    InlineReport(String page, ReportData data) {
        this.page = page;
        this.data = data;
    }

    String html(String htmlHref, String traceHref, byte[] embeddedTrace, String traceFileName) {
        StringBuilder sb = new StringBuilder(page.length() + page.length() / 8 + 2048);
        sb.append("<div class=\"per4m-inline\">");
        sb.append("<iframe class=\"per4m-report\" title=\"per4m GIL report\" sandbox=\"").append(SANDBOX)
                .append("\" style=\"width:100%;height:").append(estimatedHeight())
                .append("px;border:1px solid #d9dde3;border-radius:6px;background:#fff\" srcdoc=\"")
                .append(HtmlText.escape(page)).append("\"></iframe>");
        sb.append("<div style=\"font:12px system-ui,sans-serif;color:#555;margin:4px 2px\">");
        boolean any = false;
        // open in a new tab (the front end serves the cell's files), not saved: `download` would save them
        if (htmlHref != null) {
            sb.append("<a href=\"").append(HtmlText.escape(htmlHref)).append("\" target=\"_blank\" rel=\"noopener\">Open report HTML</a>");
            any = true;
        }
        if (traceHref != null) {
            sb.append(any ? " · " : "").append("<a href=\"").append(HtmlText.escape(traceHref))
                    .append("\" target=\"_blank\" rel=\"noopener\">Open trace JSON</a>");
            any = true;
        } else if (embeddedTrace != null) {
            sb.append(any ? " · " : "").append("<a download=\"").append(HtmlText.escape(traceFileName))
                    .append("\" href=\"data:application/json;base64,")
                    .append(Base64.getEncoder().encodeToString(embeddedTrace)).append("\">Download trace JSON</a>");
            any = true;
        }
        sb.append("</div>");
        // front ends strip scripts and iframes from an untrusted notebook's HTML: then only this says why
        sb.append("<div class=\"per4m-untrusted\" style=\"font:12px system-ui,sans-serif;color:#a33;margin:4px 2px\">")
                .append(UNTRUSTED_NOTE).append("</div>");
        sb.append(RESIZE_SCRIPT);
        sb.append("</div>");
        return sb.toString();
    }

    /** A first height before the page reports its own; roughly the page's layout. */
    int estimatedHeight() {
        int lanes = 0;
        for (ThreadLanes t : data.threads()) {
            lanes += 18 + (t.gil().size() > 0 ? 16 : 0) + (t.state().size() > 0 ? 12 : 0)
                    + Math.min(t.calls().size(), 40) * 16 + t.counters().size() * 30 + 8;
        }
        int summary = 330 + data.threads().size() * 30;
        return Math.min(2400, summary + 140 + lanes);
    }

    /** What each front end offers to trust a notebook (none of them has it under JupyterLab 4's File menu). */
    static final String UNTRUSTED_NOTE = "The report is not shown because this notebook is not trusted here. "
            + "Trust it: JupyterLab 4 and Notebook 7, command palette (Ctrl+Shift+C), \u201cTrust Notebook\u201d; "
            + "classic Notebook, File \u25b8 Trust Notebook; VS Code trusts notebooks with its workspace "
            + "(\u201cManage Workspace Trust\u201d). Or run the cell again. The report HTML linked above opens on its own.";

    private static final String RESIZE_SCRIPT = """
            <script>(function(){
              var notes = document.querySelectorAll('.per4m-untrusted');
              for (var n = 0; n < notes.length; n++) notes[n].remove();
              if (window.__per4mResize) return; window.__per4mResize = true;
              window.addEventListener('message', function (e) {
                var d = e.data;
                if (!d || typeof d.per4mReportHeight !== 'number') return;
                var frames = document.querySelectorAll('iframe.per4m-report');
                for (var i = 0; i < frames.length; i++) {
                  if (frames[i].contentWindow === e.source) {
                    frames[i].style.height = Math.min(Math.max(d.per4mReportHeight + 4, 200), 4000) + 'px';
                  }
                }
              });
            })();</script>""";
}
