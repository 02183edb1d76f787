"""Progress of each indicator x area series towards its 2043 goal (tellen).

Descriptive, in the line of Eurostat's SDG progress assessment: compare the
observed rate of change (Theil-Sen slope) with the rate required to reach the
target in the target year, as the ratio of actual to required rate (RAR), and
project the Theil-Sen line to the target year with an interval from the slope's
confidence interval.

Three kinds of target:

``parity``
    Equal to the reference (the Dordrecht average). Everything is computed on
    the gap ``d = area - reference`` over the years both have, and the
    baseline, latest and projected values in the table are gaps.
``relative``
    A change relative to the value in ``base_year`` (``target_value = -0.70``
    means 70% lower). Rates are on the log scale, as for a compound annual
    growth rate; the table reports the target *level*.
``absolute``
    A level to reach; linear rates.

The columns of :func:`progress_table` (:data:`PROGRESS_COLUMNS`):

* ``target_value`` is the target *level* on the reported scale: the
  level itself (absolute), base value x (1 + target_value) in the
  unit of the indicator (relative), the target gap (parity).
* ``baseline_*`` is the first point of the series (absolute, none),
  the first year with both area and reference (parity; the value is
  the gap), or ``base_year`` and its value (relative).
* ``latest_*`` is the last point (for parity: the last gap).
* ``required_rate`` = (target - baseline) / (target_year -
  baseline_year) and ``observed_rate`` = Theil-Sen slope per year, on
  the linear scale, or of ln(value) for relative targets (so a rate of
  -0.04 is about -4% a year; exp(rate) - 1 is the CAGR). Series
  without a target still get their (linear) ``observed_rate``.
* ``rar`` = observed / required; NaN when the baseline already met
  the target (the required rate then points the wrong way).
* ``projected_*``: the Theil-Sen line through (median year, median
  value) extended to ``target_year``, with low/high from the slope's
  95% interval (log scale and back for relative targets; gaps for
  parity). NaN with fewer than ``min_points`` points.
* ``status``, the first rule that applies: no target (type none,
  missing base-year value or reference series) -> ``not_assessable``;
  latest value meets the target (direction-aware, any number of
  points) -> ``target_reached``; fewer than ``min_points`` points, a
  required rate of 0 or not finite (e.g. non-positive values on the
  log scale) -> ``not_assessable``; baseline already met the target ->
  ``moving_away`` if the slope points the wrong way, else
  ``not_assessable``; otherwise by RAR against :data:`ON_TRACK` and
  :data:`MODERATE`: ``on_track``, ``moderate_progress``,
  ``insufficient_progress``, ``moving_away`` (RAR < 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from npdw_learning.tellen.trends import (
    MIN_POINTS,
    _check_measurements,
    _iter_series,
    _theil_sen_many,
)

__all__ = [
    "MODERATE",
    "ON_TRACK",
    "PROGRESS_COLUMNS",
    "STATUSES",
    "TARGET_TYPES",
    "progress_table",
]

PROGRESS_COLUMNS = [
    "indicator",
    "area",
    "target_type",
    "target_value",
    "target_year",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "required_rate",
    "observed_rate",
    "rar",
    "projected_value",
    "projected_low",
    "projected_high",
    "status",
]
STATUSES = (
    "target_reached",
    "on_track",
    "moderate_progress",
    "insufficient_progress",
    "moving_away",
    "not_assessable",
)
TARGET_TYPES = ("parity", "relative", "absolute", "none")
# RAR thresholds (Eurostat-style): at >= 95% of the required pace the series is
# on track; 60-95% is moderate progress; 0-60% insufficient; < 0 moving away.
ON_TRACK = 0.95
MODERATE = 0.60

_TARGET_COLUMNS = ("indicator", "target_type", "target_value", "base_year", "target_year")
_FLOAT_COLUMNS = (
    "target_value",
    "baseline_value",
    "latest_value",
    "required_rate",
    "observed_rate",
    "rar",
    "projected_value",
    "projected_low",
    "projected_high",
)
_NAN = math.nan


def _identity(value: float) -> float:
    return value


def _as_float(value: Any) -> float:
    """Float of a targets cell; None and pandas' NA (from YAML loaders) become NaN."""
    return _NAN if value is None or pd.isna(value) else float(value)


