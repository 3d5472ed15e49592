"""How much per4m's reports weigh in a saved notebook: runs the workshop notebooks (notebooks/*.ipynb) the way a
teacher checks them (`per4m run-notebook`, a real kernel traced with real perf), and one notebook holding six
reports (the traced cells of all three, twice), then prints each notebook's size as run-notebook wrote it and as
Jupyter saves it (JupyterLab's save: a JSON string per line), beside its size without per4m's outputs, and how many of each cell's events the notebook's copy of the timeline holds. A last notebook
has six cells of some 30 000 events each, far over the budget of events a notebook embeds.

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


def lines(text):
    return text.splitlines(True) if isinstance(text, str) else text


def serialized(nb: dict) -> int:
    """Bytes as Jupyter saves a notebook (nbformat's writes: text split into a JSON string per line, one-space
    indent, sorted keys, UTF-8), whatever form run-notebook wrote it in."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        cell["source"] = lines(cell["source"])
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                if not mime.endswith("json"):
                    output["data"][mime] = lines(value)
            if "text" in output:
                output["text"] = lines(output["text"])
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


def six_heavy_cells() -> dict:
    """Six cells of some 30 000 events each (two threads making 25 000 calls): every timeline over the budget."""
    heavy = ("%%giltracer\nimport threading\n\ndef f(i):\n    return i\n\ndef work():\n    for i in range(12500):\n"
             "        f(i)\n\nthreads = [threading.Thread(target=work) for _ in range(2)]\n"
             "for t in threads: t.start()\nfor t in threads: t.join()")
    nb = json.loads(WORKSHOP[0].read_text())
    code = lambda source, i: {"cell_type": "code", "id": f"h{i}", "metadata": {}, "source": source, "outputs": [],
                              "execution_count": None}
    return dict(nb, cells=[code("%load_ext per4m", 0)] + [code(heavy, i) for i in range(1, 7)])


def run(notebook: Path) -> dict:
    done = subprocess.run([find_java(), "-jar", str(find_jar()), "run-notebook", str(notebook), "--python", sys.executable],
                          cwd=notebook.parent, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        sys.exit(f"{notebook.name} did not run: {done.stdout}{done.stderr}")
    return json.loads(notebook.read_text())


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="per4m-nbsize-"))
    try:
        runs = [(p.name, p.read_text()) for p in WORKSHOP] + [("six-reports.ipynb", json.dumps(six_reports(), indent=1)),
                                                               ("six-heavy-cells.ipynb", json.dumps(six_heavy_cells(), indent=1))]
        print(f"{'notebook':24} {'reports':>7} {'run-notebook':>12} {'Jupyter saves':>13} {'without per4m':>13}"
              "   timeline events in the notebook")
        for name, text in runs:
            folder = work / Path(name).stem
            folder.mkdir()
            (folder / name).write_text(text)
            nb = run(folder / name)
            outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"] if per4m_output(o)]
            cuts = [CUT.search(html.unescape("".join(o["data"].get("text/html", "")))) for o in outputs]
            shown = ", ".join(f"{int(m[1]):,} of {int(m[2]):,}" for m in cuts if m) or "-"
            written, saved, bare = (folder / name).stat().st_size, serialized(nb), serialized(without_per4m(nb))
            print(f"{Path(name).stem[:24]:24} {len(outputs):>7} {written / 1024:>9.1f} KB {saved / 1024:>10.1f} KB"
                  f" {bare / 1024:>10.1f} KB   {shown}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
