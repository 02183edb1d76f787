"""Does the programme make a difference? Each programme unit against comparable regions.

The other readings compare a wijk with its own past. This one compares it with
regions of the whole country that did not get the programme, so what happens
everywhere at once (the economy, a pandemic, national policy) drops out. Two
estimators, both per programme unit x indicator, on the unit's *analysis
years*: the years in which it has a value and at least half of the pool has
one too. Pool regions need a value in every analysis year; the others are left
out of that comparison (no values are filled in). At least
:data:`MIN_PRE_YEARS` (4) analysis years before the start year and
:data:`MIN_POST_YEARS` (1) from it on, or the row is ``insufficient_data``:

``matched`` (difference in differences on matched regions)
    The :data:`DEFAULT_K` (20) nearest pool regions on the indicator's own
    pre-start level (mean of the pre-start years) and slope (OLS on the
    pre-start years), plus log(``inwoners``) and ``stedelijkheid`` when the
    unit has them and at least :data:`COVARIATE_COVERAGE` of the pool too
    (regions without them then drop out). The distance is Mahalanobis: the
    features are whitened with the pool's covariance, then a k-d tree
    (``scipy.spatial.cKDTree``) finds the Euclidean nearest. Effect: (post-start
    mean - pre-start mean) of the unit minus the same of the comparison mean.
``synthetic`` (synthetic control)
    Non-negative weights summing to one on the :data:`SYNTHETIC_DONORS` (50)
    regions nearest on the pre-start path (Abadie 2021: similar donors keep the
    interpolation bias down) that minimise the pre-start misfit
    ``|y - D w|^2 + ridge |w|^2``, with ``ridge = m * s^2`` for ``m`` pre-start
    years and ``s^2`` the pool's noise variance (the median residual variance
    around each region's own pre-start line, after the pool's mean of each
    year, the common shock, is taken out). The ridge term is the noise the
    donors bring into each post-start year (``s^2 |w|^2``), so the weights
    trade pre-start fit against post-start noise; without it, fifty donors
    in four to ten dimensions reproduce the unit's noise exactly (pre-RMSPE 0).
    Solved as one ``scipy.optimize.nnls`` problem (:func:`simplex_weights`:
    the sum-to-one row weighted heavily, then renormalised). ``pysyncon``
    (MIT, on PyPI) nests an optimiser for the predictor weights around each
    fit and builds pandas frames per fit, and ``scpi-pkg`` pulls in cvxpy,
    dask and plotnine: neither fits thousands of placebo fits in the
    benchmark's budget, and the simplex least squares is a few lines of scipy.
    Effect: the mean post-start gap (unit minus synthetic). A pre-start fit
    worse than :data:`FIT_QUANTILE` (95%) of the placebo fits (pre-RMSPE above
    the placebos' 95th percentile) is ``insufficient_data``; those placebos
    leave the placebo distribution too (the role of Abadie's post/pre RMSPE
    ratio, which discounts badly fitted placebos).

Inference for both is by placebos in space: the same estimator applied to
pool regions as if they were treated (their comparison drawn from the rest of
the pool). The pool is shared, so the placebo distribution depends only on the
indicator and the analysis years and is computed once for all units.
``matched`` uses every eligible region; ``synthetic`` every eligible region
up to :data:`SYNTHETIC_PLACEBOS` (a seeded sample above it). Both because the
smallest attainable p is ``1/(n+1)`` and a real run has 5 units x 10-30
indicators x 2 methods = 100-300 tests, whose smallest Benjamini-Hochberg
threshold is 0.05/300 = 1.7e-4: a few thousand placebos are needed for one
strong effect to pass alone, and a wijk-level pool (~3,300) is all there is.
p is the rank of the unit's absolute effect among the placebos' (two-sided,
for both methods); the 95% interval is the effect minus the 97.5% and 2.5%
quantiles of the placebo effects, so p, interval and the verdict's direction
come from one distribution. For ``synthetic`` the issue named the post/pre
RMSPE ratio as the statistic; on the simulated panel of
``tests/tellen/test_comparison.py`` (3,000 regions, 8 + 4 years) it found a
planted effect of 3 noise sd in 33% of the units against 78% for the
absolute mean gap, at the same false-alarm rate (4.3% and 5.6%), and it can
call a unit whose mean gap is 0. The q-values are Benjamini-Hochberg over all
tests of the call and the verdict is direction-aware
(:func:`~.changes.directional_verdicts`).

``paths`` give per analysis year the unit, its comparison (the weighted mean
of the members) and the placebo band: the comparison plus the 2.5% and 97.5%
quantiles of the placebos' gaps in that year; for ``matched`` the gaps are
taken relative to their own pre-start mean and the band is shifted by the
unit's pre-start gap, as difference in differences reads a constant gap as no
effect. ``balance`` gives the pre-start level and slope (and the covariates
used) of the unit, the pool and the comparison, with standardised differences
(the difference over the pool's sd) before and after matching.

What it can and cannot see (measured on the simulated panels of the tests:
3,000 regions, 8 years before the start and 4 after): without an effect 5%
of the units have p < 0.05 and the interval covers the true effect in 95%;
an effect of 1 noise sd is estimated without bias but found in only about
15% (the unit's own noise and the uncertainty of its own pre-start slope give
the effect an sd of about 1.1 noise sd), one of 3 noise sd in about 80%.
A unit whose own pre-start trend is steep (2 sd of the pool's slopes) gets
p < 0.05 in about 11% instead of 5%: its slope is measured with noise, and
the regions matched on the same measured slope have, on average, a less steep
true one (regression to the mean). The programme was not assigned at random,
so a wijk that differs from its comparison in something unmeasured that
changed at the start year is read as an effect; the placebos assume the
programme unit is exchangeable with the pool (an aggregate of several wijken
is smoother than a single region, so its p is conservative).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import nnls
from scipy.spatial import cKDTree
from statsmodels.stats.multitest import multipletests

from .changes import directional_verdicts
from .national import COVARIATES
from .trends import FDR_ALPHA, INTERVAL, MIN_POINTS

__all__ = [
    "BALANCE_COLUMNS",
    "COMPARISON_COLUMNS",
    "COVARIATES",
    "DEFAULT_K",
    "FIT_QUANTILE",
    "MEMBER_COLUMNS",
    "MEASURES",
    "METHODS",
    "MIN_POST_YEARS",
    "MIN_PRE_YEARS",
    "PATH_COLUMNS",
    "SYNTHETIC_DONORS",
    "SYNTHETIC_PLACEBOS",
    "VERDICTS",
    "ComparisonResult",
    "compare",
    "simplex_weights",
]

COMPARISON_COLUMNS = [
    "indicator",
    "area",
    "method",
    "pre_years",
    "post_years",
    "n_comparison",
    "effect",
    "effect_low",
    "effect_high",
    "p_value",
    "q_value",
    "verdict",
]
MEMBER_COLUMNS = ["area", "indicator", "method", "region_code", "region_name", "weight"]
BALANCE_COLUMNS = [
    "area",
    "indicator",
    "method",
    "measure",
    "programme",
    "pool_mean",
    "comparison_mean",
    "std_diff_before",
    "std_diff_after",
]
PATH_COLUMNS = [
    "area",
    "indicator",
    "method",
    "year",
    "programme",
    "comparison",
    "placebo_low",
    "placebo_high",
]
METHODS = ("matched", "synthetic")
VERDICTS = ("better_than_comparison", "worse_than_comparison", "as_comparison", "insufficient_data")
# The rows of balance.csv: the pre-start level and slope, and the matching covariates.
MEASURES = ("pre_level", "pre_slope", *COVARIATES)
MIN_PRE_YEARS = MIN_POINTS  # 4: a pre-start level and slope worth the name
MIN_POST_YEARS = 1
# Fewer placebos than this cannot give p < 0.05 at all.
MIN_PLACEBOS = 19
DEFAULT_K = 20
SYNTHETIC_DONORS = 50
SYNTHETIC_PLACEBOS = 5000
FIT_QUANTILE = 0.95
COVARIATE_COVERAGE = 0.9
_TAIL = (1 - INTERVAL) / 2
_NAN = math.nan


@dataclass(frozen=True)
class ComparisonResult:
    """The comparison of one call of :func:`compare`.

    Attributes
    ----------
    comparison : DataFrame
        :data:`COMPARISON_COLUMNS`, one row per unit x indicator x method.
    members : DataFrame
        :data:`MEMBER_COLUMNS`: the comparison regions and their weights.
    balance : DataFrame
        :data:`BALANCE_COLUMNS`: pre-start differences before and after matching.
    paths : DataFrame
        :data:`PATH_COLUMNS`: per year the unit, its comparison and the placebo band.
    notes : dict
        What was chosen (k, donors, placebo counts, fit threshold, seed); JSON-able.
    """

    comparison: pd.DataFrame
    members: pd.DataFrame
    balance: pd.DataFrame
    paths: pd.DataFrame
    notes: dict


# --------------------------------------------------------------------------- wide arrays


@dataclass(frozen=True)
class _Panel:
    """Long frame as regions x years arrays, one per indicator."""

    keys: npt.NDArray[np.object_]
    names: npt.NDArray[np.object_]
    years: npt.NDArray[np.int64]
    values: dict[str, npt.NDArray[np.float64]]


def _wide(
    frame: pd.DataFrame, key: str, name: str, years: npt.NDArray[np.int64] | None = None
) -> _Panel:
    """Pivot ``key, indicator, year, value`` to (regions x years) arrays with numpy."""
    value = frame["value"].to_numpy(dtype=float)
    frame = frame[np.isfinite(value)]
    value = value[np.isfinite(value)]
    row, keys = pd.factorize(frame[key].astype(str), sort=True)
    ind, indicators = pd.factorize(frame["indicator"].astype(str), sort=True)
    yr = frame["year"].to_numpy(dtype=np.int64)
    years = np.unique(yr) if years is None else years
    col = np.searchsorted(years, yr).clip(0, max(len(years) - 1, 0))
    inside = years[col] == yr if len(years) else np.zeros(len(yr), dtype=bool)
    cube = np.full((len(indicators), len(keys), len(years)), _NAN)
    cube[ind[inside], row[inside], col[inside]] = value[inside]
    first = np.zeros(len(keys), dtype=np.int64)
    first[row[::-1]] = np.arange(len(row))[::-1]
    names = frame[name].astype(str).to_numpy(dtype=object)[first] if len(row) else first
    return _Panel(
        keys=np.asarray(keys, dtype=object),
        names=np.asarray(names, dtype=object),
        years=years,
        values={str(i): cube[j] for j, i in enumerate(indicators)},
    )


def _covariates(panel: _Panel, start_year: int) -> dict[str, npt.NDArray[np.float64]]:
    """Each covariate's mean over the pre-start years (all years when none before)."""
    out = {}
    pre = panel.years < start_year
    for name in COVARIATES:
        if name not in panel.values:
            continue
        v = panel.values[name]
        cols = v[:, pre] if pre.any() else v
        n = np.isfinite(cols).sum(axis=1)
        total = np.where(np.isfinite(cols), cols, 0.0).sum(axis=1)
        out[name] = np.where(n > 0, total / np.maximum(n, 1), _NAN)
    return out