def _check_targets(targets: pd.DataFrame) -> dict[str, dict[str, Any]]:
    missing = [c for c in _TARGET_COLUMNS if c not in targets.columns]
    if missing:
        raise ValueError(f"targets lacks column(s) {missing}")
    bad = sorted(set(targets["target_type"]) - set(TARGET_TYPES))
    if bad:
        raise ValueError(f"unknown target_type(s) {bad}; expected one of {TARGET_TYPES}")
    dup = sorted(targets.loc[targets["indicator"].duplicated(), "indicator"].unique())
    if dup:
        raise ValueError(f"more than one target for indicator(s) {dup}")
    return {
        rec["indicator"]: rec
        for rec in targets.loc[:, list(_TARGET_COLUMNS)].to_dict(orient="records")
    }


def _status(
    meets: bool,
    n: int,
    min_points: int,
    required: float,
    rar: float,
    observed: float,
    good: float,
    target_known: bool,
) -> str:
    if not target_known:
        return "not_assessable"
    if meets:
        return "target_reached"
    if n < min_points or not math.isfinite(required) or required == 0:
        return "not_assessable"
    if required * good < 0:
        # The baseline already met the target and the latest value no longer
        # does: RAR would read a decline as progress, so judge the slope alone.
        return "moving_away" if observed * good < 0 else "not_assessable"
    if not math.isfinite(rar):
        return "not_assessable"
    if rar >= ON_TRACK:
        return "on_track"
    if rar >= MODERATE:
        return "moderate_progress"
    if rar >= 0:
        return "insufficient_progress"
    return "moving_away"


@dataclass
class _Series:
    """One series prepared for assessment, before its Theil-Sen fit."""

    indicator: str
    area: str
    target_type: str
    good: float  # +1 when higher is better, -1 when lower is better
    n: int
    level: float  # target on the reported scale (NaN: no target)
    target_year: float
    baseline_year: float
    baseline_value: float
    latest_year: float
    latest_value: float
    target_known: bool
    log_scale: bool
    fit_years: npt.NDArray[np.float64] | None  # None: no slope (too few or unusable points)
    fit_values: npt.NDArray[np.float64] | None  # on the rate scale (ln for relative)


def _prepare(
    indicator: str,
    area: str,
    target: Mapping[str, Any] | None,
    good: float,
    years: npt.NDArray[np.float64],
    values: npt.NDArray[np.float64],
    min_points: int,
) -> _Series:
    """Target level, baseline and latest point of a series on its reported scale.

    ``years``/``values`` are already on the reported scale (gaps for parity).
    """
    ttype = "none" if target is None else str(target["target_type"])
    n = len(years)
    target_year = _NAN if target is None else _as_float(target["target_year"])
    baseline_year = float(years[0]) if n else _NAN
    baseline_value = float(values[0]) if n else _NAN
    if target is None:
        level = _NAN
    elif ttype == "relative":
        baseline_year = _as_float(target["base_year"])
        at_base = values[years == baseline_year]
        baseline_value = float(at_base[0]) if len(at_base) else _NAN
        level = baseline_value * (1.0 + _as_float(target["target_value"]))
    elif ttype == "parity":
        given = _as_float(target["target_value"])
        level = given if math.isfinite(given) else 0.0
    else:
        level = _as_float(target["target_value"])
    target_known = n > 0 and all(
        math.isfinite(v) for v in (level, target_year, baseline_year, baseline_value)
    )

    log_scale = ttype == "relative"
    # Log-scale rates need every value, the base and the target to be positive.
    usable = not log_scale or (
        target_known and level > 0 and baseline_value > 0 and bool(np.all(values > 0))
    )
    fit = n >= min_points and usable
    return _Series(
        indicator=indicator,
        area=area,
        target_type=ttype,
        good=good,
        n=n,
        level=level,
        target_year=target_year,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        latest_year=float(years[-1]) if n else _NAN,
        latest_value=float(values[-1]) if n else _NAN,
        target_known=target_known,
        log_scale=log_scale,
        fit_years=years if fit else None,
        fit_values=(np.log(values) if log_scale else values) if fit else None,
    )


