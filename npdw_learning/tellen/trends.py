"""Trend tests per indicator x area series (tellen).

Each series is short (typically 3-12 yearly or biennial points), so the
engine uses rank-based statistics that make no distributional assumption:

* Kendall's tau-b between year and value (the Mann-Kendall trend test), with
  an exact p-value when there are no ties and a seeded permutation p-value
  when there are;
* the Theil-Sen slope on the actual years, so gaps and biennial series give a
  slope per *year*;
* a weighted regression with known variances instead, when every point of a
  survey series carries its sampling standard error;
* Benjamini-Hochberg q-values over all tests of one run, so the verdicts do
  not cry wolf across hundreds of series.

No autocorrelation corrections (Hamed-Rao, pre-whitening): on 4-12 points
they estimate the lag-1 correlation so poorly that they add noise, not rigour.
"""

from __future__ import annotations

import functools
import itertools
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import WLS
from statsmodels.stats.multitest import multipletests
from statsmodels.tools.tools import add_constant

__all__ = [
    "MIN_POINTS",
    "FDR_ALPHA",
    "INTERVAL",
    "METHODS",
    "TREND_COLUMNS",
    "VERDICTS",
    "TrendResult",
    "se_from_n",
    "series_seed",
    "trend_results",
    "trend_table",
    "trend_test",
]

TREND_COLUMNS = [
    "indicator",
    "area",
    "n",
    "first_year",
    "last_year",
    "first_value",
    "last_value",
    "tau",
    "p_value",
    "q_value",
    "slope_per_year",
    "slope_low",
    "slope_high",
    "verdict",
]
VERDICTS = ("improving", "worsening", "no_significant_trend", "insufficient_data")
METHODS = ("insufficient_data", "kendall_exact", "kendall_permutation", "wls_known_se")

# With n = 4 the most extreme two-sided Kendall p-value is 2/4! = 0.083, so no
# series shorter than 5 can ever be significant at 0.05; 4 is kept as the
# minimum so that a very clean 4-point series still reports its p and slope.
MIN_POINTS = 4
# The false discovery rate over all trend tests of a run (Benjamini-Hochberg), and the
# confidence level of every interval the report shows.
FDR_ALPHA = 0.05
INTERVAL = 0.95

# All n! orderings are enumerated up to this length (8! = 40 320 rows); longer
# series use Monte Carlo permutations.
_EXACT_MAX_N = 8

_MEASUREMENT_COLUMNS = ("indicator", "area", "year", "value", "se")


@dataclass(frozen=True)
class TrendResult:
    """Outcome of :func:`trend_test` for one series.

    Attributes
    ----------
    n : int
        Number of points used (finite year and value).
    tau : float
        Kendall's tau-b between year and value (NaN with too few points;
        0.0 for a constant series, where tau-b is formally 0/0).
    p_value : float
        Two-sided p-value of the trend test named by ``method``.
    slope : float
        Slope per year: Theil-Sen, or the WLS slope for ``"wls_known_se"``.
    slope_low, slope_high : float
        95% interval of the slope.
    method : str
        One of :data:`METHODS`: ``"insufficient_data"``, ``"kendall_exact"``,
        ``"kendall_permutation"`` or ``"wls_known_se"``.
    """

    n: int
    tau: float
    p_value: float
    slope: float
    slope_low: float
    slope_high: float
    method: str


def se_from_n(value: Any, n: Any, unit: Any) -> Any:
    """Binomial standard error of a percentage from its sample size.

    ``sqrt(p * (100 - p) / n)`` in percentage points for ``unit == "percent"``;
    NaN for any other unit, a missing or non-positive ``n``, or a missing value.

    Parameters
    ----------
    value : float or array-like
        The percentage ``p`` (0-100).
    n : float or array-like
        Number of respondents behind the percentage.
    unit : str or array-like of str
        Unit per value; only ``"percent"`` yields a standard error.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Standard error in percentage points; a Series (with the index of the
        first Series argument) when any argument is a Series, an array for
        array input, a float for scalar input.

    Examples
    --------
    >>> round(se_from_n(40.0, 600, "percent"), 4)
    2.0
    >>> se_from_n([40.0, 12.5], [600, 100], ["percent", "count"])
    array([ 2., nan])
    """
    index = next((a.index for a in (value, n, unit) if isinstance(a, pd.Series)), None)
    p = np.asarray(value, dtype=float)
    size = np.asarray(n, dtype=float)
    is_percent = np.asarray(unit, dtype=object) == "percent"
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(p * (100.0 - p) / size)
    se = np.where(is_percent & (size > 0) & np.isfinite(se), se, np.nan)
    if index is not None:
        return pd.Series(se, index=index, name="se")
    if se.ndim == 0:
        return float(se)
    return se


