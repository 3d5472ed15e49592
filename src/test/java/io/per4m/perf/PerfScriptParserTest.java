package io.per4m.perf;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written perf script lines, one per case the parser must handle; every field checked exactly. */
class PerfScriptParserTest {

    private final List<PerfEvent> events = new ArrayList<>();
    private int ends;

    private ParseReport parse(String text) throws IOException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private ParseReport parse(byte[] bytes) throws IOException {
        return new PerfScriptParser().parse(new ByteArrayInputStream(bytes), new PerfEventSink() {
            @Override
            public void accept(PerfEvent event) {
                events.add(event);
            }

            @Override
            public void end() {
                ends++;
            }
        });
    }

    private PerfEvent only(String line) throws IOException {
        ParseReport report = parse(line);
        assertEquals(0, report.badLines(), () -> "bad: " + report.firstBadLines());
        assertEquals(1, events.size());
        assertEquals(1, ends);
        return events.get(0);
    }

    @Test
    void defaultFieldsOfAUprobe() throws IOException {
        PerfEvent e = only("      python3.11  5963 [000]  4438.877355721:         per4m_parser_fx:take_gil: (7f5d21a4f7b0)\n");
        assertEquals(new PerfEvent("python3.11", -1, 5963, 0, 4438_877355721L, "per4m_parser_fx:take_gil", 0,
                "(7f5d21a4f7b0)", List.of(), 1), e);
    }

    @Test
    void uretprobeNameAndPayloadWithArrow() throws IOException {
        PerfEvent e = only("      python3.11  5963 [001]  4438.877403819: python:take_gil__return: (7f5d21a4f7b0 <- 7f5d21a4fbb3)");
        assertEquals("python:take_gil__return", e.name());
        assertEquals("(7f5d21a4f7b0 <- 7f5d21a4fbb3)", e.payload());
        assertEquals(1, e.cpu());
    }

    @Test
    void threadNameWithSpacesRightAligned() throws IOException {
        PerfEvent e = only("      worker one  6173 [001]  4449.503936162:         per4m_parser_fx:drop_gil: (7f8b81c4f3e0)\n");
        assertEquals("worker one", e.comm());
        assertEquals(6173, e.tid());
    }

    @Test
    void threadNameWithSpacesLeftAlignedAsWithCallChains() throws IOException {
        PerfEvent e = only("worker two 2  6353  4465.386034821:          2 context-switches: \n"
                + "\tffffffff821fb643 schedule+0x23 ([kernel.kallsyms])\n\n");
        assertEquals("worker two 2", e.comm());
        assertEquals(6353, e.tid());
        assertEquals(-1, e.cpu());
        assertEquals(2, e.period());
        assertEquals("context-switches", e.name());
        assertEquals("", e.payload());
    }

    @Test
    void threadNameThatLooksLikeANumber() throws IOException {
        PerfEvent e = only("            1234  5555 [003]     12.000000001: sched:sched_wakeup: comm=x pid=1 prio=120 target_cpu=003");
        assertEquals("1234", e.comm());
        assertEquals(5555, e.tid());
        assertEquals(3, e.cpu());
        assertEquals(12_000000001L, e.timeNs());
    }

    @Test
    void numericThreadNameWithSpacesAndNoCpu() throws IOException {
        PerfEvent e = only("           12 34  100/101     7.250000: probe:f: (4005d0)");
        assertEquals("12 34", e.comm());
        assertEquals(100, e.pid());
        assertEquals(101, e.tid());
        assertEquals(-1, e.cpu());
        assertEquals(7_250000000L, e.timeNs());
    }

    @Test
    void pidTidPairAsPrintedByPlusPid() throws IOException {
        PerfEvent e = only("      worker two  6170/6174  [000]  4449.503924712:         per4m_parser_fx:take_gil: (7f8b81c4f7b0)");
        assertEquals(6170, e.pid());
        assertEquals(6174, e.tid());
        assertEquals(0, e.cpu());
    }

    @Test
    void unknownIdsPrintedAsMinusOne() throws IOException {
        PerfEvent e = only("         :-1  -1/-1  [000]  1.000000000: sched:sched_waking: comm=a pid=2 prio=120 target_cpu=000");
        assertEquals(":-1", e.comm());
        assertEquals(-1, e.pid());
        assertEquals(-1, e.tid());
    }

    @Test
    void microsecondTimestampsBecomeNanoseconds() throws IOException {
        PerfEvent e = only("      python3.11  6170 [001]  4449.503924:         per4m_parser_fx:take_gil: (7f8b81c4f7b0)");
        assertEquals(4449_503924000L, e.timeNs());
    }

