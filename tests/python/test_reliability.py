"""Nothing lost, nothing left behind, nothing overwritten: giltracer and the converters under signals, kills, a
failing perf, a full disk and hostile output paths, with real perf and real probes.

After every run: no process of the run alive (found by the run id in their environment and the run's folder
names in their command lines, so other people's perf and python are never looked at), no temp folder, partial
output or probe of the run, and /dev/null still a character device.
"""
import gzip
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, needs_engine
from run_leftovers import (UPROBE_EVENTS, append_uprobe_line, dev_null_is_a_device, probe_groups, probes_of,
                           processes_of, temp_folders_of)

VENV_BIN = Path(sys.executable).parent
GILTRACER = str(VENV_BIN / "giltracer")
PER4M = str(VENV_BIN / "per4m")
TMP = Path(os.environ.get("TMPDIR", "/tmp"))
RESOURCES = ROOT / "src" / "test" / "resources" / "fixtures"

pytestmark = [
    needs_engine,
    pytest.mark.skipif(os.geteuid() != 0, reason="perf uprobes need root (CI runs as root)"),
    pytest.mark.skipif(not UPROBE_EVENTS.exists(), reason="tracefs is not mounted"),
]

# Runs until told to stop, calling Python functions all the while, so that there is a trace to save.
LONG_TARGET = textwrap.dedent("""
    import time
    def work():
        return sum(range(200))
    print("started", flush=True)
    end = time.time() + 120
    while time.time() < end:
        work()
        time.sleep(0.001)
""")


def partials(folder: Path) -> list:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def assert_nothing_left(pid: int, out_dir: Path, wait_s: float = 15):
    """What a killed run leaves is removed by watchers that act within seconds: give them that long."""
    deadline = time.time() + wait_s
    while time.time() < deadline:
        left = processes_of(pid), temp_folders_of(pid), probes_of(pid), partials(out_dir)
        if not any(left):
            break
        time.sleep(0.2)
    assert processes_of(pid) == [], "processes of the run still alive"
    assert temp_folders_of(pid) == [], "temp folders of the run left behind"
    assert probes_of(pid) == [], "probes of the run left behind"
    assert partials(out_dir) == [], "partial outputs left behind"
    assert dev_null_is_a_device()


class Giltracer:
    """giltracer started in the background, its output in files."""

    def __init__(self, tmp_path: Path, *args, env=None):
        self.dir = tmp_path
        self.stdout_path, self.stderr_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen([GILTRACER, "-q", "-o", str(tmp_path / "out"), *args], cwd=tmp_path,
                                            stdout=out, stderr=err, start_new_session=True,
                                            env=env if env is not None else os.environ.copy())
        self.pid = self.process.pid

    def stdout(self):
        return self.stdout_path.read_text()

    def stderr(self):
        return self.stderr_path.read_text()

    def wait_for_output(self, text: str, timeout=60):
        deadline = time.time() + timeout
        while text not in self.stdout():
            assert self.process.poll() is None, f"giltracer ended early: {self.stderr()}"
            assert time.time() < deadline, f"no {text!r} from the target: {self.stderr()}"
            time.sleep(0.05)

    def wait(self, timeout=90):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait()
            raise

    def outputs_complete(self):
        trace = json.loads((self.dir / "out.json").read_text())
        summary = json.loads((self.dir / "out.summary.json").read_text())
        html = (self.dir / "out.html").read_text()
        return trace, summary, html


@pytest.fixture
def busy_cores():
    """Both cores busy with loops of our own while the test runs: signals must work on a loaded machine."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    yield
    for loop in loops:
        loop.kill()
        loop.wait()


@pytest.fixture
def long_target(tmp_path):
    script = tmp_path / "long_target.py"
    script.write_text(LONG_TARGET)
    return script


def planted_link(tmp_path: Path, name: str):
    """A sticky, world-writable folder (like /tmp) where someone planted `name`, a link to a file of ours."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / f"victim-{name}"
    victim.write_text("precious")
    (shared / name).symlink_to(victim)
    return shared, victim


