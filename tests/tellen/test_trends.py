"""Tests of npdw_learning.tellen.trends against independent references.

References are brute-force enumerations, hand-worked cases, closed-form
formulas and other library paths; floats are compared with tolerances.
"""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from npdw_learning.tellen import trends
from npdw_learning.tellen.trends import (
    MIN_POINTS,
    TREND_COLUMNS,
    VERDICTS,
    TrendResult,
    se_from_n,
    trend_results,
    trend_table,
    trend_test,
)


def _frame(series: dict[tuple[str, str], tuple[list[int], list[float]]], se=None) -> pd.DataFrame:
    rows = [
        {"indicator": ind, "area": area, "year": yr, "value": v, "se": math.nan}
        for (ind, area), (years, values) in series.items()
        for yr, v in zip(years, values, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "area", "year", "value", "se"])
    if se is not None:
        frame["se"] = se
    return frame


def _brute_force_p(values: list[float]) -> float:
    """Two-sided permutation p of |tau-b| over all n! orderings, tau-b from scipy."""
    years = np.arange(len(values))
    observed = abs(stats.kendalltau(years, values).statistic)
    taus = [
        abs(stats.kendalltau(years, perm).statistic) for perm in set(itertools.permutations(values))
    ]
    # Distinct arrangements of a multiset are equally likely (each stands for the
    # same number of position permutations), so their share is the exact p.
    return float(np.mean(np.array(taus) >= observed - 1e-12))


def _multiset_arrangements(values: list[float]) -> np.ndarray:
    """All distinct arrangements of ``values``, built by choosing positions per level."""
    levels, counts = np.unique(values, return_counts=True)
    n = len(values)
    out: list[np.ndarray] = []

    def place(free: tuple[int, ...], level: int, current: np.ndarray) -> None:
        if level == len(levels):
            out.append(current.copy())
            return
        for chosen in itertools.combinations(free, counts[level]):
            current[list(chosen)] = levels[level]
            place(tuple(p for p in free if p not in chosen), level + 1, current)

    place(tuple(range(n)), 0, np.empty(n))
    return np.array(out)


def _tau_b_rows(arrangements: np.ndarray) -> np.ndarray:
    """tau-b of year (0..n-1, no ties) against each row, from the textbook formula."""
    n = arrangements.shape[1]
    n0 = n * (n - 1) / 2
    i, j = np.triu_indices(n, k=1)
    s = np.sign(arrangements[:, j] - arrangements[:, i]).sum(axis=1)
    _, counts = np.unique(arrangements[0], return_counts=True)
    n2 = (counts * (counts - 1) / 2).sum()
    return s / np.sqrt(n0 * (n0 - n2))


# --- Kendall exact p -------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        [3.1, 1.2, 4.4, 5.0, 2.8],
        [1.0, 2.0, 3.0, 5.0, 4.0],
        [2.5, 3.5, 1.5, 6.0, 4.0, 5.0],
        [6.0, 5.0, 4.0, 3.0, 1.0, 2.0],
    ],
)
def test_exact_p_equals_brute_force_enumeration(values):
    years = list(range(2015, 2015 + len(values)))
    result = trend_test(years, values)
    assert result.method == "kendall_exact"
    assert result.p_value == pytest.approx(_brute_force_p(values), rel=1e-12, abs=1e-15)
    assert result.tau == pytest.approx(stats.kendalltau(years, values).statistic, abs=1e-12)


def test_exact_p_hand_worked_n5_two_inversions():
    # S = 10 - 2 * 2 = 6; orderings with <= 2 or >= 8 inversions: 2 * (1 + 4 + 9) = 28.
    result = trend_test(range(2015, 2020), [1.0, 3.0, 2.0, 5.0, 4.0])
    assert result.tau == pytest.approx(0.6)
    assert result.p_value == pytest.approx(28 / 120)


# --- permutation test with ties --------------------------------------------


def test_tied_n7_exact_enumeration_matches_brute_force():
    values = [1.0, 1.0, 2.0, 4.0, 3.0, 3.0, 3.0]
    result = trend_test(range(2016, 2023), values)
    assert result.method == "kendall_permutation"
    assert result.p_value == pytest.approx(_brute_force_p(values), abs=1e-12)
    assert result.tau == pytest.approx(stats.kendalltau(range(7), values).statistic, abs=1e-12)


