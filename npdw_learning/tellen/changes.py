"""Change since the baseline for series too short for a trend (tellen).

In the programme's first years most series hold the baseline (nulmeting)
and one or two later values: fewer than :data:`~.trends.MIN_POINTS`, so
:func:`~.trends.trend_table` gives no verdict. This module compares the
latest value with the first one, with the uncertainty the data carry:

``two_proportion``
    A percentage with its sample size ``n`` at both ends: the difference of
    two independent proportions, with Newcombe's hybrid score interval
    (method 10 of Newcombe 1998, built from two Wilson intervals) and the
    two-sided pooled z-test of equal proportions.
``poisson_rate``
    A count (unit ``count``) or a rate per 1,000 or 10,000 inhabitants with
    the population in ``n`` at both ends: the events are ``value * n /
    scale``, rounded to whole events; the test is the conditional exact test
    of two Poisson rates (given the total number of events, the later count
    is binomial with the later population's share as probability); the
    interval of the difference of the rates is the Wald interval.
``known_se``
    Both ends carry a standard error ``se``: z on the difference, with
    ``sqrt(se1**2 + se2**2)`` as its standard error.
``none``
    No uncertainty known: the change is shown, without test or interval.

The verdict is direction-aware (the registry's ``higher_is_better``) and
rests on the Benjamini-Hochberg q-value; :func:`~.run.run_tellen` adjusts the
p-values of this table together with those of the trend table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from .trends import INTERVAL, MIN_POINTS, _series_bounds

__all__ = [
    "CHANGE_COLUMNS",
    "CHANGE_TESTS",
    "CHANGE_VERDICTS",
    "CONFIDENCE",
    "RATE_SCALES",
    "ChangeResult",
    "change_table",
    "change_test",
    "directional_verdicts",
    "known_se",
    "poisson_rate",
    "two_proportion",
]

CHANGE_COLUMNS = [
    "indicator",
    "area",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "change",
    "change_low",
    "change_high",
    "p_value",
    "q_value",
    "test",
    "verdict",
]
CHANGE_TESTS = ("two_proportion", "poisson_rate", "known_se", "none")
CHANGE_VERDICTS = ("improving", "worsening", "no_significant_change", "no_test")
# Level of every interval in the change table (the trend slopes use 95% too).
CONFIDENCE = INTERVAL  # the one confidence level of the report (trends.INTERVAL)
# Unit id -> the population a rate is expressed per; None: the value is a count of events.
RATE_SCALES: Mapping[str, float | None] = {
    "count": None,
    "per_1000": 1_000.0,
    "per_10000": 10_000.0,
}

_NAN = math.nan
_COLUMNS = ("indicator", "area", "year", "value", "se", "n")
_FLOATS = ("change", "low", "high", "p_value")  # the float fields of ChangeResult, in order


@dataclass(frozen=True)
class ChangeResult:
    """The change from a baseline to a later value, with its uncertainty.

    Attributes
    ----------
    change : float
        Latest minus baseline, in the indicator's unit (percentage points for
        a percentage).
    low, high : float
        The :data:`CONFIDENCE` interval of the change (NaN for ``"none"``).
    p_value : float
        Two-sided p-value of "no change" (NaN for ``"none"``).
    test : str
        One of :data:`CHANGE_TESTS`.
    """

    change: float
    low: float
    high: float
    p_value: float
    test: str


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _wilson(
    p: npt.NDArray[np.float64], n: npt.NDArray[np.float64], z: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score interval of proportions ``p`` (0-1) from ``n`` observations."""
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _two_proportion_arrays(
    baseline: npt.NDArray[np.float64],
    n_baseline: npt.NDArray[np.float64],
    latest: npt.NDArray[np.float64],
    n_latest: npt.NDArray[np.float64],
    z: float,
) -> tuple[npt.NDArray[np.float64], ...]:
    """:func:`two_proportion` on arrays: (change, low, high, p) in percentage points."""
    p1, p2 = baseline / 100.0, latest / 100.0
    l1, u1 = _wilson(p1, n_baseline, z)
    l2, u2 = _wilson(p2, n_latest, z)
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    pooled = (p1 * n_baseline + p2 * n_latest) / (n_baseline + n_latest)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_baseline + 1 / n_latest))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = np.where(se == 0, 1.0, 2 * stats.norm.sf(np.abs(d) / se))
    return 100 * d, 100 * low, 100 * high, p_value


