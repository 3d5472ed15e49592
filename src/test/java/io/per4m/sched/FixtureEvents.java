package io.per4m.sched;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only reader for the well-formed {@code perf script} fixtures of this package (header line with
 * {@code pid/tid}, optional {@code [cpu]} and period, then tab-indented call-chain lines, then a blank line).
 * Not the engine's parser: it accepts only what the fixtures contain and fails loudly on anything else.
 */
public final class FixtureEvents {
    private static final Pattern HEADER = Pattern.compile(
            "^\\s*(.*?)\\s+(\\d+)/(\\d+)\\s+(?:\\[(\\d+)]\\s+)?(\\d+)\\.(\\d{9}):\\s+(?:(\\d+)\\s+)?(\\S+):(?: (.*))?$");
    private static final Pattern FRAME = Pattern.compile("^\\s+([0-9a-f]+) (.*) \\((.*)\\)$");

    private FixtureEvents() {
    }

    public static List<PerfEvent> read(String resource) {
        try (InputStream in = FixtureEvents.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<PerfEvent> parse(String text) {
        List<PerfEvent> events = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            Matcher header = HEADER.matcher(line);
            if (!header.matches()) {
                throw new IllegalArgumentException("fixture line " + (i + 1) + " not understood: " + line);
            }
            List<StackFrame> frames = new ArrayList<>();
            while (i + 1 < lines.length && lines[i + 1].startsWith("\t")) {
                Matcher frame = FRAME.matcher(lines[++i]);
                if (!frame.matches()) {
                    throw new IllegalArgumentException("fixture frame line " + (i + 1) + " not understood: " + lines[i]);
                }
                String symbol = frame.group(2).replaceFirst("\\+0x[0-9a-f]+$", "");
                frames.add(new StackFrame(frame.group(1), symbol, frame.group(3)));
            }
            long timeNs = Long.parseLong(header.group(5)) * 1_000_000_000L + Long.parseLong(header.group(6));
            events.add(new PerfEvent(header.group(1), Integer.parseInt(header.group(2)), Integer.parseInt(header.group(3)),
                    header.group(4) == null ? -1 : Integer.parseInt(header.group(4)), timeNs, header.group(8),
                    header.group(7) == null ? 0 : Long.parseLong(header.group(7)),
                    header.group(9) == null ? "" : header.group(9).trim(), List.copyOf(frames), 0));
        }
        return events;
    }
}
