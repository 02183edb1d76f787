"""Uitvoering: the state of the efforts (*inspanningen*) in a year.

The efforts and their status per year live in ``data/registry/efforts.yaml``
and are validated by :func:`~npdw_learning.agenda.load_agenda`; this module
turns them into the table the yearly evaluation shows and
``npdw efforts status`` prints.
"""

from __future__ import annotations

import argparse

import pandas as pd

from .agenda import Agenda, _load_for_cli

__all__ = ["NOT_RECORDED", "EFFORTS_STATUS_COLUMNS", "efforts_status"]

#: The status shown for an effort whose status was not recorded for a year.
NOT_RECORDED = "niet_vastgelegd"
EFFORTS_STATUS_COLUMNS = [
    "id",
    "label",
    "pillar",
    "contributes_to",
    "year",
    "status",
    "n_results_2026",
    "n_stories",
    "n_indicators",
    "n_research",
]


def efforts_status(agenda: Agenda, year: int | None = None) -> pd.DataFrame:
    """The state of every effort in one year, with counts of its results and evidence.

    Parameters
    ----------
    agenda : Agenda
    year : int, optional
        Default: the latest year for which any effort has a status.

    Returns
    -------
    DataFrame
        :data:`EFFORTS_STATUS_COLUMNS`: ``id, label, pillar, contributes_to``
        (``;``-joined), ``year``, ``status`` (:data:`NOT_RECORDED` when the
        effort has no status for that year), ``n_results_2026``,
        ``n_stories``, ``n_indicators``, ``n_research``. One row per effort,
        in file order.

    Examples
    --------
    >>> from npdw_learning.agenda import load_agenda
    >>> table = efforts_status(load_agenda())
    >>> table["id"].is_unique
    True
    """
    long = agenda.efforts_status
    if year is None and not long.empty:
        year = int(long["year"].max())
    status = {}
    if year is not None:
        in_year = long[long["year"] == year]
        status = dict(zip(in_year["effort"], in_year["status"], strict=True))
    e = agenda.efforts
    table = pd.DataFrame(
        {
            "id": e["id"],
            "label": e["label"],
            "pillar": e["pillar"],
            "contributes_to": e["contributes_to"].map(";".join),
            "year": pd.array([year] * len(e), dtype="Int64"),
            "status": e["id"].map(lambda i: status.get(i, NOT_RECORDED)),
            "n_results_2026": e["results_2026"].map(len),
            "n_stories": e["evidence_stories"].map(len),
            "n_indicators": e["evidence_indicators"].map(len),
            "n_research": e["evidence_research"].map(len),
        },
        columns=EFFORTS_STATUS_COLUMNS,
    )
    return table.reset_index(drop=True)


_STATUS_NL = {
    "niet_gestart": "niet gestart",
    "in_uitvoering": "in uitvoering",
    "gerealiseerd": "gerealiseerd",
    "vertraagd": "vertraagd",
    "gestopt": "gestopt",
    NOT_RECORDED: "niet vastgelegd",
}


def _plain_table(frame: pd.DataFrame, left: tuple[str, ...]) -> str:
    """Text columns left-aligned, counts right-aligned, as in a printed table."""
    widths = {c: max(len(c), *(len(str(v)) for v in frame[c])) for c in frame.columns}

    def cell(column: str, value: object) -> str:
        width = widths[column]
        return f"{value!s:<{width}}" if column in left else f"{value!s:>{width}}"

    lines = ["  ".join(cell(c, c) for c in frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("  ".join(cell(c, v) for c, v in zip(frame.columns, row, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def cli_efforts_status(args: argparse.Namespace) -> int:
    """``npdw efforts status``: a readable table of the efforts in one year."""
    _, _, _, agenda = _load_for_cli(args, with_stories=False)
    table = efforts_status(agenda, args.year)
    if table.empty:
        print("Er staan geen inspanningen in registry/efforts.yaml.")
        return 0
    year = table["year"].iloc[0]
    if pd.isna(year):
        print("Voor geen enkele inspanning is een status vastgelegd.")
    else:
        print(f"Status van de inspanningen in {year}:")
    shown = pd.DataFrame(
        {
            "id": table["id"],
            "inspanning": table["label"].map(lambda s: s if len(s) <= 48 else s[:47] + "…"),
            "pijler": table["pillar"],
            "status": table["status"].map(_STATUS_NL),
            "resultaten 2026": table["n_results_2026"],
            "verhalen": table["n_stories"],
            "indicatoren": table["n_indicators"],
            "onderzoek": table["n_research"],
        }
    )
    print(_plain_table(shown, left=("id", "inspanning", "pijler", "status")))
    counts = table["status"].map(_STATUS_NL).value_counts()
    print()
    print("Totaal: " + ", ".join(f"{n} {label}" for label, n in counts.items()))
    return 0
