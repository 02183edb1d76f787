"""The status matrix that opens the Samenvatting: every indicator in every neighbourhood.

One cell per indicator x area (the chosen neighbourhoods and the aggregate),
showing the one reading that says most about it, in this order:

1. ``comparison`` - the comparison with comparable neighbourhoods elsewhere in
   the country (``comparison.csv``, :mod:`.comparison`), when the run has one
   and it could judge: the ``matched`` verdict, or the ``synthetic`` one where
   the matched comparison had too little data. It comes first because it is
   the only reading that separates the programme from what happens everywhere
   at the same time (the economy, national policy, a wijk already on its own
   path): a wijk that improves as much as comparable wijken without the
   programme shows *zoals vergelijkbare wijken*, not *verbetert*. The progress
   towards the target stays in the pillar chapters' tables;
2. ``progress`` - else the progress status towards the 2043 target
   (``progress.csv``), when the indicator has a target and the status can be
   judged;
3. ``trend`` - else the trend verdict (``trends.csv``), from
   :data:`~npdw_learning.tellen.trends.MIN_POINTS` measurements on;
4. ``change`` - else the change since the baseline (``changes.csv``);
5. ``break`` - else the break after the start, read on the series itself
   (``breaks.csv``, reading ``level``);
6. ``none`` - nothing to judge yet: too few measurements, or none at all.

Every outcome has a grade on one diverging scale (dark blue: target reached
or on track; light blue: the right way, or better than comparable wijken;
grey: no clear change, or as comparable wijken; light orange: the right way
but too slowly for the target; red: the wrong way, or worse than comparable
wijken; white: no judgement) and a symbol of its own, so the figure reads in
black and white and a cell says which reading it shows (the comparison's
``≻ ≺ ≍``: preferred to, after, on a par with). The colours are ColorBrewer's RdBu
(five classes, marked colour-blind safe); ``tests/evaluatie/test_status.py``
checks them under simulated protan, deutan and tritan vision.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..kern.fonts import figure_fonts
from ..kern.page import FIGURE_DPI, TEXT_WIDTH_MM, inches
from ..kern.synthetic import FIGURE_BANNER
from ..tellen.trends import MIN_POINTS
from .comparison import cell_verdicts
from .labels import BREAK_NL, CHANGE_NL, COMPARISON_NL, NO_READING_NL, PROGRESS_NL, TREND_NL

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "READINGS",
    "READING_NL",
    "CellStyle",
    "CELL_STYLES",
    "GRADE_COLOURS",
    "GRADE_NL",
    "TALLY_NL",
    "MATRIX_COLOURS",
    "tally",
    "CELL_COLUMNS",
    "status_cells",
    "matrix_alt",
    "draw_status_matrix",
]

READINGS = ("comparison", "progress", "trend", "change", "break", "none")
READING_NL = {
    "comparison": "Vergelijking met vergelijkbare wijken",
    "progress": "Voortgang naar het doel",
    "trend": "Trend",
    "change": "Verandering sinds de nulmeting",
    "break": "Afbuiging na de start",
    "none": "Geen oordeel",
}


@dataclass(frozen=True)
class CellStyle:
    """How one outcome of one reading is drawn and named."""

    grade: int | None  # 2 .. -2 on the diverging scale; None: no judgement
    symbol: str
    label: str


# The symbol and grade of each outcome; its label is the report's one label of the code
# (:mod:`npdw_learning.evaluatie.labels`).
_CELL_MARKS: dict[tuple[str, str], tuple[int | None, str]] = {
    ("comparison", "better_than_comparison"): (1, "≻"),
    ("comparison", "as_comparison"): (0, "≍"),
    ("comparison", "worse_than_comparison"): (-2, "≺"),
    ("progress", "target_reached"): (2, "★"),
    ("progress", "on_track"): (2, "▲"),
    ("progress", "moderate_progress"): (1, "△"),
    ("progress", "insufficient_progress"): (-1, "▽"),
    ("progress", "moving_away"): (-2, "▼"),
    ("trend", "improving"): (1, "↑"),
    ("trend", "no_significant_trend"): (0, "="),
    ("trend", "worsening"): (-2, "↓"),
    ("change", "improving"): (1, "↗"),
    ("change", "no_significant_change"): (0, "≈"),
    ("change", "worsening"): (-2, "↘"),
    ("change", "no_test"): (None, "?"),
    ("break", "better_than_trend"): (1, "+"),
    ("break", "as_trend"): (0, "∼"),
    ("break", "worse_than_trend"): (-2, "−"),
    ("none", "insufficient_data"): (None, "·"),
    ("none", "no_data"): (None, "–"),
}
_READING_LABELS = {
    "comparison": COMPARISON_NL,
    "progress": PROGRESS_NL,
    "trend": TREND_NL,
    "change": CHANGE_NL,
    "break": BREAK_NL,
    "none": NO_READING_NL,
}
CELL_STYLES: dict[tuple[str, str], CellStyle] = {
    (reading, outcome): CellStyle(grade, symbol, _READING_LABELS[reading][outcome])
    for (reading, outcome), (grade, symbol) in _CELL_MARKS.items()
}
# ColorBrewer RdBu, 5 classes (colour-blind safe, print friendly); the middle class is
# a grey a shade darker than RdBu's near-white, so "no clear change" and "no judgement"
# (white) differ.
GRADE_COLOURS: dict[int | None, str] = {
    2: "#0571b0",
    1: "#92c5de",
    0: "#d9d9d9",
    -1: "#f4a582",
    -2: "#ca0020",
    None: "#ffffff",
}
GRADE_NL: dict[int | None, str] = {
    2: "doel bereikt of op koers",
    1: "de goede kant op",
    0: "geen duidelijke verandering",
    -1: "de goede kant op, maar te langzaam voor het doel",
    -2: "de verkeerde kant op",
    None: "(nog) geen oordeel",
}
TALLY_NL = (
    "+n: zoveel indicatoren gaan de goede kant op; −n: zoveel gaan de verkeerde kant op "
    "of te langzaam naar het doel"
)
# Six fills, two inks and their anti-aliased edges: 32 palette colours look the same as
# 256 in the embedded PNG, in a quarter fewer bytes.
MATRIX_COLOURS = 32
_INK, _INK_ON_DARK = "#1d2a33", "#ffffff"
_DARK = {2, -2}
CELL_COLUMNS = ["indicator", "pillar", "area", "reading", "outcome", "has_target"]


# -- the readings -------------------------------------------------------------------


def _outcomes(frame: pd.DataFrame | None, column: str, skip: str | None = None) -> dict:
    """``(indicator, area) -> value of column`` for the rows whose value is not ``skip``."""
    if frame is None or frame.empty or column not in frame.columns:
        return {}
    rows = frame[frame[column].notna() & (frame[column] != skip)]
    return dict(zip(zip(rows["indicator"], rows["area"], strict=True), rows[column], strict=True))


def status_cells(
    indicators: pd.DataFrame,
    areas: Sequence[str],
    progress: pd.DataFrame | None,
    trends: pd.DataFrame | None,
    changes: pd.DataFrame | None = None,
    breaks: pd.DataFrame | None = None,
    comparison: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The reading of every indicator x area cell (see the module docstring).

    Parameters
    ----------
    indicators : DataFrame
        ``id, pillar`` of the registry's indicators, in report order.
    areas : sequence of str
        The matrix's columns: the chosen neighbourhoods and the aggregate.
    progress, trends, changes, breaks : DataFrame or None
        The tables of one run (``progress.csv`` ..., at least ``indicator, area``
        and ``status``, ``verdict``, ``verdict`` and ``reading, verdict``);
        ``None`` or empty when a run has none.
    comparison : DataFrame or None
        ``comparison.csv`` (``indicator, area, method, verdict``); one verdict per cell
        by :func:`~npdw_learning.evaluatie.comparison.cell_verdicts`.

    Returns
    -------
    DataFrame
        :data:`CELL_COLUMNS` plus ``grade`` and ``symbol`` (from :data:`CELL_STYLES`),
        one row per indicator x area, indicators in the given order. ``has_target``:
        the indicator has a 2043 target in this area (``target_type`` not ``none``).

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "pillar": ["wonen"]})
    >>> trends = pd.DataFrame({"indicator": ["a"], "area": ["x"], "verdict": ["improving"]})
    >>> status_cells(ind, ["x", "y"], None, trends)[["area", "reading", "outcome"]].values.tolist()
    [['x', 'trend', 'improving'], ['y', 'none', 'no_data']]
    """
    status = _outcomes(progress, "status", "not_assessable")
    targets = _outcomes(progress, "target_type", "none")
    trend = _outcomes(trends, "verdict", "insufficient_data")
    measured = set(_outcomes(trends, "verdict"))
    change = _outcomes(changes, "verdict")
    level = None
    if breaks is not None and not breaks.empty and "reading" in breaks.columns:
        level = breaks[breaks["reading"] == "level"]
    bent = _outcomes(level, "verdict", "insufficient_data")
    compared = _outcomes(cell_verdicts(comparison), "verdict", "insufficient_data")
    readings = (
        ("comparison", compared),
        ("progress", status),
        ("trend", trend),
        ("change", change),
        ("break", bent),
    )
    rows = []
    for ident, pillar in zip(indicators["id"], indicators["pillar"], strict=True):
        for area in areas:
            key = (ident, area)
            found = [(r, table[key]) for r, table in readings if key in table]
            if found:
                reading, outcome = found[0]
            else:
                reading = "none"
                outcome = "insufficient_data" if key in measured else "no_data"
            rows.append((ident, pillar, area, reading, outcome, key in targets))
    cells = pd.DataFrame(rows, columns=CELL_COLUMNS)
    styles = [CELL_STYLES[(r, o)] for r, o in zip(cells["reading"], cells["outcome"], strict=True)]
    cells["grade"] = pd.array([s.grade for s in styles], dtype="Int64")
    cells["symbol"] = [s.symbol for s in styles]
    return cells


