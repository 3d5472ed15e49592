package io.per4m.bridge;

import io.per4m.files.FileTrees;

import io.per4m.cli.Main;
import io.per4m.cli.UserError;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the notebook shim may call over py4j: start recording a cell, finish it, and a few questions.
 * <p>
 * One perf session stays attached to the kernel across cells (perf takes over a second to start here):
 * {@link #startRecording} attaches it the first time and enables events; {@link #finishCell} disables them,
 * cuts the session's output at the cell's end and converts that window. The session is replaced when the
 * process or the recorded events change, and closed by {@link #detach} or {@link #shutdown}.
 */
public final class EngineFacade {
    private final RecorderFactory recorders;
    private final CellProcessor processor;
    private final ProbeCheck probes;

    private Session session;
    private RecordingHandle openCell;
    private boolean shutDown;

    public EngineFacade() {
        this(RecorderFactory.perf(), new CellProcessor(), ProbeCheck.system());
    }

    EngineFacade(RecorderFactory recorders, CellProcessor processor, ProbeCheck probes) {
        this.recorders = recorders;
        this.processor = processor;
        this.probes = probes;
    }

    /** One attached perf session and how many cells it has recorded. */
    private static final class Session {
        private final long pid;
        private final RecordingOptions options;
        private final Recorder recorder;
        private final Path workDir;
        private long cells;

        Session(long pid, RecordingOptions options, Recorder recorder, Path workDir) {
            this.pid = pid;
            this.options = options;
            this.recorder = recorder;
            this.workDir = workDir;
        }

        long pid() {
            return pid;
        }

        RecordingOptions options() {
            return options;
        }

        Recorder recorder() {
            return recorder;
        }

        Path workDir() {
            return workDir;
        }

        long nextCell() {
            return ++cells;
        }
    }

    public String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * Starts recording a cell of process {@code pid}: attaches perf if no matching session is attached, then
     * enables events. Returns once perf records.
     *
     * @param optionsJson see {@link RecordingOptions}
     * @param python      the traced interpreter (named in fix-it messages), may be null
     */
    public synchronized RecordingHandle startRecording(long pid, String optionsJson, String python) throws IOException {
        if (shutDown) {
            throw new UserError("the per4m engine is shutting down");
        }
        RecordingOptions options = RecordingOptions.fromJson(optionsJson);
        if (openCell != null) {
            discardOpenCell();
        }
        boolean first = false;
        if (session != null && (session.pid() != pid || !session.options().equals(options))) {
            closeSession();
        }
        if (session == null) {
            probes.check(options, python);
            session = attach(pid, options);
            first = true;
        }
        try {
            session.recorder().enable();
        } catch (IOException | RuntimeException e) {
            closeSession();
            throw new IOException("perf stopped unexpectedly (" + e.getMessage() + "); the next cell restarts it", e);
        }
        openCell = new RecordingHandle(UUID.randomUUID().toString(), pid, session.nextCell(), first);
        return openCell;
    }

    private Session attach(long pid, RecordingOptions options) throws IOException {
        Path workDir = Files.createTempDirectory("per4m-rec-");
        try {
            Recorder recorder = recorders.attach(pid, options.toRecordOptions(workDir));
            return new Session(pid, options, recorder, workDir);
        } catch (UnsupportedOperationException e) {
            FileTrees.deleteQuietly(workDir);
            throw new UserError("the perf recorder is not available in this build of per4m");
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(workDir);
            throw e;
        }
    }

    /**
     * Ends a cell: disables events, cuts the window, writes the cell's files into {@code outDir} and returns
     * what to show.
     *
     * @param viztracerJson viztracer's trace of the cell, or null
     * @param kernelTids    threads of the kernel itself, to fold into one group (numbers)
     */
    public synchronized CellResult finishCell(RecordingHandle handle, String viztracerJson, String outDir,
                                              Collection<?> kernelTids, boolean showKernelThreads) throws IOException {
        long started = System.nanoTime();
        if (handle == null || openCell == null || !openCell.id().equals(handle.id())) {
            throw new UserError("no recording is open for this cell (the engine may have been restarted)");
        }
        openCell = null;
        Path window;
        try {
            session.recorder().disable();
            window = session.recorder().cutWindow();
        } catch (IOException | RuntimeException e) {
            closeSession();
            throw new IOException("perf stopped unexpectedly (" + e.getMessage() + "); the next cell restarts it", e);
        }
        Path dir = Path.of(outDir);
        Files.createDirectories(dir);
        try {
            CellProcessor.CellOutput output = processor.process(new CellProcessor.CellInput(window,
                    viztracerJson == null ? null : Path.of(viztracerJson), dir, handle.pid(), session.options(),
                    toTids(kernelTids), showKernelThreads));
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new CellResult(dir.toString(), pathOrNull(output.traceJson()), pathOrNull(output.reportHtml()),
                    output.summaryJson(), output.inlineHtml(), List.copyOf(output.messages()), output.lostEvents(),
                    millis);
        } finally {
            if (window != null) {
                Files.deleteIfExists(window);
            }
        }
    }

    /** True while a perf session is attached. */
    public synchronized boolean attached() {
        return session != null;
    }

    /** Stops the attached perf session, if any; the next cell attaches a new one. */
    public synchronized void detach() {
        openCell = null;
        closeSession();
    }

    /** Output of {@code per4m doctor --json}. */
    public String doctorJson(String python) {
        // TODO(lead): pass python once DoctorCommand's option for it is settled.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("doctor", "--json");
        if (code != 0 && out.toString().isBlank()) {
            throw new UserError("per4m doctor failed: " + err.toString().strip());
        }
        return out.toString();
    }

    /** Stops perf and removes temporary files; the facade refuses new recordings afterwards. */
    public synchronized void shutdown() {
        shutDown = true;
        openCell = null;
        closeSession();
    }

    private void discardOpenCell() {
        openCell = null;
        try {
            session.recorder().disable();
            Files.deleteIfExists(session.recorder().cutWindow());
        } catch (IOException | RuntimeException e) {
            closeSession();
        }
    }

    private void closeSession() {
        if (session == null) {
            return;
        }
        try {
            session.recorder().close();
        } finally {
            FileTrees.deleteQuietly(session.workDir());
            session = null;
        }
    }

    private static Set<Long> toTids(Collection<?> values) {
        Set<Long> tids = new LinkedHashSet<>();
        if (values != null) {
            for (Object value : values) {
                if (value instanceof Number number) {
                    tids.add(number.longValue());
                } else if (value != null) {
                    tids.add(Long.parseLong(value.toString().strip()));
                }
            }
        }
        return Set.copyOf(tids);
    }

    private static String pathOrNull(Path path) {
        return path == null ? null : path.toString();
    }
}
