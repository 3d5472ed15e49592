"""The commands of per4m 0.1's README (docs: /work/shared/seed/per4m-original-README.md), typed as written.

A user coming from per4m 0.1 runs them in a folder of their own with the venv's bin on PATH; so does this test, in
one temp folder, one command after the other as the README orders them (later ones read what earlier ones left).
Each command's stdout goes to a file, as to a terminal: `perf record` writes its data to stdout when that is a pipe.

Left out or adapted, each for a reason:
- Installation (`pip install per4m`, `yum install perf`, sysctl, remounting debugfs) and the hand-made probes
  (`perf probe -f -x `which python` python:...`, `perf probe --del 'py*'`): the set-up (`per4m setup`) made the
  `python` probe group, which must stay as it is; the probes are used here, not remade.
- FlameGraph's Perl scripts after `offgil |` and `python -m gil_load`: not part of per4m; `gil_load` in
  `--import="numpy,threading,time,gil_load"` is run as written (gil_load is not installed: it must fail cleanly)
  and then without it.
- `perf record ... -e L1-dcache-load-misses -e instructions -e cycles ...`: run as written; on a machine whose perf
  cannot count those hardware events (a VM) it fails in perf, and is run again without the events perf named.
- "GIL + Process states" repeats "See process states" character for character: run once.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_engine

BIN = Path(sys.executable).parent

pytestmark = [
    needs_engine,
    pytest.mark.skipif(os.geteuid() != 0, reason="perf uprobes need root (CI runs as root)"),
    pytest.mark.skipif(shutil.which("perf") is None, reason="perf is not installed"),
    pytest.mark.skipif(not (BIN / "giltracer").exists(), reason="console scripts not installed in this venv"),
    pytest.mark.skipif(not Path("/sys/kernel/tracing/events/python/take_gil").exists()
                       and not Path("/sys/kernel/debug/tracing/events/python/take_gil").exists(),
                       reason="the python probe group is missing: run per4m setup"),
]

NOTEBOOK_CELL = '''%%giltracer
import threading
import time
import time


def run():
    total = 0
    for i in range(1_000_000):
        total += i
    return total


thread1 = threading.Thread(target=run)
thread2 = threading.Thread(target=run)
thread1.start()
thread2.start()
time.sleep(0.2)
for thread in [thread1, thread2]:
    thread.join()
'''


class Shell:
    """Runs README lines in one folder, as a user would type them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PER4M_")}
        self.env["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
        self.count = 0

    def run(self, line: str, timeout: float = 120) -> subprocess.CompletedProcess:
        self.count += 1
        out = self.folder / f".stdout-{self.count}"
        with open(out, "w") as stdout:
            done = subprocess.run(line, shell=True, cwd=self.folder, env=self.env, stdin=subprocess.DEVNULL,
                                  stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout)
        done.stdout = out.read_text()
        done.args = line
        return done


def ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, f"$ {done.args}\nexit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def events(path: Path) -> list:
    return json.loads(path.read_text())["traceEvents"]


def slice_names_by_tid(trace: list, cat: str) -> dict:
    names = {}
    for e in trace:
        if e.get("cat") == cat and e.get("ph") == "b":
            names.setdefault(e["tid"], set()).add(e["name"])
    return names


def held_us(trace: list, tid: int) -> float:
    opened, total = {}, 0.0
    for e in trace:
        if e.get("cat") == "gil" and e.get("tid") == tid and e.get("name") == "GIL held":
            if e["ph"] == "b":
                opened[e["id"]] = e["ts"]
            elif e["ph"] == "e":
                total += e["ts"] - opened.pop(e["id"])
    return total


def report_files(folder: Path, name: str = "giltracer") -> list:
    return sorted(p.name for p in folder.glob(f"{name}.*"))


def remove_reports(folder: Path):
    for p in folder.glob("giltracer.*"):
        p.unlink()


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    return Shell(tmp_path_factory.mktemp("per4m-0.1-readme"))


def test_check_if_the_probes_work(shell):
    done = ok(shell.run('perf record -e python:take_gil__return -- python -c "import time; time.sleep(1)"'))
    assert "Captured and wrote" in done.stderr
    script = ok(shell.run("perf script --no-inline -i perf.data"))
    assert "python:take_gil__return" in script.stdout


def test_detect_who_has_the_gil(shell):
    remove_reports(shell.folder)
    done = ok(shell.run("giltracer -m per4m.example2"))
    assert report_files(shell.folder) == ["giltracer.html", "giltracer.json", "giltracer.summary.json"]
    assert "GIL wait%" in done.stdout + done.stderr
    trace = events(shell.folder / "giltracer.json")
    gil = slice_names_by_tid(trace, "gil")
    summary = json.loads((shell.folder / "giltracer.summary.json").read_text())
    assert len(summary["threads"]) == 3, summary["threads"]
    workers = [t for t in summary["threads"] if not t["main"]]
    assert len(workers) == 2
    for worker in workers:
        # two threads counting to a million each: each holds the GIL and each waits for the other
        assert gil[worker["tid"]] >= {"GIL held", "GIL wait"}, worker
        assert worker["wait_pct"] > 5 and worker["held_pct"] > 20, worker
    assert any(e.get("ph") == "X" and "some_computation" in e.get("name", "") for e in trace)


def test_see_process_states(shell):
    remove_reports(shell.folder)
    ok(shell.run("giltracer --no-gil-detect --state-detect -m per4m.example2"))
    trace = events(shell.folder / "giltracer.json")
    assert not slice_names_by_tid(trace, "gil")
    states = slice_names_by_tid(trace, "state")
    assert len(states) >= 3, states
    # the main thread sleeps 0.2 s; the workers run
    assert any("S" in names for names in states.values()), states
    assert sum("running" in names for names in states.values()) >= 2, states


def test_numpy_example_then_offgil(shell):
    remove_reports(shell.folder)
    ok(shell.run("giltracer -m per4m.example3", timeout=180))
    trace = events(shell.folder / "giltracer.json")
    summary = json.loads((shell.folder / "giltracer.summary.json").read_text())
    assert len(summary["threads"]) == 3, summary["threads"]
    (main,) = [t for t in summary["threads"] if t["main"]]
    workers = [t for t in summary["threads"] if not t["main"]]
    # NumPy's sums run without the GIL; the main thread's array and Python loop hold it
    assert held_us(trace, main["tid"]) > sum(held_us(trace, w["tid"]) for w in workers)

    for line in ("offgil", "offgil --no-strip-take-gil --keep-cpython-evals"):
        done = ok(shell.run(line))
        folded = [re.fullmatch(r"(.+) (\d+)", row) for row in done.stdout.splitlines()]
        assert folded and all(folded), done.stdout[:2000]
        tids = {int(re.search(r"\(tid (\d+)\)$", m.group(1).split(";")[0]).group(1)) for m in folded}
        assert tids <= {t["tid"] for t in summary["threads"]}
        assert all(m.group(1).endswith(";take_gil") for m in folded)
        assert sum(int(m.group(2)) for m in folded) > 0
    assert "change nothing" in done.stderr


def test_notebook_cell(shell):
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "id": cid,
                           "source": source} for cid, source in (("load", "%load_ext per4m"),
                                                                 ("trace", NOTEBOOK_CELL))]}
    (shell.folder / "readme.ipynb").write_text(json.dumps(notebook))
    ok(shell.run(f"per4m run-notebook readme.ipynb --python {sys.executable}", timeout=240))
    cells = json.loads((shell.folder / "readme.ipynb").read_text())["cells"]
    summaries = [o["data"]["application/vnd.per4m.summary+json"] for o in cells[1]["outputs"]
                 if "application/vnd.per4m.summary+json" in o.get("data", {})]
    assert len(summaries) == 1
    assert len([t for t in summaries[0]["threads"] if t["held_pct"] > 0]) >= 2, summaries[0]


