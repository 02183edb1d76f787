"""The simulated national panel: the national format, seeded, effects and slopes where asked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from npdw_learning.tellen.comparison import COVARIATES
from npdw_learning.tellen.comparison_sim import NATIONAL_COLUMNS, simulate_panel

YEARS = range(2014, 2026)


def _wide(units: pd.DataFrame, indicator: str) -> pd.DataFrame:
    return units[units["indicator"] == indicator].pivot(
        index="area", columns="year", values="value"
    )


def test_the_pool_has_the_national_format_and_one_row_per_region_indicator_year():
    p = simulate_panel(40, YEARS, start_year=2022, indicators=["a", "b"], units=2, seed=1)
    assert list(p.pool.columns) == NATIONAL_COLUMNS
    assert set(p.pool["indicator"]) == {"a", "b", *COVARIATES}
    assert len(p.pool) == 40 * 4 * 12
    assert not p.pool.duplicated(["region_code", "indicator", "year"]).any()
    assert p.pool["region_code"].str.fullmatch(r"WK\d{6}").all()
    assert (p.pool["municipality_code"] == "GM" + p.pool["region_code"].str[2:6]).all()
    assert p.pool["year"].dtype == np.int64 and set(p.pool["level"]) == {"wijk"}
    assert list(p.units.columns) == ["area", "indicator", "year", "value"]
    urbanity = p.pool.loc[p.pool["indicator"] == "stedelijkheid", "value"]
    assert set(urbanity) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert p.higher_is_better == {"a": True, "b": False}


def test_the_same_seed_gives_the_same_panel_and_another_seed_another():
    a = simulate_panel(30, YEARS, start_year=2022, seed=4)
    b = simulate_panel(30, YEARS, start_year=2022, seed=4)
    c = simulate_panel(30, YEARS, start_year=2022, seed=5)
    pd.testing.assert_frame_equal(a.pool, b.pool)
    pd.testing.assert_frame_equal(a.units, b.units)
    assert not np.allclose(a.pool["value"], c.pool["value"])


def test_an_effect_is_planted_from_the_start_year_in_the_chosen_units_only():
    kwargs = {"start_year": 2022, "units": ["x", "y"], "noise_sd": 2.0, "seed": 9}
    base = simulate_panel(30, YEARS, **kwargs)
    planted = simulate_panel(30, YEARS, effect={"x": 1.5}, **kwargs)
    diff = _wide(planted.units, "ind00") - _wide(base.units, "ind00")
    assert np.allclose(diff.loc["x", [y for y in YEARS if y >= 2022]], 3.0)  # 1.5 sd of 2
    assert np.allclose(diff.loc["x", [y for y in YEARS if y < 2022]], 0.0)
    assert np.allclose(diff.loc["y"], 0.0)
    pd.testing.assert_frame_equal(base.pool, planted.pool)
    truth = planted.truth.set_index("area")["effect"]
    assert truth["x"] == 3.0 and truth["y"] == 0.0


def test_a_unit_slope_replaces_the_drawn_slope_and_the_rest_stays():
    kwargs = {"start_year": 2022, "units": ["x", "y"], "seed": 2, "shock_sd": 0.0}
    base = simulate_panel(30, YEARS, **kwargs)
    steep = simulate_panel(30, YEARS, unit_slopes={"x": 0.8}, **kwargs)
    x = np.arange(12.0)
    diff = (_wide(steep.units, "ind00") - _wide(base.units, "ind00")).loc["x"].to_numpy()
    drawn = base.truth.set_index("area").loc["x", "slope"]
    assert np.allclose(diff, (0.8 - drawn) * x)
    assert steep.truth.set_index("area").loc["x", "slope"] == 0.8
    assert np.allclose(_wide(steep.units, "ind00").loc["y"], _wide(base.units, "ind00").loc["y"])


def test_the_components_have_the_spreads_asked_for():
    """Levels, slopes, shocks and noise recovered from a large panel by least squares."""
    p = simulate_panel(4000, YEARS, start_year=2022, seed=3, level_sd=5.0, slope_sd=0.4)
    y = p.pool[p.pool["indicator"] == "ind00"].pivot(
        index="region_code", columns="year", values="value"
    )
    y = y.to_numpy() - y.to_numpy().mean(axis=0)  # the common shock out
    x = np.arange(12.0) - 5.5
    slope = y @ x / (x @ x)
    resid = y - y.mean(axis=1, keepdims=True) - slope[:, None] * x
    assert abs(np.sqrt((resid**2).sum() / (resid.size - 2 * len(y))) - 1.0) < 0.02
    assert abs(slope.std() - np.sqrt(0.4**2 + 1 / (x @ x))) < 0.02


def test_national_holds_the_pool_and_the_units_under_their_cbs_codes():
    p = simulate_panel(30, YEARS, start_year=2022, units=["wielwijk", "crabbehof"], seed=3)
    f = p.national({"wielwijk": "WK050501", "crabbehof": "WK050502"}, "GM0505")
    assert list(f.columns) == NATIONAL_COLUMNS
    assert len(f) == len(p.pool) + len(p.units)
    mine = f[f["municipality_code"] == "GM0505"]
    back = mine.assign(
        area=mine["region_code"].map({"WK050501": "wielwijk", "WK050502": "crabbehof"})
    )
    merged = back.merge(p.units, on=["area", "indicator", "year"], suffixes=("", "_unit"))
    assert len(merged) == len(p.units) and (merged["value"] == merged["value_unit"]).all()