def matrix_alt(
    cells: pd.DataFrame, pillars: pd.DataFrame, area_labels: Mapping[str, str], areas: Sequence[str]
) -> str:
    """What the matrix shows, in words and counts, for a reader who cannot see it.

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a", "b"], "pillar": ["wonen", "wonen"]})
    >>> t = pd.DataFrame({"indicator": ["a"], "area": ["x"], "verdict": ["improving"]})
    >>> pil = pd.DataFrame({"id": ["wonen"], "label": ["Wonen"]})
    >>> matrix_alt(status_cells(ind, ["x"], None, t), pil, {"x": "X"}, ["x"])[:60]
    'Statusoverzicht: 2 indicatoren in 1 pijler (Wonen) als rijen'
    """
    n_ind = cells["indicator"].nunique()
    shown = pillars[pillars["id"].isin(set(cells["pillar"]))]
    parts = []
    for reading in READINGS:
        mine = cells[cells["reading"] == reading]
        if mine.empty:
            continue
        counted = mine["outcome"].value_counts()
        detail = ", ".join(
            f"{int(counted[o])} {CELL_STYLES[(reading, o)].label}"
            for (r, o) in CELL_STYLES
            if r == reading and o in counted
        )
        parts.append(f"{READING_NL[reading].lower()} in {len(mine)} ({detail})")
    columns = ", ".join(area_labels.get(a, a) for a in areas)
    return (
        f"Statusoverzicht: {n_ind} indicatoren in {len(shown)} "
        f"{'pijler' if len(shown) == 1 else 'pijlers'} ({', '.join(shown['label'])}) als rijen, "
        f"tegen {columns} als kolommen; {len(cells)} vakken. Elk vak toont één lezing: "
        + "; ".join(parts)
        + "."
    )