@functools.cache
def _all_orderings(n: int) -> npt.NDArray[np.intp]:
    """All n! orderings of range(n), one per column (shape (n, n!))."""
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp).T.copy()
    perms.flags.writeable = False
    return perms


def _abs_s(ranks: npt.NDArray[np.int16]) -> npt.NDArray[np.int32]:
    """|S| = |sum over i<j of sign(r_j - r_i)| for each *column* of ``ranks``.

    With distinct years in ascending order, tau-b is S divided by a constant
    that depends only on the tie structure, which a permutation of the values
    keeps; so |S| orders permutations exactly as |tau-b| and stays integer,
    which makes the ``>=`` comparison free of rounding. Positions run down the
    rows so each step compares one contiguous row with the rows below it.
    """
    total = np.zeros(ranks.shape[1], dtype=np.int32)
    for i in range(ranks.shape[0] - 1):
        total += np.sign(ranks[i + 1 :] - ranks[i]).sum(axis=0, dtype=np.int32)
    return np.abs(total)


def _permutation_p(values: npt.NDArray[np.float64], seed: int, n_permutations: int) -> float:
    """Two-sided permutation p-value of Kendall's tau for values in year order."""
    n = len(values)
    ranks = stats.rankdata(values, method="dense").astype(np.int16)
    observed = _abs_s(ranks[:, np.newaxis])[0]
    if n <= _EXACT_MAX_N:
        # Every ordering is equally likely under H0, so the share of orderings at
        # least as extreme is the exact p-value (the identity is one of them).
        permuted = _abs_s(ranks[_all_orderings(n)])
        return float(np.mean(permuted >= observed))
    rng = np.random.Generator(np.random.PCG64(seed))
    shuffled = rng.permuted(np.tile(ranks[:, np.newaxis], (1, n_permutations)), axis=0)
    exceed = int(np.count_nonzero(_abs_s(shuffled) >= observed))
    # (k + 1) / (B + 1): counts the observed ordering, so p is never 0
    # (Phipson & Smyth 2010).
    return (exceed + 1) / (n_permutations + 1)


def _wls_known_se(
    years: npt.NDArray[np.float64], values: npt.NDArray[np.float64], se: npt.NDArray[np.float64]
) -> tuple[float, float, float, float]:
    """Slope, 95% low/high and p of WLS with the sampling variances as a floor.

    The known variances are taken as exact (``cov_type="fixed scale"``, z
    test) unless the points scatter around the line more than their standard
    errors allow (Pearson chi-square / df > 1): then there is variation
    between years beyond sampling error, and the covariance is scaled by that
    ratio and the test uses t with n - 2 df, as in a meta-regression with
    multiplicative overdispersion. Otherwise a noisy series with small survey
    errors would be called significant far too easily.
    """
    # Centring the years leaves the slope and its variance unchanged but keeps
    # X'WX well conditioned (years are ~2000 with a spread of ~10).
    design = add_constant(years - years.mean(), has_constant="add")
    fit = WLS(values, design, weights=1.0 / se**2).fit(cov_type="fixed scale", use_t=False)
    slope = float(fit.params[1])
    df = len(years) - 2
    dispersion = float(fit.ssr) / df  # ssr of WLS is the Pearson chi-square here
    if dispersion <= 1.0:
        low, high = fit.conf_int(alpha=1 - INTERVAL)[1]
        return slope, float(low), float(high), float(fit.pvalues[1])
    slope_se = float(fit.bse[1]) * math.sqrt(dispersion)
    crit = float(stats.t.ppf(0.975, df))
    p = float(2 * stats.t.sf(abs(slope) / slope_se, df))
    return slope, slope - crit * slope_se, slope + crit * slope_se, p


def _group_by_years(years: Sequence[npt.NDArray[np.float64]]) -> list[list[int]]:
    """Indices of the series that share the same year vector, in first-seen order."""
    groups: dict[bytes, list[int]] = {}
    for k, x in enumerate(years):
        groups.setdefault(x.tobytes(), []).append(k)
    return list(groups.values())


