package io.per4m.report;

import io.per4m.files.OutputFile;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the report: one self-contained HTML file (no network at view time), or the same page wrapped for
 * an output cell of a notebook. Used by {@code per4m report}, giltracer and the notebook magic.
 */
public final class ReportWriter {
    private final PageTemplate template = new PageTemplate();

    /** Reads {@code traceJson} (streaming) and writes the report page to {@code htmlOut}. */
    public ReportData write(Path traceJson, Path htmlOut) throws IOException {
        ReportData data = TraceJsonReader.read(traceJson);
        write(data, htmlOut);
        return data;
    }

    /** Writes a page for data collected live (see {@link ReportDataBuilder}), without a trace file. */
    public void write(ReportData data, Path htmlOut) throws IOException {
        Path parent = htmlOut.toAbsolutePath().getParent();
        if (parent != null && !OutputFile.isStdout(htmlOut)) {
            Files.createDirectories(parent);
        }
        OutputFile.of(htmlOut).write(out -> template.write(data, out));
    }

    public void write(ReportData data, Writer out) throws IOException {
        template.write(data, out);
    }

    public String page(ReportData data) {
        StringWriter out = new StringWriter();
        try {
            template.write(data, out);
        } catch (IOException e) {
            throw new IllegalStateException("StringWriter cannot fail", e);
        }
        return out.toString();
    }

    /**
     * Writes the page to {@code htmlOut} and returns the HTML for a notebook output cell: the same page in a
     * sandboxed iframe plus download links. Links are relative to the notebook's folder when given; without
     * a {@code traceHref} a trace up to {@link InlineReport#EMBED_LIMIT_BYTES} is embedded as a data link.
     */
    public String writeInline(Path traceJson, Path htmlOut, String htmlHref, String traceHref) throws IOException {
        ReportData data = write(traceJson, htmlOut);
        return inline(data, traceJson, htmlHref, traceHref);
    }

    /**
     * The notebook fragment for data already written; {@code traceJson} (may be null) is embedded as a data
     * link when no {@code traceHref} is given and it is small enough.
     */
    public String inline(ReportData data, Path traceJson, String htmlHref, String traceHref) throws IOException {
        byte[] embedded = traceHref == null && traceJson != null
                && Files.size(traceJson) <= InlineReport.EMBED_LIMIT_BYTES ? Files.readAllBytes(traceJson) : null;
        return new InlineReport(page(data), data).html(htmlHref, traceHref, embedded,
                traceJson == null ? "trace.json" : traceJson.getFileName().toString());
    }

    /** Bytes of the page around the data: the size budget's "page without data". */
    public int pageSizeWithoutData() {
        return template.sizeWithoutData();
    }
}
