"""Tellen in pictures: indicator trends per neighbourhood, per pillar.

One figure per pillar, one small panel per indicator: every neighbourhood and
the aggregate as a coloured line, the reference as a black dashed line, sampling
error as 95% error bars (±1.96·se), and the path to the 2043 target. Everything
a reader sees is in Dutch; code and API are in English.

The target is drawn per panel: for ``absolute`` and ``relative`` targets a
dotted line from the aggregate's nulmeting (or the first neighbourhood's, when
the aggregate has no target row) to the target level, with a star at the
target (a curve for relative targets, which are assessed at a constant yearly
rate); for ``parity`` the reference's latest value carried forward to the
target year. Indicators without measurements are listed under the figure
instead of being drawn as empty panels.

Colours are fixed per area (Okabe-Ito, colour-blind safe) so an area has the
same colour in every figure of every year's report; each area also has its own
marker shape, so the figures still work in greyscale print.
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..kern.atomic import write_atomic
from ..kern.fonts import figure_fonts
from ..kern.page import FIGURE_DPI as PAGE_DPI
from ..kern.page import TEXT_WIDTH_MM, inches
from ..kern.synthetic import FIGURE_BANNER
from .breaks import pre_start_projection

__all__ = [
    "AREA_ORDER",
    "AREA_PALETTE",
    "AREA_MARKERS",
    "FIGURE_DPI",
    "SYNTHETIC_BANNER",
    "plot_pillar",
    "save_pillar_figures",
    "parity_target_label",
    "parity_legend_label",
]

#: Drawing order of the areas: neighbourhoods, then the aggregate, then the reference.
AREA_ORDER: tuple[str, ...] = (
    "oud-krispijn",
    "nieuw-krispijn",
    "wielwijk",
    "crabbehof",
    "dordt-west",
    "dordrecht",
)

#: Fixed colour per area id (Okabe-Ito). Yellow is left out: unreadable on white.
AREA_PALETTE: dict[str, str] = {
    "oud-krispijn": "#E69F00",  # orange
    "nieuw-krispijn": "#56B4E9",  # sky blue
    "wielwijk": "#009E73",  # bluish green
    "crabbehof": "#CC79A7",  # reddish purple
    "dordt-west": "#0072B2",  # blue
    "dordrecht": "#000000",
}

#: Fixed marker per area id, so lines stay distinguishable without colour.
AREA_MARKERS: dict[str, str] = {
    "oud-krispijn": "o",
    "nieuw-krispijn": "s",
    "wielwijk": "^",
    "crabbehof": "v",
    "dordt-west": "D",
    "dordrecht": "o",
}


def parity_target_label(reference_label: str) -> str:
    """The note on a parity target: ``doel: gelijk aan <reference>`` (from the registry)."""
    return f"doel: gelijk aan {reference_label}"


def parity_legend_label(reference_label: str, target_year: int) -> str:
    """The legend entry of the reference's level carried forward to the target year."""
    return f"{reference_label} doorgetrokken tot {target_year}"


#: The warning drawn on every figure made from demo data.
SYNTHETIC_BANNER = FIGURE_BANNER

#: Resolution of the pillar figures, in the report and from ``npdw trends`` alike.
FIGURE_DPI = PAGE_DPI

# Areas outside the fixed palette (a future extra neighbourhood) still get a
# stable colour: the remaining Okabe-Ito colour, then greys, in order of appearance.
_FALLBACK_COLOURS = ("#D55E00", "#666666", "#999999", "#333333")
_FALLBACK_MARKERS = ("X", "P", "h", "<", ">")

_TARGET_COLOUR = "#444444"
_BANNER_COLOUR = "#C00000"
# Drawn at the printed size: the width of the A4 text block, four panels a row, no
# text under 7 pt (kern/page.py), so the sizes below are the sizes on paper.
_WIDTH = inches(TEXT_WIDTH_MM)
_COL_WRAP = 4
_PANEL_SIZE = (_WIDTH / _COL_WRAP, 1.32)  # inches
_TITLE_WIDTH = 32  # characters per title line at the panel width above
# Font sizes in points.
_PANEL_TITLE_PT, _SMALL_PT, _LEGEND_PT, _HEADING_PT, _BANNER_PT = 7.5, 7.0, 7.5, 11.0, 9.0
# Fixed strips around the panels, in inches.
_TITLE_IN = 0.3
_BANNER_IN = 0.3
_LEGEND_ROW_IN = 0.17
_LEGEND_ENTRY_IN = 1.15
_NOTE_LINE_IN = 0.13
_PAD_IN = 0.06
_Z_TARGET, _Z_ERRORBAR, _Z_LINE = 2, 3, 4

_NO_TARGETS = pd.DataFrame(columns=["area", "target_type"])
_MEASUREMENT_COLUMNS = ("indicator", "area", "year", "value")
_INDICATOR_COLUMNS = ("id", "label", "pillar", "unit_label", "higher_is_better")


