"""Benchmark of the statistics engine: trend_table + progress_table.

Synthetic data, fixed seed: 100 indicators x 6 areas x 12 years = 600 series.
About 10% of the series are rounded to whole numbers so they have ties (the
permutation path), a quarter carry a known se (the WLS path), and the
indicators cycle through parity, relative, absolute and no target.

Run with ``python benchmarks/bench_engine.py``; the budget is 2 s.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from npdw_learning.tellen.progress import progress_table
from npdw_learning.tellen.trends import trend_table

N_INDICATORS = 100
AREAS = ("dordrecht", "dordt-west", "oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof")
YEARS = np.arange(2014, 2026)
BUDGET_S = 2.0


def synthetic(seed: int = 20431) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, bool]]:
    """Measurements, targets and directions for the benchmark."""
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(N_INDICATORS):
        level = rng.uniform(20, 80)
        for area in AREAS:
            slope = rng.normal(0, 0.8)
            values = level + rng.normal(0, 3) + slope * (YEARS - YEARS[0])
            values = values + rng.normal(0, 1.5, size=len(YEARS))
            # ~10% of series reported as whole numbers: ties -> permutation test.
            if rng.random() < 0.10:
                values = np.round(values / 3) * 3
            se = np.full(len(YEARS), rng.uniform(0.5, 2.0) if rng.random() < 0.25 else np.nan)
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": f"ind{i:03d}",
                        "area": area,
                        "year": YEARS,
                        "value": values,
                        "se": se,
                    }
                )
            )
    measurements = pd.concat(frames, ignore_index=True)
    kinds = ("parity", "relative", "absolute", "none")
    targets = pd.DataFrame(
        {
            "indicator": [f"ind{i:03d}" for i in range(N_INDICATORS)],
            "target_type": [kinds[i % 4] for i in range(N_INDICATORS)],
            "target_value": [(0.0, -0.3, 70.0, np.nan)[i % 4] for i in range(N_INDICATORS)],
            "base_year": [2015.0 if i % 4 == 1 else np.nan for i in range(N_INDICATORS)],
            "target_year": 2043,
        }
    )
    # Relative (reduction) targets belong to lower-is-better indicators.
    higher_is_better = {f"ind{i:03d}": i % 4 != 1 and bool(i % 3) for i in range(N_INDICATORS)}
    return measurements, targets, higher_is_better


def run(measurements: pd.DataFrame, targets: pd.DataFrame, hib: dict[str, bool]) -> None:
    trend_table(measurements, hib)
    progress_table(measurements, targets, hib)


def main() -> None:
    measurements, targets, hib = synthetic()
    n_series = measurements.groupby(["indicator", "area"]).ngroups
    run(measurements, targets, hib)  # warm-up: imports, caches
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        run(measurements, targets, hib)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(
        f"engine: {n_series} series, {len(YEARS)} years: {best:.2f} s (best of 3), "
        f"{1000 * best / n_series:.2f} ms per series; budget {BUDGET_S:.0f} s"
    )
    if best > BUDGET_S:
        raise SystemExit(f"engine too slow: {best:.2f} s > {BUDGET_S:.0f} s")


if __name__ == "__main__":
    main()
