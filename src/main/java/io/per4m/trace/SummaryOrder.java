package io.per4m.trace;

import io.per4m.gil.GilSummary;
import io.per4m.gil.ThreadGilFigures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The order threads are listed in, in the table and in the summary JSON: main thread first, then first appearance. */
final class SummaryOrder {
    private SummaryOrder() {
    }

    static List<ThreadGilFigures> threads(GilSummary summary) {
        List<ThreadGilFigures> threads = new ArrayList<>(summary.threads());
        threads.sort(Comparator.comparing((ThreadGilFigures t) -> !t.mainThread()));
        return threads;
    }

    static String nameOf(GilSummary summary, int tid) {
        for (ThreadGilFigures thread : summary.threads()) {
            if (thread.tid() == tid) {
                return thread.name();
            }
        }
        return "thread " + tid;
    }
}