def _exact_by_enumeration(values: list[float]) -> float:
    """Share of all distinct arrangements whose |tau-b| reaches the observed one."""
    arrangements = _multiset_arrangements(values)
    observed = abs(_tau_b_rows(np.array([values]))[0])
    return float(np.mean(np.abs(_tau_b_rows(arrangements)) >= observed - 1e-12))


def test_tied_n10_p_equals_exact_enumeration():
    values = [1.0, 2.0, 1.0, 2.0, 3.0, 1.0, 3.0, 4.0, 2.0, 3.0]
    arrangements = _multiset_arrangements(values)
    assert len(arrangements) == math.factorial(10) // (6 * 6 * 6)  # 16 800
    # The reference tau-b formula agrees with scipy on a few arrangements.
    for row in arrangements[::4000]:
        assert _tau_b_rows(row[np.newaxis])[0] == pytest.approx(
            stats.kendalltau(range(10), row).statistic, abs=1e-12
        )
    exact = _exact_by_enumeration(values)
    result = trend_test(range(2014, 2024), values)
    assert result.method == "kendall_permutation"
    assert 0.005 < exact < 0.2  # a p-value in the range where accuracy matters
    assert result.p_value == pytest.approx(exact, rel=1e-12)


@pytest.mark.parametrize(
    "values",
    [
        # n = 12, groups of 5, 4 and 3: 27 720 distinct arrangements.
        [1.0, 1.0, 2.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.0, 2.0, 1.0],
        # n = 11 with a run of equal values at the end (a plateau).
        [2.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 3.0, 3.0, 3.0, 3.0],
    ],
)
def test_tied_long_series_p_equals_exact_enumeration(values):
    result = trend_test(range(2014, 2014 + len(values)), values)
    assert result.method == "kendall_permutation"
    assert result.p_value == pytest.approx(_exact_by_enumeration(values), rel=1e-12)


