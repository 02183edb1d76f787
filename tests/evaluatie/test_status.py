"""The status matrix of the Samenvatting: which reading each cell shows, its colours and
symbols, its shape on an A4 page and its alt text."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from npdw_learning.cli import main
from npdw_learning.evaluatie import steps
from npdw_learning.evaluatie.status import (
    CELL_STYLES,
    GRADE_COLOURS,
    READINGS,
    draw_status_matrix,
    matrix_alt,
    status_cells,
)
from npdw_learning.kern.page import FIGURE_MAX_HEIGHT_MM, MIN_TEXT_PT, TEXT_WIDTH_MM
from npdw_learning.kern.programme import ProgrammeFolder

# One indicator with a target, one without; areas a-f each reach a different reading.
INDICATORS = pd.DataFrame({"id": ["doel", "vrij"], "pillar": ["wonen", "veilig"]})
AREAS = ["a", "b", "c", "d", "e", "f"]


def _table(rows, columns):
    return pd.DataFrame(rows, columns=columns)


PROGRESS = _table(
    [
        ("doel", "a", "parity", "on_track"),
        ("doel", "b", "parity", "not_assessable"),
        ("doel", "c", "parity", "not_assessable"),
        ("vrij", "a", "none", "not_assessable"),
    ],
    ["indicator", "area", "target_type", "status"],
)
TRENDS = _table(
    [
        ("doel", "a", "worsening"),  # progress comes first
        ("doel", "b", "improving"),  # no status: the trend
        ("doel", "c", "insufficient_data"),
        ("doel", "d", "insufficient_data"),
        ("doel", "e", "insufficient_data"),
        ("vrij", "a", "no_significant_trend"),
    ],
    ["indicator", "area", "verdict"],
)
CHANGES = _table(
    [("doel", "c", "worsening"), ("vrij", "b", "no_test")], ["indicator", "area", "verdict"]
)
BREAKS = _table(
    [
        ("doel", "c", "level", "better_than_trend"),  # the change comes first
        ("doel", "d", "level", "worse_than_trend"),
        ("doel", "d", "gap", "better_than_trend"),  # the gap reading is not the cell's
        ("doel", "e", "level", "insufficient_data"),
    ],
    ["indicator", "area", "reading", "verdict"],
)


def cells(**tables) -> pd.DataFrame:
    given = {"progress": PROGRESS, "trends": TRENDS, "changes": CHANGES, "breaks": BREAKS}
    given.update(tables)
    return status_cells(INDICATORS, AREAS, **given)


def reading_of(frame: pd.DataFrame, indicator: str, area: str) -> tuple[str, str]:
    row = frame[(frame["indicator"] == indicator) & (frame["area"] == area)].iloc[0]
    return row["reading"], row["outcome"]


def test_each_cell_takes_the_first_reading_that_applies():
    got = cells()
    assert len(got) == len(INDICATORS) * len(AREAS)
    assert reading_of(got, "doel", "a") == ("progress", "on_track")
    assert reading_of(got, "doel", "b") == ("trend", "improving")
    assert reading_of(got, "doel", "c") == ("change", "worsening")
    assert reading_of(got, "doel", "d") == ("break", "worse_than_trend")
    assert reading_of(got, "doel", "e") == ("none", "insufficient_data")
    assert reading_of(got, "doel", "f") == ("none", "no_data")
    assert reading_of(got, "vrij", "a") == ("trend", "no_significant_trend")
    assert reading_of(got, "vrij", "b") == ("change", "no_test")
    # A target only where the progress table gives one.
    with_target = got.loc[got["has_target"], ["indicator", "area"]].values.tolist()
    assert with_target == [["doel", "a"], ["doel", "b"], ["doel", "c"]]


def test_each_reading_steps_aside_when_its_table_is_missing():
    assert reading_of(cells(progress=None), "doel", "a") == ("trend", "worsening")
    assert reading_of(cells(changes=pd.DataFrame()), "doel", "c") == ("break", "better_than_trend")
    none = cells(progress=None, trends=None, changes=None, breaks=None)
    assert set(none["reading"]) == {"none"} and set(none["outcome"]) == {"no_data"}
    assert none["grade"].isna().all() and not none["has_target"].any()


def test_grades_and_symbols_come_from_the_styles():
    got = cells()
    for row in got.itertuples(index=False):
        style = CELL_STYLES[(row.reading, row.outcome)]
        assert row.symbol == style.symbol
        assert (pd.isna(row.grade) and style.grade is None) or row.grade == style.grade
    assert reading_of(got, "vrij", "b") == ("change", "no_test")
    assert pd.isna(got.loc[(got["indicator"] == "vrij") & (got["area"] == "b"), "grade"].item())


def test_every_outcome_of_the_engine_has_a_style():
    from npdw_learning.evaluatie.comparison import VERDICTS as COMPARISON_VERDICTS
    from npdw_learning.tellen.breaks import BREAK_VERDICTS
    from npdw_learning.tellen.changes import CHANGE_VERDICTS
    from npdw_learning.tellen.progress import STATUSES
    from npdw_learning.tellen.trends import VERDICTS

    expected = {
        *(("comparison", v) for v in COMPARISON_VERDICTS if v != "insufficient_data"),
        *(("progress", s) for s in STATUSES if s != "not_assessable"),
        *(("trend", v) for v in VERDICTS if v != "insufficient_data"),
        *(("change", v) for v in CHANGE_VERDICTS),
        *(("break", v) for v in BREAK_VERDICTS if v != "insufficient_data"),
        ("none", "insufficient_data"),
        ("none", "no_data"),
    }
    assert set(CELL_STYLES) == expected
    assert {r for r, _ in CELL_STYLES} == set(READINGS)


# -- reads without colour, and with every kind of colour vision -----------------------


def test_every_outcome_has_its_own_symbol_so_the_figure_reads_in_black_and_white():
    symbols = [s.symbol for s in CELL_STYLES.values()]
    assert all(s.strip() for s in symbols)
    assert len(set(symbols)) == len(symbols)


# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "normaal": np.eye(3),
    "protanopie": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopie": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopie": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear sRGB colour."""
    to_xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = to_xyz @ np.clip(linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_lab_conversion_matches_known_values():
    assert _lab(_linear("#ffffff")) == pytest.approx([100, 0, 0], abs=0.05)
    assert _lab(_linear("#ff0000")) == pytest.approx([53.24, 80.09, 67.20], abs=0.1)


@pytest.mark.parametrize("vision", list(CVD))
def test_every_two_colours_stay_apart_under_colour_blindness(vision):
    labs = {g: _lab(CVD[vision] @ _linear(c)) for g, c in GRADE_COLOURS.items()}
    for a, b in itertools.combinations(labs, 2):
        # CIE76 distance: above 10 two patches are told apart at a glance.
        assert np.linalg.norm(labs[a] - labs[b]) > 12, (vision, a, b)
    lightness = {g: lab[0] for g, lab in labs.items()}
    # Stronger readings are darker on both sides of the scale, also as grey.
    assert lightness[2] < lightness[1] < lightness[0] < lightness[None]
    assert lightness[-2] < lightness[-1] < lightness[0]


def _contrast(a: str, b: str) -> float:
    def lum(h):
        return float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(h))

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_symbols_meet_wcag_contrast_on_their_cell():
    from npdw_learning.evaluatie import status

    for grade, fill in GRADE_COLOURS.items():
        ink = status._INK_ON_DARK if grade in status._DARK else status._INK
        assert _contrast(ink, fill) >= 4.5, (grade, fill)


