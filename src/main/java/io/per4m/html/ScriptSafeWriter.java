package io.per4m.html;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/** A writer of JSON text that applies {@link ScriptSafe}'s rule on the way: safe inside a {@code <script>} block. */
public final class ScriptSafeWriter extends FilterWriter {
    public ScriptSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        String escape = ScriptSafe.escapeOf(c);
        if (escape == null) {
            out.write(c);
        } else {
            out.write(escape);
        }
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        int runStart = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            String escape = ScriptSafe.escapeOf(buf[i]);
            if (escape != null) {
                out.write(buf, runStart, i - runStart);
                out.write(escape);
                runStart = i + 1;
            }
        }
        out.write(buf, runStart, end - runStart);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        write(str.toCharArray(), off, len);
    }
}