    @Test
    void fullNanosecondPrecisionForLargeTimestamps() throws IOException {
        // 9007199.254740993 s is 2^53 + 1 ns: a double would round it
        PerfEvent e = only("  a  1 [000] 9007199.254740993: x:y: ");
        assertEquals(9_007_199_254_740_993L, e.timeNs());
    }

    @Test
    void hardwareEventWithModifierAndPeriod() throws IOException {
        PerfEvent e = only("      python3.11  6350 [001]  4465.345467462:     250000 cycles:u:      7f576f6f2ad7 _start+0x7 (/usr/lib/ld.so)");
        assertEquals("cycles:u", e.name());
        assertEquals(250000, e.period());
        assertEquals("7f576f6f2ad7 _start+0x7 (/usr/lib/ld.so)", e.payload());
    }

    @Test
    void schedSwitchPayloadWithSpacesAndArrow() throws IOException {
        PerfEvent e = only("      worker one  6202/6205  [001]  4456.964822190:       sched:sched_switch: prev_comm=worker one prev_pid=6205 prev_prio=120 prev_state=S ==> next_comm=worker two next_pid=6206 next_prio=120\r\n");
        assertEquals("prev_comm=worker one prev_pid=6205 prev_prio=120 prev_state=S ==> next_comm=worker two next_pid=6206 next_prio=120", e.payload());
        assertEquals("worker one", TracepointFields.get(e.payload(), "prev_comm"));
        assertEquals("S", TracepointFields.get(e.payload(), "prev_state"));
        assertEquals("worker two", TracepointFields.get(e.payload(), "next_comm"));
        assertEquals(6206, TracepointFields.getLong(e.payload(), "next_pid", -1));
        assertEquals(120, TracepointFields.getLong(e.payload(), "next_prio", -1));
    }

    @Test
    void callChainInnermostFirstWithOffsetsStripped() throws IOException {
        ParseReport r = parse("""
                python3.11  7195 [001]  4520.081148410:               sched:sched_switch: prev_comm=python3.11 prev_pid=7195 prev_prio=120 prev_state=S ==> next_comm=python3.11 next_pid=7198 next_prio=120
                \tffffffff821facd8 __schedule+0x618 ([kernel.kallsyms])
                \t           888bb pthread_cond_timedwait@@GLIBC_2.3.2+0x21b (/usr/lib/x86_64-linux-gnu/libc.so.6)
                \t    7fbfc084f7b0 take_gil+0x10 (/path with space (x)/lib.so)
                \t          401136 std::vector<int, std::allocator<int> >::push_back(int const&)+0x1f (/tmp/a.out)
                \t    7fffffffdfff [unknown] ([unknown])
                \t          401000 no_dso_here

                python3.11  7195 [001]  4520.081148411: probe:f: (1)
                """);
        assertEquals(0, r.badLines(), () -> "bad: " + r.firstBadLines());
        assertEquals(2, events.size());
        List<StackFrame> chain = events.get(0).callchain();
        assertEquals(List.of(
                new StackFrame("ffffffff821facd8", "__schedule", "[kernel.kallsyms]"),
                new StackFrame("888bb", "pthread_cond_timedwait@@GLIBC_2.3.2", "/usr/lib/x86_64-linux-gnu/libc.so.6"),
                new StackFrame("7fbfc084f7b0", "take_gil", "/path with space (x)/lib.so"),
                new StackFrame("401136", "std::vector<int, std::allocator<int> >::push_back(int const&)", "/tmp/a.out"),
                new StackFrame("7fffffffdfff", "[unknown]", "[unknown]"),
                new StackFrame("401000", "no_dso_here", "")), chain);
        assertThrows(UnsupportedOperationException.class, () -> chain.add(chain.get(0)));
        assertEquals(List.of(), events.get(1).callchain());
        assertEquals(1, events.get(0).lineNumber());
        assertEquals(9, events.get(1).lineNumber());
        assertEquals(9, r.lines());
    }

    @Test
    void callChainAtEndOfInputWithoutBlankLine() throws IOException {
        parse("python3.11  1 0.000000001: 1 page-faults: \n\t1 a+0x1 (b)");
        assertEquals(1, events.size());
        assertEquals(List.of(new StackFrame("1", "a", "b")), events.get(0).callchain());
    }

