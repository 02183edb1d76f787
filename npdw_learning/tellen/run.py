"""Tellen in one call: trends, changes, breaks and progress for every indicator x area.

The CLI and the notebooks both go through :func:`run_tellen`, so the numbers
in the report are the numbers in ``trends.csv``, and both write what it found
with :func:`write_tellen_outputs`, so ``npdw trends`` and ``npdw evaluate``
give the same tables and figures. The trend tests and the change tests of one
run form one family for the Benjamini-Hochberg correction (:func:`joint_fdr`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from ..kern.atomic import write_csv
from ..kern.registry import Registry
from .breaks import BREAK_COLUMNS, break_table
from .changes import CHANGE_COLUMNS, change_table, directional_verdicts
from .figures import FIGURE_DPI, save_pillar_figures
from .measurements import LoadResult
from .progress import progress_table
from .trends import FDR_ALPHA, MIN_POINTS, se_from_n, trend_table, verdict_effect

__all__ = [
    "TellenOutputs",
    "TellenResult",
    "joint_fdr",
    "limit_to_areas",
    "rows_in_areas",
    "run_tellen",
    "with_sampling_error",
    "write_tellen_outputs",
]


@dataclass(frozen=True)
class TellenResult:
    """The tables of one tellen run.

    Attributes
    ----------
    measurements : DataFrame
        The analysed measurements, ``se`` filled from ``n`` where possible.
    trends : DataFrame
        ``trends.csv``.
    progress : DataFrame
        ``progress.csv``.
    synthetic : bool
        Whether synthetic demo figures were used.
    changes : DataFrame
        ``changes.csv``: the change since the baseline of the series too
        short for a trend (:func:`~.changes.change_table`).
    breaks : DataFrame
        ``breaks.csv``: the latest value against the projected pre-start
        trend (:func:`~.breaks.break_table`).
    """

    measurements: pd.DataFrame
    trends: pd.DataFrame
    progress: pd.DataFrame
    synthetic: bool
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    breaks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BREAK_COLUMNS))


def with_sampling_error(measurements: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Fill a missing ``se`` from ``n`` for percentages (binomial standard error)."""
    m = measurements.copy()
    unit = m["indicator"].map(registry.unit_of())
    derived = se_from_n(m["value"].to_numpy(float), m["n"].to_numpy(float), unit.to_numpy())
    m["se"] = np.where(m["se"].notna(), m["se"], derived).astype(float)
    return m