def two_proportion(
    baseline: float, n_baseline: float, latest: float, n_latest: float, *, confidence=CONFIDENCE
) -> ChangeResult:
    """Difference of two independent percentages with Newcombe's interval.

    The interval is Newcombe's hybrid score interval (his method 10): with
    Wilson intervals ``(l1, u1)`` and ``(l2, u2)`` of the baseline ``p1`` and
    the latest ``p2``, ``d = p2 - p1`` has the limits
    ``d - sqrt((p2 - l2)**2 + (u1 - p1)**2)`` and
    ``d + sqrt((u2 - p2)**2 + (p1 - l1)**2)``. The p-value is the two-sided
    pooled z-test, ``z = d / sqrt(p (1 - p) (1/n1 + 1/n2))`` with ``p`` the
    pooled proportion (p = 1 when both ends are 0% or both 100%).

    Parameters
    ----------
    baseline, latest : float
        The percentages (0-100).
    n_baseline, n_latest : float
        The number of respondents behind each (> 0).
    confidence : float, default :data:`CONFIDENCE`

    Returns
    -------
    ChangeResult
        In percentage points, ``test="two_proportion"``.

    Examples
    --------
    >>> r = two_proportion(40.0, 500, 46.0, 500)
    >>> round(r.change, 1), round(r.low, 2), round(r.high, 2), round(r.p_value, 4)
    (6.0, -0.13, 12.07, 0.0553)
    """
    arrays = _two_proportion_arrays(
        *map(_one, (baseline, n_baseline, latest, n_latest)), _z(confidence)
    )
    return ChangeResult(*(float(a[0]) for a in arrays), "two_proportion")


def poisson_rate(
    baseline: float,
    population_baseline: float,
    latest: float,
    population_latest: float,
    *,
    scale: float | None = None,
    confidence: float = CONFIDENCE,
) -> ChangeResult:
    """Change of a count or a rate with the conditional exact test of two Poisson rates.

    The events behind each value are the value itself (``scale=None``, a
    count) or ``round(rate * population / scale)`` (a rate per ``scale``
    inhabitants). Given their total ``k1 + k2``, the later count ``k2`` is
    binomial with probability ``E2 / (E1 + E2)`` (the later population's
    share) when the rates per inhabitant are equal; the two-sided p-value is
    that of ``scipy.stats.binomtest`` (the outcomes no more likely than the
    observed one). The interval is the Wald interval of the difference, in
    the value's unit: ``d +- z * scale * sqrt(k1 / E1**2 + k2 / E2**2)`` for
    a rate, ``d +- z * sqrt(k1 + k2)`` for a count. Without any event at
    either end p = 1 and the interval is NaN. For a count the test compares
    events per inhabitant, so with a population that changed much the count
    and the rate can move apart; the change shown is the count's.

    Parameters
    ----------
    baseline, latest : float
        The counts (``scale=None``) or the rates per ``scale`` inhabitants.
    population_baseline, population_latest : float
        The population behind each (> 0).
    scale : float, optional
        None for counts, 1000 for a rate per 1,000, 10000 per 10,000.
    confidence : float, default :data:`CONFIDENCE`

    Returns
    -------
    ChangeResult
        In the value's unit, ``test="poisson_rate"``.

    Examples
    --------
    >>> r = poisson_rate(20.0, 5000, 12.0, 5000, scale=1000)
    >>> round(r.change, 1), round(r.p_value, 4)
    (-8.0, 0.002)
    """
    e1, e2 = float(population_baseline), float(population_latest)
    per = 1.0 if scale is None else scale
    k1 = int(round(baseline * (1.0 if scale is None else e1 / scale)))
    k2 = int(round(latest * (1.0 if scale is None else e2 / scale)))
    change = latest - baseline
    if k1 + k2 == 0:
        return ChangeResult(change, _NAN, _NAN, 1.0, "poisson_rate")
    p_value = float(stats.binomtest(k2, k1 + k2, e2 / (e1 + e2)).pvalue)
    if scale is None:
        d, se = float(k2 - k1), math.sqrt(k1 + k2)
    else:
        d, se = per * (k2 / e2 - k1 / e1), per * math.sqrt(k1 / e1**2 + k2 / e2**2)
    half = _z(confidence) * se
    return ChangeResult(change, d - half, d + half, p_value, "poisson_rate")


