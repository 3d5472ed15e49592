package io.per4m.html;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a range of a JSON file byte for byte, applying {@link ScriptSafe}'s rule to its UTF-8: {@code < > &} and
 * the line separators U+2028/U+2029 (E2 80 A8/A9) become their escapes, the rest is copied as it is.
 */
public final class ScriptSafeBytes {
    private static final byte[] LT = ascii('<');
    private static final byte[] GT = ascii('>');
    private static final byte[] AMP = ascii('&');
    private static final byte[] LINE_SEPARATOR = ascii('\u2028');
    private static final byte[] PARAGRAPH_SEPARATOR = ascii('\u2029');
    private static final int CHUNK = 1 << 16;

    private ScriptSafeBytes() {
    }

    private static byte[] ascii(char c) {
        return ScriptSafe.escapeOf(c).getBytes(StandardCharsets.US_ASCII);
    }

    /** Copies bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code file} to {@code out}. */
    public static void copy(Path file, long from, long to, OutputStream out) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            byte[] bytes = buffer.array();
            long position = from;
            int kept = 0; // bytes of a separator's UTF-8 sequence cut by the end of the last chunk
            while (position < to || kept > 0) {
                buffer.clear().position(kept).limit((int) Math.min(CHUNK, kept + Math.max(0, to - position)));
                int read = 0;
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, position + read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                position += read;
                int length = kept + read;
                if (read == 0 && length == kept) {
                    out.write(bytes, 0, kept); // the range ended inside a sequence: copied as it is
                    return;
                }
                int safeEnd = position < to ? length - incompleteSeparatorTail(bytes, length) : length;
                write(bytes, safeEnd, out);
                kept = length - safeEnd;
                System.arraycopy(bytes, safeEnd, bytes, 0, kept);
            }
        }
    }

    private static void write(byte[] b, int length, OutputStream out) throws IOException {
        int run = 0;
        for (int i = 0; i < length; i++) {
            byte[] escape = switch (b[i]) {
                case '<' -> LT;
                case '>' -> GT;
                case '&' -> AMP;
                case (byte) 0xE2 -> i + 2 < length && b[i + 1] == (byte) 0x80
                        ? b[i + 2] == (byte) 0xA8 ? LINE_SEPARATOR : b[i + 2] == (byte) 0xA9 ? PARAGRAPH_SEPARATOR : null
                        : null;
                default -> null;
            };
            if (escape != null) {
                out.write(b, run, i - run);
                out.write(escape);
                i += escape == LINE_SEPARATOR || escape == PARAGRAPH_SEPARATOR ? 2 : 0;
                run = i + 1;
            }
        }
        out.write(b, run, length - run);
    }

    /** How many bytes at the end could be the start of E2 80 A8/A9 (kept for the next chunk). */
    private static int incompleteSeparatorTail(byte[] b, int length) {
        if (length >= 1 && b[length - 1] == (byte) 0xE2) {
            return 1;
        }
        if (length >= 2 && b[length - 2] == (byte) 0xE2 && b[length - 1] == (byte) 0x80) {
            return 2;
        }
        return 0;
    }
}
