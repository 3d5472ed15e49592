package io.per4m.pystack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.perf.data.UserStackReader;
import io.per4m.perf.data.WindowSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python stacks from perf's stack samples, for a program run with CPython's perf trampolines (3.12+): each window is
 * passed on to the conversion as it comes, after its samples' stacks were read and named through the processes'
 * {@code /tmp/perf-PID.map}; once the windows end, the stacks are written as a viztracer-style trace of call slices
 * (one slice per function for as long as consecutive samples of its thread have it on the stack), which the
 * conversion then merges like viztracer's own. {@link #removeMaps()} removes the map files the program wrote.
 */
public final class SampledStacks implements WindowSource {
    /** A sample's Python stack, outermost call first. */
    record Sample(int pid, int tid, long timeNs, String[] frames) {
    }

    private final WindowSource windows;
    private final Path traceOut;
    private final Path mapDir;
    private final long periodNs;
    private final Set<Integer> pids = new LinkedHashSet<>();
    private final Map<Integer, PerfMap> maps = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private boolean written;

    /**
     * @param windows     the recording's windows
     * @param traceOut    where the stacks' trace goes (the path the conversion reads viztracer's trace from)
     * @param mapDir      where the processes write their perf maps (/tmp)
     * @param hz          the sampling rate per thread
     */
    public SampledStacks(WindowSource windows, Path traceOut, Path mapDir, int hz) {
        this.windows = windows;
        this.traceOut = traceOut;
        this.mapDir = mapDir;
        this.periodNs = 1_000_000_000L / Math.max(1, hz);
    }

    @Override
    public Path next() throws IOException {
        Path window = windows.next();
        if (window != null) {
            maps.clear(); // the maps grew with the program: read them again for this window's samples
            UserStackReader.read(window, (pid, word) -> map(pid).returnInto(word) != null, this::add);
            return window;
        }
        if (!written) {
            written = true;
            write();
        }
        return null;
    }

    private PerfMap map(int pid) {
        return maps.computeIfAbsent(pid, p -> {
            pids.add(p);
            try {
                return PerfMap.read(PerfMap.file(mapDir, p));
            } catch (IOException e) {
                return PerfMap.parse("");
            }
        });
    }

    private void add(UserStackReader.UserStack stack) {
        PerfMap map = map(stack.pid());
        String[] frames = new String[stack.words().length];
        for (int i = 0; i < frames.length; i++) {
            frames[frames.length - 1 - i] = map.returnInto(stack.words()[i]); // the stack's innermost word first
        }
        samples.add(new Sample(stack.pid(), stack.tid(), stack.timeNs(), frames));
    }

    /** How many samples had a Python stack. */
    public long samplesWithStacks() {
        return samples.stream().filter(s -> s.frames().length > 0).count();
    }

    /**
     * Removes the perf maps of the program, of every process seen in the samples, and of the forked children
     * listed in {@code childPids} (one pid a line, written by the runner).
     */
    public void removeMaps(long programPid, Path childPids) {
        if (programPid > 0) {
            pids.add((int) programPid);
        }
        try {
            if (Files.isRegularFile(childPids)) {
                for (String line : Files.readAllLines(childPids)) {
                    if (line.strip().matches("\\d+")) {
                        pids.add(Integer.parseInt(line.strip()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the children's maps stay; the program's are removed below
        }
        for (int pid : pids) {
            try {
                Files.deleteIfExists(PerfMap.file(mapDir, pid));
            } catch (IOException ignored) {
                // not ours to worry about beyond trying: it is in /tmp
            }
        }
    }

    private void write() throws IOException {
        samples.sort(Comparator.comparingInt(Sample::tid).thenComparingLong(Sample::timeNs));
        try (JsonGenerator out = new JsonFactory().createGenerator(traceOut.toFile(),
                com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("traceEvents");
            // no thread names here: the runner's sync file names the threads for the whole conversion
            new Slicer(out, periodNs).slice(samples);
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    /** Turns each thread's samples, in time order, into call slices. */
    private static final class Slicer {
        private final JsonGenerator out;
        private final long periodNs;

        Slicer(JsonGenerator out, long periodNs) {
            this.out = out;
            this.periodNs = periodNs;
        }

        void slice(List<Sample> sorted) throws IOException {
            List<String> open = new ArrayList<>();
            List<Long> since = new ArrayList<>();
            Sample last = null;
            for (Sample s : sorted) {
                if (last != null && (last.tid() != s.tid() || s.timeNs() - last.timeNs() > 2 * periodNs)) {
                    close(open, since, 0, last, last.timeNs() + periodNs); // another thread, or this one slept
                }
                int same = 0;
                while (same < open.size() && same < s.frames().length && open.get(same).equals(s.frames()[same])) {
                    same++;
                }
                if (last != null) {
                    close(open, since, same, last, s.timeNs());
                }
                for (String frame : Arrays.asList(s.frames()).subList(same, s.frames().length)) {
                    open.add(frame);
                    since.add(s.timeNs());
                }
                last = s;
            }
            if (last != null) {
                close(open, since, 0, last, last.timeNs() + periodNs);
            }
        }

        private void close(List<String> open, List<Long> since, int keep, Sample of, long endNs) throws IOException {
            for (int i = open.size() - 1; i >= keep; i--) {
                out.writeStartObject();
                out.writeStringField("ph", "X");
                out.writeStringField("cat", "sampled");
                out.writeStringField("name", open.get(i));
                out.writeNumberField("pid", of.pid());
                out.writeNumberField("tid", of.tid());
                out.writeNumberField("ts", since.get(i) / 1000.0);
                out.writeNumberField("dur", (endNs - since.get(i)) / 1000.0);
                out.writeEndObject();
                open.remove(i);
                since.remove(i);
            }
        }
    }
}
