"""Uitvoering: the state of the efforts (*inspanningen*) in a year.

The efforts and their status per year live in ``data/registry/efforts.yaml``
and are validated by :func:`~npdw_learning.leeragenda.agenda.load_agenda`; this module
turns them into the table the yearly evaluation shows and
``npdw efforts status`` prints.
"""

from __future__ import annotations

import pandas as pd

from .agenda import Agenda

__all__ = ["NOT_RECORDED", "EFFORT_STATUS_NL", "EFFORTS_STATUS_COLUMNS", "efforts_status"]

#: The status shown for an effort whose status was not recorded for a year.
NOT_RECORDED = "niet_vastgelegd"
#: Dutch words for each effort status, as ``npdw efforts status`` and the report show them.
EFFORT_STATUS_NL = {
    "niet_gestart": "niet gestart",
    "in_uitvoering": "in uitvoering",
    "gerealiseerd": "gerealiseerd",
    "vertraagd": "vertraagd",
    "gestopt": "gestopt",
    NOT_RECORDED: "niet vastgelegd",
}
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
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> table = efforts_status(agenda_in(folder))
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
