package io.per4m.counter;

public interface CounterSink {
    void point(CounterPoint point);
}
