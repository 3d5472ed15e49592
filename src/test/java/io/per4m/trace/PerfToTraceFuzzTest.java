package io.per4m.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.per4m.UserError;
import io.per4m.gil.ThreadGilFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutates the real recording (fixtures/trace_merge_perf.txt.gz) and converts it again. Targeted mutations touch the
 * lines of one thread only, in ways that never move an event in time (a line cut, fields swapped, a line duplicated
 * in place or dropped, a line replaced by random bytes, a random line inserted): no exception may escape and the
 * figures of the threads whose lines were not touched must not change. Chaos mutations (random bytes anywhere,
 * NULs included) only must not make anything but a one-line UserError escape, and what is written must be a valid,
 * balanced trace. Bounded in time; the seed of a failing case is in the message.
 */
class PerfToTraceFuzzTest {
    private static final long TARGETED_BUDGET_NS = 12_000_000_000L;
    private static final long CHAOS_BUDGET_NS = 8_000_000_000L;
    private static final Pattern TID = Pattern.compile("\\s(\\d+)/(\\d+)\\s");

    @TempDir
    Path dir;

    private record Figures(long firstNs, long lastNs, long totalNs, long heldNs, long waitNs, long waitCount,
                           long holdCount) {
        static Figures of(ThreadGilFigures t) {
            return new Figures(t.firstNs(), t.lastNs(), t.totalNs(), t.heldNs(), t.waitNs(), t.waitCount(),
                    t.holdCount());
        }
    }

    private PerfToTrace.Result convert(byte[] input) throws IOException {
        return new PerfToTrace().run(new ByteArrayInputStream(input), "fuzz.txt",
                PerfToTrace.Options.of(PerfToTrace.Mode.GIL, dir.resolve("out.json")));
    }

    private static Map<Integer, Figures> figures(PerfToTrace.Result result) {
        Map<Integer, Figures> figures = new HashMap<>();
        result.summary().threads().forEach(t -> figures.put(t.tid(), Figures.of(t)));
        return figures;
    }

    private static int tidOf(String line) {
        Matcher m = TID.matcher(line);
        return m.find() ? Integer.parseInt(m.group(2)) : -1;
    }

