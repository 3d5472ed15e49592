package io.per4m.perf;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into lines inside one reusable buffer: no per-line allocation, memory bounded by the
 * longest line. The current line is {@code buffer()[start(), end())}, without its '\n' and a trailing '\r'.
 * Also notices NUL bytes, which never occur in {@code perf script} text.
 */
final class LineReader {
    static final int DEFAULT_BUFFER = 1 << 20;
    static final int MAX_LINE = 16 << 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private long bytesRead;
    private int start;
    private int end;
    private boolean sawNul;
    private boolean overlong;
    private boolean endedWithoutNewline;

    LineReader(InputStream in) {
        this(in, DEFAULT_BUFFER);
    }

    LineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(16, bufferSize)];
    }

    /** Reads until at least {@code n} bytes are buffered or the stream ends; for sniffing the first bytes. */
    int peek(int n) throws IOException {
        while (limit - pos < n && !eof) {
            fill();
        }
        return limit - pos;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    int peekStart() {
        return pos;
    }

    long bytesRead() {
        return bytesRead;
    }

    /** The line held a NUL byte: the input is not text. Reading stops at it. */
    boolean sawNul() {
        return sawNul;
    }

    /** The line was longer than {@link #MAX_LINE}; only its first part is in the buffer, the rest was skipped. */
    boolean overlong() {
        return overlong;
    }

    /** The last line returned was the input's last and had no '\n' (possibly cut off). */
    boolean endedWithoutNewline() {
        return endedWithoutNewline;
    }

    /** Advances to the next line; false at the end of input. */
    boolean next() throws IOException {
        overlong = false;
        int scan = pos;
        while (true) {
            int hit = findNewlineOrNul(buf, scan, limit);
            if (hit >= 0) {
                if (buf[hit] == 0) {
                    sawNul = true;
                    start = pos;
                    end = hit;
                    pos = limit;
                    eof = true;
                    return true;
                }
                setLine(pos, hit);
                pos = hit + 1;
                return true;
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    endedWithoutNewline = true;
                    return true;
                }
                return false;
            }
            int scanned = limit - pos;
            if (pos == 0 && limit == buf.length && !grow()) {
                return skipOverlongLine();
            }
            fill();
            scan = pos + scanned;
        }
    }

    private void setLine(int from, int to) {
        start = from;
        end = to > from && buf[to - 1] == '\r' ? to - 1 : to;
    }

    private boolean grow() {
        if (buf.length >= MAX_LINE) {
            return false;
        }
        byte[] bigger = new byte[Math.min(MAX_LINE, buf.length * 2)];
        System.arraycopy(buf, 0, bigger, 0, limit);
        buf = bigger;
        return true;
    }

    /** Keeps the first part of a too-long line as the current line and drops the rest up to its '\n'. */
    private boolean skipOverlongLine() throws IOException {
        int keep = Math.min(limit, 256);
        overlong = true;
        pos = keep;
        limit = keep;
        while (true) {
            int n = in.read(buf, keep, buf.length - keep);
            if (n < 0) {
                eof = true;
                break;
            }
            bytesRead += n;
            int hit = findNewlineOrNul(buf, keep, keep + n);
            if (hit >= 0) {
                if (buf[hit] == 0) {
                    sawNul = true;
                }
                int after = keep + n - hit - 1;
                System.arraycopy(buf, hit + 1, buf, keep, after);
                limit = keep + after;
                break;
            }
        }
        start = 0;
        end = keep;
        return true;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
            bytesRead += n;
        }
    }

    /** Index of the first '\n' or NUL byte in [from, to), or -1; eight bytes at a time. */
    static int findNewlineOrNul(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(b, i);
            long nl = word ^ NEWLINES;
            long found = ((nl - ONES) & ~nl | (word - ONES) & ~word) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == 0) {
                return i;
            }
        }
        return -1;
    }
}
