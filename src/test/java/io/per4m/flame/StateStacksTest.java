package io.per4m.flame;

import io.per4m.gil.GilAnalyzer;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.StackFrame;
import io.per4m.sched.ProcessState;
import io.per4m.sched.StateAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.per4m.flame.Chains.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StateStacksTest {
    private static final List<StackFrame> IN_TAKE_GIL = chain("__schedule", "schedule", "futex_wait",
            "pthread_cond_timedwait", "take_gil", "_PyEval_EvalFrameDefault", "PyEval_EvalCode");
    private static final List<StackFrame> IN_SLEEP = chain("__schedule", "schedule", "do_nanosleep", "time_sleep",
            "_PyEval_EvalFrameDefault", "PyEval_EvalCode");

    private static PerfEvent switchOut(long t, int tid, String state, int next, List<StackFrame> chain) {
        return new PerfEvent("python3.11", 100, tid, 0, t, "sched:sched_switch", 0,
                "prev_comm=python3.11 prev_pid=" + tid + " prev_prio=120 prev_state=" + state
                        + " ==> next_comm=python3.11 next_pid=" + next + " next_prio=120", chain, 0);
    }

    private static PerfEvent wakeup(long t, int by, int target) {
        return new PerfEvent("python3.11", 100, by, 0, t, "sched:sched_wakeup", 0,
                "comm=python3.11 pid=" + target + " prio=120 target_cpu=000", List.of(), 0);
    }

    /**
     * tid 7 sleeps in take_gil 1000-5000 (woken), runs from 6000, sleeps in time.sleep 7000-9000, runs from 9500,
     * sleeps in take_gil from 10000 until woken at 12000: S(GIL) 4000 + 2000 ns, S 2000 ns.
     */
    private static StateStacks feed(ProcessState state, boolean strip) {
        StateStacks stacks = new StateStacks(state, new StackMerger(PythonStacks.empty(), 0, strip, false));
        GilAnalyzer gil = new GilAnalyzer(null, interval -> { });
        StateAnalyzer states = new StateAnalyzer(gil, stacks);
        for (PerfEvent event : List.of(
                switchOut(1_000, 7, "S", 8, IN_TAKE_GIL),
                wakeup(5_000, 8, 7),
                switchOut(6_000, 8, "R", 7, chain("__schedule")),
                switchOut(7_000, 7, "S", 8, IN_SLEEP),
                wakeup(9_000, 8, 7),
                switchOut(9_500, 8, "R", 7, chain("__schedule")),
                switchOut(10_000, 7, "S", 8, IN_TAKE_GIL),
                wakeup(12_000, 8, 7))) {
            gil.accept(event);
            stacks.accept(event);
            states.accept(event);
        }
        gil.end();
        stacks.end();
        states.end();
        return stacks;
    }

    @Test
    void gilSleepWeighsOnTheSwitchOutChainStrippedAtTakeGil() {
        assertEquals(Map.of("python3.11 (tid 7);[python];take_gil", 6_000L),
                feed(ProcessState.GIL_SLEEP, true).folded(1).asMap());
    }

    @Test
    void noStripKeepsTheKernelFrames() {
        assertEquals(Map.of("python3.11 (tid 7);[python];take_gil;pthread_cond_timedwait;futex_wait;schedule;__schedule",
                6_000L), feed(ProcessState.GIL_SLEEP, false).folded(1).asMap());
    }

    @Test
    void anyStateCanBeChosen() {
        assertEquals(Map.of("python3.11 (tid 7);[python];time_sleep;do_nanosleep;schedule;__schedule", 2_000L),
                feed(ProcessState.SLEEPING, true).folded(1).asMap());
    }
}
