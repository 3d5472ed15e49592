"""The workshop notebooks run from top to bottom in a real kernel, traced with real perf, and show their reports.

They are executed by the engine's own Jupyter client (`per4m run-notebook`), the way a teacher checks them
before a workshop.
"""
import fnmatch
import html
import json
import os
import re
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


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook run once for all the tests of this module (a run takes tens of seconds): name -> (nb, folder)."""
    runs = {}

    def run(notebook: Path):
        if notebook.stem not in runs:
            folder = tmp_path_factory.mktemp(notebook.stem)
            runs[notebook.stem] = (run_notebook(notebook, folder), folder)
        return runs[notebook.stem]

    return run


def summaries(nb: dict) -> list:
    return [output["data"][SUMMARY] for cell in nb["cells"] if cell["cell_type"] == "code"
            for output in cell["outputs"] if SUMMARY in output.get("data", {})]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_every_traced_cell_shows_a_report(notebook, executed):
    nb, tmp_path = executed(notebook)
    traced = sum("%%giltracer" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    found = summaries(nb)
    assert len(found) == traced
    for summary in found:
        assert summary["threads"], summary
        for thread in summary["threads"]:
            assert abs(thread["no_gil_pct"] + thread["held_pct"] + thread["wait_pct"] + thread["handover_pct"]
                       - 100) < 0.01
    assert len(list((tmp_path / "per4m-traces").iterdir())) == traced


def test_two_threads_one_gil_shows_each_counter_waiting(executed):
    nb, _ = executed(ROOT / "notebooks" / "01-two-threads-one-gil.ipynb")
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
def test_saved_outputs_show_their_reports_when_the_notebook_is_reopened(executed):
    """The notebook as saved on disk, read back: each report renders from the file alone (no kernel, no engine),
    with one table row per thread of the figures saved beside it, and its links point at files that exist."""
    _, tmp_path = executed(ROOT / "notebooks" / "01-two-threads-one-gil.ipynb")
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


RELATION = re.compile(r"^(\w+) (>=|<=|>|<) (\w+|[\d.]+)$")


def holds(thread: dict, relation: str) -> bool:
    left, op, right = RELATION.match(relation).groups()
    a, b = thread[left], thread[right] if right in thread else float(right)
    return {">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


def claims_with_their_summary(nb: dict):
    """(claim, summary of the nearest traced cell above the text that makes it)."""
    summary = None
    for cell in nb["cells"]:
        found = [o["data"][SUMMARY] for o in cell.get("outputs", []) if SUMMARY in o.get("data", {})]
        summary = found[-1] if found else summary
        for claim in cell["metadata"].get("per4m", {}).get("claims", []):
            assert claim["says"] in " ".join("".join(cell["source"]).split()), "the claim is in the text: " + claim["says"]
            yield claim, summary


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_prose_says_what_the_report_shows(notebook, executed):
    """Each figure a text cell states ("the numpy threads spend most of their time without the GIL") is written
    beside it as relations on the summary of the traced cell above, checked here on a fresh run."""
    nb, _ = executed(notebook)
    checked = 0
    for claim, summary in claims_with_their_summary(nb):
        figures = "; ".join(f"{t['name']}: held {t['held_pct']}% wait {t['wait_pct']}% no GIL {t['no_gil_pct']}%"
                            for t in summary["threads"]) + f"; blame {summary['blame']}"
        threads = [t for t in summary["threads"] if fnmatch.fnmatchcase(t["name"], claim["threads"])]
        assert threads, (claim, [t["name"] for t in summary["threads"]])
        for thread in threads:
            for relation in claim.get("holds", []):
                assert holds(thread, relation), f"{claim['says']}: {thread['name']} fails {relation} ({figures})"
            if "exceeds" in claim:  # a figure of this thread beside the same figure of others
                figure, others = claim["exceeds"]["figure"], claim["exceeds"]["threads"]
                compared = [t for t in summary["threads"] if fnmatch.fnmatchcase(t["name"], others)]
                assert compared, (claim["says"], others)
                for other in compared:
                    assert thread[figure] > other[figure], f"{claim['says']}: {thread['name']} vs {other['name']} ({figures})"
            if "waits_most_for" in claim:
                blamed = [b for b in summary["blame"] if b["waiter_tid"] == thread["tid"]]
                assert blamed, (claim["says"], thread["name"], summary["blame"])
                most = max(blamed, key=lambda b: b["us"])
                assert fnmatch.fnmatchcase(most["holder_name"], claim["waits_most_for"]), f"{claim['says']}: {figures}"
            checked += 1
    assert checked, "every workshop notebook states something about its report"


def test_loading_the_extension_in_the_per4m_kernel_says_nothing(executed):
    nb, _ = executed(ROOT / "notebooks" / "01-two-threads-one-gil.ipynb")
    (load,) = [c for c in nb["cells"] if "".join(c["source"]).strip() == "%load_ext per4m"]
    assert load["outputs"] == [], load["outputs"]


def test_a_failing_cell_shows_its_report_then_its_error(executed):
    nb, _ = executed(ROOT / "notebooks" / "03-options-and-failures.ipynb")
    (failing,) = [c for c in nb["cells"] if "raises-exception" in c["metadata"].get("tags", [])]
    kinds = [o["output_type"] for o in failing["outputs"]]
    assert kinds[-1] == "error" and "display_data" in kinds, kinds
    assert failing["outputs"][-1]["ename"] == "RuntimeError"
    assert any(SUMMARY in o.get("data", {}) for o in failing["outputs"][:-1])


NOTEBOOK_LIMIT = 1024 * 1024
INLINE_EVENT_BUDGET = 3000  # ReportWriter.INLINE_EVENT_BUDGET: the events a notebook's timeline embeds
CUT = re.compile(r'class="per4m-cut" data-shown="(\d+)" data-total="(\d+)" data-until-ns="(\d+)"')
SRCDOC = re.compile(r'<iframe class="per4m-report"[^>]* srcdoc="([^"]*)"')
PAGE_DATA = re.compile(r'<script type="application/json" id="per4m-data">(.*?)</script>', re.S)
TRACE_LINK = re.compile(r'<a class="per4m-trace-file"[^>]* href="([^"]+)"')


def report_outputs(nb: dict) -> list:
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"] if SUMMARY in o.get("data", {})]


def serialized(value) -> int:
    return len(json.dumps(value, indent=1, ensure_ascii=False).encode())


def test_the_saved_notebooks_stay_light(executed):
    """A notebook keeps each report's figures and a bounded timeline, not every event: saved with all outputs, each
    workshop notebook is under 1 MB, and so are six reports as heavy as the heaviest of them in one notebook."""
    saved, heaviest, bare = {}, 0, 0
    for notebook in NOTEBOOKS:
        nb, folder = executed(notebook)
        saved[notebook.name] = (folder / notebook.name).stat().st_size
        heaviest = max([heaviest] + [serialized(o) for o in report_outputs(nb)])
        bare = max(bare, serialized({**nb, "cells": [{**c, "outputs": []} for c in nb["cells"]]}))
    assert all(size < NOTEBOOK_LIMIT for size in saved.values()), saved
    assert sum(saved.values()) < NOTEBOOK_LIMIT, saved
    assert bare + 6 * heaviest < NOTEBOOK_LIMIT, (bare, heaviest)


def drawn_events(trace: dict) -> list:
    """What the report draws, counted from the trace file: a GIL or state slice (its begin), a call, a sample; as
    start times in ns."""
    return [round(e["ts"] * 1000) for e in trace["traceEvents"]
            if (e.get("ph") == "b" and e.get("cat") in ("gil", "state")) or e.get("ph") in ("X", "C")]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_inline_timeline_says_how_much_of_the_trace_file_it_holds(notebook, executed):
    nb, folder = executed(notebook)
    checked = 0
    for output in report_outputs(nb):
        fragment = "".join(output["data"]["text/html"])
        if 'class="per4m-report"' not in fragment:
            continue  # --quiet: links only
        shown, total, until = map(int, CUT.search(fragment).groups())
        page = html.unescape(SRCDOC.search(fragment).group(1))
        data = json.loads(PAGE_DATA.search(page).group(1))
        embedded = sum(len(t["gil"]["t"]) + len(t["state"]["t"]) + sum(len(r["t"]) for r in t["calls"])
                       + sum(len(c["t"]) for c in t["counters"]) for t in data["threads"])
        trace = json.loads((folder / html.unescape(TRACE_LINK.search(fragment).group(1))).read_text())
        starts = drawn_events(trace)
        assert embedded == shown <= INLINE_EVENT_BUDGET, (embedded, shown)
        assert total == len(starts), (total, len(starts))
        origin = round(data["origin_us"] * 1000)
        assert shown == sum(1 for s in starts if s - origin < until), (shown, until)
        assert ("cut" in data) == (shown < total)
        checked += 1
    assert checked, "the notebook shows a report"

