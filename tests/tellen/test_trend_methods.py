"""Checks every registered trend method passes (in the manner of scikit-learn's
``parametrize_with_checks``), and the registry itself.

Each check is one test, run once per method of
:func:`npdw_learning.tellen.trends.trend_methods`: a new module in
``tellen/trend_methods/`` gets the whole battery without being named here. A
method that does not test every series is run with the last of the default
methods behind it (:func:`chain`). The battery's series have distinct values
and a known ``se`` of 0.5 at every point, so every built-in method applies to
them; a new method must too (or say in ``applies`` why not, and the check
``applies`` says so).

What the battery cannot know is whether a method's numbers are right: every
method also names, in :data:`REFERENCE_TESTS`, its test against an independent
reference (scipy, statsmodels, or a case worked by hand) with a stated tolerance.
"""

from __future__ import annotations

import ast
import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from npdw_learning.tellen import trends
from npdw_learning.tellen.trends import (
    DEFAULT_METHODS,
    MIN_POINTS,
    NO_TEST,
    TREND_COLUMNS,
    SeriesBlock,
    TrendMethod,
    trend_methods,
    trend_results,
    trend_table,
    trend_test,
)

ROOT = Path(__file__).resolve().parents[2]
METHOD_NAMES = sorted(trend_methods())
SE = 0.5
RISING = [1.0, 2.1, 2.9, 4.2, 5.0, 6.1, 6.8, 8.3]

# Per method: the test (file::name) that checks its numbers against an independent
# reference with a tolerance. A new method adds its line here.
REFERENCE_TESTS = {
    "kendall_exact": "tests/tellen/test_national.py::test_trend_statistics_equal_scipy",
    "kendall_permutation": "tests/tellen/test_trends.py::test_tied_n10_p_equals_exact_enumeration",
    "wls_known_se": "tests/tellen/test_national.py::test_wls_rows_equal_statsmodels",
}


def chain(name: str) -> tuple[str, ...]:
    """``name`` alone when it tests every series, else with the default catch-all behind it."""
    if trend_methods()[name].applies is None:
        return (name,)
    return (name, DEFAULT_METHODS[-1])


def frame(series: dict[str, tuple[list[float], list[float]]], se: float = SE) -> pd.DataFrame:
    """Measurements of indicator ``x``, one series per area."""
    rows = [
        {"indicator": "x", "area": area, "year": year, "value": value, "se": se}
        for area, (years, values) in series.items()
        for year, value in zip(years, values, strict=True)
    ]
    return pd.DataFrame(rows, columns=["indicator", "area", "year", "value", "se"])


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-14)


def same_result(a, b) -> bool:
    """Two TrendResults equal field by field, NaN equal to NaN."""
    pairs = zip(dataclasses.astuple(a), dataclasses.astuple(b), strict=True)
    return all(same(x, y) if isinstance(x, float) else x == y for x, y in pairs)


def assert_valid(result, name: str) -> None:
    """A tested series: the method's name, p in [0, 1], a finite slope inside its interval."""
    assert result.method == name
    assert 0.0 <= result.p_value <= 1.0
    assert np.isfinite([result.slope, result.slope_low, result.slope_high]).all()
    assert result.slope_low <= result.slope <= result.slope_high