    private static byte[] join(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(Random random, int length, boolean allowNul) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b;
            do {
                b = (byte) random.nextInt(256);
            } while (b == '\n' || b == '\r' || (!allowNul && b == 0));
            bytes[i] = b;
        }
        return bytes;
    }

    @Test
    void mutationsOfOneThreadLeaveTheOtherThreadsFiguresAlone() throws Exception {
        List<String> original = Fixtures.lines(Fixtures.MERGE_PERF);
        Map<Integer, Figures> baseline = figures(convert(join(original.stream()
                .map(l -> l.getBytes(StandardCharsets.UTF_8)).toList())));
        assertEquals(Set.of(Fixtures.PID, Fixtures.WORKER_0, Fixtures.WORKER_1), baseline.keySet());
        Map<Integer, List<Integer>> linesByTid = new HashMap<>();
        for (int i = 0; i < original.size(); i++) {
            linesByTid.computeIfAbsent(tidOf(original.get(i)), t -> new ArrayList<>()).add(i);
        }
        List<Integer> tids = List.copyOf(baseline.keySet());

        long deadline = System.nanoTime() + TARGETED_BUDGET_NS;
        int iterations = 0;
        for (long seed = 1; System.nanoTime() < deadline || iterations < 10; seed++, iterations++) {
            Random random = new Random(seed);
            int victim = tids.get(random.nextInt(tids.size()));
            List<Integer> victimLines = linesByTid.get(victim);
            Map<Integer, List<byte[]>> replacement = new HashMap<>();
            int mutations = 1 + random.nextInt(5);
            List<String> applied = new ArrayList<>();
            for (int m = 0; m < mutations; m++) {
                int index = victimLines.get(random.nextInt(victimLines.size()));
                byte[] line = original.get(index).getBytes(StandardCharsets.UTF_8);
                int kind = random.nextInt(6);
                applied.add(kind + "@" + (index + 1));
                replacement.put(index, switch (kind) {
                    case 0 -> List.of(Arrays.copyOf(line, random.nextInt(line.length)));
                    case 1 -> List.of(swapFields(original.get(index), random).getBytes(StandardCharsets.UTF_8));
                    case 2 -> List.of(line, line);
                    case 3 -> List.of();
                    case 4 -> List.of(randomBytes(random, 1 + random.nextInt(120), false));
                    default -> List.of(line, randomBytes(random, 1 + random.nextInt(120), false));
                });
            }
            List<byte[]> mutated = new ArrayList<>(original.size() + mutations);
            for (int i = 0; i < original.size(); i++) {
                mutated.addAll(replacement.getOrDefault(i, List.of(original.get(i).getBytes(StandardCharsets.UTF_8))));
            }
            String context = "seed " + seed + ", victim " + victim + ", mutations (kind@line) " + applied;
            PerfToTrace.Result result;
            try {
                result = convert(join(mutated));
            } catch (RuntimeException | IOException e) {
                throw new AssertionError("escaped: " + e + " — " + context, e);
            }
            Map<Integer, Figures> now = figures(result);
            for (int tid : tids) {
                if (tid != victim) {
                    assertEquals(baseline.get(tid), now.get(tid), "thread " + tid + " untouched — " + context);
                }
            }
            if (seed % 25 == 0) {
                TraceJson.assertBalancedAsyncPairs(TraceJson.read(dir.resolve("out.json")));
            }
        }
        assertTrue(iterations >= 10, "ran " + iterations);
    }

    @Test
    void aLineWhoseTimeJumpsIsDroppedAndLeavesTheOtherThreadsFiguresAlone() throws Exception {
        List<String> original = Fixtures.lines(Fixtures.MERGE_PERF);
        PerfToTrace.Result unmutated = convert(join(original.stream()
                .map(l -> l.getBytes(StandardCharsets.UTF_8)).toList()));
        Map<Integer, Figures> baseline = figures(unmutated);
        Pattern time = Pattern.compile("\\s(\\d+)\\.(\\d{9}):");
        long deadline = System.nanoTime() + CHAOS_BUDGET_NS / 2;
        int iterations = 0;
        for (long seed = 1; System.nanoTime() < deadline || iterations < 10; seed++, iterations++) {
            Random random = new Random(seed);
            int index = random.nextInt(original.size());
            Matcher m = time.matcher(original.get(index));
            if (!m.find()) {
                continue;
            }
            long ns = Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(m.group(2));
            long jump = (2 + (long) random.nextInt(100_000)) * 1_000_000_000L;
            long jumped = random.nextBoolean() || ns < jump ? ns + jump : ns - jump;
            List<String> mutated = new ArrayList<>(original);
            mutated.set(index, m.replaceFirst(" " + jumped / 1_000_000_000L + "."
                    + String.format("%09d", jumped % 1_000_000_000L) + ":"));
            int victim = tidOf(original.get(index));
            String context = "seed " + seed + ", line " + (index + 1) + " moved to " + jumped;
            PerfToTrace.Result result = convert(join(mutated.stream()
                    .map(l -> l.getBytes(StandardCharsets.UTF_8)).toList()));
            assertEquals(1L, result.summary().anomalies().get("time_jumped"), context);
            assertTrue(result.summary().process().spanNs() <= unmutated.summary().process().spanNs(), context);
            Map<Integer, Figures> now = figures(result);
            for (int tid : baseline.keySet()) {
                if (tid != victim) {
                    assertEquals(baseline.get(tid), now.get(tid), "thread " + tid + " untouched — " + context);
                }
            }
        }
    }

    @Test
    void randomBytesAnywhereGiveAUserErrorOrAValidTrace() throws Exception {
        byte[] original = Fixtures.bytes(Fixtures.MERGE_PERF);
        long deadline = System.nanoTime() + CHAOS_BUDGET_NS;
        int iterations = 0;
        int converted = 0;
        for (long seed = 1; System.nanoTime() < deadline || iterations < 10; seed++, iterations++) {
            Random random = new Random(seed);
            byte[] input = original.clone();
            int flips = 1 + random.nextInt(50);
            boolean allowNul = random.nextInt(4) == 0;
            for (int i = 0; i < flips; i++) {
                input[random.nextInt(input.length)] = randomBytes(random, 1, allowNul)[0];
            }
            if (random.nextInt(5) == 0) {
                input = Arrays.copyOf(input, random.nextInt(input.length));
            }
            try {
                convert(input);
                converted++;
                TraceJson.assertBalancedAsyncPairs(TraceJson.read(dir.resolve("out.json")));
            } catch (UserError e) {
                assertTrue(!e.getMessage().contains("\n"), "one line — seed " + seed);
            } catch (RuntimeException | IOException e) {
                fail("escaped: " + e + " — seed " + seed, e);
            }
        }
        assertTrue(converted > 0, "some mutated inputs still convert");
    }

    private static String swapFields(String line, Random random) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 2) {
            return line;
        }
        int a = random.nextInt(fields.length);
        int b = random.nextInt(fields.length);
        String t = fields[a];
        fields[a] = fields[b];
        fields[b] = t;
        return String.join("  ", fields);
    }
}
