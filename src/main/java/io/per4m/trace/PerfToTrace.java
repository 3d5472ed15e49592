package io.per4m.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.per4m.UserError;
import io.per4m.counter.CounterAnalyzer;
import io.per4m.files.OutputFile;
import io.per4m.counter.CounterPoint;
import io.per4m.counter.CounterSink;
import io.per4m.gil.GilAnalyzer;
import io.per4m.gil.GilInterval;
import io.per4m.gil.GilIntervalSink;
import io.per4m.gil.GilSummary;
import io.per4m.gil.ThreadGilFigures;
import io.per4m.perf.EventQueueSink;
import io.per4m.perf.ParseReport;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.PerfEventSource;
import io.per4m.perf.PerfScriptParser;
import io.per4m.perf.ThreadDirectory;
import io.per4m.perf.TimeJumpFilter;
import io.per4m.perf.data.PerfDataException;
import io.per4m.sched.StateAnalyzer;
import io.per4m.sched.StateInterval;
import io.per4m.sched.StateIntervalSink;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Converts perf events (perf script text, or perf.data read directly) into a trace JSON in one streaming pass:
 * parser → TimeJumpFilter → GilAnalyzer → StateAnalyzer → CounterAnalyzer → TraceEventWriter, optionally merged with a viztracer trace.
 * The output appears only when the conversion succeeded (written next to it, then moved into place).
 */
public final class PerfToTrace {
    /** Default viztracer version written when there is no viztracer trace to take it from. */
    static final String VIZTRACER_VERSION = "0.16.3";
    private static final byte[] PERF_DATA_MAGIC = "PERFILE2".getBytes(StandardCharsets.US_ASCII);

    private final TrackListener listener;
    private final TraceEventListener viztracerListener;
    private final Consumer<Result> whenAnalysed;

    public PerfToTrace() {
        this(null, null, null);
    }

    /**
     * @param listener          also told every track and thread name written, or null
     * @param viztracerListener also shown every viztracer event merged, or null
     * @param whenAnalysed      given the result once every track, name and viztracer event was delivered, before the
     *                          trace file is finished (so work on the result can overlap its last writes), or null
     */
    public PerfToTrace(TrackListener listener, TraceEventListener viztracerListener, Consumer<Result> whenAnalysed) {
        this.listener = listener;
        this.viztracerListener = viztracerListener;
        this.whenAnalysed = whenAnalysed;
    }

    /** Which tracks the trace gets. */
    public enum Mode {
        /** GIL wait/held slices */
        GIL,
        /** process states and counters */
        SCHED,
        /** everything */
        ALL;

        boolean writesGil() {
            return this != SCHED;
        }

        boolean readsStatesAndCounters() {
            return this != GIL;
        }
    }

    /**
     * @param mode       which tracks to write
     * @param viztracer  viztracer trace to merge, or null; merged if it exists once perf's events are read
     * @param output     trace JSON to write
     * @param probeGroup uprobe group of the GIL probes, or null for the first one seen
     * @param clock      perf clock to trace clock
     * @param lostEvents events perf reported as lost while recording (for the summary), 0 when unknown
     * @param hiddenTids threads left out of the analysis and the trace (a notebook kernel's own threads)
     * @param selection  which slices are written
     * @param threadNames a file with the Python program's own thread names (see {@link PythonThreadNames}), or null
     */
    public record Options(Mode mode, Path viztracer, Path output, String probeGroup, ClockAlignment clock,
                          long lostEvents, Set<Integer> hiddenTids, TrackSelection selection, Path threadNames) {
        public Options {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(output, "output");
            clock = clock == null ? ClockAlignment.NONE : clock;
            hiddenTids = hiddenTids == null ? Set.of() : Set.copyOf(hiddenTids);
            selection = selection == null ? TrackSelection.ALL : selection;
        }

        public Options(Mode mode, Path viztracer, Path output, String probeGroup, ClockAlignment clock,
                       long lostEvents, Set<Integer> hiddenTids) {
            this(mode, viztracer, output, probeGroup, clock, lostEvents, hiddenTids, TrackSelection.ALL, null);
        }

        public Options(Mode mode, Path viztracer, Path output, String probeGroup, ClockAlignment clock,
                       long lostEvents) {
            this(mode, viztracer, output, probeGroup, clock, lostEvents, Set.of());
        }

        public static Options of(Mode mode, Path output) {
            return new Options(mode, null, output, null, ClockAlignment.NONE, 0);
        }
    }

