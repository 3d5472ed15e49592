package io.per4m.sched;

import io.per4m.perf.PerfEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real recording (src/test/resources/fixtures/README-sched.md): python 8236 starts "sleeper" 8238
 * (time.sleep(0.05), then a little Python) and a spinner 8239 (80 ms of Python), and joins them.
 * The expected figures come from the text by other routes (awk/grep, commands in the comments).
 */
class SchedFixtureTest {
    private static final int MAIN = 8236;
    private static final int SLEEPER = 8238;
    private static final int SPINNER = 8239;

    private static List<StateInterval> intervals() {
        List<StateInterval> intervals = new ArrayList<>();
        StateAnalyzer analyzer = new StateAnalyzer(null, intervals::add);
        for (PerfEvent event : FixtureEvents.read("/fixtures/sched-sleep.txt")) {
            analyzer.accept(event);
        }
        analyzer.end();
        assertTrue(analyzer.sawSchedEvents());
        assertEquals(0, analyzer.malformedSchedEvents());
        return intervals;
    }

    @Test
    void sleeperSleepsAboutFiftyMilliseconds() {
        long longestSleepNs = intervals().stream()
                .filter(i -> i.tid() == SLEEPER && i.state() == ProcessState.SLEEPING)
                .mapToLong(i -> i.endNs() - i.startNs()).max().orElseThrow();
        assertTrue(longestSleepNs >= 45_000_000 && longestSleepNs <= 70_000_000, "longest S " + longestSleepNs);
    }

    @Test
    void runningTimePerThreadMatchesAnIndependentAwkCount() {
        // awk -f running.awk sched-sleep.txt (the script is in README-sched.md): a thread runs from its
        // switch-in or from any sample taken on it (context-switches excepted) to its switch-out or exit.
        Map<Integer, Long> expected = Map.of(MAIN, 25_380_110L, SLEEPER, 672_611L, SPINNER, 24_986_755L);
        Map<Integer, Long> running = intervals().stream().filter(i -> i.state() == ProcessState.RUNNING)
                .collect(Collectors.groupingBy(StateInterval::tid, TreeMap::new,
                        Collectors.summingLong(i -> i.endNs() - i.startNs())));
        assertEquals(new TreeMap<>(expected), running);
        assertEquals(51_039_476L, running.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void intervalsTileEachThreadsLifeFromFirstAppearanceToExit() {
        // first appearance / exit, by grep: 8236 first line 4634.181578688, exit 4634.301847902;
        // 8238 fork 4634.214143471, exit 4634.273967738; 8239 fork 4634.214563534, exit 4634.294777506.
        Map<Integer, Long> expected = Map.of(MAIN, 120_269_214L, SLEEPER, 59_824_267L, SPINNER, 80_213_972L);
        List<StateInterval> intervals = intervals();
        Map<Integer, Long> total = intervals.stream()
                .collect(Collectors.groupingBy(StateInterval::tid, TreeMap::new,
                        Collectors.summingLong(i -> i.endNs() - i.startNs())));
        assertEquals(new TreeMap<>(expected), total, "only the traced threads, each over its whole life");
        assertTrue(intervals.stream().allMatch(i -> i.pid() == MAIN), "all threads belong to process 8236");
    }

    @Test
    void gilSleepsStartWhereTheSwitchedOutStackIsInTakeGilOrDropGil() {
        // awk '/^[^\t]/ {...} /^\t/ && $2 ~ /^(take_gil|drop_gil)/' (README-sched.md): S switch-outs whose stack has
        // take_gil (waiting for the GIL) or drop_gil (handing it over until the next thread has it)
        List<String> expected = List.of("4634.214239305 8236", "4634.214732180 8236", "4634.219824674 8236",
                "4634.219841842 8239", "4634.268040210 8238", "4634.273369351 8238", "4634.273385018 8239",
                "4634.273438764 8239", "4634.274022331 8236", "4634.279101742 8239");
        List<String> starts = intervals().stream().filter(i -> i.state() == ProcessState.GIL_SLEEP)
                .sorted((a, b) -> Long.compare(a.startNs(), b.startNs()))
                .map(i -> String.format("%d.%09d %d", i.startNs() / 1_000_000_000L, i.startNs() % 1_000_000_000L, i.tid()))
                .toList();
        assertEquals(expected, starts);
    }
}
