package io.per4m.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import io.per4m.session.CellRequest;
import io.per4m.session.CellResult;
import io.per4m.session.NotebookSession;
import io.per4m.session.RecordingHandle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the notebook shim may call over py4j: a thin adapter over the {@link NotebookSession}. */
public final class EngineFacade {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    /**
     * Starts recording a cell of process {@code pid}; see {@link NotebookSession#start}.
     *
     * @param optionsJson       {@link RecordOptions} as JSON, e.g. {@code {"gil": true, "counters": ["page-faults"]}}
     * @param python            the traced interpreter (named in fix-it messages), may be null
     * @param outDir            where the cell's files go (made if missing)
     * @param viztracerJson     where viztracer's trace of the cell will be saved, or null
     * @param kernelTids        threads of the kernel itself, to fold into one group (numbers)
     * @param showKernelThreads show them one by one instead
     */
    public RecordingHandle startRecording(long pid, String optionsJson, String python, String outDir,
                                          String viztracerJson, Collection<?> kernelTids,
                                          boolean showKernelThreads) throws IOException {
        return session.start(new CellRequest(pid, options(optionsJson), python, Path.of(outDir),
                viztracerJson == null ? null : Path.of(viztracerJson), toTids(kernelTids), showKernelThreads));
    }

    public void endCell(RecordingHandle handle) throws IOException {
        session.endCell(handle);
    }

    public CellResult finishCell(RecordingHandle handle) throws IOException {
        return session.finishCell(handle);
    }

    public boolean attached() {
        return session.attached();
    }

    public void detach() {
        session.detach();
    }

    public void shutdown() {
        session.shutdown();
    }

    static RecordOptions options(String json) {
        if (json == null || json.isBlank()) {
            return new RecordOptions(true, false, List.of(), RecordOptions.DEFAULT_PROBE_GROUP);
        }
        try {
            return JSON.readValue(json, RecordOptions.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof UserError user) {
                throw user;
            }
            throw new UserError("invalid recording options " + json + ": " + e.getOriginalMessage());
        }
    }

    private static Set<Integer> toTids(Collection<?> values) {
        Set<Integer> tids = new LinkedHashSet<>();
        if (values != null) {
            for (Object value : values) {
                if (value instanceof Number number) {
                    tids.add(number.intValue());
                } else if (value != null) {
                    tids.add(Integer.parseInt(value.toString().strip()));
                }
            }
        }
        return Set.copyOf(tids);
    }
}
