"""Benchmark at national scale: trend, change and break for every Dutch neighbourhood.

Synthetic data, fixed seed: 3,300 neighbourhoods x 30 indicators x 12 years
(99,000 series, about 1.2 million values), the size of the CBS table of all
neighbourhoods. Each engine runs on the whole table once:

* ``trend_table`` on the 12-year series (values rounded to 0.1, so about half
  of the series have ties and take the exact permutation p of a tie pattern);
* ``change_table`` on the first and last year of each series (percentages
  with a sample size, so every series gets the two-proportion test);
* ``break_table`` with the start year 2022 (8 years before, 4 after).

Run with ``python benchmarks/bench_national.py [--neighbourhoods N]`` (``make
bench`` runs the full size); the issue's budget for the whole is 30 s on the
project machine. It prints wall-clock and CPU time per engine (the machine is
shared, so the CPU time is the steadier figure) and fails over budget.
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
    timings, cpu = {}, {}
    for name, call in (
        ("trend", lambda: trend_table(m, hib)),
        ("change", lambda: change_table(ends, hib, units)),
        ("break", lambda: break_table(m, hib, START_YEAR)),
    ):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        timings[name] = time.perf_counter() - start
        cpu[name] = time.process_time() - start_cpu
    total = sum(timings.values())
    parts = ", ".join(
        f"{k} {v:.2f} s ({1000 * v / n_series:.3f} ms/series, CPU {cpu[k]:.2f} s)"
        for k, v in timings.items()
    )
    print(f"national: {n_series} series x {len(YEARS)} years: {parts}")
    print(f"national: total {total:.1f} s (CPU {sum(cpu.values()):.1f} s); budget {BUDGET_S:.0f} s")
    if n_areas == 3300 and total > BUDGET_S:
        raise SystemExit(f"national too slow: {total:.1f} s > {BUDGET_S:.0f} s")


if __name__ == "__main__":
    main()
