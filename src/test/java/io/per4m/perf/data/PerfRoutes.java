package io.per4m.perf.data;

import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.PerfScriptParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The two routes from a recording to events, and their comparison. */
public final class PerfRoutes {
    private PerfRoutes() {
    }

    public static List<PerfEvent> fromText(InputStream perfScriptText) throws IOException {
        List<PerfEvent> events = new ArrayList<>();
        new PerfScriptParser().parse(perfScriptText, collector(events));
        return events;
    }

    public static List<PerfEvent> fromData(List<Path> files) throws IOException {
        List<PerfEvent> events = new ArrayList<>();
        new PerfDataReader(files).readInto(collector(events));
        return events;
    }

    private static PerfEventSink collector(List<PerfEvent> into) {
        return into::add;
    }

    /** Same events in the same order; comm compared only when {@code comms} (perf script forgets it across windows). */
    public static void assertSameEvents(List<PerfEvent> expected, List<PerfEvent> actual, boolean comms) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            PerfEvent e = expected.get(i);
            PerfEvent a = actual.get(i);
            boolean same = e.pid() == a.pid() && e.tid() == a.tid() && e.cpu() == a.cpu() && e.timeNs() == a.timeNs()
                    && e.name().equals(a.name()) && e.period() == a.period() && e.payload().equals(a.payload())
                    && (!comms || Objects.equals(e.comm(), a.comm()));
            if (!same) {
                fail("event " + i + " differs:\n  perf script: " + e + "\n  perf.data:   " + a);
            }
        }
        assertEquals(expected.size(), actual.size(), "event count");
    }
}