@dataclass(frozen=True)
class _Style:
    """How one area is drawn."""

    colour: str
    marker: str
    linestyle: str
    linewidth: float
    markersize: float


def _area_styles(
    areas: Sequence[str], reference: str, aggregate: str | None = None
) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    extra = 0
    for area in areas:
        if area == reference:
            styles[area] = _Style("#000000", "o", "--", 1.1, 3.0)
            continue
        if area in AREA_PALETTE:
            colour, marker = AREA_PALETTE[area], AREA_MARKERS[area]
        else:
            colour = _FALLBACK_COLOURS[extra % len(_FALLBACK_COLOURS)]
            marker = _FALLBACK_MARKERS[extra % len(_FALLBACK_MARKERS)]
            extra += 1
        # The aggregate is what the programme reports on: draw it a bit heavier.
        heavy = area == aggregate
        styles[area] = _Style(colour, marker, "-", 1.8 if heavy else 1.0, 4.0 if heavy else 3.4)
    return styles


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} mist kolom(men): {', '.join(missing)}")


def _format_nl(value: float, _pos: object = None) -> str:
    """Tick label with a decimal comma and a thousands dot (Dutch notation)."""
    value = round(float(value), 10)
    if value == 0:
        return "0"
    if value.is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:.10g}".replace(".", ",")


def _year_ticks(first: int, last: int) -> list[int]:
    """Round years plus the first year and the target year, never crowded in a panel
    of a quarter of the page's width (a 7 pt year is about 5 mm wide).

    Examples
    --------
    >>> _year_ticks(2015, 2043)
    [2015, 2030, 2043]
    >>> _year_ticks(2020, 2026)
    [2020, 2022, 2024, 2026]
    """
    span = last - first
    step = 10 if span > 20 else 5 if span > 8 else 2
    inner = range(math.ceil((first + 1) / step) * step, last, step)
    # Drop round years too close to the end points: their labels would overlap.
    return [first, *(y for y in inner if y - first > step / 2 and last - y >= step / 2), last]


def _direction_note(higher_is_better: object) -> str:
    if pd.isna(higher_is_better):  # type: ignore[arg-type]
        return ""
    return "↑ hoger is beter" if bool(higher_is_better) else "↓ lager is beter"


def _targets_by_indicator(progress: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The drawable target rows of ``progress``, split by indicator once."""
    if progress is None or progress.empty or "indicator" not in progress.columns:
        return {}
    if "target_type" not in progress.columns:
        return {}
    rows = progress[progress["target_type"].isin(["parity", "relative", "absolute"])]
    return {key: part for key, part in rows.groupby("indicator", sort=False)}


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _draw_level_path(
    ax: Axes,
    targets: pd.DataFrame,
    by_area: Mapping[str, pd.DataFrame],
    drawn: Sequence[str],
    reference: str,
    target_year: int,
    aggregate: str | None = None,
) -> int | None:
    """Dotted line from a baseline point to an absolute/relative target level.

    The aggregate's path if it has one, else the first neighbourhood's: one path
    per panel keeps it readable; the table gives every area's progress.
    Returns the year the path ends, or None when nothing could be drawn.
    """
    if "target_value" not in targets:
        return None
    level = targets[
        targets["target_type"].isin(["absolute", "relative"]) & targets["target_value"].map(_finite)
    ].drop_duplicates("area")
    # The first usable target row of each area.
    first = dict(zip(level["area"], level.to_dict("records"), strict=True))
    for area in [aggregate, *(a for a in drawn if a not in (aggregate, reference))]:
        if area not in drawn or area not in first:
            continue
        row = first[area]
        end_year = int(row["target_year"]) if _finite(row.get("target_year")) else target_year
        if _finite(row.get("baseline_year")) and _finite(row.get("baseline_value")):
            start_year, start_value = float(row["baseline_year"]), float(row["baseline_value"])
        else:
            own = by_area.get(area)
            if own is None:
                continue
            start_year, start_value = float(own["year"].iloc[0]), float(own["value"].iloc[0])
        target = float(row["target_value"])
        xs, ys = [start_year, end_year], [start_value, target]
        if row["target_type"] == "relative" and start_value > 0 and target > 0:
            # Relative targets are assessed at a constant yearly rate (log scale), so
            # the required path is a curve; a straight line would mislead the eye.
            grid = np.linspace(0.0, 1.0, 41)
            xs = list(start_year + grid * (end_year - start_year))
            ys = list(start_value * (target / start_value) ** grid)
        ax.plot(
            xs,
            ys,
            linestyle=":",
            linewidth=1.2,
            color=_TARGET_COLOUR,
            zorder=_Z_TARGET,
        )
        ax.plot(
            [end_year],
            [target],
            marker="*",
            markersize=8,
            color=_TARGET_COLOUR,
            linestyle="none",
            zorder=_Z_LINE + 1,
        )
        return end_year
    return None


def _draw_parity_target(
    ax: Axes,
    targets: pd.DataFrame,
    by_area: Mapping[str, pd.DataFrame],
    reference: str,
    target_year: int,
    reference_label: str,
) -> int | None:
    """The reference's latest level carried forward: the level the gap must close to."""
    ref = by_area.get(reference)
    if ref is None:
        return None
    years = targets["target_year"] if "target_year" in targets else pd.Series(dtype=float)
    years = [int(y) for y in years if _finite(y)]
    end_year = max(years) if years else target_year
    last_year, last_value = float(ref["year"].iloc[-1]), float(ref["value"].iloc[-1])
    ax.plot(
        [last_year, end_year],
        [last_value, last_value],
        linestyle=":",
        linewidth=1.2,
        color="#000000",
        zorder=_Z_TARGET,
    )
    ax.plot(
        [end_year],
        [last_value],
        marker="*",
        markersize=8,
        color=_TARGET_COLOUR,
        linestyle="none",
        zorder=_Z_LINE + 1,
    )
    # Below the line when it runs along the top of the panel, so the text stays
    # inside the frame (the limits are final: every series is drawn by now).
    low, high = ax.get_ylim()
    above = high == low or (last_value - low) / (high - low) < 0.8
    ax.annotate(
        parity_target_label(reference_label),
        xy=(end_year, last_value),
        xytext=(-4, 6 if above else -6),
        textcoords="offset points",
        ha="right",
        va="bottom" if above else "top",
        fontsize=_SMALL_PT,
        color="#000000",
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.8,
        },
        zorder=_Z_LINE + 2,
    )
    return end_year