def private_probe_args():
    """A group no setup made: giltracer adds private probes (per4m_<pid>) for the run and must remove them."""
    return ["--probe-group", f"h10a_none_{os.getpid()}"]


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_signal_to_giltracer_ends_the_target_and_still_writes_the_report(tmp_path, long_target, busy_cores, sig,
                                                                             code):
    run = Giltracer(tmp_path, *private_probe_args(), str(long_target))
    run.wait_for_output("started")
    time.sleep(0.5)
    assert probes_of(run.pid), "the run should record with private probes"
    os.kill(run.pid, sig)
    assert run.wait() == code, run.stderr()
    trace, summary, html = run.outputs_complete()
    assert summary["threads"] and summary["process"]["span_us"] > 400_000, summary["process"]
    assert any(e.get("name", "").startswith("work (") for e in trace["traceEvents"]), "viztracer's trace is in the report"
    assert "</html>" in html
    assert "Traceback" not in run.stderr() or sig == signal.SIGINT
    assert_nothing_left(run.pid, tmp_path)


def test_sigkill_to_giltracer_leaves_no_target_perf_probes_or_folders(tmp_path, long_target, busy_cores):
    run = Giltracer(tmp_path, *private_probe_args(), str(long_target))
    run.wait_for_output("started")
    time.sleep(0.5)
    assert processes_of(run.pid) and temp_folders_of(run.pid) and probes_of(run.pid)
    os.kill(run.pid, signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    assert_nothing_left(run.pid, tmp_path)
    assert not (tmp_path / "out.json").exists()


# Ends as soon as it has written a large viztracer trace (a long post-processing), and has a helper of its own
# signal giltracer the moment the target's process is gone: the signal lands while the report is being written.
SIGNAL_AFTER_EXIT_TARGET = textwrap.dedent("""
    import os, subprocess, sys
    def f(i):
        return i
    for i in range(300_000):
        f(i)
    WATCHER = ("import os, sys, time\\n"
               "target, engine, sig = map(int, sys.argv[1:])\\n"
               "print('watching', flush=True)\\n"
               "while os.path.exists(f'/proc/{target}'):\\n"
               "    time.sleep(0.001)\\n"
               "os.kill(engine, sig)\\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PER4M_")}
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(os.getpid()), str(os.getppid()), sys.argv[1]],
                               env=env, start_new_session=True, stdout=subprocess.PIPE)
    # end only once the watcher watches: on a busy machine its start could outlast the report's writing
    watcher.stdout.readline()
""")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_after_the_target_ended_still_writes_the_report(tmp_path, sig):
    script = tmp_path / "ends_then_signals.py"
    script.write_text(SIGNAL_AFTER_EXIT_TARGET)
    run = Giltracer(tmp_path, str(script), str(int(sig)))
    assert run.wait() == 128 + sig, run.stderr()
    trace, summary, html = run.outputs_complete()
    calls = sum(1 for e in trace["traceEvents"] if e.get("name", "").startswith("f ("))
    assert calls == 300_000, "the whole viztracer trace is in the merged trace"
    assert "</html>" in html and summary["threads"]
    assert_nothing_left(run.pid, tmp_path)


def test_perf_failing_to_start_leaves_no_target_running(tmp_path, long_target):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake_perf = fake_bin / "perf"
    fake_perf.write_text('#!/bin/sh\nif [ "$1" = record ]; then echo "perf: broken on purpose" >&2; exit 1; fi\n'
                         'exec /usr/bin/perf "$@"\n')
    fake_perf.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake_bin}:{os.environ['PATH']}")
    marker = tmp_path / "target-ran"
    script = tmp_path / "marks.py"
    script.write_text(textwrap.dedent(f"""
        import time
        from pathlib import Path
        time.sleep(3)
        Path({str(marker)!r}).write_text("ran")
    """))
    run = Giltracer(tmp_path, str(script), env=env)
    assert run.wait() == 2, run.stderr()
    assert "perf record failed to start: perf: broken on purpose" in run.stderr(), run.stderr()
    assert_nothing_left(run.pid, tmp_path)
    time.sleep(3.5)
    assert not marker.exists(), "the target went on running after perf failed"
    assert temp_folders_of(run.pid) == [], "the killed target recreated the temp folder"


