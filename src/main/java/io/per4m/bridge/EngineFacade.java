package io.per4m.bridge;

import io.per4m.session.CellResult;
import io.per4m.session.NotebookSession;
import io.per4m.session.RecordingHandle;

import java.io.IOException;

/**
 * The bridge's contract with the Python shim ({@code per4m.magic}): the only object the shim reaches over py4j,
 * and of it only these methods ({@link FacadeGateway#FACADE_METHODS}); everything else is the
 * {@link NotebookSession} it adapts. A problem the user can fix arrives in the shim as one line
 * ({@code UserError}'s message).
 * <ul>
 *   <li>{@link #version()}: the engine's version; the shim's first call, which also authenticates the connection.</li>
 *   <li>{@link #startRecording(String)}: one cell's {@link CellRecordingRequest} (JSON); returns its
 *       {@link RecordingHandle} once perf records.</li>
 *   <li>{@link #endCell(RecordingHandle)}: the cell's code is done; perf's last window is cut while viztracer
 *       saves its trace.</li>
 *   <li>{@link #finishCell(RecordingHandle)}: viztracer's trace is saved; returns the cell's {@link CellResult}.</li>
 *   <li>{@link #attached()}: whether a perf session is attached to the kernel.</li>
 *   <li>{@link #detach()}: stops perf; the next cell attaches it again.</li>
 * </ul>
 * Of the records returned, the shim reads the components; {@link #shutdown()} is the engine's own (GatewayMain),
 * not reachable from the shim.
 */
public final class EngineFacade {
    private final NotebookSession session;

    public EngineFacade() {
        this(new NotebookSession());
    }

    EngineFacade(NotebookSession session) {
        this.session = session;
    }

    public String version() {
        String version = EngineFacade.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Starts recording a cell; see {@link CellRecordingRequest} for the JSON and {@link NotebookSession#start}. */
    public RecordingHandle startRecording(String cellRecordingRequestJson) throws IOException {
        return session.start(CellRecordingRequest.fromJson(cellRecordingRequestJson).toCellRequest());
    }

    /** See {@link NotebookSession#endCell}. */
    public void endCell(RecordingHandle handle) throws IOException {
        session.endCell(handle);
    }

    /** See {@link NotebookSession#finishCell}. */
    public CellResult finishCell(RecordingHandle handle) throws IOException {
        return session.finishCell(handle);
    }

    public boolean attached() {
        return session.attached();
    }

    public void detach() {
        session.detach();
    }

    /** Stops perf and removes temporary files; refuses new recordings afterwards. Not reachable over py4j. */
    public void shutdown() {
        session.shutdown();
    }
}
