package io.per4m.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Slices of one lane in arrival order; sorted and laid out into non-overlapping rows when the data is built. */
final class SliceAccumulator {
    private final LongColumn start = new LongColumn();
    private final LongColumn end = new LongColumn();
    private final LongColumn kind = new LongColumn();

    void add(long startNs, long endNs, int kindIndex) {
        start.add(startNs);
        end.add(Math.max(startNs, endNs));
        kind.add(kindIndex);
    }

    int size() {
        return start.size();
    }

    /** One row, for lanes whose slices do not overlap (GIL, process state); an overlap is clipped. */
    Row toRow(long origin) {
        Integer[] order = orderBy(start, end);
        int n = order.length;
        long[] s = new long[n];
        long[] d = new long[n];
        int[] k = new int[n];
        long previousEnd = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int j = order[i];
            long st = Math.max(start.get(j), previousEnd);
            long en = Math.max(st, end.get(j));
            s[i] = st - origin;
            d[i] = en - st;
            k[i] = (int) kind.get(j);
            previousEnd = en;
        }
        return new Row(s, d, k);
    }

    /** Nested calls laid out as a flame chart: row i holds the calls at stack depth i. */
    List<Row> toDepthRows(long origin) {
        Integer[] order = orderBy(start, end);
        List<RowBuilder> rows = new ArrayList<>();
        long[] openEnds = new long[64];
        int depth = 0;
        for (int j : order) {
            long st = start.get(j);
            long en = end.get(j);
            while (depth > 0 && openEnds[depth - 1] <= st) {
                depth--;
            }
            if (depth == rows.size()) {
                rows.add(new RowBuilder());
            }
            rows.get(depth).add(st - origin, en - st, (int) kind.get(j));
            if (depth == openEnds.length) {
                openEnds = Arrays.copyOf(openEnds, depth * 2);
            }
            openEnds[depth++] = en;
        }
        return rows.stream().map(RowBuilder::toRow).toList();
    }

    /** Indexes sorted by start, and for equal starts the longer slice first (so it becomes the parent). */
    static Integer[] orderBy(LongColumn starts, LongColumn ends) {
        int n = starts.size();
        Integer[] order = new Integer[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && starts.get(i) < starts.get(i - 1)) {
                sorted = false;
            }
            if (ends != null && i > 0 && starts.get(i) == starts.get(i - 1) && ends.get(i) > ends.get(i - 1)) {
                sorted = false;
            }
        }
        if (!sorted) {
            Comparator<Integer> byStart = Comparator.comparingLong(starts::get);
            if (ends != null) {
                byStart = byStart.thenComparing(Comparator.comparingLong((Integer i) -> ends.get(i)).reversed());
            }
            Arrays.sort(order, byStart);
        }
        return order;
    }

    private static final class RowBuilder {
        final LongColumn s = new LongColumn();
        final LongColumn d = new LongColumn();
        final LongColumn k = new LongColumn();

        void add(long st, long du, int kindIndex) {
            s.add(st);
            d.add(du);
            k.add(kindIndex);
        }

        Row toRow() {
            long[] kinds = k.toArray();
            int[] ints = new int[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                ints[i] = (int) kinds[i];
            }
            return new Row(s.toArray(), d.toArray(), ints);
        }
    }
}
