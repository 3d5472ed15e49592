package io.per4m.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Inputs an adversarial user gives: each gets one line naming the file and what to do, and a non-zero exit. */
class BadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLineNaming(CliRun run, String file, String... words) {
        assertNotEquals(0, run.exitCode(), run.err());
        assertNotEquals(70, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains(file), run.err());
        for (String word : words) {
            assertTrue(run.err().contains(word), "'" + word + "' in " + run.err());
        }
    }

    @Test
    void reportGivenAFolderSaysItIsAFolder() {
        CliRun run = CliRun.of("report", dir.toString());
        assertOneLineNaming(run, dir.toString(), "is a folder");
    }

    @Test
    void reportOnJsonNested100kDeepIsOneLine() throws IOException {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        for (String json : new String[]{"{\"per4m\": " + deep + "}", "{\"traceEvents\": [{\"args\": " + deep + "}]}"}) {
            Path file = Files.writeString(dir.resolve("deep.json"), json);
            CliRun run = CliRun.of("report", file.toString(), "-o", dir.resolve("deep.html").toString());
            assertOneLineNaming(run, file.toString(), "not valid JSON");
        }
    }

    @Test
    void textWithANulByteIsNotCalledPerfData() throws IOException {
        Path text = dir.resolve("nul.txt");
        Files.write(text, "some text\nmore\u0000text\n".getBytes(StandardCharsets.UTF_8));
        CliRun run = CliRun.of("perf2trace", text.toString(), "-o", dir.resolve("out.json").toString());
        assertOneLineNaming(run, text.toString(), "NUL byte in line 2", "perf script");
        assertFalse(run.err().contains("binary perf data"), run.err());
        CliRun offgil = CliRun.of("offgil", text.toString());
        assertOneLineNaming(offgil, text.toString(), "NUL byte in line 2");
    }

    @Test
    void pipeModePerfDataIsNamedAsSuch() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perf")) && "root".equals(System.getProperty("user.name")),
                "needs perf as root");
        Path piped = dir.resolve("piped.data");
        Process perf = new ProcessBuilder("perf", "record", "-q", "-o", "-", "-e", "sched:sched_switch", "--", "true")
                .redirectOutput(piped.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(perf.waitFor(60, TimeUnit.SECONDS), "perf record ended");
        assertEquals(0, perf.exitValue());
        CliRun run = CliRun.of("perf2trace", piped.toString(), "-o", dir.resolve("out.json").toString());
        assertOneLineNaming(run, piped.toString(), "pipe-mode perf.data", "-o FILE", "perf script");
    }

    @Test
    void theEventsAfterALineOver16MiBAreConverted() throws IOException {
        byte[] fixture;
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/fixtures/gil_ns_pid.txt.gz"))) {
            fixture = in.readAllBytes();
        }
        Path plain = dir.resolve("plain.txt");
        Files.write(plain, fixture);
        Path withLongLine = dir.resolve("long.txt");
        byte[] longLine = new byte[(16 << 20) + 1000];
        java.util.Arrays.fill(longLine, (byte) 'x');
        longLine[longLine.length - 1] = '\n';
        try (var out = Files.newOutputStream(withLongLine)) {
            out.write(longLine);
            out.write(fixture);
        }
        CliRun expected = CliRun.of("perf2trace", plain.toString(), "-o", dir.resolve("a.json").toString());
        CliRun actual = CliRun.of("perf2trace", withLongLine.toString(), "-o", dir.resolve("b.json").toString());
        assertEquals(0, expected.exitCode(), expected.err());
        assertEquals(0, actual.exitCode(), actual.err());
        // the same figures: the summary table is printed the same, only the skipped line is reported
        assertEquals(expected.out().replace("a.json", "X"), actual.out().replace("b.json", "X"));
        assertTrue(actual.err().contains("line 1"), actual.err());
    }
}
