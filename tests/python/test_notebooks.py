"""The workshop notebooks run from top to bottom in a real kernel, traced with real perf, and show their reports.

They are executed by the engine's own Jupyter client (`per4m run-notebook`), the way a teacher checks them
before a workshop.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, needs_engine
from per4m.engine import find_jar, find_java

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SUMMARY = "application/vnd.per4m.summary+json"

pytestmark = [
    needs_engine,
    pytest.mark.skipif(os.geteuid() != 0, reason="perf uprobes need root"),
    pytest.mark.skipif(shutil.which("perf") is None, reason="perf is not installed"),
]


def run_notebook(notebook: Path, tmp_path: Path) -> dict:
    copy = tmp_path / notebook.name
    shutil.copy(notebook, copy)
    done = subprocess.run([find_java(), "-jar", str(find_jar()), "run-notebook", str(copy), "--python", sys.executable],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(copy.read_text())


def summaries(nb: dict) -> list:
    return [output["data"][SUMMARY] for cell in nb["cells"] if cell["cell_type"] == "code"
            for output in cell["outputs"] if SUMMARY in output.get("data", {})]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_every_traced_cell_shows_a_report(notebook, tmp_path):
    nb = run_notebook(notebook, tmp_path)
    traced = sum("%%giltracer" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    found = summaries(nb)
    assert len(found) == traced
    for summary in found:
        assert summary["threads"], summary
        for thread in summary["threads"]:
            assert abs(thread["no_gil_pct"] + thread["held_pct"] + thread["wait_pct"] + thread["handover_pct"]
                       - 100) < 0.01
    assert len(list((tmp_path / "per4m-traces").iterdir())) == traced


def test_two_threads_one_gil_shows_each_counter_waiting(tmp_path):
    nb = run_notebook(ROOT / "notebooks" / "01-two-threads-one-gil.ipynb", tmp_path)
    (summary,) = summaries(nb)
    counters = [t for t in summary["threads"] if t["name"].startswith("counter")]
    assert len(counters) == 2
    for counter in counters:
        # two pure-Python threads on one GIL: each waits for a large share of its time
        assert 20 <= counter["wait_pct"] <= 80, counter
    # the kernel's own threads are left out by default: only the cell's main thread and the two counters
    assert len(summary["threads"]) == 3, [t["name"] for t in summary["threads"]]


@pytest.mark.skipif(shutil.which("node") is None or not (ROOT / "tests/report/node_modules").is_dir(),
                    reason="node and the report tests' packages are needed (scripts/bootstrap.sh installs them)")
def test_saved_outputs_show_their_reports_when_the_notebook_is_reopened(tmp_path):
    """The notebook as saved on disk, read back: each report renders from the file alone (no kernel, no engine),
    with one table row per thread of the figures saved beside it, and its links point at files that exist."""
    run_notebook(ROOT / "notebooks" / "01-two-threads-one-gil.ipynb", tmp_path)
    saved = tmp_path / "01-two-threads-one-gil.ipynb"
    expected = [len(summary["threads"]) for summary in summaries(json.loads(saved.read_text()))]
    done = subprocess.run(["node", str(ROOT / "tests/report/reopen.js"), str(saved)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert [s["rows"] for s in shown] == expected and expected, (shown, expected)
    for s in shown:
        assert s["links"] >= 2 and s["missing"] == [] and s["errors"] == [], s
        assert s["untrustedNote"] == 0, "trusted: the note about untrusted notebooks is gone"
        assert "not trusted" in s["sanitizedNote"], "sanitized (untrusted): the note says what to do"
