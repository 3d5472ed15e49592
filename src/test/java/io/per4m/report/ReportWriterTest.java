package io.per4m.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {
    static final String EVIL_THREAD = "<img src=x onerror=alert(1)>";
    static final String EVIL_CALL = "f (</script><script>alert(2)</script>:1)";

    static ReportData hostile() {
        ReportDataBuilder b = new ReportDataBuilder().title("</title><b>x</b>");
        b.threadName(1, 1, EVIL_THREAD);
        b.gil(1, 1, ReportData.GIL_HELD, 1000, 2000);
        b.call(1, 1, EVIL_CALL, 1000, 500);
        b.call(1, 1, "line\u2028sep & <!-- -->", 1600, 100);
        return b.build();
    }

    @Test
    void namesFromTheTracedProgramNeverBecomeMarkup() {
        String page = new ReportWriter().page(hostile());
        assertFalse(page.contains(EVIL_THREAD));
        assertFalse(page.contains("<script>alert"));
        assertFalse(page.contains("\u2028"));
        assertEquals(2, count(page, "<script"), "only the data block and the page's own script");
        assertEquals(2, count(page, "</script"));
        assertTrue(page.contains("<title>&lt;/title&gt;&lt;b&gt;x&lt;/b&gt; · per4m GIL report</title>"));
        assertTrue(page.contains("\\u003cimg src=x onerror=alert(1)\\u003e"));
    }

    @Test
    void thePageLoadsNothingFromOutside() {
        String page = new ReportWriter().page(hostile());
        assertFalse(Pattern.compile("<(link|img|iframe)\\b|\\bsrc\\s*=|@import|url\\(").matcher(page.replace(
                "\\u003cimg src=x onerror=alert(1)\\u003e", "")).find());
        assertTrue(page.contains("Content-Security-Policy"));
    }

    @Test
    void pageWithoutDataStaysSmall() {
        int bytes = new ReportWriter().pageSizeWithoutData();
        assertTrue(bytes < 300 * 1024, bytes + " bytes");
        assertTrue(bytes > 10 * 1024, "the scripts are in the page: " + bytes);
    }

    @Test
    void notebookFragmentIsOneSandboxedIframeWithTheEscapedPage() throws IOException {
        ReportData data = hostile();
        String fragment = new ReportWriter().inline(data, null, "out/report.html", "out/trace.json");
        assertEquals(1, count(fragment, "<iframe"));
        assertEquals(1, count(fragment, "<script"), "only the notebook page's helper; the page's scripts are inside srcdoc");
        assertTrue(fragment.contains("sandbox=\"allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox\""));
        assertFalse(fragment.contains("allow-same-origin"));
        String outside = fragment.replaceAll("srcdoc=\"[^\"]*\"", "");
        assertTrue(Pattern.compile("<a [^>]*href=\"out/report.html\" target=\"_blank\" rel=\"noopener\">").matcher(outside).find(),
                "opens, not saved");
        assertFalse(outside.contains(" download"), "a link that opens the cell's file does not save it instead");
        assertTrue(outside.contains("command palette") && outside.contains("Manage Workspace Trust")
                && !outside.contains("JupyterLab: File"), "the note names what each front end offers");
        Matcher srcdoc = Pattern.compile("srcdoc=\"([^\"]*)\"").matcher(fragment);
        assertTrue(srcdoc.find());
        String unescaped = srcdoc.group(1).replace("&quot;", "\"").replace("&#10;", "\n").replace("&#13;", "\r")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        assertEquals(new ReportWriter().page(data), unescaped);
        assertTrue(fragment.contains("href=\"out/report.html\""));
        assertTrue(fragment.contains("href=\"out/trace.json\""));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
