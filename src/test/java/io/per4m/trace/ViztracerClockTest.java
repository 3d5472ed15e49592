package io.per4m.trace;

import io.per4m.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ViztracerClockTest {
    @TempDir
    Path tmp;

    private Path sync(String json) throws Exception {
        Path file = tmp.resolve("sync.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void thePairReadWithTheLeastUncertaintyGivesTheOffset() throws Exception {
        // start: 5656288959383 - 5656288960032 = -649 ns (read in 2020 ns); end: 5656405470641 - 5656405470611 = 30 ns (150 ns)
        ViztracerClock clock = ViztracerClock.fromSyncFile(sync("""
                {"clock": "CLOCK_MONOTONIC", "pid": 1, "viztracer_version": "1.1.1", "perf": {},
                 "pairs": [
                  {"where": "start", "viztracer_us": 5656288960.032, "clock_ns": 5656288959383, "uncertainty_ns": 2020},
                  {"where": "end", "viztracer_us": 5656405470.611, "clock_ns": 5656405470641, "uncertainty_ns": 150}]}
                """));
        assertEquals(30, clock.offsetNs());
        assertEquals(150, clock.uncertaintyNs());
        assertEquals(679, clock.disagreementNs());
        assertEquals(5656405470.611, clock.toViztracerUs(5656405470641L), 1e-6);
        assertEquals(1_000_030L, clock.toPerfNs(1000.0));
    }

    @Test
    void withoutViztracerBothSidesReadTheSameClock() throws Exception {
        ViztracerClock clock = ViztracerClock.fromSyncFile(sync("""
                {"clock": "CLOCK_MONOTONIC", "pairs": [], "perf": {}}"""));
        assertEquals(ViztracerClock.SAME_CLOCK, clock);
        assertEquals(1.5, clock.toViztracerUs(1500));
    }

    @Test
    void anotherClockOrBrokenFileIsAUserError() throws Exception {
        assertThrows(UserError.class, () -> ViztracerClock.fromSyncFile(sync("{\"clock\": \"CLOCK_REALTIME\", \"pairs\": []}")));
        assertThrows(UserError.class, () -> ViztracerClock.fromSyncFile(sync("{\"clock\": \"CLOCK_MONOTONIC\", \"pairs\": [{\"clock_ns\": 1}]}")));
        assertThrows(UserError.class, () -> ViztracerClock.fromSyncFile(sync("not json")));
        assertThrows(UserError.class, () -> ViztracerClock.fromSyncFile(tmp.resolve("missing.json")));
    }
}