    @Test
    void badLinesAreCountedWithTheirLineNumbers() throws IOException {
        ParseReport r = parse("""
                      python3.11  5963 [000]  4438.877355721:         python:take_gil: (7f5d21a4f7b0)
                garbage
                      python3.11  5963 [000]  4438.877355722:         python:take_gil: (7f5d21a4f7b0)
                      python3.11  notanid [000]  4438.877355723:         python:take_gil: (1)
                      python3.11  5963 [000]  4438.8773557231234:  python:take_gil: (1)
                      python3.11  5963 [000]  4438.877355724:
                      python3.11  5963 [0a0]  4438.877355725:  python:take_gil: (1)
                \t    7fbfc084f7b0 take_gil+0x10 (/lib.so)
                      python3.11  5963 [000]  4438.877355726:         python:take_gil: (7f5d21a4f7b0)
                """);
        // line 5: 13 fraction digits; line 6: no event; line 7: bad cpu; line 8: frame of a bad header, skipped with it
        assertEquals(5, r.badLines());
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L), r.firstBadLines().stream().map(ParseReport.BadLine::lineNumber).toList());
        assertEquals("garbage", r.firstBadLines().get(0).text());
        assertEquals(3, events.size());
        assertEquals(9, events.get(2).lineNumber());
        assertEquals(9, r.lines());
    }

    @Test
    void onlyTheFirstFiveBadLinesAreKept() throws IOException {
        ParseReport r = parse("a\nb\nc\n  x  1 [000] 1.000000001: e:f: ok\nd\ne\nf\ng\n");
        assertEquals(7, r.badLines());
        assertEquals(5, r.firstBadLines().size());
        assertEquals(new ParseReport.BadLine(6, "e"), r.firstBadLines().get(4));
        assertEquals(1, r.events());
    }

    @Test
    void orphanCallChainLineIsBad() throws IOException {
        ParseReport r = parse("\t    7fbfc084f7b0 take_gil+0x10 (/lib.so)\n");
        assertEquals(1, r.badLines());
        assertEquals(0, r.events());
    }

    @Test
    void commentsAndBlankLinesAreNotBad() throws IOException {
        ParseReport r = parse("# ========\n# captured on: x\n\n   \n\t\n  a  1 1.000001: e: p\n");
        assertEquals(0, r.badLines());
        assertEquals(1, r.events());
        assertEquals(6, r.lines());
    }

    @Test
    void perfDataGivenByMistakeIsFlaggedBinary() throws IOException {
        byte[] data = "PERFILE2\u0068\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
        ParseReport r = parse(data);
        assertTrue(r.binary());
        assertEquals(0, r.events());
        assertEquals(1, ends);
    }

    @Test
    void nulByteStopsTheParseAsBinary() throws IOException {
        ParseReport r = parse("  a  1 1.000001: e: p\n  a  1 1.000002: e: p\n\u0000\u0001\u0002junk\n  a  1 1.000003: e: p\n");
        assertTrue(r.binary());
        assertEquals(2, r.events());
        assertEquals(3, r.lines());
    }

    @Test
    void truncatedLastLineIsBadAndEverythingBeforeIsKept() throws IOException {
        ParseReport r = parse("      python3.11  6170 [001]  4449.503924712:         per4m_parser_fx:take_gil: (7f8b81c4f7b0)\n"
                + "      python3.11  6170 [001]  4449.5039");
        assertEquals(1, r.events());
        assertEquals(1, r.badLines());
        assertEquals(2, r.firstBadLines().get(0).lineNumber());
        assertEquals(2, r.lines());
    }

    @Test
    void lastLineWithoutNewlineStillCounts() throws IOException {
        PerfEvent e = only("  a  1 1.000001: e: p");
        assertEquals("p", e.payload());
    }

    @Test
    void crlfLineEnds() throws IOException {
        ParseReport r = parse("      worker one  6173 [001]  4449.503936162: x:y: (7f8b81c4f3e0)\r\n"
                + "python3.11  1 0.000000001: 1 page-faults: \r\n\t1 a+0x1 (b)\r\n\r\n");
        assertEquals(0, r.badLines(), () -> "bad: " + r.firstBadLines());
        assertEquals("(7f8b81c4f3e0)", events.get(0).payload());
        assertEquals(List.of(new StackFrame("1", "a", "b")), events.get(1).callchain());
    }

    @Test
    void utf8ThreadNames() throws IOException {
        PerfEvent e = only("     wörker ü  42 [000] 1.000000001: e:f: prev_comm=wörker ü prev_pid=42");
        assertEquals("wörker ü", e.comm());
        assertEquals("wörker ü", TracepointFields.get(e.payload(), "prev_comm"));
    }

    @Test
    void countsBytesAndLines() throws IOException {
        String text = "  a  1 1.000001: e: p\n  a  1 1.000002: e: p\n";
        ParseReport r = parse(text);
        assertEquals(text.length(), r.bytes());
        assertEquals(2, r.lines());
        assertFalse(r.binary());
    }
}
