package io.per4m.flame;

import io.per4m.gil.GilAnalyzer;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.PerfScriptParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real recordings (src/test/resources/fixtures/README-offgil.md and README.md) against awk-derived wait times. */
class OffGilFixtureTest {
    /** Printed by offgil_workload.py: viztracer's clock minus CLOCK_MONOTONIC (perf record -k CLOCK_MONOTONIC). */
    private static final long CLOCK_OFFSET_NS = -23_906;
    private static final String THREADING = "/root/.pyenv/versions/3.11.7/lib/python3.11/threading.py";
    private static final String WORKLOAD = "/tmp/offgil-rec/offgil_workload.py";

    private static OffGilStacks offGil(String resource, StackMerger merger) throws Exception {
        OffGilStacks offGil = new OffGilStacks(merger);
        GilAnalyzer gil = new GilAnalyzer(null, offGil);
        try (InputStream raw = OffGilFixtureTest.class.getResourceAsStream(resource);
             InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            new PerfScriptParser().parse(in, new PerfEventSink() {
                @Override
                public void accept(PerfEvent event) {
                    gil.accept(event);
                    offGil.accept(event);
                }
            });
        }
        gil.end();
        return offGil;
    }

    private static PythonStacks viztracer() throws Exception {
        return PythonStacks.read(Path.of(OffGilFixtureTest.class.getResource("/fixtures/offgil_viztracer.json").toURI()));
    }

    /** Sum of the weights of the stacks of thread {@code root} whose frames after it end with {@code suffix}. */
    private static long sum(Map<String, Long> stacks, String root, String suffix) {
        return stacks.entrySet().stream()
                .filter(e -> e.getKey().startsWith(root + ";") && e.getKey().endsWith(suffix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void waitTimesByCallChainWithViztracersPythonStacks() throws Exception {
        OffGilStacks offGil = offGil("/fixtures/offgil_dwarf.txt", new StackMerger(viztracer(), CLOCK_OFFSET_NS, true, false));
        // awk over take_gil -> take_gil__return pairs (README-offgil.md): 71085.393 µs in 20 waits
        assertEquals(71_085_393, offGil.totalNs(), 1);
        assertEquals(20, offGil.intervals());
        Map<String, Long> stacks = offGil.folded(1000).asMap();
        assertEquals(71_085, stacks.values().stream().mapToLong(Long::longValue).sum(), 0.5 * stacks.size());
        // the eval-loop waits (take_gil called by _PyEval_EvalFrameDefault) happen inside spin(), in both workers:
        // awk 26858.071 µs (tid 23330) and 19872.133 µs (tid 23331)
        String spin = ";Thread.run (" + THREADING + ":971);worker (" + WORKLOAD + ":17);spin (" + WORKLOAD + ":10);take_gil";
        assertEquals(26_858L, stacks.get("worker 1 (tid 23330)" + spin));
        assertEquals(19_872L, stacks.get("worker 2 (tid 23331)" + spin));
        // waits after a blocking call (take_gil called by PyEval_RestoreThread): awk 17310.641, 5407.370, 1623.730 µs
        assertEquals(17_311, sum(stacks, "MainThread (tid 23328)", ";PyEval_RestoreThread;take_gil"), 2);
        assertEquals(5_407, sum(stacks, "worker 2 (tid 23331)", ";PyEval_RestoreThread;take_gil"), 1);
        assertEquals(1_624, sum(stacks, "worker 1 (tid 23330)", ";PyEval_RestoreThread;take_gil"), 1);
        // worker 2's sleep is viztracer's time.sleep slice inside worker(); the main thread waited in join()
        assertTrue(stacks.containsKey("worker 2 (tid 23331);Thread.run (" + THREADING + ":971);worker (" + WORKLOAD
                + ":17);time.sleep;time_sleep;PyEval_RestoreThread;take_gil"), stacks.keySet().toString());
        assertTrue(stacks.keySet().stream().anyMatch(k -> k.startsWith("MainThread (tid 23328);main (" + WORKLOAD
                + ":23);Thread.join (")), stacks.keySet().toString());
    }

    @Test
    void gilSchedFixtureWithSpacesInThreadNames() throws Exception {
        OffGilStacks offGil = offGil("/fixtures/gil_sched_callchain.txt.gz", new StackMerger(PythonStacks.empty(), 0, true, false));
        // awk, fields found around the [cpu] column because comm has spaces (see the offgil README):
        // total 89691.025 µs in 1829 waits; tid 7299 41798.709, 7298 31510.589, 7295 16381.727
        assertEquals(89_691_025, offGil.totalNs(), 1);
        assertEquals(1829, offGil.intervals());
        Map<String, Long> stacks = offGil.folded(1000).asMap();
        assertEquals(41_799, sum(stacks, "worker two (tid 7299)", ""), 0.5 * stacks.size());
        assertEquals(31_511, sum(stacks, "worker one (tid 7298)", ""), 0.5 * stacks.size());
        assertEquals(16_382, sum(stacks, "python3.11 (tid 7295)", ""), 0.5 * stacks.size());
        // every stack ends in take_gil: the uprobe chain starts there, nothing else to strip
        assertTrue(stacks.keySet().stream().allMatch(k -> k.endsWith(";take_gil")), stacks.keySet().toString());
    }
}