# -- the figure and its alt text --------------------------------------------------------

REGISTRY = ProgrammeFolder.bundled().registry


def _full_matrix(**overrides) -> pd.DataFrame:
    """Every indicator of the bundled registry in four neighbourhoods and the aggregate."""
    areas = [*REGISTRY.areas.loc[REGISTRY.areas["kind"] == "neighbourhood", "id"]]
    trends = pd.DataFrame(
        [(i, a, "improving") for i in REGISTRY.indicators["id"] for a in areas],
        columns=["indicator", "area", "verdict"],
    )
    return status_cells(REGISTRY.indicators, [*areas, REGISTRY.aggregate_id], None, trends)


def test_the_figure_fits_an_a4_page_and_is_the_same_every_time(tmp_path):
    matrix = _full_matrix()
    labels = REGISTRY.area_labels()
    columns = {a: labels[a] for a in dict.fromkeys(matrix["area"])}
    first = draw_status_matrix(
        matrix, REGISTRY.indicators, REGISTRY.pillars, columns, tmp_path / "a.png", synthetic=True
    )
    again = draw_status_matrix(
        matrix, REGISTRY.indicators, REGISTRY.pillars, columns, tmp_path / "b.png", synthetic=True
    )
    assert first.read_bytes() == again.read_bytes()
    with Image.open(first) as img:
        width, height = img.size
        dpi = img.info["dpi"][0]
    # Drawn at the printed size: the A4 text width, within a page's height, sharp on paper.
    assert 25.4 * width / dpi == pytest.approx(TEXT_WIDTH_MM, abs=0.5)
    assert 25.4 * height / dpi <= FIGURE_MAX_HEIGHT_MM
    assert dpi >= 180