# -- the battery: every check runs on every registered method -------------------------


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_too_few_points_is_insufficient_data(name):
    years = list(range(2020, 2020 + MIN_POINTS - 1))
    result = trend_test(years, RISING[: len(years)], [SE] * len(years), methods=chain(name))
    assert result.method == NO_TEST and result.n == MIN_POINTS - 1
    assert all(math.isnan(v) for v in (result.p_value, result.slope, result.slope_low))
    row = trend_table(frame({"w": (years, RISING[: len(years)])}), {"x": True}, methods=chain(name))
    assert (row["verdict"].item(), row["method"].item()) == ("insufficient_data", NO_TEST)
    assert math.isnan(row["q_value"].item())
    # One point more and the method answers.
    years = list(range(2020, 2020 + MIN_POINTS))
    assert_valid(
        trend_test(years, RISING[:MIN_POINTS], [SE] * MIN_POINTS, methods=chain(name)), name
    )


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_missing_values_are_left_out(name):
    years = list(range(2014, 2022))
    values = [*RISING[:3], math.nan, *RISING[4:]]
    got = trend_test(years[::-1], values[::-1], [SE] * 8, methods=chain(name))
    kept = [k for k, v in enumerate(values) if not math.isnan(v)]
    expected = trend_test(
        [years[k] for k in kept], [values[k] for k in kept], [SE] * 7, methods=chain(name)
    )
    assert got == expected and got.n == 7
    assert_valid(got, name)
    table = trend_table(frame({"w": (years, values)}), {"x": True}, methods=chain(name))
    assert table["n"].item() == 7 and same(table["p_value"].item(), expected.p_value)


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_ties_are_handled_or_passed_on(name):
    years = list(range(2015, 2022))
    tied = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 5.0]
    method = trend_methods()[name]
    block = SeriesBlock(np.array(years, float), np.array([tied]), np.full((1, 7), SE))
    applies = True if method.applies is None else bool(method.applies(block)[0])
    result = trend_test(years, tied, [SE] * 7, methods=chain(name))
    if applies:
        assert_valid(result, name)
        assert result.slope > 0
    else:  # the next method of the list tests it
        assert_valid(result, DEFAULT_METHODS[-1])


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_constant_series_has_no_trend(name):
    years = list(range(2015, 2022))
    result = trend_test(years, [4.0] * 7, [SE] * 7, methods=chain(name))
    if result.method != name:  # a method that does not take ties passes it on
        assert trend_methods()[name].applies is not None
    assert result.p_value == pytest.approx(1.0)
    assert result.slope == 0.0 and result.slope_low <= 0.0 <= result.slope_high
    table = trend_table(frame({"w": (years, [4.0] * 7)}), {"x": True}, methods=chain(name))
    assert table["verdict"].item() == "no_significant_trend"


def _mixed_series() -> dict[str, tuple[list[float], list[float]]]:
    """Series of several lengths and year patterns, many sharing their years, a few tied."""
    rng = np.random.default_rng(22)
    patterns = [
        list(range(2014, 2026)),
        list(range(2015, 2026, 2)),
        [2012, 2015, 2016, 2019, 2020, 2023],
        list(range(2019, 2024)),
        [2021, 2022, 2023],
    ]
    series = {}
    for k in range(30):
        years = patterns[k % len(patterns)]
        values = np.cumsum(rng.normal(0.3, 1.0, size=len(years))).round(3)
        if k % 7 == 0:
            values = np.round(values)
        series[f"a{k:02d}"] = (years, values.tolist())
    return series


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_one_series_equals_the_vectorised_result(name):
    series = _mixed_series()
    shuffled = frame(series).sample(frac=1.0, random_state=3)
    table = trend_table(shuffled, {"x": True}, methods=chain(name))
    results = trend_results(shuffled, methods=chain(name))
    assert list(table.columns) == TREND_COLUMNS and len(table) == len(series)
    assert name in set(table["method"])
    for row in table.itertuples():
        years, values = series[row.area]
        single = trend_test(years, values, [SE] * len(years), methods=chain(name))
        assert same_result(results[("x", row.area)], single)
        assert (row.method, row.n) == (single.method, single.n)
        for column, field in [
            ("tau", "tau"),
            ("p_value", "p_value"),
            ("slope_per_year", "slope"),
            ("slope_low", "slope_low"),
            ("slope_high", "slope_high"),
        ]:
            assert same(getattr(row, column), getattr(single, field)), (row.area, column)