def known_se(
    baseline: float, se_baseline: float, latest: float, se_latest: float, *, confidence=CONFIDENCE
) -> ChangeResult:
    """z-test of the difference of two values with known standard errors.

    ``d = latest - baseline``, ``se = sqrt(se1**2 + se2**2)``, interval
    ``d +- z * se``, two-sided p from the normal distribution.

    Examples
    --------
    >>> r = known_se(6.5, 0.1, 6.8, 0.1)
    >>> round(r.change, 2), round(r.p_value, 4)
    (0.3, 0.0339)
    """
    arrays = _known_se_arrays(
        *map(_one, (baseline, se_baseline, latest, se_latest)), _z(confidence)
    )
    return ChangeResult(*(float(a[0]) for a in arrays), "known_se")


def _known_se_arrays(
    baseline: npt.NDArray[np.float64],
    se_baseline: npt.NDArray[np.float64],
    latest: npt.NDArray[np.float64],
    se_latest: npt.NDArray[np.float64],
    z: float,
) -> tuple[npt.NDArray[np.float64], ...]:
    """:func:`known_se` on arrays: (change, low, high, p)."""
    d = latest - baseline
    se = np.hypot(se_baseline, se_latest)
    half = z * se
    return d, d - half, d + half, 2 * stats.norm.sf(np.abs(d) / se)


def _one(value: float) -> npt.NDArray[np.float64]:
    return np.array([value], dtype=float)


def change_test(
    baseline: float,
    latest: float,
    *,
    unit: str,
    n: tuple[float, float] = (_NAN, _NAN),
    se: tuple[float, float] = (_NAN, _NAN),
) -> ChangeResult:
    """The change from ``baseline`` to ``latest`` with the test the data allow.

    In order: a percentage (``unit == "percent"``) with ``n`` at both ends
    -> :func:`two_proportion`; a unit in :data:`RATE_SCALES` with ``n`` (the
    population) at both ends -> :func:`poisson_rate`; ``se`` at both ends ->
    :func:`known_se`; otherwise ``test="none"`` with NaN interval and p.

    Examples
    --------
    >>> change_test(12.0, 10.0, unit="index").test
    'none'
    >>> change_test(40.0, 46.0, unit="percent", n=(500, 500)).test
    'two_proportion'
    """
    arrays = _change_arrays(
        _one(baseline),
        _one(latest),
        np.array([unit], dtype=object),
        np.array([n], dtype=float),
        np.array([se], dtype=float),
    )
    return ChangeResult(*(float(arrays[f][0]) for f in _FLOATS), str(arrays["test"][0]))


