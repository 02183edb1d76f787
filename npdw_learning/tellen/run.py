"""Tellen in one call: trends and progress for every indicator x area.

The CLI and the notebooks both go through :func:`run_tellen`, so the numbers
in the report are the numbers in ``trends.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..kern.registry import Registry
from .measurements import LoadResult
from .progress import progress_table
from .trends import se_from_n, trend_table

__all__ = ["TellenResult", "run_tellen", "with_sampling_error"]


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
    """

    measurements: pd.DataFrame
    trends: pd.DataFrame
    progress: pd.DataFrame
    synthetic: bool


def with_sampling_error(measurements: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Fill a missing ``se`` from ``n`` for percentages (binomial standard error)."""
    m = measurements.copy()
    unit = m["indicator"].map(registry.unit_of())
    derived = se_from_n(m["value"].to_numpy(float), m["n"].to_numpy(float), unit.to_numpy())
    m["se"] = np.where(m["se"].notna(), m["se"], derived).astype(float)
    return m


def run_tellen(registry: Registry, loaded: LoadResult) -> TellenResult:
    """Trend and progress tables for the measurements of one run.

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
    trends = trend_table(m, hib)
    progress = progress_table(m, registry.targets(), hib, reference=registry.reference)
    return TellenResult(m, trends, progress, loaded.synthetic)