@pytest.mark.parametrize("name", METHOD_NAMES)
@pytest.mark.parametrize(
    ("values", "higher_is_better", "verdict"),
    [
        (RISING, True, "improving"),
        (RISING, False, "worsening"),
        (RISING[::-1], False, "improving"),
        (RISING[::-1], True, "worsening"),
    ],
)
def test_the_verdict_knows_the_direction(name, values, higher_is_better, verdict):
    years = list(range(2015, 2015 + len(values)))
    table = trend_table(frame({"w": (years, values)}), {"x": higher_is_better}, methods=chain(name))
    assert table["method"].item() == name
    assert table["verdict"].item() == verdict


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_the_block_gives_four_numbers_per_row(name):
    x = np.arange(2015.0, 2021.0)
    y = np.array([RISING[:6], RISING[:6][::-1], [3.0, 1.0, 4.0, 1.5, 5.0, 9.0]])
    out = np.asarray(trend_methods()[name].block(SeriesBlock(x, y, np.full(y.shape, SE))))
    assert out.shape == (3, 4)
    # Row by row the same numbers as in the block of three: no row depends on another.
    for k in range(3):
        alone = trend_methods()[name].block(SeriesBlock(x, y[k : k + 1], np.full((1, 6), SE)))
        assert np.allclose(np.asarray(alone)[0], out[k], rtol=1e-12, atol=1e-14)


# -- the registry -------------------------------------------------------------------------


def test_the_default_methods_are_registered_and_the_last_tests_every_series():
    registry = trend_methods()
    assert set(DEFAULT_METHODS) <= set(registry)
    assert registry[DEFAULT_METHODS[-1]].applies is None
    assert {"kendall_exact", "kendall_permutation", "wls_known_se"} <= set(registry)
    assert all(isinstance(m, TrendMethod) and m.name == key for key, m in registry.items())


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_every_method_has_an_independent_reference_test(name):
    assert name in REFERENCE_TESTS, f"{name}: name its reference test in REFERENCE_TESTS"
    path, test = REFERENCE_TESTS[name].split("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert test in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_every_method_is_documented_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `trends.csv`", 1)[1].split("\n### ", 1)[0]
    method_row = next(line for line in section.splitlines() if line.startswith("| `method` |"))
    assert f"`{name}`" in method_row


def test_an_unknown_or_partial_list_of_methods_is_refused():
    series = ([2015, 2016, 2017, 2018], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"unknown trend method\(s\) \['nope'\]"):
        trend_test(*series, methods=("nope",))
    with pytest.raises(ValueError, match="cannot come last"):
        trend_table(frame({"w": series}), {"x": True}, methods=("kendall_exact",))


def test_a_method_is_refused_with_a_bad_name_or_effect():
    with pytest.raises(ValueError, match="effect"):
        TrendMethod("mine", lambda block: block, effect="median")
    with pytest.raises(ValueError, match="lowercase"):
        TrendMethod("My Method", lambda block: block)
    with pytest.raises(ValueError, match="lowercase"):
        TrendMethod(NO_TEST, lambda block: block)


def test_the_effect_rests_on_the_methods_own_sign():
    table = pd.DataFrame(
        {
            "method": ["wls_known_se", "kendall_exact", NO_TEST],
            "tau": [0.4, -0.6, math.nan],
            "slope_per_year": [-1.0, 2.0, math.nan],
        }
    )
    effect = trends.verdict_effect(table)
    assert effect[:2].tolist() == [-1.0, -0.6] and math.isnan(effect[2])


def test_a_block_of_the_wrong_shape_is_refused(monkeypatch):
    bad = TrendMethod("bad", lambda block: np.zeros((len(block), 3)))
    monkeypatch.setattr(trends, "trend_methods", lambda: {"bad": bad})
    with pytest.raises(ValueError, match=r"'bad': block gave shape \(1, 3\)"):
        trend_test(range(2015, 2021), RISING[:6], methods=("bad",))
