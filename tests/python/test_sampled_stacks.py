"""giltracer --python-stacks=sampled on a real Python 3.12: the Python stacks come from perf's stack samples
through CPython's perf trampolines. What the samples name is checked against what the program is known to do (one
function spins, called through two others)."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import needs_engine

GILTRACER = str(Path(sys.executable).with_name("giltracer"))
PYTHON312 = "/root/.pyenv/versions/3.12.1/bin/python3.12"

pytestmark = [
    needs_engine,
    pytest.mark.skipif(os.geteuid() != 0, reason="perf uprobes need root (CI runs as root)"),
    pytest.mark.skipif(shutil.which("perf") is None, reason="perf is not installed"),
    pytest.mark.skipif(not os.path.exists(GILTRACER), reason="giltracer console script not installed in this venv"),
]

SPINNER = textwrap.dedent("""
    import threading

    def spin_here(n):
        total = 0
        for i in range(n):
            total += i
        return total

    def step(n):
        return spin_here(n)

    def work(n=2_000_000):
        return step(n)

    threads = [threading.Thread(target=work, name=f"spinner {i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
""")


def perf_maps() -> set:
    return {p.name for p in Path("/tmp").glob("perf-*.map")}


def run(tmp_path, *args):
    script = tmp_path / "spinner.py"
    script.write_text(SPINNER)
    return subprocess.run([GILTRACER, "-q", "-o", str(tmp_path / "out"), *args, str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not os.path.exists(PYTHON312), reason=f"needs {PYTHON312}")
def test_sampled_stacks_name_the_spinning_function(tmp_path):
    maps_before = perf_maps()
    done = run(tmp_path, "--python", PYTHON312, "--python-stacks=sampled", "--sample-rate", "199", "--state-detect")
    assert done.returncode == 0, done.stderr
    assert perf_maps() - maps_before == set(), "perf maps left in /tmp"
    summary = json.loads((tmp_path / "out.summary.json").read_text())
    spinners = {t["tid"]: t for t in summary["threads"] if t["name"].startswith("spinner")}
    assert len(spinners) == 2, summary["threads"]
    trace = json.loads((tmp_path / "out.json").read_text())
    sampled = [e for e in trace["traceEvents"] if e.get("cat") == "sampled" and e.get("ph") == "X"]
    assert not [e for e in trace["traceEvents"] if e.get("ph") == "C"], "the stack samples are no counter"
    assert not any(e["name"].startswith("spin_here ") for e in sampled if e["tid"] not in spinners)
    for tid in spinners:
        own = [e for e in sampled if e["tid"] == tid]
        spinning = [e for e in own if e["name"].startswith("spin_here (")]
        assert spinning, f"no sample of thread {tid} names spin_here: {sorted({e['name'] for e in own})}"
        # each spin_here slice lies inside a slice of its caller, which lies inside one of work
        for inner, outer in (("spin_here (", "step ("), ("step (", "work (")):
            for s in (e for e in own if e["name"].startswith(inner)):
                assert any(o["name"].startswith(outer) and o["ts"] <= s["ts"]
                           and s["ts"] + s["dur"] <= o["ts"] + o["dur"] + 1e-3 for o in own), (inner, s)
        # samples come per CPU time of the thread (cpu-clock), so how much they cover depends on the machine's load;
        # but whenever work was sampled, it was almost always inside spin_here
        in_work = sum(e["dur"] for e in own if e["name"].startswith("work ("))
        assert sum(e["dur"] for e in spinning) >= 0.8 * in_work, (spinning, in_work)
    # the GIL analysis is there as without Python stacks: each spinner holds the GIL a good share of its time and
    # waits for it while the other holds it (how much depends on how busy the machine's CPUs are)
    for t in spinners.values():
        assert t["held_pct"] >= 15 and t["wait_pct"] >= 5, t


def test_sampled_stacks_need_python_312(tmp_path):
    done = run(tmp_path, "--python", str(Path(sys.executable)), "--python-stacks=sampled")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "need Python 3.12+" in lines[0], done.stderr


FORKER = textwrap.dedent("""
    import os, sys, threading

    def named():
        pass

    t = threading.Thread(target=named, name="the named one")
    t.start()
    t.join()
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    with open(sys.argv[1], "w") as f:
        f.write(f"{os.getpid()} {child}")
""")


@pytest.mark.skipif(not os.path.exists(PYTHON312), reason=f"needs {PYTHON312}")
def test_runner_notes_thread_names_and_forked_children(tmp_path):
    """Without perf: the runner's own part of sampled stacks (the engine removes the maps the runner lists)."""
    script = tmp_path / "forker.py"
    script.write_text(FORKER)
    shim = Path(__file__).resolve().parents[2] / "python-shim"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PER4M_")}
    env["PYTHONPATH"] = str(shim)
    names, children, pids = tmp_path / "sync.json", tmp_path / "children.txt", tmp_path / "pids.txt"
    done = subprocess.run([PYTHON312, "-m", "per4m.runner", "--no-viztracer", "--perf-trampoline",
                           "--sync-out", str(names), "--child-pids-out", str(children),
                           str(script), str(pids)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    runner_pid, child_pid = (int(p) for p in pids.read_text().split())
    maps = [Path(f"/tmp/perf-{runner_pid}.map"), Path(f"/tmp/perf-{child_pid}.map")]
    try:
        assert done.returncode == 0, done.stderr
        written = json.loads(names.read_text())
        assert "the named one" in written["threads"].values()
        assert "MainThread" in written["threads"].values()
        assert children.read_text().split() == [str(child_pid)]
        assert maps[0].exists(), "the trampolines wrote no perf map"
    finally:
        for m in maps:
            m.unlink(missing_ok=True)
