"""Dordt West against comparable neighbourhoods in the whole country, as the report reads it.

The engine (``tellen.comparison``, issue 24) compares every programme wijk and
the aggregate with regions elsewhere in the country that did not get the
programme, and writes four tables into the run's ``tables/`` folder
(:func:`~npdw_learning.tellen.national_run.write_comparison_tables`; columns as
:data:`COMPARISON_COLUMNS` ...):

* ``comparison.csv`` - per indicator x area x method the effect (programme
  minus comparison, in the indicator's own unit), its placebo interval, p and
  q, and the verdict (:data:`VERDICTS`);
* ``comparison_members.csv`` - the comparison regions and their weights;
* ``balance.csv`` - how far the programme area lay from the pool and from its
  comparison before the start (standardised differences);
* ``comparison_paths.csv`` - per year the programme, its comparison and the
  placebo band, for the figures.

A fifth, ``nplv_ranking.csv``, ranks the programme among the other areas of the
Nationaal Programma Leefbaarheid en Veiligheid, when the run has it.

:func:`read_comparison` reads them back (``None`` when the run has no
comparison: no national file was given) and
:func:`~npdw_learning.evaluatie.steps.comparison_step` prepares the chapter
*Dordt West vergeleken met vergelijkbare wijken* (:mod:`.views.vergelijking`). The
status matrix takes one verdict per cell (:func:`cell_verdicts`): the ``matched``
comparison, and the ``synthetic`` one only where the matched comparison could not
judge.

Region names come from a national file made elsewhere: outside text, shown
literally (tables are escaped, Markdown values through ``show_markdown``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..kern.atomic import read_csv
from ..kern.errors import Finding, InputError
from ..tellen.comparison import (
    BALANCE_COLUMNS,
    COMPARISON_COLUMNS,
    MEASURES,
    MEMBER_COLUMNS,
    METHODS,
    PATH_COLUMNS,
    VERDICTS,
)
from ..tellen.national_run import RANKING_TABLE, RESULT_TABLES
from ..tellen.nplv import RANKING_COLUMNS

__all__ = [
    "TABLES",
    "RANKING",
    "COMPARISON_COLUMNS",
    "MEMBER_COLUMNS",
    "BALANCE_COLUMNS",
    "PATH_COLUMNS",
    "RANKING_COLUMNS",
    "METHODS",
    "MEASURES",
    "VERDICTS",
    "BALANCED",
    "ComparisonTables",
    "read_comparison",
    "cell_verdicts",
    "members_summary",
    "balance_summary",
    "programme_ranking",
    "FIGURE_PREFIX",
    "verdict_mark",
]

# The engine's tables and codes (``tellen.comparison``, ``tellen.nplv``): one definition.

#: Table name (``tables/<name>.csv``) of each of the engine's four tables, and the NPLV
#: ranking's (shown when the run has it): as ``tellen.national_run`` writes them.
TABLES = {attr: name for attr, (name, _) in RESULT_TABLES.items()}
_COLUMNS = {attr: columns for attr, (_, columns) in RESULT_TABLES.items()}
RANKING = RANKING_TABLE
#: A standardised difference below this (in absolute value) counts as balanced
#: (Stuart 2010, "Matching methods for causal inference", Statistical Science 25: 0.25).
BALANCED = 0.25


@dataclass(frozen=True)
class ComparisonTables:
    """The comparison tables of one run (:func:`read_comparison`)."""

    comparison: pd.DataFrame
    members: pd.DataFrame
    balance: pd.DataFrame
    paths: pd.DataFrame
    ranking: pd.DataFrame | None = None


def _checked(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """``path`` read back (:func:`~npdw_learning.kern.atomic.read_csv`), or an empty table
    of ``columns`` when it is absent; a missing column or an unknown code is an error
    that names the file, the row and the column."""
    if not path.exists():
        return pd.DataFrame(columns=list(columns))
    frame = read_csv(path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = [Finding("error", str(path), f"kolom '{c}' ontbreekt", 1, c) for c in missing]
        raise InputError(f"{path}: kolom(men) ontbreken: {', '.join(missing)}", found)
    findings = []
    for column, allowed in (("method", METHODS), ("verdict", VERDICTS)):
        if column not in columns:
            continue
        bad = ~frame[column].isin(allowed)
        findings += [
            Finding("error", str(path), f"onbekende waarde '{v}'", int(i) + 2, column)
            for i, v in frame.loc[bad, column].items()
        ]
    if findings:
        raise InputError(f"{path}: onbekende codes", findings)
    return frame[list(columns)]


def read_comparison(tables_dir: str | Path) -> ComparisonTables | None:
    """The comparison tables in ``tables_dir``; ``None`` without ``comparison.csv``
    (the run had no national file). A missing companion table reads as empty.

    Raises
    ------
    InputError
        A table lacks a column of the contract or holds an unknown method or verdict.
    """
    folder = Path(tables_dir)
    if not (folder / f"{TABLES['comparison']}.csv").exists():
        return None
    frames = {k: _checked(folder / f"{name}.csv", _COLUMNS[k]) for k, name in TABLES.items()}
    ranking_path = folder / f"{RANKING}.csv"
    ranking = _checked(ranking_path, RANKING_COLUMNS) if ranking_path.exists() else None
    return ComparisonTables(**frames, ranking=ranking)


def cell_verdicts(comparison: pd.DataFrame | None) -> pd.DataFrame:
    """One row per indicator x area: the ``matched`` comparison's row, or the
    ``synthetic`` one where the matched comparison could not judge (``insufficient_data``)
    and the synthetic one could; else the matched row as it is.

    Matched first: its inference rests on every eligible region of the pool as a placebo,
    so its p-values are the finest, and it needs no good pre-start fit of weights.

    Examples
    --------
    >>> c = pd.DataFrame({"indicator": ["x"] * 2, "area": ["a"] * 2,
    ...                   "method": ["synthetic", "matched"],
    ...                   "verdict": ["better_than_comparison", "insufficient_data"]})
    >>> cell_verdicts(c)[["method", "verdict"]].values.tolist()
    [['synthetic', 'better_than_comparison']]
    """
    columns = [*COMPARISON_COLUMNS]
    if comparison is None or comparison.empty:
        return pd.DataFrame(columns=columns)
    frame = comparison.copy()
    for column in columns:
        if column not in frame.columns:
            frame[column] = pd.NA
    judged = frame["verdict"] != "insufficient_data"
    order = frame["method"].map({m: i for i, m in enumerate(METHODS)}).fillna(len(METHODS))
    # Judged rows before unjudged ones, matched before synthetic within each.
    frame = frame.assign(_rank=(~judged).astype(int) * 10 + order)
    frame = frame.sort_values("_rank", kind="stable")
    chosen = frame.drop_duplicates(["indicator", "area"], keep="first")
    return chosen.sort_index()[columns].reset_index(drop=True)


def members_summary(
    members: pd.DataFrame, areas: Sequence[str], labels: Mapping[str, str], top: int = 5
) -> pd.DataFrame:
    """Per area and method: how many regions were used over all indicators, and the
    ``top`` used most often (in how many indicators, their mean weight). Region names
    and codes are outside text, returned as they are (the table escapes them)."""
    rows = []
    for area in areas:
        for method in METHODS:
            mine = members[(members["area"] == area) & (members["method"] == method)]
            mine = mine[pd.to_numeric(mine["weight"], errors="coerce") > 0]
            if mine.empty:
                continue
            n_ind = mine["indicator"].nunique()
            grouped = mine.groupby(["region_code", "region_name"], sort=False).agg(
                n=("indicator", "nunique"), weight=("weight", "mean")
            )
            grouped = grouped.reset_index().sort_values(
                ["n", "weight", "region_code"], ascending=[False, False, True], kind="stable"
            )
            most = [
                f"{r.region_name} ({r.region_code}): {r.n} van {n_ind}, gewicht "
                + f"{r.weight:.2f}".replace(".", ",")
                for r in grouped.head(top).itertuples(index=False)
            ]
            rows.append((labels.get(area, area), method, len(grouped), n_ind, "; ".join(most)))
    return pd.DataFrame(rows, columns=["area", "method", "regions", "indicators", "most"])


def balance_summary(balance: pd.DataFrame) -> pd.DataFrame:
    """Per method and measure: the median absolute standardised difference with the whole
    pool (before matching) and with the comparison (after), the largest after, and the
    share of programme series whose difference after lies below :data:`BALANCED`."""
    rows = []
    frame = balance.assign(
        before=pd.to_numeric(balance["std_diff_before"], errors="coerce").abs(),
        after=pd.to_numeric(balance["std_diff_after"], errors="coerce").abs(),
    )
    for (method, measure), part in frame.groupby(["method", "measure"], sort=False):
        after = part["after"].dropna()
        if after.empty:
            continue
        rows.append(
            (
                method,
                measure,
                len(after),
                float(part["before"].median()),
                float(after.median()),
                float(after.max()),
                float((after < BALANCED).mean()),
            )
        )
    columns = ["method", "measure", "n", "before", "after", "max_after", "balanced"]
    order = {m: i for i, m in enumerate(METHODS)}
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values("method", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def programme_ranking(ranking: pd.DataFrame | None, areas: Sequence[str]) -> pd.DataFrame:
    """The rows of the NPLV ranking that are the programme's own areas (by area id), the
    latest year per indicator and area; empty when the run has no ranking."""
    if ranking is None or ranking.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    mine = ranking[ranking["area"].isin(list(areas))]
    if mine.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    latest = mine.sort_values("year", kind="stable").drop_duplicates(
        ["indicator", "area"], keep="last"
    )
    return latest.reset_index(drop=True)


FIGURE_PREFIX = "vergelijking"  # figures/vergelijking_<pillar>.png


def verdict_mark(symbol: str, effect: object) -> str:
    """A figure panel's verdict: the status matrix's symbol and the effect.

    >>> verdict_mark("≻", 3.2), verdict_mark("≍", float("nan"))
    ('≻ +3,20', '≍')
    """
    value = pd.to_numeric(effect, errors="coerce")
    if pd.isna(value):
        return symbol
    return f"{symbol} {value:+.2f}".replace(".", ",")
