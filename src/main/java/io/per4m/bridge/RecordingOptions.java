package io.per4m.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;
import io.per4m.perf.RecordOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * What the notebook asked to record, as sent by the shim in JSON, e.g.
 * {@code {"gil": true, "states": false, "counters": ["page-faults"], "probeGroup": "python"}}.
 * Two cells with equal options share one attached perf session.
 */
public record RecordingOptions(boolean gil, boolean states, List<String> counters, String probeGroup) {
    static final String DEFAULT_PROBE_GROUP = "python";
    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordingOptions {
        counters = counters == null ? List.of() : List.copyOf(counters);
        probeGroup = probeGroup == null || probeGroup.isBlank() ? DEFAULT_PROBE_GROUP : probeGroup;
        if (!probeGroup.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new UserError("invalid probe group name '" + probeGroup + "': use letters, digits and _");
        }
        for (String counter : counters) {
            if (!counter.matches("[A-Za-z0-9_:.-]+")) {
                throw new UserError("invalid counter name '" + counter + "'");
            }
        }
        if (!gil && !states && counters.isEmpty()) {
            throw new UserError("nothing to record: leave GIL detection on, or add --state-detect or --counters");
        }
    }

    static RecordingOptions fromJson(String json) {
        if (json == null || json.isBlank()) {
            return new RecordingOptions(true, false, List.of(), DEFAULT_PROBE_GROUP);
        }
        try {
            return JSON.readValue(json, RecordingOptions.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof UserError user) {
                throw user;
            }
            throw new UserError("invalid recording options " + json + ": " + e.getOriginalMessage());
        }
    }

    /** The same options recording the GIL probes of another group (one that points at the traced interpreter). */
    RecordingOptions withProbeGroup(String group) {
        return new RecordingOptions(gil, states, counters, group);
    }

    RecordOptions toRecordOptions(Path workDir) {
        return new RecordOptions(gil, states, counters, probeGroup, workDir);
    }
}
