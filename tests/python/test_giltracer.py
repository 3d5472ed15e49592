"""giltracer end to end, as a user runs it: real perf, real viztracer, the console script from the venv.

Figures are checked against bounds known from how the examples work and, for the wait fractions, recomputed
from the trace's GIL slices by a route independent of the engine's summary.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import needs_engine
from run_leftovers import dev_null_is_a_device, probes_of, processes_of, temp_folders_of

GILTRACER = str(Path(sys.executable).with_name("giltracer"))

pytestmark = [
    needs_engine,
    pytest.mark.skipif(os.geteuid() != 0, reason="perf uprobes need root (CI runs as root)"),
    pytest.mark.skipif(shutil.which("perf") is None, reason="perf is not installed"),
    pytest.mark.skipif(not os.path.exists(GILTRACER), reason="giltracer console script not installed in this venv"),
]


# giltracer runs started by this module: what is left behind is looked for by their pids only, since other people
# run perf, giltracer and probes on the same machine at the same time
STARTED = []


def started(proc):
    STARTED.append(proc.pid)
    return proc


def leftovers(pids) -> dict:
    return {pid: (processes_of(pid), temp_folders_of(pid), probes_of(pid)) for pid in pids
            if any((processes_of(pid), temp_folders_of(pid), probes_of(pid)))}


@pytest.fixture
def nothing_left_behind():
    """Whatever the test does, giltracer leaves no process, uprobe group or temp folder of its own."""
    first = len(STARTED)
    yield
    deadline = time.time() + 10
    while leftovers(STARTED[first:]) and time.time() < deadline:
        time.sleep(0.1)
    assert leftovers(STARTED[first:]) == {}, "processes, temp folders or probes of the run left behind"
    assert dev_null_is_a_device()


def giltracer(tmp_path, *args, **kwargs):
    argv = [GILTRACER, "-o", str(tmp_path / "out"), *args]
    with started(subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  **kwargs)) as proc:
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def summary(tmp_path) -> dict:
    return json.loads((tmp_path / "out.summary.json").read_text())


def thread(s: dict, prefix: str) -> list:
    return [t for t in s["threads"] if t["name"].startswith(prefix)]


def slice_totals_us(trace: dict, tid: int) -> dict:
    """Sums of the GIL slices of one thread, read straight from the b/e events of the trace."""
    opened, totals = {}, {"GIL wait": 0.0, "GIL held": 0.0, "GIL hand-over": 0.0}
    for e in trace["traceEvents"]:
        if e.get("cat") != "gil" or e.get("tid") != tid:
            continue
        if e["ph"] == "b":
            opened[e["name"]] = e["ts"]
        elif e["ph"] == "e":
            totals[e["name"]] += e["ts"] - opened.pop(e["name"])
    return totals


def test_contention_workers_wait_for_each_other(tmp_path, nothing_left_behind):
    done = giltracer(tmp_path, "-m", "per4m.examples.contention")
    assert done.returncode == 0, done.stderr
    assert "contention:" in done.stdout  # the target's own output passes through
    assert "GIL wait%" in done.stderr  # the table
    counters = thread(summary(tmp_path), "counter")
    assert len(counters) == 3
    trace = json.loads((tmp_path / "out.json").read_text())
    for counter in counters:
        assert 20 <= counter["wait_pct"] <= 80, counter
        independent = 100 * slice_totals_us(trace, counter["tid"])["GIL wait"] / counter["total_us"]
        assert abs(independent - counter["wait_pct"]) < 1, (independent, counter)
    # one OS thread, one row: viztracer's Python name labels perf's thread, and both share pid/tid
    names = {e["tid"]: e["args"]["name"] for e in trace["traceEvents"]
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    for counter in counters:
        assert names[counter["tid"]] == counter["name"]
        assert any(e.get("ph") == "X" and e["tid"] == counter["tid"] and e["name"].startswith("count ")
                   for e in trace["traceEvents"])
    assert (tmp_path / "out.html").stat().st_size > 10_000
    assert "<title>python -m per4m.examples.contention" in (tmp_path / "out.html").read_text()  # not "MainProcess"


def gil_slices(trace: dict, name: str) -> list:
    """(start, end, tid) of every GIL slice of one kind, in µs, from the b/e events of the trace."""
    opened, slices = {}, []
    for e in trace["traceEvents"]:
        if e.get("cat") != "gil" or e.get("name") != name:
            continue
        if e["ph"] == "b":
            opened[e["tid"]] = e["ts"]
        elif e["ph"] == "e":
            slices.append((opened.pop(e["tid"]), e["ts"], e["tid"]))
    return sorted(slices)


def test_the_gil_is_a_mutex_with_more_spinning_threads_than_cores(tmp_path, nothing_left_behind):
    """Five threads doing the same pure-Python work on two cores: at most one holds the GIL at any moment, so
    their holds add up to at most the recorded span, and each holds it for about a fifth of the held time."""
    script = tmp_path / "five.py"
    script.write_text(textwrap.dedent("""
        import threading
        start = threading.Barrier(5)
        def spin():
            start.wait()
            total = 0
            for i in range(2_500_000):
                total += i
        threads = [threading.Thread(target=spin, name=f"spinner {i}") for i in range(5)]
        for t in threads: t.start()
        for t in threads: t.join()
    """))
    done = giltracer(tmp_path, str(script))
    assert done.returncode == 0, done.stderr
    s = summary(tmp_path)
    spinners = thread(s, "spinner")
    assert len(spinners) == 5, s["threads"]
    process = s["process"]
    held = sum(t["held_us"] for t in s["threads"] if t["pid"] == process["pid"])
    assert held <= process["span_us"] * 1.005, (held, process)
    assert s["anomalies"].get("overlapping_holds", 0) == 0, s["anomalies"]
    spun = sum(t["held_us"] for t in spinners)
    # the same work each, so about a fifth each; a thread the OS preempts while it holds the GIL (three other
    # runnable spinners, two cores, and a busy machine) holds it longer for the same work, hence the margin
    for t in spinners:
        assert abs(100 * t["held_us"] / spun - 20) < 10, [x["held_us"] for x in spinners]
    # independently of the summary, from the trace's slices: no two holds overlap (beyond probe jitter), and
    # each hand-over starts where its thread's hold ended
    trace = json.loads((tmp_path / "out.json").read_text())
    holds = gil_slices(trace, "GIL held")
    assert len(holds) > 20
    for (a0, a1, _), (b0, b1, _) in zip(holds, holds[1:]):
        assert b0 >= a1 - 0.01, ((a0, a1), (b0, b1))
    ends = {(tid, end) for _, end, tid in holds}
    handovers = gil_slices(trace, "GIL hand-over")
    assert handovers and sum((tid, start) in ends for start, _, tid in handovers) >= 0.9 * len(handovers)


def test_numpy_workers_run_mostly_without_the_gil(tmp_path, nothing_left_behind):
    done = giltracer(tmp_path, "--import", "numpy", "-m", "per4m.examples.numpy_release")
    assert done.returncode == 0, done.stderr
    workers = thread(summary(tmp_path), "numpy")
    assert len(workers) == 2
    # each worker runs without the GIL far longer than it holds it; on average most of its time (on 2 cores a
    # worker also waits to get the GIL back from the main thread's Python loop after each NumPy call)
    for worker in workers:
        assert worker["no_gil_pct"] > 5 * worker["held_pct"], worker
    assert sum(w["no_gil_pct"] for w in workers) / len(workers) > 50, workers


def test_viztracer_and_perf_share_one_clock(tmp_path, nothing_left_behind):
    script = tmp_path / "sleeper.py"
    script.write_text(textwrap.dedent("""
        import threading, time
        def sleeper():
            for _ in range(4):
                time.sleep(0.05)
                sum(range(20000))
        t = threading.Thread(target=sleeper, name="sleeper")
        t.start(); t.join()
    """))
    done = giltracer(tmp_path, str(script))
    assert done.returncode == 0, done.stderr
    trace = json.loads((tmp_path / "out.json").read_text())
    (tid,) = [e["tid"] for e in trace["traceEvents"] if e.get("ph") == "M" and e.get("name") == "thread_name"
              and e["args"]["name"] == "sleeper"]
    sleeps = [(e["ts"], e["ts"] + e["dur"]) for e in trace["traceEvents"]
              if e.get("ph") == "X" and e["tid"] == tid and e["name"] == "time.sleep"]
    assert len(sleeps) == 4
    # perf's "without GIL" intervals: between the end of a hold and the start of the next wait or hold
    marks = sorted((e["ts"], e["ph"]) for e in trace["traceEvents"] if e.get("cat") == "gil" and e["tid"] == tid)
    held_ends = [ts for ts, ph in marks if ph == "e"]
    without = []
    for end in held_ends:
        later = [ts for ts, ph in marks if ph == "b" and ts >= end]
        if later and later[0] > end:
            without.append((end, later[0]))
    for start, stop in sleeps:
        best = max(max(0.0, min(stop, b) - max(start, a)) for a, b in without)
        assert best / (stop - start) >= 0.9, (start, stop, without)


def test_multiprocessing_children_get_their_own_process_groups(tmp_path, nothing_left_behind):
    script = tmp_path / "pool.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing, os
        def burn(n):
            total = 0
            for i in range(n):
                total += i
            return os.getpid()
        if __name__ == "__main__":
            with multiprocessing.get_context("fork").Pool(2) as pool:
                print("parent", os.getpid(), "workers", *sorted(set(pool.map(burn, [400_000] * 6))))
    """))
    done = giltracer(tmp_path, str(script))
    assert done.returncode == 0, done.stderr
    parent = int(done.stdout.split("parent", 1)[1].split()[0])  # pids as the program itself saw them
    workers = {int(p) for p in done.stdout.split("workers", 1)[1].split()}
    trace = json.loads((tmp_path / "out.json").read_text())
    gil_pids = {e["pid"] for e in trace["traceEvents"] if e.get("cat") == "gil"}
    assert workers <= gil_pids, (workers, gil_pids)
    processes = {e["pid"]: e["args"]["name"] for e in trace["traceEvents"]
                 if e.get("ph") == "M" and e.get("name") == "process_name"}
    assert workers <= processes.keys(), processes  # each child is a named process group of its own
    pid_of_tid = {}
    for e in trace["traceEvents"]:
        if e.get("cat") == "gil":
            assert pid_of_tid.setdefault(e["tid"], e["pid"]) == e["pid"], e  # a thread sits in one process
    figures = summary(tmp_path)
    assert {t["pid"] for t in figures["threads"]} >= workers
    # one GIL per process: each has figures of its own, the traced program's first
    assert figures["process"]["pid"] == parent
    by_pid = {p["pid"]: p for p in figures["processes"]}
    assert workers <= by_pid.keys()
    for worker in workers:  # a pool worker burning CPU holds its own GIL nearly all its recorded time
        assert by_pid[worker]["held_pct"] > 50, by_pid[worker]
    for b in figures["blame"]:  # nobody waits for a GIL of another process (holder_tid None: the hand-over)
        assert b["holder_tid"] is None or pid_of_tid.get(b["waiter_tid"]) == pid_of_tid.get(b["holder_tid"]), b