def _theil_sen_many(
    years: Sequence[npt.NDArray[np.float64]], values: Sequence[npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    """Theil-Sen (slope, low, high) per series, shape (k, 3).

    Series sharing their years go through one ``scipy.stats.theilslopes`` call
    along ``axis=-1``: the same numbers as one call per series, at about half
    the cost, because scipy's per-call argument handling dominates on 12 points.
    """
    out = np.full((len(years), 3), np.nan)
    for idx in _group_by_years(years):
        # scipy's `alpha` here is the confidence level, not the error rate.
        ts = stats.theilslopes(
            np.stack([values[k] for k in idx]), years[idx[0]], alpha=INTERVAL, axis=-1
        )
        out[idx] = np.column_stack([ts.slope, ts.low_slope, ts.high_slope])
    return out


def _kendall_many(
    years: Sequence[npt.NDArray[np.float64]],
    values: Sequence[npt.NDArray[np.float64]],
    method: str,
) -> npt.NDArray[np.float64]:
    """Kendall tau-b and p per series, shape (k, 2), batched like :func:`_theil_sen_many`."""
    out = np.full((len(years), 2), np.nan)
    for idx in _group_by_years(years):
        y = np.stack([values[k] for k in idx])
        res = stats.kendalltau(np.broadcast_to(years[idx[0]], y.shape), y, method=method, axis=-1)
        out[idx] = np.column_stack([res.statistic, res.pvalue])
    return out


def _clean_series(
    years: npt.ArrayLike, values: npt.ArrayLike, se: npt.ArrayLike | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
    """Drop points without year or value, sort by year, refuse duplicate years."""
    x = np.asarray(years, dtype=float).ravel()
    y = np.asarray(values, dtype=float).ravel()
    s = None if se is None else np.asarray(se, dtype=float).ravel()
    if len(x) != len(y) or (s is not None and len(s) != len(x)):
        raise ValueError("years, values and se must have the same length")
    keep = np.isfinite(x) & np.isfinite(y)
    if not keep.all() or np.any(np.diff(x) < 0):
        order = np.argsort(x[keep], kind="stable")
        x, y = x[keep][order], y[keep][order]
        s = None if s is None else s[keep][order]
    if np.any(np.diff(x) == 0):
        raise ValueError("a series has the same year twice; resolve duplicates first")
    return x, y, s


def _trend_many(
    series: Sequence[tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike | None, int]],
    n_permutations: int,
) -> list[TrendResult]:
    """:func:`trend_test` for many (years, values, se, seed) series at once.

    The scipy calls are batched over series that share their years; the rules
    are those of :func:`trend_test`, which is this function on one series.
    """
    clean = [_clean_series(x, y, se) for x, y, se, _ in series]
    nan = math.nan
    results: list[TrendResult | None] = [None] * len(clean)
    exact: list[int] = []  # no ties: exact Kendall p + Theil-Sen
    tied: list[int] = []  # ties: permutation p + Theil-Sen
    wls: list[int] = []  # every se known: WLS slope and p, tau for information
    for k, (x, y, s) in enumerate(clean):
        n = len(x)
        if n < MIN_POINTS:
            results[k] = TrendResult(n, nan, nan, nan, nan, nan, "insufficient_data")
        elif s is not None and bool(np.all(np.isfinite(s) & (s > 0))):
            wls.append(k)
        elif len(np.unique(y)) < n:
            tied.append(k)
        else:
            exact.append(k)

    def years_of(ks: list[int]) -> list[npt.NDArray[np.float64]]:
        return [clean[k][0] for k in ks]

    def values_of(ks: list[int]) -> list[npt.NDArray[np.float64]]:
        return [clean[k][1] for k in ks]

    if exact:
        kt = _kendall_many(years_of(exact), values_of(exact), "exact")
        ts = _theil_sen_many(years_of(exact), values_of(exact))
        for row, k in enumerate(exact):
            tau, p = (float(v) for v in kt[row])
            results[k] = TrendResult(
                len(clean[k][0]), tau, p, *map(float, ts[row]), "kendall_exact"
            )

    # tau-b of a constant series is 0/0; report 0 (no association) and p = 1.
    tau_of = dict.fromkeys(tied + wls, 0.0)
    varying = [k for k in tied + wls if np.ptp(clean[k][1]) > 0]
    if varying:
        # Only the statistic is used; scipy's asymptotic p is discarded.
        kt = _kendall_many(years_of(varying), values_of(varying), "asymptotic")
        tau_of.update(zip(varying, map(float, kt[:, 0]), strict=True))

    if tied:
        ts = _theil_sen_many(years_of(tied), values_of(tied))
        for row, k in enumerate(tied):
            y = clean[k][1]
            p = _permutation_p(y, series[k][3], n_permutations) if np.ptp(y) > 0 else 1.0
            results[k] = TrendResult(
                len(y), tau_of[k], p, *map(float, ts[row]), "kendall_permutation"
            )

    for k in wls:
        x, y, s = clean[k]
        assert s is not None
        slope, low, high, p = _wls_known_se(x, y, s)
        results[k] = TrendResult(len(x), tau_of[k], p, slope, low, high, "wls_known_se")

    return [r for r in results if r is not None]


def trend_test(
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    se: npt.ArrayLike | None = None,
    *,
    seed: int = 20431,
    n_permutations: int = 9999,
) -> TrendResult:
    """Test one series for a monotone trend and estimate its slope per year.

    Points with a missing year or value are dropped; the rest are put in year
    order. Rules, in order:

    1. Fewer than :data:`MIN_POINTS` (4) points: ``method="insufficient_data"``
       and NaN tau, p and slope. Few points is *not* evidence of no trend:
       even at n = 4 the smallest possible two-sided p-value is 2/24 = 0.083,
       so no test can reach p < 0.05.
    2. Kendall's tau-b between year and value. Without ties in the values the
       p-value is exact (``scipy.stats.kendalltau(method="exact")``,
       ``method="kendall_exact"``). With ties it is a permutation test of
       |tau| (``method="kendall_permutation"``): all n! orderings when
       n <= 8, otherwise ``n_permutations`` random orderings from
       ``numpy.random.Generator(PCG64(seed))`` with p = (k + 1) / (B + 1).
       A constant series has tau 0 and p 1.
    3. The slope is Theil-Sen on the actual years with its 95% interval
       (``scipy.stats.theilslopes``), so biennial series and gaps give a
       slope per year.
    4. When *every* point has a finite ``se > 0``, the slope, its 95% interval
       and the p-value come instead from weighted least squares with known
       variances (weights 1/se^2, ``cov_type="fixed scale"``, z test;
       ``method="wls_known_se"``); tau is still reported. When the points
       scatter more than their se allow (Pearson chi-square / df > 1), the
       covariance is scaled by that ratio and the test uses t(n - 2). Survey figures
       wobble by their sampling error: five noisy points that happen to rise
       monotonically give Kendall p = 0.017, yet if the rise is small relative
       to the known se it is no evidence of change. WLS weighs the trend
       against that known noise.

    No autocorrelation corrections are applied.

    Parameters
    ----------
    years : array-like of int
        Measurement years, distinct.
    values : array-like of float
        Values, aligned with ``years``.
    se : array-like of float, optional
        Standard error per value (NaN when unknown).
    seed : int, default 20431
        Seed of the Monte Carlo permutation test (ties and n > 8 only).
    n_permutations : int, default 9999
        Number of Monte Carlo permutations.

    Returns
    -------
    TrendResult

    Raises
    ------
    ValueError
        If the arrays differ in length or a year occurs twice.

    Examples
    --------
    >>> r = trend_test([2015, 2017, 2019, 2021, 2023], [10.0, 12.0, 13.0, 17.0, 18.0])
    >>> r.method, round(r.tau, 3), round(r.p_value, 4), r.slope
    ('kendall_exact', 1.0, 0.0167, 1.0)
    >>> trend_test([2021, 2022, 2023], [1.0, 2.0, 3.0]).method
    'insufficient_data'
    """
    return _trend_many([(years, values, se, seed)], n_permutations)[0]


def series_seed(seed: int, indicator: str, area: str) -> int:
    """Seed for one series, stable across runs, machines and Python versions.

    Built from ``seed`` and the CRC-32 of ``"indicator/area"`` through
    :class:`numpy.random.SeedSequence` (Python's ``hash()`` of a string is
    salted per process, so it would break byte-identical reruns).

    Examples
    --------
    >>> series_seed(20431, "werkloosheid", "wielwijk") == series_seed(
    ...     20431, "werkloosheid", "wielwijk")
    True
    """
    crc = zlib.crc32(f"{indicator}/{area}".encode())
    return int(np.random.SeedSequence([seed, crc]).generate_state(1, dtype=np.uint32)[0])


def _check_measurements(measurements: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _MEASUREMENT_COLUMNS if c not in measurements.columns]
    if missing:
        raise ValueError(f"measurements lacks column(s) {missing}")
    frame = measurements.loc[:, list(_MEASUREMENT_COLUMNS)]
    return frame.sort_values(["indicator", "area", "year"], kind="mergesort", ignore_index=True)


def _iter_series(frame: pd.DataFrame) -> Any:
    """Yield (indicator, area, years, values, se) per series of a sorted frame."""
    indicator = frame["indicator"].to_numpy(dtype=object)
    area = frame["area"].to_numpy(dtype=object)
    years = frame["year"].to_numpy(dtype=float)
    values = frame["value"].to_numpy(dtype=float)
    se = frame["se"].to_numpy(dtype=float)
    # Positional slicing of pre-sorted arrays is ~10x faster than groupby here.
    change = np.flatnonzero((indicator[1:] != indicator[:-1]) | (area[1:] != area[:-1])) + 1
    bounds = np.concatenate([[0], change, [len(frame)]])
    for start, stop in itertools.pairwise(bounds):
        if stop > start:
            sl = slice(start, stop)
            yield indicator[start], area[start], years[sl], values[sl], se[sl]


def _run_series(
    measurements: pd.DataFrame, seed: int
) -> list[tuple[str, str, npt.NDArray[np.float64], npt.NDArray[np.float64], TrendResult]]:
    """(indicator, area, years, values, result) per series with at least one value."""
    frame = _check_measurements(measurements)
    frame = frame[np.isfinite(frame["value"].to_numpy(dtype=float))]
    series = list(_iter_series(frame))
    results = _trend_many(
        [(x, y, se, series_seed(seed, ind, area)) for ind, area, x, y, se in series],
        n_permutations=9999,
    )
    return [
        (ind, area, x, y, res) for (ind, area, x, y, _), res in zip(series, results, strict=True)
    ]


def trend_results(
    measurements: pd.DataFrame, *, seed: int = 20431
) -> dict[tuple[str, str], TrendResult]:
    """Run :func:`trend_test` on every (indicator, area) series.

    Use this when the test method per series is needed (e.g. to mark the
    ``wls_known_se`` rows in a report); :func:`trend_table` gives the same
    numbers as a tidy table and stores the methods in ``table.attrs["method"]``.

    Parameters
    ----------
    measurements : pandas.DataFrame
        Columns ``indicator``, ``area``, ``year``, ``value``, ``se``; one row
        per (indicator, area, year). Rows with a missing value are ignored.
    seed : int, default 20431
        Base seed; each series gets :func:`series_seed` of it.

    Returns
    -------
    dict
        ``{(indicator, area): TrendResult}`` in indicator, area order.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "x", "area": "wielwijk",
    ...                   "year": [2020, 2021, 2022, 2023], "value": [1.0, 2.0, 2.0, 4.0],
    ...                   "se": float("nan")})
    >>> trend_results(m)[("x", "wielwijk")].method
    'kendall_permutation'
    """
    return {(ind, area): res for ind, area, _, _, res in _run_series(measurements, seed)}


def trend_table(
    measurements: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    *,
    alpha: float = FDR_ALPHA,
    seed: int = 20431,
) -> pd.DataFrame:
    """Trend test, slope, BH q-value and verdict for every series.

    Parameters
    ----------
    measurements : pandas.DataFrame
        Columns ``indicator``, ``area``, ``year``, ``value``, ``se`` (NaN when
        unknown); one row per (indicator, area, year). Rows with a missing
        value are ignored (a series without any value gets no row).
    higher_is_better : Mapping[str, bool]
        Direction per indicator; every indicator in ``measurements`` needs one.
    alpha : float, default 0.05
        False discovery rate for the verdict.
    seed : int, default 20431
        Base seed; each series gets :func:`series_seed` of it, so results are
        identical across runs and independent of which other series are
        present.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`TREND_COLUMNS`, one row per (indicator, area), sorted by
        indicator then area. ``slope_per_year``/``slope_low``/``slope_high``
        are Theil-Sen, or WLS when every point has a known se. ``q_value`` is
        the Benjamini-Hochberg adjustment of ``p_value`` over all series of
        this call with at least :data:`MIN_POINTS` points (NaN for the
        others). ``verdict``: ``insufficient_data`` below :data:`MIN_POINTS`;
        ``improving``/``worsening`` when q < alpha, by the sign of tau (of the
        slope for WLS) and the indicator's direction; else
        ``no_significant_trend``. ``table.attrs["method"]`` maps
        ``(indicator, area)`` to the :attr:`TrendResult.method` of the row.

    Raises
    ------
    ValueError
        If a column is missing or an indicator has no direction.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "leefbaarheid", "area": "crabbehof",
    ...                   "year": range(2015, 2021),
    ...                   "value": [6.1, 6.3, 6.4, 6.6, 6.9, 7.0], "se": float("nan")})
    >>> t = trend_table(m, {"leefbaarheid": True})
    >>> t.loc[0, "verdict"], round(float(t.loc[0, "slope_per_year"]), 3)
    ('improving', 0.2)
    >>> t.attrs["method"][("leefbaarheid", "crabbehof")]
    'kendall_exact'
    """
    _check_directions(measurements, higher_is_better)
    rows = _trend_rows(measurements, higher_is_better, seed)
    table = pd.DataFrame(rows, columns=[*TREND_COLUMNS, "_effect", "_better"])
    table = _typed_trend_table(_with_verdicts(table, alpha))
    table.attrs["method"] = {(row["indicator"], row["area"]): row["_method"] for row in rows}
    return table


def _check_directions(measurements: pd.DataFrame, higher_is_better: Mapping[str, bool]) -> None:
    """Refuse measurements without the trend columns, or with an indicator without direction."""
    missing = [c for c in _MEASUREMENT_COLUMNS if c not in measurements.columns]
    if missing:
        raise ValueError(f"measurements lacks column(s) {missing}")
    unknown = sorted(set(measurements["indicator"]) - set(higher_is_better))
    if unknown:
        raise ValueError(f"no higher_is_better for indicator(s) {unknown}")


def _trend_rows(
    measurements: pd.DataFrame, higher_is_better: Mapping[str, bool], seed: int
) -> list[dict[str, Any]]:
    """One row per series with its test result, before the q-values and verdicts.

    Besides :data:`TREND_COLUMNS` (``q_value`` NaN, ``verdict``
    ``insufficient_data``) a row carries ``_effect`` (the sign the verdict
    rests on), ``_better`` (the indicator's direction) and ``_method``.
    """
    rows: list[dict[str, Any]] = []
    for ind, area, x, y, res in _run_series(measurements, seed):
        # Sign of the effect the verdict rests on: the WLS slope when it supplied p.
        effect = res.slope if res.method == "wls_known_se" else res.tau
        rows.append(
            {
                "indicator": ind,
                "area": area,
                "n": res.n,
                "first_year": int(x[0]),
                "last_year": int(x[-1]),
                "first_value": float(y[0]),
                "last_value": float(y[-1]),
                "tau": res.tau,
                "p_value": res.p_value,
                "q_value": math.nan,
                "slope_per_year": res.slope,
                "slope_low": res.slope_low,
                "slope_high": res.slope_high,
                "verdict": "insufficient_data",
                "_effect": effect,
                "_better": bool(higher_is_better[ind]),
                "_method": res.method,
            }
        )
    return rows


def _with_verdicts(table: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Fill ``q_value`` (Benjamini-Hochberg over the tested rows) and ``verdict``, in place.

    Rows with fewer than :data:`MIN_POINTS` points keep NaN and ``insufficient_data``.
    """
    tested = (table["n"] >= MIN_POINTS).to_numpy()
    if tested.any():
        # method="fdr_bh" is explicit on purpose: multipletests defaults to Holm-Sidak.
        q = multipletests(table.loc[tested, "p_value"].to_numpy(), alpha=alpha, method="fdr_bh")[1]
        table.loc[tested, "q_value"] = q
        effect = table.loc[tested, "_effect"].to_numpy(dtype=float)
        better = table.loc[tested, "_better"].to_numpy(dtype=bool)
        significant = (q < alpha) & (effect != 0) & np.isfinite(effect)
        good = np.where(better, effect > 0, effect < 0)
        table.loc[tested, "verdict"] = np.where(
            significant, np.where(good, "improving", "worsening"), "no_significant_trend"
        )
    return table


def _typed_trend_table(table: pd.DataFrame) -> pd.DataFrame:
    """Exactly :data:`TREND_COLUMNS`, with the dtypes ``trends.csv`` is written from."""
    return table.loc[:, TREND_COLUMNS].astype(
        {
            "indicator": object,
            "area": object,
            "n": "int64",
            "first_year": "int64",
            "last_year": "int64",
            **dict.fromkeys(TREND_COLUMNS[5:13], "float64"),
            "verdict": object,
        }
    )
