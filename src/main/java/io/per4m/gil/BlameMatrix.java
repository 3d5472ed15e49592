package io.per4m.gil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How long each thread held the GIL while each other thread waited; one cell per (waiter, holder) pair seen. */
final class BlameMatrix {
    private final Map<Long, long[]> nsByPair = new HashMap<>();

    void add(int waiterTid, int holderTid, long ns) {
        long key = ((long) waiterTid << 32) | (holderTid & 0xffffffffL);
        nsByPair.computeIfAbsent(key, k -> new long[1])[0] += ns;
    }

    /** All pairs, largest first (ties by waiter, then holder tid). */
    List<BlameEntry> entries() {
        List<BlameEntry> entries = new ArrayList<>(nsByPair.size());
        nsByPair.forEach((key, ns) -> entries.add(new BlameEntry((int) (key >> 32), (int) (long) key, ns[0])));
        entries.sort(Comparator.comparingLong(BlameEntry::ns).reversed()
                .thenComparingInt(BlameEntry::waiterTid)
                .thenComparingInt(BlameEntry::holderTid));
        return entries;
    }
}
