"""A simulated national panel for the comparison reading (tests, benchmarks, the demo).

Every region ``i`` and indicator has a level and a slope of its own, every
year a shock common to all regions, and every value its own noise::

    value[i, t] = level[i] + slope[i] * (t - first_year) + shock[t] + noise[i, t]
                  + effect[i] * noise_sd * (t >= start_year)

with ``level ~ N(50, level_sd)`` shifted by the region's urbanity,
``slope ~ N(0, slope_sd)``, ``shock ~ N(0, shock_sd)`` and
``noise ~ N(0, noise_sd)``, independent. The programme units are drawn from
the same process as the pool (so they are exchangeable with it, as the
placebo inference assumes), and an effect is planted in chosen units from the
start year on, in noise standard deviations. A unit can be given a steep
pre-start trend of its own (``unit_slopes``, in noise sd per year) to check
that the comparison does not take a trend for an effect.

The pool comes in the national format of ``data/README.md`` (long:
``region_code, region_name, municipality_code, level, indicator, year,
value``), with the two matching covariates ``inwoners`` and ``stedelijkheid``;
the units as the registry's long frame ``area, indicator, year, value``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from .national import NATIONAL_COLUMNS

__all__ = ["NATIONAL_COLUMNS", "SimulatedPanel", "simulate_panel"]

_REGIONS_PER_MUNICIPALITY = 10


@dataclass(frozen=True)
class SimulatedPanel:
    """A simulated national file and programme units.

    Attributes
    ----------
    pool : pandas.DataFrame
        National format (:data:`NATIONAL_COLUMNS`), indicators and covariates.
    units : pandas.DataFrame
        ``area, indicator, year, value`` of the programme units, with covariates.
    truth : pandas.DataFrame
        ``area, indicator, level, slope, effect`` of the units; ``effect`` in
        the indicator's own unit (``effect`` sd times ``noise_sd``).
    higher_is_better : dict
        Direction per indicator (alternating, the first True).
    noise_sd : float
        The sd of the noise, the unit of a planted effect.
    """

    pool: pd.DataFrame
    units: pd.DataFrame
    truth: pd.DataFrame
    higher_is_better: dict[str, bool]
    noise_sd: float

    def national(self, codes: Mapping[str, str], municipality_code: str) -> pd.DataFrame:
        """The pool with the units added as regions of one municipality: a national file.

        ``codes`` maps each unit's area id to its CBS code (as ``cbs.yaml``
        does), so a demo can write one file holding both sides of the comparison.

        Examples
        --------
        >>> p = simulate_panel(20, range(2020, 2026), start_year=2024, units=["wielwijk"])
        >>> f = p.national({"wielwijk": "WK050501"}, "GM0505")
        >>> f[f["region_code"] == "WK050501"]["municipality_code"].unique().tolist()
        ['GM0505']
        """
        units = self.units[self.units["area"].isin(list(codes))]
        added = pd.DataFrame(
            {
                "region_code": units["area"].map(codes),
                "region_name": units["area"],
                "municipality_code": municipality_code,
                "level": self.pool["level"].iloc[0],
                "indicator": units["indicator"],
                "year": units["year"],
                "value": units["value"],
            }
        )
        return pd.concat([self.pool, added], ignore_index=True)


def _indicator_ids(indicators: int | Sequence[str]) -> list[str]:
    if isinstance(indicators, int):
        return [f"ind{i:02d}" for i in range(indicators)]
    return list(indicators)


def _per_area(value: float | Mapping[str, float], areas: Sequence[str]) -> npt.NDArray:
    if isinstance(value, Mapping):
        return np.array([float(value.get(a, 0.0)) for a in areas])
    return np.full(len(areas), float(value))


def _series(
    rng: np.random.Generator,
    n: int,
    years: npt.NDArray,
    urbanity: npt.NDArray,
    shock: npt.NDArray,
    sd: Mapping[str, float],
) -> tuple[npt.NDArray, npt.NDArray, npt.NDArray]:
    """Levels (n,), slopes (n,) and values (n, T) of one indicator, without effect."""
    level = 50.0 + 2.0 * (urbanity - 3.0) + rng.normal(0.0, sd["level"], n)
    slope = rng.normal(0.0, sd["slope"], n)
    noise = rng.normal(0.0, sd["noise"], (n, len(years)))
    values = level[:, None] + slope[:, None] * (years - years[0]) + shock[None, :] + noise
    return level, slope, values


def _covariates(rng: np.random.Generator, n: int, years: npt.NDArray) -> dict[str, npt.NDArray]:
    """Residents (growing slowly) and urbanity (1..5, constant) per region and year."""
    residents = np.exp(rng.normal(8.0, 0.8, n))[:, None] * (1.0 + 0.005 * (years - years[0]))
    urbanity = rng.integers(1, 6, n).astype(float)
    return {
        "inwoners": np.round(residents),
        "stedelijkheid": np.repeat(urbanity[:, None], len(years), axis=1),
    }


def _long(values: Mapping[str, npt.NDArray], keys: npt.NDArray, years: npt.NDArray) -> dict:
    """Long columns ``key, indicator, year, value`` of several (n, T) arrays."""
    n, t = len(keys), len(years)
    return {
        "key": np.tile(np.repeat(keys, t), len(values)),
        "indicator": np.repeat(list(values), n * t),
        "year": np.tile(years, n * len(values)).astype(np.int64),
        "value": np.concatenate([v.ravel() for v in values.values()]),
    }


def _national(values: Mapping[str, npt.NDArray], years: npt.NDArray, level: str) -> pd.DataFrame:
    """The pool's arrays in the national format; ten regions to a municipality."""
    n = len(next(iter(values.values())))
    per = _REGIONS_PER_MUNICIPALITY
    codes = np.array([f"WK{1000 + i // per:04d}{i % per:02d}" for i in range(n)])
    cols = _long(values, codes, years)
    key = pd.Series(cols.pop("key"), dtype=object)
    return pd.DataFrame(
        {
            "region_code": key,
            "region_name": "Wijk " + key.str[2:],
            "municipality_code": "GM" + key.str[2:6],
            "level": level,
            **cols,
        },
        columns=NATIONAL_COLUMNS,
    )


