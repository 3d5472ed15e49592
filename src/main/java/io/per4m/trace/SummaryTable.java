package io.per4m.trace;

import io.per4m.gil.BlameEntry;
import io.per4m.gil.GilSummary;
import io.per4m.gil.LatencyFigures;
import io.per4m.gil.ProcessGilFigures;
import io.per4m.gil.ThreadGilFigures;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The per-thread GIL table printed after a conversion, with the process-wide figures, blame and hand-off latency. */
public final class SummaryTable {
    static final String LEGEND = "High 'no GIL' is good, 'has GIL' is fine if nobody waits, 'GIL wait' is lost time;"
            + " 'hand-over' is time in drop_gil after releasing the GIL, until the next thread has it.";
    private static final int TOP_BLAME = 5;
    private static final int MAX_NAME = 32;

    private SummaryTable() {
    }

    public static void print(GilSummary summary, PrintStream out) {
        PrintWriter writer = new PrintWriter(out);
        print(summary, writer);
        writer.flush();
    }

    public static void print(GilSummary summary, PrintWriter out) {
        List<ThreadGilFigures> threads = SummaryOrder.threads(summary);
        int nameWidth = Math.max(4, threads.stream().mapToInt(t -> printable(t.name()).length()).max().orElse(0));
        String row = "%9s %1s %-" + nameWidth + "s %14s %9s %9s %10s %10s%n";
        out.println("Summary of threads:");
        out.println();
        out.printf(Locale.ROOT, row, "tid", "", "name", "total(us)", "no GIL%", "has GIL%", "GIL wait%", "hand-over%");
        out.println("-".repeat(9 + 3 + nameWidth + 1 + 14 + 1 + 9 + 1 + 9 + 1 + 10 + 1 + 10));
        for (ThreadGilFigures t : threads) {
            out.printf(Locale.ROOT, row, t.tid(), t.mainThread() ? "*" : "", printable(t.name()),
                    Micros.toString(t.totalNs()), pct(t.noGilFraction()), pct(t.heldFraction()),
                    pct(t.waitFraction()), pct(t.handoverFraction()));
        }
        out.println();

        boolean several = summary.processes().size() > 1;
        for (ProcessGilFigures p : several ? summary.processes() : List.of(summary.process())) {
            out.printf(Locale.ROOT, "Process%s: %s recorded, the GIL was held %s%% of the time, someone waited for it"
                            + " %s%% (%d GIL events).%n", several ? " " + p.pid() : "",
                    duration(p.spanNs()), pct(p.heldFraction()), pct(p.waitFraction()), p.gilEvents());
        }

        if (!summary.blame().isEmpty()) {
            out.println("Who waited while whom held the GIL:");
            for (BlameEntry b : summary.blame().subList(0, Math.min(TOP_BLAME, summary.blame().size()))) {
                String waiter = printable(SummaryOrder.nameOf(summary, b.waiterTid()));
                if (b.duringHandover()) {
                    out.printf(Locale.ROOT, "  %s waited %s while the GIL was being handed over (nobody held it)%n",
                            waiter, duration(b.ns()));
                } else {
                    out.printf(Locale.ROOT, "  %s waited %s while %s held the GIL%n", waiter, duration(b.ns()),
                            printable(SummaryOrder.nameOf(summary, b.holderTid())));
                }
            }
        }

        LatencyFigures h = summary.handoff();
        if (h.count() > 0) {
            out.printf(Locale.ROOT, "GIL hand-off latency (%d hand-offs): p50 %s, p90 %s, p99 %s, max %s%n", h.count(),
                    duration(h.p50Ns()), duration(h.p90Ns()), duration(h.p99Ns()), duration(h.maxNs()));
        }

        String anomalies = summary.anomalies().entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue() > 0)
                .map(e -> printable(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        if (!anomalies.isEmpty()) {
            out.println("Anomalies (unpaired GIL events resynchronised, events with jumped timestamps dropped): " + anomalies);
        }
        out.println();
        out.println(LEGEND);
    }

    /** A duration for people: 812.5 us, 41.2 ms, 3.27 s. */
    public static String duration(long ns) {
        if (Math.abs(ns) < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        if (Math.abs(ns) < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f", fraction * 100);
    }

    /** Thread names come from the traced program: no control characters to the terminal, bounded width. */
    static String printable(String name) {
        StringBuilder clean = new StringBuilder(name.length());
        name.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.length() <= MAX_NAME ? clean.toString() : clean.substring(0, MAX_NAME - 3) + "...";
    }
}