    /**
     * @param summary        GIL figures, thread names as in the trace
     * @param report         what the parser read
     * @param input          the input figures of the summary
     * @param gilIntervals   GIL intervals the analysis produced
     * @param stateIntervals process-state intervals the analysis produced
     * @param counterPoints  counter points the analysis produced
     * @param eventsWritten  trace events written by per4m (viztracer's not counted)
     */
    public record Result(GilSummary summary, ParseReport report, InputFigures input, long gilIntervals,
                         long stateIntervals, long counterPoints, boolean sawGilEvents, boolean sawSchedEvents,
                         long eventsWritten) {
    }

    /** Converts {@code perfScript} text; {@code inputName} (a file name, or null for stdin) only words error messages. */
    public Result run(InputStream perfScript, String inputName, Options options) throws IOException {
        BufferedInputStream in = new BufferedInputStream(perfScript, 1 << 16);
        checkStart(in, inputName);
        PerfScriptParser parser = new PerfScriptParser();
        return run(sink -> parser.parse(in, sink), inputName, options, true);
    }

    /** Converts the events of {@code source}: perf script text, or perf.data files read directly. */
    public Result run(PerfEventSource source, String inputName, Options options) throws IOException {
        return run(source, inputName, options, false);
    }

    private Result run(PerfEventSource source, String inputName, Options options, boolean preScanViztracer)
            throws IOException {
        try (OutputFile.Writing output = OutputFile.of(options.output()).open()) {
            Result result;
            try {
                result = convert(source, inputName, options, output.stream(), preScanViztracer);
            } catch (PerfDataException e) {
                throw new UserError(e.getMessage());
            }
            output.commit();
            return result;
        }
    }

    /**
     * @param preScanViztracer read viztracer's threads before perf's events: perf script text without pids needs
     *                         them to place threads in processes as their tracks are written
     */
    private Result convert(PerfEventSource source, String inputName, Options options, OutputStream output,
                           boolean preScanViztracer) throws IOException {
        ThreadDirectory directory = new ThreadDirectory();
        ViztracerThreads viztracerThreads = new ViztracerThreads();
        ThreadNames names = new ThreadNames(directory, viztracerThreads);
        try (OutputStream out = new BufferedOutputStream(output, 1 << 16);
             TraceEventWriter writer = new TraceEventWriter(out, options.clock(), names::pidOf)) {
            writer.startEvents();
            ViztracerTrace.Contents viztracer = null;
            if (preScanViztracer && options.viztracer() != null && Files.isRegularFile(options.viztracer())) {
                viztracer = new ViztracerTrace(options.viztracer()).read(viztracerThreads, viztracerListener);
            }
            Tracks tracks = new Tracks(writer, options.mode(), options.selection(), listener, options.clock());
            GilAnalyzer gil = new GilAnalyzer(options.probeGroup(), tracks);
            StateAnalyzer states = options.mode().readsStatesAndCounters() ? new StateAnalyzer(gil, tracks) : null;
            CounterAnalyzer counters = options.mode().readsStatesAndCounters() ? new CounterAnalyzer(tracks) : null;
            TimeJumpFilter timeJumps = new TimeJumpFilter(new Pipeline(directory, gil, states, counters,
                    options.hiddenTids(), options.selection().allTracepoints() ? writer : null));
            ParseReport report = source.readInto(new EventQueueSink(timeJumps));

            boolean sawSched = states != null && states.sawSchedEvents();
            checkUsable(report, inputName, options, gil.sawGilEvents(), sawSched, tracks.counterPoints);
            // read after perf's events: a live recording's viztracer trace is saved only when the program ends
            if (viztracer == null && options.viztracer() != null && Files.isRegularFile(options.viztracer())) {
                viztracer = new ViztracerTrace(options.viztracer()).read(viztracerThreads, viztracerListener);
            }
            // read after perf's events too: the runner writes them when the program ends
            names.usePythonNames(PythonThreadNames.read(options.threadNames()));
            GilSummary summary = named(withTimeJumps(gil.summary(), timeJumps.jumped()), names);
            writeNames(writer, names, listener);
            InputFigures input = InputFigures.of(report, Math.max(options.lostEvents(), source.lostEvents()));
            Result result = new Result(summary, report, input, tracks.gilIntervals, tracks.stateIntervals,
                    tracks.counterPoints, gil.sawGilEvents(), sawSched, writer.eventsWritten());
            if (whenAnalysed != null) {
                whenAnalysed.accept(result);
            }
            if (viztracer != null) {
                viztracer.copyEventsInto(writer);
                renameViztracersThreads(writer, names, listener);
            }
            writer.endEvents();
            JsonGenerator gen = writer.generator();
            if (viztracer != null) {
                viztracer.copyOtherKeysInto(gen);
            }
            writeViztracerMetadata(gen, viztracer == null ? null : viztracer.metadata());
            gen.writeFieldName("per4m");
            SummaryJson.write(gen, summary, input);
            gen.writeEndObject();
            gen.writeRaw('\n');
            return result;
        }
    }

