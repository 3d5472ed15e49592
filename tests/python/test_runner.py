"""per4m.runner: the target runs as python would run it; perf is enabled around it; viztracer output survives errors."""
import json
import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest

SHIM = pathlib.Path(__file__).resolve().parents[2] / "python-shim"

try:
    import viztracer  # noqa: F401
    HAVE_VIZTRACER = True
except ImportError:
    HAVE_VIZTRACER = False

needs_viztracer = pytest.mark.skipif(not HAVE_VIZTRACER, reason="viztracer is not installed in this Python")

TARGET = """
import json, sys, time
record = {"name": __name__, "argv": sys.argv, "t": time.clock_gettime_ns(time.CLOCK_MONOTONIC)}
def work():
    return sum(i for i in range(1000))
if __name__ == "__main__":
    work()
    with open(sys.argv[1], "w") as f:
        json.dump(record, f)
    action = sys.argv[2] if len(sys.argv) > 2 else ""
    if action == "exit3":
        sys.exit(3)
    if action == "exitmsg":
        sys.exit("bye bye")
    if action == "raise":
        raise ValueError("target failed")
    print("target says hi")
"""


def run_runner(args, tmp_path, env=None, timeout=60):
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(SHIM) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("PER4M_PERF_CTL", None)
    full_env.pop("PER4M_PERF_ACK", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "per4m.runner", *args], cwd=tmp_path, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "target.py"
    path.write_text(TARGET)
    return path


def viz_args(tmp_path, viztracer=True):
    args = ["--viztracer-out", str(tmp_path / "viz.json"), "--sync-out", str(tmp_path / "sync.json")]
    return args if viztracer else args + ["--no-viztracer"]


def test_script_runs_as_main_with_its_argv(tmp_path, script):
    out = tmp_path / "out.json"
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(script), str(out), "plain"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "target says hi\n"
    assert r.stderr == ""
    record = json.loads(out.read_text())
    assert record["name"] == "__main__"
    assert record["argv"] == [str(script), str(out), "plain"]
    sync = json.loads((tmp_path / "sync.json").read_text())
    assert sync["clock"] == "CLOCK_MONOTONIC" and sync["pairs"] == []
    assert not (tmp_path / "viz.json").exists()


def test_module_runs_as_main_with_its_argv(tmp_path):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "tool.py").write_text(TARGET)
    out = tmp_path / "out.json"
    r = run_runner(viz_args(tmp_path, viztracer=False) + ["--module", "mypkg.tool", str(out), "x"], tmp_path)
    assert r.returncode == 0, r.stderr
    record = json.loads(out.read_text())
    assert record["name"] == "__main__"
    assert record["argv"] == [str(pkg / "tool.py"), str(out), "x"]


@pytest.mark.parametrize("action,code,stderr_has", [
    ("exit3", 3, None),
    ("exitmsg", 1, "bye bye"),
    ("raise", 1, "ValueError: target failed"),
])
def test_exit_codes_like_python(tmp_path, script, action, code, stderr_has):
    out = tmp_path / "out.json"
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(script), str(out), action], tmp_path)
    direct = subprocess.run([sys.executable, str(script), str(out), action], capture_output=True, text=True)
    assert r.returncode == code == direct.returncode
    if stderr_has:
        assert stderr_has in r.stderr
    if action == "raise":
        assert "Traceback (most recent call last)" in r.stderr
        assert "runner.py" not in r.stderr and "runpy" not in r.stderr
        assert f'File "{script}"' in r.stderr


def test_bad_usage_is_exit_2(tmp_path):
    r = run_runner(["--viztracer-out"], tmp_path)
    assert r.returncode == 2 and "usage:" in r.stderr
    r = run_runner(["no-such-script.py"], tmp_path)
    assert r.returncode == 2 and "no-such-script.py" in r.stderr


