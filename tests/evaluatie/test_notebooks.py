"""The notebooks: committed clean, thin, parameterised, and run by nbval."""

from __future__ import annotations

import ast

import nbformat
import pytest

from npdw_learning.evaluatie.runner import NOTEBOOKS_DIR, load_notebook_list

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PARAMETERS = {"year", "data_dir", "stories_dir", "out_dir", "areas", "demo"}


def test_the_notebook_list_names_every_notebook_in_run_order():
    listed = [s.file for s in load_notebook_list()]
    assert listed == [p.name for p in NOTEBOOKS]
    assert listed == sorted(listed)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: uitvoer in cel {cell.id}"
            assert cell.execution_count is None
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_the_six_parameters(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = {
        t.id for node in ast.parse(tagged[0].source).body for t in getattr(node, "targets", [])
    }
    assert assigned == PARAMETERS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_no_definitions_and_report_prose_present(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            assert not any(
                isinstance(n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                for n in ast.walk(tree)
            ), f"{path.name}: definitions belong in the package"
    tags = {t for c in nb.cells for t in c.metadata.get("tags", [])}
    assert any(t.startswith("rapport:") for t in tags), "no prose for the report"


def _cells(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_plain_text_twin_in_sync(path):
    """The percent-format script holds the same cells, text and tags (`jupytext --sync`)."""
    import jupytext

    twin = path.with_suffix(".py")
    assert twin.exists(), f"{twin.name} ontbreekt: `make lab` of `jupytext --sync {path}`"
    assert nbformat.read(path, as_version=4).metadata["jupytext"]["formats"] == "ipynb,py:percent"
    assert _cells(jupytext.read(twin)) == _cells(nbformat.read(path, as_version=4)), (
        f"{path.name} en {twin.name} lopen uiteen: `.venv/bin/jupytext --sync notebooks/*.ipynb`"
    )


def test_the_twin_check_sees_a_changed_line(tmp_path):
    import jupytext

    path = NOTEBOOKS[0]
    text = path.with_suffix(".py").read_text(encoding="utf-8")
    changed = tmp_path / "twin.py"
    changed.write_text(text.replace("run = steps.Run", "run = steps.Run  # edited", 1), "utf-8")
    assert "# edited" in changed.read_text(encoding="utf-8")
    assert _cells(jupytext.read(changed)) != _cells(nbformat.read(path, as_version=4))