def _draw_panel(
    ax: Axes,
    series: pd.DataFrame,
    meta: pd.Series,
    targets: pd.DataFrame,
    drawn: Sequence[str],
    styles: Mapping[str, _Style],
    reference: str,
    target_year: int,
    names: tuple[str, str | None],
) -> set[str]:
    """Draw one indicator; return which legend extras (error bars, targets) were used.

    ``series`` holds the indicator's measurements of the drawn areas, sorted by year;
    ``names`` is (the reference's label, the aggregate's id).
    """
    reference_label, aggregate = names
    used: set[str] = set()
    by_area = {area: rows for area, rows in series.groupby("area", sort=False)}
    present = [a for a in drawn if a in by_area]
    if _draw_error_bars(ax, by_area, present, styles):
        used.add("se")
    # Read before the lines are drawn: sharex decides it.
    x_visible = bool(ax.xaxis.get_tick_params().get("labelbottom", True))
    _draw_lines(ax, series, present, styles)
    target = _draw_target(
        ax, targets, by_area, drawn, reference, target_year, aggregate, reference_label
    )
    if target is not None:
        used.add(target)
    _decorate_panel(ax, meta, x_visible)
    return used


def _draw_error_bars(
    ax: Axes,
    by_area: Mapping[str, pd.DataFrame],
    present: Sequence[str],
    styles: Mapping[str, _Style],
) -> bool:
    """±1.96·se bars where a positive se is known; whether any bar was drawn."""
    drawn_any = False
    for area in present:
        own = by_area[area]
        se = own["se"].to_numpy(dtype=float, na_value=np.nan)
        with_se = ~np.isnan(se) & (se > 0)
        # Error bars below the lines, so the lines stay legible where intervals overlap.
        if with_se.any():
            ax.errorbar(
                own["year"].to_numpy()[with_se],
                own["value"].to_numpy()[with_se],
                yerr=1.96 * se[with_se],
                fmt="none",
                ecolor=styles[area].colour,
                elinewidth=0.7,
                capsize=1.5,
                alpha=0.75,
                zorder=_Z_ERRORBAR,
            )
            drawn_any = True
    return drawn_any


def _draw_lines(
    ax: Axes, series: pd.DataFrame, present: Sequence[str], styles: Mapping[str, _Style]
) -> None:
    """One line with markers per area, in the area's colour, width, dashes and marker.

    Points are joined in year order across missing years; a one-point series
    (only the nulmeting) shows as its marker. Tidy input has one value per
    year; should a duplicate slip through, its mean is drawn rather than a
    vertical zigzag.
    """
    points = series.dropna(subset=["year", "value"]).groupby(["area", "year"], sort=True)["value"]
    means = points.mean()
    for area in present:
        if area not in means.index.get_level_values(0):
            continue
        own = means.loc[area]
        style = styles[area]
        ax.plot(
            own.index.to_numpy(dtype=float),
            own.to_numpy(dtype=float),
            color=style.colour,
            linewidth=style.linewidth,
            dashes=(4, 2) if style.linestyle == "--" else (None, None),
            marker=style.marker,
            markersize=3.4,
            markeredgecolor="white",
            markeredgewidth=0.6,
            zorder=_Z_LINE,
        )