# -- the figure -----------------------------------------------------------------------

FIGURE_WIDTH = inches(TEXT_WIDTH_MM)  # drawn at its printed size: sizes below are on paper
_ROW = 0.135  # inches per row: two panels of 33 rows and the legend fit in about 170 mm
_CELL = 0.36  # inches per area column
_GAP = 0.22  # between the two panels
_LABEL_PT, _SYMBOL_PT, _HEAD_PT = 7.0, 7.5, 7.0
_LEGEND_ROW = 0.17
_TALLY_PT = 7.0
_ACCENT = "#0b6e69"
_BANNER = 0.26
_MAX_SINGLE = 30  # rows up to which one panel is enough
_MIN_LABEL = 1.4  # inches for the indicator names in a panel
_FRAME = "#c9d6d4"


def _panels(cells: pd.DataFrame, pillars: pd.DataFrame, columns: int) -> list[list[str]]:
    """The pillars split over one or two panels (side by side), pillars kept whole and
    the taller panel as short as possible; one panel when the rows are few, or when so
    many areas would leave two panels no room for the indicator names."""
    present = [p for p in pillars["id"] if p in set(cells["pillar"])]
    sizes = [1 + cells.loc[cells["pillar"] == p, "indicator"].nunique() for p in present]
    half = (FIGURE_WIDTH - _GAP) / 2 - columns * _CELL
    if sum(sizes) <= _MAX_SINGLE or len(present) < 2 or half < _MIN_LABEL:
        return [present]
    best = min(range(1, len(present)), key=lambda i: max(sum(sizes[:i]), sum(sizes[i:])))
    return [present[:best], present[best:]]