def test_exit_code_argv_and_an_exception_still_leave_a_report(tmp_path, nothing_left_behind):
    script = tmp_path / "fails.py"
    script.write_text(textwrap.dedent("""
        import sys
        print("argv", sys.argv[1:])
        if __name__ == "__main__":
            if sys.argv[1] == "exit":
                sys.exit(3)
            raise ValueError("boom")
    """))
    done = giltracer(tmp_path, str(script), "exit", "--flag")
    assert done.returncode == 3
    assert "argv ['exit', '--flag']" in done.stdout
    done = giltracer(tmp_path, str(script), "raise")
    assert done.returncode == 1
    assert "ValueError: boom" in done.stderr
    assert summary(tmp_path)["threads"]
    assert (tmp_path / "out.html").exists()


def test_ctrl_c_stops_the_target_and_keeps_the_partial_report(tmp_path, nothing_left_behind):
    script = tmp_path / "long.py"
    script.write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    proc = started(subprocess.Popen([GILTRACER, "-o", str(tmp_path / "out"), str(script)], cwd=tmp_path,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True))
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert summary(tmp_path)["threads"]


def test_private_probes_when_the_group_is_missing(tmp_path, nothing_left_behind):
    done = giltracer(tmp_path, "--probe-group", "per4m_test_absent", "-m", "per4m.examples.contention")
    assert done.returncode == 0, done.stderr
    assert len(thread(summary(tmp_path), "counter")) == 3


def test_bad_input_gets_one_line(tmp_path):
    done = giltracer(tmp_path, "no_such_script.py")
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "no_such_script.py" in done.stderr
    done = giltracer(tmp_path, "--no-such-option", "x.py")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr
