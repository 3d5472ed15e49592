package io.per4m.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many events perf lost in one data file.
 * <p>
 * perf 6.x synthesizes one LOST_SAMPLES record per event at the end of a recording from the kernel's own
 * lost count; {@code perf report --stats} sums them under each event's header (fast: about 40 ms).
 * Without those (older kernels), the PERF_RECORD_LOST records' counts are summed from
 * {@code perf script --show-lost-events} — only when the stats show such records at all.
 * On this machine both routes gave the same figure (1375 on a recording forced to lose events).
 */
public final class LostEventCount {
    private static final Pattern PER_EVENT_LOST = Pattern.compile("^\\s+LOST_SAMPLES events:\\s+(\\d+)\\s*$");
    private static final Pattern LOST_RECORDS = Pattern.compile("^\\s+LOST events:\\s+(\\d+)");
    private static final Pattern EVENT_HEADER = Pattern.compile("^\\S.* stats:\\s*$");
    private static final Pattern LOST_RECORD_LINE = Pattern.compile("PERF_RECORD_LOST lost (\\d+)");

    private final String perf;

    public LostEventCount(String perf) {
        this.perf = perf;
    }

    public long count(Path dataFile) throws IOException {
        long perEvent = 0;
        long lostRecords = 0;
        boolean insideEvent = false;
        for (String line : run(List.of(perf, "report", "-i", dataFile.toString(), "--stats"))) {
            if (EVENT_HEADER.matcher(line).matches()) {
                insideEvent = !line.startsWith("Aggregated");
                continue;
            }
            Matcher m = PER_EVENT_LOST.matcher(line);
            if (insideEvent && m.matches()) {
                perEvent += Long.parseLong(m.group(1));
            }
            Matcher r = LOST_RECORDS.matcher(line);
            if (!insideEvent && r.find()) {
                lostRecords += Long.parseLong(r.group(1));
            }
        }
        if (lostRecords == 0) {
            return perEvent;
        }
        long fromRecords = 0;
        for (String line : run(List.of(perf, "script", "-i", dataFile.toString(), "--show-lost-events",
                "-F", "trace:time", "-F", "sw:time"))) {
            Matcher m = LOST_RECORD_LINE.matcher(line);
            if (m.find()) {
                fromRecords += Long.parseLong(m.group(1));
            }
        }
        return Math.max(perEvent, fromRecords);
    }

    private static List<String> run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        List<String> lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = in.lines().toList();
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timeout: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return lines;
    }
}