# --------------------------------------------------------------------------- designs


@dataclass(frozen=True)
class _Design:
    """The eligible pool of one indicator on one set of analysis years."""

    rows: npt.NDArray[np.int64]  # into the pool panel
    x: npt.NDArray[np.float64]  # analysis years
    pre: npt.NDArray[np.bool_]
    y: npt.NDArray[np.float64]  # (n, T) eligible pool values
    cov_names: tuple[str, ...]
    cov: npt.NDArray[np.float64]  # (n, c) raw covariates of the eligible regions


def _design(
    values: npt.NDArray[np.float64],
    years: npt.NDArray[np.int64],
    cols: npt.NDArray[np.bool_],
    start_year: int,
    pool_cov: Mapping[str, npt.NDArray[np.float64]],
    unit_cov: Mapping[str, float],
) -> _Design:
    """Regions with a value in every analysis year (and the covariates used)."""
    ok = np.isfinite(values[:, cols]).all(axis=1)
    names = tuple(
        c
        for c in COVARIATES
        if c in pool_cov
        and np.isfinite(unit_cov.get(c, _NAN))
        and np.isfinite(pool_cov[c][ok]).mean() >= COVARIATE_COVERAGE
    )
    cov = np.column_stack([pool_cov[c] for c in names]) if names else np.empty((len(ok), 0))
    ok &= np.isfinite(cov).all(axis=1)
    rows = np.flatnonzero(ok)
    x = years[cols].astype(float)
    return _Design(rows, x, x < start_year, values[rows][:, cols], names, cov[rows])


