package io.per4m.flame;

import io.per4m.gil.GilInterval;
import io.per4m.gil.GilIntervalSink;
import io.per4m.gil.GilProbe;
import io.per4m.gil.GilState;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.StackFrame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who waits for the GIL, and where: each GIL wait interval of the {@link io.per4m.gil.GilAnalyzer} (take_gil to
 * its return) weighs on the call chain of the thread's take_gil entry that started it.
 *
 * <p>Feed every event to the GilAnalyzer first and then here (the pipeline order): a take_gil that closes a
 * still-open wait (a lost return) must close it with the chain of the take_gil that opened it.
 */
public final class OffGilStacks extends CallChainStacks implements PerfEventSink, GilIntervalSink {
    private final Map<String, GilProbe> probes = new HashMap<>();
    private final Map<Integer, List<StackFrame>> latestTakeChain = new HashMap<>();

    public OffGilStacks(StackMerger merger) {
        super(merger);
    }

    @Override
    public void accept(PerfEvent event) {
        GilProbe probe = probes.computeIfAbsent(event.name(), name -> {
            GilProbe parsed = GilProbe.parse(name);
            return parsed == null ? new GilProbe("", false, false) : parsed;
        });
        if (!probe.take() || !probe.isTakeEntry(event.payload())) {
            return;
        }
        sawChainEvent(event);
        latestTakeChain.put(event.tid(), event.callchain());
    }

    @Override
    public void interval(GilInterval interval) {
        if (interval.state() == GilState.WAIT) {
            weigh(interval.tid(), latestTakeChain.get(interval.tid()), interval.startNs(), interval.endNs());
        }
    }
}