def _draw_target(
    ax: Axes,
    targets: pd.DataFrame,
    by_area: Mapping[str, pd.DataFrame],
    drawn: Sequence[str],
    reference: str,
    target_year: int,
    aggregate: str | None,
    reference_label: str,
) -> str | None:
    """The panel's target: ``"path"`` (absolute/relative), ``"parity"``, or None if none drawn.

    A level target wins over parity; parity is drawn only when no path could be.
    """
    kinds = set(targets["target_type"]) if not targets.empty else set()
    if (
        kinds & {"absolute", "relative"}
        and _draw_level_path(ax, targets, by_area, drawn, reference, target_year, aggregate)
        is not None
    ):
        return "path"
    if (
        "parity" in kinds
        and _draw_parity_target(
            ax,
            targets[targets["target_type"] == "parity"],
            by_area,
            reference,
            target_year,
            reference_label,
        )
        is not None
    ):
        return "parity"
    return None


def _decorate_panel(ax: Axes, meta: pd.Series, x_visible: bool) -> None:
    """Title, direction note, unit, Dutch tick labels, grid; the x label only if shown.

    The (empty) x label stays visible only on the bottom row, where sharex left
    the tick labels on (``x_visible``): there it keeps its pad in the layout.
    """
    # An explicit y: matplotlib would otherwise check, on every layout pass and draw,
    # whether top tick labels or an offset text push the title up; there are none.
    ax.set_title(
        textwrap.fill(str(meta["label"]), _TITLE_WIDTH), fontsize=_PANEL_TITLE_PT, pad=10, y=1.0
    )
    note = _direction_note(meta["higher_is_better"])
    if note:
        # Between the title and the frame, so it never covers data.
        ax.text(
            0.0,
            1.015,
            note,
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=_SMALL_PT,
            color="#555555",
            style="italic",
        )
    unit = meta["unit_label"]
    ax.set_ylabel("" if pd.isna(unit) else str(unit), fontsize=_SMALL_PT)
    ax.set_xlabel("", visible=x_visible)
    if not x_visible:
        # A hidden label needs no position: spare matplotlib placing it below the
        # tick labels on every layout pass and draw.
        ax.xaxis.set_label_coords(0.5, 0.0)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(_format_nl))
    ax.grid(True, color="#E5E5E5", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=_SMALL_PT, length=2.5, pad=1.5)
    ax.spines[["top", "right"]].set_visible(False)


def _draw_pre_start_trend(
    ax: Axes,
    series: pd.DataFrame,
    drawn: Sequence[str],
    styles: Mapping[str, _Style],
    start_year: int,
) -> bool:
    """Behind the points: each area's pre-start trend (dotted), carried on to its latest
    year, with the prediction band of
    :func:`~npdw_learning.tellen.breaks.pre_start_projection` from the last pre-start year on.

    Only for areas with enough points before ``start_year`` and at least one
    from it on (the series ``breaks.csv`` judges). Returns whether one was drawn.
    """
    drew = False
    for area, own in series.groupby("area", sort=False):
        years = own["year"].to_numpy(dtype=float)
        if area not in drawn or not (years >= start_year).any():
            continue
        span = np.arange(years.min(), years.max() + 1)
        proj = pre_start_projection(years, own["value"].to_numpy(dtype=float), start_year, span)
        if proj.empty:
            continue
        colour = styles[area].colour
        # The band only where the line is a projection: from the last pre-start year on.
        ahead = proj[proj["year"] >= years[years < start_year].max()]
        # One polygon (what fill_between draws, at a fraction of its cost).
        x = ahead["year"].to_numpy(dtype=float)
        ax.fill(
            np.concatenate([x, x[::-1]]),
            np.concatenate([ahead["low"].to_numpy(float), ahead["high"].to_numpy(float)[::-1]]),
            color=colour,
            alpha=0.10,
            linewidth=0,
            zorder=_Z_TARGET,
        )
        ax.plot(
            proj["year"],
            proj["expected"],
            color=colour,
            linestyle=":",
            linewidth=0.8,
            alpha=0.8,
            zorder=_Z_TARGET,
        )
        drew = True
    return drew


