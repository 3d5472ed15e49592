package io.per4m.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffGilCommandTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(OffGilCommandTest.class.getResource("/fixtures/" + name).toURI());
    }

    /** Runs per4m with stdout and stderr captured: {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Object[]{code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void jumpedAndBackwardTimestampsAreDroppedOrClampedAndReported(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(fixture("offgil_dwarf.txt"));
        java.util.regex.Pattern time = java.util.regex.Pattern.compile("(\\s)(\\d+)\\.(\\d{9}):");
        java.util.Random random = new java.util.Random(7);
        int headers = 0;
        int jumpedAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher m = time.matcher(lines.get(i));
            if (lines.get(i).startsWith("\t") || !m.find()) {
                continue;
            }
            long ns = Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(m.group(3));
            headers++;
            if (headers == 20) {
                ns += 100_000_000_000_000L;
                jumpedAt = i;
            } else if (random.nextInt(10) < 3) {
                ns -= random.nextInt(3_000_000);
            } else {
                continue;
            }
            lines.set(i, m.replaceFirst(m.group(1) + ns / 1_000_000_000L + "."
                    + String.format("%09d", ns % 1_000_000_000L) + ":"));
        }
        assertTrue(jumpedAt > 0);
        Path mutated = dir.resolve("mutated.txt");
        Files.write(mutated, lines);
        Object[] result = run("offgil", mutated.toString(), "--folded", dir.resolve("f").toString());
        String err = (String) result[2];
        assertEquals(0, result[0], err);
        assertTrue(err.contains("offgil: anomalies"), err);
        assertTrue(err.contains("time_jumped 1"), err);
        assertTrue(err.contains("time_went_backwards"), err);
        // the unmutated recording waits 71.085 ms in all: a timestamp 100000 s off must not add to it
        java.util.regex.Matcher waits = java.util.regex.Pattern.compile("GIL waits, ([0-9.]+) ms").matcher(err);
        assertTrue(waits.find(), err);
        assertTrue(Double.parseDouble(waits.group(1)) < 80, err);
    }

    @Test
    void writesFoldedStacksAndSvgOfTheRealRecording(@TempDir Path dir) throws Exception {
        Path folded = dir.resolve("og.folded");
        Path svg = dir.resolve("og.svg");
        Object[] result = run("offgil", fixture("offgil_dwarf.txt").toString(), "-i",
                fixture("offgil_viztracer.json").toString(), "--clock-offset-ns", "-23906", "--folded", folded.toString(),
                "--svg", svg.toString(), "--title", "waits & more");
        assertEquals(0, result[0], (String) result[2]);
        assertEquals("", result[1]);
        assertTrue(((String) result[2]).contains("20 GIL waits, 71.085 ms in 3 threads"), (String) result[2]);
        List<String> lines = Files.readAllLines(folded);
        // weights in µs; awk over the take_gil pairs: 71085.393 µs (fixtures/README-offgil.md)
        long total = lines.stream().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals(71_085, total, 0.5 * lines.size());
        assertTrue(lines.get(0).startsWith("worker 1 (tid 23330);Thread.run ("), lines.get(0));
        assertTrue(lines.get(0).endsWith(";spin (/tmp/offgil-rec/offgil_workload.py:10);take_gil 26858"), lines.get(0));
        String image = Files.readString(svg);
        assertTrue(image.startsWith("<?xml") && image.contains("<svg") && image.endsWith("</svg>\n"));
        assertTrue(image.contains(">waits &amp; more</text>"));
        assertTrue(image.contains("<title>spin (/tmp/offgil-rec/offgil_workload.py:10) (26858 us,"), image);
    }

    @Test
    void foldedGoesToStdoutWhenNoSvgIsAskedFor() throws Exception {
        Object[] result = run("offgil", fixture("offgil_dwarf.txt").toString(), "--unit", "ms");
        assertEquals(0, result[0], (String) result[2]);
        String out = (String) result[1];
        // without viztracer: comm roots and a [python] frame; 26858.071 µs rounds to 27 ms
        assertTrue(out.startsWith("python (tid 23330);[python];take_gil 27\n"), out);
    }

    @Test
    void inputWithoutCallChainsSaysHowToRecord(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("gil_ns.txt");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture("gil_ns.txt.gz")))) {
            Files.copy(in, plain);
        }
        Object[] result = run("offgil", plain.toString());
        assertEquals(2, result[0]);
        assertEquals("offgil: the take_gil events in " + plain + " have no call chains: record with "
                + "`perf record -e 'python:take_gil*' --call-graph dwarf ...`\n", result[2]);
    }

    @Test
    void inputWithoutGilEventsPointsToSetup() throws Exception {
        Object[] result = run("offgil", fixture("sched_fields.txt").toString());
        assertEquals(2, result[0]);
        String err = (String) result[2];
        assertTrue(err.startsWith("offgil: no GIL probe events") && err.contains("per4m setup") && err.endsWith("\n")
                && err.lines().count() == 1, err);
    }

    @Test
    void stateSourceNeedsSchedSwitchesAndAKnownState() throws Exception {
        Object[] result = run("offgil", fixture("offgil_dwarf.txt").toString(), "--state", "S(GIL)");
        assertEquals(2, result[0]);
        assertTrue(((String) result[2]).startsWith("offgil: no sched:sched_switch events in "), (String) result[2]);
        result = run("offgil", fixture("offgil_dwarf.txt").toString(), "--state", "Z");
        assertEquals(2, result[0]);
        assertTrue(((String) result[2]).startsWith("offgil: --state must be one of [running, R, R+, S, D, S(GIL), other]"),
                (String) result[2]);
    }

    @Test
    void stateSourceOnTheSchedFixture(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("gsd.txt");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture("gil_sched_callchain.txt.gz")))) {
            Files.copy(in, plain);
        }
        Object[] result = run("offgil", plain.toString(), "--state", "S(GIL)");
        assertEquals(0, result[0], (String) result[2]);
        List<String> stripped = ((String) result[1]).lines().toList();
        // S(GIL): asleep waiting in take_gil, or handing the GIL over in drop_gil
        assertTrue(!stripped.isEmpty() && stripped.stream().allMatch(l -> l.matches(".*;(take_gil|drop_gil) \\d+")),
                stripped.toString());
        assertTrue(stripped.stream().anyMatch(l -> l.endsWith(";take_gil " + l.substring(l.lastIndexOf(' ') + 1))),
                stripped.toString());
        assertTrue(stripped.stream().anyMatch(l -> l.contains(";drop_gil ")), stripped.toString());
        result = run("offgil", plain.toString(), "--state", "S(GIL)", "--no-strip-take-gil");
        List<String> kept = ((String) result[1]).lines().toList();
        assertTrue(kept.stream().allMatch(l -> l.matches(".*;(take_gil|drop_gil);.*;__schedule \\d+")), kept.toString());
    }
}