@needs_viztracer
def test_viztracer_output_is_written_even_when_the_target_raises(tmp_path, script):
    r = run_runner(viz_args(tmp_path) + [str(script), str(tmp_path / "out.json"), "raise"], tmp_path)
    assert r.returncode == 1
    assert "ValueError: target failed" in r.stderr
    data = json.loads((tmp_path / "viz.json").read_text())
    names = [e.get("name", "") for e in data["traceEvents"]]
    assert any(n.startswith("work (") for n in names), names[:20]
    sync = json.loads((tmp_path / "sync.json").read_text())
    assert [p["where"] for p in sync["pairs"]] == ["start", "end"]
    for pair in sync["pairs"]:
        # viztracer converts its TSC readings to CLOCK_MONOTONIC: both readings agree to a few µs
        assert abs(pair["clock_ns"] - pair["viztracer_us"] * 1000) < 20_000 + pair["uncertainty_ns"]


class FakePerf:
    """Plays perf's side of the --control fifos: records each command with the time it arrived, answers ack."""

    def __init__(self, tmp_path, answer=True):
        self.ctl = tmp_path / "ctl.fifo"
        self.ack = tmp_path / "ack.fifo"
        os.mkfifo(self.ctl)
        os.mkfifo(self.ack)
        self.commands = []
        self.answer = answer
        self.ctl_fd = os.open(self.ctl, os.O_RDWR)  # like perf: read-write, so opening never blocks
        self.ack_fd = os.open(self.ack, os.O_RDWR)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def env(self):
        return {"PER4M_PERF_CTL": str(self.ctl), "PER4M_PERF_ACK": str(self.ack)}

    def serve(self):
        buf = b""
        while True:
            chunk = os.read(self.ctl_fd, 64)
            if not chunk:
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                self.commands.append((line.decode(), time.clock_gettime_ns(time.CLOCK_MONOTONIC)))
                if self.answer:
                    os.write(self.ack_fd, b"ack\n\0")


def test_perf_is_enabled_before_and_disabled_after_the_target(tmp_path, script):
    perf = FakePerf(tmp_path)
    out = tmp_path / "out.json"
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(script), str(out), "raise"], tmp_path, env=perf.env())
    assert r.returncode == 1
    assert [c for c, _ in perf.commands] == ["enable", "disable"]
    target_time = json.loads(out.read_text())["t"]
    assert perf.commands[0][1] < target_time < perf.commands[1][1]
    sync = json.loads((tmp_path / "sync.json").read_text())
    assert sync["perf"]["enabled_ns"] < target_time < sync["perf"]["disabled_ns"]


def test_a_silent_perf_does_not_hang_the_target(tmp_path, script):
    perf = FakePerf(tmp_path, answer=False)
    out = tmp_path / "out.json"
    env = dict(perf.env(), PER4M_PERF_TIMEOUT_S="0.5")
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(script), str(out)], tmp_path, env=env)
    assert r.returncode == 0
    assert r.stdout == "target says hi\n"
    assert "per4m: perf did not acknowledge 'enable'" in r.stderr
    assert [c for c, _ in perf.commands] == ["enable"]


@pytest.mark.parametrize("name", ["contention", "numpy_release", "io_release", "starvation"])
def test_examples_end_on_their_own_and_report_their_run(tmp_path, name):
    if name == "numpy_release":
        pytest.importorskip("numpy")
    # the timeout only turns a hang (an example that never ends) into a failure; it says nothing about speed
    r = run_runner(viz_args(tmp_path, viztracer=False) + ["--module", f"per4m.examples.{name}"], tmp_path,
                   timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(name + ":")


@pytest.mark.parametrize("target, files, message", [
    (["--module", "no_such_module"], {}, "No module named no_such_module"),
    (["broken.py"], {"broken.py": "x = (\n"}, "SyntaxError"),
    (["imports.py"], {"imports.py": "import json\nimport no_such_module\n"}, "No module named 'no_such_module'"),
    (["--import", "json,no_such_module", "fine.py"], {"fine.py": "pass\n"}, "--import no_such_module"),
])
def test_a_target_that_cannot_start_leaves_no_started_mark(tmp_path, target, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    marker = tmp_path / "started"
    r = run_runner(viz_args(tmp_path, viztracer=False) + target, tmp_path, env={"PER4M_STARTED_FILE": str(marker)})
    assert r.returncode == 1, r.stderr
    assert message in r.stderr
    assert not marker.exists()


def test_a_target_that_started_leaves_the_mark_also_when_it_fails(tmp_path, script):
    marker = tmp_path / "started"
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(script), str(tmp_path / "out.json"), "raise"], tmp_path,
                   env={"PER4M_STARTED_FILE": str(marker)})
    assert r.returncode == 1 and "ValueError: target failed" in r.stderr
    assert marker.exists()
    # an import error inside a function call is the program failing, not failing to start
    late = tmp_path / "late.py"
    late.write_text("def main():\n    import no_such_module\nmain()\n")
    marker.unlink()
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(late)], tmp_path, env={"PER4M_STARTED_FILE": str(marker)})
    assert r.returncode == 1 and "No module named 'no_such_module'" in r.stderr
    assert marker.exists()


