"""%load_ext per4m and %%giltracer in a real ipykernel (jupyter_client), checked on what the kernel publishes."""
import json
import os
import time
from pathlib import Path

import pytest

from conftest import ROOT, needs_engine
from kernel_client import SUMMARY_MIME, Kernel

pytestmark = needs_engine

UNTRACED = "running the cell without tracing"
MISSING_GROUP = "per4m_shim_test_absent"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("notebook")
    k = Kernel(cwd)
    k.cwd = cwd
    load = k.run("%load_ext per4m")
    assert load.status == "ok", load.errors
    try:
        yield k
    finally:
        k.shutdown()


def traced(run) -> bool:
    """False when this machine cannot record (no perf, no probes, no root): the magic then says so in one line and
    runs the cell untraced, and the traced checks skip."""
    return UNTRACED not in run.display_text


def test_variables_persist_and_magics_inside_work(kernel):
    run = kernel.run("%%giltracer\nx = 41 + 1\n%time y = x * 2\nprint('inside', x)")
    assert run.status == "ok", run.errors
    assert "inside 42" in run.stdout
    assert "Wall time" in run.stdout  # %time ran inside the traced cell
    assert kernel.value("[x, y]") == [42, 84]


def test_help_documents_the_options(kernel):
    run = kernel.run("%giltracer?")
    assert run.status == "ok"
    pages = [p["data"]["text/plain"] for p in run.reply["content"].get("payload", []) if p.get("source") == "page"]
    text = "\n".join(pages)
    for option in ("--state-detect", "--no-gil-detect", "--counters", "--no-viztracer", "--output-dir",
                   "--quiet", "--show-kernel-threads"):
        assert option in text, option


def test_a_missing_probe_group_is_replaced_by_probes_on_the_kernels_own_libpython(kernel):
    """The probes follow the interpreter: a group that does not exist gives way to one on the file the kernel
    loaded (or, as root, private probes for it), and the cell is traced."""
    run = kernel.run(f"%%giltracer --probe-group {MISSING_GROUP}\nz = 5\nprint('ran', z)")
    assert run.status == "ok", run.errors
    assert "ran 5" in run.stdout
    # as root the probes are made for the kernel's libpython, so only a machine without perf excuses a cell untraced
    if not traced(run) and ("perf is not installed" in run.display_text or os.geteuid() != 0):
        pytest.skip("this machine cannot record: " + run.display_text)
    summaries = [d["data"][SUMMARY_MIME] for d in run.displays if SUMMARY_MIME in d["data"]]
    assert len(summaries) == 1, [d["data"].get("text/plain") for d in run.displays]
    assert summaries[0]["process"]["gil_events"] > 0
    assert kernel.value("z") == 5


def test_an_exception_shows_the_output_then_the_error(kernel):
    run = kernel.run("%%giltracer\nbefore_error = 'set'\nraise ValueError('boom in cell')")
    assert run.status == "error"
    assert run.reply["content"]["ename"] == "ValueError"
    kinds = run.kinds()
    assert "display_data" in kinds and kinds[-1] == "error", kinds
    assert kinds.index("display_data") < kinds.index("error")
    assert len(run.errors) == 1
    assert "boom in cell" in "\n".join(run.errors[0]["traceback"])
    assert kernel.value("before_error") == "set"


def test_an_interrupt_stops_the_cell_and_still_shows_output(kernel):
    run = kernel.run("%%giltracer\nimport time\nticks = 0\nfor _ in range(300):\n    time.sleep(0.05)\n    ticks += 1",
                     interrupt_after=3.0, timeout=60)
    assert run.status == "error"
    assert run.reply["content"]["ename"] == "KeyboardInterrupt"
    kinds = run.kinds()
    assert "display_data" in kinds and kinds.index("display_data") < kinds.index("error"), kinds
    assert 0 < kernel.value("ticks") < 300
    # The kernel and the engine stay usable.
    assert kernel.run("%%giltracer\nafter_interrupt = 1").status == "ok"
    assert kernel.value("after_interrupt") == 1