def test_manual_pipeline(shell):
    record = ("perf record -e 'sched:*' --call-graph dwarf -k CLOCK_MONOTONIC -e L1-dcache-load-misses "
              "-e instructions -e cycles -e page-faults -- python -m per4m.example1")
    done = shell.run(record, timeout=180)
    unsupported = re.findall(r"The (\S+) event is not supported", done.stderr)
    while done.returncode != 0 and unsupported:
        # a VM without hardware counters: perf itself refuses, naming one event at a time
        for event in unsupported:
            record = record.replace(f" -e {event}", "")
        done = shell.run(record, timeout=180)
        unsupported = re.findall(r"The (\S+) event is not supported", done.stderr)
    ok(done)
    viz = events(shell.folder / "example1.json")
    assert any(e.get("ph") == "X" and "some_computation" in e.get("name", "") for e in viz)

    ok(shell.run("perf script --no-inline | per4m perf2trace --no-running -o example1perf.json", timeout=180))
    perf_trace = events(shell.folder / "example1perf.json")
    states = slice_names_by_tid(perf_trace, "state")
    viz_tids = {e["tid"] for e in viz if e.get("ph") == "X"}
    assert viz_tids <= set(states), (viz_tids, states)
    assert not any("running" in names for names in states.values()), states
    assert any("S" in names for names in states.values()), states
    assert any(e.get("ph") == "C" and e["name"].startswith("page-faults") for e in perf_trace)

    ok(shell.run("viztracer --combine example1.json example1perf.json -o example1.html"))
    html = (shell.folder / "example1.html").read_text()
    assert "some_computation" in html
    # every state slice of perf2trace's file made it into the combined report
    state_begins = sum(e.get("ph") == "b" and e.get("cat") == "state" for e in perf_trace)
    assert len(re.findall(r'"ph":\s*"b",\s*"cat":\s*"state"', html)) == state_begins > 0


