"""Benchmark of the comparison with the whole country: matching, synthetic control, placebos.

Synthetic national panels (:func:`~npdw_learning.tellen.comparison_sim.simulate_panel`,
fixed seed, 12 years, start year 2022, the covariates ``inwoners`` and
``stedelijkheid``), 30 indicators and the 5 programme units, through
:func:`~npdw_learning.tellen.comparison.compare` as ``npdw compare`` calls it:

* wijk level, 3,300 regions: ``matched`` (k-d tree matching, difference in
  differences, a placebo for every region of the pool) -- budget 60 s;
* buurt level, 14,000 regions: the same -- budget 120 s;
* wijk level: ``synthetic`` with its placebos (every region, a weighted
  least-squares fit each: 3,300 x 30 fits) -- budget 120 s.

Each case runs ``--repeat`` times (default 3) and prints the median wall-clock
and CPU time (the machine is shared: the CPU time is the steadier figure) and
the load average it ran under; it fails over budget. Run with
``python benchmarks/bench_compare.py [--repeat N] [--only wijk|buurt|synthetic]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from npdw_learning.tellen.comparison import compare
from npdw_learning.tellen.comparison_sim import simulate_panel

YEARS = range(2014, 2026)
START_YEAR = 2022
N_INDICATORS = 30
UNITS = ["wielwijk", "crabbehof", "zuidhoven", "oud-krispijn", "dordt-west"]
CASES = {
    # name: (regions, level, method, budget in s)
    "wijk": (3300, "wijk", "matched", 60.0),
    "buurt": (14000, "buurt", "matched", 120.0),
    "synthetic": (3300, "wijk", "synthetic", 120.0),
}


def _once(panel, method: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of one compare call, and its number of rows."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = compare(
        panel.pool,
        panel.units,
        start_year=START_YEAR,
        higher_is_better=panel.higher_is_better,
        methods=[method],
    )
    return time.perf_counter() - start, time.process_time() - start_cpu, len(result.comparison)


def run_case(name: str, repeat: int) -> bool:
    """Run one case ``repeat`` times; print its medians; whether it kept its budget."""
    regions, level, method, budget = CASES[name]
    panel = simulate_panel(
        regions,
        YEARS,
        start_year=START_YEAR,
        indicators=N_INDICATORS,
        units=UNITS,
        effect={"wielwijk": 1.0},
        level=level,
        seed=2024,
    )
    runs = [_once(panel, method) for _ in range(repeat)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    load = os.getloadavg()[0]
    print(
        f"compare {name}: {regions} regions x {N_INDICATORS} indicators x {len(YEARS)} years, "
        f"{method}, {len(UNITS)} units ({runs[0][2]} rows): median {wall:.1f} s "
        f"(CPU {cpu:.1f} s) of {repeat}; budget {budget:.0f} s; load {load:.2f}"
    )
    return wall <= budget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    args = parser.parse_args()
    over = [name for name in args.only or CASES if not run_case(name, args.repeat)]
    if over:
        raise SystemExit(f"compare too slow: {', '.join(over)}")


if __name__ == "__main__":
    main()
