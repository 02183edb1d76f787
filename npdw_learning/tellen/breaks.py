"""Did a series bend after the programme started? (interrupted time series, tellen).

For a series with at least :data:`MIN_PRE_POINTS` values before the
programme's start year and at least one from the start year on:

1. fit the pre-start trend: the Theil-Sen slope on the calendar years
   (``scipy.stats.theilslopes``) with the intercept ``median(y - slope * x)``;
2. project it to the latest year, with a prediction interval from the
   pre-start residuals: ``s**2 = sum(r**2) / (m - 2)`` over the ``m``
   pre-start points, ``se = s * sqrt(1 + 1/m + (x0 - mean(x))**2 / Sxx)``,
   and the ``t(m - 2)`` quantile, as for the prediction of a new
   observation from a straight line;
3. the latest value outside that interval is ``better_than_trend`` or
   ``worse_than_trend`` (the indicator's ``higher_is_better`` decides which),
   inside it ``as_trend``; too few points is ``insufficient_data``.

The same is done on the gap to the reference area (area minus Dordrecht,
the years both have): did the neighbourhood's distance to the city change
course after the start? That is a difference-in-differences reading: a city-
wide change moves both and leaves the gap alone.

What it cannot prove: a bend can have other causes that started at the same
time (the economy, a new way of counting), and with four to eight pre-start
points the interval is wide, so only a large bend is seen. The false-alarm
rate of the rule was checked by simulation (``tests/tellen/test_breaks.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from .trends import MIN_POINTS, _check_measurements, _iter_series

__all__ = [
    "BREAK_COLUMNS",
    "BREAK_VERDICTS",
    "MIN_POST_POINTS",
    "MIN_PRE_POINTS",
    "PREDICTION_LEVEL",
    "READINGS",
    "BreakResult",
    "break_table",
    "break_test",
    "gap_measurements",
    "pre_start_projection",
]

BREAK_COLUMNS = [
    "indicator",
    "area",
    "reading",
    "start_year",
    "pre_n",
    "post_n",
    "pre_slope",
    "post_slope",
    "expected_latest",
    "expected_low",
    "expected_high",
    "latest_value",
    "difference",
    "verdict",
]
BREAK_VERDICTS = ("better_than_trend", "worse_than_trend", "as_trend", "insufficient_data")
# level: the series itself; gap: the series minus the reference area (Dordrecht).
READINGS = ("level", "gap")
# A straight line through fewer points leaves no residual degrees of freedom worth the name.
MIN_PRE_POINTS = MIN_POINTS
MIN_POST_POINTS = 1
PREDICTION_LEVEL = 0.95

_NAN = math.nan


@dataclass(frozen=True)
class BreakResult:
    """The latest value against the projected pre-start trend.

    Attributes
    ----------
    pre_n, post_n : int
        Points before the start year, and from the start year on.
    pre_slope, post_slope : float
        Theil-Sen slope per year before the start, and from the start on
        (NaN with fewer than two points after the start).
    expected, low, high : float
        The pre-start trend at the latest year and its prediction interval.
    latest : float
        The latest observed value.
    difference : float
        ``latest - expected``.
    outside : int
        +1 above the interval, -1 below it, 0 inside; 0 as well when there
        are too few points (then ``assessed`` is False).
    assessed : bool
        Whether there were enough points before and after the start.
    """

    pre_n: int
    post_n: int
    pre_slope: float
    post_slope: float
    expected: float
    low: float
    high: float
    latest: float
    difference: float
    outside: int
    assessed: bool


def _sorted_points(
    years: npt.ArrayLike, values: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    x = np.asarray(years, dtype=float).ravel()
    y = np.asarray(values, dtype=float).ravel()
    keep = np.isfinite(x) & np.isfinite(y)
    order = np.argsort(x[keep], kind="stable")
    return x[keep][order], y[keep][order]


def pre_start_projection(
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    start_year: int,
    at: npt.ArrayLike,
    *,
    level: float = PREDICTION_LEVEL,
) -> pd.DataFrame:
    """The pre-start Theil-Sen line and its prediction interval at the years ``at``.

    The method of the module docstring; empty (with the columns) when fewer
    than :data:`MIN_PRE_POINTS` points lie before ``start_year``.

    Returns
    -------
    pandas.DataFrame
        ``year, expected, low, high``, one row per year of ``at``.

    Examples
    --------
    >>> p = pre_start_projection(range(2018, 2024), [1.0, 2.1, 2.9, 4.0, 5.1, 5.9], 2024,
    ...                          [2023, 2026])
    >>> [round(v, 2) for v in p["expected"]]
    [6.0, 9.0]
    """
    x, y = _sorted_points(years, values)
    pre = x < start_year
    xp, yp = x[pre], y[pre]
    at = np.asarray(at, dtype=float).ravel()
    if len(xp) < MIN_PRE_POINTS:
        return pd.DataFrame(columns=["year", "expected", "low", "high"], dtype=float)
    slope = float(stats.theilslopes(yp, xp).slope)
    intercept = float(np.median(yp - slope * xp))
    m = len(xp)
    s = math.sqrt(float(np.sum((yp - intercept - slope * xp) ** 2)) / (m - 2))
    sxx = float(np.sum((xp - xp.mean()) ** 2))
    se = s * np.sqrt(1 + 1 / m + (at - xp.mean()) ** 2 / sxx)
    half = float(stats.t.ppf(0.5 + level / 2, m - 2)) * se
    expected = intercept + slope * at
    return pd.DataFrame(
        {"year": at, "expected": expected, "low": expected - half, "high": expected + half}
    )


def break_test(
    years: npt.ArrayLike, values: npt.ArrayLike, start_year: int, *, level=PREDICTION_LEVEL
) -> BreakResult:
    """The latest value of one series against its projected pre-start trend.

    See the module docstring for the method (:func:`pre_start_projection`
    at the latest year). Points with a missing year or value are dropped.

    Parameters
    ----------
    years, values : array-like
        The series; years distinct.
    start_year : int
        First year after the start: ``year < start_year`` is before.
    level : float, default :data:`PREDICTION_LEVEL`
        Level of the prediction interval.

    Returns
    -------
    BreakResult

    Examples
    --------
    >>> r = break_test(range(2016, 2027), [5.0, 5.2, 5.1, 5.3, 5.2, 5.4, 5.5, 5.4,
    ...                                     6.5, 6.7, 6.9], 2024)
    >>> r.pre_n, r.post_n, r.outside, round(r.expected, 2)
    (8, 3, 1, 5.64)
    """
    x, y = _sorted_points(years, values)
    pre = x < start_year
    xp, yp, xq, yq = x[pre], y[pre], x[~pre], y[~pre]
    pre_slope = float(stats.theilslopes(yp, xp).slope) if len(xp) >= 2 else _NAN
    post_slope = float(stats.theilslopes(yq, xq).slope) if len(xq) >= 2 else _NAN
    latest = float(yq[-1]) if len(yq) else _NAN
    if len(xp) < MIN_PRE_POINTS or len(xq) < MIN_POST_POINTS:
        nan = _NAN
        return BreakResult(
            len(xp), len(xq), pre_slope, post_slope, nan, nan, nan, latest, nan, 0, False
        )
    row = pre_start_projection(xp, yp, start_year, [xq[-1]], level=level).iloc[0]
    expected, low, high = float(row["expected"]), float(row["low"]), float(row["high"])
    outside = 1 if latest > high else -1 if latest < low else 0
    return BreakResult(
        len(xp),
        len(xq),
        pre_slope,
        post_slope,
        expected,
        low,
        high,
        latest,
        latest - expected,
        outside,
        True,
    )


def gap_measurements(measurements: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Every other area's series minus the reference area's, on the years both have.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "x", "area": ["dordrecht", "wielwijk", "wielwijk"],
    ...                   "year": [2020, 2020, 2021], "value": [5.0, 3.5, 3.0],
    ...                   "se": float("nan")})
    >>> gap_measurements(m, "dordrecht")[["area", "year", "value"]].values.tolist()
    [['wielwijk', 2020, -1.5]]
    """
    frame = measurements.loc[:, ["indicator", "area", "year", "value"]]
    frame = frame[np.isfinite(frame["value"].to_numpy(dtype=float))]
    ref = frame[frame["area"] == reference].drop(columns="area")
    gaps = frame[frame["area"] != reference].merge(
        ref, on=["indicator", "year"], suffixes=("", "_ref")
    )
    gaps["value"] = gaps["value"] - gaps.pop("value_ref")
    return gaps.assign(se=_NAN).reset_index(drop=True)


