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
    /**
     * Events a notebook's copy of the timeline embeds: a notebook stays small enough to open, share and save (the
     * workshop notebooks' reports, all of them, under 1 MB: bench/notebook-size.py); the rest is in the cell's files.
     */
    public static final int INLINE_EVENT_BUDGET = 3000;

    private final PageTemplate template = new PageTemplate();

    /** Reads {@code traceJson} (streaming) and writes the report page to {@code htmlOut}. */
    public ReportData write(Path traceJson, Path htmlOut) throws IOException {
        ReportData data = TraceJsonReader.read(traceJson);
        write(data, traceJson, htmlOut);
        return data;
    }

    /** Writes a page for data collected live (see {@link ReportDataBuilder}), its trace the JSON of the same name. */
    public void write(ReportData data, Path htmlOut) throws IOException {
        String name = htmlOut.getFileName().toString();
        String base = name.endsWith(".html") ? name.substring(0, name.length() - 5) : name;
        write(data, htmlOut.resolveSibling(base + ".json"), htmlOut);
    }

    /** Writes the whole page for {@code data}, whose trace is {@code traceJson} (may be null). */
    public void write(ReportData data, Path traceJson, Path htmlOut) throws IOException {
        Path parent = htmlOut.toAbsolutePath().getParent();
        if (parent != null && !OutputFile.isStdout(htmlOut)) {
            Files.createDirectories(parent);
        }
        PageFiles files = OutputFile.isStdout(htmlOut) ? PageFiles.NONE : PageFiles.of(traceJson, htmlOut, parent);
        OutputFile.of(htmlOut).write(out -> template.write(TimelineCut.all(data), files, out));
    }

    public void write(ReportData data, Writer out) throws IOException {
        template.write(TimelineCut.all(data), PageFiles.NONE, out);
    }

    public String page(ReportData data) {
        return page(TimelineCut.all(data), PageFiles.NONE);
    }

    private String page(TimelineCut cut, PageFiles files) {
        StringWriter out = new StringWriter();
        try {
            template.write(cut, files, out);
        } catch (IOException e) {
            throw new IllegalStateException("StringWriter cannot fail", e);
        }
        return out.toString();
    }

    /**
     * Writes the page to {@code htmlOut} and returns the HTML for a notebook output cell (see
     * {@link #inline(ReportData, Path, String, String)}).
     */
    public String writeInline(Path traceJson, Path htmlOut, String htmlHref, String traceHref) throws IOException {
        ReportData data = write(traceJson, htmlOut);
        return inline(data, traceJson, htmlHref, traceHref);
    }

    /**
     * The notebook fragment for data already written: a summary table that needs no script, the page with the
     * first {@link #INLINE_EVENT_BUDGET} events of the timeline in a sandboxed iframe, and links to the files,
     * relative to the notebook's folder (null when the front end cannot serve them). The rest of the timeline is
     * loaded from the report HTML when it is served; without a {@code traceHref} a trace up to
     * {@link InlineReport#EMBED_LIMIT_BYTES} is embedded as a data link.
     */
    public String inline(ReportData data, Path traceJson, String htmlHref, String traceHref) throws IOException {
        byte[] embedded = traceHref == null && traceJson != null
                && Files.size(traceJson) <= InlineReport.EMBED_LIMIT_BYTES ? Files.readAllBytes(traceJson) : null;
        TimelineCut cut = TimelineCut.of(data, INLINE_EVENT_BUDGET);
        // the inline page saves files through the notebook's links: only their names matter to it
        PageFiles files = traceJson == null ? PageFiles.NONE : PageFiles.of(traceJson,
                htmlHref == null ? null : traceJson.resolveSibling(Path.of(htmlHref).getFileName()),
                traceJson.toAbsolutePath().getParent());
        return new InlineReport(page(cut, files), cut).html(htmlHref, traceHref, embedded,
                traceJson == null ? "trace.json" : traceJson.getFileName().toString());
    }

    /** Bytes of the page around the data: the size budget's "page without data". */
    public int pageSizeWithoutData() {
        return template.sizeWithoutData();
    }
}
