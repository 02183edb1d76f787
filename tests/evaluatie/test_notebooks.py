"""The notebooks: committed clean, thin, parameterised, and run by nbval."""

from __future__ import annotations

import ast

import nbformat
import pytest

from npdw_learning.evaluatie.runner import NOTEBOOKS_DIR, load_notebook_list

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PARAMETERS = {
    *("year", "data_dir", "stories_dir", "out_dir", "areas", "demo", "previous", "national"),
}


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
def test_one_parameters_cell_with_the_eight_parameters(path):
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


# -- papermill: every parameter as the command line gives it -------------------------------


def _parameters_cell(path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_parameters_cell_shows_the_papermill_option_of_each_parameter(path):
    """The comment behind each parameter says how papermill passes it (one source:
    ``parameters.PAPERMILL``), and the cell names a whole command for this notebook."""
    from npdw_learning.evaluatie.parameters import PAPERMILL

    source = _parameters_cell(path)
    assert set(PAPERMILL) == PARAMETERS
    for line in source.splitlines():
        name = line.split("=")[0].strip()
        if name in PARAMETERS:
            assert f"papermill: {PAPERMILL[name]}" in line, line
    assert f".venv/bin/papermill notebooks/{path.name} " in source
    assert "-y 'areas: [wielwijk, crabbehof]'" in source


def _prepared(tmp_path, args: list[str]) -> dict:
    """The parameters a notebook sees when papermill runs it with ``args``: papermill's own
    command line (``--prepare-only``: parameters injected, nothing executed), then the
    parameters cell and the injected cell evaluated in that order, as the kernel would."""
    import subprocess
    import sys

    out = tmp_path / "voorbereid.ipynb"
    proc = subprocess.run(
        [sys.executable, "-m", "papermill", str(NOTEBOOKS[0]), str(out), "--prepare-only"] + args,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    nb = nbformat.read(out, as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            exec(cell.source, namespace)  # the notebook's own parameter cells
    return {name: namespace[name] for name in PARAMETERS}


def test_papermill_options_as_documented_reach_the_run(tmp_path, monkeypatch):
    """The partner's command: ``-p areas '["wielwijk","crabbehof"]'`` arrives as text and
    is read as the list it says (it used to be split into characters)."""
    import shlex

    from npdw_learning.evaluatie.parameters import PAPERMILL
    from npdw_learning.evaluatie.steps import Run
    from npdw_learning.kern.paths import PROJ_ROOT

    args = [a for name in sorted(PAPERMILL) for a in shlex.split(PAPERMILL[name])]
    given = _prepared(tmp_path, args)
    assert given["areas"] == '["wielwijk", "crabbehof"]'  # text, as papermill passes it
    monkeypatch.chdir(PROJ_ROOT)  # papermill's kernel runs where papermill was started
    assert given["national"] == "landelijk.parquet"  # a file the run checks exists
    run = Run.from_parameters(**(given | {"national": None}))
    assert run.areas == ["wielwijk", "crabbehof"]
    assert (run.year, run.demo) == (2025, False)
    assert run.data_dir.resolve() == (PROJ_ROOT / "data").resolve()
    # The YAML form gives a list already; the same run.
    as_yaml = _prepared(tmp_path, ["-y", "areas: [wielwijk, crabbehof]"])
    assert Run.from_parameters(**as_yaml).areas == ["wielwijk", "crabbehof"]


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ('["wielwijk","crabbehof"]', ["wielwijk", "crabbehof"]),
        ("[wielwijk, crabbehof]", ["wielwijk", "crabbehof"]),
        ("wielwijk,crabbehof", ["wielwijk", "crabbehof"]),
        ("wielwijk", ["wielwijk"]),
        (["crabbehof"], ["crabbehof"]),
    ],
)
def test_areas_as_text_or_list(areas, expected):
    from npdw_learning.evaluatie.steps import Run

    assert Run.from_parameters(areas=areas).areas == expected


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"areas": '["wielwijk", "crabbehof"'}, 'parameter areas: \'["wielwijk", "crabbehof"\''),
        ({"areas": "[wielwijk, [crabbehof]]"}, "is geen lijst van wijken (JSON of YAML)"),
        ({"areas": '["wielwijk", "sterrenburg"]'}, "onbekende wijk(en) in areas: sterrenburg"),
        ({"year": "twintig"}, "parameter year: 'twintig' is geen jaartal"),
        ({"demo": "misschien"}, "parameter demo: 'misschien' is geen True of False"),
    ],
)
def test_a_parameter_that_cannot_be_read_is_refused_in_dutch(parameters, message):
    from npdw_learning.evaluatie.steps import Run
    from npdw_learning.kern.errors import InputError

    with pytest.raises(InputError) as refused:
        Run.from_parameters(**parameters)
    assert message in str(refused.value)
    if "parameter areas" in message:
        assert '-p areas \'["wielwijk", "crabbehof"]\'' in str(refused.value)
        assert "-y 'areas: [wielwijk, crabbehof]'" in str(refused.value)


