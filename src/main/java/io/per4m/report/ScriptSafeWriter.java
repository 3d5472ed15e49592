package io.per4m.report;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Escapes what could end or confuse a {@code <script>} block ({@code < > &} and the JavaScript line
 * separators U+2028/U+2029) as {@code \\uXXXX}. Valid for JSON text: these characters only ever occur
 * inside JSON strings, where the escape means the same character.
 */
final class ScriptSafeWriter extends FilterWriter {
    ScriptSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        switch (c) {
            case '<' -> out.write("\\u003c");
            case '>' -> out.write("\\u003e");
            case '&' -> out.write("\\u0026");
            case '\u2028' -> out.write("\\u2028");
            case '\u2029' -> out.write("\\u2029");
            default -> out.write(c);
        }
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        int runStart = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            char c = buf[i];
            if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                out.write(buf, runStart, i - runStart);
                write(c);
                runStart = i + 1;
            }
        }
        out.write(buf, runStart, end - runStart);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        write(str.toCharArray(), off, len);
    }

    /** Escapes one string for use inside a JSON/JavaScript string literal in a script block. */
    static String escape(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