def _did(y: npt.NDArray[np.float64], pre: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Post-start mean minus pre-start mean of each row."""
    return y[..., ~pre].mean(axis=-1) - y[..., pre].mean(axis=-1)


def _level_slope(y: npt.NDArray[np.float64], x: npt.NDArray[np.float64]) -> npt.NDArray:
    """Mean and OLS slope of each row of ``y`` (n, m) on the years ``x`` (m,): (n, 2)."""
    xc = x - x.mean()
    slope = (y - y.mean(axis=-1, keepdims=True)) @ xc / float(xc @ xc)
    return np.column_stack([y.mean(axis=-1), slope])


def _features(
    y: npt.NDArray, design: _Design, cov: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Matching features: pre-start level and slope, log(inwoners), stedelijkheid."""
    cov = np.atleast_2d(np.asarray(cov, dtype=float)).copy()
    for j, name in enumerate(design.cov_names):
        if name == "inwoners":
            cov[:, j] = np.log(np.maximum(cov[:, j], 1.0))
    ls = _level_slope(np.atleast_2d(y)[:, design.pre], design.x[design.pre])
    return np.column_stack([ls, cov])


def _whitener(f: npt.NDArray[np.float64]) -> tuple[npt.NDArray, npt.NDArray]:
    """Mean and matrix ``W`` with ``(f - mean) @ W`` of identity covariance (Mahalanobis)."""
    mean = f.mean(axis=0)
    cov = np.atleast_2d(np.cov(f, rowvar=False))
    ev, vec = np.linalg.eigh(cov)
    keep = ev > max(ev.max(), 0.0) * 1e-10
    return mean, vec[:, keep] / np.sqrt(ev[keep])


def _neighbours(
    tree: cKDTree, z: npt.NDArray, k: int, own: npt.NDArray[np.int64] | None
) -> npt.NDArray[np.int64]:
    """Indices of the ``k`` nearest of each row of ``z``; ``own``: its row in the tree, left out."""
    _, idx = tree.query(z, k=k if own is None else k + 1)
    idx = np.asarray(idx).reshape(len(z), -1)
    if own is None:
        return idx
    mine = idx == own[:, None]
    mine[~mine.any(axis=1), -1] = True  # a tie put the row itself beyond k + 1
    return idx[~mine].reshape(len(z), k)


def _quantiles(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The 2.5% and 97.5% quantiles along the first axis."""
    return np.quantile(a, [_TAIL, 1 - _TAIL], axis=0)


def _rank_p(stat: float, placebo: npt.NDArray[np.float64]) -> float:
    """``(1 + #placebo >= stat) / (n + 1)``: the placebo rank p (ties count against)."""
    return float((1 + np.count_nonzero(placebo >= stat)) / (len(placebo) + 1))


def _interval(effect: float, placebo: npt.NDArray[np.float64]) -> tuple[float, float]:
    """The effect minus the 97.5% and 2.5% quantiles of the placebo effects."""
    lo, hi = _quantiles(placebo)
    return effect - float(hi), effect - float(lo)


# --------------------------------------------------------------------------- estimators


@dataclass(frozen=True)
class _Estimate:
    """One unit's estimate: effect, interval, p, the comparison and the placebo band."""

    effect: float
    low: float
    high: float
    p: float
    members: npt.NDArray[np.int64]  # into the design's rows
    weights: npt.NDArray[np.float64]
    comparison: npt.NDArray[np.float64]  # (T,)
    band: npt.NDArray[np.float64]  # (2, T)


@dataclass(frozen=True)
class _MatchedReference:
    """The pool side of ``matched``: the whitened k-d tree and the placebo effects."""

    tree: cKDTree
    mean: npt.NDArray[np.float64]
    whiten: npt.NDArray[np.float64]
    placebo: npt.NDArray[np.float64]
    band: npt.NDArray[np.float64]  # (2, T) quantiles of the placebos' centred gaps


def _matched_reference(design: _Design, k: int) -> _MatchedReference:
    """Every eligible region as if treated: matched to its k nearest among the others."""
    f = _features(design.y, design, design.cov)
    mean, whiten = _whitener(f)
    z = (f - mean) @ whiten
    tree = cKDTree(z)
    nb = _neighbours(tree, z, k, np.arange(len(z)))
    comparison = design.y[nb].mean(axis=1)
    placebo = _did(design.y, design.pre) - _did(comparison, design.pre)
    gaps = design.y - comparison
    gaps -= gaps[:, design.pre].mean(axis=1, keepdims=True)
    return _MatchedReference(tree, mean, whiten, placebo, _quantiles(gaps))


def _matched_unit(
    ref: _MatchedReference, design: _Design, y: npt.NDArray, cov: npt.NDArray, k: int
) -> _Estimate:
    """Difference in differences against the unit's k nearest regions.

    The band is centred on the comparison shifted by the unit's pre-start
    gap: difference in differences reads a constant gap as no effect.
    """
    z = (_features(y, design, cov) - ref.mean) @ ref.whiten
    idx = _neighbours(ref.tree, z, k, None)[0]
    comparison = design.y[idx].mean(axis=0)
    effect = float(_did(y, design.pre) - _did(comparison, design.pre))
    low, high = _interval(effect, ref.placebo)
    shift = float((y - comparison)[design.pre].mean())
    return _Estimate(
        effect=effect,
        low=low,
        high=high,
        p=_rank_p(abs(effect), np.abs(ref.placebo)),
        members=idx,
        weights=np.full(k, 1.0 / k),
        comparison=comparison,
        band=comparison + shift + ref.band,
    )


def simplex_weights(
    donors: npt.ArrayLike, target: npt.ArrayLike, ridge: float = 0.0
) -> npt.NDArray[np.float64]:
    """Weights ``w >= 0``, ``sum(w) = 1`` minimising ``|target - w @ donors|^2 + ridge |w|^2``.

    One non-negative least squares problem (``scipy.optimize.nnls``): with the
    weights summing to one, ``target - w @ donors = -w @ (donors - target)``,
    and the sum-to-one condition is a row weighted so heavily that it holds
    to about 1e-7 before the weights are renormalised.

    Parameters
    ----------
    donors : array-like, shape (M, m)
        The donors' values in the ``m`` fitted years.
    target : array-like, shape (m,)
    ridge : float, default 0

    Examples
    --------
    >>> w = simplex_weights([[0.0, 0.0], [2.0, 4.0], [9.0, 9.0]], [0.5, 1.0])
    >>> w.round(6).tolist()
    [0.75, 0.25, 0.0]
    """
    d = np.asarray(donors, dtype=float) - np.asarray(target, dtype=float)
    m = len(d)
    heavy = 1e4 * max(1.0, float(np.abs(d).max(initial=0.0)), math.sqrt(ridge))
    parts = [d.T, math.sqrt(ridge) * np.eye(m)] if ridge > 0 else [d.T]
    a = np.vstack([*parts, np.full((1, m), heavy)])
    b = np.zeros(len(a))
    b[-1] = heavy
    w, _ = nnls(a, b, maxiter=50 * m)
    return w / w.sum()


def _noise_variance(design: _Design) -> float:
    """The pool's noise variance: the median residual variance around each region's
    own pre-start OLS line, after the pool's mean of each year (the common shock)."""
    x, y = design.x[design.pre], design.y[:, design.pre]
    y = y - y.mean(axis=0)
    ls = _level_slope(y, x)
    resid = y - ls[:, :1] - ls[:, 1:] * (x - x.mean())
    return float(np.median((resid**2).sum(axis=1) / (len(x) - 2)))


def _rmspe(gaps: npt.NDArray, pre: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Root mean squared pre-start gap of each row: how well the synthetic fits before."""
    return np.sqrt((gaps[..., pre] ** 2).mean(axis=-1))


@dataclass(frozen=True)
class _SyntheticReference:
    """The pool side of ``synthetic``: donor tree, ridge, fit limit and the placebos."""

    tree: cKDTree
    donors: int
    ridge: float
    limit: float  # the FIT_QUANTILE of the placebos' pre-RMSPE
    effect: npt.NDArray[np.float64]  # the placebos within the limit
    band: npt.NDArray[np.float64]  # (2, T) quantiles of their gaps


def _synthetic_gaps(
    design: _Design, y: npt.NDArray, idx: npt.NDArray, ridge: float
) -> tuple[npt.NDArray, npt.NDArray]:
    """Weights on the donors ``idx`` and the gaps (unit minus synthetic) in every year."""
    w = simplex_weights(design.y[idx][:, design.pre], y[design.pre], ridge)
    return w, y - w @ design.y[idx]


def _synthetic_reference(
    design: _Design, donors: int, cap: int, rng: np.random.Generator
) -> _SyntheticReference:
    """Eligible regions (up to ``cap``, a seeded sample above it) as if treated."""
    n, pre = len(design.rows), design.pre
    ridge = int(pre.sum()) * _noise_variance(design)
    tree = cKDTree(design.y[:, pre])
    rows = np.arange(n) if n <= cap else np.sort(rng.choice(n, cap, replace=False))
    m = min(donors, n - 1)
    nb = _neighbours(tree, design.y[rows][:, pre], m, rows)
    gaps = np.empty((len(rows), len(pre)))
    for i, (r, idx) in enumerate(zip(rows, nb, strict=True)):
        gaps[i] = _synthetic_gaps(design, design.y[r], idx, ridge)[1]
    before = _rmspe(gaps, pre)
    limit = float(np.quantile(before, FIT_QUANTILE))
    kept = before <= limit
    effect = gaps[kept][:, ~pre].mean(axis=1)
    return _SyntheticReference(tree, m, ridge, limit, effect, _quantiles(gaps[kept]))


def _synthetic_unit(ref: _SyntheticReference, design: _Design, y: npt.NDArray) -> _Estimate | None:
    """Mean post-start gap to the synthetic control; None for a poor pre-start fit."""
    idx = _neighbours(ref.tree, y[design.pre][None, :], ref.donors, None)[0]
    w, gaps = _synthetic_gaps(design, y, idx, ref.ridge)
    if _rmspe(gaps, design.pre) > ref.limit:
        return None
    effect = float(gaps[~design.pre].mean())
    low, high = _interval(effect, ref.effect)
    used = w > 0
    return _Estimate(
        effect=effect,
        low=low,
        high=high,
        p=_rank_p(abs(effect), np.abs(ref.effect)),
        members=idx[used],
        weights=w[used],
        comparison=y - gaps,
        band=y - gaps + ref.band,
    )


# --------------------------------------------------------------------------- one call


class _Run:
    """The state of one :func:`compare` call: the wide arrays, caches and the rows found."""

    def __init__(self, pool: pd.DataFrame, units: pd.DataFrame, start_year: int, k: int, seed):
        self.pool = _wide(pool, "region_code", "region_name")
        self.units = _wide(units, "area", "area", self.pool.years)
        self.pool_cov = _covariates(self.pool, start_year)
        self.unit_cov = _covariates(self.units, start_year)
        self.start_year, self.k = start_year, k
        self.rng = np.random.default_rng(seed)
        self.designs: dict = {}
        self.refs: dict = {}
        self.rows: list[tuple] = []
        self.members: list[tuple] = []
        self.balance: list[tuple] = []
        self.paths: list[tuple] = []

    def unit(self, indicator: str, area: str) -> tuple[npt.NDArray, npt.NDArray, dict]:
        """The unit's values, its analysis years (a value, and the pool has half) and covariates."""
        a = int(np.searchsorted(self.units.keys, area))
        y = self.units.values[indicator][a]
        pool = self.pool.values.get(indicator)
        covered = np.isfinite(pool).mean(axis=0) >= 0.5 if pool is not None else False
        cov = {c: float(v[a]) for c, v in self.unit_cov.items()}
        return y, np.isfinite(y) & covered, cov

    def design(self, indicator: str, cols: npt.NDArray, cov: dict) -> tuple[tuple, _Design]:
        """The eligible pool, shared by every unit with the same years and covariates."""
        used = tuple(c for c in COVARIATES if np.isfinite(cov.get(c, _NAN)))
        key = (indicator, cols.tobytes(), used)
        if key not in self.designs:
            values = self.pool.values[indicator]
            self.designs[key] = _design(
                values, self.pool.years, cols, self.start_year, self.pool_cov, cov
            )
        return key, self.designs[key]

    def reference(self, method: str, key: tuple):
        """The placebo distribution of a design: computed once for all units."""
        if (method, key) not in self.refs:
            design = self.designs[key]
            if method == "matched":
                ref = _matched_reference(design, self.k)
            else:
                ref = _synthetic_reference(design, SYNTHETIC_DONORS, SYNTHETIC_PLACEBOS, self.rng)
            self.refs[method, key] = ref
        return self.refs[method, key]

    def estimate(self, method: str, indicator: str, area: str) -> tuple[int, int, object]:
        """Pre/post years and the estimate (None when it cannot be judged)."""
        y, cols, cov = self.unit(indicator, area)
        before = int((cols & (self.pool.years < self.start_year)).sum())
        after = int(cols.sum()) - before
        if before < MIN_PRE_YEARS or after < MIN_POST_YEARS:
            return before, after, None
        if indicator not in self.pool.values:
            return before, after, None
        key, design = self.design(indicator, cols, cov)
        enough = MIN_PLACEBOS + 1 + (self.k if method == "matched" else 1)
        if len(design.rows) < enough:
            return before, after, None
        ref = self.reference(method, key)
        unit_cov = np.array([cov[c] for c in design.cov_names])
        if method == "matched":
            est = _matched_unit(ref, design, y[cols], unit_cov, self.k)
        else:
            est = _synthetic_unit(ref, design, y[cols])
        return before, after, (est, design, y[cols], unit_cov) if est is not None else None

    def add(self, method: str, indicator: str, area: str) -> None:
        before, after, found = self.estimate(method, indicator, area)
        if found is None:
            self.rows.append((indicator, area, method, before, after, 0, *[_NAN] * 4))
            return
        est, design, y, unit_cov = found
        self.rows.append(
            (indicator, area, method, before, after, len(est.members))
            + (est.effect, est.low, est.high, est.p)
        )
        codes = self.pool.keys[design.rows[est.members]]
        names = self.pool.names[design.rows[est.members]]
        self.members += [
            (area, indicator, method, c, n, float(w))
            for c, n, w in zip(codes, names, est.weights, strict=True)
        ]
        self.balance += _balance_rows((area, indicator, method), design, y, unit_cov, est)
        self.paths += [
            (area, indicator, method, int(t), float(v), float(c), float(lo), float(hi))
            for t, v, c, lo, hi in zip(design.x, y, est.comparison, *est.band, strict=True)
        ]

    def notes(self) -> list[dict]:
        """The placebo count per indicator x method x analysis years."""
        out = []
        for (method, key), ref in self.refs.items():
            design = self.designs[key]
            n = len(ref.placebo) if method == "matched" else len(ref.effect)
            entry = {"indicator": key[0], "method": method, "placebos": int(n)}
            if method == "synthetic":
                entry |= {"fit_limit_rmspe": ref.limit, "ridge": ref.ridge}
            out.append(entry | {"years": [int(t) for t in design.x]})
        return out


def _balance_rows(
    head: tuple[str, str, str],
    design: _Design,
    y: npt.NDArray,
    unit_cov: npt.NDArray,
    est: _Estimate,
) -> list[tuple]:
    """Pre-start level, slope and covariates: the unit, the pool and the comparison."""
    x = design.x[design.pre]
    pool = np.column_stack([_level_slope(design.y[:, design.pre], x), design.cov])
    unit = np.concatenate([_level_slope(y[design.pre][None, :], x)[0], unit_cov])
    comparison = est.weights @ pool[est.members]
    mean, sd = pool.mean(axis=0), pool.std(axis=0, ddof=1)
    sd = np.where(sd > 0, sd, _NAN)
    names = (*MEASURES[:2], *design.cov_names)
    return [
        (*head, name, float(u), float(m), float(c), float((u - m) / s), float((u - c) / s))
        for name, u, m, c, s in zip(names, unit, mean, comparison, sd, strict=True)
    ]


def _judge(table: pd.DataFrame, higher_is_better: Mapping[str, bool], alpha: float) -> None:
    """Benjamini-Hochberg q over every test of the call, and the direction-aware verdict."""
    p = table["p_value"].to_numpy(dtype=float)
    tested = np.isfinite(p)
    q = np.full(len(p), _NAN)
    if tested.any():
        # method="fdr_bh" is explicit on purpose: multipletests defaults to Holm-Sidak.
        q[tested] = multipletests(p[tested], method="fdr_bh")[1]
    better = table["indicator"].map(higher_is_better).to_numpy(dtype=bool)
    verdict = directional_verdicts(
        q, table["effect"].to_numpy(dtype=float), better, alpha=alpha, flat="as_comparison"
    )
    names = {"improving": "better_than_comparison", "worsening": "worse_than_comparison"}
    verdict = np.array([names.get(v, v) for v in verdict], dtype=object)
    table["q_value"] = q
    table["verdict"] = np.where(tested, verdict, "insufficient_data").astype(object)


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return (
        pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    )


def _present(units: pd.DataFrame) -> list[tuple[str, str]]:
    """The (indicator, area) pairs of ``units`` with a value, covariates left out."""
    frame = units[np.isfinite(units["value"].to_numpy(dtype=float))]
    frame = frame[~frame["indicator"].isin(COVARIATES)]
    pairs = frame[["indicator", "area"]].astype(str).drop_duplicates()
    return sorted(map(tuple, pairs.to_numpy().tolist()))


def compare(
    pool: pd.DataFrame,
    units: pd.DataFrame,
    *,
    start_year: int,
    higher_is_better: Mapping[str, bool],
    methods: Sequence[str] = METHODS,
    k: int = DEFAULT_K,
    alpha: float = FDR_ALPHA,
    seed: int = 0,
) -> ComparisonResult:
    """Every programme unit x indicator against comparable regions of the pool.

    The method is in the module docstring.

    Parameters
    ----------
    pool : pandas.DataFrame
        National format (``region_code, region_name, municipality_code, level,
        indicator, year, value``), the comparison pool only: the caller has
        left out the NPLV areas, the programme's own municipality and other
        levels. May hold the :data:`COVARIATES` rows.
    units : pandas.DataFrame
        ``area, indicator, year, value`` of the programme units; may hold the
        covariates too.
    start_year : int
        The programme's first year: ``year < start_year`` is before.
    higher_is_better : Mapping[str, bool]
        Direction per indicator of ``units``.
    methods : sequence of str, default :data:`METHODS`
    k : int, default :data:`DEFAULT_K`
        Matched regions per unit.
    alpha : float
        Level of the Benjamini-Hochberg verdicts.
    seed : int
        Seeds the sample of synthetic placebos when the pool exceeds
        :data:`SYNTHETIC_PLACEBOS`.

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> from npdw_learning.tellen.comparison_sim import simulate_panel
    >>> p = simulate_panel(300, range(2014, 2026), start_year=2022, units=["wielwijk"],
    ...                    effect={"wielwijk": 6.0}, seed=3)
    >>> r = compare(p.pool, p.units, start_year=2022, higher_is_better=p.higher_is_better)
    >>> r.comparison[["method", "pre_years", "post_years", "verdict"]].values.tolist()
    [['matched', 8, 4, 'better_than_comparison'], ['synthetic', 8, 4, 'better_than_comparison']]
    """
    unknown = sorted({i for i, _ in _present(units)} - set(higher_is_better))
    if unknown:
        raise ValueError(f"no higher_is_better for indicator(s) {unknown}")
    wrong = sorted(set(methods) - set(METHODS))
    if wrong or k < 1:
        raise ValueError(f"unknown method(s) {wrong} or k {k} below 1")
    run = _Run(pool, units, start_year, k, seed)
    for indicator, area in _present(units):
        for method in METHODS:
            if method in methods:
                run.add(method, indicator, area)
    table = _frame(run.rows, COMPARISON_COLUMNS[:10])
    _judge(table, higher_is_better, alpha)
    table = table.astype(
        {"pre_years": "int64", "post_years": "int64", "n_comparison": "int64"}
        | dict.fromkeys(COMPARISON_COLUMNS[6:11], "float64")
    )
    return ComparisonResult(
        comparison=table[COMPARISON_COLUMNS],
        members=_frame(run.members, MEMBER_COLUMNS),
        balance=_frame(run.balance, BALANCE_COLUMNS),
        paths=_frame(run.paths, PATH_COLUMNS),
        notes=_notes(run, k, seed, alpha),
    )


def _notes(run: _Run, k: int, seed: int, alpha: float) -> dict:
    return {
        "k": k,
        "synthetic_donors": SYNTHETIC_DONORS,
        "synthetic_placebo_cap": SYNTHETIC_PLACEBOS,
        "fit_quantile": FIT_QUANTILE,
        "min_pre_years": MIN_PRE_YEARS,
        "min_post_years": MIN_POST_YEARS,
        "interval": INTERVAL,
        "alpha": alpha,
        "seed": seed,
        "placebos": run.notes(),
    }