def test_a_traced_cell_shows_the_report_and_writes_its_files(kernel):
    code = ("%%giltracer\nimport threading\n"
            "def spin():\n    s = 0\n    for i in range(300_000):\n        s += i\n"
            "threads = [threading.Thread(target=spin, name=f'spinner {n}') for n in range(2)]\n"
            "[t.start() for t in threads]; [t.join() for t in threads]")
    first = kernel.run(code)
    assert first.status == "ok", first.errors
    if not traced(first):
        pytest.skip("this machine cannot record: " + first.display_text)
    second = kernel.run(code)
    reports = [d for d in first.displays + second.displays if SUMMARY_MIME in d["data"]]
    assert len(reports) == 2
    dirs = [Path(kernel.cwd, d["data"]["text/plain"].split()[1]).parent for d in reports]
    assert dirs[0] != dirs[1] and all(d.parent.name == "per4m-traces" for d in dirs)
    for d in dirs:
        assert (d / "giltracer.html").stat().st_size > 0
        trace = json.loads((d / "giltracer.json").read_text())
        assert "traceEvents" in trace
    html = reports[0]["data"]["text/html"]
    assert 'href="per4m-traces/' in html and "<iframe" in html, "the report inline, with links to its files"
    summary = reports[0]["data"][SUMMARY_MIME]
    names = [t["name"] for t in summary["threads"]]
    named = [(e.get("tid"), e.get("args", {}).get("name"))
             for e in json.loads((dirs[0] / "giltracer.json").read_text())["traceEvents"]
             if e.get("ph") == "M" and e.get("name") == "thread_name"]
    assert "spinner 0" in names and "spinner 1" in names, (summary["threads"], named)
    assert summary["threads"][0]["main"] is True
    for thread in summary["threads"]:
        assert abs(thread["held_pct"] + thread["wait_pct"] + thread["handover_pct"] + thread["no_gil_pct"] - 100) < 0.5
    spinners = [t for t in summary["threads"] if t["name"].startswith("spinner")]
    assert all(t["hold_count"] > 0 for t in spinners)
    assert summary["blame"], "two spinning threads must wait on each other"


def test_output_dir_option_and_quiet(kernel, tmp_path):
    run = kernel.run(f"%%giltracer -q -o {tmp_path}\nq = 1")
    assert run.status == "ok", run.errors
    if not traced(run):
        pytest.skip("this machine cannot record: " + run.display_text)
    cells = list(tmp_path.glob("cell-*"))
    assert len(cells) == 1 and (cells[0] / "giltracer.html").exists()
    html = "\n".join(d["data"].get("text/html", "") for d in run.displays)
    # quiet: the links to the cell's files, not the report itself
    assert "giltracer.html" in html and "<iframe" not in html, html


def _processes():
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                yield int(entry.name), (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue


def test_no_jvm_or_perf_is_left_after_the_kernel_shuts_down(tmp_path):
    k = Kernel(tmp_path)
    try:
        assert k.run("%load_ext per4m").status == "ok"
        k.run("%%giltracer\nw = 1")
        jvm = k.value("get_ipython().per4m_magics.bridge.pid")
        kernel_pid = k.pid
        assert jvm is not None
    finally:
        k.shutdown()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        left = [pid for pid, argv in _processes()
                if pid == jvm or (argv and argv[0].endswith(b"perf") and str(kernel_pid).encode() in argv)]
        if not left:
            break
        time.sleep(0.2)
    assert not left, left


def test_the_kernelspec_loads_the_extension(tmp_path):
    from per4m.cli import kernel_spec

    checked_in = json.loads((ROOT / "kernel" / "per4m" / "kernel.json").read_text())
    assert checked_in == kernel_spec("python")
    assert checked_in["display_name"] == "Python 3 (per4m)"
    k = Kernel(tmp_path, extra_args=checked_in["argv"][5:])
    try:
        assert k.value("'giltracer' in get_ipython().magics_manager.magics['cell']") is True
        again = k.run("%load_ext per4m")  # what every workshop notebook says first, for any kernel
        assert again.status == "ok" and again.stdout == "" and again.displays == [], (again.stdout, again.displays)
    finally:
        k.shutdown()


def test_the_cell_is_named_by_the_prompt_the_user_sees(kernel):
    run = kernel.run("%%giltracer\nnamed = 1\nraise KeyError('numbered')")
    prompt = run.reply["content"]["execution_count"]
    tb = "\n".join(run.errors[0]["traceback"])
    assert f"In[{prompt}]" in tb and f"In[{prompt + 1}]" not in tb, tb
    assert "line 3" in tb, "the line under %%giltracer as the user counts it: " + tb
    if not traced(run):
        pytest.skip("this machine cannot record: " + run.display_text)
    report = [d for d in run.displays if SUMMARY_MIME in d["data"]]
    assert report, run.display_text
    html_path = Path(report[0]["data"]["text/plain"].split()[1])
    assert html_path.parent.name.startswith(f"cell-{prompt:03d}-"), (html_path.parent.name, prompt)
    assert f"<title>In [{prompt}]" in html_path.read_text()
    names = {e["name"] for e in json.loads((html_path.parent / "giltracer.json").read_text())["traceEvents"]
             if e.get("ph") == "X"}
    assert f"<module> (In [{prompt}]:1)" in names, sorted(names)[:20]  # the cell's code, named as its prompt


def test_top_level_await_works_in_a_traced_cell(kernel):
    run = kernel.run("%%giltracer\nimport asyncio\nasync def twice(x):\n    await asyncio.sleep(0.01)\n    return 2 * x\n"
                     "awaited = await asyncio.gather(twice(1), twice(2))")
    assert run.status == "ok", run.errors
    assert kernel.value("awaited") == [2, 4]
    assert kernel.run("import asyncio; await asyncio.sleep(0); after_await = 1").status == "ok"
    assert kernel.value("after_await") == 1