def _legend_handles(
    drawn: Sequence[str],
    styles: Mapping[str, _Style],
    labels: Mapping[str, str],
    used: set[str],
    target_year: int,
    reference_label: str,
) -> tuple[list[Line2D], list[Line2D]]:
    """Legend entries: one per area, then the extras that some panel actually uses."""
    areas = [
        Line2D(
            [],
            [],
            color=styles[a].colour,
            marker=styles[a].marker,
            linestyle=styles[a].linestyle,
            linewidth=styles[a].linewidth,
            markersize=styles[a].markersize,
            markeredgecolor="white",
            markeredgewidth=0.6,
            label=labels.get(a, a),
        )
        for a in drawn
    ]
    handles: list[Line2D] = []
    if "se" in used:
        handles.append(
            Line2D(
                [],
                [],
                color="#777777",
                marker="|",
                markersize=8,
                linestyle="none",
                label="95%-interval (±1,96 × se)",
            )
        )
    if "path" in used:
        handles.append(
            Line2D(
                [],
                [],
                color=_TARGET_COLOUR,
                linestyle=":",
                linewidth=1.2,
                label=f"pad van nulmeting naar doel {target_year}",
            )
        )
    if "parity" in used:
        handles.append(
            Line2D(
                [],
                [],
                color="#000000",
                linestyle=":",
                linewidth=1.2,
                label=parity_legend_label(reference_label, target_year),
            )
        )
    if used & {"path", "parity"}:
        handles.append(
            Line2D(
                [],
                [],
                color=_TARGET_COLOUR,
                marker="*",
                markersize=8,
                linestyle="none",
                label=f"doel {target_year}",
            )
        )
    return areas, handles


@figure_fonts()
def plot_pillar(
    measurements: pd.DataFrame,
    indicators: pd.DataFrame,
    progress: pd.DataFrame | None,
    pillar: str,
    *,
    pillar_label: str,
    area_labels: Mapping[str, str],
    reference: str = "dordrecht",
    aggregate: str | None = None,
    areas: Sequence[str] | None = None,
    target_year: int = 2043,
    synthetic: bool = False,
    start_year: int | None = None,
) -> Figure:
    """Small multiples of every indicator of one pillar, with the path to the target.

    One panel per indicator of the pillar that has measurements (three a row),
    in the order of ``indicators``, drawn as the module docstring describes.

    Parameters
    ----------
    measurements : DataFrame
        ``indicator, area, year, value`` and optionally ``se``.
    indicators : DataFrame
        ``id, label, pillar, unit_label, higher_is_better``.
    progress : DataFrame or None
        Only its target columns are used; ``None`` or empty: no targets.
    pillar, pillar_label : str
        Pillar id (the panels are its indicators) and its Dutch name (the title).
    area_labels : mapping
        Area id to Dutch label, for the legend.
    reference, aggregate : str
        The reference area (black dashed) and the aggregate (drawn heavier).
    areas : sequence of str, optional
        Areas to draw, in legend order (the reference is always added);
        default every area with data, in :data:`AREA_ORDER`.
    target_year : int, default 2043
        End of the x axis and of target paths without their own target year.
    synthetic : bool, default False
        Draw the red :data:`SYNTHETIC_BANNER` line on the figure.
    start_year : int, optional
        The programme's start year: a series with enough points before it and
        one after gets its pre-start trend and band behind the points (``breaks.csv``).

    Returns
    -------
    matplotlib.figure.Figure
        Still open; ``fig.axes`` are the panels, one per drawn indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"indicator": "x", "area": ["wielwijk", "dordrecht"] * 2,
    ...                   "year": [2015, 2015, 2020, 2020], "value": [40.0, 50, 45, 51]})
    >>> ind = pd.DataFrame({"id": ["x"], "label": ["Voorbeeld"], "pillar": ["wonen"],
    ...                     "unit_label": ["%"], "higher_is_better": [True]})
    >>> fig = plot_pillar(m, ind, None, "wonen", pillar_label="Wonen",
    ...                   area_labels={"wielwijk": "Wielwijk", "dordrecht": "Dordrecht"})
    >>> len(fig.axes), plt.close(fig)
    (1, None)
    """
    _require(measurements, _MEASUREMENT_COLUMNS, "measurements")
    _require(indicators, _INDICATOR_COLUMNS, "indicators")
    content = _pillar_content(measurements, indicators, pillar, reference, areas)
    layout = _page_layout(len(content.panels), len(content.drawn), content.missing, synthetic)
    fig, flat = _new_figure(layout)
    styles = _area_styles(content.drawn, reference, aggregate)
    names = (area_labels.get(reference, reference), aggregate)
    targets = _targets_by_indicator(progress)
    used, end_year = _draw_panels(
        flat, content, targets, styles, reference, target_year, names, start_year
    )
    first_year = int(content.data["year"].min()) if not content.data.empty else target_year - 10
    _share_year_axis(fig, flat, layout.panels, first_year, end_year)
    _draw_heading(fig, pillar_label, layout, synthetic)
    handles = _legend_handles(content.drawn, styles, area_labels, used, end_year, names[0])
    _draw_footer(fig, layout, handles)
    return fig


@dataclass(frozen=True)
class _PillarContent:
    """What a pillar figure shows: its measurements, areas and panels."""

    data: pd.DataFrame  # the drawn areas' values, sorted by year
    drawn: list[str]  # areas in legend order, the reference last
    panels: pd.DataFrame  # the indicators with measurements, one panel each
    missing: list[str]  # labels of the indicators without measurements
    by_indicator: dict[str, pd.DataFrame]  # ``data`` split by indicator