def test_tied_p_hand_worked_smallest_possible():
    # One tied pair, otherwise rising: only the sorted and the reversed arrangement
    # reach |S| = 65, out of 12! / 2! distinct arrangements.
    values = [1.0, 1.0, *[float(v) for v in range(2, 12)]]
    result = trend_test(range(2014, 2026), values)
    assert result.p_value == pytest.approx(2 / (math.factorial(12) // 2), rel=1e-12)
    assert result.p_value < 1e-8  # no Monte Carlo floor of 1 / (B + 1)


def test_tie_free_p_equals_scipy_exact_for_long_series():
    rng = np.random.default_rng(11)
    for n in (9, 12, 15, 20, 25):
        for _ in range(5):
            values = rng.permutation(n).astype(float) + rng.normal(0, 0.1, n)
            result = trend_test(range(2000, 2000 + n), values)
            ref = stats.kendalltau(range(n), values, method="exact")
            assert result.method == "kendall_exact"
            assert result.p_value == pytest.approx(ref.pvalue, rel=1e-12)
            assert result.tau == pytest.approx(ref.statistic, abs=1e-15)


def test_constant_series_has_tau_zero_and_p_one():
    result = trend_test(range(2015, 2021), [5.0] * 6)
    assert result.tau == 0.0
    assert result.p_value == pytest.approx(1.0)
    assert result.slope == pytest.approx(0.0)


# --- Theil-Sen --------------------------------------------------------------


def test_theil_sen_biennial_slope_is_per_year():
    years = list(range(2015, 2026, 2))
    values = [10.0 + 1.0 * (y - 2015) for y in years]
    result = trend_test(years, values)
    assert result.slope == pytest.approx(1.0)  # not 2.0 per observation
    assert result.slope_low == pytest.approx(1.0)
    assert result.slope_high == pytest.approx(1.0)


def test_theil_sen_hand_worked_irregular_years():
    # Pairwise slopes: 2, 0.75, 1.4, 1/3, 1.25, 4 -> median (1.25 + 1.4) / 2.
    result = trend_test([2015, 2016, 2019, 2020], [1.0, 3.0, 4.0, 8.0])
    assert result.slope == pytest.approx(1.325)


def test_theil_sen_interval_matches_mstats_path():
    years = [2014, 2015, 2017, 2018, 2019, 2021, 2022, 2024, 2025]
    values = [3.0, 3.4, 3.1, 4.2, 4.0, 4.9, 4.4, 5.6, 5.1]
    result = trend_test(years, values)
    ref = stats.mstats.theilslopes(values, years, alpha=0.95)
    assert result.slope == pytest.approx(ref[0])
    assert result.slope_low == pytest.approx(ref[2])
    assert result.slope_high == pytest.approx(ref[3])
    assert result.slope_low <= result.slope <= result.slope_high


def test_unsorted_input_and_missing_values_are_handled():
    years = [2019, 2015, 2017, 2016, 2018, 2020]
    values = [5.0, 1.0, 3.0, math.nan, 4.0, 6.0]
    result = trend_test(years, values)
    reference = trend_test([2015, 2017, 2018, 2019, 2020], [1.0, 3.0, 4.0, 5.0, 6.0])
    assert result == reference
    assert result.n == 5


def test_duplicate_year_is_refused():
    with pytest.raises(ValueError, match="same year twice"):
        trend_test([2015, 2015, 2016, 2017], [1.0, 2.0, 3.0, 4.0])


# --- WLS with known se -------------------------------------------------------


def test_wls_known_se_matches_closed_form_gls():
    years = np.array([2015.0, 2017.0, 2019.0, 2021.0, 2023.0])
    values = np.array([41.0, 43.5, 42.0, 46.0, 47.5])
    se = np.array([2.0, 1.5, 1.8, 1.2, 1.0])
    result = trend_test(years, values, se)
    assert result.method == "wls_known_se"

    x = np.column_stack([np.ones_like(years), years])
    w = np.diag(1.0 / se**2)
    cov = np.linalg.inv(x.T @ w @ x)
    beta = cov @ x.T @ w @ values
    slope_se = math.sqrt(cov[1, 1])
    z = beta[1] / slope_se
    assert result.slope == pytest.approx(beta[1], rel=1e-9)
    assert result.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)
    half = 1.959963984540054 * slope_se
    assert result.slope_low == pytest.approx(beta[1] - half, rel=1e-9)
    assert result.slope_high == pytest.approx(beta[1] + half, rel=1e-9)
    assert result.tau == pytest.approx(stats.kendalltau(years, values).statistic)


def test_wls_overdispersed_scales_covariance_and_uses_t():
    # Points scatter far beyond their se: between-year variation, not sampling error.
    years = np.array([2015.0, 2016.0, 2017.0, 2018.0, 2019.0, 2020.0])
    values = np.array([40.0, 46.0, 41.0, 49.0, 44.0, 52.0])
    se = np.full(6, 0.5)
    result = trend_test(years, values, se)
    assert result.method == "wls_known_se"

    x = np.column_stack([np.ones_like(years), years - years.mean()])
    w = np.diag(1.0 / se**2)
    cov = np.linalg.inv(x.T @ w @ x)
    beta = cov @ x.T @ w @ values
    resid = values - x @ beta
    chi2 = float(resid @ w @ resid)
    df = len(years) - 2
    assert chi2 / df > 1  # the case under test
    slope_se = math.sqrt(cov[1, 1] * chi2 / df)
    t_crit = stats.t.ppf(0.975, df)
    assert result.slope == pytest.approx(beta[1], rel=1e-9)
    assert result.slope_low == pytest.approx(beta[1] - t_crit * slope_se, rel=1e-9)
    assert result.slope_high == pytest.approx(beta[1] + t_crit * slope_se, rel=1e-9)
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(beta[1]) / slope_se, df), rel=1e-9)
    # the unscaled z test would have claimed far more certainty
    z_p = math.erfc(abs(beta[1]) / math.sqrt(cov[1, 1]) / math.sqrt(2))
    assert result.p_value > 10 * z_p


def test_wls_monotone_but_within_sampling_error_is_not_significant():
    years, values = range(2019, 2024), [50.0, 50.4, 50.8, 51.2, 51.6]
    assert trend_test(years, values).p_value == pytest.approx(2 / 120)  # Kendall: 0.017
    result = trend_test(years, values, [3.0] * 5)
    assert result.method == "wls_known_se"
    assert result.p_value > 0.5


