"""Tellen in one call: trends, changes, breaks and progress for every indicator x area.

The CLI and the notebooks both go through :func:`run_tellen`, so the numbers
in the report are the numbers in ``trends.csv``. The trend tests and the
change tests of one run form one family for the Benjamini-Hochberg
correction (:func:`joint_fdr`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from ..kern.registry import Registry
from .breaks import BREAK_COLUMNS, break_table
from .changes import CHANGE_COLUMNS, change_table, directional_verdicts
from .measurements import LoadResult
from .progress import progress_table
from .trends import MIN_POINTS, se_from_n, trend_table

__all__ = ["ALPHA", "TellenResult", "joint_fdr", "run_tellen", "with_sampling_error"]

# The false discovery rate of every verdict of a run (trends and changes).
ALPHA = 0.05


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
    alpha: float = ALPHA,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benjamini-Hochberg over the trend tests and the change tests together.

    The family is every trend row with at least
    :data:`~.trends.MIN_POINTS` years and every change row with a test; the
    q-values of both tables are replaced by the joint ones and the verdicts
    recomputed from them (the sign of the effect: the WLS slope for a
    ``wls_known_se`` trend, else tau; the change for a change row). The rows
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
    methods = trends.attrs.get("method", {})
    wls = [
        methods.get((i, a)) == "wls_known_se"
        for i, a in zip(trends.loc[t_rows, "indicator"], trends.loc[t_rows, "area"], strict=True)
    ]
    effect = np.where(wls, trends.loc[t_rows, "slope_per_year"], trends.loc[t_rows, "tau"])
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
    >>> from npdw_learning import load_registry, load_measurements
    >>> reg = load_registry()
    >>> result = run_tellen(reg, load_measurements(reg, demo=True))
    >>> sorted(result.trends["verdict"].unique())[:1]
    ['improving']
    """
    m = with_sampling_error(loaded.measurements, registry)
    hib = registry.higher_is_better
    trends = trend_table(m, hib, alpha=ALPHA)
    changes = change_table(m, hib, registry.unit_of(), alpha=ALPHA)
    trends, changes = joint_fdr(trends, changes, hib, alpha=ALPHA)
    breaks = break_table(m, hib, registry.start_year, reference=registry.reference)
    progress = progress_table(m, registry.targets(), hib, reference=registry.reference)
    return TellenResult(m, trends, progress, loaded.synthetic, changes, breaks)