def test_output_into_a_missing_folder_fails_before_the_target_runs(tmp_path):
    marker = tmp_path / "target-ran"
    script = tmp_path / "marks.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    done = subprocess.run([GILTRACER, "-o", str(tmp_path / "missing" / "out"), str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"giltracer: cannot write {tmp_path}/missing/out.json: folder "
                                   f"{tmp_path}/missing does not exist")
    assert not marker.exists()


def test_a_symlink_in_a_shared_folder_is_refused_before_the_target_runs(tmp_path):
    shared, victim = planted_link(tmp_path, "out.html")
    marker = tmp_path / "target-ran"
    script = tmp_path / "marks.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    done = subprocess.run([GILTRACER, "-o", str(shared / "out"), str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "is a symbolic link in" in done.stderr and "others can write to" in done.stderr, done.stderr
    assert not marker.exists()
    assert victim.read_text() == "precious" and (shared / "out.html").is_symlink()


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_names_the_file_and_leaves_nothing(tmp_path, small_disk):
    run = Giltracer(small_disk, "-m", "per4m.examples.contention")
    code = run.wait()
    assert code == 2, run.stderr()
    last = run.stderr().strip().splitlines()[-1]
    assert last.startswith(f"giltracer: cannot write {small_disk}/out.") and "No space left on device" in last, last
    assert_nothing_left(run.pid, small_disk)


def test_the_next_run_removes_what_killed_runs_left(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale_folder = TMP / f"per4m-giltracer-{dead.pid}-h10a"
    (stale_folder / "per4m-perf-x").mkdir(parents=True)
    take_gil = next(line for line in UPROBE_EVENTS.read_text().splitlines() if line.startswith("p:python/take_gil "))
    location = take_gil.split(" ", 1)[1]
    stale_group, live_group = f"per4m_{dead.pid}", f"per4m_{os.getpid()}"
    try:
        for group in (stale_group, live_group):
            append_uprobe_line(f"p:{group}/take_gil {location}")
        assert {stale_group, live_group} <= probe_groups()
        done = subprocess.run([GILTRACER, "-q", "-o", str(tmp_path / "out"), "-m", "json.tool", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=90)
        assert done.returncode == 0, done.stderr
        assert not stale_folder.exists()
        assert stale_group not in probe_groups()
        assert live_group in probe_groups(), "a live process's private probes stay"
    finally:
        for group in (stale_group, live_group):
            if group in probe_groups():
                append_uprobe_line(f"-:{group}/take_gil")
        subprocess.run(["rm", "-rf", str(stale_folder)])


def test_a_user_without_root_is_told_what_is_missing_and_what_to_run(tmp_path):
    jar = ROOT / "target" / "per4m.jar"
    tmp_path.chmod(0o755)
    done = subprocess.run(["runuser", "-u", "nobody", "--", "java", "-jar", str(jar), "giltracer",
                           "--python", "/usr/bin/python3", "-o", "/tmp/h10a-nobody-out", "-m", "json.tool"],
                          cwd="/tmp", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "giltracer: the GIL probes are out of reach: /sys/kernel/tracing/uprobe_events is readable by root only; "
        "run giltracer as root (sudo giltracer ...), or without the probes (--no-gil-detect --state-detect); "
        "'per4m doctor' lists what users need")
    assert not list(Path("/tmp").glob("h10a-nobody-out*"))


# ---- outputs of the converters -------------------------------------------------------------------------------

@pytest.fixture
def perf_script_text(tmp_path):
    text = tmp_path / "gil.txt"
    text.write_bytes(gzip.decompress((RESOURCES / "gil_ns_pid.txt.gz").read_bytes()))
    return text


def perf2trace(*args, **kwargs):
    return subprocess.run([PER4M, "perf2trace", "gil", *args], capture_output=True, timeout=60, **kwargs)


def test_a_character_device_is_written_in_place(tmp_path, perf_script_text):
    # a device node of our own (the same as /dev/null): a bug here must not cost the machine its /dev/null
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = perf2trace(str(perf_script_text), "-o", str(null), "--summary-json", str(null))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null.stat().st_mode)
    assert partials(tmp_path) == []
    assert dev_null_is_a_device()


def test_a_fifo_is_written_in_place(tmp_path, perf_script_text):
    fifo = tmp_path / "trace.fifo"
    os.mkfifo(fifo)
    received = tmp_path / "received.json"
    with open(received, "wb") as sink, subprocess.Popen(["cat", str(fifo)], stdout=sink) as reader:
        done = perf2trace(str(perf_script_text), "-o", str(fifo))
        reader.wait(10)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received.read_text())["traceEvents"]