def test_partial_se_falls_back_to_rank_methods():
    result = trend_test(range(2019, 2024), [1.0, 2.0, 4.0, 3.0, 5.0], [1.0, math.nan, 1.0, 1, 1])
    assert result.method == "kendall_exact"


# --- too few points ------------------------------------------------------------


def test_three_points_is_insufficient_data():
    result = trend_test([2021, 2022, 2023], [1.0, 2.0, 3.0])
    assert result.method == "insufficient_data"
    assert result.n == 3
    assert math.isnan(result.p_value) and math.isnan(result.tau) and math.isnan(result.slope)
    assert MIN_POINTS == 4


def test_four_points_cannot_reach_five_percent():
    best = trend_test([2020, 2021, 2022, 2023], [1.0, 2.0, 3.0, 4.0])
    assert best.p_value == pytest.approx(2 / 24)


# --- se_from_n ----------------------------------------------------------------


def test_se_from_n_hand_values():
    # sqrt(40 * 60 / 600) = 2; sqrt(12.5 * 87.5 / 175) = 2.5.
    assert se_from_n(40.0, 600, "percent") == pytest.approx(2.0)
    out = se_from_n(
        np.array([40.0, 12.5, 40.0, 40.0]),
        [600, 175, math.nan, 600],
        ["percent", "percent", "percent", "count"],
    )
    assert out[:2] == pytest.approx([2.0, 2.5])
    assert np.isnan(out[2:]).all()


def test_se_from_n_keeps_series_index():
    value = pd.Series([40.0, 50.0], index=[7, 9])
    out = se_from_n(value, pd.Series([600, 100], index=[7, 9]), "percent")
    assert list(out.index) == [7, 9]
    assert out.tolist() == pytest.approx([2.0, 5.0])


# --- trend_table --------------------------------------------------------------


def _bh_frame() -> pd.DataFrame:
    # Exact Kendall p-values known by counting inversions (see the test below).
    return _frame(
        {
            ("a", "w1"): (list(range(2015, 2021)), [1, 2, 3, 4, 5, 6]),  # p = 2/720
            ("a", "w2"): (list(range(2015, 2020)), [1, 2, 3, 4, 5]),  # p = 2/120
            ("b", "w1"): (list(range(2015, 2020)), [1, 2, 3, 5, 4]),  # p = 10/120
            ("b", "w2"): (list(range(2015, 2020)), [1, 3, 2, 5, 4]),  # p = 28/120
            ("c", "w1"): ([2021, 2022, 2023], [1, 2, 3]),  # too short: no test
        }
    )


def test_table_q_values_are_benjamini_hochberg_hand_worked():
    table = trend_table(_bh_frame(), {"a": True, "b": True, "c": True})
    p = [1 / 360, 1 / 60, 1 / 12, 7 / 30]
    assert table["p_value"].iloc[:4].tolist() == pytest.approx(p)
    # BH by hand, m = 4 (the 3-point series is not a test):
    # 7/30 * 4/4; min(1/12 * 4/3, .) = 1/9; min(1/60 * 4/2, .) = 1/30; 1/360 * 4 = 1/90.
    expected = [1 / 90, 1 / 30, 1 / 9, 7 / 30]
    assert table["q_value"].iloc[:4].tolist() == pytest.approx(expected)
    assert math.isnan(table["q_value"].iloc[4])
    # Holm-Sidak, statsmodels' default, would give 1 - (1 - 1/60)^3 for the second.
    assert table["q_value"].iloc[1] != pytest.approx(1 - (1 - 1 / 60) ** 3, rel=1e-3)
    assert table["verdict"].tolist() == [
        "improving",
        "improving",
        "no_significant_trend",
        "no_significant_trend",
        "insufficient_data",
    ]


def test_verdict_direction_follows_higher_is_better():
    frame = _frame({("x", "w"): (list(range(2015, 2021)), [1, 2, 3, 4, 5, 6])})
    assert trend_table(frame, {"x": True})["verdict"].item() == "improving"
    assert trend_table(frame, {"x": False})["verdict"].item() == "worsening"
    falling = _frame({("x", "w"): (list(range(2015, 2021)), [6, 5, 4, 3, 2, 1])})
    assert trend_table(falling, {"x": False})["verdict"].item() == "improving"


