"""The table engines (array steps over many series) give the per-series answers.

``trend_table``, ``change_table`` and ``break_table`` compute all series that
share their years at once; ``trend_test``, ``change_test`` and ``break_test``
are the same rules on one series. On a few hundred hostile series (ties,
missing years, biennial years, known se on all or some points, short and
constant series, missing values) every field must agree, and the statistics
must equal independent references: scipy's exact Kendall p for series without
ties, ``scipy.stats.theilslopes`` for the slopes, and a brute-force count over
all orderings for short tied series.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.regression.linear_model import WLS
from statsmodels.tools.tools import add_constant

from npdw_learning.tellen.breaks import break_table, break_test
from npdw_learning.tellen.changes import change_table, change_test
from npdw_learning.tellen.trends import trend_results, trend_table, trend_test

YEARS = np.arange(2010, 2026)
UNITS = {"pct": "percent", "cnt": "count", "rate": "per_1000", "idx": "index"}
HIGHER_IS_BETTER = {"pct": True, "cnt": False, "rate": False, "idx": True}
START_YEAR = 2021


def _one_series(rng: np.random.Generator, kind: int) -> pd.DataFrame:
    """One series of a hostile kind (``kind`` picks it), long format."""
    years = YEARS if kind % 5 else YEARS[::2]  # every fifth biennial
    years = years[rng.random(len(years)) > 0.2]  # missing years
    if kind % 11 == 0:
        years = years[: 1 + kind % 3]  # 1 to 3 points
    if kind % 13 == 0:
        years = years[:7]  # short enough for a brute-force check
    values = 40 + rng.normal(0, 0.8) * (years - 2010) + rng.normal(0, 3, len(years))
    if kind % 3 == 0:
        values = np.round(values / 4) * 4  # many ties
    if kind % 17 == 0:
        values = np.full(len(years), 55.0)  # constant
    frame = pd.DataFrame({"year": years, "value": np.clip(values, 0, 100)})
    frame["n"] = rng.integers(200, 900, len(years)).astype(float)
    frame["se"] = np.nan
    if kind % 4 == 1:
        frame["se"] = rng.uniform(0.5, 2.0, len(years))  # known se: WLS
        if kind % 8 == 1:
            frame["n"] = np.nan  # a count with se but no population: known_se
    if kind % 4 == 2 and len(years):
        frame.loc[frame.index[0], "se"] = 1.0  # se on one point only: no WLS
    if kind % 7 == 0 and len(years) > 2:
        frame.loc[frame.index[1], "value"] = np.nan  # a missing value
    return frame


@pytest.fixture(scope="module")
def measurements() -> pd.DataFrame:
    rng = np.random.default_rng(20431)
    parts = []
    for k in range(320):
        frame = _one_series(rng, k)
        frame.insert(0, "area", f"buurt{k // len(UNITS):03d}")
        frame.insert(0, "indicator", list(UNITS)[k % len(UNITS)])
        parts.append(frame)
    # The reference area, so the break table has gap rows as well.
    for ind in UNITS:
        parts.append(
            pd.DataFrame(
                {
                    "indicator": ind,
                    "area": "stad",
                    "year": YEARS,
                    "value": np.linspace(30.0, 45.0, len(YEARS)),
                    "n": 5000.0,
                    "se": np.nan,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame.loc[frame["indicator"] == "cnt", "value"] = frame["value"].round()
    # Shuffled rows: the engines must sort for themselves.
    return frame.sample(frac=1.0, random_state=1).reset_index(drop=True)


def _series(measurements: pd.DataFrame, ind: str, area: str) -> pd.DataFrame:
    rows = measurements[(measurements["indicator"] == ind) & (measurements["area"] == area)]
    return rows.sort_values("year")


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-14)


# -- trends -------------------------------------------------------------------------


def test_fixture_is_as_hostile_as_it_claims(measurements):
    methods = trend_table(measurements, HIGHER_IS_BETTER)["method"]
    counts = methods.value_counts()
    for method in ("insufficient_data", "kendall_exact", "kendall_permutation", "wls_known_se"):
        assert counts.get(method, 0) >= 15, counts
    assert len(methods) >= 300


def test_trend_table_equals_trend_test_per_series(measurements):
    table = trend_table(measurements, HIGHER_IS_BETTER)
    results = trend_results(measurements)
    for row in table.itertuples():
        s = _series(measurements, row.indicator, row.area)
        se = s["se"].to_numpy()
        single = trend_test(s["year"], s["value"], se if np.isfinite(se).any() else None)
        from_results = results[(row.indicator, row.area)]
        assert all(
            _close(a, b) if isinstance(a, float) else a == b
            for a, b in zip(
                dataclasses.astuple(from_results), dataclasses.astuple(single), strict=True
            )
        )
        assert row.method == single.method
        assert row.n == single.n
        for column, field in (
            ("tau", "tau"),
            ("p_value", "p_value"),
            ("slope_per_year", "slope"),
            ("slope_low", "slope_low"),
            ("slope_high", "slope_high"),
        ):
            assert _close(getattr(row, column), getattr(single, field)), (row, column)
        finite = s[np.isfinite(s["value"])]
        assert (row.first_year, row.last_year) == (finite["year"].iloc[0], finite["year"].iloc[-1])


def test_trend_statistics_equal_scipy(measurements):
    table = trend_table(measurements, HIGHER_IS_BETTER)
    checked = {"kendall_exact": 0, "kendall_permutation": 0}
    for row in table.itertuples():
        method = row.method
        if method not in checked:
            continue
        s = _series(measurements, row.indicator, row.area)
        s = s[np.isfinite(s["value"])]
        x, y = s["year"].to_numpy(float), s["value"].to_numpy(float)
        ts = stats.theilslopes(y, x, alpha=0.95)
        assert row.slope_per_year == pytest.approx(ts.slope, rel=1e-12, abs=1e-14)
        assert row.slope_low == pytest.approx(ts.low_slope, rel=1e-12, abs=1e-14)
        assert row.slope_high == pytest.approx(ts.high_slope, rel=1e-12, abs=1e-14)
        if np.ptp(y) > 0:
            assert row.tau == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-14)
        if method == "kendall_exact":
            ref = stats.kendalltau(x, y, method="exact")
            assert row.p_value == pytest.approx(ref.pvalue, rel=1e-12)
        checked[method] += 1
    assert min(checked.values()) >= 15


def test_wls_rows_equal_statsmodels(measurements):
    table = trend_table(measurements, HIGHER_IS_BETTER)
    checked = {False: 0, True: 0}  # overdispersed or not
    for row in table.itertuples():
        if row.method != "wls_known_se":
            continue
        s = _series(measurements, row.indicator, row.area)
        s = s[np.isfinite(s["value"])]
        x, y, se = (s[c].to_numpy(float) for c in ("year", "value", "se"))
        fit = WLS(y, add_constant(x - x.mean()), weights=1 / se**2).fit(cov_type="fixed scale")
        df = len(x) - 2
        dispersion = fit.ssr / df
        if dispersion <= 1:
            low, high = fit.conf_int(alpha=0.05)[1]
            p = fit.pvalues[1]
        else:
            slope_se = fit.bse[1] * math.sqrt(dispersion)
            crit = stats.t.ppf(0.975, df)
            low, high = fit.params[1] - crit * slope_se, fit.params[1] + crit * slope_se
            p = 2 * stats.t.sf(abs(fit.params[1]) / slope_se, df)
        assert row.slope_per_year == pytest.approx(fit.params[1], rel=1e-9, abs=1e-12)
        assert row.slope_low == pytest.approx(low, rel=1e-9, abs=1e-12)
        assert row.slope_high == pytest.approx(high, rel=1e-9, abs=1e-12)
        assert row.p_value == pytest.approx(p, rel=1e-9, abs=1e-300)
        checked[bool(dispersion > 1)] += 1
    assert min(checked.values()) >= 5, checked


def test_tied_short_series_p_equals_count_over_all_orderings(measurements):
    table = trend_table(measurements, HIGHER_IS_BETTER)
    checked = 0
    for row in table.itertuples():
        method = row.method
        if method != "kendall_permutation" or row.n > 7:
            continue
        s = _series(measurements, row.indicator, row.area)
        y = s.loc[np.isfinite(s["value"]), "value"].to_numpy(float)
        i, j = np.triu_indices(len(y), 1)
        orderings = y[np.array(list(itertools.permutations(range(len(y)))))]
        all_s = np.abs(np.sign(orderings[:, j] - orderings[:, i]).sum(axis=1))
        observed = abs(np.sign(y[j] - y[i]).sum())
        assert row.p_value == pytest.approx(np.mean(all_s >= observed), rel=1e-12)
        checked += 1
    assert checked >= 3


# -- changes ------------------------------------------------------------------------


def test_change_table_equals_change_test_per_series(measurements):
    # The first, a middle and the last year: series of 2 or 3 points, every kind of test.
    ends = measurements[measurements["year"].isin([2010, 2016, 2024])]
    table = change_table(ends, HIGHER_IS_BETTER, UNITS)
    assert set(table["test"]) == {"two_proportion", "poisson_rate", "known_se", "none"}
    for row in table.itertuples():
        s = _series(ends, row.indicator, row.area)
        s = s[np.isfinite(s["value"])]
        first, last = s.iloc[0], s.iloc[-1]
        single = change_test(
            float(first["value"]),
            float(last["value"]),
            unit=UNITS[row.indicator],
            n=(first["n"], last["n"]),
            se=(first["se"], last["se"]),
        )
        assert row.test == single.test
        assert (row.baseline_year, row.latest_year) == (first["year"], last["year"])
        for column, field in (
            ("change", "change"),
            ("change_low", "low"),
            ("change_high", "high"),
            ("p_value", "p_value"),
        ):
            assert _close(getattr(row, column), getattr(single, field)), (row, column)


# -- breaks -------------------------------------------------------------------------


def _break_fields(row) -> tuple:
    return (
        row.pre_n,
        row.post_n,
        row.pre_slope,
        row.post_slope,
        row.expected_latest,
        row.expected_low,
        row.expected_high,
        row.latest_value,
        row.difference,
    )


def test_break_table_equals_break_test_per_series_and_gap(measurements):
    table = break_table(measurements, HIGHER_IS_BETTER, START_YEAR, reference="stad")
    assert set(table["reading"]) == {"level", "gap"}
    assert {"as_trend", "insufficient_data"} <= set(table["verdict"])
    for row in table.itertuples():
        s = _series(measurements, row.indicator, row.area)
        s = s[np.isfinite(s["value"])]
        x, y = s["year"].to_numpy(float), s["value"].to_numpy(float)
        if row.reading == "gap":
            ref = _series(measurements, row.indicator, "stad").set_index("year")["value"]
            common = np.isin(x, ref.index)
            x, y = x[common], y[common] - ref.loc[x[common]].to_numpy()
        single = break_test(x, y, START_YEAR)
        expected = (
            single.pre_n,
            single.post_n,
            single.pre_slope,
            single.post_slope,
            single.expected,
            single.low,
            single.high,
            single.latest,
            single.difference,
        )
        for got, want in zip(_break_fields(row), expected, strict=True):
            assert _close(float(got), float(want)), row
        if single.pre_n >= 2:
            pre = x < START_YEAR
            assert row.pre_slope == pytest.approx(
                stats.theilslopes(y[pre], x[pre]).slope, rel=1e-12, abs=1e-14
            )
