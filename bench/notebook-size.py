"""How much per4m's reports weigh in a saved notebook: runs the workshop notebooks (notebooks/*.ipynb) the way a
teacher checks them (`per4m run-notebook`, a real kernel traced with real perf), and one notebook holding six
reports (the traced cells of all three, twice), then prints each saved notebook's size beside its size without
per4m's outputs, and how many of each cell's events the notebook's copy of the timeline holds.

    sudo .venv/bin/python bench/notebook-size.py          # needs root (perf uprobes) and target/per4m.jar
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python-shim"))
from per4m.engine import find_jar, find_java  # noqa: E402

SUMMARY = "application/vnd.per4m.summary+json"
WORKSHOP = sorted((ROOT / "notebooks").glob("*.ipynb"))
CUT = re.compile(r'class="per4m-cut" data-shown="(\d+)" data-total="(\d+)"')


def per4m_output(output: dict) -> bool:
    return SUMMARY in output.get("data", {})


def without_per4m(nb: dict) -> dict:
    stripped = json.loads(json.dumps(nb))
    for cell in stripped["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [o for o in cell["outputs"] if not per4m_output(o)]
    return stripped


def serialized(nb: dict) -> int:
    """Bytes as Jupyter saves a notebook (nbformat: one-space indent, UTF-8)."""
    return len((json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode())


def six_reports() -> dict:
    """The workshop's cells in one notebook, twice over: six full reports (and the quiet cell's links, twice)."""
    notebooks = [json.loads(p.read_text()) for p in WORKSHOP]
    cells, loaded = [], False
    for _ in range(2):
        for nb in notebooks:
            for cell in nb["cells"]:
                if "".join(cell["source"]).strip() == "%load_ext per4m":
                    if loaded:
                        continue
                    loaded = True
                cells.append(dict(cell, id=f"c{len(cells)}"))
    return dict(notebooks[0], cells=cells)


def run(notebook: Path) -> dict:
    done = subprocess.run([find_java(), "-jar", str(find_jar()), "run-notebook", str(notebook), "--python", sys.executable],
                          cwd=notebook.parent, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        sys.exit(f"{notebook.name} did not run: {done.stdout}{done.stderr}")
    return json.loads(notebook.read_text())


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="per4m-nbsize-"))
    try:
        runs = [(p.name, p.read_text()) for p in WORKSHOP] + [("six-reports.ipynb", json.dumps(six_reports(), indent=1))]
        print(f"{'notebook':34} {'reports':>7} {'saved':>10} {'without per4m':>14} {'per4m':>9}   timeline events in the notebook")
        for name, text in runs:
            folder = work / Path(name).stem
            folder.mkdir()
            (folder / name).write_text(text)
            nb = run(folder / name)
            outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"] if per4m_output(o)]
            cuts = [CUT.search(html.unescape("".join(o["data"].get("text/html", "")))) for o in outputs]
            shown = ", ".join(f"{int(m[1]):,} of {int(m[2]):,}" for m in cuts if m) or "-"
            size, bare = (folder / name).stat().st_size, serialized(without_per4m(nb))
            print(f"{name:34} {len(outputs):>7} {size / 1024:>8.1f} KB {bare / 1024:>11.1f} KB {(size - bare) / 1024:>6.1f} KB   {shown}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