def _assess(series: _Series, slope: npt.NDArray[np.float64], min_points: int) -> dict[str, Any]:
    """The table row of a prepared series, given its Theil-Sen (slope, low, high)."""
    sr = series
    to_scale, from_scale = (math.log, math.exp) if sr.log_scale else (_identity, _identity)
    meets = sr.target_known and sr.good * (sr.latest_value - sr.level) >= 0

    required = _NAN
    log_ok = not sr.log_scale or (sr.level > 0 and sr.baseline_value > 0)
    if sr.target_known and log_ok and sr.target_year != sr.baseline_year:
        required = (to_scale(sr.level) - to_scale(sr.baseline_value)) / (
            sr.target_year - sr.baseline_year
        )
    observed, slope_low, slope_high = (float(v) for v in slope)
    rar = observed / required if math.isfinite(required) and required * sr.good > 0 else _NAN

    projected = projected_low = projected_high = _NAN
    if sr.fit_years is not None and math.isfinite(sr.target_year):
        assert sr.fit_values is not None
        # Theil-Sen line through its pivot (median year, median value).
        horizon = sr.target_year - float(np.median(sr.fit_years))
        pivot = float(np.median(sr.fit_values))
        projected = from_scale(pivot + observed * horizon)
        ends = [from_scale(pivot + s * horizon) for s in (slope_low, slope_high)]
        # Before the pivot year (horizon < 0) the low slope gives the high end.
        projected_low, projected_high = min(ends), max(ends)

    return {
        "indicator": sr.indicator,
        "area": sr.area,
        "target_type": sr.target_type,
        "target_value": sr.level,
        "target_year": sr.target_year,
        "baseline_year": sr.baseline_year,
        "baseline_value": sr.baseline_value,
        "latest_year": sr.latest_year,
        "latest_value": sr.latest_value,
        "required_rate": required,
        "observed_rate": observed,
        "rar": rar,
        "projected_value": projected,
        "projected_low": projected_low,
        "projected_high": projected_high,
        "status": _status(
            meets, sr.n, min_points, required, rar, observed, sr.good, sr.target_known
        ),
    }


def progress_table(
    measurements: pd.DataFrame,
    targets: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    *,
    reference: str = "dordrecht",
    min_points: int = MIN_POINTS,
) -> pd.DataFrame:
    """Progress towards the target of every indicator x area series.

    Parameters
    ----------
    measurements : pandas.DataFrame
        Columns ``indicator``, ``area``, ``year``, ``value``, ``se``; one row
        per (indicator, area, year). Rows with a missing value are ignored;
        ``se`` is not used here.
    targets : pandas.DataFrame
        One row per indicator with columns ``indicator``, ``target_type``
        (``parity``, ``relative``, ``absolute`` or ``none``), ``target_value``
        (relative: -0.70 is 70% lower; absolute: the level; parity: the gap
        to reach, normally 0, NaN read as 0), ``base_year`` (relative only)
        and ``target_year`` (2043). Indicators without a row get
        ``target_type="none"``.
    higher_is_better : Mapping[str, bool]
        Direction per indicator; needed for every indicator with a target.
    reference : str, default "dordrecht"
        Area that parity targets compare with. It gets no row of its own for
        parity indicators.
    min_points : int, default :data:`~npdw_learning.tellen.trends.MIN_POINTS` (4)
        Fewest points for rates, RAR and projection; the trend test's minimum.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`PROGRESS_COLUMNS`, one row per series, sorted by
        indicator then area. What each column holds (target level, baseline,
        rates, RAR, projection) and the rules for ``status`` are in the
        docstring of this module (:mod:`npdw_learning.tellen.progress`).

    Raises
    ------
    ValueError
        If a column is missing, a target type is unknown, an indicator has
        two targets or an indicator with a target has no direction.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "sport", "area": "wielwijk",
    ...                   "year": [2019, 2020, 2021, 2022, 2023],
    ...                   "value": [40.0, 41.0, 42.0, 43.0, 44.0], "se": float("nan")})
    >>> t = pd.DataFrame({"indicator": ["sport"], "target_type": ["absolute"],
    ...                   "target_value": [75.0], "base_year": [float("nan")],
    ...                   "target_year": [2043]})
    >>> row = progress_table(m, t, {"sport": True}).iloc[0]
    >>> round(float(row["required_rate"]), 3), float(row["rar"]), row["status"]
    (1.458, 0.6857142857142857, 'moderate_progress')
    """
    if min_points < 2:
        raise ValueError("min_points must be at least 2 for a slope")
    frame = _check_measurements(measurements)
    frame = frame[np.isfinite(frame["value"].to_numpy(dtype=float))]
    target_of = _check_targets(targets)
    _check_directions(frame, target_of, higher_is_better)
    prepared = _prepared_series(frame, target_of, higher_is_better, reference, min_points)
    slopes = _slopes(prepared)
    rows = [_assess(sr, slopes[k], min_points) for k, sr in enumerate(prepared)]
    return _typed_progress_table(rows)