def _pillar_content(
    measurements: pd.DataFrame,
    indicators: pd.DataFrame,
    pillar: str,
    reference: str,
    areas: Sequence[str] | None,
) -> _PillarContent:
    """Select the pillar's indicators and the areas to draw; split them into panels."""
    pillar_indicators = indicators[indicators["pillar"] == pillar].drop_duplicates("id")
    data = _pillar_measurements(measurements, pillar_indicators["id"])
    drawn = _drawn_areas(set(data["area"]), reference, areas)
    # Sorted by year once: every per-area subset below is then in time order.
    data = data[data["area"].isin(drawn)].sort_values("year", kind="stable")
    by_indicator = {key: rows for key, rows in data.groupby("indicator", sort=False)}
    with_data = pillar_indicators["id"].isin(set(by_indicator))
    missing = pillar_indicators.loc[~with_data, "label"].astype(str).tolist()
    return _PillarContent(data, drawn, pillar_indicators[with_data], missing, by_indicator)


def _draw_panels(
    flat: np.ndarray,
    content: _PillarContent,
    targets_by_indicator: Mapping[str, pd.DataFrame],
    styles: Mapping[str, _Style],
    reference: str,
    target_year: int,
    names: tuple[str, str | None],
    start_year: int | None = None,
) -> tuple[set[str], int]:
    """One panel per indicator; the legend extras used and the last target year drawn.

    With ``start_year``, each panel also shows the pre-start trend and its band.
    """
    end_year = target_year
    used: set[str] = set()
    for ax, (_, meta) in zip(flat, content.panels.iterrows(), strict=False):
        series = content.by_indicator[meta["id"]]
        targets = targets_by_indicator.get(str(meta["id"]), _NO_TARGETS)
        used |= _draw_panel(
            ax, series, meta, targets, content.drawn, styles, reference, target_year, names
        )
        if start_year is not None:
            _draw_pre_start_trend(ax, series, content.drawn, styles, start_year)
        if "target_year" in targets:
            end_year = max([end_year, *(int(y) for y in targets["target_year"] if _finite(y))])
    return used, end_year


def _pillar_measurements(measurements: pd.DataFrame, indicator_ids: pd.Series) -> pd.DataFrame:
    """The measured values of the pillar's indicators: int years, float values and se (NaN)."""
    data = measurements[measurements["indicator"].isin(indicator_ids)].copy()
    if "se" not in data.columns:
        data["se"] = np.nan
    data = data[data["value"].notna()]
    data["year"] = data["year"].astype(int)
    data["value"] = data["value"].astype(float)
    data["se"] = pd.to_numeric(data["se"], errors="coerce")
    return data


def _drawn_areas(present: set[str], reference: str, areas: Sequence[str] | None) -> list[str]:
    """The areas in legend order, the reference last.

    ``areas`` as given, else every area with data: those of :data:`AREA_ORDER`
    in that order, then any other alphabetically.
    """
    if areas is None:
        known = [a for a in AREA_ORDER if a in present and a != reference]
        drawn = [*known, *sorted(present - set(known) - {reference})]
    else:
        drawn = [a for a in areas if a != reference]
    drawn.append(reference)
    return drawn


@dataclass(frozen=True)
class _PageLayout:
    """The size of a pillar figure and its fixed strips, in inches."""

    panels: int
    nrows: int
    ncols: int
    width: float
    height: float
    banner: float  # the synthetic-data banner strip at the top (0 without)
    footer: float  # legend rows and the note under the panels
    per_row: int  # legend entries per row
    note_lines: tuple[str, ...]  # "Geen cijfers voor: ...", wrapped


def _page_layout(panels: int, areas: int, missing: Sequence[str], synthetic: bool) -> _PageLayout:
    """Three panels a row; room for the banner, title, legend rows and the missing note."""
    ncols = max(1, min(_COL_WRAP, panels))
    nrows = max(1, math.ceil(panels / ncols))
    width = _WIDTH
    # Legend rows: the areas, then the extras (error bars, target); a row holds
    # as many entries as fit the figure width.
    per_row = max(1, int(width / _LEGEND_ENTRY_IN))
    legend_rows = math.ceil(areas / per_row) + math.ceil(4 / per_row)
    note_lines = (
        textwrap.wrap("Geen cijfers voor: " + "; ".join(missing), int(width / 0.055))
        if len(missing)
        else []
    )
    banner = _BANNER_IN if synthetic else 0.0
    footer = 2 * _PAD_IN + _LEGEND_ROW_IN * legend_rows + _NOTE_LINE_IN * len(note_lines)
    height = _PANEL_SIZE[1] * nrows + _TITLE_IN + banner + footer
    return _PageLayout(
        panels, nrows, ncols, width, height, banner, footer, per_row, tuple(note_lines)
    )