def test_dash_is_standard_output(tmp_path, perf_script_text):
    done = perf2trace(str(perf_script_text), "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    trace = json.loads(done.stdout)  # the table went to stderr, not into the JSON
    assert trace["per4m"]["threads"]
    assert b"GIL wait%" in done.stderr
    assert not (tmp_path / "-").exists()


def test_a_symlink_in_a_private_folder_is_followed_and_kept(tmp_path, perf_script_text):
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    done = perf2trace(str(perf_script_text), "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["traceEvents"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the replaced file keeps its permissions"


def test_a_symlink_in_a_shared_folder_is_neither_followed_nor_replaced(tmp_path, perf_script_text):
    shared, victim = planted_link(tmp_path, "out.json")
    done = perf2trace(str(perf_script_text), "-o", str(shared / "out.json"))
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        f"perf2trace: cannot write {shared}/out.json: it is a symbolic link in {shared}, a folder others can "
        "write to, and is not followed there; remove it or write elsewhere")
    assert victim.read_text() == "precious" and (shared / "out.json").is_symlink()
    assert partials(shared) == []


def test_an_existing_file_is_replaced_whole(tmp_path, perf_script_text):
    out = tmp_path / "out.json"
    out.write_text("old")
    old_inode = out.stat().st_ino
    done = perf2trace(str(perf_script_text), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_ino != old_inode, "written beside it and renamed over it"
    assert json.loads(out.read_text())["traceEvents"]
    assert partials(tmp_path) == []


def test_report_writes_to_standard_output_and_devices_in_place(tmp_path, perf_script_text):
    trace = tmp_path / "t.json"
    assert perf2trace(str(perf_script_text), "-o", str(trace)).returncode == 0
    done = subprocess.run([PER4M, "report", str(trace), "-o", "-"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip().startswith("<!DOCTYPE html>") and done.stdout.rstrip().endswith("</html>")
    assert not (tmp_path / "-").exists()
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = subprocess.run([PER4M, "report", str(trace), "-o", str(null)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null.stat().st_mode) and dev_null_is_a_device()


def test_offgil_writes_devices_in_place_and_refuses_a_shared_symlink(tmp_path):
    offgil = str(VENV_BIN / "offgil")
    stacks = str(RESOURCES / "offgil_dwarf.txt")
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = subprocess.run([offgil, stacks, "--svg", str(null), "--folded", str(null)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null.stat().st_mode) and dev_null_is_a_device()
    shared, victim = planted_link(tmp_path, "out.svg")
    done = subprocess.run([offgil, stacks, "--svg", str(shared / "out.svg")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "others can write to" in done.stderr, done.stderr
    assert victim.read_text() == "precious"
