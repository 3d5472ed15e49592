package io.per4m.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import io.per4m.session.CellRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One cell to record, as the shim sends it to {@link EngineFacade#startRecording}: one JSON object, e.g.
 * <pre>{@code
 * {"pid": 4242, "python": "/usr/bin/python3", "outDir": "/home/me/per4m-traces/cell-007-20250101-120000",
 *  "viztracerJson": ".../viztracer.json", "kernelTids": [4250, 4251], "showKernelThreads": false,
 *  "recording": {"gil": true, "states": false, "counters": ["page-faults"], "probeGroup": "python"}}
 * }</pre>
 * A string crosses py4j as it is, where a Java object would need a constructor the gateway does not allow.
 *
 * @param pid               the kernel's process (required)
 * @param python            the traced interpreter (named in fix-it messages), or null
 * @param outDir            where the cell's files go, made if missing (required)
 * @param viztracerJson     where viztracer's trace of the cell will be saved, or null
 * @param kernelTids        threads of the kernel itself, folded into one group
 * @param showKernelThreads show them one by one instead
 * @param recording         what perf records ({@link RecordOptions}); the GIL probes of group "python" when absent
 */
record CellRecordingRequest(long pid, String python, String outDir, String viztracerJson, List<Integer> kernelTids,
                            boolean showKernelThreads, RecordOptions recording) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static CellRecordingRequest fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new UserError("no cell to record: the request is empty");
        }
        try {
            return JSON.readValue(json, CellRecordingRequest.class);
        } catch (JsonProcessingException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof UserError user) {
                    throw user;
                }
            }
            throw new UserError("invalid cell recording request " + json + ": " + e.getOriginalMessage());
        }
    }

    CellRequest toCellRequest() {
        if (pid <= 0) {
            throw new UserError("the cell recording request needs the kernel's pid");
        }
        if (outDir == null || outDir.isBlank()) {
            throw new UserError("the cell recording request needs an outDir");
        }
        RecordOptions options = recording != null ? recording
                : new RecordOptions(true, false, List.of(), RecordOptions.DEFAULT_PROBE_GROUP);
        return new CellRequest(pid, options, python, Path.of(outDir),
                viztracerJson == null ? null : Path.of(viztracerJson),
                kernelTids == null ? Set.of() : Set.copyOf(kernelTids), showKernelThreads);
    }
}
