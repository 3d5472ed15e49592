package io.per4m.trace;

import io.per4m.perf.ParseReport;

/** One-line explanations of input that gives nothing to convert, each saying which perf command to run instead. */
final class InputProblems {
    static final String RECORD_GIL = "per4m setup, then perf record -e 'python:*' -k CLOCK_MONOTONIC -- python script.py";
    static final String RECORD_SCHED = "perf record -e 'sched:*' -k CLOCK_MONOTONIC -- python script.py";

    private InputProblems() {
    }

    static String empty() {
        return "no input; pipe perf's text output in: perf script -i perf.data --ns --no-inline | per4m perf2trace";
    }

    static String binary(String inputName) {
        String what = inputName == null || inputName.equals("-") ? "the input" : inputName;
        return what + " is binary perf data, not perf script text: give the perf.data file by name "
                + "(per4m perf2trace gil perf.data), or pipe its text (perf script -i perf.data --ns --no-inline "
                + "| per4m perf2trace)";
    }

    /** Text that holds a NUL byte, which perf script never prints: a damaged or wrong file, not perf.data. */
    static String nulByte(String inputName, long lineNumber) {
        String what = inputName == null || inputName.equals("-") ? "the input" : inputName;
        return what + " has a NUL byte in line " + lineNumber + ", which perf script text never has, and no usable "
                + "events before it: give the text of perf script -i perf.data --ns --no-inline";
    }

    static String noEvents(ParseReport report) {
        StringBuilder message = new StringBuilder("no perf script events in ").append(report.lines())
                .append(" lines");
        if (!report.firstBadLines().isEmpty()) {
            ParseReport.BadLine first = report.firstBadLines().get(0);
            message.append(" (line ").append(first.lineNumber()).append(": ").append(shorten(first.text())).append(')');
        }
        return message.append("; run: perf script -i perf.data --ns --no-inline | per4m perf2trace").toString();
    }

    static String noGilEvents(long events, String probeGroup) {
        String which = probeGroup == null ? "GIL probe events" : "GIL probe events of group '" + probeGroup + "'";
        return "no " + which + " among " + events + " events; record with the probes: " + RECORD_GIL;
    }

    static String noSchedEvents(long events) {
        return "no scheduler or counter events among " + events + " events; record them with: " + RECORD_SCHED;
    }

    static String nothingUsable(long events) {
        return "no GIL, scheduler or counter events among " + events + " events; record with: " + RECORD_GIL;
    }

    static String shorten(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?").strip();
        return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
    }
}
