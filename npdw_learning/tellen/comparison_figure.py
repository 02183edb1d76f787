"""Each programme area against its comparison, one figure per pillar.

A grid of small panels: a row per indicator of the pillar that has a
comparison path, a column per area (the chosen neighbourhoods, then the
aggregate). Each panel shows the area's own values (its colour and marker, as in
the pillar figures of :mod:`.figures`), the comparison made of comparable
regions (black dashed: ``matched``; grey dotted: ``synthetic``, when present),
the band within which 95% of the placebo comparisons lay around the matched
comparison (grey), and the programme's start year (a thin vertical line). A
mark in the corner (passed in by the caller, the status matrix's symbol)
names the verdict. The rows of a pillar share nothing but the years; the panels
of one row share their y axis, so the areas of an indicator read side by side.

Everything is drawn at its printed size (the A4 text width, no text under
7 pt) in the report's typeface; the same input gives the same bytes, and a
figure drawn before from the same input is copied
(:func:`~npdw_learning.kern.filecache.made_once`).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..kern.fonts import figure_fonts
from ..kern.page import FIGURE_DPI, FIGURE_MAX_HEIGHT_MM, TEXT_WIDTH_MM, inches
from .figures import (
    _BANNER_COLOUR,
    SYNTHETIC_BANNER,
    _area_styles,
    _format_nl,
    _save_png,
    _year_ticks,
)

__all__ = ["PATH_COLUMNS", "plot_comparison_pillar", "save_comparison_figures"]

PATH_COLUMNS = ("area", "indicator", "method", "year", "programme", "comparison")
_WIDTH = inches(TEXT_WIDTH_MM)
_MAX_HEIGHT = inches(FIGURE_MAX_HEIGHT_MM)
_LEFT, _RIGHT, _GAP = 0.42, 0.05, 0.07  # inches: y tick labels, right edge, between panels
_HEAD, _ROW_HEAD, _ROW_GAP, _BOTTOM = 0.42, 0.32, 0.2, 0.5  # title, row title, x ticks, legend
_BANNER = 0.3
_PITCH = 1.05  # inches per indicator row at most
_SMALL_PT, _TITLE_PT, _HEADING_PT = 7.0, 7.5, 11.0
_BAND, _MATCHED, _SYNTHETIC, _START = "#d9d9d9", "#000000", "#6b6b6b", "#9a9a9a"


@dataclass(frozen=True)
class _Grid:
    rows: list[str]  # indicator ids, in registry order
    columns: list[str]  # area ids
    width: float
    height: float
    top: float  # inches from the top to the first row's title
    pitch: float  # inches per row
    panel: tuple[float, float]  # panel width, height


def _grid(rows: list[str], columns: list[str], synthetic: bool) -> _Grid:
    """Panel sizes: the columns share the width, the rows the height (at most
    :data:`_PITCH` each, so that the figure stays within a page)."""
    top = (_BANNER if synthetic else 0.0) + _HEAD
    room = _MAX_HEIGHT - top - _BOTTOM
    pitch = min(_PITCH, room / max(len(rows), 1))
    width = (_WIDTH - _LEFT - _RIGHT - _GAP * (len(columns) - 1)) / max(len(columns), 1)
    height = pitch - _ROW_HEAD - _ROW_GAP
    total = top + pitch * len(rows) + _BOTTOM
    return _Grid(rows, columns, _WIDTH, total, top, pitch, (width, height))


def _axes(fig: Figure, grid: _Grid, i: int, j: int, share):
    """The panel of row ``i``, column ``j`` (positions in inches, from the top left)."""
    x = _LEFT + j * (grid.panel[0] + _GAP)
    y = grid.top + i * grid.pitch + _ROW_HEAD
    box = (x / grid.width, 1 - (y + grid.panel[1]) / grid.height)
    size = (grid.panel[0] / grid.width, grid.panel[1] / grid.height)
    return fig.add_axes((*box, *size), sharex=share[0], sharey=share[1])


def _draw_series(ax, rows: pd.DataFrame, style, start_year: int | None) -> None:
    """One panel: band, comparisons, the area's own values, the start year."""
    matched = rows[rows["method"] == "matched"].sort_values("year")
    synthetic = rows[rows["method"] == "synthetic"].sort_values("year")
    if {"placebo_low", "placebo_high"} <= set(matched.columns) and len(matched):
        low = pd.to_numeric(matched["placebo_low"], errors="coerce")
        high = pd.to_numeric(matched["placebo_high"], errors="coerce")
        ax.fill_between(matched["year"], low, high, color=_BAND, linewidth=0, zorder=1)
    if len(synthetic):
        ax.plot(
            synthetic["year"],
            synthetic["comparison"],
            color=_SYNTHETIC,
            linestyle=":",
            linewidth=1.1,
            zorder=2,
        )
    if len(matched):
        ax.plot(
            matched["year"],
            matched["comparison"],
            color=_MATCHED,
            linestyle="--",
            linewidth=0.9,
            zorder=3,
        )
    own = (matched if len(matched) else synthetic)[["year", "programme"]].dropna()
    ax.plot(
        own["year"],
        own["programme"],
        color=style.colour,
        marker=style.marker,
        linewidth=style.linewidth,
        markersize=style.markersize * 0.8,
        zorder=4,
    )
    if start_year is not None:
        ax.axvline(start_year - 0.5, color=_START, linewidth=0.6, zorder=0)


