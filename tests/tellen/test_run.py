"""The one writer of the tellen outputs, shared by ``npdw trends`` and the tellen notebook."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")  # headless: must precede pyplot, also when run outside `make test`

import pandas as pd
import pytest

from npdw_learning.cli import main
from npdw_learning.evaluatie.steps import Run, tellen_step
from npdw_learning.kern.atomic import read_csv
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen import run as tellen_run
from npdw_learning.tellen.figures import FIGURE_DPI
from npdw_learning.tellen.measurements import load_measurements
from npdw_learning.tellen.run import TellenOutputs, run_tellen, write_tellen_outputs

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def reg():
    return ProgrammeFolder.bundled().registry


@pytest.fixture(scope="module")
def baseline(reg):
    """The bundled baseline only: one year, so every figure is quick to draw."""
    loaded = load_measurements(reg, ProgrammeFolder.bundled().root)
    return loaded, run_tellen(reg, loaded)


def test_writes_the_five_tables_and_one_figure_per_pillar(tmp_path, reg, baseline):
    loaded, result = baseline
    written = write_tellen_outputs(
        reg, loaded, result, tables_dir=tmp_path / "t", figures_dir=tmp_path / "f"
    )
    assert isinstance(written, TellenOutputs)
    assert {name: p.name for name, p in written.tables.items()} == {
        "trends": "trends.csv",
        "changes": "changes.csv",
        "breaks": "breaks.csv",
        "progress": "progress.csv",
        "data_quality": "data_quality.csv",
    }
    assert all(p.parent == tmp_path / "t" for p in written.tables.values())
    assert list(written.figures) == reg.pillars["id"].tolist()
    for pillar, path in written.figures.items():
        assert path == tmp_path / "f" / f"tellen_{pillar}.png"
        assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert read_csv(written.tables["trends"])["indicator"].tolist() == (
        result.trends["indicator"].tolist()
    )
    assert len(read_csv(written.tables["progress"])) == len(result.progress)
    assert len(read_csv(written.tables["changes"])) == len(result.changes)
    assert len(read_csv(written.tables["breaks"])) == len(result.breaks)
    # data_quality.csv holds the load's findings, and the writer returns them.
    pd.testing.assert_frame_equal(written.findings, loaded.findings_frame())
    assert len(read_csv(written.tables["data_quality"])) == len(loaded.findings)


def test_figures_draw_the_chosen_neighbourhoods_and_the_aggregate(
    tmp_path, monkeypatch, reg, baseline
):
    calls = []

    def record(*args, **kwargs):
        calls.append(kwargs)
        return []

    monkeypatch.setattr(tellen_run, "save_pillar_figures", record)
    loaded, result = baseline
    where = {"tables_dir": tmp_path, "figures_dir": tmp_path / "f"}
    write_tellen_outputs(reg, loaded, result, **where)
    write_tellen_outputs(reg, loaded, result, areas=["wielwijk"], **where)
    hoods = reg.areas.loc[reg.areas["kind"] == "neighbourhood", "id"].tolist()
    assert calls[0]["areas"] == [*hoods, reg.aggregate_id]
    assert calls[1]["areas"] == ["wielwijk", reg.aggregate_id]
    assert {c["dpi"] for c in calls} == {FIGURE_DPI}
    assert {c["reference"] for c in calls} == {reg.reference}
    assert {c["synthetic"] for c in calls} == {False}


def test_npdw_trends_and_the_tellen_step_write_the_same_files(tmp_path, monkeypatch, capsys):
    """The drift this writer ended: the same data give the same tables and figures.

    The figures are recorded, not drawn: both callers must ask for the same
    drawing (save_pillar_figures itself is byte-for-byte reproducible, see
    test_figures.py).
    """
    calls = []

    def record(measurements, indicators, progress, pillars, out_dir, **kwargs):
        calls.append((measurements, progress, kwargs))
        return []

    monkeypatch.setattr(tellen_run, "save_pillar_figures", record)
    cli_out = tmp_path / "cli"
    assert main(["trends", "--demo", "--year", "2026", "--out", str(cli_out)]) == 0
    run = Run.from_parameters(year=2026, out_dir=tmp_path / "stap", demo=True)
    tellen_step(run)
    for name in ("trends.csv", "progress.csv", "data_quality.csv"):
        assert (cli_out / name).read_bytes() == (run.tables_dir / name).read_bytes(), name
    (cli_m, cli_p, cli_kw), (step_m, step_p, step_kw) = calls
    pd.testing.assert_frame_equal(cli_m, step_m)
    pd.testing.assert_frame_equal(cli_p, step_p)
    assert cli_kw == step_kw
    assert cli_kw["dpi"] == FIGURE_DPI and cli_kw["synthetic"] is True
    # Each keeps its own extra files.
    assert (cli_out / "run.json").exists() and not (run.out_dir / "run.json").exists()
    assert (run.tables_dir / "vervangen_waarden.csv").exists()
    assert not (cli_out / "vervangen_waarden.csv").exists()
