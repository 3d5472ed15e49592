package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {

    /** Hands out at most 3 bytes per read, as a pipe may. */
    private static InputStream trickle(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }

    private static List<String> lines(LineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(new String(r.buffer(), r.start(), r.end() - r.start(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void linesAcrossBufferBoundariesAndLongerThanTheBuffer() throws IOException {
        String longLine = "x".repeat(100);
        String text = "ab\r\n\ncdefghijklmnopq\n" + longLine + "\nlast";
        LineReader r = new LineReader(trickle(text.getBytes(StandardCharsets.UTF_8)), 16);
        assertEquals(List.of("ab", "", "cdefghijklmnopq", longLine, "last"), lines(r));
        assertTrue(r.endedWithoutNewline());
        assertEquals(text.length(), r.bytesRead());
    }

    @Test
    void theLinesAfterAnOverlongLineAreAllRead() throws IOException {
        for (int length : new int[]{LineReader.MAX_LINE - 1, LineReader.MAX_LINE, LineReader.MAX_LINE + 1,
                LineReader.MAX_LINE + 255, LineReader.MAX_LINE + 256, LineReader.MAX_LINE + 1000,
                2 * LineReader.MAX_LINE + 7}) {
            byte[] data = new byte[length + 40];
            java.util.Arrays.fill(data, 0, length, (byte) 'x');
            byte[] tail = "\nafter one\nafter two\n".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(tail, 0, data, length, tail.length);
            data = java.util.Arrays.copyOf(data, length + tail.length);
            LineReader r = new LineReader(new ByteArrayInputStream(data) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 1 << 20));
                }
            });
            assertTrue(r.next(), "length " + length);
            assertEquals(length >= LineReader.MAX_LINE, r.overlong(), "length " + length);
            List<String> rest = lines(r);
            assertEquals(List.of("after one", "after two"), rest, "after a line of " + length + " bytes");
            assertEquals(data.length, r.bytesRead());
        }
    }

    @Test
    void nulStopsReading() throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream("a\nb\u0000c\nd\n".getBytes(StandardCharsets.UTF_8)), 16);
        assertTrue(r.next());
        assertFalse(r.sawNul());
        assertTrue(r.next());
        assertTrue(r.sawNul());
        assertFalse(r.next());
    }

    @Test
    void wordAtATimeSearchAgreesWithAPlainLoop() {
        Random random = new Random(42);
        byte[] b = new byte[4096];
        for (int round = 0; round < 2000; round++) {
            for (int i = 0; i < b.length; i++) {
                int v = random.nextInt(300);
                b[i] = (byte) (v < 2 ? 0 : v < 4 ? '\n' : v < 200 ? 'a' + v % 26 : v);
            }
            int from = random.nextInt(64);
            int to = from + random.nextInt(b.length - from);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n' || b[i] == 0) {
                    expected = i;
                    break;
                }
            }
            assertEquals(expected, LineReader.findNewlineOrNul(b, from, to));
        }
    }
}