NAMED_THREADS = """
import json, sys, threading
ids = {}
def work(rename):
    ids[threading.current_thread().name] = threading.get_native_id()
    if rename:
        threading.current_thread().name = "renamed-while-running"
ts = [threading.Thread(target=work, args=(False,), name="worker-a"),
      threading.Thread(target=work, args=(True,), name="worker-b")]
for t in ts:
    t.start()
for t in ts:
    t.join()
ids["MainThread"] = threading.get_native_id()
json.dump(ids, open(sys.argv[1], "w"))
"""


def test_thread_names_by_os_thread_id_take_their_last_value(tmp_path):
    script = tmp_path / "named.py"
    script.write_text(NAMED_THREADS)
    ids_file = tmp_path / "ids.json"
    r = run_runner(viz_args(tmp_path, viztracer=False) + [str(script), str(ids_file)], tmp_path)
    assert r.returncode == 0, r.stderr
    ids = json.loads(ids_file.read_text())  # what each thread saw as its own OS thread id
    names = json.loads((tmp_path / "sync.json").read_text())["threads"]
    assert names[str(ids["worker-a"])] == "worker-a"
    assert names[str(ids["worker-b"])] == "renamed-while-running"
    assert names[str(ids["MainThread"])] == "MainThread"


def test_thread_names_put_threading_back():
    sys.path.insert(0, str(SHIM))
    try:
        from per4m.runner import ThreadNames
    finally:
        sys.path.remove(str(SHIM))
    original = threading.Thread.start
    names = ThreadNames()
    names.start()
    assert threading.Thread.start is not original
    t = threading.Thread(target=lambda: None, name="short-lived")
    t.start()
    t.join()
    recorded = names.stop()
    assert threading.Thread.start is original
    assert recorded[str(t.native_id)] == "short-lived"


def test_a_module_missing_from_the_environment_comes_from_the_fallback_path(tmp_path):
    carried = tmp_path / "carried" / "carriedpkg"
    carried.mkdir(parents=True)
    (carried / "__init__.py").write_text("")
    (carried / "hello.py").write_text("import sys\nprint('carried copy', __name__)\n")
    fallback = ["--fallback-path", str(tmp_path / "carried")]
    r = run_runner(viz_args(tmp_path, viztracer=False) + fallback + ["-m", "carriedpkg.hello"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "carried copy __main__\n"
    without = run_runner(viz_args(tmp_path, viztracer=False) + ["-m", "carriedpkg.hello"], tmp_path)
    assert without.returncode == 1 and "No module named 'carriedpkg'" in without.stderr
    # a package the environment has wins over the carried copy
    own = tmp_path / "work" / "carriedpkg"
    own.mkdir(parents=True)
    (own / "__init__.py").write_text("")
    (own / "hello.py").write_text("print('own copy')\n")
    r = run_runner(viz_args(tmp_path, viztracer=False) + fallback + ["-m", "carriedpkg.hello"], tmp_path / "work")
    assert r.stdout == "own copy\n", r.stderr
