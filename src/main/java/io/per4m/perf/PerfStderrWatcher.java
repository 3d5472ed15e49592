package io.per4m.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads perf record's stderr on its own thread: the files it dumps, and the last lines for error messages. */
final class PerfStderrWatcher {
    private static final Pattern DUMP = Pattern.compile("\\[ perf record: Dump (.+) \\]");
    private static final int KEPT_LINES = 30;

    private final BlockingQueue<Path> dumped = new LinkedBlockingQueue<>();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean ready;

    PerfStderrWatcher(InputStream stderr) {
        thread = new Thread(() -> read(stderr), "perf-record-stderr");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(InputStream stderr) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("Events disabled") || line.startsWith("Events enabled")) {
                    ready = true;
                }
                Matcher m = DUMP.matcher(line);
                if (m.find()) {
                    dumped.add(Path.of(m.group(1)));
                }
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException ignored) {
            // perf is gone; what was read is kept
        }
    }

    /** True once perf said its events are disabled or enabled: it has set up, signals included. */
    boolean ready() {
        return ready;
    }

    /** The next file perf reported as dumped, or null after the timeout. */
    Path nextDump(long timeout, TimeUnit unit) throws InterruptedException {
        return dumped.poll(timeout, unit);
    }

    /** Files reported as dumped and not yet taken. */
    List<Path> drainDumps() {
        List<Path> out = new ArrayList<>();
        dumped.drainTo(out);
        return out;
    }

    void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }

    List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /** The line that best explains a failure: perf's first error line, else its last line. */
    String explanation() {
        List<String> lines = lastLines();
        for (String line : lines) {
            String l = line.toLowerCase();
            if (l.contains("error") || l.contains("not supported") || l.contains("invalid")
                    || l.contains("no such") || l.contains("permission") || l.contains("not exist")
                    || l.contains("unknown")) {
                return line.strip();
            }
        }
        return lines.isEmpty() ? "no message" : lines.get(lines.size() - 1).strip();
    }
}