def test_no_text_in_the_figure_is_smaller_than_7_pt_on_paper(tmp_path, monkeypatch):
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    drawn = []
    original = Figure.savefig
    monkeypatch.setattr(
        Figure, "savefig", lambda fig, *a, **k: (drawn.append(fig), original(fig, *a, **k))[1]
    )
    matrix = _full_matrix()
    labels = REGISTRY.area_labels()
    columns = {a: labels[a] for a in dict.fromkeys(matrix["area"])}
    draw_status_matrix(
        matrix, REGISTRY.indicators, REGISTRY.pillars, columns, tmp_path / "a.png", synthetic=True
    )
    [fig] = drawn
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
    assert len(sizes) > 300 and min(sizes) >= MIN_TEXT_PT
    right = max(t.get_window_extent().x1 for t in fig.findobj(Text) if t.get_text().strip())
    assert right <= fig.bbox.x1 + 1  # the legend, wrapped, stays on the page


def test_hostile_labels_are_drawn_as_text(tmp_path):
    indicators = pd.DataFrame(
        {"id": ["x"], "pillar": ["wonen"], "label": ["$\\alpha$ <script>alert(1)</script>"]}
    )
    pillars = pd.DataFrame({"id": ["wonen"], "label": ["<b>Wonen</b> $x^2$"]})
    matrix = status_cells(indicators, ["a"], None, None)
    path = draw_status_matrix(matrix, indicators, pillars, {"a": "$a$"}, tmp_path / "x.png")
    assert path.exists() and path.stat().st_size > 0


def test_alt_text_counts_what_the_cells_show():
    got = cells()
    pillars = pd.DataFrame({"id": ["wonen", "veilig"], "label": ["Wonen", "Veilig"]})
    labels = {a: a.upper() for a in AREAS}
    alt = matrix_alt(got, pillars, labels, AREAS)
    assert "2 indicatoren in 2 pijlers (Wonen, Veilig)" in alt
    assert "tegen A, B, C, D, E, F als kolommen; 12 vakken" in alt
    assert "voortgang naar het doel in 1 (1 op koers)" in alt
    assert "trend in 2 (1 verbetert, 1 geen duidelijke trend)" in alt
    assert "verandering sinds de nulmeting in 2 (1 verslechterd, 1 veranderd, foutmarge" in alt
    assert "geen oordeel in 6 (1 te weinig metingen, 5 geen meting)" in alt
    changed = cells(progress=None)
    assert matrix_alt(changed, pillars, labels, AREAS) != alt
    assert "voortgang" not in matrix_alt(changed, pillars, labels, AREAS).split("lezing")[1]


# -- the columns come from the registry -------------------------------------------------


def test_a_new_programme_has_its_own_columns_and_nothing_to_judge(tmp_path):
    folder = tmp_path / "zuiderhaven"
    assert (
        main(
            [
                *("init", str(folder), "--name", "Programma Zuiderhaven"),
                *("--areas", "oostkade=Oostkade", "westkade=Westkade"),
                *("--reference", "havenstad=Havenstad", "--aggregate", "zuiderhaven=Zuiderhaven"),
            ]
        )
        == 0
    )
    run = steps.Run.from_parameters(2026, folder, None, tmp_path / "uit", None, False)
    assert steps.matrix_areas(run) == ["oostkade", "westkade", "zuiderhaven"]
    empty = pd.DataFrame(columns=["indicator", "area", "verdict"])
    matrix = status_cells(run.registry.indicators, steps.matrix_areas(run), None, empty)
    assert len(matrix) == 3 * len(run.registry.indicators)
    assert set(matrix["outcome"]) == {"no_data"}


def test_many_areas_get_one_wide_panel_so_the_names_keep_their_room():
    from npdw_learning.evaluatie.status import _panels

    matrix = _full_matrix()
    two = _panels(matrix, REGISTRY.pillars, 5)
    assert len(two) == 2 and sum(two, []) == list(REGISTRY.pillars["id"])
    # Pillars stay whole and the taller panel is as short as it can be.
    size = {p: 1 + int((REGISTRY.indicators["pillar"] == p).sum()) for p in two[0] + two[1]}
    order = list(size)
    splits = [
        max(sum(size[p] for p in order[:i]), sum(size[p] for p in order[i:]))
        for i in range(1, len(order))
    ]
    assert max(sum(size[p] for p in part) for part in two) == min(splits)
    assert _panels(matrix, REGISTRY.pillars, 9) == [list(REGISTRY.pillars["id"])]
    few = matrix[matrix["pillar"] == "leren"]
    assert _panels(few, REGISTRY.pillars, 5) == [["leren"]]
