package io.per4m.trace;

import io.per4m.UserError;
import io.per4m.gil.ThreadGilFigures;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.data.PerfDataReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutates a real perf.data (the engine's warm-up recording: GIL probes, sched tracepoints, counters) and converts
 * it through the perf.data reader. A timestamp that jumps (a flipped high byte of one sample's time) must leave the
 * figures of every other thread as the unmutated file gives them; flipped bytes in the header, the attrs, the event
 * descriptions and the sample records, and cuts at every section boundary, must give a trace or one line naming
 * the file, never another exception. The layout offsets come from perf's Documentation/perf.data-file-format.txt,
 * read here independently of the reader. Seeded and bounded in time; a failing case names its seed.
 */
class PerfDataFuzzTest {
    private static final long BUDGET_NS = 4_000_000_000L;
    private static byte[] original;
    private static Layout layout;

    @TempDir
    Path dir;

    /** Where things are in the file: section boundaries, and the file offset of each sample's time by record. */
    private record Layout(long attrsOffset, long attrsSize, long dataOffset, long dataSize, List<long[]> features,
                          List<Long> recordStarts) {
    }

    @BeforeAll
    static void readOriginal() throws IOException {
        try (InputStream in = new GZIPInputStream(PerfDataFuzzTest.class.getResourceAsStream(
                "/io/per4m/report/warmup/perf.data.gz"))) {
            original = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        long dataOffset = b.getLong(40);
        long dataSize = b.getLong(48);
        List<long[]> features = new ArrayList<>();
        long at = dataOffset + dataSize;
        for (int bit = 0; bit < 256; bit++) {
            if ((b.getLong(72 + bit / 64 * 8) >>> (bit % 64) & 1) != 0) {
                features.add(new long[]{bit, b.getLong((int) at), b.getLong((int) at + 8)});
                at += 16;
            }
        }
        List<Long> starts = new ArrayList<>();
        for (long p = dataOffset; p < dataOffset + dataSize; p += Short.toUnsignedInt(b.getShort((int) p + 6))) {
            starts.add(p);
        }
        layout = new Layout(b.getLong(24), b.getLong(32), dataOffset, dataSize, features, starts);
    }

    private PerfToTrace.Result convert(byte[] data) throws IOException {
        Path file = dir.resolve("perf.data");
        Files.write(file, data);
        return new PerfToTrace().run(new PerfDataReader(List.of(file)), file.toString(),
                PerfToTrace.Options.of(PerfToTrace.Mode.ALL, dir.resolve("out.json")));
    }

    private static Map<Integer, ThreadGilFigures> figures(PerfToTrace.Result result) {
        Map<Integer, ThreadGilFigures> byTid = new HashMap<>();
        result.summary().threads().forEach(t -> byTid.put(t.tid(), t));
        return byTid;
    }

    /** The file offset of the 8 bytes holding {@code event}'s time, found by value inside its record. */
    private static int timeOffset(PerfEvent event) {
        int start = layout.recordStarts().get((int) event.lineNumber() - 1).intValue();
        ByteBuffer b = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        int size = Short.toUnsignedInt(b.getShort(start + 6));
        for (int i = start + 8; i + 8 <= start + size; i += 8) {
            if (b.getLong(i) == event.timeNs()) {
                return i;
            }
        }
        throw new AssertionError("no time in record " + event.lineNumber());
    }

    @Test
    void aJumpedTimestampLeavesEveryOtherThreadsFiguresAlone() throws Exception {
        PerfToTrace.Result unmutated = convert(original);
        Map<Integer, ThreadGilFigures> baseline = figures(unmutated);
        assertTrue(baseline.size() >= 2, "threads " + baseline.keySet());
        List<PerfEvent> gilEvents = new ArrayList<>();
        Path file = dir.resolve("events.data");
        Files.write(file, original);
        new PerfDataReader(List.of(file)).readInto(e -> {
            if (e.name().startsWith("python:")) {
                gilEvents.add(e);
            }
        });
        long deadline = System.nanoTime() + BUDGET_NS;
        int iterations = 0;
        for (long seed = 1; System.nanoTime() < deadline || iterations < 10; seed++, iterations++) {
            Random random = new Random(seed);
            PerfEvent victim = gilEvents.get(random.nextInt(gilEvents.size()));
            byte[] mutated = original.clone();
            // bytes 4..7 of a ns time: a jump of 4.3 s at least, forward or backward
            int at = timeOffset(victim) + 4 + random.nextInt(4);
            mutated[at] ^= (byte) (1 + random.nextInt(255));
            String context = "seed " + seed + ", record " + victim.lineNumber() + ", tid " + victim.tid();
            PerfToTrace.Result result = convert(mutated);
            assertEquals(1L, result.summary().anomalies().get("time_jumped"), context);
            Map<Integer, ThreadGilFigures> now = figures(result);
            for (Map.Entry<Integer, ThreadGilFigures> thread : baseline.entrySet()) {
                if (thread.getKey() != victim.tid()) {
                    assertEquals(thread.getValue(), now.get(thread.getKey()), "thread " + thread.getKey()
                            + " untouched — " + context);
                }
            }
            // the victim lost one event (its pairing resynchronises), but the recording is not stretched
            assertTrue(result.summary().process().spanNs() <= unmutated.summary().process().spanNs(), context);
        }
    }

    /** Every place a section starts or ends, and the record boundaries of the data section's first records. */
    private static TreeSet<Long> boundaries() {
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, 8L, 16L, 24L, 40L, 56L, 72L, 104L, layout.attrsOffset(),
                layout.attrsOffset() + layout.attrsSize(), layout.dataOffset(),
                layout.dataOffset() + layout.dataSize()));
        for (long[] feature : layout.features()) {
            cuts.add(feature[1]);
            cuts.add(feature[1] + feature[2]);
        }
        for (int i = 0; i < Math.min(40, layout.recordStarts().size()); i++) {
            cuts.add(layout.recordStarts().get(i));
        }
        cuts.add((long) original.length);
        return cuts;
    }

    @Test
    void aCutAtEverySectionBoundaryIsATraceOrOneLine() throws Exception {
        for (long cut : boundaries()) {
            for (long at : new long[]{cut - 1, cut, cut + 1}) {
                if (at >= 0 && at < original.length) {
                    expectTraceOrOneLine(java.util.Arrays.copyOf(original, (int) at), "cut at " + at);
                }
            }
        }
    }

    @Test
    void flippedBytesInHeaderAttrsDescriptionsAndSamplesAreATraceOrOneLine() throws Exception {
        long[][] regions = regions();
        long deadline = System.nanoTime() + BUDGET_NS;
        int iterations = 0;
        int converted = 0;
        for (long seed = 1; System.nanoTime() < deadline || iterations < 40; seed++, iterations++) {
            Random random = new Random(seed);
            long[] region = regions[(int) (seed % regions.length)];
            byte[] mutated = original.clone();
            int flips = 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                int at = (int) (region[0] + random.nextInt((int) region[1]));
                mutated[at] = random.nextBoolean() ? (byte) (mutated[at] ^ 1 << random.nextInt(8))
                        : (byte) random.nextInt(256);
            }
            converted += expectTraceOrOneLine(mutated, "seed " + seed + ", region at " + region[0]) ? 1 : 0;
        }
        assertTrue(converted > 0, "some mutated files still convert");
    }

    /** {offset, length}: the header, the attrs, each feature section, the data section. */
    private static long[][] regions() {
        List<long[]> regions = new ArrayList<>();
        regions.add(new long[]{8, 96});
        regions.add(new long[]{layout.attrsOffset(), layout.attrsSize()});
        for (long[] feature : layout.features()) {
            if (feature[2] > 0 && feature[1] + feature[2] <= original.length) {
                regions.add(new long[]{feature[1], feature[2]});
            }
        }
        regions.add(new long[]{layout.dataOffset(), layout.dataSize()});
        return regions.toArray(long[][]::new);
    }

    private boolean expectTraceOrOneLine(byte[] data, String context) {
        try {
            convert(data);
            TraceJson.assertBalancedAsyncPairs(TraceJson.read(dir.resolve("out.json")));
            return true;
        } catch (UserError e) {
            assertFalse(e.getMessage().contains("\n"), "one line — " + context + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("perf.data"), "names the file — " + context + ": " + e.getMessage());
            return false;
        } catch (Throwable e) {
            fail("escaped: " + e + " — " + context, e);
            return false;
        }
    }
}
