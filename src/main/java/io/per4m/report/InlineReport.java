package io.per4m.report;

import io.per4m.html.HtmlText;
import java.util.Base64;

/**
 * The report for a notebook output cell: the figures as plain HTML (read where no script runs), the page with a
 * bounded timeline in an iframe ({@code srcdoc}, sandboxed: scripts run but cannot touch the notebook), and links to
 * the cell's files. A script for the notebook's page (run when the notebook is trusted) sizes the iframe, passes it
 * the front end's theme and, as the iframe cannot reach the server, fetches the cell's files for it: the rest of
 * the timeline from the report HTML, and the files its buttons save. The output survives saving and reopening.
 */
final class InlineReport {
    static final long EMBED_LIMIT_BYTES = 8L << 20;
    /** Links in the page's text colour: readable on a light or dark front end without knowing which. */
    private static final String LINK = "color:inherit;text-decoration:underline";
    private static final String SANDBOX = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox";

    private final String page;
    private final TimelineCut cut;

    InlineReport(String page, TimelineCut cut) {
        this.page = page;
        this.cut = cut;
    }

    String html(String htmlHref, String traceHref, byte[] embeddedTrace, String traceFileName) {
        StringBuilder sb = new StringBuilder(page.length() + page.length() / 8 + 8192);
        sb.append("<div class=\"per4m-inline\">");
        sb.append(InlineSummary.html(cut, traceFileName));
        // no background of its own: until the page paints, the front end's (light or dark) shows through
        sb.append("<iframe class=\"per4m-report\" title=\"per4m GIL report\" sandbox=\"").append(SANDBOX)
                .append("\" style=\"width:100%;height:").append(estimatedHeight())
                .append("px;border:1px solid rgba(127,127,127,.35);border-radius:6px;background:transparent\" srcdoc=\"")
                .append(HtmlText.escapeDocument(page)).append("\"></iframe>");
        sb.append("<div style=\"font:12px system-ui,sans-serif;opacity:.8;margin:4px 2px\">");
        boolean any = false;
        // open in a new tab (the front end serves the cell's files), not saved: `download` would save them
        if (htmlHref != null) {
            sb.append("<a class=\"per4m-report-file\" style=\"" + LINK + "\" href=\"").append(HtmlText.escape(htmlHref))
                    .append("\" target=\"_blank\" rel=\"noopener\">Open report HTML</a>");
            any = true;
        }
        if (traceHref != null) {
            sb.append(any ? " · " : "").append("<a class=\"per4m-trace-file\" style=\"" + LINK + "\" href=\"").append(HtmlText.escape(traceHref))
                    .append("\" target=\"_blank\" rel=\"noopener\">Open trace JSON</a>");
            any = true;
        } else if (embeddedTrace != null) {
            sb.append(any ? " · " : "").append("<a class=\"per4m-trace-file\" style=\"" + LINK + "\" download=\"").append(HtmlText.escape(traceFileName))
                    .append("\" href=\"data:application/json;base64,")
                    .append(Base64.getEncoder().encodeToString(embeddedTrace)).append("\">Download trace JSON</a>");
            any = true;
        }
        sb.append("</div>");
        // front ends strip scripts and iframes from an untrusted notebook's HTML: then only this says why
        sb.append("<div class=\"per4m-untrusted\" style=\"font:12px system-ui,sans-serif;color:#e03131;margin:4px 2px\">")
                .append(UNTRUSTED_NOTE).append("</div>");
        sb.append(HOST_SCRIPT);
        sb.append("</div>");
        return sb.toString();
    }

    /** A first height before the page reports its own; roughly the page's layout. */
    int estimatedHeight() {
        int lanes = 0;
        for (ThreadLanes t : cut.data().threads()) {
            lanes += 18 + (t.gil().size() > 0 ? 16 : 0) + (t.state().size() > 0 ? 12 : 0)
                    + Math.min(t.calls().size(), 40) * 16 + t.counters().size() * 30 + 8;
        }
        int summary = 330 + cut.data().threads().size() * 30;
        return Math.min(2400, summary + 140 + lanes);
    }

    /** What each front end offers to trust a notebook (none of them has it under JupyterLab 4's File menu). */
    static final String UNTRUSTED_NOTE = "The interactive report is not shown because this notebook is not trusted here. "
            + "Trust it: JupyterLab 4 and Notebook 7, command palette (Ctrl+Shift+C), \u201cTrust Notebook\u201d; "
            + "classic Notebook, File \u25b8 Trust Notebook; VS Code trusts notebooks with its workspace "
            + "(\u201cManage Workspace Trust\u201d). Or run the cell again. The report HTML linked above opens on its own.";

