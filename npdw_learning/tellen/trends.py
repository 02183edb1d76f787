"""Trend tests per indicator x area series (tellen).

Each series is short (typically 3-12 yearly or biennial points), so the
engine uses rank-based statistics that make no distributional assumption:

* Kendall's tau-b between year and value (the Mann-Kendall trend test), with
  the exact p-value of its permutation distribution: every ordering of the
  values counted, with ties too, for any length (no Monte Carlo, no seed);
* the Theil-Sen slope on the actual years, so gaps and biennial series give a
  slope per *year*;
* a weighted regression with known variances instead, when every point of a
  survey series carries its sampling standard error;
* Benjamini-Hochberg q-values over all tests of one run, so the verdicts do
  not cry wolf across hundreds of series.

Series that share their years are computed together as arrays (a national
table of 99,000 series takes seconds); :func:`trend_test` is the same
computation on one series.

The tests themselves are registered by name (:func:`trend_methods`): each
module in ``tellen/trend_methods/`` defines ``METHODS``, a tuple of
:class:`TrendMethod` (a name, one vectorised function over a
:class:`SeriesBlock`, the sign the verdict rests on and which series it can
test). A run tries the methods of :data:`DEFAULT_METHODS` in order; the first
that applies to a series gives its p-value and slope, and its name is the
``method`` column of ``trends.csv``.

No autocorrelation corrections (Hamed-Rao, pre-whitening): on 4-12 points
they estimate the lag-1 correlation so poorly that they add noise, not rigour.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ..kern.plugins import discover

__all__ = [
    "MIN_POINTS",
    "FDR_ALPHA",
    "INTERVAL",
    "DEFAULT_METHODS",
    "NO_TEST",
    "TREND_COLUMNS",
    "VERDICTS",
    "SeriesBlock",
    "TrendMethod",
    "TrendResult",
    "se_from_n",
    "trend_methods",
    "trend_results",
    "trend_table",
    "trend_test",
    "verdict_effect",
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
    "method",
]
VERDICTS = ("improving", "worsening", "no_significant_trend", "insufficient_data")
# The ``method`` of a series too short to test; every other ``method`` is a
# registered name (:func:`trend_methods`).
NO_TEST = "insufficient_data"
# The methods a run tries per series, in order; the last applies to every series.
# wls_known_se: every point has its sampling error; kendall_exact: no ties in the
# values; kendall_permutation: ties, the orderings counted exactly as well (until
# 2026 a seeded Monte Carlo estimate for n > 8).
DEFAULT_METHODS = ("wls_known_se", "kendall_exact", "kendall_permutation")

# With n = 4 the most extreme two-sided Kendall p-value is 2/4! = 0.083, so no
# series shorter than 5 can ever be significant at 0.05; 4 is kept as the
# minimum so that a very clean 4-point series still reports its p and slope.
MIN_POINTS = 4
# The false discovery rate over all trend tests of a run (Benjamini-Hochberg), and the
# confidence level of every interval the report shows.
FDR_ALPHA = 0.05
INTERVAL = 0.95

_MEASUREMENT_COLUMNS = ("indicator", "area", "year", "value", "se")
_DUPLICATE_YEAR = "a series has the same year twice; resolve duplicates first"
# The float results of :func:`_trend_block` besides its ``method``.
_BLOCK_FLOATS = ("tau", "p_value", "slope", "slope_low", "slope_high", "effect")
# The package whose modules each define ``METHODS`` (:func:`trend_methods`).
_METHODS_PACKAGE = "trend_methods"


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
        The registered method that gave ``p_value`` and ``slope``
        (:func:`trend_methods`; by default ``"wls_known_se"``,
        ``"kendall_exact"`` or ``"kendall_permutation"``), or :data:`NO_TEST`
        (``"insufficient_data"``) below :data:`MIN_POINTS` points.
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


# Rows of a (series x pairs) working array handled at once: bounds the memory
# of a national table (99,000 series x 66 pairs) to a few tens of megabytes.
_CHUNK_CELLS = 2_000_000


def _pairs(n: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions (i, j) with i < j of all pairs of n points."""
    return np.triu_indices(n, 1)