def test_verdict_wls_uses_slope_sign():
    frame = _frame(
        {("x", "w"): (list(range(2015, 2021)), [10.0, 12.0, 14.0, 16.0, 18.0, 20.0])}, se=0.5
    )
    table = trend_table(frame, {"x": False})
    assert table["method"].item() == "wls_known_se"
    assert table["verdict"].item() == "worsening"


def test_three_points_row_is_insufficient_with_nan_p():
    frame = _frame({("x", "w"): ([2021, 2022, 2023], [1.0, 5.0, 9.0])})
    row = trend_table(frame, {"x": True}).iloc[0]
    assert row["verdict"] == "insufficient_data"
    assert math.isnan(row["p_value"]) and math.isnan(row["q_value"])
    assert row["n"] == 3 and row["first_year"] == 2021 and row["last_value"] == pytest.approx(9)


def test_table_columns_order_and_types():
    table = trend_table(_bh_frame().sample(frac=1, random_state=1), dict.fromkeys("abc", True))
    assert list(table.columns) == TREND_COLUMNS
    assert list(zip(table["indicator"], table["area"], strict=True)) == sorted(
        zip(table["indicator"], table["area"], strict=True)
    )
    assert set(table["verdict"]) <= set(VERDICTS)
    assert table["n"].dtype == np.int64


def test_table_matches_trend_test_per_series_and_results():
    rng = np.random.default_rng(5)
    series = {}
    for k in range(12):
        years = list(range(2014, 2026)) if k % 3 else list(range(2015, 2026, 2))
        values = np.cumsum(rng.normal(size=len(years)))
        if k % 4 == 0:
            values = np.round(values)
        series[(f"i{k % 4}", f"a{k}")] = (years, values.tolist())
    frame = _frame(series)
    table = trend_table(frame, {f"i{k}": True for k in range(4)})
    results = trend_results(frame)
    for row in table.itertuples():
        years, values = series[(row.indicator, row.area)]
        single = trend_test(years, values)
        assert results[(row.indicator, row.area)] == single
        assert row.method == single.method
        assert row.p_value == pytest.approx(single.p_value, abs=1e-15)
        assert row.slope_per_year == pytest.approx(single.slope, abs=1e-15)


def test_table_is_deterministic_and_independent_of_other_series():
    frame = _frame(
        {
            ("x", f"w{k}"): (list(range(2014, 2026)), [1, 1, 2, 2, 3, 2, 4, 3, 5, 5, 6, k % 3])
            for k in range(5)
        }
    )
    hib = {"x": True}
    first, second = trend_table(frame, hib), trend_table(frame, hib)
    pd.testing.assert_frame_equal(first, second)
    assert first.to_csv(index=False) == second.to_csv(index=False)
    alone = trend_table(frame[frame["area"] == "w3"], hib)
    assert alone["p_value"].item() == first.loc[first["area"] == "w3", "p_value"].item()


def test_missing_direction_is_refused():
    with pytest.raises(ValueError, match="higher_is_better"):
        trend_table(_bh_frame(), {"a": True})


def test_missing_column_is_refused():
    with pytest.raises(ValueError, match="lacks column"):
        trend_table(_bh_frame().drop(columns="se"), dict.fromkeys("abc", True))


def test_trend_result_is_frozen():
    result = trend_test(range(2015, 2020), [1.0, 2.0, 3.0, 4.0, 5.0])
    assert isinstance(result, TrendResult)
    with pytest.raises(AttributeError):
        result.tau = 0.0  # type: ignore[misc]


