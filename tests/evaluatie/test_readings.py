"""The report reads a short series by its change since the baseline, and explains the readings."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest

from npdw_learning.evaluatie import report, steps, views
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.vertellen.stories import STORIES_DIR

# Synthetic later figures for Wielwijk (baseline 2022 in Bijlage 3); the baseline is
# delivered again with its sample size, so both ends of these series carry n.
PARTNER = """indicator,area,year,value,n,se,source,note
arbeidsparticipatie,wielwijk,2022,58,1500,,synthetisch-test,synthetisch
arbeidsparticipatie,wielwijk,2025,66,1500,,synthetisch-test,synthetisch
angst-depressie-risico,wielwijk,2022,16,400,,synthetisch-test,synthetisch
angst-depressie-risico,wielwijk,2025,17,400,,synthetisch-test,synthetisch
bijstand,wielwijk,2025,50.1,,,synthetisch-test,synthetisch
"""


@pytest.fixture
def shown(monkeypatch):
    texts: list[str] = []

    def collect(bundle, section, **extra):
        texts.append(bundle.get("text/markdown") or bundle.get("text/html") or "")

    monkeypatch.setattr(report, "_display", collect)
    return texts


@pytest.fixture(scope="module")
def with_partner(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("partner")
    data = tmp / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("README.md", "demo"))
    (data / "measurements" / "partner.csv").write_text(PARTNER, encoding="utf-8")
    with (data / "measurements" / "deliveries.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - file: partner.csv\n    delivered: 2026-02-01\n    supplier: test\n")
    run = steps.Run.from_parameters(2026, data, STORIES_DIR, tmp / "uit", None, False)
    return run, steps.tellen_step(run)


def test_tellen_step_writes_changes_and_breaks(with_partner):
    run, step = with_partner
    changes = pd.read_csv(run.tables_dir / "changes.csv")
    assert (run.tables_dir / "breaks.csv").exists()
    got = changes.set_index(["indicator", "area"])
    assert got.loc[("arbeidsparticipatie", "wielwijk"), ["test", "verdict"]].tolist() == [
        "two_proportion",
        "improving",
    ]
    assert got.loc[("angst-depressie-risico", "wielwijk"), "verdict"] == "no_significant_change"
    # The baseline of bijstand has no population behind it: the change, without a test.
    assert got.loc[("bijstand", "wielwijk"), ["test", "verdict"]].tolist() == ["none", "no_test"]
    assert got.loc[("bijstand", "wielwijk"), "change"] == pytest.approx(50.1 - 57.7)
    assert len(changes) == 3 and len(step.changes) == 3


def test_a_short_series_shows_its_change_not_only_too_few(with_partner, shown):
    run, step = with_partner
    views.show_tellen(run, step)
    html = "\n".join(shown)
    assert "verbeterd: +8,00 sinds 2022 (" in html
    assert "-7,60 sinds 2022; veranderd, foutmarge onbekend" in html
    assert "geen duidelijke verandering: +1,00 sinds 2022" in html
    assert any("hebben er 1 een nulmeting en een latere meting" in t for t in shown)


def test_summary_reads_the_changes(with_partner, shown, tmp_path):
    run, step = with_partner
    empty = tmp_path / "verhalen"
    empty.mkdir()
    run = steps.Run.from_parameters(2026, run.data_dir, empty, run.out_dir, None, False)
    steps.vertellen_step(run)
    joint = steps.joint_step(run)
    assert len(joint.changes) == 3
    cells = joint.matrix.set_index(["indicator", "area"])
    # Too short for a trend: the matrix shows each change since the baseline.
    assert cells.loc[("arbeidsparticipatie", "wielwijk"), ["reading", "outcome"]].tolist() == [
        "change",
        "improving",
    ]
    assert cells.loc[("bijstand", "wielwijk"), "outcome"] == "no_test"
    assert cells.loc[("angst-depressie-risico", "wielwijk"), "outcome"] == "no_significant_change"
    assert set(joint.matrix["area"]) == {*run.areas, run.registry.aggregate_id}
    shown.clear()
    views.show_summary(run, joint)
    # The sentences are shown escaped: drop the Markdown backslashes to read them.
    text = next(t for t in shown if "reeksen zijn nog niet te beoordelen" in t).replace("\\", "")
    assert "1 heeft wel een latere meting, maar geen steekproefgrootte of standaardfout" in text
    assert "de verandering sinds de nulmeting (2)." in text


def test_readings_state_the_constants_the_code_uses(with_partner, shown, monkeypatch):
    run, step = with_partner
    views.show_readings(run, step)
    text = shown[-1]
    assert "Drie manieren om de cijfers te lezen" in text
    assert f"vanaf {views.verantwoording.MIN_POINTS} metingen" in text
    assert f"voor {run.registry.start_year} en" in text
    assert "kleiner dan 5%" in text
    assert "3 een verandering sinds de nulmeting (waarvan 2 met een bekende foutmarge)" in text
    monkeypatch.setattr(views.verantwoording, "MIN_POINTS", 6)
    monkeypatch.setattr(views.verantwoording, "FDR_ALPHA", 0.01)
    monkeypatch.setattr(views.verantwoording, "MIN_PRE_POINTS", 7)
    later = dataclasses.replace(run.registry, start_year=2027)
    views.show_readings(dataclasses.replace(run, registry=later), step)
    text = shown[-1]
    assert "vanaf 6 metingen" in text and "bij 2 tot 5 metingen" in text
    assert "kleiner dan 1%" in text and "minstens 7 metingen voor 2027" in text


def test_reference_label_from_yaml_stays_text(with_partner, shown):
    run, step = with_partner
    areas = run.registry.areas.copy()
    areas.loc[areas["id"] == run.registry.reference, "label"] = "<b>[Dordt](x)</b>"
    poisoned = dataclasses.replace(run, registry=dataclasses.replace(run.registry, areas=areas))
    views.show_readings(poisoned, step)
    assert "<b>" not in shown[-1] and "&lt;b&gt;" in shown[-1]


def test_break_reading_lists_only_the_series_that_bent(with_partner, shown):
    import types

    from npdw_learning.tellen.breaks import break_table

    run, step = with_partner
    years = list(range(2016, 2027))
    flat = [5.0, 5.2, 4.9, 5.1, 5.0, 5.2, 4.9, 5.1]
    rows = [
        ("arbeidsparticipatie", "wielwijk", [*flat, 8.0, 8.1, 8.3]),  # jumps up: better
        ("arbeidsparticipatie", "crabbehof", [*flat, 5.0, 5.1, 5.0]),  # follows the line
    ]
    m = pd.concat(
        pd.DataFrame({"indicator": i, "area": a, "year": years, "value": v, "se": float("nan")})
        for i, a, v in rows
    )
    breaks = break_table(m, run.registry.higher_is_better, run.registry.start_year)
    fake = types.SimpleNamespace(**{**vars(step), "breaks": breaks})
    views.show_tellen(run, fake)
    text = "\n".join(shown)
    assert "Bij 2 reeksen (de wijk zelf, en haar verschil met Dordrecht)" in text
    assert "Bij 1 valt de laatste meting buiten de 95%-marge" in text
    assert text.count(views.cijfers.BREAK_NL["better_than_trend"]) == 1
    assert views.cijfers.BREAK_NL["as_trend"] not in text
