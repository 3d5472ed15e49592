package io.per4m.sched;

public interface StateIntervalSink {
    void interval(StateInterval interval);
}