def joint_fdr(
    trends: pd.DataFrame,
    changes: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    *,
    alpha: float = FDR_ALPHA,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benjamini-Hochberg over the trend tests and the change tests together.

    The family is every trend row with at least
    :data:`~.trends.MIN_POINTS` years and every change row with a test; the
    q-values of both tables are replaced by the joint ones and the verdicts
    recomputed from them (the sign of the effect: :func:`~.trends.verdict_effect`
    for a trend row, the change for a change row). The rows
    without a test keep their verdict.

    Returns
    -------
    (trends, changes)
        New tables; the inputs are not changed.
    """
    trends, changes = trends.copy(), changes.copy()
    t_rows = (trends["n"] >= MIN_POINTS).to_numpy()
    c_rows = (changes["test"] != "none").to_numpy()
    p = np.concatenate(
        [
            trends.loc[t_rows, "p_value"].to_numpy(float),
            changes.loc[c_rows, "p_value"].to_numpy(float),
        ]
    )
    if not len(p):
        return trends, changes
    # method="fdr_bh" is explicit on purpose: multipletests defaults to Holm-Sidak.
    q = multipletests(p, method="fdr_bh")[1]
    q_trends, q_changes = q[: t_rows.sum()], q[t_rows.sum() :]
    effect = verdict_effect(trends.loc[t_rows])
    trends.loc[t_rows, "q_value"] = q_trends
    trends.loc[t_rows, "verdict"] = directional_verdicts(
        q_trends,
        effect,
        trends.loc[t_rows, "indicator"].map(higher_is_better).to_numpy(bool),
        alpha=alpha,
        flat="no_significant_trend",
    )
    changes.loc[c_rows, "q_value"] = q_changes
    changes.loc[c_rows, "verdict"] = directional_verdicts(
        q_changes,
        changes.loc[c_rows, "change"],
        changes.loc[c_rows, "indicator"].map(higher_is_better).to_numpy(bool),
        alpha=alpha,
        flat="no_significant_change",
    )
    return trends, changes


def run_tellen(registry: Registry, loaded: LoadResult) -> TellenResult:
    """Trend, change, break and progress tables for the measurements of one run.

    Parameters
    ----------
    registry : Registry
    loaded : LoadResult
        From :func:`~npdw_learning.tellen.measurements.load_measurements`; must hold
        no errors.

    Examples
    --------
    >>> from npdw_learning import ProgrammeFolder, load_measurements
    >>> folder = ProgrammeFolder.bundled()
    >>> reg = folder.registry
    >>> result = run_tellen(reg, load_measurements(reg, folder.root, demo=True))
    >>> sorted(result.trends["verdict"].unique())[:1]
    ['improving']
    """
    m = with_sampling_error(loaded.measurements, registry)
    hib = registry.higher_is_better
    # One false discovery rate for every verdict of the run, trends and changes together.
    trends = trend_table(m, hib, alpha=FDR_ALPHA)
    changes = change_table(m, hib, registry.unit_of(), alpha=FDR_ALPHA)
    trends, changes = joint_fdr(trends, changes, hib, alpha=FDR_ALPHA)
    breaks = break_table(m, hib, registry.start_year, reference=registry.reference)
    progress = progress_table(m, registry.targets(), hib, reference=registry.reference)
    return TellenResult(m, trends, progress, loaded.synthetic, changes, breaks)


def rows_in_areas(
    frame: pd.DataFrame, areas: Sequence[str], *, keep_blank: bool = False
) -> pd.DataFrame:
    """The rows of ``frame`` whose ``area`` is one of ``areas`` (all rows without that column).

    ``keep_blank`` also keeps the rows without an area (a finding about a whole file).

    >>> frame = pd.DataFrame({"area": ["wielwijk", "crabbehof", None], "x": [1, 2, 3]})
    >>> rows_in_areas(frame, ["wielwijk"], keep_blank=True)["x"].tolist()
    [1, 3]
    """
    if "area" not in frame.columns:
        return frame
    keep = frame["area"].isin(list(areas))
    if keep_blank:
        keep |= frame["area"].isna() | (frame["area"].astype(str).str.strip() == "")
    return frame[keep].reset_index(drop=True)


def limit_to_areas(result: TellenResult, areas: Sequence[str]) -> TellenResult:
    """``result`` with only the rows of ``areas`` in each table.

    Every verdict stays as the whole run computed it: the Benjamini-Hochberg
    correction was made over every series, so a neighbourhood reads the same
    whichever others are chosen beside it.
    """
    return replace(
        result,
        measurements=rows_in_areas(result.measurements, areas),
        trends=rows_in_areas(result.trends, areas),
        progress=rows_in_areas(result.progress, areas),
        changes=rows_in_areas(result.changes, areas),
        breaks=rows_in_areas(result.breaks, areas),
    )


@dataclass(frozen=True)
class TellenOutputs:
    """What :func:`write_tellen_outputs` wrote.

    Attributes
    ----------
    tables : dict
        ``"trends"``, ``"changes"``, ``"breaks"``, ``"progress"``, ``"data_quality"``
        -> the CSV file.
    figures : dict
        Pillar id -> its PNG file, in the registry's pillar order.
    findings : DataFrame
        The data-quality findings as written to ``data_quality.csv``.
    """

    tables: dict[str, Path]
    figures: dict[str, Path]
    findings: pd.DataFrame


def write_tellen_outputs(
    registry: Registry,
    loaded: LoadResult,
    result: TellenResult,
    *,
    tables_dir: str | Path,
    figures_dir: str | Path,
    areas: Sequence[str] | None = None,
) -> TellenOutputs:
    """Write the tellen tables (trends, changes, breaks, progress, data quality) and figures.

    Each file is written atomically. The figures draw the chosen
    neighbourhoods, the aggregate and the reference, at :data:`FIGURE_DPI`.

    Parameters
    ----------
    registry : Registry
    loaded : LoadResult
        The measurements as loaded; its findings become ``data_quality.csv``.
    result : TellenResult
        From :func:`run_tellen` on ``loaded``.
    tables_dir, figures_dir : path
        Folders for the CSV files and the PNG files (``tellen_<pillar>.png``).
    areas : sequence of str, optional
        The neighbourhoods to write and draw; default every neighbourhood of the
        registry. With ``areas``, every table (the data-quality findings too, and
        those about a whole file) keeps the rows of these, of the aggregate and of
        the reference they are compared with (:func:`limit_to_areas`).

    Examples
    --------
    >>> import tempfile
    >>> from npdw_learning import ProgrammeFolder, load_measurements
    >>> folder = ProgrammeFolder.bundled()
    >>> reg = folder.registry
    >>> loaded = load_measurements(reg, folder.root)
    >>> out = Path(tempfile.mkdtemp())
    >>> written = write_tellen_outputs(reg, loaded, run_tellen(reg, loaded),
    ...                                tables_dir=out, figures_dir=out / "figures")
    >>> sorted(p.name for p in written.tables.values())
    ['breaks.csv', 'changes.csv', 'data_quality.csv', 'progress.csv', 'trends.csv']
    """
    tables_dir, figures_dir = Path(tables_dir), Path(figures_dir)
    findings = loaded.findings_frame()
    if areas is not None:
        kept = [*areas, registry.aggregate_id, registry.reference]
        result = limit_to_areas(result, kept)
        findings = rows_in_areas(findings, kept, keep_blank=True)
    tables = {
        name: write_csv(frame, tables_dir / f"{name}.csv")
        for name, frame in (
            ("trends", result.trends),
            ("changes", result.changes),
            ("breaks", result.breaks),
            ("progress", result.progress),
            ("data_quality", findings),
        )
    }
    if areas is None:
        areas = registry.areas.loc[registry.areas["kind"] == "neighbourhood", "id"].tolist()
    paths = save_pillar_figures(
        result.measurements,
        registry.indicators,
        result.progress,
        registry.pillars,
        figures_dir,
        area_labels=registry.area_labels(),
        reference=registry.reference,
        aggregate=registry.aggregate_id,
        areas=[*areas, registry.aggregate_id],
        synthetic=result.synthetic,
        dpi=FIGURE_DPI,
        start_year=registry.start_year,
    )
    figures = {p.stem.removeprefix("tellen_"): p for p in paths}
    return TellenOutputs(tables, figures, findings)
