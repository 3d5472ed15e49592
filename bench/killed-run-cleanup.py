"""How soon a giltracer run killed with SIGKILL leaves nothing behind: no process, temp folder, partial output or
private probe of the run (found by its pid only; run as root, from the repository: .venv/bin/python bench/killed-run-cleanup.py)."""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "python"))
from run_leftovers import probes_of, processes_of, temp_folders_of  # noqa: E402

GILTRACER = str(Path(sys.executable).with_name("giltracer"))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def one_run() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "t.py").write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
        # a group no setup made: the run adds private probes, which must go too
        run = subprocess.Popen([GILTRACER, "-q", "--probe-group", "bench_absent", "-o", str(folder / "out"),
                                str(folder / "t.py")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        run.stdout.readline()
        time.sleep(0.5)
        assert probes_of(run.pid), "the run records with private probes"
        killed = time.monotonic()
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        while (processes_of(run.pid) or temp_folders_of(run.pid) or probes_of(run.pid)
               or list(folder.glob(".*.part"))):
            time.sleep(0.01)
        return time.monotonic() - killed


seconds = [one_run() for _ in range(RUNS)]
print(f"SIGKILL to nothing left of the run: {min(seconds):.1f}–{max(seconds):.1f} s over {RUNS} runs "
      f"(load average {os.getloadavg()[0]:.1f})")