    /** Empty or perf.data input is recognised before anything is written. */
    private static void checkStart(BufferedInputStream in, String inputName) throws IOException {
        in.mark(PERF_DATA_MAGIC.length);
        byte[] start = in.readNBytes(PERF_DATA_MAGIC.length);
        in.reset();
        if (start.length == 0) {
            throw new UserError(InputProblems.empty());
        }
        if (Arrays.equals(start, PERF_DATA_MAGIC)) {
            throw new UserError(InputProblems.binary(inputName));
        }
    }

    /** Throws when nothing usable was read; a recording that turns binary half-way is kept up to that point. */
    private static void checkUsable(ParseReport report, String inputName, Options options, boolean sawGil,
                                    boolean sawSched, long counterPoints) {
        boolean usable = switch (options.mode()) {
            case GIL -> sawGil;
            case SCHED -> sawSched || counterPoints > 0;
            case ALL -> sawGil || sawSched || counterPoints > 0;
        };
        if (usable) {
            return;
        }
        if (report.binary()) {
            // perf.data's magic at the start was refused before the pass: what stopped it is a NUL byte
            throw new UserError(InputProblems.nulByte(inputName, report.lines()));
        }
        if (report.lines() == 0) {
            throw new UserError(InputProblems.empty());
        }
        if (report.events() == 0) {
            throw new UserError(InputProblems.noEvents(report));
        }
        throw new UserError(switch (options.mode()) {
            case GIL -> InputProblems.noGilEvents(report.events(), options.probeGroup());
            case SCHED -> InputProblems.noSchedEvents(report.events());
            case ALL -> InputProblems.nothingUsable(report.events());
        });
    }

    /** The summary with the events dropped for a jumped timestamp among its anomalies. */
    private static GilSummary withTimeJumps(GilSummary summary, long jumped) {
        if (jumped == 0) {
            return summary;
        }
        Map<String, Long> anomalies = new TreeMap<>(summary.anomalies() == null ? Map.of() : summary.anomalies());
        anomalies.put(TimeJumpFilter.TIME_JUMPED, jumped);
        return new GilSummary(summary.threads(), summary.process(), summary.processes(), summary.blame(),
                summary.handoff(), Collections.unmodifiableMap(anomalies));
    }

    /** The summary with the names (the program's own, then viztracer's) and pids the trace uses. */
    static GilSummary named(GilSummary summary, ThreadNames names) {
        List<ThreadGilFigures> threads = new ArrayList<>(summary.threads().size());
        for (ThreadGilFigures t : summary.threads()) {
            String name = names.namedByPython(t.tid()) || t.name() == null || t.name().isBlank()
                    ? names.threadName(t.tid()) : t.name();
            int pid = t.pid() >= 0 ? t.pid() : names.pidOf(t.tid());
            threads.add(t.withName(name).withPid(pid));
        }
        Map<String, Long> anomalies = summary.anomalies() == null ? Map.of() : summary.anomalies();
        return new GilSummary(List.copyOf(threads), summary.process(), summary.processes(), summary.blame(),
                summary.handoff(), anomalies);
    }

    /** M events for our threads and processes, except those viztracer already named (one OS thread, one row). */
    private static void writeNames(TraceEventWriter writer, ThreadNames names, TrackListener listener)
            throws IOException {
        Set<Integer> pids = new LinkedHashSet<>(writer.threadsWritten().values());
        for (int pid : pids) {
            if (!names.processNamedByViztracer(pid)) {
                writer.processName(pid, names.processName(pid));
                if (listener != null) {
                    listener.processName(pid, names.processName(pid));
                }
            }
        }
        for (Map.Entry<Integer, Integer> thread : writer.threadsWritten().entrySet()) {
            if (!names.namedByViztracer(thread.getKey())) {
                writer.threadName(thread.getValue(), thread.getKey(), names.threadName(thread.getKey()));
                if (listener != null) {
                    listener.threadName(thread.getValue(), thread.getKey(), names.threadName(thread.getKey()));
                }
            }
        }
    }