def _check_directions(
    frame: pd.DataFrame,
    target_of: Mapping[str, Mapping[str, Any]],
    higher_is_better: Mapping[str, bool],
) -> None:
    """Refuse an indicator that has measurements and a target but no direction."""
    needs_direction = {
        ind
        for ind in set(frame["indicator"])
        if ind in target_of and target_of[ind]["target_type"] != "none"
    }
    unknown = sorted(needs_direction - set(higher_is_better))
    if unknown:
        raise ValueError(f"no higher_is_better for indicator(s) {unknown}")


def _reference_series(frame: pd.DataFrame, reference: str) -> dict[str, pd.Series]:
    """The reference area's values per indicator, indexed by year."""
    ref_rows = frame[frame["area"] == reference]
    return {
        ind: pd.Series(g["value"].to_numpy(dtype=float), index=g["year"].to_numpy(dtype=float))
        for ind, g in ref_rows.groupby("indicator", sort=False)
    }


def _gaps(
    years: npt.NDArray[np.float64], values: npt.NDArray[np.float64], ref: pd.Series | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A series as its gap to the reference, over the years both have (none without one)."""
    common = np.isin(years, ref.index.to_numpy()) if ref is not None else np.zeros(len(years), bool)
    years = years[common]
    return years, values[common] - (ref.loc[years].to_numpy() if ref is not None else 0.0)


def _prepared_series(
    frame: pd.DataFrame,
    target_of: Mapping[str, Mapping[str, Any]],
    higher_is_better: Mapping[str, bool],
    reference: str,
    min_points: int,
) -> list[_Series]:
    """Every series of ``frame`` with its target, on its reported scale (gaps for parity).

    The reference gets no series of its own for parity indicators.
    """
    ref_series = _reference_series(frame, reference)
    prepared: list[_Series] = []
    for ind, area, x, y, _se in _iter_series(frame):
        target = target_of.get(ind)
        if target is not None and target["target_type"] == "none":
            target = None
        good = 1.0 if higher_is_better.get(ind, True) else -1.0
        if target is not None and target["target_type"] == "parity":
            if area == reference:
                continue
            x, y = _gaps(x, y, ref_series.get(ind))
        prepared.append(_prepare(ind, area, target, good, x, y, min_points))
    return prepared


def _slopes(prepared: Sequence[_Series]) -> npt.NDArray[np.float64]:
    """Theil-Sen (slope, low, high) per series, in one batched pass; NaN without a fit."""
    fitted = [k for k, sr in enumerate(prepared) if sr.fit_years is not None]
    slopes = np.full((len(prepared), 3), np.nan)
    if fitted:
        slopes[fitted] = _theil_sen_many(
            [prepared[k].fit_years for k in fitted],  # type: ignore[misc]
            [prepared[k].fit_values for k in fitted],  # type: ignore[misc]
        )
    return slopes


def _typed_progress_table(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The rows as a table of exactly :data:`PROGRESS_COLUMNS`, typed as ``progress.csv`` is."""
    table = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    return table.astype(
        {
            "indicator": object,
            "area": object,
            "target_type": object,
            "target_year": "Int64",
            "baseline_year": "Int64",
            "latest_year": "Int64",
            **dict.fromkeys(_FLOAT_COLUMNS, "float64"),
            "status": object,
        }
    )
