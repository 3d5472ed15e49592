package io.per4m.session;

import io.per4m.UserError;
import io.per4m.files.FileTrees;
import io.per4m.perf.RecordOptions;
import io.per4m.perf.WindowCutter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The notebook's recording session: record a cell → convert its windows while it runs → report; the bridge's
 * facade adapts it to py4j. giltracer's counterpart is {@link ProgramRecording}.
 * <p>
 * One perf session stays attached to the kernel across cells (perf takes over a second to start here):
 * {@link #start} attaches it the first time, enables events and starts converting the cell's windows, cut every
 * {@value RecordingRules#WINDOW_MILLIS} ms while the cell runs; {@link #endCell} disables events and cuts the last
 * window right after the cell; {@link #finishCell}, once viztracer's trace is saved, completes the report. The
 * perf session is replaced when the process or the recorded events change, and closed by {@link #detach} or
 * {@link #shutdown}.
 */
public final class NotebookSession {
    private final RecorderFactory recorders;
    private final CellProcessor processor;
    private final ProbeCheck probes;
    private final long windowMillis;

    private Session session;
    private OpenCell openCell;
    private boolean shutDown;

    /** The cell being recorded: its windows, their conversion, and whether its last window was cut. */
    private static final class OpenCell {
        final RecordingHandle handle;
        final WindowCutter windows;
        final CellProcessor.Conversion conversion;
        final Path outDir;
        boolean ended;
        /** Why perf failed at the cell's end (its report holds the windows cut before), or null. */
        String failure;

        OpenCell(RecordingHandle handle, WindowCutter windows, CellProcessor.Conversion conversion, Path outDir) {
            this.handle = handle;
            this.windows = windows;
            this.conversion = conversion;
            this.outDir = outDir;
        }
    }

    public NotebookSession() {
        this(RecorderFactory.perf(), new CellProcessor(), ProbeCheck.system(), RecordingRules.WINDOW_MILLIS);
    }

    NotebookSession(RecorderFactory recorders, CellProcessor processor, ProbeCheck probes, long windowMillis) {
        this.recorders = recorders;
        this.processor = processor;
        this.probes = probes;
        this.windowMillis = windowMillis;
    }

    /** One attached perf session and how many cells it has recorded. */
    private static final class Session {
        private final long pid;
        private final RecordOptions requested;
        private final ProbeCheck.Leased probes;
        private final Recorder recorder;
        private final Path workDir;
        private long cells;

        Session(long pid, RecordOptions requested, ProbeCheck.Leased probes, Recorder recorder, Path workDir) {
            this.pid = pid;
            this.requested = requested;
            this.probes = probes;
            this.recorder = recorder;
            this.workDir = workDir;
        }

        long pid() {
            return pid;
        }

        /** What the cells asked for (the probe group may differ from what is recorded). */
        RecordOptions requested() {
            return requested;
        }

        /** What is recorded: the probe group is the one on the interpreter's file. */
        RecordOptions options() {
            return probes.options();
        }

        String probeMethod() {
            return probes.probeMethod();
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

    /**
     * Starts recording a cell: attaches perf if no matching session is attached, enables events and starts
     * converting the cell's windows. Returns once perf records.
     */
    public synchronized RecordingHandle start(CellRequest request) throws IOException {
        if (shutDown) {
            throw new UserError("the per4m engine is shutting down");
        }
        long pid = request.pid();
        RecordOptions options = request.recording();
        if (openCell != null) {
            discardOpenCell();
        }
        boolean first = false;
        if (session != null && (session.pid() != pid || !session.requested().equals(options))) {
            closeSession();
        }
        if (session == null) {
            probes.check(options, request.python());
            session = attach(pid, options, probes.lease(options, request.python(), pid));
            first = true;
        }
        Path dir = request.outDir();
        Files.createDirectories(dir);
        try {
            session.recorder().enable();
        } catch (IOException | RuntimeException e) {
            closeSession();
            throw new IOException("perf stopped unexpectedly (" + e.getMessage() + "); the next cell restarts it", e);
        }
        RecordingHandle handle = new RecordingHandle(UUID.randomUUID().toString(), pid, session.nextCell(), first);
        WindowCutter windows = new WindowCutter(session.recorder()::cutWindow);
        CellProcessor.Conversion conversion = processor.start(new CellProcessor.CellInput(windows,
                request.viztracerJson(), dir, pid, session.options(), session.probeMethod(), request.kernelTids(),
                request.showKernelThreads()));
        windows.startPacing(windowMillis, () -> true); // attached perf answered ping: it can take signals
        openCell = new OpenCell(handle, windows, conversion, dir);
        return handle;
    }

    private Session attach(long pid, RecordOptions requested, ProbeCheck.Leased probes) throws IOException {
        Path workDir = Files.createTempDirectory("per4m-rec-");
        try {
            Recorder recorder = recorders.attach(pid, probes.options(), workDir);
            return new Session(pid, requested, probes, recorder, workDir);
        } catch (UnsupportedOperationException e) {
            FileTrees.deleteQuietly(workDir);
            releaseQuietly(probes);
            throw new UserError("the perf recorder is not available in this build of per4m");
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(workDir);
            releaseQuietly(probes);
            throw e;
        }
    }

    private static void releaseQuietly(ProbeCheck.Leased probes) {
        try {
            probes.release().close();
        } catch (Exception e) {
            System.err.println("per4m: " + e.getMessage());
        }
    }

    /**
     * The cell's code is done: disables events and cuts its last window, which is converted while viztracer's trace
     * is saved. {@link #finishCell} does it if this was not called. Should perf fail here, the cell stays open:
     * {@link #finishCell} still makes its report from the windows cut before, says why it ends early, and then
     * closes the session (the next cell attaches a new one).
     */
    public synchronized void endCell(RecordingHandle handle) throws IOException {
        OpenCell cell = openCell(handle);
        if (cell.ended) {
            return;
        }
        cell.ended = true;
        try {
            session.recorder().disable();
            cell.windows.cutLast();
        } catch (IOException | RuntimeException e) {
            cell.failure = "perf stopped unexpectedly (" + e.getMessage() + "); the next cell restarts it";
            cell.windows.end();
            throw new IOException(cell.failure, e);
        }
    }

    /** Ends a cell (see {@link #endCell}) once viztracer's trace is saved: completes its files and returns what to show. */
    public synchronized CellResult finishCell(RecordingHandle handle) throws IOException {
        long started = System.nanoTime();
        OpenCell cell = openCell(handle);
        try {
            endCell(handle);
        } catch (IOException failed) {
            // said in the result's messages, under the report of what was recorded before
        }
        openCell = null;
        cell.windows.end();
        try {
            CellProcessor.CellOutput output = cell.conversion.finish();
            List<String> messages = new ArrayList<>();
            if (cell.failure != null) {
                messages.add(cell.failure + ": the report shows what was recorded up to then");
            }
            messages.addAll(output.messages());
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new CellResult(cell.outDir.toString(), pathOrNull(output.traceJson()),
                    pathOrNull(output.reportHtml()), output.summaryJson(), output.inlineHtml(),
                    List.copyOf(messages), output.lostEvents(), millis);
        } finally {
            deleteWindows(cell);
            if (cell.failure != null) {
                closeSession();
            }
        }
    }

    private OpenCell openCell(RecordingHandle handle) {
        if (handle == null || openCell == null || !openCell.handle.id().equals(handle.id())) {
            throw new UserError("no recording is open for this cell (the engine may have been restarted)");
        }
        return openCell;
    }

    /** True while a perf session is attached. */
    public synchronized boolean attached() {
        return session != null;
    }

    /** Stops the attached perf session, if any; the next cell attaches a new one. */
    public synchronized void detach() {
        if (openCell != null) {
            discardOpenCell();
        }
        closeSession();
    }

    /** Stops perf and removes temporary files; new recordings are refused afterwards. */
    public synchronized void shutdown() {
        shutDown = true;
        if (openCell != null) {
            discardOpenCell();
        }
        closeSession();
    }

    private void discardOpenCell() {
        OpenCell cell = openCell;
        openCell = null;
        cell.windows.close();
        cell.conversion.abandon();
        try {
            if (cell.failure != null) {
                closeSession();
            } else if (!cell.ended && session != null) {
                session.recorder().disable();
                Files.deleteIfExists(session.recorder().cutWindow()); // the next cell's window starts clean
            }
        } catch (IOException | RuntimeException e) {
            closeSession();
        } finally {
            deleteWindows(cell);
        }
    }

    private static void deleteWindows(OpenCell cell) {
        for (Path window : cell.windows.windows()) {
            try {
                Files.deleteIfExists(window);
            } catch (IOException ignored) {
                // in the session's work directory, which goes when the session closes
            }
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
            releaseQuietly(session.probes);
            session = null;
        }
    }

    private static String pathOrNull(Path path) {
        return path == null ? null : path.toString();
    }
}
