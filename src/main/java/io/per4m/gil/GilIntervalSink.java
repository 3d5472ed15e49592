package io.per4m.gil;

/** Receives GIL intervals as soon as they are closed (per thread in time order; across threads roughly so). */
public interface GilIntervalSink {
    void interval(GilInterval interval);
}