def test_gil_load_vs_gil_wait(shell):
    remove_reports(shell.folder)
    done = shell.run('per4m giltracer --import="numpy,threading,time,gil_load" -m per4m.example3')
    assert done.returncode != 0
    assert "gil_load" in done.stderr and "Traceback" not in done.stderr
    assert report_files(shell.folder) == []

    ok(shell.run('per4m giltracer --import="numpy,threading,time" -m per4m.example3', timeout=180))
    trace = events(shell.folder / "giltracer.json")
    # numpy was imported before tracing: its import is not in the trace
    assert not any("numpy/__init__.py" in e.get("name", "") for e in trace if e.get("ph") == "X")
    assert any("some_numpy_computation" in e.get("name", "") for e in trace if e.get("ph") == "X")
    assert len(slice_names_by_tid(trace, "gil")) == 3


def test_using_uprobes(shell):
    done = ok(shell.run("perf record -e 'python:*'  -- time python -m per4m.example3", timeout=180))
    assert "elapsed" in done.stderr and "Captured and wrote" in done.stderr
    tail = ok(shell.run("perf script --no-inline | tail")).stdout.splitlines()
    assert len(tail) == 10
    assert all(re.search(r"python:(take|drop)_gil(__return)?:", row) for row in tail), tail


def test_report_named_like_per4m_0_1(tmp_path):
    done = Shell(tmp_path).run("giltracer -q -o report.html -m per4m.example4")
    ok(done)
    assert "[('bazz', 2), ('foo', 3), ('bar', 42)]" in done.stdout
    assert report_files(tmp_path, "report") == ["report.html", "report.json", "report.summary.json"]
    assert "key_function" in (tmp_path / "report.json").read_text()


@pytest.mark.parametrize("target, message", [
    ("-m per4m.example2x", "No module named per4m.example2x"),
    ("missing.py", "can't open file"),
    ("imports_missing.py", "No module named 'gil_load'"),
])
def test_a_target_that_cannot_start_gets_no_report(tmp_path, target, message):
    (tmp_path / "imports_missing.py").write_text("import threading\nimport gil_load\n")
    done = Shell(tmp_path).run(f"giltracer {target}")
    assert done.returncode != 0
    assert message in done.stderr
    assert "Summary" not in done.stdout + done.stderr
    assert report_files(tmp_path) == []