def _ticks(first: int, last: int, start_year: int | None) -> list[int]:
    """A few years that never touch the next panel's: the first, the start year and
    round years between, none within two years of the last.

    >>> _ticks(2016, 2026, 2024)
    [2016, 2020, 2024]
    """
    ticks = [y for y in _year_ticks(first, last) if last - y >= 2 or y == first]
    if start_year is not None and first < start_year <= last:
        ticks = [y for y in ticks if abs(y - start_year) >= 2 or y == first] + [start_year]
    return sorted(set(ticks))


def _decorate(ax, i: int, j: int, grid: _Grid, mark: str | None) -> None:
    ax.tick_params(labelsize=_SMALL_PT, length=2, pad=1.2)
    ax.tick_params(axis="y", labelleft=j == 0)
    ax.tick_params(axis="x", labelbottom=True)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(_format_nl))
    ax.yaxis.set_major_locator(ticker.MaxNLocator(3))
    ax.grid(True, color="#E5E5E5", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    if mark:  # above the panel, right: never over the data
        ax.text(
            1.0,
            1.03,
            mark,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=_SMALL_PT,
            color="#1d2a33",
            parse_math=False,
        )


def _row_title(fig: Figure, grid: _Grid, i: int, meta: Mapping) -> None:
    """The indicator's name, unit and direction, above its row."""
    unit = meta.get("unit_label")
    unit = "" if pd.isna(unit) or str(unit) in str(meta["label"]) else f" ({unit})"
    hib = meta.get("higher_is_better")
    note = "" if pd.isna(hib) else (" · ↑ hoger is beter" if bool(hib) else " · ↓ lager is beter")
    room = int(grid.width / 0.055)
    text = textwrap.shorten(f"{meta['label']}{unit}", room - len(note), placeholder="…") + note
    y = grid.top + i * grid.pitch + 0.09
    fig.text(
        0.005,
        1 - y / grid.height,
        text,
        ha="left",
        va="center",
        fontsize=_TITLE_PT,
        fontweight="bold",
        color="#0b6e69",
        parse_math=False,
    )


def _heading(fig: Figure, grid: _Grid, title: str, labels: Mapping[str, str], synthetic: bool):
    """The pillar's name (under the demo banner), then the area names over their columns."""
    banner = _BANNER if synthetic else 0.0
    if synthetic:
        fig.text(
            0.5,
            1 - banner / 2 / grid.height,
            SYNTHETIC_BANNER,
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color=_BANNER_COLOUR,
        )
    fig.text(
        0.005,
        1 - (banner + 0.12) / grid.height,
        title,
        ha="left",
        va="center",
        fontsize=_HEADING_PT,
        fontweight="bold",
        parse_math=False,
    )
    for j, area in enumerate(grid.columns):
        x = _LEFT + j * (grid.panel[0] + _GAP) + grid.panel[0] / 2
        name = textwrap.shorten(str(labels.get(area, area)), 24, placeholder="…")
        fig.text(
            x / grid.width,
            1 - (banner + 0.33) / grid.height,
            name,
            ha="center",
            va="center",
            fontsize=_TITLE_PT,
            parse_math=False,
        )


def _legend(fig: Figure, grid: _Grid, has_synthetic: bool) -> None:
    handles = [
        Line2D(
            [],
            [],
            color="#555555",
            marker="o",
            markersize=3,
            linewidth=1.2,
            label="het gebied zelf (kleur per gebied)",
        ),
        Line2D(
            [],
            [],
            color=_MATCHED,
            linestyle="--",
            linewidth=0.9,
            label="vergelijkbare wijken (gemiddelde)",
        ),
        Patch(facecolor=_BAND, label="95% van de placebovergelijkingen"),
        Line2D([], [], color=_START, linewidth=0.6, label="start programma"),
    ]
    if has_synthetic:
        handles.insert(
            2,
            Line2D(
                [],
                [],
                color=_SYNTHETIC,
                linestyle=":",
                linewidth=1.1,
                label="synthetische vergelijking",
            ),
        )
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=3,
        frameon=False,
        fontsize=_SMALL_PT,
        handlelength=2.2,
        columnspacing=1.0,
        borderaxespad=0.1,
    )


