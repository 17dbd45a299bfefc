"""Executes every notebook in notebooks/ (outputs are not kept in git); each ends in assertions."""
import os
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import BUILD, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("STRATA_ROOT", str(ROOT))
    monkeypatch.setenv("STRATA_BUILD", str(BUILD))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(BUILD / "python"), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    assert any("ok" in "".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                assert not c.outputs and c.execution_count is None, f"{path.name}: strip outputs before committing"
