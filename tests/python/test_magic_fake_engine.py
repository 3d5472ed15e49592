"""The traced path of %%giltracer in a real kernel, with the engine replaced by a fake facade in the kernel:
checks what the shim itself does (viztracer file, kernel threads, display, error order) without perf."""
import json
from pathlib import Path

import pytest

from kernel_client import SUMMARY_MIME, Kernel

FAKE = '''
import json as _json, os as _os
class _FakeHandle:
    def firstInSession(self): return True
class _FakeResult:
    def __init__(self, out_dir, viz): self.out_dir, self.viz = out_dir, viz
    def outDir(self): return self.out_dir
    def traceJson(self): return _os.path.join(self.out_dir, "giltracer.json")
    def reportHtml(self): return _os.path.join(self.out_dir, "giltracer.html")
    def summaryJson(self): return _json.dumps({"threads": [{"name": "MainThread", "main": True}]})
    def inlineHtml(self): return "<table class='fake-report'></table>"
    def messages(self): return ["fake engine"]
    def lostEvents(self): return 0
    def engineMillis(self): return 5
class _FakeFacade:
    calls = []
    def startRecording(self, request):
        r = _json.loads(request)
        out_dir, viz = r["outDir"], r["viztracerJson"]
        self.calls.append(("start", r["pid"], r["recording"], out_dir, viz, r["kernelTids"], r["showKernelThreads"]))
        self.cell = (out_dir, viz)
        return _FakeHandle()
    end_failure = None
    def endCell(self, handle):
        self.calls.append(("end", self.cell[1] is not None and _os.path.exists(self.cell[1])))
        if self.end_failure:
            raise RuntimeError(self.end_failure)
    def finishCell(self, handle):
        if self.end_failure:
            raise RuntimeError("no recording is open for this cell")
        out_dir, viz = self.cell
        self.calls.append(("finish", viz is not None and _os.path.exists(viz)))
        return _FakeResult(out_dir, viz)
class _FakeBridge:
    facade_ = _FakeFacade()
    def facade(self): return self.facade_
    def shutdown(self): pass
get_ipython().per4m_magics.bridge = _FakeBridge()
'''


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("notebook")
    k = Kernel(cwd)
    k.cwd = cwd
    assert k.run("%load_ext per4m").status == "ok"
    assert k.run(FAKE).status == "ok"
    try:
        yield k
    finally:
        k.shutdown()


def last_call(kernel, kind):
    calls = kernel.value("[c for c in get_ipython().per4m_magics.bridge.facade_.calls]")
    return [c for c in calls if c[0] == kind][-1]


def test_a_traced_cell_passes_viztracer_and_kernel_threads_and_shows_the_report(kernel):
    run = kernel.run("%%giltracer --state-detect --counters page-faults,context-switches\n"
                     "def work():\n    return sum(range(10000))\ntraced_value = work()")
    assert run.status == "ok", run.errors
    assert kernel.value("traced_value") == sum(range(10000))
    _, _, options, out_dir, viz, kernel_tids, show = last_call(kernel, "start")
    assert options == {"gil": True, "states": True, "counters": ["page-faults", "context-switches"],
                       "probeGroup": "python"}
    assert last_call(kernel, "end") == ["end", False]  # perf stops before viztracer saves, not after
    viz_existed = last_call(kernel, "finish")[1]
    assert Path(out_dir).is_absolute()  # the engine's working directory is not the notebook's
    assert viz_existed and Path(viz).parent == Path(out_dir)
    assert "work" in Path(viz).read_text()  # viztracer saw the cell's function
    out = Path(kernel.cwd, out_dir)
    assert out.parent.name == "per4m-traces" and out.name.startswith("cell-")
    assert len(kernel_tids) >= 3 and show is False  # heartbeat, IOPub, control, ... but not the main thread
    main_tid = kernel.value("__import__('threading').main_thread().native_id")
    assert main_tid not in kernel_tids
    report = [d for d in run.displays if SUMMARY_MIME in d["data"]]
    assert len(report) == 1
    assert report[0]["data"][SUMMARY_MIME]["threads"][0]["main"] is True
    assert "fake-report" in report[0]["data"]["text/html"]
    assert 'href="per4m-traces/' in report[0]["data"]["text/html"]


def test_no_viztracer_and_quiet(kernel):
    run = kernel.run("%%giltracer --no-viztracer -q --show-kernel-threads\nquiet_value = 3")
    assert run.status == "ok"
    _, _, _, _, viz, _, show = last_call(kernel, "start")
    assert viz is None and show is True
    html = run.displays[-1]["data"]["text/html"]
    assert "fake-report" not in html and "giltracer.html" in html


def test_each_cell_gets_its_own_directory(kernel):
    kernel.run("%%giltracer\na = 1")
    first = last_call(kernel, "start")[3]
    kernel.run("%%giltracer\na = 2")
    second = last_call(kernel, "start")[3]
    assert first != second
    assert Path(kernel.cwd, first).is_dir() and Path(kernel.cwd, second).is_dir()


def test_a_traced_exception_shows_the_report_then_the_error_once(kernel):
    run = kernel.run("%%giltracer\nraise KeyError('traced boom')")
    assert run.status == "error" and run.reply["content"]["ename"] == "KeyError"
    kinds = run.kinds()
    assert kinds.count("error") == 1 and kinds.index("display_data") < kinds.index("error"), kinds
    tb = "\n".join(run.errors[0]["traceback"])
    assert "traced boom" in tb and "magic.py" not in tb  # the user's traceback, not the shim's frames


def test_a_failure_at_the_cells_end_is_named_not_hidden(kernel):
    kernel.run("get_ipython().per4m_magics.bridge.facade_.end_failure = "
               "'perf stopped unexpectedly (perf did not close its window within 5 s)'")
    try:
        run = kernel.run("%%giltracer\nafter_failure = 5")
    finally:
        kernel.run("get_ipython().per4m_magics.bridge.facade_.end_failure = None")
    assert run.status == "ok" and kernel.value("after_failure") == 5
    text = run.displays[-1]["data"]["text/plain"]
    assert "perf did not close its window within 5 s" in text, text
    assert "no recording is open" not in text and "\n" not in text.strip()
