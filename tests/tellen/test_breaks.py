"""Break after the start: the projected pre-start trend against statsmodels and by simulation."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from npdw_learning.kern.errors import RegistryError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.registry import DEFAULT_START_YEAR, load_registry
from npdw_learning.tellen.breaks import (
    BREAK_COLUMNS,
    BREAK_VERDICTS,
    MIN_PRE_POINTS,
    break_table,
    break_test,
    gap_measurements,
)

NAN = float("nan")


def test_interval_equals_ols_prediction_when_theil_sen_equals_ols():
    # y = 2x + e with e = (1, -1, 0, -1, 1): e sums to 0 and is orthogonal to x, so OLS is
    # exactly y = 2x; the ten pairwise slopes have median 2 and median(y - 2x) = 0, so
    # Theil-Sen is the same line. The interval must then be OLS's prediction interval.
    years = np.arange(2019, 2024, dtype=float)
    pre = 2 * (years - 2019) + np.array([1, -1, 0, -1, 1])
    r = break_test([*years, 2026], [*pre, 22.0], 2024)
    fit = OLS(pre, add_constant(years)).fit()
    pred = fit.get_prediction(np.array([[1.0, 2026.0]])).summary_frame(alpha=0.05)
    assert r.pre_slope == pytest.approx(2.0)
    assert r.expected == pytest.approx(float(pred["mean"].iloc[0]))
    assert r.low == pytest.approx(float(pred["obs_ci_lower"].iloc[0]))
    assert r.high == pytest.approx(float(pred["obs_ci_upper"].iloc[0]))
    # 22 against an expected 14: s = sqrt(4/3), se = s * sqrt(1 + 1/5 + 5**2/10) = 2.22,
    # half-width t(3) * se = 3.182 * 2.22 = 7.07, so the interval ends at 21.07.
    assert r.high == pytest.approx(21.07, abs=0.01)
    assert (r.outside, r.difference) == (1, pytest.approx(8.0))


def test_slopes_are_scipy_theil_sen_on_calendar_years():
    years = [2012, 2014, 2015, 2018, 2019, 2021, 2024, 2026]  # gaps and a biennial start
    values = [3.0, 3.4, 3.3, 4.1, 3.9, 4.6, 4.2, 4.0]
    r = break_test(years, values, 2024)
    assert (r.pre_n, r.post_n) == (6, 2)
    assert r.pre_slope == pytest.approx(stats.theilslopes(values[:6], years[:6]).slope)
    assert r.post_slope == pytest.approx(stats.theilslopes(values[6:], years[6:]).slope)
    assert r.latest == 4.0 and r.low < r.expected < r.high


def test_too_few_points_is_insufficient():
    few_before = break_test([2021, 2022, 2023, 2024], [1.0, 2.0, 3.0, 9.0], 2024)
    assert few_before.pre_n == MIN_PRE_POINTS - 1
    assert not few_before.assessed and math.isnan(few_before.expected)
    none_after = break_test(range(2016, 2024), np.arange(8.0), 2024)
    assert (none_after.post_n, none_after.assessed) == (0, False)
    assert math.isnan(none_after.latest)


def test_missing_values_are_dropped_not_counted():
    r = break_test(range(2016, 2026), [1.0, NAN, 1.2, 1.1, 1.3, 1.2, NAN, 1.4, 1.5, NAN], 2024)
    assert (r.pre_n, r.post_n, r.latest) == (6, 1, 1.5)


def _series(area, values, years=range(2016, 2027), indicator="x"):
    return pd.DataFrame(
        {"indicator": indicator, "area": area, "year": list(years), "value": values, "se": NAN}
    )


FLAT = [5.0, 5.2, 4.9, 5.1, 5.0, 5.2, 4.9, 5.1]


def test_verdict_follows_the_direction_and_table_shape():
    m = _series("wielwijk", [*FLAT, 7.0, 7.2, 7.1])
    up_good = break_table(m, {"x": True}, 2024)
    up_bad = break_table(m, {"x": False}, 2024)
    assert list(up_good.columns) == BREAK_COLUMNS
    assert up_good.loc[0, ["reading", "start_year", "pre_n", "post_n"]].tolist() == [
        "level",
        2024,
        8,
        3,
    ]
    assert up_good.loc[0, "verdict"] == "better_than_trend"
    assert up_bad.loc[0, "verdict"] == "worse_than_trend"
    same = break_table(_series("wielwijk", [*FLAT, 5.0, 5.1, 5.0]), {"x": True}, 2024)
    assert same.loc[0, "verdict"] == "as_trend"
    assert set(up_good["verdict"]) <= set(BREAK_VERDICTS)


def test_start_year_moves_the_split():
    m = _series("wielwijk", [*FLAT, 7.0, 7.2, 7.1])
    late = break_table(m, {"x": True}, 2026)
    assert late.loc[0, ["pre_n", "post_n"]].tolist() == [10, 1]


def test_gap_reading_separates_a_citywide_change_from_the_neighbourhood():
    # Both Dordrecht and Wielwijk jump by 2 from 2024: the level bends, the gap does not.
    city = _series("dordrecht", [6.0, 6.1, 5.9, 6.0, 6.1, 6.0, 5.9, 6.1, 8.0, 8.1, 8.0])
    hood = _series("wielwijk", [*FLAT, 7.0, 7.1, 7.0])
    t = break_table(pd.concat([city, hood]), {"x": True}, 2024, reference="dordrecht")
    got = t.set_index(["reading", "area"])["verdict"]
    assert got[("level", "wielwijk")] == "better_than_trend"
    assert got[("level", "dordrecht")] == "better_than_trend"
    assert got[("gap", "wielwijk")] == "as_trend"
    assert ("gap", "dordrecht") not in got.index
    # A jump in the neighbourhood alone does move the gap.
    alone = pd.concat(
        [_series("dordrecht", [6.0, 6.1, 5.9, 6.0, 6.1, 6.0, 5.9, 6.1, 6.0, 6.1, 6.0]), hood]
    )
    t2 = break_table(alone, {"x": True}, 2024, reference="dordrecht")
    assert (
        t2.set_index(["reading", "area"]).loc[("gap", "wielwijk"), "verdict"] == "better_than_trend"
    )


def test_gap_uses_only_the_years_both_have():
    city = _series("dordrecht", [6.0, 6.5], years=[2020, 2022])
    hood = _series("wielwijk", [4.0, 4.2, 4.1], years=[2020, 2021, 2022])
    gaps = gap_measurements(pd.concat([city, hood]), "dordrecht")
    assert gaps[["year", "value"]].values.tolist() == [[2020, -2.0], [2022, pytest.approx(-2.4)]]


def test_break_table_refuses_unknown_direction():
    with pytest.raises(ValueError, match="higher_is_better"):
        break_table(_series("wielwijk", [*FLAT, 7.0, 7.2, 7.1]), {}, 2024)


def _simulate(rng, n_series, shift, pre_range, post_range):
    """Share of series whose latest value falls outside the projected interval."""
    flagged = 0
    for _ in range(n_series):
        pre_n, post_n = rng.integers(*pre_range), rng.integers(*post_range)
        years = np.arange(2024 - pre_n, 2024 + post_n)
        slope = rng.normal(0.0, 0.3)
        values = 10 + slope * (years - 2024) + rng.normal(0.0, 1.0, len(years))
        values[years >= 2024] += shift
        flagged += break_test(years, values, 2024).outside != 0
    return flagged / n_series


@pytest.mark.slow
def test_simulation_false_alarms_and_power():
    rng = np.random.Generator(np.random.PCG64(20431))
    # No break: 4-10 yearly points before the start, 1-3 after, a random slope, noise sd 1.
    null_share = _simulate(rng, 2000, 0.0, (4, 11), (1, 4))
    assert null_share <= 0.07
    # A clear break: the level jumps by 5 noise sds at the start; 8 years before, 3 after.
    break_share = _simulate(rng, 2000, 5.0, (8, 9), (3, 4))
    assert break_share > 0.5


def test_start_year_is_a_registry_setting(tmp_path):
    assert ProgrammeFolder.bundled().registry.start_year == DEFAULT_START_YEAR == 2024
    reg_dir = tmp_path / "registry"
    shutil.copytree(ProgrammeFolder.bundled().registry_dir, reg_dir)
    programme = reg_dir / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("start_year: 2024", "start_year: 2025"), encoding="utf-8")
    assert load_registry(reg_dir).start_year == 2025
    kept = "\n".join(line for line in text.splitlines() if not line.startswith("start_year"))
    programme.write_text(kept + "\n", encoding="utf-8")
    assert load_registry(reg_dir).start_year == DEFAULT_START_YEAR
    for bad in ("twintig", "true", "2024.5"):
        programme.write_text(kept + f"\nstart_year: {bad}\n", encoding="utf-8")
        with pytest.raises(RegistryError) as info:
            load_registry(reg_dir)
        assert any(f.column == "start_year" for f in info.value.findings)


def test_figure_draws_the_pre_start_band_only_where_the_break_is_judged():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    from npdw_learning.tellen.breaks import pre_start_projection
    from npdw_learning.tellen.figures import plot_pillar

    m = pd.concat(
        [
            _series("wielwijk", [*FLAT, 7.0, 7.2, 7.1]),
            _series("crabbehof", [5.0, 5.1, 5.2, 7.0], years=[2021, 2022, 2023, 2025]),
        ]
    )
    ind = pd.DataFrame(
        {
            "id": ["x"],
            "label": ["Voorbeeld"],
            "pillar": ["wonen"],
            "unit_label": ["%"],
            "higher_is_better": [True],
        }
    )
    labels = {"wielwijk": "Wielwijk", "crabbehof": "Crabbehof", "dordrecht": "Dordrecht"}

    def bands(fig):
        return [p for p in fig.axes[0].patches if isinstance(p, Polygon)]

    fig = plot_pillar(m, ind, None, "wonen", pillar_label="W", area_labels=labels, start_year=2024)
    try:
        # Wielwijk has 8 points before 2024: one band; Crabbehof has 3: none.
        (band,) = bands(fig)
        top = band.get_xy()[:, 1].max()
        want = pre_start_projection(range(2016, 2027), [*FLAT, 7.0, 7.2, 7.1], 2024, [2026])
        assert top == pytest.approx(float(want["high"].iloc[0]))
    finally:
        plt.close(fig)
    fig = plot_pillar(m, ind, None, "wonen", pillar_label="W", area_labels=labels)
    try:
        assert bands(fig) == []
    finally:
        plt.close(fig)


def test_batched_table_equals_one_series_at_a_time():
    rng = np.random.Generator(np.random.PCG64(7))
    years = np.arange(2014, 2026)
    frames = []
    for k in range(120):
        values = 10 + rng.normal(0, 0.4) * (years - 2014) + rng.normal(0, 1, len(years))
        if k % 5 == 0:
            values[rng.integers(0, len(years))] = np.nan  # a gap: its own year vector
        if k % 7 == 0:
            values = np.round(values)  # ties in the values
        frames.append(_series(f"a{k:03d}", values, years=years))
    m = pd.concat(frames, ignore_index=True)
    table = break_table(m, {"x": True}, 2022)
    assert len(table) == 120
    for row in table.itertuples(index=False):
        own = m[m["area"] == row.area]
        one = break_test(own["year"], own["value"], 2022)
        got = (row.pre_n, row.post_n, row.expected_low, row.expected_high, row.post_slope)
        assert got == pytest.approx((one.pre_n, one.post_n, one.low, one.high, one.post_slope))
        pre = own[(own["year"] < 2022) & own["value"].notna()]
        assert row.pre_slope == pytest.approx(stats.theilslopes(pre["value"], pre["year"]).slope)