def _new_figure(layout: _PageLayout) -> tuple[Figure, np.ndarray]:
    """The figure and its panel axes (flat, row by row); the spare slots are removed."""
    fig, axes = plt.subplots(
        layout.nrows,
        layout.ncols,
        figsize=(layout.width, layout.height),
        squeeze=False,
        sharex=True,
        layout="constrained",
    )
    # The panels get the middle; banner, suptitle, legend and note have fixed
    # strips (in inches) so they can never overlap a panel.
    top = (layout.footer + _TITLE_IN + layout.banner) / layout.height
    fig.get_layout_engine().set(
        rect=(0.0, layout.footer / layout.height, 1.0, 1.0 - top),
        h_pad=0.06,
        w_pad=0.06,
        hspace=0.04,
        wspace=0.04,
    )
    return fig, axes.ravel()


def _share_year_axis(
    fig: Figure, flat: np.ndarray, panels: int, first_year: int, end_year: int
) -> None:
    """Remove the empty slots; one year axis for all panels, labelled under every panel."""
    for ax in flat[panels:]:
        fig.delaxes(ax)
    if panels:
        # The panels share their x axis (limits, locator and formatter): set it once.
        flat[0].set_xlim(first_year - 0.8, end_year + 0.8)
        flat[0].set_xticks(_year_ticks(first_year, end_year))
        flat[0].xaxis.set_major_formatter(ticker.FormatStrFormatter("%d"))
    for ax in flat[:panels]:
        # sharex hides tick labels of upper rows; a panel above an empty slot needs them.
        ax.tick_params(axis="x", labelbottom=True)


def _draw_heading(fig: Figure, pillar_label: str, layout: _PageLayout, synthetic: bool) -> None:
    """The pillar's name as the title, under the red demo-data banner when ``synthetic``."""
    banner, height = layout.banner, layout.height
    # An explicit y keeps constrained layout from moving the suptitle into the panel area.
    fig.suptitle(
        pillar_label,
        y=1.0 - (banner + 0.08) / height,
        va="top",
        fontsize=_HEADING_PT,
        fontweight="bold",
    )
    if synthetic:
        fig.text(
            0.5,
            1.0 - 0.5 * banner / height,
            SYNTHETIC_BANNER,
            ha="center",
            va="center",
            fontsize=_BANNER_PT,
            fontweight="bold",
            color=_BANNER_COLOUR,
            bbox={
                "boxstyle": "square,pad=0.35",
                "facecolor": "#FFECEC",
                "edgecolor": _BANNER_COLOUR,
                "linewidth": 1.0,
            },
        )


def _draw_footer(
    fig: Figure, layout: _PageLayout, handles: tuple[list[Line2D], list[Line2D]]
) -> None:
    """Under the panels: the legends and the missing note; without panels, say so."""
    if layout.panels == 0:
        fig.text(
            0.5,
            0.5,
            "Geen cijfers voor deze pijler",
            ha="center",
            va="center",
            fontsize=_HEADING_PT,
        )
    else:
        _draw_legends(fig, layout, handles)
    _draw_missing_note(fig, layout)


def _draw_legends(
    fig: Figure, layout: _PageLayout, handles: tuple[list[Line2D], list[Line2D]]
) -> None:
    """The area legend, then the extras' legend, each centred in rows under the panels."""
    top = layout.footer - _PAD_IN
    for group in handles:
        if not group:
            continue
        fig.legend(
            handles=group,
            loc="upper center",
            bbox_to_anchor=(0.5, top / layout.height),
            ncol=min(len(group), layout.per_row),
            frameon=False,
            fontsize=_LEGEND_PT,
            handlelength=2.4,
            columnspacing=1.2,
            borderaxespad=0.0,
            borderpad=0.1,
        )
        top -= _LEGEND_ROW_IN * math.ceil(len(group) / layout.per_row)


def _draw_missing_note(fig: Figure, layout: _PageLayout) -> None:
    """Under the legend: the indicators of the pillar that have no figures (if any)."""
    if not layout.note_lines:
        return
    fig.text(
        0.02,
        _PAD_IN / layout.height,
        "\n".join(layout.note_lines),
        ha="left",
        va="bottom",
        fontsize=_SMALL_PT,
        color="#444444",
        style="italic",
    )


