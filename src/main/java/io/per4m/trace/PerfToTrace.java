package io.per4m.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import io.per4m.UserError;
import io.per4m.counter.CounterAnalyzer;
import io.per4m.files.OutputFile;
import io.per4m.gil.GilAnalyzer;
import io.per4m.gil.GilSummary;
import io.per4m.perf.ParseReport;
import io.per4m.perf.PerfEventSource;
import io.per4m.perf.PerfScriptParser;
import io.per4m.perf.ThreadDirectory;
import io.per4m.perf.data.PerfDataException;
import io.per4m.pipeline.EventPipeline;
import io.per4m.sched.StateAnalyzer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Converts perf events (perf script text, or perf.data read directly) into a trace JSON in one streaming pass:
 * the events through the {@link EventPipeline}, its analyses' tracks through a {@link TrackRouter} to the
 * {@link TraceEventWriter}, then the threads' names ({@link ThreadNameEvents}), viztracer's trace merged in
 * ({@link ViztracerTrace}, {@link ViztracerMetadata}) and the summary. Input is checked by {@link InputChecks}.
 * The output appears only when the conversion succeeded (written next to it, then moved into place).
 */
public final class PerfToTrace {
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
        InputChecks.checkStart(in, inputName);
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
            TrackRouter tracks = new TrackRouter(writer, options.mode(), options.selection(), listener, options.clock());
            GilAnalyzer gil = new GilAnalyzer(options.probeGroup(), tracks);
            EventPipeline pipeline = new EventPipeline(gil).hiding(options.hiddenTids()).directory(directory);
            if (options.selection().allTracepoints()) {
                pipeline.tracepoints(event -> writer.instant(event.pid(), event.tid(), event.name(), event.timeNs()));
            }
            StateAnalyzer states = null;
            if (options.mode().readsStatesAndCounters()) {
                states = new StateAnalyzer(gil, tracks);
                pipeline.states(states).counters(new CounterAnalyzer(tracks));
            }
            EventPipeline.Run run = pipeline.read(source);

            boolean sawSched = states != null && states.sawSchedEvents();
            InputChecks.checkUsable(run.report(), inputName, options.mode(), options.probeGroup(),
                    gil.sawGilEvents(), sawSched, tracks.counterPoints());
            // read after perf's events: a live recording's viztracer trace is saved only when the program ends
            if (viztracer == null && options.viztracer() != null && Files.isRegularFile(options.viztracer())) {
                viztracer = new ViztracerTrace(options.viztracer()).read(viztracerThreads, viztracerListener);
            }
            // read after perf's events too: the runner writes them when the program ends
            names.usePythonNames(PythonThreadNames.read(options.threadNames()));
            GilSummary summary = ThreadNameEvents.named(run.summary(), names);
            ThreadNameEvents nameEvents = new ThreadNameEvents(writer, names, listener);
            nameEvents.writeOurs();
            InputFigures input = InputFigures.of(run.report(), Math.max(options.lostEvents(), source.lostEvents()));
            Result result = new Result(summary, run.report(), input, tracks.gilIntervals(), tracks.stateIntervals(),
                    tracks.counterPoints(), gil.sawGilEvents(), sawSched, writer.eventsWritten());
            if (whenAnalysed != null) {
                whenAnalysed.accept(result);
            }
            if (viztracer != null) {
                viztracer.copyEventsInto(writer);
                nameEvents.renameViztracers();
            }
            writer.endEvents();
            JsonGenerator gen = writer.generator();
            if (viztracer != null) {
                viztracer.copyOtherKeysInto(gen);
            }
            ViztracerMetadata.write(gen, viztracer == null ? null : viztracer.metadata());
            gen.writeFieldName("per4m");
            SummaryJson.write(gen, summary, input);
            gen.writeEndObject();
            gen.writeRaw('\n');
            return result;
        }
    }
}
