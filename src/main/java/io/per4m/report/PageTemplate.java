package io.per4m.report;

import io.per4m.html.HtmlText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The report page: {@code report.html} with the stylesheet and the scripts of this package's resources put
 * in, and a slot for the data. Everything the page needs is inside it, so it works offline and in a sandbox.
 */
final class PageTemplate {
    /** Scripts in load order; each is a plain script sharing the {@code Per4m} namespace object. */
    static final List<String> SCRIPTS = List.of("format.js", "summary.js", "timeline.js", "export.js", "frames.js", "main.js");
    private static final String DATA_SLOT = "@DATA@";

    private final String head;
    private final String tail;

    PageTemplate() {
        String page = resource("report.html")
                .replace("/*@CSS@*/", resource("report.css"));
        StringBuilder js = new StringBuilder();
        for (String script : SCRIPTS) {
            js.append("// ---- ").append(script).append('\n').append(resource(script)).append('\n');
        }
        if (js.toString().toLowerCase().contains("</script") || page.toLowerCase().contains("<!--")) {
            throw new IllegalStateException("report scripts must not contain </script or <!--");
        }
        page = page.replace("/*@JS@*/", js);
        int slot = page.indexOf(DATA_SLOT);
        head = page.substring(0, slot);
        tail = page.substring(slot + DATA_SLOT.length());
    }

    void write(TimelineCut cut, PageFiles files, Writer out) throws IOException {
        out.write(head.replace("@TITLE@", HtmlText.escape(cut.data().title())));
        new DataJsonWriter().write(cut, files, out);
        out.write(tail);
    }

    /** Size of the page around the data, in UTF-8 bytes (the size budget's "page without data"). */
    int sizeWithoutData() {
        return (head + tail).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String resource(String name) {
        try (InputStream in = PageTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing report resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