def _verdict(res: BreakResult, better: bool) -> str:
    if not res.assessed:
        return "insufficient_data"
    if res.outside == 0:
        return "as_trend"
    return "better_than_trend" if (res.outside > 0) == better else "worse_than_trend"


def _rows(
    measurements: pd.DataFrame,
    reading: str,
    higher_is_better: Mapping[str, bool],
    start_year: int,
    level: float,
) -> list[dict]:
    frame = _check_measurements(measurements)
    frame = frame[np.isfinite(frame["value"].to_numpy(dtype=float))]
    rows = []
    for ind, area, x, y, _ in _iter_series(frame):
        res = break_test(x, y, start_year, level=level)
        rows.append(
            {
                "indicator": ind,
                "area": area,
                "reading": reading,
                "start_year": start_year,
                "pre_n": res.pre_n,
                "post_n": res.post_n,
                "pre_slope": res.pre_slope,
                "post_slope": res.post_slope,
                "expected_latest": res.expected,
                "expected_low": res.low,
                "expected_high": res.high,
                "latest_value": res.latest,
                "difference": res.difference,
                "verdict": _verdict(res, bool(higher_is_better[ind])),
            }
        )
    return rows


def break_table(
    measurements: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    start_year: int,
    *,
    reference: str | None = None,
    level: float = PREDICTION_LEVEL,
) -> pd.DataFrame:
    """:func:`break_test` for every series, and for every gap to the reference.

    Parameters
    ----------
    measurements : pandas.DataFrame
        ``indicator, area, year, value, se``; rows without a value are ignored.
    higher_is_better : Mapping[str, bool]
        Direction per indicator. A gap (area minus reference) has the same
        direction as the indicator: a rising gap of a good thing is the area
        gaining on the reference.
    start_year : int
        The registry's ``start_year``.
    reference : str, optional
        The reference area; with it, the ``gap`` rows are added.
    level : float, default :data:`PREDICTION_LEVEL`

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`BREAK_COLUMNS`: the ``level`` rows, then the ``gap``
        rows, each sorted by indicator and area.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "x", "area": "wielwijk", "year": range(2018, 2026),
    ...                   "value": [1.0, 1.1, 1.3, 1.2, 1.4, 1.5, 2.9, 3.1], "se": float("nan")})
    >>> break_table(m, {"x": False}, 2024).loc[0, "verdict"]
    'worse_than_trend'
    """
    unknown = sorted(set(measurements["indicator"]) - set(higher_is_better))
    if unknown:
        raise ValueError(f"no higher_is_better for indicator(s) {unknown}")
    rows = _rows(measurements, "level", higher_is_better, start_year, level)
    if reference is not None:
        gaps = gap_measurements(measurements, reference)
        rows += _rows(gaps, "gap", higher_is_better, start_year, level)
    table = pd.DataFrame(rows, columns=BREAK_COLUMNS)
    return table.astype(
        {
            "indicator": object,
            "area": object,
            "reading": object,
            "start_year": "int64",
            "pre_n": "int64",
            "post_n": "int64",
            **dict.fromkeys(BREAK_COLUMNS[6:13], "float64"),
            "verdict": object,
        }
    )