def _fitted(text: str, width: float, size: float, renderer, fig, *, bold: bool = False) -> str:
    """``text`` cut (with an ellipsis) until it is at most ``width`` inches wide."""
    shown = text
    while (
        shown
        and _text_width(shown if shown == text else shown + "…", size, renderer, fig, bold=bold)
        > width
    ):
        shown = shown[: max(len(shown) - 2, 0)].rstrip()
    return shown if shown == text else shown + "…"


@dataclass(frozen=True)
class _Geometry:
    width: float
    height: float
    top: float  # y (inches from the top) of the first row
    label: float  # width of the label column
    panel: float  # width of one panel


def _geometry(
    rows: int, panels: int, columns: int, head: float, synthetic: bool, legend_rows: int
) -> _Geometry:
    panel = (FIGURE_WIDTH - _GAP * (panels - 1)) / panels
    label = panel - _CELL * columns
    top = (_BANNER if synthetic else 0.05) + head
    height = top + rows * _ROW + 0.12 + legend_rows * _LEGEND_ROW + 0.05
    return _Geometry(FIGURE_WIDTH, height, top, label, panel)


@figure_fonts()
def draw_status_matrix(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    pillars: pd.DataFrame,
    columns: Mapping[str, str],
    path: str | os.PathLike[str],
    *,
    synthetic: bool = False,
    dpi: int = FIGURE_DPI,
) -> Path:
    """Draw the matrix as a PNG, atomically; the same cells give the same bytes.

    Parameters
    ----------
    cells : DataFrame
        From :func:`status_cells`.
    indicators : DataFrame
        ``id, label`` (labels too long for the column are cut with an ellipsis).
    pillars : DataFrame
        ``id, label`` in report order.
    columns : mapping
        Area id -> label, in column order (the neighbourhoods, then the aggregate).
    path : path
        The PNG to write.
    synthetic : bool
        Draw the demo-data warning above the matrix.
    dpi : int
        Resolution; at the default the figure is about 1420 pixels wide (180 mm).

    A matrix drawn before from the same cells and labels is copied
    (:func:`~npdw_learning.kern.filecache.made_once`).
    """
    from ..kern.filecache import digest, made_once

    key = digest("statusoverzicht", cells, indicators, pillars, dict(columns), synthetic, dpi)

    def make(tmp: Path) -> None:
        fig = _matrix_figure(cells, indicators, pillars, columns, synthetic=synthetic, dpi=dpi)
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")

    return made_once(path, key, make)