def test_public_names_and_docstring_examples():
    assert set(trends.__all__) <= set(dir(trends))
    failures, attempted = doctest.testmod(trends, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failures == 0


# -- the steps of trend_table ---------------------------------------------------------


def test_check_directions_names_the_missing_column_and_the_indicator():
    frame = _frame({("x", "w"): ([2020, 2021], [1.0, 2.0])})
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['se'\]"):
        trends._check_directions(frame.drop(columns="se"), {"x": True})
    with pytest.raises(ValueError, match=r"higher_is_better for indicator\(s\) \['x'\]"):
        trends._check_directions(frame, {"y": True})
    assert trends._check_directions(frame, {"x": False}) is None


def test_trend_rows_carry_the_sign_the_verdict_rests_on():
    years = list(range(2015, 2021))
    frame = pd.concat(
        [
            # The second series is WLS (every se known) and built so that tau is
            # positive but the slope negative: its verdict must rest on the slope.
            _frame({("a", "w"): (years, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])}),
            _frame({("b", "w"): (years, [9.0, 1.0, 1.1, 1.2, 1.3, 1.4])}, se=0.1),
            _frame({("c", "w"): ([2021, 2022], [3.0, 1.0])}),
        ]
    )
    rows = trends._trend_rows(frame, {"a": True, "b": False, "c": True})
    by_id = {row["indicator"]: row for row in rows.to_dict("records")}
    a, b, c = by_id["a"], by_id["b"], by_id["c"]
    assert (a["method"], a["_effect"], a["_better"]) == ("kendall_exact", a["tau"], True)
    assert a["tau"] == pytest.approx(1.0)
    # WLS: the effect is the slope, whose sign here differs from tau's.
    assert b["method"] == "wls_known_se" and b["_better"] is False
    assert b["_effect"] == b["slope_per_year"]
    assert b["tau"] > 0 > b["slope_per_year"]
    assert c["method"] == "insufficient_data" and c["n"] == 2
    assert (c["first_year"], c["last_year"], c["first_value"], c["last_value"]) == (
        2021,
        2022,
        3.0,
        1.0,
    )
    # Nothing is judged yet: that is the next step.
    assert set(rows["verdict"]) == {"insufficient_data"}
    assert rows["q_value"].isna().all()


def _verdict_input(rows: list[tuple[int, float, float, bool]]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["n", "p_value", "_effect", "_better"])
    table["q_value"] = math.nan
    table["verdict"] = "insufficient_data"
    return table


def test_with_verdicts_hand_worked_bh_and_direction():
    table = _verdict_input(
        [
            (6, 0.001, 0.8, True),  # significant, up, higher is better
            (6, 0.002, 0.8, False),  # significant, up, lower is better
            (6, 0.003, -0.5, False),  # significant, down, lower is better
            (6, 0.004, 0.0, True),  # p small, no direction: no verdict either way
            (6, 0.5, 0.9, True),  # not significant
            (3, math.nan, math.nan, True),  # too short: not tested
        ]
    )
    out = trends._with_verdicts(table, alpha=0.05)
    # BH by hand over the five tests: p * 5 / rank, then the running minimum from the top.
    expected_q = [0.005, 0.005, 0.005, 0.005, 0.5]
    assert out["q_value"].iloc[:5].tolist() == pytest.approx(expected_q)
    assert math.isnan(out["q_value"].iloc[5])
    assert out["verdict"].tolist() == [
        "improving",
        "worsening",
        "improving",
        "no_significant_trend",
        "no_significant_trend",
        "insufficient_data",
    ]


def test_with_verdicts_uses_the_given_alpha_and_leaves_untested_tables_alone():
    table = _verdict_input([(6, 0.03, 1.0, True), (6, 0.04, 1.0, True)])
    # q = 0.04 for both: significant at 0.05, not at 0.01.
    assert trends._with_verdicts(table.copy(), alpha=0.05)["verdict"].tolist() == ["improving"] * 2
    assert (
        trends._with_verdicts(table.copy(), alpha=0.01)["verdict"].tolist()
        == ["no_significant_trend"] * 2
    )
    short = _verdict_input([(2, math.nan, math.nan, True)])
    out = trends._with_verdicts(short, alpha=0.05)
    assert out["verdict"].tolist() == ["insufficient_data"] and out["q_value"].isna().all()


def test_typed_trend_table_keeps_exactly_the_trend_columns():
    rows = trends._trend_rows(_bh_frame(), dict.fromkeys("abc", True))
    table = trends._typed_trend_table(rows)
    assert list(table.columns) == TREND_COLUMNS
    assert str(table["n"].dtype) == "int64" and str(table["first_year"].dtype) == "int64"
    assert all(str(table[c].dtype) == "float64" for c in TREND_COLUMNS[5:13])
    empty = trends._typed_trend_table(pd.DataFrame(columns=[*TREND_COLUMNS, "_effect"]))
    assert list(empty.columns) == TREND_COLUMNS and empty.empty
