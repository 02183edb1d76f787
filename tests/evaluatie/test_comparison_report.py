"""The report's side of issue 24: Dordt West against comparable neighbourhoods.

The engine's four tables are built by hand here (:mod:`comparison_tables`, the columns
of CONTRACT24 §2), so these tests run without the engine: reading them back, the
status matrix's new first reading and everything that consumes the readings, the
figure per pillar, the chapter and its Verantwoording, and outside text kept literal.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from comparison_tables import HOSTILE_NAMES, comparison_tables, write_tables
from PIL import Image

from npdw_learning.evaluatie import comparison as cmp
from npdw_learning.evaluatie import joint, steps, summary, views, vorigjaar, wijktaal
from npdw_learning.evaluatie.labels import COMPARISON_NL
from npdw_learning.evaluatie.leersessie import _worse
from npdw_learning.evaluatie.status import (
    CELL_STYLES,
    GRADE_COLOURS,
    READINGS,
    matrix_alt,
    status_cells,
)
from npdw_learning.kern.errors import InputError
from npdw_learning.kern.page import FIGURE_MAX_HEIGHT_MM, MIN_TEXT_PT, TEXT_WIDTH_MM
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.national_run import write_comparison_tables

REG = ProgrammeFolder.bundled().registry
HOODS = REG.areas.loc[REG.areas["kind"] == "neighbourhood", "id"].tolist()
AREAS = [*HOODS, REG.aggregate_id]
# Four indicators of two pillars: verdicts better, as, worse, insufficient (synthetic judges).
CHOSEN = REG.indicators[REG.indicators["pillar"].isin(["werk", "veilig"])].groupby("pillar").head(2)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return comparison_tables(CHOSEN, AREAS, start_year=REG.start_year)


# -- reading the tables --------------------------------------------------------------------


def test_without_comparison_csv_there_is_no_comparison(tmp_path):
    assert cmp.read_comparison(tmp_path) is None
    assert cmp.read_comparison(tmp_path / "nergens") is None


def test_the_tables_read_back_as_written(tmp_path, tables):
    folder = write_tables(tables, tmp_path / "tables")
    read = cmp.read_comparison(folder)
    assert list(read.comparison.columns) == cmp.COMPARISON_COLUMNS
    assert len(read.comparison) == len(tables["comparison"])
    assert read.members["region_code"].str.startswith("WK").all()  # codes stay text
    assert read.paths["year"].dtype.kind == "i"
    assert read.ranking is not None and len(read.ranking) == len(CHOSEN)
    # A companion table missing reads as empty; no ranking reads as None.
    (folder / "balance.csv").unlink()
    (folder / f"{cmp.RANKING}.csv").unlink()
    thinner = cmp.read_comparison(folder)
    assert thinner.balance.empty and list(thinner.balance.columns) == cmp.BALANCE_COLUMNS
    assert thinner.ranking is None


def test_a_table_off_the_contract_is_an_error_naming_file_row_and_column(tmp_path, tables):
    folder = write_tables(tables, tmp_path / "tables")
    broken = tables["comparison"].drop(columns=["q_value"])
    broken.to_csv(folder / "comparison.csv", index=False)
    with pytest.raises(InputError) as err:
        cmp.read_comparison(folder)
    assert "comparison.csv" in str(err.value) and "q_value" in str(err.value)
    bad = tables["comparison"].copy()
    bad.loc[2, "verdict"] = "much_better"
    bad.to_csv(folder / "comparison.csv", index=False)
    with pytest.raises(InputError) as err:
        cmp.read_comparison(folder)
    [finding] = err.value.findings
    assert (finding.row, finding.column) == (4, "verdict")  # header is row 1
    assert "much_better" in finding.message


# -- one verdict per cell, and the matrix ----------------------------------------------------


def _rows(*rows):
    return pd.DataFrame(rows, columns=["indicator", "area", "method", "verdict"])


def test_a_cell_takes_matched_and_synthetic_only_where_matched_cannot_judge():
    got = cmp.cell_verdicts(
        _rows(
            ("a", "x", "matched", "as_comparison"),
            ("a", "x", "synthetic", "better_than_comparison"),  # matched judged: it wins
            ("b", "x", "synthetic", "worse_than_comparison"),
            ("b", "x", "matched", "insufficient_data"),  # synthetic steps in
            ("c", "x", "matched", "insufficient_data"),
            ("c", "x", "synthetic", "insufficient_data"),
        )
    )
    chosen = {(r.indicator, r.method, r.verdict) for r in got.itertuples()}
    assert chosen == {
        ("a", "matched", "as_comparison"),
        ("b", "synthetic", "worse_than_comparison"),
        ("c", "matched", "insufficient_data"),
    }
    assert cmp.cell_verdicts(None).empty and cmp.cell_verdicts(pd.DataFrame()).empty


def test_the_comparison_comes_first_and_steps_aside_where_it_cannot_judge():
    indicators = pd.DataFrame({"id": ["i"], "pillar": ["werk"]})
    progress = pd.DataFrame(
        {"indicator": "i", "area": ["x", "y", "z"], "target_type": "parity", "status": "on_track"}
    )
    compared = _rows(
        ("i", "x", "matched", "as_comparison"),
        ("i", "y", "matched", "insufficient_data"),
        ("i", "y", "synthetic", "insufficient_data"),
    )
    cells = status_cells(indicators, ["x", "y", "z"], progress, None, comparison=compared)
    got = dict(
        zip(cells["area"], zip(cells["reading"], cells["outcome"], strict=True), strict=True)
    )
    assert got == {
        "x": ("comparison", "as_comparison"),  # before the target's progress
        "y": ("progress", "on_track"),
        "z": ("progress", "on_track"),
    }
    assert cells["has_target"].all()  # the target is still known
    assert READINGS[0] == "comparison"
    alt = matrix_alt(cells, pd.DataFrame({"id": ["werk"], "label": ["Werk"]}), {}, ["x", "y", "z"])
    assert "vergelijking met vergelijkbare wijken in 1 (1 zoals vergelijkbare wijken)" in alt


def test_each_outcome_sits_on_the_scale_with_a_symbol_of_its_own():
    grades = {o: CELL_STYLES[("comparison", o)].grade for o in cmp.VERDICTS[:3]}
    assert grades == {
        "better_than_comparison": 1,
        "as_comparison": 0,
        "worse_than_comparison": -2,
    }
    assert set(grades.values()) <= set(GRADE_COLOURS)
    for outcome in grades:
        assert CELL_STYLES[("comparison", outcome)].label == COMPARISON_NL[outcome]


def test_the_status_matrix_draws_its_legend_with_the_new_reading(tmp_path, tables, monkeypatch):
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from npdw_learning.evaluatie.status import draw_status_matrix

    cells = status_cells(REG.indicators, AREAS, None, None, comparison=tables["comparison"])
    assert (cells["reading"] == "comparison").sum() == len(CHOSEN) * len(AREAS)
    drawn = []
    original = Figure.savefig

    def keep(fig, *a, **k):
        drawn.append(fig)
        return original(fig, *a, **k)

    monkeypatch.setattr(Figure, "savefig", keep)
    columns = {a: REG.area_labels()[a] for a in AREAS}
    path = draw_status_matrix(
        cells, REG.indicators, REG.pillars, columns, tmp_path / "m.png", synthetic=True
    )
    texts = [t.get_text() for t in drawn[0].findobj(Text)]
    assert "Vergelijking met vergelijkbare wijken:" in texts
    assert {COMPARISON_NL[o] for o in cmp.VERDICTS[:3]} <= set(texts)
    with Image.open(path) as img:
        assert 25.4 * img.size[1] / img.info["dpi"][0] <= FIGURE_MAX_HEIGHT_MM


# -- everything that consumes the readings ---------------------------------------------------


def test_every_consumer_of_the_readings_knows_the_comparison():
    cells = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "area": "x",
            "reading": "comparison",
            "outcome": ["better_than_comparison", "as_comparison", "worse_than_comparison"],
        }
    )
    directions = joint.series_directions(cells)["direction"].tolist()
    assert directions == ["improving", "no_significant_trend", "worsening"]
    assert joint.reading_counts(["trend", "comparison", "trend"]) == "comparison=1;trend=2"
    assert vorigjaar.cell_grade("comparison:worse_than_comparison") == -2
    assert (
        vorigjaar.value_label("cell", "comparison:as_comparison") == COMPARISON_NL["as_comparison"]
    )
    assert _worse({"after": "comparison:worse_than_comparison"})
    assert not _worse({"after": "comparison:better_than_comparison"})
    better = wijktaal.reading_sentence("comparison", "better_than_comparison")
    assert "beter" in better and wijktaal.forbidden_words(better) == []
    from npdw_learning.evaluatie.views.samen import numbers_in_words

    row = SimpleNamespace(
        numbers_direction="verbetering", series=3, improving=2, worsening=0, no_trend=1
    )
    assert "vergelijking 1" in numbers_in_words(row, "comparison=1;trend=2")


def test_the_summary_says_where_a_target_shows_the_comparison():
    cells = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "pillar": "werk",
            "area": "x",
            "reading": ["comparison", "progress"],
            "outcome": ["better_than_comparison", "on_track"],
            "has_target": [True, True],
            "grade": pd.array([1, 2], dtype="Int64"),
        }
    )
    text = summary._progress(cells)
    assert "Van de 1 reeksen waarvan de voortgang" in text
    assert "Bij 1 reeksen met een doel voor 2043 toont het overzicht de vergelijking" in text
    assert "nog niet te beoordelen" not in summary._not_judged(cells)


# -- the figure ------------------------------------------------------------------------------


def test_one_figure_per_pillar_with_paths_at_print_size_and_the_same_bytes(tmp_path, tables):
    from npdw_learning.tellen.comparison_figure import save_comparison_figures

    paths = tables["comparison_paths"]
    kwargs = {"area_labels": REG.area_labels(), "areas": AREAS, "start_year": REG.start_year}
    first = save_comparison_figures(paths, REG.indicators, REG.pillars, tmp_path / "a", **kwargs)
    again = save_comparison_figures(paths, REG.indicators, REG.pillars, tmp_path / "b", **kwargs)
    assert list(first) == ["werk", "veilig"]  # registry order, only pillars with paths
    for pillar, path in first.items():
        assert path.read_bytes() == again[pillar].read_bytes()
        with Image.open(path) as img:
            width, height = img.size
            dpi = img.info["dpi"][0]
        assert 25.4 * width / dpi == pytest.approx(TEXT_WIDTH_MM, abs=0.5)
        assert 25.4 * height / dpi <= FIGURE_MAX_HEIGHT_MM
    none = save_comparison_figures(
        paths.iloc[0:0], REG.indicators, REG.pillars, tmp_path / "c", **kwargs
    )
    assert none == {}


def test_the_figure_has_no_text_under_7_pt_and_draws_outside_text_as_text(tables):
    from matplotlib.text import Text

    from npdw_learning.tellen.comparison_figure import plot_comparison_pillar

    labels = {**REG.area_labels(), "wielwijk": "$x^2$ <b>Wielwijk</b>"}
    fig = plot_comparison_pillar(
        tables["comparison_paths"],
        REG.indicators,
        "werk",
        pillar_label="<script>x</script>",
        area_labels=labels,
        areas=AREAS,
        start_year=REG.start_year,
        marks={(CHOSEN["id"].iloc[0], "wielwijk"): "≻ +3,00"},
        synthetic=True,
    )
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    assert min(t.get_fontsize() for t in texts) >= MIN_TEXT_PT
    shown = {t.get_text() for t in texts}
    assert {"$x^2$ <b>Wielwijk</b>", "<script>x</script>", "≻ +3,00"} <= shown
    # One row per indicator of the pillar with a path, one column per area.
    assert len(fig.axes) == 2 * len(AREAS)


# -- the chapter ----------------------------------------------------------------------------


def _run(tmp_path: Path, *, demo: bool = False) -> SimpleNamespace:
    """What the chapter reads of a run; ``demo`` without a national file: the demo panel."""
    return SimpleNamespace(
        registry=REG,
        areas=HOODS,
        tables_dir=tmp_path / "tables",
        figures_dir=tmp_path / "figures",
        folder=ProgrammeFolder.bundled(),
        national=None,
        demo=demo,
    )


def test_the_chapter_says_so_when_the_comparison_wijken_are_invented(tmp_path, shown, tables):
    for demo in (False, True):
        run = _run(tmp_path / str(demo), demo=demo)
        write_tables(tables, run.tables_dir)
        step = steps.comparison_step(run)
        assert step.invented is demo
        shown.clear()
        views.show_comparison(run, step)
        text = "\n".join(t for _, t in shown)
        assert ("de vergelijkingswijken hier zijn verzonnen" in text) is demo


def test_without_a_national_file_one_sentence_says_why_and_nothing_is_drawn(tmp_path, shown):
    run = _run(tmp_path)
    step = steps.comparison_step(run, synthetic=True)
    assert step.tables is None and step.figures == {}
    views.show_comparison(run, step)
    assert [section for section, _ in shown] == ["verantwoording"]
    text = shown[0][1]
    assert "geen landelijk bestand is meegegeven" in text
    assert "npdw evaluate --national BESTAND" in text
    assert not (tmp_path / "figures").exists()


def test_the_chapter_shows_verdicts_figures_ranking_and_its_verantwoording(tmp_path, shown, tables):
    run = _run(tmp_path)
    write_tables(tables, run.tables_dir)
    step = steps.comparison_step(run, synthetic=True)
    assert set(step.figures) == {"werk", "veilig"}
    views.show_comparison(run, step)
    sections = [section for section, _ in shown]
    assert sections[0] == "vergelijking"  # the chapter's title
    assert {"vergelijking", "leeswijzer", "verantwoording"} == set(sections)
    text = "\n".join(t for _, t in shown)
    assert "Van de 20 reeksen (indicator x gebied) met een vergelijking zijn er 20" in text
    # the 4th indicator: matched cannot judge, the synthetic one can (marked *)
    assert "beter dan vergelijkbare wijken: +3,00 (+1,50 tot +4,50) *" in text
    assert text.count("<img") == 2  # a figure per pillar with paths
    assert "Plaats tussen de NPLV-gebieden" in text and "1 van 21" in text
    assert "Geen loting" in text and "Overloop" in text and "Definities" in text
    assert "Benjamini-Hochberg" in text
    assert "niveau voor de start" in text  # the balance, by its labels


def test_outside_text_reaches_the_report_literally_and_the_csv_inertly(tmp_path, shown):
    one = REG.indicators[REG.indicators["pillar"] == "werk"].head(1)
    tables = comparison_tables(one, AREAS, start_year=REG.start_year, hostile=True)
    tables[cmp.RANKING]["label"] = HOSTILE_NAMES[2]
    run = _run(tmp_path)
    result = SimpleNamespace(
        comparison=tables["comparison"],
        members=tables["comparison_members"],
        balance=tables["balance"],
        paths=tables["comparison_paths"],
    )
    written = write_comparison_tables(result, tables[cmp.RANKING], run.tables_dir)
    assert [p.name for p in written] == [f"{n}.csv" for n in [*cmp.TABLES.values(), cmp.RANKING]]
    # CSV: the formula stays text in a spreadsheet, and reads back as it was.
    with (run.tables_dir / "comparison_members.csv").open(encoding="utf-8") as handle:
        names = [row["region_name"] for row in csv.DictReader(handle)]
    assert f"'{HOSTILE_NAMES[2]}" in names and HOSTILE_NAMES[2] not in names
    assert HOSTILE_NAMES[2] in set(cmp.read_comparison(run.tables_dir).members["region_name"])
    views.show_comparison(run, steps.comparison_step(run))
    html = "\n".join(t for _, t in shown).replace("<wbr>", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Wijk Noord" in html
    assert "<script" not in html
    assert "[klik hier](https://voorbeeld.example/x)" in html  # shown, not a link
    assert "<a " not in html
    assert "=HYPERLINK(&quot;https://voorbeeld.example&quot;" in html


# -- end to end: a run with the tables, laid out for print ---------------------------------

DRIVER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from comparison_tables import comparison_tables, write_tables
from npdw_learning.evaluatie import runner
from npdw_learning.kern.programme import ProgrammeFolder

reg = ProgrammeFolder.bundled().registry
hoods = list(reg.areas.loc[reg.areas["kind"] == "neighbourhood", "id"])
one = reg.indicators[reg.indicators["pillar"] == "werk"].head(1)
tables = comparison_tables(one, [*hoods, reg.aggregate_id], hostile=True)
tables["nplv_ranking"]["label"] = "=HYPERLINK(1)"
made = runner.new_build

def seeded(out):  # the lead's glue writes the tables here, before the notebooks run
    build = made(out)
    write_tables(tables, Path(build) / "tables")
    return build

runner.new_build = seeded
# No demo series: with them and no national file the run would compute its own (synthetic)
# comparison in 01_tellen and write over the seeded tables.
runner.evaluate(2026, out_dir=Path(sys.argv[1]), demo=False, no_previous=True)
"""


@pytest.mark.slow
def test_a_run_with_the_tables_shows_the_chapter_literal_and_within_the_page(tmp_path):
    import subprocess
    import sys

    from npdw_learning.evaluatie.pdf import layout, overflowing_boxes

    out = tmp_path / "2026"
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(out), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    page = (out / "rapport.html").read_text(encoding="utf-8")
    assert "Dordt West vergeleken met vergelijkbare wijken" in page
    assert (out / "figures" / "vergelijking_werk.png").exists()
    flat = page.replace("<wbr>", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Wijk Noord" in flat
    assert "<script" not in page.lower()
    assert "[klik hier](https://voorbeeld.example/x)" in flat
    assert "=HYPERLINK(1)" in flat
    matrix = pd.read_csv(out / "tables" / "statusoverzicht.csv")
    assert (matrix["reading"] == "comparison").sum() == len(AREAS)
    assert overflowing_boxes(layout(page)) == []
