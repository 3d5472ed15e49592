package io.per4m.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.per4m.gil.GilInterval;
import io.per4m.gil.GilReplay;
import io.per4m.gil.GilState;
import io.per4m.trace.InputFigures;
import io.per4m.trace.SummaryJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary JSON worked out from the GIL lanes alone, for traces that carry no engine summary (hand-made or
 * merged by other tools): the lanes are replayed through the engine's GIL model ({@link GilReplay}), so the figures
 * follow the same rules as a recording's, and written as the engine writes its summary.
 */
final class FallbackSummary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ThreadLanes> threads;

    FallbackSummary(List<ThreadLanes> threads) {
        this.threads = threads;
    }

    JsonNode toJson() {
        GilReplay replay = new GilReplay();
        long slices = 0;
        for (ThreadLanes t : threads) {
            Row gil = t.gil();
            List<GilInterval> intervals = new ArrayList<>(gil.size());
            for (int i = 0; i < gil.size(); i++) {
                long start = gil.start()[i];
                intervals.add(new GilInterval(t.pid(), t.tid(), state(gil.kind()[i]), start, start + gil.duration()[i]));
            }
            if (!intervals.isEmpty()) {
                replay.thread(t.pid(), t.tid(), t.name(), intervals);
                slices += intervals.size();
            }
        }
        try (TokenBuffer buffer = new TokenBuffer(JSON, false)) {
            SummaryJson.write(buffer, replay.summary(), new InputFigures(0, 0, slices, 0));
            return JSON.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GilState state(int kind) {
        return switch (kind) {
            case ReportData.GIL_HELD -> GilState.HELD;
            case ReportData.GIL_HANDOVER -> GilState.HANDOVER;
            default -> GilState.WAIT;
        };
    }
}