    /**
     * Runs in the notebook's page, once for all outputs. Messages from a report's iframe: its height (answered,
     * the first time, with the front end's theme and which files are linked), "send the timeline" (the report
     * HTML's data, fetched through its link as JupyterLab rewrote it to the server's files URL) and "save a file"
     * (fetched the same way, saved under the name the page asks for; the iframe's own downloads cannot reach the
     * server). JupyterLab's theme is {@code data-jp-theme-light} on the body (VS Code's a class); a change is passed on.
     */
    private static final String HOST_SCRIPT = """
            <script>(function(){
              // this output's note only: another notebook open beside this one may not be trusted
              var me = document.currentScript, own = me && me.closest ? me.closest('.per4m-inline') : null;
              var notes = own ? own.querySelectorAll('.per4m-untrusted') : [];
              for (var n = 0; n < notes.length; n++) notes[n].remove();
              if (window.__per4mHost) return; window.__per4mHost = true;
              var DATA = '<' + 'script type="application/json" id="per4m-data">';
              function theme() {
                var body = document.body, light = body && body.getAttribute('data-jp-theme-light');
                if (light === 'false' || light === 'true') return light === 'true' ? 'light' : 'dark';
                return body && body.classList.contains('vscode-dark') ? 'dark' : body && body.classList.contains('vscode-light') ? 'light' : null;
              }
              function frames() { return document.querySelectorAll('iframe.per4m-report'); }
              function frameOf(win) {
                var all = frames();
                for (var i = 0; i < all.length; i++) if (all[i].contentWindow === win) return all[i];
                return null;
              }
              function get(a) {
                if (!a) return Promise.reject(new Error('no link to the file in this output'));
                return fetch(a.href, { credentials: 'same-origin' }).then(function (r) {
                  if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
                  return r;
                });
              }
              window.addEventListener('message', function (e) {
                var d = e.data, frame = d && typeof d === 'object' ? frameOf(e.source) : null;
                if (!frame) return;
                var box = frame.closest('.per4m-inline'), send = function (m) { e.source.postMessage(m, '*'); };
                var links = { report: box.querySelector('a.per4m-report-file'), trace: box.querySelector('a.per4m-trace-file') };
                if (typeof d.per4mReportHeight === 'number') {
                  frame.style.height = Math.min(Math.max(d.per4mReportHeight + 4, 200), 4000) + 'px';
                  var summary = box.querySelector('.per4m-summary');
                  if (summary) summary.hidden = true;  // the report shows the same figures
                  if (!frame.__per4mGreeted) {
                    frame.__per4mGreeted = true;
                    send({ per4mHost: { theme: theme(), report: !!links.report, trace: !!links.trace } });
                  }
                } else if (d.per4mWants === 'timeline') {
                  get(links.report).then(function (r) { return r.text(); }).then(function (html) {
                    var at = html.indexOf(DATA), end = html.indexOf('</' + 'script>', at);
                    if (at < 0 || end < 0) throw new Error('the server sent no report there');
                    send({ per4mTimeline: html.slice(at + DATA.length, end) });
                  }).catch(function (err) { send({ per4mTimelineFailed: String(err.message || err) }); });
                } else if (d.per4mSave === 'report' || d.per4mSave === 'trace') {
                  var blob;
                  get(links[d.per4mSave]).then(function (r) { return r.blob(); }).then(function (b) {
                    blob = b;
                    return b.slice(0, 1 << 16).text();
                  }).then(function (head) {
                    // a link the front end has not rewritten yet brings its own page, not the cell's file
                    if (d.per4mSave === 'report' ? head.indexOf('<meta name="generator" content="per4m">') < 0 : !/^\\s*\\{/.test(head)) {
                      throw new Error('the server sent no ' + d.per4mSave + ' there');
                    }
                    var a = document.createElement('a');
                    a.href = URL.createObjectURL(blob); a.download = String(d.name); a.rel = 'noopener';
                    document.body.appendChild(a); a.click(); a.remove();
                    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
                    send({ per4mSaved: d.per4mSave });
                  }).catch(function (err) { send({ per4mSaveFailed: d.per4mSave, reason: String(err.message || err) }); });
                }
              });
              if (window.MutationObserver && document.body) {
                new MutationObserver(function () {
                  var all = frames();
                  for (var i = 0; i < all.length; i++) all[i].contentWindow.postMessage({ per4mTheme: theme() }, '*');
                }).observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-light', 'class'] });
              }
            })();</script>""";
}
