"""Hand-built comparison tables of exactly the engine's contract (CONTRACT24 §2), made at
test time: the report's side of issue 24 is tested without the engine.

Every name and code below is invented (regions of a "Testdorp" that does not exist).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from npdw_learning.evaluatie.comparison import (
    BALANCE_COLUMNS,
    COMPARISON_COLUMNS,
    MEMBER_COLUMNS,
    PATH_COLUMNS,
    RANKING,
    RANKING_COLUMNS,
    TABLES,
)
from npdw_learning.kern.atomic import write_csv

__all__ = ["HOSTILE_NAMES", "comparison_tables", "write_tables"]

#: Region names a national file could carry: markup, a link, a spreadsheet formula.
HOSTILE_NAMES = (
    "<script>alert(1)</script>Wijk Noord",
    "[klik hier](https://voorbeeld.example/x)",
    '=HYPERLINK("https://voorbeeld.example","Wijk")',
)
# The verdict each indicator gets, in turn (the aggregate as its first wijk).
_CYCLE = ("better_than_comparison", "as_comparison", "worse_than_comparison", "insufficient_data")


def _region(i: int, hostile: bool) -> tuple[str, str]:
    name = f"Wijk {i:02d} Testdorp"
    if hostile and i < len(HOSTILE_NAMES):
        name = HOSTILE_NAMES[i]
    return f"WK9999{i:02d}", name


def comparison_tables(
    indicators: pd.DataFrame,
    areas: list[str],
    *,
    start_year: int = 2024,
    years: range = range(2016, 2027),
    hostile: bool = False,
    synthetic: bool = True,
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """The four tables (and the NPLV ranking) for ``indicators`` (``id, higher_is_better``)
    x ``areas``: indicator ``n`` gets verdict ``_CYCLE[n % 4]`` by matched in every area;
    the synthetic method judges the cells matched cannot (so the matrix falls back to it)."""
    rng = np.random.default_rng(seed)
    rows, members, balance, paths = [], [], [], []
    for n, ident in enumerate(indicators["id"]):
        verdict = _CYCLE[n % len(_CYCLE)]
        sign = 1 if bool(indicators["higher_is_better"].iloc[n]) else -1
        for area in areas:
            for method in ("matched", "synthetic") if synthetic else ("matched",):
                v = verdict
                if method == "synthetic":
                    v = "better_than_comparison" if verdict == "insufficient_data" else verdict
                size = {"better_than_comparison": 3.0, "worse_than_comparison": -3.0}.get(v, 0.2)
                effect = np.nan if v == "insufficient_data" else sign * size
                rows.append(
                    (
                        ident,
                        area,
                        method,
                        8,
                        3,
                        20 if method == "matched" else 35,
                        effect,
                        effect - 1.5,
                        effect + 1.5,
                        0.001 if abs(size) > 1 else 0.6,
                        0.004 if abs(size) > 1 else 0.7,
                        v,
                    )
                )
                level = 40 + 5 * n + rng.normal(0, 1)
                for year in years:
                    after = year >= start_year and not np.isnan(effect)
                    comp = level + 0.3 * (year - years[0]) + rng.normal(0, 0.3)
                    own = comp + rng.normal(0, 0.4) + (effect if after else 0.0)
                    paths.append((area, ident, method, year, own, comp, comp - 1.6, comp + 1.6))
                for i in range(20 if method == "matched" else 6):
                    code, name = _region((i + n) % 24, hostile)
                    members.append(
                        (area, ident, method, code, name, 1 / 20 if method == "matched" else 1 / 6)
                    )
                for measure in ("pre_level", "pre_slope", "inwoners", "stedelijkheid"):
                    before = rng.normal(0, 1.2)
                    balance.append(
                        (
                            area,
                            ident,
                            method,
                            measure,
                            level,
                            level - 3,
                            level - 0.2,
                            before,
                            before / 8,
                        )
                    )
    ranking = [
        (ident, 2024, area, f"Gebied {area}", "programme", 40.0 + n, 1 + n % 21, 21, "hoger", True)
        for n, ident in enumerate(indicators["id"])
        for area in areas[-1:]
    ]
    return {
        TABLES["comparison"]: pd.DataFrame(rows, columns=COMPARISON_COLUMNS),
        TABLES["members"]: pd.DataFrame(members, columns=MEMBER_COLUMNS),
        TABLES["balance"]: pd.DataFrame(balance, columns=BALANCE_COLUMNS),
        TABLES["paths"]: pd.DataFrame(paths, columns=PATH_COLUMNS),
        RANKING: pd.DataFrame(ranking, columns=RANKING_COLUMNS),
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    """Each table as ``folder/<name>.csv`` (formula-safe, as the run writes its tables)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        write_csv(frame, folder / f"{name}.csv")
    return folder