    /** After viztracer's own thread_name events, the names the program gave (a later M event wins in viewers). */
    private static void renameViztracersThreads(TraceEventWriter writer, ThreadNames names, TrackListener listener)
            throws IOException {
        for (Map.Entry<Integer, Integer> thread : writer.threadsWritten().entrySet()) {
            if (names.renamesViztracers(thread.getKey())) {
                writer.threadName(thread.getValue(), thread.getKey(), names.threadName(thread.getKey()));
                if (listener != null) {
                    listener.threadName(thread.getValue(), thread.getKey(), names.threadName(thread.getKey()));
                }
            }
        }
    }

    private static void writeViztracerMetadata(JsonGenerator gen, ObjectNode viztracer) throws IOException {
        gen.writeObjectFieldStart("viztracer_metadata");
        gen.writeStringField("version", viztracer != null && viztracer.path("version").isTextual()
                ? viztracer.get("version").asText() : VIZTRACER_VERSION);
        gen.writeBooleanField("overflow", viztracer != null && viztracer.path("overflow").asBoolean(false));
        if (viztracer != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = viztracer.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!Set.of("version", "overflow", "producer").contains(field.getKey())) {
                    gen.writeFieldName(field.getKey());
                    gen.writeTree(field.getValue());
                }
            }
        }
        gen.writeStringField("producer", "per4m");
        gen.writeEndObject();
    }


    /** One event through every consumer, GIL first (the state analysis asks it whether a thread waits). */
    private record Pipeline(ThreadDirectory directory, GilAnalyzer gil, StateAnalyzer states, CounterAnalyzer counters,
                            Set<Integer> hiddenTids, TraceEventWriter tracepoints) implements PerfEventSink {
        @Override
        public void accept(PerfEvent event) {
            if (!hiddenTids.isEmpty() && hiddenTids.contains(event.tid())) {
                return;
            }
            directory.accept(event);
            if (tracepoints != null && event.name().indexOf(':') > 0) {
                tracepoints.instant(event.pid(), event.tid(), event.name(), event.timeNs());
            }
            gil.accept(event);
            if (states != null) {
                states.accept(event);
            }
            if (counters != null) {
                counters.accept(event);
            }
        }

        @Override
        public void end() {
            directory.end();
            gil.end();
            if (states != null) {
                states.end();
            }
            if (counters != null) {
                counters.end();
            }
        }
    }

    /** Counts what the analyses produce and passes on what the mode selects (to the listener on the trace clock). */
    private static final class Tracks implements GilIntervalSink, StateIntervalSink, CounterSink {
        private final TraceEventWriter writer;
        private final Mode mode;
        private final TrackSelection selection;
        private final TrackListener listener;
        private final ClockAlignment clock;
        long gilIntervals;
        long stateIntervals;
        long counterPoints;

        Tracks(TraceEventWriter writer, Mode mode, TrackSelection selection, TrackListener listener,
               ClockAlignment clock) {
            this.writer = writer;
            this.mode = mode;
            this.selection = selection;
            this.listener = listener;
            this.clock = clock;
        }

        @Override
        public void interval(GilInterval interval) {
            gilIntervals++;
            if (mode.writesGil() && selection.writes(interval.state())) {
                writer.interval(interval);
                if (listener != null) {
                    listener.interval(new GilInterval(interval.pid(), interval.tid(), interval.state(),
                            clock.toTraceNs(interval.startNs()), clock.toTraceNs(interval.endNs())));
                }
            }
        }

        @Override
        public void interval(StateInterval interval) {
            stateIntervals++;
            if (!selection.writes(interval.state())) {
                return;
            }
            writer.interval(interval);
            if (listener != null) {
                listener.interval(new StateInterval(interval.pid(), interval.tid(), interval.state(),
                        clock.toTraceNs(interval.startNs()), clock.toTraceNs(interval.endNs())));
            }
        }

        @Override
        public void point(CounterPoint point) {
            counterPoints++;
            writer.point(point);
            if (listener != null) {
                listener.point(new CounterPoint(point.pid(), point.tid(), point.counter(),
                        clock.toTraceNs(point.timeNs()), point.perSecond()));
            }
        }
    }
}