def _change_arrays(
    baseline: npt.NDArray[np.float64],
    latest: npt.NDArray[np.float64],
    unit: npt.NDArray[np.object_],
    n: npt.NDArray[np.float64],
    se: npt.NDArray[np.float64],
) -> dict[str, npt.NDArray[Any]]:
    """:func:`change_test` for many rows: ``n`` and ``se`` have shape (k, 2) (baseline, latest).

    The rules of :func:`change_test` as masks; the two-proportion and known-se
    rows are computed as arrays, the Poisson rows one by one (an exact
    binomial test each).
    """
    k = len(baseline)
    out: dict[str, npt.NDArray[Any]] = {f: np.full(k, _NAN) for f in _FLOATS}
    out["change"] = latest - baseline
    out["test"] = np.full(k, "none", dtype=object)
    with np.errstate(invalid="ignore"):
        has_n = np.all(np.isfinite(n) & (n > 0), axis=1)
        has_se = np.all(np.isfinite(se) & (se > 0), axis=1)
    low_end, high_end = np.minimum(baseline, latest), np.maximum(baseline, latest)
    proportion = (unit == "percent") & has_n & (low_end >= 0) & (high_end <= 100)
    rate = ~proportion & np.isin(unit, list(RATE_SCALES)) & has_n & (low_end >= 0)
    known = ~proportion & ~rate & has_se
    z = _z(CONFIDENCE)
    for mask, test, arrays in (
        (proportion, "two_proportion", _two_proportion_arrays),
        (known, "known_se", _known_se_arrays),
    ):
        ends = n if test == "two_proportion" else se
        result = arrays(baseline[mask], ends[mask, 0], latest[mask], ends[mask, 1], z)
        for field, column in zip(_FLOATS, result, strict=True):
            out[field][mask] = column
        out["test"][mask] = test
    for row in np.flatnonzero(rate):
        ends = (float(v) for v in (baseline[row], n[row, 0], latest[row], n[row, 1]))
        res = poisson_rate(*ends, scale=RATE_SCALES[unit[row]])
        for field, value in zip(_FLOATS, (res.change, res.low, res.high, res.p_value), strict=True):
            out[field][row] = value
        out["test"][row] = res.test
    return out


def directional_verdicts(
    q: npt.ArrayLike,
    effect: npt.ArrayLike,
    better: npt.ArrayLike,
    *,
    alpha: float,
    flat: str,
) -> npt.NDArray[np.object_]:
    """``improving``/``worsening`` where ``q < alpha`` and the effect is not 0, else ``flat``.

    ``effect`` is the signed change (or tau, or slope); ``better`` is the
    indicator's ``higher_is_better``: a positive effect improves when it is
    True and worsens when it is False.

    Examples
    --------
    >>> directional_verdicts([0.01, 0.01, 0.2], [1.0, 1.0, 1.0], [True, False, True],
    ...                      alpha=0.05, flat="no_significant_change").tolist()
    ['improving', 'worsening', 'no_significant_change']
    """
    q = np.asarray(q, dtype=float)
    effect = np.asarray(effect, dtype=float)
    better = np.asarray(better, dtype=bool)
    significant = (q < alpha) & (effect != 0) & np.isfinite(effect)
    good = np.where(better, effect > 0, effect < 0)
    return np.where(significant, np.where(good, "improving", "worsening"), flat).astype(object)


