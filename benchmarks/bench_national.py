"""Benchmark at national scale: trend, change and break for every Dutch neighbourhood.

Synthetic data, fixed seed: 3,300 neighbourhoods x 30 indicators x 12 years
(99,000 series, about 1.2 million values), the size of the CBS table of all
neighbourhoods. Each engine runs on the whole table once:

* ``trend_table`` on the 12-year series;
* ``change_table`` on the first and last year of each series (percentages
  with a sample size, so every series gets the two-proportion test);
* ``break_table`` with the start year 2022 (8 years before, 4 after).

Run with ``python benchmarks/bench_national.py [--neighbourhoods N]``; the
issue's budget for the whole is 30 s on the project machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from npdw_learning.tellen.breaks import break_table
from npdw_learning.tellen.changes import change_table
from npdw_learning.tellen.trends import trend_table

N_INDICATORS = 30
YEARS = np.arange(2014, 2026)
START_YEAR = 2022
BUDGET_S = 30.0


def synthetic(n_areas: int, seed: int = 20431) -> pd.DataFrame:
    """Percentages per (indicator, neighbourhood, year) with their sample size."""
    rng = np.random.default_rng(seed)
    k = N_INDICATORS * n_areas
    level = rng.uniform(20, 80, size=(k, 1))
    slope = rng.normal(0, 0.6, size=(k, 1))
    values = level + slope * (YEARS - YEARS[0]) + rng.normal(0, 2, size=(k, len(YEARS)))
    values = np.clip(np.round(values, 1), 0, 100)
    indicator = np.repeat([f"ind{i:02d}" for i in range(N_INDICATORS)], n_areas)
    area = np.tile([f"wijk{a:05d}" for a in range(n_areas)], N_INDICATORS)
    return pd.DataFrame(
        {
            "indicator": np.repeat(indicator, len(YEARS)),
            "area": np.repeat(area, len(YEARS)),
            "year": np.tile(YEARS, k),
            "value": values.ravel(),
            "n": 400.0,
            "se": np.nan,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neighbourhoods", type=int, default=3300)
    n_areas = parser.parse_args().neighbourhoods
    m = synthetic(n_areas)
    hib = {f"ind{i:02d}": bool(i % 2) for i in range(N_INDICATORS)}
    units = dict.fromkeys(hib, "percent")
    ends = m[m["year"].isin([YEARS[0], YEARS[-1]])]
    n_series = N_INDICATORS * n_areas
    timings = {}
    for name, call in (
        ("trend", lambda: trend_table(m, hib)),
        ("change", lambda: change_table(ends, hib, units)),
        ("break", lambda: break_table(m, hib, START_YEAR)),
    ):
        start = time.perf_counter()
        call()
        timings[name] = time.perf_counter() - start
    total = sum(timings.values())
    parts = ", ".join(
        f"{k} {v:.1f} s ({1000 * v / n_series:.2f} ms/reeks)" for k, v in timings.items()
    )
    print(f"national: {n_series} series x {len(YEARS)} years: {parts}; total {total:.1f} s")
    if n_areas == 3300 and total > BUDGET_S:
        print(f"over budget: {total:.1f} s > {BUDGET_S:.0f} s")


if __name__ == "__main__":
    main()