@pytest.mark.parametrize(
    ("year", "demo", "allowed"),
    [
        (1900, True, "kies een jaar van 2015 tot en met 2027"),
        (2028, True, "kies een jaar van 2015 tot en met 2027"),
        (2014, True, "kies een jaar van 2015 tot en met 2027"),
        # Without the demo series: the baseline (2018-2023) and the stories (2024-2026).
        (2017, False, "kies een jaar van 2018 tot en met 2027"),
    ],
)
def test_a_year_outside_the_data_is_refused_with_the_range(year, demo, allowed):
    from npdw_learning.evaluatie.steps import Run
    from npdw_learning.kern.errors import InputError

    with pytest.raises(InputError) as refused:
        Run.from_parameters(year=year, demo=demo)
    text = str(refused.value)
    assert text.startswith(f"jaar {year} ligt buiten de gegevens: de metingen lopen van ")
    assert "de verhalen lopen van 2024 tot en met 2026" in text
    assert allowed in text


@pytest.mark.parametrize(("year", "demo"), [(2015, True), (2027, True), (2018, False)])
def test_the_first_year_and_one_after_the_last_are_allowed(year, demo):
    from npdw_learning.evaluatie.steps import Run

    assert Run.from_parameters(year=year, demo=demo).year == year


# -- JupyterLab: saving changes nothing that did not change ---------------------------------


def _jupytext_config() -> dict:
    import tomllib

    from npdw_learning.kern.paths import PROJ_ROOT

    with open(PROJ_ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["jupytext"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_holds_the_jupytext_settings_of_pyproject(path):
    """JupyterLab's jupytext copies these settings into a notebook when it opens it; a
    notebook that holds them already is saved as it was."""
    assert nbformat.read(path, as_version=4).metadata["jupytext"] == _jupytext_config()


def _project_copy(tmp_path):
    import shutil

    from npdw_learning.kern.paths import PROJ_ROOT

    root = tmp_path / "project"
    shutil.copytree(NOTEBOOKS_DIR, root / "notebooks")
    shutil.copy(PROJ_ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def _lab_save(root, names) -> None:
    """What JupyterLab does on save, through jupytext's contents manager (the one `make lab`
    runs): open the notebook as the browser gets it, and save that back."""
    from jupytext import TextFileContentsManager

    manager = TextFileContentsManager(root_dir=str(root))
    for name in names:
        model = manager.get(f"notebooks/{name}", content=True)
        manager.save({"type": "notebook", "content": model["content"]}, f"notebooks/{name}")


def _snapshot(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "notebooks").glob("0*.*"))}


def test_a_jupyterlab_save_leaves_notebook_and_twin_as_they_were(tmp_path):
    root = _project_copy(tmp_path)
    before = _snapshot(root)
    _lab_save(root, [p.name for p in NOTEBOOKS])
    assert _snapshot(root) == before
    assert (root / "notebooks" / ".ipynb_checkpoints").is_dir()  # Lab's copies: git-ignored


def test_the_save_check_sees_settings_written_into_the_metadata(tmp_path):
    """Without the settings in the notebook (as before), the same save adds them."""
    root = _project_copy(tmp_path)
    path = root / "notebooks" / NOTEBOOKS[0].name
    nb = nbformat.read(path, as_version=4)
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    nbformat.write(nb, path)
    before = path.read_bytes()
    _lab_save(root, [path.name])
    assert path.read_bytes() != before
    assert nbformat.read(path, as_version=4).metadata["jupytext"] == _jupytext_config()


def test_jupytext_sync_twice_changes_nothing(tmp_path):
    from jupytext.cli import jupytext as jupytext_cli

    root = _project_copy(tmp_path)
    before = _snapshot(root)
    for _ in range(2):
        notebooks = sorted((root / "notebooks").glob("0*.ipynb"))
        jupytext_cli(["--sync", "--quiet", *map(str, notebooks)])
        assert _snapshot(root) == before


def test_jupyterlab_checkpoints_are_ignored_by_git():
    import shutil
    import subprocess

    from npdw_learning.kern.paths import PROJ_ROOT

    if shutil.which("git") is None or not (PROJ_ROOT / ".git").exists():
        pytest.skip("geen git-checkout")
    checkpoint = "notebooks/.ipynb_checkpoints/01_tellen-checkpoint.ipynb"
    proc = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", checkpoint], cwd=PROJ_ROOT, check=False
    )
    assert proc.returncode == 0, f"{checkpoint} staat niet in .gitignore"
    kept = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", "notebooks/01_tellen.ipynb"], cwd=PROJ_ROOT
    )
    assert kept.returncode == 1  # the notebook itself is not ignored