def _row_chunks(k: int, n: int) -> list[slice]:
    """Slices of ``range(k)`` so that a chunk's pairwise array stays small."""
    step = max(1, _CHUNK_CELLS // max(1, n * (n - 1) // 2))
    return [slice(start, min(start + step, k)) for start in range(0, k, step)]


def _tie_counts(y: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """For each value of each row of ``y`` (k, n): how many values of its row equal it."""
    return (y[:, :, np.newaxis] == y[:, np.newaxis, :]).sum(axis=2, dtype=np.int64)


@functools.cache
def _kendall_null(multiplicities: tuple[int, ...]) -> npt.NDArray[np.float64]:
    """Exact two-sided p ``P(|S*| >= s)`` for ``s = 0 .. N`` when all orderings are equally likely.

    ``multiplicities`` are the sizes of the groups of equal values (all 1
    without ties). Under H0 every distinct ordering of the values over the
    years is equally likely; the number of orderings with ``d`` discordant
    pairs is the coefficient of ``q**d`` in the q-multinomial coefficient
    ``[n]_q! / prod([m]_q!)`` (MacMahon), and ``S = N - 2 d`` with ``N`` the
    number of pairs not tied in value. Without ties this is the distribution
    behind ``scipy.stats.kendalltau(method="exact")``; with ties it is the
    permutation distribution with every ordering counted, for any n. Integer
    arithmetic throughout; each p is one correctly rounded division.
    """
    counts = [1]
    for i in range(2, sum(multiplicities) + 1):
        counts = _times_q_integer(counts, i)
    for m in multiplicities:
        for i in range(2, m + 1):
            counts = _over_q_integer(counts, i)
    pairs, total = len(counts) - 1, sum(counts)
    at_least = [0] * (pairs + 1)  # orderings with |S| == s, then with |S| >= s
    for d, c in enumerate(counts):
        at_least[abs(pairs - 2 * d)] += c
    for s in range(pairs - 1, -1, -1):
        at_least[s] += at_least[s + 1]
    p = np.array([c / total for c in at_least])
    p.flags.writeable = False
    return p


def _times_q_integer(counts: list[int], i: int) -> list[int]:
    """The polynomial with coefficients ``counts`` times ``1 + q + ... + q**(i - 1)``."""
    prefix = [0, *itertools.accumulate(counts)]
    last = len(counts) - 1
    return [prefix[min(d, last) + 1] - prefix[max(d - i + 1, 0)] for d in range(last + i)]


def _over_q_integer(counts: list[int], i: int) -> list[int]:
    """The polynomial ``counts`` divided (exactly) by ``1 + q + ... + q**(i - 1)``."""
    # Times (1 - q), then divided by (1 - q**i): out[d] = b[d] + out[d - i].
    b = [c - (counts[d - 1] if d else 0) for d, c in enumerate(counts)]
    out: list[int] = []
    for d in range(len(counts) - i + 1):
        out.append(b[d] + (out[d - i] if d >= i else 0))
    return out


def _multiplicities(sorted_counts: npt.NDArray[np.int64]) -> tuple[int, ...]:
    """Group sizes from one row of sorted tie counts (a group of m shows m times m)."""
    sizes, d = [], 0
    while d < len(sorted_counts):
        sizes.append(int(sorted_counts[d]))
        d += int(sorted_counts[d])
    return tuple(sizes)


def _kendall_rows(
    y: npt.NDArray[np.float64], ties: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Kendall tau-b and its exact two-sided p for each row of ``y`` (k, n) on distinct years.

    ``ties`` is :func:`_tie_counts` of ``y``. S is the sum of the signs of the
    later-minus-earlier differences; tau-b = S / sqrt(N0) / sqrt(N0 - ties in
    y), in scipy's order of operations, so it equals ``kendalltau``'s value.
    The p-value is looked up in :func:`_kendall_null` of the row's tie
    pattern, which is shared by many rows. A constant row has tau 0 and p 1.
    """
    k, n = y.shape
    i, j = _pairs(n)
    s = np.concatenate(
        [np.sign(y[c, j] - y[c, i]).sum(axis=1) for c in _row_chunks(k, n)] or [np.zeros(0)]
    ).astype(np.int64)
    total = n * (n - 1) // 2
    tied_pairs = (ties.sum(axis=1) - n) // 2
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = s / np.sqrt(total) / np.sqrt(total - tied_pairs)
    tau = np.where(tied_pairs == total, 0.0, np.clip(tau, -1.0, 1.0))
    p = np.empty(k)
    patterns, which = np.unique(np.sort(ties, axis=1), axis=0, return_inverse=True)
    for u, pattern in enumerate(patterns):
        rows = which.ravel() == u
        p[rows] = _kendall_null(_multiplicities(pattern))[np.abs(s[rows])]
    return tau, p


def _theil_sen_rows(
    y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], ties: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Theil-Sen (slope, low, high) of each row of ``y`` (k, n) on distinct sorted years ``x``.

    The computation of ``scipy.stats.theilslopes(y, x, alpha=INTERVAL)`` in
    the same order of operations, for all rows at once: the median of the
    pairwise slopes, and the interval from the sorted slopes at the ranks of
    Sen (1968), whose variance counts the ties in y (``ties`` as
    :func:`_tie_counts`). NaN with fewer than two points.
    """
    k, n = y.shape
    out = np.full((k, 3), np.nan)
    if n < 2:
        return out
    i, j = _pairs(n)
    dx = x[j] - x[i]
    level = 1.0 - INTERVAL if INTERVAL > 0.5 else INTERVAL
    z = float(stats.norm.ppf(level / 2.0))
    # Sen (1968), eq. 2.6: sum over tie groups of m (m - 1) (2m + 5), per value m times.
    tie_term = ((ties - 1) * (2 * ties + 5)).sum(axis=1)
    sigma = np.sqrt(1 / 18.0 * (n * (n - 1) * (2 * n + 5) - tie_term).astype(float))
    nt = len(dx)
    upper = np.minimum(np.round((nt - z * sigma) / 2.0).astype(np.intp), nt - 1)
    lower = np.maximum(np.round((nt + z * sigma) / 2.0).astype(np.intp) - 1, 0)
    for c in _row_chunks(k, n):
        slopes = np.sort((y[c, j] - y[c, i]) / dx, axis=1)
        rows = np.arange(slopes.shape[0])
        out[c, 0] = np.median(slopes, axis=1)
        out[c, 1] = slopes[rows, lower[c]]
        out[c, 2] = slopes[rows, upper[c]]
    return out


# -- the registry of trend methods ------------------------------------------------


class SeriesBlock:
    """Series that share their years: what a :attr:`TrendMethod.block` function gets.

    Attributes
    ----------
    x : numpy.ndarray
        The years, shape (n,): distinct, ascending, at least :data:`MIN_POINTS`.
    y : numpy.ndarray
        The values, shape (k, n): one row per series, no NaN.
    se : numpy.ndarray
        The standard error of each value, shape (k, n); NaN where unknown.

    The rank statistics every run reports are computed once per block, on
    first use, and shared by the methods: :attr:`ties`, :attr:`kendall`
    (tau-b and its exact p) and :attr:`theil_sen` (slope, low, high).
    """

    def __init__(
        self,
        x: npt.NDArray[np.float64],
        y: npt.NDArray[np.float64],
        se: npt.NDArray[np.float64],
    ) -> None:
        self.x, self.y, self.se = x, y, se

    def __len__(self) -> int:
        return self.y.shape[0]

    @functools.cached_property
    def ties(self) -> npt.NDArray[np.int64]:
        """For each value: how many values of its row equal it (1 without ties), (k, n)."""
        return _tie_counts(self.y)

    @functools.cached_property
    def kendall(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Kendall tau-b and its exact two-sided p per row (:func:`trend_test`, rule 2)."""
        return _kendall_rows(self.y, self.ties)

    @functools.cached_property
    def theil_sen(self) -> npt.NDArray[np.float64]:
        """Theil-Sen slope per year and its :data:`INTERVAL` interval per row, (k, 3)."""
        return _theil_sen_rows(self.y, self.x, self.ties)

    def take(self, rows: npt.NDArray[np.bool_]) -> SeriesBlock:
        """The block of the chosen rows, with the statistics already computed carried along."""
        part = SeriesBlock(self.x, self.y[rows], self.se[rows])
        if "ties" in self.__dict__:
            part.ties = self.ties[rows]
        if "kendall" in self.__dict__:
            part.kendall = (self.kendall[0][rows], self.kendall[1][rows])
        if "theil_sen" in self.__dict__:
            part.theil_sen = self.theil_sen[rows]
        return part


@dataclass(frozen=True)
class TrendMethod:
    """One trend test, by name: the entry a module of ``tellen/trend_methods/`` registers.

    Attributes
    ----------
    name : str
        The name in :func:`trend_methods` and in the ``method`` column of
        ``trends.csv``; lowercase, never renamed once published.
    block : callable
        ``block(series: SeriesBlock) -> ndarray`` of shape (k, 4): per row the
        two-sided ``p_value``, ``slope`` per year, ``slope_low`` and
        ``slope_high`` (the :data:`INTERVAL` interval). Vectorised over the
        rows; a row's numbers must not depend on the other rows. The one-series
        result (:func:`trend_test`) is this function on a block of one row.
    effect : {"tau", "slope"}
        The sign the verdict rests on (with the indicator's direction): Kendall's
        tau, or the method's own slope.
    applies : callable, optional
        ``applies(series: SeriesBlock) -> bool ndarray`` (k,): the rows this
        method can test (others go to the next method of the run's list).
        None: every series; the last method of a list must be such a one.
    summary : str
        One sentence for the reader of the code and the docs.
    """

    name: str
    block: Callable[[SeriesBlock], npt.NDArray[np.float64]]
    effect: str = "tau"
    applies: Callable[[SeriesBlock], npt.NDArray[np.bool_]] | None = None
    summary: str = ""

    def __post_init__(self) -> None:
        if self.effect not in ("tau", "slope"):
            raise ValueError(f"trend method {self.name!r}: effect must be 'tau' or 'slope'")
        if not self.name.isidentifier() or self.name != self.name.lower() or self.name == NO_TEST:
            raise ValueError(f"trend method name {self.name!r}: lowercase letters, digits and _")


@functools.cache
def trend_methods() -> Mapping[str, TrendMethod]:
    """Every registered trend method by name.

    Read once from the modules of the package ``npdw_learning.tellen.trend_methods``:
    each defines ``METHODS``, a tuple of :class:`TrendMethod`. A new method is
    a new module there; nothing else needs to name it.

    Raises
    ------
    TypeError
        If a module has no ``METHODS`` tuple of :class:`TrendMethod`.
    ValueError
        If two methods share a name.

    Examples
    --------
    >>> sorted(trend_methods())[:3]
    ['kendall_exact', 'kendall_permutation', 'wls_known_se']
    >>> trend_methods()["wls_known_se"].effect
    'slope'
    """
    return discover(f"{__package__}.{_METHODS_PACKAGE}", "METHODS", TrendMethod)


def _chain(methods: Sequence[str]) -> tuple[TrendMethod, ...]:
    """The registered methods named in ``methods``, checked: known, and the last applies to all."""
    registry = trend_methods()
    if isinstance(methods, str):
        methods = (methods,)
    unknown = [m for m in methods if m not in registry]
    if unknown or not methods:
        raise ValueError(f"unknown trend method(s) {unknown}; registered: {sorted(registry)}")
    chain = tuple(registry[m] for m in methods)
    if chain[-1].applies is not None:
        raise ValueError(
            f"trend method {chain[-1].name!r} does not apply to every series, so it cannot "
            "come last; end the list with one that does (e.g. 'kendall_permutation')"
        )
    return chain


def verdict_effect(table: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Per row of a trend table: the number whose sign the verdict rests on.

    ``slope_per_year`` for a row whose ``method`` has ``effect="slope"``,
    else ``tau`` (NaN for :data:`NO_TEST`).
    """
    registry = trend_methods()
    by_slope = [m in registry and registry[m].effect == "slope" for m in table["method"]]
    slope = table["slope_per_year"].to_numpy(dtype=float)
    return np.where(by_slope, slope, table["tau"].to_numpy(dtype=float))


def _group_by_years(years: Sequence[npt.NDArray[np.float64]]) -> list[list[int]]:
    """Indices of the series that share the same year vector, in first-seen order."""
    groups: dict[bytes, list[int]] = {}
    for k, x in enumerate(years):
        groups.setdefault(x.tobytes(), []).append(k)
    return list(groups.values())


def _theil_sen_many(
    years: Sequence[npt.NDArray[np.float64]], values: Sequence[npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    """Theil-Sen (slope, low, high) per series (distinct sorted years), shape (k, 3).

    Series sharing their years go through one :func:`_theil_sen_rows` call.
    """
    out = np.full((len(years), 3), np.nan)
    for idx in _group_by_years(years):
        y = np.stack([values[k] for k in idx])
        out[idx] = _theil_sen_rows(y, years[idx[0]], _tie_counts(y))
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
        raise ValueError(_DUPLICATE_YEAR)
    return x, y, s


def _trend_block(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    se: npt.NDArray[np.float64],
    chain: Sequence[TrendMethod],
) -> dict[str, npt.NDArray[Any]]:
    """The rules of :func:`trend_test` for the rows of ``y`` (k, n), which share the years ``x``.

    ``se`` has the shape of ``y`` (NaN where unknown). Each row goes to the
    first method of ``chain`` that applies to it. Returns the arrays ``tau,
    p_value, slope, slope_low, slope_high, effect, method`` of length k.
    """
    k, n = y.shape
    out = {name: np.full(k, np.nan) for name in _BLOCK_FLOATS}
    out["method"] = np.full(k, NO_TEST, dtype=object)
    if n < MIN_POINTS:
        return out
    block = SeriesBlock(x, y, se)
    out["tau"] = block.kendall[0]
    todo = np.ones(k, dtype=bool)
    for method in chain:
        rows = todo if method.applies is None else todo & method.applies(block)
        if rows.any():
            found = np.asarray(method.block(block.take(rows)), dtype=float)
            if found.shape != (int(rows.sum()), 4):
                raise ValueError(f"trend method {method.name!r}: block gave shape {found.shape}")
            for c, name in enumerate(("p_value", "slope", "slope_low", "slope_high")):
                out[name][rows] = found[:, c]
            out["effect"][rows] = found[:, 1] if method.effect == "slope" else out["tau"][rows]
            out["method"][rows] = method.name
            todo &= ~rows
    return out


def trend_test(
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    se: npt.ArrayLike | None = None,
    *,
    methods: Sequence[str] = DEFAULT_METHODS,
) -> TrendResult:
    """Test one series for a monotone trend and estimate its slope per year.

    Points with a missing year or value are dropped; the rest are put in year
    order. Rules, in order (those of :data:`DEFAULT_METHODS`; another list of
    registered methods in ``methods`` changes rules 2-4):

    1. Fewer than :data:`MIN_POINTS` (4) points: ``method="insufficient_data"``
       and NaN tau, p and slope. Few points is *not* evidence of no trend:
       even at n = 4 the smallest possible two-sided p-value is 2/24 = 0.083,
       so no test can reach p < 0.05.
    2. Kendall's tau-b between year and value, with the exact two-sided
       p-value of its permutation distribution: the share of all orderings
       of the values over the years with |S| at least the observed one.
       Without ties in the values this is the exact Kendall p
       (``scipy.stats.kendalltau(method="exact")``, ``method="kendall_exact"``);
       with ties the orderings are counted exactly as well, for any n, from
       the q-multinomial generating function of the tie pattern
       (``method="kendall_permutation"``; no Monte Carlo, no seed). A
       constant series has tau 0 and p 1.
    3. The slope is Theil-Sen on the actual years with its 95% interval
       (as ``scipy.stats.theilslopes``), so biennial series and gaps give a
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

    No autocorrelation corrections are applied. :func:`trend_table` runs the
    same computation on many series at once (series that share their years
    in one array step) and gives the same numbers.

    Parameters
    ----------
    years : array-like of int
        Measurement years, distinct.
    values : array-like of float
        Values, aligned with ``years``.
    se : array-like of float, optional
        Standard error per value (NaN when unknown).
    methods : sequence of str, default :data:`DEFAULT_METHODS`
        Registered method names (:func:`trend_methods`), tried in order; the
        first that applies to the series gives its p-value and slope.

    Returns
    -------
    TrendResult

    Raises
    ------
    ValueError
        If the arrays differ in length, a year occurs twice or a method is
        unknown (or the last cannot test every series).

    Examples
    --------
    >>> r = trend_test([2015, 2017, 2019, 2021, 2023], [10.0, 12.0, 13.0, 17.0, 18.0])
    >>> r.method, round(r.tau, 3), round(r.p_value, 4), r.slope
    ('kendall_exact', 1.0, 0.0167, 1.0)
    >>> trend_test([2021, 2022, 2023], [1.0, 2.0, 3.0]).method
    'insufficient_data'
    """
    chain = _chain(methods)
    x, y, s = _clean_series(years, values, se)
    known = np.full(len(x), np.nan) if s is None else s
    block = _trend_block(x, y[np.newaxis, :], known[np.newaxis, :], chain)
    return _result(len(x), block, 0)


def _result(n: int, block: Mapping[str, npt.NDArray[Any]], row: int) -> TrendResult:
    """Row ``row`` of a :func:`_trend_block` result as a :class:`TrendResult`."""
    return TrendResult(
        n,
        float(block["tau"][row]),
        float(block["p_value"][row]),
        float(block["slope"][row]),
        float(block["slope_low"][row]),
        float(block["slope_high"][row]),
        str(block["method"][row]),
    )


def _check_measurements(measurements: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _MEASUREMENT_COLUMNS if c not in measurements.columns]
    if missing:
        raise ValueError(f"measurements lacks column(s) {missing}")
    frame = measurements.loc[:, list(_MEASUREMENT_COLUMNS)]
    return frame.sort_values(["indicator", "area", "year"], kind="mergesort", ignore_index=True)


def _series_bounds(frame: pd.DataFrame) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(start, stop) row positions of each (indicator, area) series of a sorted frame."""
    indicator = frame["indicator"].to_numpy(dtype=object)
    area = frame["area"].to_numpy(dtype=object)
    change = np.flatnonzero((indicator[1:] != indicator[:-1]) | (area[1:] != area[:-1])) + 1
    bounds = np.concatenate([[0], change, [len(frame)]]).astype(np.intp)
    if len(frame) == 0:
        bounds = np.zeros(1, dtype=np.intp)
    return bounds[:-1], bounds[1:]


def _iter_series(frame: pd.DataFrame) -> Any:
    """Yield (indicator, area, years, values, se) per series of a sorted frame."""
    indicator = frame["indicator"].to_numpy(dtype=object)
    area = frame["area"].to_numpy(dtype=object)
    years = frame["year"].to_numpy(dtype=float)
    values = frame["value"].to_numpy(dtype=float)
    se = frame["se"].to_numpy(dtype=float)
    # Positional slicing of pre-sorted arrays is ~10x faster than groupby here.
    for start, stop in zip(*_series_bounds(frame), strict=True):
        sl = slice(start, stop)
        yield indicator[start], area[start], years[sl], values[sl], se[sl]


def _year_blocks(
    years: npt.NDArray[np.float64], starts: npt.NDArray[np.intp], stops: npt.NDArray[np.intp]
) -> Any:
    """Yield (series, rows) for the series that share their years, in one array step.

    ``years`` holds the years of a frame sorted by series and year; ``series``
    are positions in ``starts``, ``rows`` (len(series), L) the frame rows of
    those series, so ``values[rows]`` is their value matrix.
    """
    lengths = stops - starts
    for length in np.unique(lengths):
        series = np.flatnonzero(lengths == length)
        rows = starts[series, np.newaxis] + np.arange(length)
        _, which = np.unique(years[rows], axis=0, return_inverse=True)
        which = which.ravel()
        order = np.argsort(which, kind="stable")
        cuts = np.flatnonzero(np.diff(which[order])) + 1
        for part in np.split(order, cuts):
            yield series[part], rows[part]


def _trend_arrays(frame: pd.DataFrame, chain: Sequence[TrendMethod]) -> dict[str, npt.NDArray[Any]]:
    """Every series of a sorted frame through :func:`_trend_block`, block by block.

    Returns per series ``indicator, area, n, first_year, last_year,
    first_value, last_value`` and the :func:`_trend_block` arrays.
    """
    years = frame["year"].to_numpy(dtype=float)
    values = frame["value"].to_numpy(dtype=float)
    se = frame["se"].to_numpy(dtype=float)
    starts, stops = _series_bounds(frame)
    same = np.flatnonzero(np.diff(years) == 0) + 1
    if np.any(~np.isin(same, starts)):
        raise ValueError(_DUPLICATE_YEAR)
    k = len(starts)
    out: dict[str, npt.NDArray[Any]] = {
        "indicator": frame["indicator"].to_numpy(dtype=object)[starts],
        "area": frame["area"].to_numpy(dtype=object)[starts],
        "n": stops - starts,
        "first_year": years[starts],
        "last_year": years[stops - 1],
        "first_value": values[starts],
        "last_value": values[stops - 1],
        **{name: np.full(k, np.nan) for name in _BLOCK_FLOATS},
        "method": np.full(k, NO_TEST, dtype=object),
    }
    for series, rows in _year_blocks(years, starts, stops):
        block = _trend_block(years[rows[0]], values[rows], se[rows], chain)
        for name, column in block.items():
            out[name][series] = column
    return out


def _run_series(measurements: pd.DataFrame, methods: Sequence[str]) -> dict[str, npt.NDArray[Any]]:
    """:func:`_trend_arrays` of the series with at least one year and value."""
    chain = _chain(methods)
    frame = _check_measurements(measurements)
    keep = np.isfinite(frame["value"].to_numpy(dtype=float)) & np.isfinite(
        frame["year"].to_numpy(dtype=float)
    )
    return _trend_arrays(frame[keep].reset_index(drop=True), chain)


def trend_results(
    measurements: pd.DataFrame, *, methods: Sequence[str] = DEFAULT_METHODS
) -> dict[tuple[str, str], TrendResult]:
    """Run :func:`trend_test` on every (indicator, area) series.

    :func:`trend_table` gives the same numbers as a tidy table, the method of
    each row in its ``method`` column.

    Parameters
    ----------
    measurements : pandas.DataFrame
        Columns ``indicator``, ``area``, ``year``, ``value``, ``se``; one row
        per (indicator, area, year). Rows with a missing value are ignored.
    methods : sequence of str, default :data:`DEFAULT_METHODS`
        As for :func:`trend_test`.

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
    arrays = _run_series(measurements, methods)
    return {
        (ind, area): _result(int(arrays["n"][k]), arrays, k)
        for k, (ind, area) in enumerate(zip(arrays["indicator"], arrays["area"], strict=True))
    }


def trend_table(
    measurements: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    *,
    alpha: float = FDR_ALPHA,
    methods: Sequence[str] = DEFAULT_METHODS,
) -> pd.DataFrame:
    """Trend test, slope, BH q-value and verdict for every series.

    The numbers of :func:`trend_test` per series, computed for all series
    that share their years in one array step (a national table of 99,000
    series takes seconds). Exact p-values need no seed, so a series' result
    never depends on which other series are present.

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
    methods : sequence of str, default :data:`DEFAULT_METHODS`
        Registered method names, tried in order per series (:func:`trend_test`).

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`TREND_COLUMNS`, one row per (indicator, area), sorted by
        indicator then area. ``slope_per_year``/``slope_low``/``slope_high``
        are Theil-Sen, or WLS when every point has a known se. ``q_value`` is
        the Benjamini-Hochberg adjustment of ``p_value`` over all series of
        this call with at least :data:`MIN_POINTS` points (NaN for the
        others). ``verdict``: ``insufficient_data`` below :data:`MIN_POINTS`;
        ``improving``/``worsening`` when q < alpha, by the sign of
        :func:`verdict_effect` (tau, or the slope for a method such as WLS)
        and the indicator's direction; else ``no_significant_trend``.
        ``method`` is the :attr:`TrendResult.method` of the row.

    Raises
    ------
    ValueError
        If a column is missing, an indicator has no direction, a series has
        a year twice or a method is unknown.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "leefbaarheid", "area": "crabbehof",
    ...                   "year": range(2015, 2021),
    ...                   "value": [6.1, 6.3, 6.4, 6.6, 6.9, 7.0], "se": float("nan")})
    >>> t = trend_table(m, {"leefbaarheid": True})
    >>> t.loc[0, "verdict"], round(float(t.loc[0, "slope_per_year"]), 3)
    ('improving', 0.2)
    >>> t.loc[0, "method"]
    'kendall_exact'
    """
    _check_directions(measurements, higher_is_better)
    rows = _trend_rows(measurements, higher_is_better, methods)
    return _typed_trend_table(_with_verdicts(rows, alpha))


def _check_directions(measurements: pd.DataFrame, higher_is_better: Mapping[str, bool]) -> None:
    """Refuse measurements without the trend columns, or with an indicator without direction."""
    missing = [c for c in _MEASUREMENT_COLUMNS if c not in measurements.columns]
    if missing:
        raise ValueError(f"measurements lacks column(s) {missing}")
    unknown = sorted(set(measurements["indicator"]) - set(higher_is_better))
    if unknown:
        raise ValueError(f"no higher_is_better for indicator(s) {unknown}")


def _trend_rows(
    measurements: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    methods: Sequence[str] = DEFAULT_METHODS,
) -> pd.DataFrame:
    """One row per series with its test result, before the q-values and verdicts.

    Besides :data:`TREND_COLUMNS` (``q_value`` NaN, ``verdict``
    ``insufficient_data``) a row carries ``_effect`` (the sign the verdict
    rests on: :attr:`TrendMethod.effect`) and ``_better`` (the indicator's direction).
    """
    arrays = _run_series(measurements, methods)
    better = pd.Series(arrays["indicator"], dtype=object).map(higher_is_better)
    return pd.DataFrame(
        {
            "indicator": arrays["indicator"],
            "area": arrays["area"],
            "n": arrays["n"].astype(np.int64),
            "first_year": arrays["first_year"].astype(np.int64),
            "last_year": arrays["last_year"].astype(np.int64),
            "first_value": arrays["first_value"],
            "last_value": arrays["last_value"],
            "tau": arrays["tau"],
            "p_value": arrays["p_value"],
            "q_value": np.nan,
            "slope_per_year": arrays["slope"],
            "slope_low": arrays["slope_low"],
            "slope_high": arrays["slope_high"],
            "verdict": "insufficient_data",
            "method": arrays["method"],
            "_effect": arrays["effect"],
            "_better": better.to_numpy(dtype=bool),
        },
        columns=[*TREND_COLUMNS, "_effect", "_better"],
    )


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
            "method": object,
        }
    )
