"""Tests of npdw_learning.tellen.progress with hand-worked cases per target type and status."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from npdw_learning.tellen import progress
from npdw_learning.tellen.progress import (
    MODERATE,
    ON_TRACK,
    PROGRESS_COLUMNS,
    STATUSES,
    progress_table,
)

NAN = math.nan


def _measurements(series: dict[tuple[str, str], tuple[list[int], list[float]]]) -> pd.DataFrame:
    rows = [
        {"indicator": ind, "area": area, "year": yr, "value": v, "se": NAN}
        for (ind, area), (years, values) in series.items()
        for yr, v in zip(years, values, strict=True)
    ]
    return pd.DataFrame(rows, columns=["indicator", "area", "year", "value", "se"])


def _targets(*rows: tuple[str, str, float, float, float]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["indicator", "target_type", "target_value", "base_year", "target_year"]
    )


def _one(series_values, target, hib=True, years=None, **kwargs) -> pd.Series:
    years = years if years is not None else list(range(2019, 2019 + len(series_values)))
    m = _measurements({("x", "wielwijk"): (years, series_values)})
    table = progress_table(m, _targets(("x", *target)), {"x": hib}, **kwargs)
    assert len(table) == 1
    return table.iloc[0]


# --- absolute (linear) ------------------------------------------------------------

ABSOLUTE_75 = ("absolute", 75.0, NAN, 2043)


@pytest.mark.parametrize(
    ("step", "status"),
    [
        (2.0, "on_track"),  # rar = 2 / (35/24) = 1.371
        (1.0, "moderate_progress"),  # 0.686
        (0.5, "insufficient_progress"),  # 0.343
        (-1.0, "moving_away"),  # -0.686
    ],
)
def test_absolute_statuses_hand_worked(step, status):
    row = _one([40.0 + step * k for k in range(5)], ABSOLUTE_75)
    required = (75.0 - 40.0) / (2043 - 2019)
    assert row["required_rate"] == pytest.approx(required)
    assert row["observed_rate"] == pytest.approx(step)
    assert row["rar"] == pytest.approx(step / required)
    assert row["status"] == status
    assert row["target_value"] == pytest.approx(75.0)
    assert (row["baseline_year"], row["latest_year"]) == (2019, 2023)
    # Pivot (2021, 40 + 2 step), extended 22 years.
    assert row["projected_value"] == pytest.approx(40.0 + 2 * step + step * 22)


def test_absolute_lower_is_better_on_track():
    # Target 10 from 20 in 2019: required -10/24 per year; observed -1.
    row = _one([20.0, 19.0, 18.0, 17.0], ("absolute", 10.0, NAN, 2043), hib=False)
    assert row["required_rate"] == pytest.approx(-10 / 24)
    assert row["rar"] == pytest.approx(2.4)
    assert row["status"] == "on_track"


def test_target_reached_with_one_point():
    row = _one([80.0], ABSOLUTE_75)
    assert row["status"] == "target_reached"
    assert math.isnan(row["observed_rate"]) and math.isnan(row["projected_value"])


def test_few_points_not_reached_is_not_assessable():
    row = _one([40.0, 45.0, 50.0], ABSOLUTE_75)
    assert row["status"] == "not_assessable"
    assert math.isnan(row["projected_low"]) and math.isnan(row["projected_high"])
    # min_points is a parameter: with 3 the same series is assessed.
    assert _one([40.0, 45.0, 50.0], ABSOLUTE_75, min_points=3)["status"] == "on_track"


def test_baseline_already_met_then_lost_is_moving_away():
    # 80 -> 72 against a target of 75: the required rate points down, so RAR is
    # meaningless; the slope points the wrong way.
    row = _one([80.0, 78.0, 76.0, 74.0, 72.0], ABSOLUTE_75)
    assert math.isnan(row["rar"])
    assert row["status"] == "moving_away"


@pytest.mark.parametrize(
    ("rar", "status"),
    [
        (ON_TRACK + 0.01, "on_track"),
        (ON_TRACK - 0.01, "moderate_progress"),
        (MODERATE + 0.01, "moderate_progress"),
        (MODERATE - 0.01, "insufficient_progress"),
        (0.01, "insufficient_progress"),
        (-0.01, "moving_away"),
    ],
)
def test_status_thresholds(rar, status):
    required = (75.0 - 40.0) / 24
    row = _one([40.0 + rar * required * k for k in range(5)], ABSOLUTE_75)
    assert row["rar"] == pytest.approx(rar)
    assert row["status"] == status


# --- relative (log scale) --------------------------------------------------------

RELATIVE_HALF = ("relative", -0.5, 2015, 2043)


@pytest.mark.parametrize(
    ("rate", "status"),
    [
        (-0.03, "on_track"),  # rar = 0.03 / (ln 2 / 28) = 1.212
        (-0.02, "moderate_progress"),  # 0.808
        (-0.01, "insufficient_progress"),  # 0.404
        (0.01, "moving_away"),
    ],
)
def test_relative_statuses_on_log_scale(rate, status):
    years = list(range(2015, 2021))
    values = [100.0 * math.exp(rate * (y - 2015)) for y in years]
    row = _one(values, RELATIVE_HALF, hib=False, years=years)
    required = math.log(0.5) / (2043 - 2015)
    assert row["target_value"] == pytest.approx(50.0)  # the level, in the indicator's unit
    assert row["baseline_year"] == 2015 and row["baseline_value"] == pytest.approx(100.0)
    assert row["required_rate"] == pytest.approx(required)
    assert row["observed_rate"] == pytest.approx(rate)
    assert row["rar"] == pytest.approx(rate / required)
    assert row["status"] == status
    # Exact exponential series: the projection is the curve itself in 2043.
    assert row["projected_value"] == pytest.approx(100.0 * math.exp(rate * 28))
    assert row["projected_low"] <= row["projected_value"] <= row["projected_high"]


def test_relative_base_year_missing_is_not_assessable():
    row = _one(
        [100.0, 90.0, 80.0, 70.0, 60.0],
        RELATIVE_HALF,
        hib=False,
        years=[2016, 2017, 2018, 2019, 2020],
    )
    assert row["status"] == "not_assessable"
    assert math.isnan(row["baseline_value"]) and math.isnan(row["target_value"])


def test_relative_reached():
    row = _one([100.0, 70.0, 45.0], RELATIVE_HALF, hib=False, years=[2015, 2017, 2019])
    assert row["status"] == "target_reached"


def test_relative_non_positive_values_are_not_assessable():
    row = _one(
        [100.0, 80.0, 0.0, 70.0, 60.0], RELATIVE_HALF, hib=False, years=list(range(2015, 2020))
    )
    assert row["status"] == "not_assessable"
    assert math.isnan(row["observed_rate"]) and math.isnan(row["projected_value"])


# --- parity (gap to the reference) ------------------------------------------------


def _parity(area_values, ref_values, hib=True, area_years=None, ref_years=None):
    area_years = area_years or list(range(2016, 2016 + len(area_values)))
    ref_years = ref_years or list(range(2016, 2016 + len(ref_values)))
    m = _measurements(
        {
            ("x", "dordrecht"): (ref_years, ref_values),
            ("x", "wielwijk"): (area_years, area_values),
        }
    )
    table = progress_table(m, _targets(("x", "parity", 0.0, NAN, 2043)), {"x": hib})
    assert table["area"].tolist() == ["wielwijk"]  # the reference gets no row
    return table.iloc[0]


def test_parity_on_track_on_gaps():
    row = _parity([40.0, 41.0, 42.0, 43.0, 44.0, 45.0], [50.0] * 6)
    assert row["baseline_value"] == pytest.approx(-10.0)  # gaps, not levels
    assert row["latest_value"] == pytest.approx(-5.0)
    assert row["required_rate"] == pytest.approx(10 / 27)
    assert row["observed_rate"] == pytest.approx(1.0)
    assert row["rar"] == pytest.approx(2.7)
    assert row["status"] == "on_track"
    # Pivot (2018.5, -7.5), 24.5 years to 2043.
    assert row["projected_value"] == pytest.approx(17.0)


def test_parity_uses_common_years_only():
    row = _parity(
        [40.0, 41.0, 99.0, 43.0, 44.0],
        [50.0, 50.0, 50.0, 50.0],
        area_years=[2016, 2017, 2018, 2019, 2020],
        ref_years=[2016, 2017, 2019, 2020],
    )
    assert row["baseline_year"] == 2016 and row["latest_year"] == 2020
    assert row["observed_rate"] == pytest.approx(1.0)  # 2018 (no reference) left out


def test_parity_moving_away_and_lower_is_better():
    assert _parity([45.0, 44.0, 43.0, 42.0], [50.0] * 4)["status"] == "moving_away"
    # Lower is better: a gap that shrinks from +10 at pace 1/yr is on track.
    row = _parity([60.0, 59.0, 58.0, 57.0], [50.0] * 4, hib=False)
    assert row["required_rate"] == pytest.approx(-10 / 27)
    assert row["status"] == "on_track"


def test_parity_reached_with_one_point():
    assert _parity([51.0], [50.0])["status"] == "target_reached"
    assert _parity([49.0], [50.0], hib=False)["status"] == "target_reached"
    assert _parity([49.0], [50.0])["status"] == "not_assessable"


def test_parity_without_reference_series_is_not_assessable():
    m = _measurements({("x", "wielwijk"): ([2016, 2017, 2018, 2019], [1.0, 2.0, 3.0, 4.0])})
    row = progress_table(m, _targets(("x", "parity", 0.0, NAN, 2043)), {"x": True}).iloc[0]
    assert row["status"] == "not_assessable"
    assert pd.isna(row["latest_year"])


# --- no target, table shape, projection, determinism --------------------------------


def test_indicator_without_target_gets_none_for_every_area():
    m = _measurements(
        {
            ("y", "dordrecht"): ([2016, 2017, 2018, 2019], [1.0, 2.0, 3.0, 4.0]),
            ("y", "crabbehof"): ([2016, 2017, 2018, 2019], [1.0, 2.0, 3.0, 4.0]),
        }
    )
    table = progress_table(m, _targets(("x", *ABSOLUTE_75)), {})
    assert table["area"].tolist() == ["crabbehof", "dordrecht"]
    assert (table["target_type"] == "none").all()
    assert (table["status"] == "not_assessable").all()
    assert table["projected_value"].isna().all()


def test_projection_interval_matches_slope_interval_and_is_ordered():
    years = [2014, 2015, 2017, 2018, 2019, 2021, 2022, 2024, 2025]
    values = [30.0, 34.0, 31.0, 42.0, 40.0, 49.0, 44.0, 56.0, 51.0]
    for target_year in (2043, 2005):  # after and before the pivot year
        row = _one(values, ("absolute", 95.0, NAN, target_year), years=years)
        ref = stats.mstats.theilslopes(values, years, alpha=0.95)
        horizon = target_year - np.median(years)
        ends = sorted(np.median(values) + s * horizon for s in (ref[2], ref[3]))
        assert row["projected_low"] == pytest.approx(ends[0])
        assert row["projected_high"] == pytest.approx(ends[1])
        assert row["projected_low"] <= row["projected_value"] <= row["projected_high"]


def _mixed() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, bool]]:
    rng = np.random.default_rng(3)
    series = {}
    for ind in ("a", "b", "c", "d"):
        for area in ("dordrecht", "wielwijk", "crabbehof"):
            years = list(range(2014, 2026))
            series[(ind, area)] = (years, (50 + np.cumsum(rng.normal(size=12))).tolist())
    targets = _targets(
        ("a", "parity", 0.0, NAN, 2043),
        ("b", "relative", -0.3, 2015, 2043),
        ("c", "absolute", 60.0, NAN, 2043),
        ("d", "none", NAN, NAN, NAN),
    )
    return _measurements(series), targets, {"a": True, "b": False, "c": True, "d": True}


def test_table_columns_rows_and_types():
    m, targets, hib = _mixed()
    table = progress_table(m.sample(frac=1, random_state=2), targets, hib)
    assert list(table.columns) == PROGRESS_COLUMNS
    assert len(table) == 2 + 3 + 3 + 3  # parity leaves the reference out
    keys = list(zip(table["indicator"], table["area"], strict=True))
    assert keys == sorted(keys)
    assert set(table["status"]) <= set(STATUSES)
    assert str(table["target_year"].dtype) == "Int64"
    valid = table["projected_low"].notna()
    assert (table.loc[valid, "projected_low"] <= table.loc[valid, "projected_high"]).all()


def test_two_calls_give_identical_tables():
    m, targets, hib = _mixed()
    first, second = progress_table(m, targets, hib), progress_table(m, targets, hib)
    pd.testing.assert_frame_equal(first, second)
    assert first.to_csv(index=False) == second.to_csv(index=False)


@pytest.mark.parametrize(
    ("targets", "hib", "message"),
    [
        (_targets(("x", "fuzzy", 1.0, NAN, 2043)), {"x": True}, "unknown target_type"),
        (_targets(("x", *ABSOLUTE_75), ("x", *ABSOLUTE_75)), {"x": True}, "more than one"),
        (_targets(("x", *ABSOLUTE_75)), {}, "higher_is_better"),
    ],
)
def test_bad_targets_are_refused(targets, hib, message):
    m = _measurements({("x", "wielwijk"): ([2019, 2020], [1.0, 2.0])})
    with pytest.raises(ValueError, match=message):
        progress_table(m, targets, hib)


def test_public_names_and_docstring_examples():
    assert set(progress.__all__) <= set(dir(progress))
    failures, attempted = doctest.testmod(progress)
    assert attempted > 0 and failures == 0


def test_targets_with_none_cells_from_yaml():
    m = _measurements({("x", "wielwijk"): ([2019, 2020, 2021, 2022], [40.0, 42.0, 44.0, 46.0])})
    targets = pd.DataFrame(
        {
            "indicator": ["x"],
            "target_type": ["absolute"],
            "target_value": [75],
            "base_year": [None],
            "target_year": [2043],
        },
        dtype=object,
    )
    row = progress_table(m, targets, {"x": True}).iloc[0]
    assert row["status"] == "on_track"
    assert row["required_rate"] == pytest.approx(35 / 24)


# --- the steps of progress_table ---------------------------------------------------


def test_check_directions_only_for_indicators_with_data_and_a_target():
    m = progress._check_measurements(
        _measurements({("x", "w"): ([2020], [1.0]), ("y", "w"): ([2020], [1.0])})
    )
    target_of = progress._check_targets(
        _targets(("x", "absolute", 5.0, NAN, 2043), ("y", "none", NAN, NAN, NAN))
    )
    # y has no target and z no data: neither needs a direction.
    assert progress._check_directions(m, target_of, {"x": True}) is None
    with pytest.raises(ValueError, match=r"indicator\(s\) \['x'\]"):
        progress._check_directions(m, target_of, {"y": True})


def test_reference_series_per_indicator_by_year():
    m = _measurements(
        {
            ("x", "dordrecht"): ([2019, 2021], [10.0, 12.0]),
            ("x", "wielwijk"): ([2019], [5.0]),
            ("y", "dordrecht"): ([2020], [7.0]),
        }
    )
    ref = progress._reference_series(m, "dordrecht")
    assert set(ref) == {"x", "y"}
    assert ref["x"].to_dict() == {2019.0: 10.0, 2021.0: 12.0}
    assert ref["y"].to_dict() == {2020.0: 7.0}
    assert progress._reference_series(m, "nergens") == {}


def test_gaps_over_common_years_only():
    ref = pd.Series([10.0, 12.0, 13.0], index=[2019.0, 2021.0, 2022.0])
    years, gaps = progress._gaps(np.array([2019.0, 2020.0, 2021.0]), np.array([7.0, 8.0, 9.0]), ref)
    assert years.tolist() == [2019.0, 2021.0]
    assert gaps.tolist() == [-3.0, -3.0]
    years, gaps = progress._gaps(np.array([2019.0, 2020.0]), np.array([7.0, 8.0]), None)
    assert len(years) == 0 and len(gaps) == 0


def test_prepared_series_skips_the_reference_for_parity_and_drops_none_targets():
    m = progress._check_measurements(
        _measurements(
            {
                ("p", "dordrecht"): ([2019, 2020], [10.0, 11.0]),
                ("p", "wielwijk"): ([2019, 2020], [6.0, 9.0]),
                ("n", "dordrecht"): ([2019], [1.0]),
                ("n", "wielwijk"): ([2019], [2.0]),
            }
        )
    )
    target_of = progress._check_targets(
        _targets(("p", "parity", 0.0, NAN, 2043), ("n", "none", NAN, NAN, NAN))
    )
    prepared = progress._prepared_series(m, target_of, {"p": False}, "dordrecht", 4)
    got = {(sr.indicator, sr.area): sr for sr in prepared}
    assert set(got) == {("n", "dordrecht"), ("n", "wielwijk"), ("p", "wielwijk")}
    parity = got[("p", "wielwijk")]
    assert (parity.baseline_value, parity.latest_value) == (-4.0, -2.0)  # gaps
    assert parity.good == -1.0 and parity.target_type == "parity"
    assert parity.fit_years is None  # two points: below min_points, no slope
    assert got[("n", "wielwijk")].target_type == "none"
    assert got[("n", "wielwijk")].good == 1.0  # no direction given: higher is better


def test_slopes_are_theil_sen_for_fitted_series_and_nan_for_the_rest():
    m = progress._check_measurements(
        _measurements(
            {
                ("x", "a"): ([2015, 2016, 2018, 2019, 2020], [1.0, 3.0, 2.0, 6.0, 7.0]),
                ("x", "b"): ([2015, 2016], [1.0, 2.0]),
            }
        )
    )
    target_of = progress._check_targets(_targets(("x", "absolute", 10.0, NAN, 2043)))
    prepared = progress._prepared_series(m, target_of, {"x": True}, "dordrecht", 4)
    slopes = progress._slopes(prepared)
    assert slopes.shape == (2, 3)
    ref = stats.theilslopes([1.0, 3.0, 2.0, 6.0, 7.0], [2015, 2016, 2018, 2019, 2020])
    assert slopes[0] == pytest.approx([ref.slope, ref.low_slope, ref.high_slope])
    assert np.isnan(slopes[1]).all()
    assert progress._slopes([]).shape == (0, 3)


def test_typed_progress_table_has_the_csv_types_also_when_empty():
    empty = progress._typed_progress_table([])
    assert list(empty.columns) == PROGRESS_COLUMNS and empty.empty
    assert str(empty["target_year"].dtype) == "Int64"
    row = dict.fromkeys(PROGRESS_COLUMNS, NAN)
    row.update(indicator="x", area="w", target_type="none", status="not_assessable")
    row.update(target_year=2043.0, baseline_year=2019.0, latest_year=NAN)
    table = progress._typed_progress_table([row])
    assert table["target_year"].tolist() == [2043]
    assert table["latest_year"].isna().all() and str(table["latest_year"].dtype) == "Int64"
    assert str(table["rar"].dtype) == "float64"
