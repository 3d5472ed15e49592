package io.per4m.report;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a report page belongs with, so its buttons save those very files under names that say whose they are.
 *
 * @param trace  the trace JSON, relative to the page's folder (null: none, the page rebuilds one from its data)
 * @param report the report HTML, relative to the page's folder (null: the page saves itself)
 * @param stem   what saved files are named after, a notebook cell's {@code cell-007} (null: the page's title,
 *               i.e. the script)
 */
public record PageFiles(String trace, String report, String stem) {
    public static final PageFiles NONE = new PageFiles(null, null, null);
    private static final Pattern CELL_FOLDER = Pattern.compile("(cell-\\d+)-.*");

    /** The trace and report as seen from a page in {@code folder} (either file may be null). */
    public static PageFiles of(Path traceJson, Path reportHtml, Path folder) {
        Path base = folder.toAbsolutePath();
        Path named = traceJson != null ? traceJson : reportHtml;
        Path cellFolder = named == null ? null : named.toAbsolutePath().getParent().getFileName();
        Matcher cell = CELL_FOLDER.matcher(cellFolder == null ? "" : cellFolder.toString());
        return new PageFiles(relative(base, traceJson), relative(base, reportHtml), cell.matches() ? cell.group(1) : null);
    }

    private static String relative(Path folder, Path file) {
        return file == null ? null : folder.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }
}