def simulate_panel(
    n_regions: int,
    years: Sequence[int],
    *,
    start_year: int,
    indicators: int | Sequence[str] = 1,
    units: int | Sequence[str] = 5,
    effect: float | Mapping[str, float] = 0.0,
    unit_slopes: Mapping[str, float] | None = None,
    level_sd: float = 10.0,
    slope_sd: float = 0.3,
    shock_sd: float = 1.0,
    noise_sd: float = 1.0,
    level: str = "wijk",
    seed: int = 0,
) -> SimulatedPanel:
    """A seeded national panel of ``n_regions`` pool regions and programme units.

    Parameters
    ----------
    n_regions : int
        Regions in the pool.
    years : sequence of int
        The years, ascending.
    start_year : int
        The programme's start: an effect is added from this year on.
    indicators : int or sequence of str
        The indicator ids, or how many (``ind00``, ``ind01``, ...).
    units : int or sequence of str
        The programme units' area ids, or how many (``unit1``, ...).
    effect : float or mapping area -> float
        Planted effect in noise sd, for every unit or per unit (others 0).
    unit_slopes : mapping area -> float, optional
        A unit's own pre-start slope (noise sd per year), replacing its draw.
    level_sd, slope_sd, shock_sd, noise_sd : float
        Spreads of the components (module docstring).
    level : str
        The ``level`` column of the pool.
    seed : int

    Examples
    --------
    >>> p = simulate_panel(50, range(2014, 2026), start_year=2022, indicators=2, seed=1)
    >>> len(p.pool), sorted(p.pool["indicator"].unique())
    (2400, ['ind00', 'ind01', 'inwoners', 'stedelijkheid'])
    >>> sorted(p.units["area"].unique())
    ['unit1', 'unit2', 'unit3', 'unit4', 'unit5']
    """
    rng = np.random.default_rng(seed)
    yrs = np.asarray(list(years), dtype=float)
    ids = _indicator_ids(indicators)
    areas = [f"unit{i + 1}" for i in range(units)] if isinstance(units, int) else list(units)
    n_all = n_regions + len(areas)
    sd = {"level": level_sd, "slope": slope_sd, "noise": noise_sd}
    cov = _covariates(rng, n_all, yrs)
    planted = _per_area(effect, areas) * noise_sd
    steep = {a: float(s) * noise_sd for a, s in (unit_slopes or {}).items()}
    values, truth = dict(cov), []
    for ind in ids:
        shock = rng.normal(0.0, shock_sd, len(yrs))
        lev, slope, vals = _series(rng, n_all, yrs, cov["stedelijkheid"][:, 0], shock, sd)
        for j, area in enumerate(areas):
            row = n_regions + j
            if area in steep:
                vals[row] += (steep[area] - slope[row]) * (yrs - yrs[0])
                slope[row] = steep[area]
            vals[row] += planted[j] * (yrs >= start_year)
            truth.append((area, ind, lev[row], slope[row], planted[j]))
        values[ind] = vals
    pool = _national({k: v[:n_regions] for k, v in values.items()}, yrs, level)
    unit_cols = _long({k: v[n_regions:] for k, v in values.items()}, np.array(areas), yrs)
    return SimulatedPanel(
        pool=pool,
        units=pd.DataFrame({"area": unit_cols.pop("key"), **unit_cols}),
        truth=pd.DataFrame(truth, columns=["area", "indicator", "level", "slope", "effect"]),
        higher_is_better={ind: i % 2 == 0 for i, ind in enumerate(ids)},
        noise_sd=noise_sd,
    )