def _matrix_figure(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    pillars: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    synthetic: bool,
    dpi: int,
) -> Figure:
    """The matrix of :func:`draw_status_matrix` as a figure of its own (no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    split = _panels(cells, pillars, len(columns))
    rows = max(sum(1 + _count(cells, p) for p in part) for part in split)
    # A figure of its own (no pyplot): nothing global changes, nothing to close.
    fig = Figure(figsize=(FIGURE_WIDTH, 1.0), dpi=dpi)
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    heads = {a: _fitted(str(lab), 0.9, _HEAD_PT, renderer, fig) for a, lab in columns.items()}
    head = 0.12 + max((_text_width(h, _HEAD_PT, renderer, fig) for h in heads.values()), default=0)
    legend = _legend_rows(fig, renderer)
    geo = _geometry(rows, len(split), len(columns), head, synthetic, len(legend.rows))
    fig.set_size_inches(geo.width, geo.height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, geo.width)
    ax.set_ylim(geo.height, 0)
    ax.axis("off")
    labels = dict(zip(indicators["id"], indicators["label"], strict=True))
    pillar_labels = dict(zip(pillars["id"], pillars["label"], strict=True))
    for i, part in enumerate(split):
        x0 = i * (geo.panel + _GAP)
        _draw_heads(ax, heads, x0 + geo.label, geo.top)
        y = geo.top
        for pillar in part:
            y = _draw_pillar(ax, cells, pillar, pillar_labels[pillar], labels, columns, x0, y, geo)
    _draw_legend(ax, legend, geo.top + rows * _ROW + 0.12)
    if synthetic:
        ax.text(
            geo.width / 2,
            _BANNER / 2,
            FIGURE_BANNER,
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color="#C00000",
        )
    return fig


def _count(cells: pd.DataFrame, pillar: str) -> int:
    return int(cells.loc[cells["pillar"] == pillar, "indicator"].nunique())


def _text_width(text: str, size: float, renderer, fig, *, bold: bool = False) -> float:
    from matplotlib.text import Text

    weight = "bold" if bold else "normal"
    probe = Text(0, 0, text, fontsize=size, fontweight=weight, figure=fig, parse_math=False)
    return probe.get_window_extent(renderer).width / fig.dpi


def _draw_heads(ax, heads: Mapping[str, str], x: float, top: float) -> None:
    """The area names, upright above their columns."""
    for j, text in enumerate(heads.values()):
        ax.text(
            x + (j + 0.5) * _CELL,
            top - 0.06,
            text,
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=_HEAD_PT,
            parse_math=False,
            color=_INK,
        )


def tally(cells: pd.DataFrame) -> tuple[int, int]:
    """``(ahead, behind)``: cells the right way (grade above 0), and the wrong way or too
    slowly towards the target (grade below 0)."""
    grades = cells["grade"].dropna()
    return int((grades > 0).sum()), int((grades < 0).sum())


def _tally_text(cells: pd.DataFrame) -> str:
    ahead, behind = tally(cells)
    return f"+{ahead} −{behind}"


def _draw_pillar(ax, cells, pillar, title, labels, columns, x0, y, geo) -> float:
    """One pillar: its name and per area its tally (:func:`tally`), then a row per
    indicator; returns the next row's y."""
    from matplotlib.patches import Rectangle

    renderer, fig = ax.figure.canvas.get_renderer(), ax.figure
    mine = cells[cells["pillar"] == pillar]
    name = _fitted(str(title), geo.label - 0.05, _LABEL_PT + 0.5, renderer, fig, bold=True)
    ax.text(
        x0,
        y + _ROW * 0.6,
        name,
        fontsize=_LABEL_PT + 0.5,
        fontweight="bold",
        va="center",
        color=_ACCENT,
        parse_math=False,
    )
    for j, area in enumerate(columns):
        ax.text(
            x0 + geo.label + (j + 0.5) * _CELL,
            y + _ROW * 0.6,
            _tally_text(mine[mine["area"] == area]),
            ha="center",
            va="center",
            fontsize=_TALLY_PT,
            fontweight="bold",
            color=_ACCENT,
        )
    ax.plot([x0, x0 + geo.panel], [y + _ROW, y + _ROW], color=_ACCENT, linewidth=0.6)
    y += _ROW
    by_key = mine.set_index(["indicator", "area"])
    for ident in dict.fromkeys(mine["indicator"]):
        label = _fitted(str(labels.get(ident, ident)), geo.label - 0.06, _LABEL_PT, renderer, fig)
        ax.text(
            x0, y + _ROW / 2, label, fontsize=_LABEL_PT, va="center", color=_INK, parse_math=False
        )
        for j, area in enumerate(columns):
            cell = by_key.loc[(ident, area)]
            grade = None if pd.isna(cell["grade"]) else int(cell["grade"])
            x = x0 + geo.label + j * _CELL
            ax.add_patch(
                Rectangle(
                    (x, y),
                    _CELL,
                    _ROW,
                    facecolor=GRADE_COLOURS[grade],
                    edgecolor=_FRAME,
                    linewidth=0.4,
                )
            )
            ax.text(
                x + _CELL / 2,
                y + _ROW / 2,
                cell["symbol"],
                ha="center",
                va="center",
                fontsize=_SYMBOL_PT,
                color=_INK_ON_DARK if grade in _DARK else _INK,
            )
        y += _ROW
    return y