@figure_fonts()
def plot_comparison_pillar(
    paths: pd.DataFrame,
    indicators: pd.DataFrame,
    pillar: str,
    *,
    pillar_label: str,
    area_labels: Mapping[str, str],
    areas: Sequence[str],
    start_year: int | None = None,
    marks: Mapping[tuple[str, str], str] | None = None,
    synthetic: bool = False,
    aggregate: str | None = None,
) -> Figure | None:
    """The pillar's grid (module docstring); ``None`` when none of its indicators has a
    path in ``areas``.

    Parameters
    ----------
    paths : DataFrame
        :data:`PATH_COLUMNS` and optionally ``placebo_low, placebo_high``
        (``comparison_paths.csv``).
    indicators : DataFrame
        ``id, label, pillar, unit_label, higher_is_better``.
    areas : sequence of str
        The columns, in order; an area without a path in this pillar is left out.
    aggregate : str, optional
        The area drawn heavier, as in the pillar figures.
    marks : mapping, optional
        ``(indicator, area) -> text`` drawn in the panel's corner (the verdict).
    """
    own = indicators[indicators["pillar"] == pillar]
    data = paths[paths["indicator"].isin(set(own["id"])) & paths["area"].isin(list(areas))]
    data = data.assign(year=data["year"].astype(int))
    rows = [i for i in own["id"] if i in set(data["indicator"])]
    columns = [a for a in areas if a in set(data["area"])]
    if not rows:
        return None
    grid = _grid(rows, columns, synthetic)
    fig = Figure(figsize=(grid.width, grid.height))
    styles = _area_styles(columns, reference="", aggregate=aggregate)
    meta = own.set_index("id")
    first, share = None, {}
    for i, ident in enumerate(rows):
        _row_title(fig, grid, i, meta.loc[ident].to_dict() | {"label": meta.loc[ident, "label"]})
        for j, area in enumerate(columns):
            ax = _axes(fig, grid, i, j, (first, share.get(i)))
            first = first or ax
            share.setdefault(i, ax)
            part = data[(data["indicator"] == ident) & (data["area"] == area)]
            _draw_series(ax, part, styles[area], start_year)
            _decorate(ax, i, j, grid, (marks or {}).get((ident, area)))
    years = data["year"]
    first.set_xlim(int(years.min()) - 0.6, int(years.max()) + 0.6)
    first.set_xticks(_ticks(int(years.min()), int(years.max()), start_year))
    first.xaxis.set_major_formatter(ticker.FormatStrFormatter("%d"))
    _heading(fig, grid, pillar_label, area_labels, synthetic)
    _legend(fig, grid, bool((data["method"] == "synthetic").any()))
    return fig


def save_comparison_figures(
    paths: pd.DataFrame,
    indicators: pd.DataFrame,
    pillars: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    area_labels: Mapping[str, str],
    areas: Sequence[str],
    start_year: int | None = None,
    marks: Mapping[tuple[str, str], str] | None = None,
    synthetic: bool = False,
    aggregate: str | None = None,
    prefix: str = "vergelijking",
    dpi: int = FIGURE_DPI,
) -> dict[str, Path]:
    """One PNG per pillar with a comparison path, ``<prefix>_<pillar>.png``, atomically;
    ``pillar id -> path`` in the order of ``pillars``. A figure drawn before from the
    same rows is copied (:func:`~npdw_learning.kern.filecache.made_once`)."""
    from ..kern.filecache import digest, made_once

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    options = (dict(area_labels), list(areas), start_year, synthetic, aggregate, dpi)
    keyed_marks = sorted((f"{i}@{a}", m) for (i, a), m in (marks or {}).items())
    for pillar, label in zip(pillars["id"], pillars["label"], strict=True):
        own = indicators[indicators["pillar"] == pillar]
        rows = paths[paths["indicator"].isin(set(own["id"]))]
        if rows.empty or not rows["area"].isin(list(areas)).any():
            continue
        key = digest(
            "vergelijking-pijler", options, str(pillar), str(label), own, rows, keyed_marks
        )
        style = {"pillar_label": str(label), "area_labels": area_labels, "areas": areas}
        style |= {"start_year": start_year, "marks": marks, "synthetic": synthetic}
        style |= {"aggregate": aggregate}

        def make(tmp: Path, pillar=pillar, style=style) -> None:
            fig = plot_comparison_pillar(paths, indicators, str(pillar), **style)
            _save_png(fig, tmp, dpi)

        written[str(pillar)] = made_once(out / f"{prefix}_{pillar}.png", key, make)
    return written
