package io.per4m.gil;

import io.per4m.perf.PerfScriptParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A trace's GIL slices, replayed, give the figures the recording gave: one model for both. */
class GilReplayTest {
    @Test
    void replayingTheIntervalsOfARecordingGivesItsFigures() throws IOException {
        GilEvents recorded = new GilEvents();
        try (InputStream in = GilReplayTest.class.getResourceAsStream("/fixtures/gil-two-threads.txt")) {
            new PerfScriptParser().parse(in, recorded.analyzer);
        }
        GilSummary expected = recorded.analyzer.summary();

        GilReplay replay = new GilReplay();
        Map<Integer, List<GilInterval>> byThread = recorded.intervals.stream()
                .collect(Collectors.groupingBy(GilInterval::tid));
        for (ThreadGilFigures t : expected.threads()) {
            List<GilInterval> intervals = new ArrayList<>(byThread.get(t.tid()));
            intervals.sort((a, b) -> Long.compare(a.startNs(), b.startNs()));
            replay.thread(t.pid(), t.tid(), t.name(), intervals);
        }
        GilSummary replayed = replay.summary();

        assertEquals(expected.threads(), replayed.threads());
        assertEquals(expected.process().heldByAnyNs(), replayed.process().heldByAnyNs());
        assertEquals(expected.process().someoneWaitsNs(), replayed.process().someoneWaitsNs());
        assertEquals(expected.blame(), replayed.blame());
        assertEquals(expected.handoff(), replayed.handoff());
        assertEquals(Map.of(), replayed.anomalies());
    }
}
