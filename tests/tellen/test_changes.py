"""Change since the baseline: each test against statsmodels/scipy or a hand-worked case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats import rates as sm_rates
from statsmodels.stats.multitest import multipletests

from npdw_learning.tellen.changes import (
    CHANGE_COLUMNS,
    CHANGE_TESTS,
    CHANGE_VERDICTS,
    change_table,
    change_test,
    directional_verdicts,
    known_se,
    poisson_rate,
    two_proportion,
)

NAN = float("nan")

# (baseline count, baseline n, latest count, latest n): balanced, unbalanced, rare, an end at 0%
PROPORTION_CASES = [(200, 500, 230, 500), (45, 120, 160, 340), (3, 250, 11, 260), (0, 80, 7, 95)]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), PROPORTION_CASES)
def test_two_proportion_interval_is_newcombe_of_statsmodels(x1, n1, x2, n2):
    r = two_proportion(100 * x1 / n1, n1, 100 * x2 / n2, n2)
    # statsmodels takes the difference as group 1 minus group 2: latest first.
    low, high = sm_proportion.confint_proportions_2indep(x2, n2, x1, n1, method="newcomb")
    assert r.test == "two_proportion"
    assert r.change == pytest.approx(100 * (x2 / n2 - x1 / n1))
    assert r.low == pytest.approx(100 * low, rel=1e-9)
    assert r.high == pytest.approx(100 * high, rel=1e-9)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), PROPORTION_CASES)
def test_two_proportion_p_is_the_pooled_z_test(x1, n1, x2, n2):
    r = two_proportion(100 * x1 / n1, n1, 100 * x2 / n2, n2)
    score = sm_proportion.test_proportions_2indep(x2, n2, x1, n1, method="score", correction=False)
    assert r.p_value == pytest.approx(score.pvalue, rel=1e-9)
    assert r.p_value == pytest.approx(
        sm_proportion.proportions_ztest([x2, x1], [n2, n1])[1], rel=1e-9
    )


def test_two_proportion_hand_worked():
    # 40% of 500 vs 46% of 500: pooled p = 0.43, se = sqrt(0.43 * 0.57 * 2/500) = 0.031312,
    # z = 0.06 / 0.031312 = 1.9162, two-sided p = 0.05533.
    r = two_proportion(40.0, 500, 46.0, 500)
    assert r.p_value == pytest.approx(0.05533, abs=5e-5)


def test_two_proportion_both_ends_zero_is_no_evidence():
    r = two_proportion(0.0, 100, 0.0, 150)
    assert (r.change, r.p_value) == (0.0, 1.0)
    assert r.low < 0 < r.high


@pytest.mark.parametrize(
    ("k1", "e1", "k2", "e2"), [(100, 5000, 60, 5000), (30, 4000, 48, 4300), (2, 900, 9, 1100)]
)
def test_poisson_rate_is_the_conditional_exact_test(k1, e1, k2, e2):
    scale = 1000.0
    r = poisson_rate(scale * k1 / e1, e1, scale * k2 / e2, e2, scale=scale)
    ref = sm_rates.test_poisson_2indep(k2, e2, k1, e1, method="exact-cond")
    assert r.test == "poisson_rate"
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    # The same test written out: the later count given the total is binomial.
    assert r.p_value == pytest.approx(stats.binomtest(k2, k1 + k2, e2 / (e1 + e2)).pvalue)
    low, high = sm_rates.confint_poisson_2indep(k2, e2, k1, e1, method="wald", compare="diff")
    assert (r.low, r.high) == (pytest.approx(scale * low), pytest.approx(scale * high))
    assert r.change == pytest.approx(scale * (k2 / e2 - k1 / e1))


def test_poisson_rate_of_counts_and_per_10000():
    counts = poisson_rate(12.0, 4693, 25.0, 4700)  # no scale: the values are the events
    ref = sm_rates.test_poisson_2indep(25, 4700, 12, 4693, method="exact-cond")
    assert counts.p_value == pytest.approx(ref.pvalue)
    assert counts.change == 13.0
    low, high = sm_rates.confint_poisson_2indep(25, 1, 12, 1, method="wald", compare="diff")
    assert (counts.low, counts.high) == (pytest.approx(low), pytest.approx(high))
    per_10k = poisson_rate(12.0 * 10_000 / 4693, 4693, 25.0 * 10_000 / 4700, 4700, scale=10_000)
    assert per_10k.p_value == pytest.approx(counts.p_value)


def test_poisson_rate_without_events_has_no_interval():
    r = poisson_rate(0.0, 3000, 0.0, 3100, scale=1000)
    assert r.p_value == 1.0 and math.isnan(r.low) and math.isnan(r.high)


def test_known_se_hand_worked():
    # d = 0.3, se = sqrt(0.1^2 + 0.1^2) = 0.141421, z = 2.12132, p = 2 * (1 - Phi(z)) = 0.033895,
    # 95% interval 0.3 +- 1.959964 * 0.141421 = (0.02282, 0.57718).
    r = known_se(6.5, 0.1, 6.8, 0.1)
    assert r.change == pytest.approx(0.3)
    assert r.p_value == pytest.approx(0.033895, abs=1e-6)
    assert (r.low, r.high) == (pytest.approx(0.02282, abs=1e-5), pytest.approx(0.57718, abs=1e-5))


@pytest.mark.parametrize(
    ("unit", "values", "n", "se", "expected"),
    [
        ("percent", (40.0, 46.0), (500, 500), (NAN, NAN), "two_proportion"),
        ("percent", (40.0, 46.0), (500, NAN), (2.2, 2.0), "known_se"),  # n at one end only
        ("percent", (40.0, 46.0), (0, 500), (NAN, NAN), "none"),  # n = 0 is no sample
        ("percent", (40.0, 140.0), (500, 500), (NAN, NAN), "none"),  # 140% is no proportion
        ("per_1000", (20.0, 12.0), (5000, 5000), (NAN, NAN), "poisson_rate"),
        ("count", (20.0, 12.0), (5000, 5000), (NAN, NAN), "poisson_rate"),
        ("index", (20.0, 12.0), (5000, 5000), (NAN, NAN), "none"),  # n means nothing here
        ("index", (-0.4, -0.2), (NAN, NAN), (0.05, 0.05), "known_se"),
        ("per_1000", (-1.0, 12.0), (5000, 5000), (NAN, NAN), "none"),  # a negative rate
        ("grade_1_10", (6.5, 6.8), (NAN, NAN), (NAN, NAN), "none"),
        ("grade_1_10", (6.5, 6.8), (NAN, NAN), (0.0, 0.1), "none"),  # se 0 is not known
    ],
)
def test_change_test_picks_the_test_the_data_allow(unit, values, n, se, expected):
    r = change_test(*values, unit=unit, n=n, se=se)
    assert r.test == expected
    assert r.change == pytest.approx(values[1] - values[0])
    if expected == "none":
        assert math.isnan(r.p_value) and math.isnan(r.low)
    else:
        assert 0 < r.p_value <= 1 and r.low <= r.change <= r.high


def test_directional_verdicts_follow_the_indicators_direction():
    got = directional_verdicts(
        [0.01, 0.01, 0.01, 0.01, 0.2, 0.01, NAN],
        [2.0, 2.0, -2.0, -2.0, 2.0, 0.0, 2.0],
        [True, False, True, False, True, True, True],
        alpha=0.05,
        flat="flat",
    )
    assert got.tolist() == [
        "improving",
        "worsening",
        "worsening",
        "improving",
        "flat",
        "flat",
        "flat",
    ]


def _frame(rows):
    return pd.DataFrame(rows, columns=["indicator", "area", "year", "value", "n", "se"])


def test_change_table_rows_ends_and_verdicts():
    m = _frame(
        [
            # 2 points, percentages with n: a clear rise of a good thing
            ("werk", "wielwijk", 2022, 40.0, 2000, NAN),
            ("werk", "wielwijk", 2025, 50.0, 2000, NAN),
            # 3 points: first and last count, the middle one does not
            ("werk", "crabbehof", 2020, 30.0, 2000, NAN),
            ("werk", "crabbehof", 2022, 99.0, 10, NAN),
            ("werk", "crabbehof", 2024, 40.0, 2000, NAN),
            # higher is worse: the same rise is worsening
            ("schuld", "wielwijk", 2022, 40.0, 2000, NAN),
            ("schuld", "wielwijk", 2025, 50.0, 2000, NAN),
            # no uncertainty: change shown, no test
            ("score", "wielwijk", 2022, 6.1, NAN, NAN),
            ("score", "wielwijk", 2025, 6.4, NAN, NAN),
            # one point, and a missing later value: no change
            ("score", "crabbehof", 2022, 6.1, NAN, NAN),
            ("score", "crabbehof", 2025, NAN, NAN, NAN),
            # four points: a trend, not a change
            *[
                ("score", "oud-krispijn", y, 6.0 + k, NAN, NAN)
                for k, y in enumerate(range(2020, 2024))
            ],
        ]
    )
    hib = {"werk": True, "schuld": False, "score": True}
    units = {"werk": "percent", "schuld": "percent", "score": "grade_1_10"}
    t = change_table(m, hib, units)
    assert list(t.columns) == CHANGE_COLUMNS
    got = t.set_index(["indicator", "area"])
    assert sorted(got.index) == [
        ("schuld", "wielwijk"),
        ("score", "wielwijk"),
        ("werk", "crabbehof"),
        ("werk", "wielwijk"),
    ]
    assert got.loc[("werk", "crabbehof"), ["baseline_year", "latest_year"]].tolist() == [2020, 2024]
    assert got.loc[("werk", "crabbehof"), "change"] == pytest.approx(10.0)
    assert got.loc[("werk", "wielwijk"), "verdict"] == "improving"
    assert got.loc[("schuld", "wielwijk"), "verdict"] == "worsening"
    none = got.loc[("score", "wielwijk")]
    assert (none["test"], none["verdict"]) == ("none", "no_test")
    assert none["change"] == pytest.approx(0.3)
    assert math.isnan(none["p_value"]) and math.isnan(none["q_value"])
    tested = t[t["test"] != "none"]
    q = multipletests(tested["p_value"], method="fdr_bh")[1]
    assert tested["q_value"].to_numpy() == pytest.approx(q)
    assert set(t["test"]) <= set(CHANGE_TESTS) and set(t["verdict"]) <= set(CHANGE_VERDICTS)


def test_change_table_small_change_is_not_significant():
    m = _frame(
        [("werk", "wielwijk", 2022, 40.0, 300, NAN), ("werk", "wielwijk", 2025, 41.0, 300, NAN)]
    )
    t = change_table(m, {"werk": True}, {"werk": "percent"})
    assert t.loc[0, "verdict"] == "no_significant_change"
    assert t.loc[0, "change_low"] < 0 < t.loc[0, "change_high"]


def test_change_table_refuses_unknown_direction_and_missing_columns():
    m = _frame([("x", "wielwijk", 2022, 1.0, NAN, NAN), ("x", "wielwijk", 2023, 2.0, NAN, NAN)])
    with pytest.raises(ValueError, match="higher_is_better"):
        change_table(m, {}, {"x": "index"})
    with pytest.raises(ValueError, match="lacks column"):
        change_table(m.drop(columns="n"), {"x": True}, {"x": "index"})


def test_change_table_empty_input_gives_the_columns():
    t = change_table(_frame([]), {}, {})
    assert list(t.columns) == CHANGE_COLUMNS and t.empty
    assert np.issubdtype(t["change"].dtype, np.floating)


def test_joint_fdr_adjusts_trends_and_changes_as_one_family():
    from npdw_learning.tellen.run import joint_fdr
    from npdw_learning.tellen.trends import trend_table

    years = range(2015, 2023)
    trend_rows = [
        *[("groen", "wielwijk", y, 5.0 + 0.3 * k, NAN, NAN) for k, y in enumerate(years)],
        *[
            ("groen", "crabbehof", y, v, NAN, NAN)
            for y, v in zip(years, [5, 7, 4, 6, 5, 8, 3, 6], strict=True)
        ],
        *[("schuld", "wielwijk", y, 9.0 - 0.2 * k, NAN, NAN) for k, y in enumerate(years)],
    ]
    change_rows = [
        ("werk", "wielwijk", 2022, 40.0, 400, NAN),
        ("werk", "wielwijk", 2025, 52.0, 400, NAN),
        ("werk", "crabbehof", 2022, 40.0, 400, NAN),
        ("werk", "crabbehof", 2025, 41.0, 400, NAN),
        ("schuld", "crabbehof", 2022, 4.0, NAN, NAN),
        ("schuld", "crabbehof", 2025, 5.0, NAN, NAN),
    ]
    m = _frame([*trend_rows, *change_rows])
    hib = {"groen": True, "schuld": False, "werk": True}
    units = {"groen": "index", "schuld": "index", "werk": "percent"}
    trends = trend_table(m, hib)
    changes = change_table(m, hib, units)
    jt, jc = joint_fdr(trends, changes, hib)
    t_rows = trends["n"] >= 4
    c_rows = changes["test"] != "none"
    p = np.concatenate([trends.loc[t_rows, "p_value"], changes.loc[c_rows, "p_value"]])
    q = multipletests(p, method="fdr_bh")[1]
    assert np.concatenate([jt.loc[t_rows, "q_value"], jc.loc[c_rows, "q_value"]]) == pytest.approx(
        q
    )
    # The inputs are left alone.
    pd.testing.assert_frame_equal(trends, trend_table(m, hib))
    verdicts = dict(zip(zip(jt["indicator"], jt["area"], strict=True), jt["verdict"], strict=True))
    assert verdicts[("groen", "wielwijk")] == "improving"
    assert verdicts[("schuld", "wielwijk")] == "improving"  # falling, and lower is better
    assert verdicts[("groen", "crabbehof")] == "no_significant_trend"
    by = jc.set_index(["indicator", "area"])["verdict"]
    assert by[("werk", "crabbehof")] == "no_significant_change"
    assert by[("werk", "wielwijk")] == "improving"
    assert jc.loc[jc["indicator"] == "schuld", "verdict"].tolist() == ["no_test"]
    # Without any change tests the joint step changes nothing in the trend table.
    alone, _ = joint_fdr(trends, changes.iloc[0:0], hib)
    pd.testing.assert_frame_equal(alone, trends)
