package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parses the fixtures recorded with real perf on the project machine (see fixtures/README.md).
 * Every expected count below was obtained from the uncompressed fixture text with grep/awk while recording,
 * never from this parser; the command is given next to each constant.
 */
class PerfScriptFixturesTest {

    static InputStream fixture(String name) throws IOException {
        InputStream in = PerfScriptFixturesTest.class.getResourceAsStream("/fixtures/" + name);
        assertNotNull(in, "missing fixture " + name);
        return name.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    /** Counts what a test needs without keeping events. */
    static final class Tally implements PerfEventSink {
        final Map<String, Integer> byName = new HashMap<>();
        final Map<String, Integer> byComm = new HashMap<>();
        final List<Long> times = new ArrayList<>();
        long frames;
        long firstTime = -1;
        long lastTime = -1;
        boolean timesNonDecreasing = true;
        int ended;
        final List<PerfEvent> sample = new ArrayList<>();
        final java.util.function.Consumer<PerfEvent> extra;

        Tally() {
            this(e -> { });
        }

        Tally(java.util.function.Consumer<PerfEvent> extra) {
            this.extra = extra;
        }

        @Override
        public void accept(PerfEvent e) {
            byName.merge(e.name(), 1, Integer::sum);
            byComm.merge(e.comm(), 1, Integer::sum);
            frames += e.callchain().size();
            if (firstTime < 0) {
                firstTime = e.timeNs();
            }
            if (e.timeNs() < lastTime) {
                timesNonDecreasing = false;
            }
            lastTime = e.timeNs();
            times.add(e.timeNs());
            if (sample.size() < 3) {
                sample.add(e);
            }
            extra.accept(e);
        }

        @Override
        public void end() {
            ended++;
        }
    }

    static ParseReport parse(String fixture, Tally tally) throws IOException {
        try (InputStream in = fixture(fixture)) {
            ParseReport report = new PerfScriptParser().parse(in, tally);
            assertEquals(0, report.badLines(), () -> "bad lines: " + report.firstBadLines());
            assertFalse(report.binary());
            assertEquals(1, tally.ended);
            return report;
        }
    }

    @Test
    void gilProbesWithNanoseconds() throws IOException {
        int[] cpuOutOfRange = {0};
        int[] pidPrinted = {0};
        Tally t = new Tally(e -> {
            if (e.cpu() < 0 || e.cpu() > 1) {
                cpuOutOfRange[0]++;
            }
            if (e.pid() != -1) {
                pidPrinted[0]++;
            }
        });
        ParseReport r = parse("gil_ns.txt.gz", t);
        assertEquals(7374, r.lines());   // wc -l a.txt
        assertEquals(7374, r.events());
        assertEquals(759522, r.bytes()); // wc -c a.txt
        // grep -oE '[A-Za-z_0-9-]+:[A-Za-z_0-9-]+:' a.txt | sort | uniq -c
        assertEquals(1844, t.byName.get("per4m_parser_fx:take_gil"));
        assertEquals(1844, t.byName.get("per4m_parser_fx:take_gil__return"));
        assertEquals(1843, t.byName.get("per4m_parser_fx:drop_gil"));
        assertEquals(1843, t.byName.get("per4m_parser_fx:drop_gil__return"));
        // grep -c 'worker one' a.txt ; awk '{print substr($0,1,22)}' a.txt | sort | uniq -c
        assertEquals(72, t.byComm.get("worker one"));
        assertEquals(68, t.byComm.get("worker two"));
        assertEquals(7218 + 8 + 8, t.byComm.get("python3.11"));
        // awk 'NR==1{print $4} END{print $4}' a.txt
        assertEquals(4449_503924712L, t.firstTime);
        assertEquals(4449_729246883L, t.lastTime);
        assertTrue(t.timesNonDecreasing);
        assertEquals(0, cpuOutOfRange[0]); // a 2-core machine
        assertEquals(0, pidPrinted[0]);    // default fields print the tid only
        PerfEvent first = t.sample.get(0);
        assertEquals(6170, first.tid());
        assertEquals("(7f8b81c4f7b0)", first.payload());
        assertEquals(1, first.lineNumber());
    }

    @Test
    void gilProbesWithPidAndTid() throws IOException {
        Map<String, Integer> commTid = new HashMap<>();
        int[] otherPid = {0};
        Tally t = new Tally(e -> {
            commTid.merge(e.comm() + "@" + e.tid(), 1, Integer::sum);
            if (e.pid() != 6170) {
                otherPid[0]++;
            }
        });
        ParseReport r = parse("gil_ns_pid.txt.gz", t);
        assertEquals(7374, r.events());
        assertEquals(0, otherPid[0]); // awk '{print $2}' b.txt | sort -u: 6170/6170 6170/6173 6170/6174
        assertEquals(72, commTid.get("worker one@6173")); // grep -c 'worker one  6170/6173 ' b.txt
        assertEquals(68, commTid.get("worker two@6174")); // grep -c 'worker two  6170/6174 ' b.txt
        assertEquals(1844, t.byName.get("per4m_parser_fx:take_gil"));
    }

    @Test
    void microsecondTimestampsAreTheNanosecondOnesCut() throws IOException {
        Tally ns = new Tally();
        Tally us = new Tally();
        parse("gil_ns.txt.gz", ns);
        ParseReport r = parse("gil_us.txt.gz", us);
        assertEquals(7374, r.events());
        assertEquals(ns.times.size(), us.times.size());
        for (int i = 0; i < ns.times.size(); i++) {
            long expected = ns.times.get(i) / 1000 * 1000; // perf script cuts, it does not round
            assertEquals(expected, us.times.get(i), "event " + i);
        }
        assertEquals(4449_503924000L, us.firstTime); // awk 'NR==1{print $3}' c.txt
    }

    @Test
    void schedulerTracepointsWithPayloads() throws IOException {
        int[] switchedOutWorkerOne = {0};
        int[] preemptedRunning = {0};
        int[] forks = {0};
        Tally t = new Tally(e -> {
            if (e.name().equals("sched:sched_switch")) {
                if ("worker one".equals(TracepointFields.get(e.payload(), "prev_comm"))) {
                    switchedOutWorkerOne[0]++;
                    assertEquals(e.tid(), TracepointFields.getLong(e.payload(), "prev_pid", -1));
                }
                if ("R".equals(TracepointFields.get(e.payload(), "prev_state"))) {
                    preemptedRunning[0]++;
                }
            }
            if (e.name().equals("sched:sched_process_fork")) {
                forks[0]++;
                assertEquals(e.pid(), TracepointFields.getLong(e.payload(), "pid", -1));
            }
            assertEquals(6202, e.pid() == 6204 ? 6202 : e.pid()); // the workload and its ldconfig child
        });
        ParseReport r = parse("sched_fields.txt", t);
        assertEquals(226, r.events()); // wc -l d.txt
        // grep -oE '[A-Za-z_0-9-]+:[A-Za-z_0-9-]+:' d.txt | sort | uniq -c
        assertEquals(120, t.byName.get("sched:sched_switch"));
        assertEquals(17, t.byName.get("sched:sched_wakeup"));
        assertEquals(82, t.byName.get("sched:sched_waking"));
        assertEquals(3, t.byName.get("sched:sched_process_fork"));
        assertEquals(4, t.byName.get("sched:sched_process_exit"));
        assertEquals(3, forks[0]);
        // grep 'sched_switch' d.txt | grep -c 'prev_comm=worker one '
        assertEquals(46, switchedOutWorkerOne[0]);
        // grep -c 'prev_state=R ==>' d.txt
        assertEquals(17, preemptedRunning[0]);
        // awk '{print $1,$2}' d.txt | sort | uniq -c
        assertEquals(4, t.byComm.get("ldconfig"));
        assertEquals(79, t.byComm.get("worker one"));
        assertEquals(93, t.byComm.get("worker two"));
        assertEquals(4456_934052533L, t.firstTime);
        assertEquals(4457_157680568L, t.lastTime);
    }

    @Test
    void counterSamplesWithPeriodsAndCallChains() throws IOException {
        long[] periodSums = new long[2];
        int[] nonEmptyPayloads = {0};
        int[] noCpu = {0};
        Tally t = new Tally(e -> {
            periodSums[e.name().equals("page-faults") ? 0 : 1] += e.period();
            if (!e.payload().isEmpty()) {
                nonEmptyPayloads[0]++;
            }
            if (e.cpu() == -1) {
                noCpu[0]++;
            }
            assertFalse(e.callchain().isEmpty());
        });
        ParseReport r = parse("counters_callchain.txt", t);
        assertEquals(1021, r.lines());  // wc -l e.txt
        assertEquals(108, r.events());  // grep -c '^$' e.txt (one blank line closes each event)
        assertEquals(24, t.byName.get("page-faults"));      // grep -c 'page-faults' e.txt
        assertEquals(84, t.byName.get("context-switches")); // grep -c 'context-switches' e.txt
        // awk '$0 ~ /page-faults:/ {s+=$(NF-1)} END{print s}' e.txt, same for context-switches
        assertEquals(2492, periodSums[0]);
        assertEquals(110, periodSums[1]);
        assertEquals(805, t.frames); // grep -c $'^\t' e.txt
        assertEquals(0, nonEmptyPayloads[0]);
        assertEquals(108, noCpu[0]); // a per-process recording of software events prints no [cpu]
        // grep -c '^worker one' e.txt ; grep -c '^worker two' e.txt (comm is left-aligned when chains print)
        assertEquals(34, t.byComm.get("worker one"));
        assertEquals(32, t.byComm.get("worker two"));
        PerfEvent first = t.sample.get(0);
        assertEquals(new StackFrame("ffffffff817554ea", "elf_load", "[kernel.kallsyms]"), first.callchain().get(0));
        assertEquals(new StackFrame("7f576f6f2ad7", "[unknown]", "[unknown]"), first.callchain().get(7));
        assertEquals(8, first.callchain().size());
        assertEquals(4465_345467462L, first.timeNs());
        assertEquals(1, first.period());
        assertEquals(6350, first.tid());
    }

    @Test
    void gilProbesAndSchedSwitchWithDwarfCallChains() throws IOException {
        int[] switchesInTakeGil = {0};
        int[] versionedSymbol = {0};
        int[] unknownFrames = {0};
        Tally t = new Tally(e -> {
            boolean inTakeGil = false;
            for (StackFrame f : e.callchain()) {
                if (f.symbol().equals("take_gil")) {
                    inTakeGil = true;
                    assertEquals("/root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0", f.dso());
                }
                if (f.symbol().equals("pthread_cond_timedwait@@GLIBC_2.3.2")) {
                    versionedSymbol[0]++;
                }
                if (f.symbol().equals("[unknown]") && f.dso().equals("[unknown]")) {
                    unknownFrames[0]++;
                }
            }
            if (inTakeGil && e.name().equals("sched:sched_switch")) {
                switchesInTakeGil[0]++;
            }
        });
        ParseReport r = parse("gil_sched_callchain.txt.gz", t);
        assertEquals(225645, r.lines());   // wc -l f.txt
        assertEquals(7396, r.events());    // grep -c '^$' f.txt
        assertEquals(210853, t.frames);    // grep -c $'^\t' f.txt
        assertEquals(82, t.byName.get("sched:sched_switch"));
        assertEquals(1829, t.byName.get("per4m_parser_fx:take_gil"));
        assertEquals(1828, t.byName.get("per4m_parser_fx:drop_gil__return"));
        // awk 'BEGIN{RS=""} /sched:sched_switch/ && / take_gil\+/ {n++} END{print n}' f.txt
        assertEquals(41, switchesInTakeGil[0]);
        // grep -c $'^\t.*pthread_cond_timedwait@@GLIBC_2.3.2+0x' f.txt
        assertEquals(37, versionedSymbol[0]);
        // grep -c $'^\t.*\\[unknown\\] (\\[unknown\\])$' f.txt
        assertEquals(5066, unknownFrames[0]);
    }

    @Test
    void benchmarkFixtureWithoutSpacesInNames() throws IOException {
        Tally t = new Tally();
        ParseReport r = parse("gil_ns_nospace.txt.gz", t);
        assertEquals(7374, r.events());        // wc -l g.txt
        assertEquals(68, t.byComm.get("worker_one")); // awk '{print substr($0,1,22)}' g.txt | sort | uniq -c
        assertEquals(76, t.byComm.get("worker_two"));
    }
}
