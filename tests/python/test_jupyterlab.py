"""The workshop notebooks in a real JupyterLab, driven in headless Chromium as a participant uses them.

`tests/jupyterlab/workshop.js` starts JupyterLab from the project's .venv on 127.0.0.1 (random port and token) over
copies of notebooks/*.ipynb in a temporary folder, with the "Python 3 (per4m)" kernel installed as `make demo` does;
it opens each notebook (right kernel, not modified), runs every cell with Shift+Enter, waits for each traced cell's
report to draw its timeline, hovers a GIL slice (tooltip), zooms with the wheel, saves with Ctrl+S, reloads and sees
the reports again, and opens a copy the server did not sign (untrusted) to see the note instead of the report.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, needs_engine

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = [
    needs_engine,
    pytest.mark.skipif(os.geteuid() != 0, reason="the traced cells record with perf uprobes, which need root"),
    pytest.mark.skipif(shutil.which("perf") is None, reason="perf is not installed"),
    pytest.mark.skipif(shutil.which("node") is None or not (ROOT / "tests/report/node_modules").is_dir(),
                       reason="node and the report tests' packages are needed (scripts/bootstrap.sh installs them)"),
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.skipif(importlib.util.find_spec("jupyterlab") is None or Path(sys.prefix) != ROOT / ".venv",
                       reason="JupyterLab in the project's .venv is needed (scripts/bootstrap.sh installs it)"),
]


def test_workshop_notebooks_in_jupyterlab():
    done = subprocess.run(["node", str(ROOT / "tests/jupyterlab/workshop.js")], cwd=ROOT, capture_output=True,
                          text=True, timeout=1800)
    print(done.stdout)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-4000:]
    assert done.stdout.rstrip().endswith(f"ok: {len(list((ROOT / 'notebooks').glob('*.ipynb')))} notebook(s)")