def _rows(measurements: pd.DataFrame, unit_of: Mapping[str, str], min_points: int) -> pd.DataFrame:
    """The first and last value of every series with 2 to ``min_points - 1`` years, tested."""
    missing = [c for c in _COLUMNS if c not in measurements.columns]
    if missing:
        raise ValueError(f"measurements lacks column(s) {missing}")
    frame = measurements[np.isfinite(measurements["value"].to_numpy(dtype=float))]
    frame = frame.sort_values(["indicator", "area", "year"], kind="mergesort", ignore_index=True)
    starts, stops = _series_bounds(frame)
    short = (stops - starts >= 2) & (stops - starts < min_points)
    first, last = starts[short], stops[short] - 1
    indicator = frame["indicator"].to_numpy(dtype=object)[first]
    units = {ind: unit_of[ind] for ind in dict.fromkeys(indicator)}
    unit = np.array([units[ind] for ind in indicator], dtype=object)
    year = frame["year"].to_numpy(dtype=float)
    value = frame["value"].to_numpy(dtype=float)
    n, se = (frame[c].to_numpy(dtype=float) for c in ("n", "se"))
    res = _change_arrays(
        value[first],
        value[last],
        unit,
        np.column_stack([n[first], n[last]]),
        np.column_stack([se[first], se[last]]),
    )
    return pd.DataFrame(
        {
            "indicator": indicator,
            "area": frame["area"].to_numpy(dtype=object)[first],
            "baseline_year": year[first].astype(np.int64),
            "baseline_value": value[first],
            "latest_year": year[last].astype(np.int64),
            "latest_value": value[last],
            "change": res["change"],
            "change_low": res["low"],
            "change_high": res["high"],
            "p_value": res["p_value"],
            "q_value": _NAN,
            "test": res["test"],
            "verdict": "no_test",
        },
        columns=CHANGE_COLUMNS,
    )


def change_table(
    measurements: pd.DataFrame,
    higher_is_better: Mapping[str, bool],
    unit_of: Mapping[str, str],
    *,
    alpha: float = 0.05,
    min_points: int = MIN_POINTS,
) -> pd.DataFrame:
    """The change since the baseline of every series with 2 to ``min_points - 1`` years.

    The baseline is the first year of the series, the latest its last year;
    :func:`change_test` picks the test. ``q_value`` is the Benjamini-Hochberg
    adjustment (``multipletests(method="fdr_bh")``) over the tested rows of
    this table alone; :func:`~.run.run_tellen` replaces it by the joint
    adjustment with the trend tests. Verdict: ``no_test`` without a test,
    else :func:`directional_verdicts` with ``flat="no_significant_change"``.

    Parameters
    ----------
    measurements : pandas.DataFrame
        ``indicator, area, year, value, se, n`` (NaN when unknown), one row
        per (indicator, area, year); rows without a value are ignored.
    higher_is_better : Mapping[str, bool]
    unit_of : Mapping[str, str]
        Indicator id -> unit id (the registry's ``unit_of()``).
    alpha : float, default 0.05
        False discovery rate for the verdict.
    min_points : int, default :data:`~.trends.MIN_POINTS`
        Series with this many years or more get a trend instead.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`CHANGE_COLUMNS`, sorted by indicator and area.

    Examples
    --------
    >>> m = pd.DataFrame({"indicator": "werk", "area": "wielwijk", "year": [2022, 2025],
    ...                   "value": [40.0, 46.0], "se": float("nan"), "n": [900, 900]})
    >>> t = change_table(m, {"werk": True}, {"werk": "percent"})
    >>> t.loc[0, ["test", "verdict"]].tolist()
    ['two_proportion', 'improving']
    """
    unknown = sorted(set(measurements["indicator"]) - set(higher_is_better))
    if unknown:
        raise ValueError(f"no higher_is_better for indicator(s) {unknown}")
    table = _rows(measurements, unit_of, min_points)
    tested = (table["test"] != "none").to_numpy()
    if tested.any():
        # method="fdr_bh" is explicit on purpose: multipletests defaults to Holm-Sidak.
        q = multipletests(table.loc[tested, "p_value"].to_numpy(), method="fdr_bh")[1]
        table.loc[tested, "q_value"] = q
        better = table.loc[tested, "indicator"].map(higher_is_better).to_numpy(dtype=bool)
        table.loc[tested, "verdict"] = directional_verdicts(
            q, table.loc[tested, "change"], better, alpha=alpha, flat="no_significant_change"
        )
    floats = ["baseline_value", "latest_value", "change", "change_low", "change_high"]
    return table.astype(
        {
            "baseline_year": "int64",
            "latest_year": "int64",
            **dict.fromkeys([*floats, "p_value", "q_value"], "float64"),
            "indicator": object,
            "area": object,
            "test": object,
            "verdict": object,
        }
    )