@dataclass(frozen=True)
class _Legend:
    """The legend's lines: ``(name, entries, text)`` each, where a name (bold) starts a
    reading or the tally and a line continues the one above when it has none."""

    start: float  # inches from the left where the entries begin
    rows: list[tuple[str, list[CellStyle], str]]


def _legend_rows(fig, renderer) -> _Legend:
    """One line per reading (its outcomes wrapped onto more lines where the page's width
    runs out), then the tally explained, wrapped too."""
    size = _LABEL_PT
    names = {
        r: f"{READING_NL[r]} (vanaf {MIN_POINTS} metingen):"
        if r == "trend"
        else f"{READING_NL[r]}:"
        for r in READINGS
    }
    start = 0.12 + max(_text_width(n, size, renderer, fig, bold=True) for n in names.values())
    room = FIGURE_WIDTH - start
    rows: list[tuple[str, list[CellStyle], str]] = []
    for reading in READINGS:
        name, line, used = names[reading], [], 0.0
        for style in (st for (r, _), st in CELL_STYLES.items() if r == reading):
            width = 0.23 + _text_width(style.label, size, renderer, fig) + 0.1
            if line and used + width > room:  # the page's width runs out: go on below
                rows.append((name, line, ""))
                name, line, used = "", [], 0.0
            line.append(style)
            used += width
        rows.append((name, line, ""))
    words, text = TALLY_NL.split(), ""
    name = "Per pijler en gebied:"
    for word in words:
        trial = f"{text} {word}".strip()
        if text and _text_width(trial, size, renderer, fig) > room:
            rows.append((name, [], text))
            name, text = "", word
        else:
            text = trial
    rows.append((name, [], text))
    return _Legend(start, rows)


def _draw_legend(ax, legend: _Legend, y: float) -> None:
    """The legend lines of :func:`_legend_rows`: a name, then each outcome as a small cell
    and its label, or the tally's explanation."""
    from matplotlib.patches import Rectangle

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    size = _LABEL_PT
    for name, entries, text in legend.rows:
        if name:
            colour = _ACCENT if text else _INK
            ax.text(
                0,
                y + _LEGEND_ROW / 2,
                name,
                fontsize=size,
                fontweight="bold",
                va="center",
                color=colour,
            )
        x = legend.start
        for style in entries:
            ax.add_patch(
                Rectangle(
                    (x, y + 0.015),
                    0.18,
                    _LEGEND_ROW - 0.03,
                    facecolor=GRADE_COLOURS[style.grade],
                    edgecolor=_FRAME,
                    linewidth=0.4,
                )
            )
            ax.text(
                x + 0.09,
                y + _LEGEND_ROW / 2,
                style.symbol,
                ha="center",
                va="center",
                fontsize=_SYMBOL_PT,
                color=_INK_ON_DARK if style.grade in _DARK else _INK,
            )
            ax.text(
                x + 0.23, y + _LEGEND_ROW / 2, style.label, fontsize=size, va="center", color=_INK
            )
            x += 0.23 + _text_width(style.label, size, renderer, fig) + 0.1
        if text:
            ax.text(x, y + _LEGEND_ROW / 2, text, fontsize=size, va="center", color=_INK)
        y += _LEGEND_ROW