def _fix_layout(fig: Figure, dpi: float) -> None:
    """Run the figure's layout engine once, at the output resolution, and keep the result.

    With a layout engine attached, ``savefig`` draws the whole figure twice: a
    draw without rendering to run the layout, then the real one. The layout
    only needs the extents of the texts and tick labels, not a full draw.
    """
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes:  # without panels savefig runs no layout either
        return
    fig.set_dpi(dpi)  # the text extents the layout depends on scale with the dpi
    engine.execute(fig)
    # Detach the engine, so savefig takes the positions as they are. ("none" would
    # leave a placeholder engine, which still triggers the extra draw.)
    with plt.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def save_pillar_figures(
    measurements: pd.DataFrame,
    indicators: pd.DataFrame,
    progress: pd.DataFrame | None,
    pillars: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    *,
    area_labels: Mapping[str, str],
    reference: str = "dordrecht",
    aggregate: str | None = None,
    areas: Sequence[str] | None = None,
    synthetic: bool = False,
    dpi: int = FIGURE_DPI,
    start_year: int | None = None,
) -> list[Path]:
    """Write one PNG per pillar, ``tellen_<pillar-id>.png``, atomically.

    Parameters
    ----------
    measurements, indicators, progress
        As for :func:`plot_pillar`.
    pillars : DataFrame
        ``id, label``; one figure per row, in this order.
    out_dir : path
        Directory for the PNG files; created when missing.
    area_labels, reference, aggregate, areas, synthetic, start_year
        As for :func:`plot_pillar`.
    dpi : int, default :data:`FIGURE_DPI`
        Resolution of the PNG files.

    Returns
    -------
    list of pathlib.Path
        The written files, in the order of ``pillars`` (byte-identical for the same
        inputs, so copied when drawn before: :mod:`~npdw_learning.kern.filecache`);
        drawn two at a time where processes can be forked (Linux).

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> m = pd.DataFrame({"indicator": "x", "area": "wielwijk", "year": [2015, 2020],
    ...                   "value": [40.0, 45.0]})
    >>> ind = pd.DataFrame({"id": ["x"], "label": ["Voorbeeld"], "pillar": ["wonen"],
    ...                     "unit_label": ["%"], "higher_is_better": [True]})
    >>> pil = pd.DataFrame({"id": ["wonen"], "label": ["Wonen"]})
    >>> paths = save_pillar_figures(m, ind, None, pil, tempfile.mkdtemp(),
    ...                             area_labels={"wielwijk": "Wielwijk"}, dpi=50)
    >>> [p.name for p in paths]
    ['tellen_wonen.png']
    """
    from ..kern.parallel import map_forked

    _require(pillars, ("id", "label"), "pillars")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Everything a figure is drawn from: a figure drawn before from the same is copied.
    chosen = None if areas is None else list(areas)
    options = (dict(area_labels), reference, aggregate, chosen, synthetic, dpi, start_year)
    key = partial(_figure_key, measurements, indicators, progress, options)
    style = {"area_labels": area_labels, "reference": reference, "aggregate": aggregate}
    style |= {"areas": areas, "synthetic": synthetic, "start_year": start_year}
    plot = partial(plot_pillar, measurements, indicators, progress, **style)
    draw = partial(_draw_once, plot, key, out, dpi)
    # Each figure is drawn on its own: on both cores at once (:mod:`~npdw_learning.kern.parallel`).
    return map_forked(draw, zip(pillars["id"], pillars["label"], strict=True))


def _draw_once(plot, key, out: Path, dpi: int, pillar: tuple[str, str]) -> Path:
    """One pillar's figure of :func:`save_pillar_figures`: drawn with ``plot``, or copied
    when the same ``key`` was drawn before (:func:`~npdw_learning.kern.filecache.made_once`)."""
    from ..kern.filecache import made_once

    def make(tmp: Path) -> None:
        _save_png(plot(str(pillar[0]), pillar_label=str(pillar[1])), tmp, dpi)

    return made_once(out / f"tellen_{pillar[0]}.png", key(pillar), make)


def _figure_key(
    measurements: pd.DataFrame,
    indicators: pd.DataFrame,
    progress: pd.DataFrame | None,
    options: tuple,
    pillar: tuple[str, str],
) -> str:
    """The cache key of one pillar's figure (:func:`save_pillar_figures`): its own rows of
    every table (:func:`plot_pillar` draws no other), so new figures for one pillar leave
    the others' copies valid, and the drawing options."""
    from ..kern.filecache import digest

    own = indicators[indicators["pillar"] == pillar[0]]
    ids = set(own["id"])
    rows = measurements[measurements["indicator"].isin(ids)]
    targets = progress
    if progress is not None and "indicator" in progress.columns:
        targets = progress[progress["indicator"].isin(ids)]
    key = ("tellen-pillar", list(options), str(pillar[0]), str(pillar[1]))
    return digest(*key, own, rows, targets)


@figure_fonts()  # tick labels take their font when the figure is drawn
def _save_png(fig: Figure, path: Path, dpi: int) -> Path:
    """Write ``fig`` to ``path`` atomically, the same bytes for the same figure; close it."""
    try:
        _fix_layout(fig, dpi)
        # No "Software" chunk: it carries the matplotlib version, and the same
        # inputs must give the same bytes. The fastest zlib level: the pixels are
        # the same, the file ~8% larger, encoding a third faster.
        return write_atomic(
            path,
            lambda tmp: fig.savefig(
                tmp,
                format="png",
                dpi=dpi,
                metadata={"Software": None},
                pil_kwargs={"compress_level": 1},
            ),
        )
    finally:
        plt.close(fig)
