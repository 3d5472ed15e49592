"""The workshop notebooks as stored: they open unmodified in JupyterLab and Notebook 7 and carry no outputs."""
import json

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_with_cell_ids_and_without_outputs(notebook):
    nb = json.loads(notebook.read_text())
    # nbformat 4.5 made cell ids required: a front end adds missing ones and marks the notebook modified
    assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5)
    ids = [cell.get("id") for cell in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), ids
    assert nb["metadata"]["kernelspec"]["name"] == "per4m"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"]


def test_traces_written_next_to_a_notebook_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "per4m-traces/" in ignored  # anywhere, notebooks/ included
