package io.per4m.counter;

/** Counter {@code counter} ran at {@code perSecond} events per second for thread {@code tid} up to {@code timeNs}. */
public record CounterPoint(int pid, int tid, String counter, long timeNs, double perSecond) {
}
