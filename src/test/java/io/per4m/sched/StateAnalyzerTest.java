package io.per4m.sched;

import io.per4m.gil.GilStateView;
import io.per4m.perf.PerfEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static io.per4m.sched.Events.PID;
import static io.per4m.sched.Events.counter;
import static io.per4m.sched.Events.exit;
import static io.per4m.sched.Events.fork;
import static io.per4m.sched.Events.frame;
import static io.per4m.sched.Events.sched;
import static io.per4m.sched.Events.switchOut;
import static io.per4m.sched.Events.wakeup;
import static io.per4m.sched.Events.wakeupNew;
import static io.per4m.sched.Events.waking;
import static io.per4m.sched.ProcessState.DISK_SLEEP;
import static io.per4m.sched.ProcessState.GIL_SLEEP;
import static io.per4m.sched.ProcessState.OTHER;
import static io.per4m.sched.ProcessState.PREEMPTED;
import static io.per4m.sched.ProcessState.RUNNABLE;
import static io.per4m.sched.ProcessState.RUNNING;
import static io.per4m.sched.ProcessState.SLEEPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateAnalyzerTest {
    private static final GilStateView NO_GIL = tid -> false;
    private static final int A = 11;
    private static final int B = 12;

    @Test
    void sleepWakeupRunnableRunning() {
        List<StateInterval> got = run(NO_GIL,
                counter(100, A, "page-faults", 1),           // A is on a CPU
                switchOut(200, A, "S", 0),                     // A sleeps
                waking(300, B, A),                             // B (running) wakes A
                wakeup(310, B, A),                             // the second wakeup of the same wake is no change
                switchOut(350, B, "R+", A),                    // B preempted in favour of A
                switchOut(400, A, "S", B),                     // A sleeps again, B back on
                counter(500, B, "page-faults", 1));            // last event: open intervals close here
        assertEquals(List.of(
                iv(A, RUNNING, 100, 200), iv(A, SLEEPING, 200, 300), iv(A, RUNNABLE, 300, 350),
                iv(A, RUNNING, 350, 400), iv(A, SLEEPING, 400, 500),
                iv(B, RUNNING, 300, 350), iv(B, PREEMPTED, 350, 400), iv(B, RUNNING, 400, 500)), got);
    }

    @Test
    void preemptedIsRunnableNotASleepAndAWakeupLeavesItAlone() {
        List<StateInterval> got = run(NO_GIL,
                counter(0, A, "page-faults", 1),
                switchOut(10, A, "R+", 0),
                waking(20, B, A),                              // the original per4m treated R+ as a sleep here
                counter(30, A, "page-faults", 1));             // A back on a CPU (switch-in not recorded)
        assertEquals(List.of(iv(A, RUNNING, 0, 10), iv(A, PREEMPTED, 10, 30),
                iv(B, RUNNING, 20, 30)), got);
    }

    @Test
    void plainRFollowedByAWakeupDoesNotCrashAndStaysRunnable() {
        List<StateInterval> got = run(NO_GIL,
                switchOut(10, A, "R", B),
                wakeup(20, B, A),
                switchOut(30, B, "S", A),
                switchOut(40, A, "S", 0));
        assertEquals(List.of(iv(A, PREEMPTED, 10, 30), iv(A, RUNNING, 30, 40),
                iv(B, RUNNING, 10, 30), iv(B, SLEEPING, 30, 40)), got);
    }

    @Test
    void diskSleepEndsWithTheWakeup() {
        List<StateInterval> got = run(NO_GIL,
                switchOut(10, A, "D", 0),
                waking(25, B, A),
                switchOut(40, B, "S", A));
        assertEquals(List.of(iv(A, DISK_SLEEP, 10, 25), iv(A, RUNNABLE, 25, 40),
                iv(B, RUNNING, 25, 40)), got);
    }

    @Test
    void gilSleepWhenTheGilViewSaysTheThreadWaits() {
        GilStateView aWaits = tid -> tid == A;
        List<StateInterval> got = run(aWaits,
                switchOut(10, A, "S", 0),
                switchOut(20, B, "S", 0),
                counter(30, B, "page-faults", 1),
                switchOut(40, B, "D", 0),                      // a disk sleep stays D even inside take_gil
                counter(50, A, "page-faults", 1));
        assertEquals(List.of(iv(A, GIL_SLEEP, 10, 50), iv(B, SLEEPING, 20, 30),
                iv(B, RUNNING, 30, 40), iv(B, DISK_SLEEP, 40, 50)), got);
    }

    @Test
    void gilSleepWhenTheCallChainIsInTakeGil() {
        List<StateInterval> got = run(null,
                switchOut(10, A, "S", 0, frame("__schedule"), frame("__futex_abstimed_wait_common"),
                        frame("pthread_cond_timedwait@@GLIBC_2.3.2"), frame("take_gil"), frame("PyEval_RestoreThread")),
                switchOut(20, B, "S", 0, frame("__schedule"), frame("take_gil.lto_priv.0")),
                counter(30, A, "page-faults", 1),
                switchOut(40, A, "S", 0, frame("__schedule"), frame("time_sleep"), frame("overtake_gil")),
                counter(50, B, "page-faults", 1));
        assertEquals(List.of(iv(A, GIL_SLEEP, 10, 30), iv(A, RUNNING, 30, 40), iv(A, SLEEPING, 40, 50),
                iv(B, GIL_SLEEP, 20, 50)), got);
    }

    @Test
    void otherStatesAreOtherAndAWakeupMakesThemRunnable() {
        for (String state : List.of("T", "t", "X", "Z", "I", "P", "W", "K", "x")) {
            List<StateInterval> got = run(NO_GIL,
                    switchOut(10, A, state, 0),
                    waking(20, B, A),
                    counter(30, A, "page-faults", 1));
            assertEquals(List.of(iv(A, OTHER, 10, 20), iv(A, RUNNABLE, 20, 30), iv(B, RUNNING, 20, 30)), got, state);
        }
    }

    @Test
    void threadNamesWithSpacesEqualsSignsAndFieldNamesDoNotConfuseTheSwitchFields() {
        String payload = "prev_comm=a b=c prev_pid=9 prev_pid=" + A + " prev_prio=120 prev_state=S ==> "
                + "next_comm=x ==> next_pid=7 next_pid=" + B + " next_prio=120";
        SchedSwitch parsed = SchedSwitch.parse(payload);
        assertEquals(new SchedSwitch("a b=c prev_pid=9", A, "S", "x ==> next_pid=7", B), parsed);
        assertEquals(new SchedSwitch("w", 5, "R+", "swapper/1", 0), SchedSwitch.parse(
                "prev_comm=w prev_pid=5 prev_prio=120 prev_state=R+ ==> next_comm=swapper/1 next_pid=0 next_prio=120"
                        + " ffffffff821facd8 __schedule ([kernel.kallsyms])"));
        assertEquals(null, SchedSwitch.parse("prev_comm=w prev_pid=5 prev_prio=120 prev_state=S"));

        List<StateInterval> got = run(NO_GIL,
                sched(10, A, "sched:sched_switch", payload),
                sched(20, B, "sched:sched_waking", "comm=x pid=3 y pid=" + A + " prio=120 target_cpu=001"),
                counter(30, A, "page-faults", 1));
        assertEquals(List.of(iv(A, SLEEPING, 10, 20), iv(A, RUNNABLE, 20, 30), iv(B, RUNNING, 10, 30)), got);
    }

    @Test
    void forkedThreadIsWaitingUntilWokenAndGetsItsPidOnceSeenOnACpu() {
        int child = 13;
        List<StateInterval> got = run(NO_GIL,
                counter(0, A, "page-faults", 1),
                fork(10, A, child),
                wakeupNew(15, A, child),
                switchOut(20, A, "S", child),                  // child's pid is not known yet: its intervals wait
                new PerfEvent("python3.11", 200, child, 0, 30, "page-faults", 1, "", List.of(), 0),
                new PerfEvent("python3.11", 200, child, 0, 40, "sched:sched_process_exit",
                        0, "comm=python3.11 pid=" + child + " prio=120 group_dead=false", List.of(), 0),
                counter(45, child, "context-switches", 1),     // after its exit: ignored
                counter(50, A, "page-faults", 1));
        assertEquals(List.of(iv(A, RUNNING, 0, 20), iv(A, SLEEPING, 20, 50),
                new StateInterval(200, child, OTHER, 10, 15), new StateInterval(200, child, RUNNABLE, 15, 20),
                new StateInterval(200, child, RUNNING, 20, 40)), got);
    }

    @Test
    void openIntervalsCloseAtTheLastEventSeenAndUntracedThreadsAndSwapperAreNotEmitted() {
        int kworker = 41;
        List<StateInterval> got = run(NO_GIL,
                switchOut(10, A, "R", kworker),                // kworker only appears as next_pid: untraced
                waking(20, 0, A),                              // swapper wakes A: no interval for pid 0
                counter(90, A, "page-faults", 1));
        assertEquals(List.of(iv(A, PREEMPTED, 10, 90)), got);
    }

    @Test
    void eachSwitchOutStartsANewIntervalEvenInTheSameState() {
        List<StateInterval> got = run(NO_GIL,
                switchOut(10, A, "S", 0),
                switchOut(20, A, "S", 0),                      // it ran in between, unseen: a second sleep
                counter(30, A, "page-faults", 1),
                switchOut(40, 0, "R", A),                      // switched in while known running: one interval
                counter(50, A, "page-faults", 1));
        assertEquals(List.of(iv(A, SLEEPING, 10, 20), iv(A, SLEEPING, 20, 30), iv(A, RUNNING, 30, 50)), got);
    }

    @Test
    void contextSwitchSamplesDoNotMeanRunning() {
        // the kernel takes these samples inside the scheduler, after sched_switch, on the thread switched out
        List<StateInterval> got = run(NO_GIL,
                switchOut(10, A, "S", 0),
                counter(12, A, "context-switches", 1),
                counter(13, A, "cpu-migrations:u", 1),
                counter(90, B, "page-faults", 1));
        assertEquals(List.of(iv(A, SLEEPING, 10, 90)), got);
    }

    @Test
    void switchInSideBandRecordMeansRunning() {
        List<StateInterval> got = run(NO_GIL,
                switchOut(10, A, "S", 0),
                sched(12, A, "PERF_RECORD_SWITCH", "OUT"),
                sched(50, A, "PERF_RECORD_SWITCH", "IN"),
                counter(90, B, "page-faults", 1));
        assertEquals(List.of(iv(A, SLEEPING, 10, 50), iv(A, RUNNING, 50, 90)), got);
    }

    @Test
    void withoutSchedulerEventsNothingIsEmitted() {
        List<StateInterval> intervals = new ArrayList<>();
        StateAnalyzer analyzer = new StateAnalyzer(NO_GIL, intervals::add);
        analyzer.accept(counter(10, A, "page-faults", 1));
        analyzer.accept(sched(20, A, "python:take_gil", "(7f0000001000)"));
        analyzer.end();
        assertFalse(analyzer.sawSchedEvents());
        assertEquals(List.of(), intervals);
    }

    @Test
    void malformedPayloadsAreCountedAndSkipped() {
        List<StateInterval> intervals = new ArrayList<>();
        StateAnalyzer analyzer = new StateAnalyzer(NO_GIL, intervals::add);
        analyzer.accept(sched(10, A, "sched:sched_switch", "prev_comm=x prev_pid="));
        analyzer.accept(sched(20, A, "sched:sched_waking", "comm=x"));
        analyzer.end();
        assertEquals(2, analyzer.malformedSchedEvents());
        assertFalse(analyzer.sawSchedEvents());
        assertEquals(List.of(), intervals);
    }

    @Test
    void intervalsOfAThreadTileItsLifeWithoutGapsOrOverlaps() {
        List<StateInterval> got = run(tid -> tid == B,
                counter(0, A, "page-faults", 1),
                fork(5, A, B), wakeupNew(6, A, B),
                switchOut(10, A, "S", B),
                switchOut(20, B, "S", 0),
                waking(30, 0, B),
                waking(35, 0, A),
                switchOut(40, 0, "R", B),
                counter(45, A, "page-faults", 1),
                switchOut(50, B, "D", 0),
                exit(60, A));
        for (int tid : Set.of(A, B)) {
            List<StateInterval> own = got.stream().filter(i -> i.tid() == tid).toList();
            for (int i = 1; i < own.size(); i++) {
                assertEquals(own.get(i - 1).endNs(), own.get(i).startNs(), own.toString());
            }
        }
        assertEquals(List.of(iv(A, RUNNING, 0, 10), iv(A, SLEEPING, 10, 35), iv(A, RUNNABLE, 35, 45),
                iv(A, RUNNING, 45, 60),
                iv(B, OTHER, 5, 6), iv(B, RUNNABLE, 6, 10), iv(B, RUNNING, 10, 20), iv(B, GIL_SLEEP, 20, 30),
                iv(B, RUNNABLE, 30, 40), iv(B, RUNNING, 40, 50), iv(B, DISK_SLEEP, 50, 60)), got);
    }

    static List<StateInterval> run(GilStateView gil, PerfEvent... events) {
        List<StateInterval> intervals = new ArrayList<>();
        StateAnalyzer analyzer = new StateAnalyzer(gil, intervals::add);
        for (PerfEvent event : events) {
            analyzer.accept(event);
        }
        analyzer.end();
        assertTrue(analyzer.sawSchedEvents());
        intervals.sort(Comparator.comparingInt(StateInterval::tid).thenComparingLong(StateInterval::startNs));
        return intervals;
    }

    private static StateInterval iv(int tid, ProcessState state, long startNs, long endNs) {
        return new StateInterval(PID, tid, state, startNs, endNs);
    }
}
