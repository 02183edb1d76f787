"""Over-asking (*overvragen van bewoners*): how often the residents of an area are asked.

The Lokale leeragenda exists partly to prevent *versnippering en overvragen
van bewoners* (chapter 11). This module counts, per area and quarter, the
moments at which residents are asked for their time:

- a **research activity** from the register whose target groups include
  residents (:data:`~npdw_learning.leeragenda.agenda.RESIDENT_GROUPS`) counts once in
  every quarter from its start to its end. A partial date covers its whole
  period: ``2025-03`` starts in the quarter of March, an end ``2025`` runs to
  the fourth quarter. An unknown end counts only in the start quarter; an
  unknown start cannot be placed and does not count. Both are reported as
  warnings. The status does not matter: a planned activity will ask residents
  too, and the check is meant to be run before it starts.
- a **story-collection moment** is a distinct ``(area, date, channel)`` among
  the stories: ten stories told at one buurtbakkie are one moment.

An activity or story in the aggregate area (Dordt West) counts in each of its
neighbourhoods; one activity listing both Dordt West and a neighbourhood still
counts once there. An area and quarter is *flagged* when research plus story
moments exceed the threshold of ``settings.overasking_threshold`` in
``data/agenda/research.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from ..kern.errors import Finding
from ..kern.yamlfile import display_name
from .agenda import RESEARCH_FILE, Agenda

__all__ = [
    "OVERASKING_COLUMNS",
    "MOMENT_COLUMNS",
    "asking_moments",
    "overasking",
    "overasking_findings",
]

OVERASKING_COLUMNS = [
    "area",
    "quarter",
    "research",
    "story_moments",
    "total",
    "threshold",
    "flagged",
]
MOMENT_COLUMNS = ["area", "quarter", "kind", "what"]
_STORY_COLUMNS = ("id", "date", "area", "channel")


def _quarter_index(day: dt.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def _quarter_label(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def _areas(area: str, agenda: Agenda) -> tuple[str, ...]:
    return tuple(agenda.area_groups.get(area, (area,)))


def _research_file(agenda: Agenda) -> str:
    return display_name(agenda.directory / RESEARCH_FILE)


def _placed_research(agenda: Agenda) -> Iterator[tuple[str, str, str]]:
    """``(area, quarter, research id)`` per resident-facing activity and quarter."""
    for r in agenda.research.itertuples():
        if not r.resident_facing or r.start_date is None:
            continue
        first = _quarter_index(r.start_date)
        last = _quarter_index(r.end_date) if r.end_date is not None else first
        for area in dict.fromkeys(a for listed in r.areas for a in _areas(listed, agenda)):
            for index in range(first, last + 1):
                yield area, _quarter_label(index), r.id


def _placement_warnings(agenda: Agenda) -> list[Finding]:
    out = []
    file = _research_file(agenda)
    for r in agenda.research.itertuples():
        if not r.resident_facing:
            continue
        if r.start_date is None:
            out.append(
                Finding(
                    "warning",
                    file,
                    f"onderzoek '{r.id}': startdatum onbekend; het telt niet mee in de "
                    "overvragingscontrole. Vul 'start' in (JJJJ-MM-DD, JJJJ-MM of JJJJ).",
                    column="start",
                )
            )
        elif r.end_date is None:
            quarter = _quarter_label(_quarter_index(r.start_date))
            out.append(
                Finding(
                    "warning",
                    file,
                    f"onderzoek '{r.id}': einddatum onbekend; het telt alleen mee in het "
                    f"startkwartaal {quarter}. Vul 'end' in zodra die bekend is.",
                    column="end",
                    year=r.start_date.year,
                )
            )
    return out


def asking_moments(agenda: Agenda, stories: pd.DataFrame | None) -> pd.DataFrame:
    """Every moment residents were or will be asked, per area and quarter.

    Parameters
    ----------
    agenda : Agenda
        The research register.
    stories : DataFrame or None
        Stories with at least ``id, date, area, channel``
        (:meth:`~npdw_learning.vertellen.stories.StoryCollection.frame`); ``None`` for none.

    Returns
    -------
    DataFrame
        :data:`MOMENT_COLUMNS`: ``area, quarter`` (``2025Q3``), ``kind``
        (``research`` or ``story_moment``) and ``what`` (the research id, or
        ``date channel`` of a story moment); one row per distinct moment.

    Examples
    --------
    >>> import pandas as pd
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> stories = pd.DataFrame({"id": ["a", "b"], "date": ["2025-07-03"] * 2,
    ...                         "area": ["wielwijk"] * 2, "channel": ["buurtbakkie"] * 2})
    >>> m = asking_moments(agenda_in(folder), stories)
    >>> len(m[(m["kind"] == "story_moment") & (m["area"] == "wielwijk")])
    1
    """
    rows = [
        {"area": area, "quarter": quarter, "kind": "research", "what": rid}
        for area, quarter, rid in _placed_research(agenda)
    ]
    if stories is not None and len(stories):
        missing = [c for c in _STORY_COLUMNS if c not in stories.columns]
        if missing:
            raise ValueError(f"stories mist de kolom(men) {missing}")
        dates = pd.to_datetime(stories["date"], errors="coerce")
        for day, area, channel in zip(dates, stories["area"], stories["channel"], strict=True):
            if pd.isna(day) or not isinstance(area, str):
                continue
            quarter = _quarter_label(_quarter_index(day.date()))
            what = f"{day.date().isoformat()} {channel}"
            rows += [
                {"area": a, "quarter": quarter, "kind": "story_moment", "what": what}
                for a in _areas(area, agenda)
            ]
    moments = pd.DataFrame(rows, columns=MOMENT_COLUMNS).drop_duplicates()
    return _sorted(moments, agenda, ["kind", "what"])


def _sorted(frame: pd.DataFrame, agenda: Agenda, more: list[str]) -> pd.DataFrame:
    # Registry order (neighbourhoods first), areas the registry does not know last.
    known = list(agenda.area_labels)
    rank = {a: i for i, a in enumerate(known + sorted(set(frame["area"]) - set(known)))}
    return frame.sort_values(
        ["area", "quarter", *more],
        key=lambda s: s.map(rank) if s.name == "area" else s,
        kind="stable",
    ).reset_index(drop=True)


def overasking(
    agenda: Agenda, stories: pd.DataFrame | None, *, threshold: int | None = None
) -> pd.DataFrame:
    """Count the asking moments per area and quarter and flag the busy ones.

    Parameters
    ----------
    agenda : Agenda
        The research register (see the module text for what counts).
    stories : DataFrame or None
        Stories with ``id, date, area, channel``; ``None`` counts research only.
    threshold : int, optional
        Default: ``settings.overasking_threshold`` of the register.

    Returns
    -------
    DataFrame
        :data:`OVERASKING_COLUMNS`: ``area, quarter, research`` (activities),
        ``story_moments``, ``total``, ``threshold``, ``flagged``
        (``total > threshold``). One row per area and quarter with at least one
        moment, areas in registry order, then by quarter.

    Examples
    --------
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> table = overasking(agenda_in(folder), None, threshold=0)
    >>> bool((table["flagged"] == (table["total"] > 0)).all())
    True
    """
    threshold = agenda.overasking_threshold if threshold is None else int(threshold)
    moments = asking_moments(agenda, stories)
    counts = (
        moments.groupby(["area", "quarter", "kind"]).size().unstack("kind", fill_value=0)
        if len(moments)
        else pd.DataFrame()
    )
    table = pd.DataFrame(
        {
            "area": [a for a, _ in counts.index],
            "quarter": [q for _, q in counts.index],
            "research": counts.get("research", pd.Series(0, index=counts.index)).to_numpy(),
            "story_moments": counts.get(
                "story_moment", pd.Series(0, index=counts.index)
            ).to_numpy(),
        },
        columns=["area", "quarter", "research", "story_moments"],
    )
    table["research"] = table["research"].astype("int64")
    table["story_moments"] = table["story_moments"].astype("int64")
    table["total"] = table["research"] + table["story_moments"]
    table["threshold"] = threshold
    table["flagged"] = table["total"] > threshold
    return _sorted(table[OVERASKING_COLUMNS], agenda, [])


def overasking_findings(
    agenda: Agenda, stories: pd.DataFrame | None, *, threshold: int | None = None
) -> list[Finding]:
    """The over-asking check as warnings, for the command line and the report.

    Returns
    -------
    list of Finding
        First a warning per resident-facing activity that cannot be placed
        (unknown start) or is placed in its start quarter only (unknown end);
        then one per flagged area and quarter naming the area, the quarter,
        the counts and what was counted (research ids, story moments).

    Examples
    --------
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> all(f.severity == "warning" for f in overasking_findings(agenda_in(folder), None))
    True
    """
    threshold = agenda.overasking_threshold if threshold is None else int(threshold)
    out = _placement_warnings(agenda)
    table = overasking(agenda, stories, threshold=threshold)
    moments = asking_moments(agenda, stories)
    file = _research_file(agenda)
    for row in table[table["flagged"]].itertuples():
        here = moments[(moments["area"] == row.area) & (moments["quarter"] == row.quarter)]
        research = ", ".join(here.loc[here["kind"] == "research", "what"])
        told = ", ".join(here.loc[here["kind"] == "story_moment", "what"])
        parts = []
        if row.research:
            parts.append(f"{row.research} onderzoek(en) ({research})")
        if row.story_moments:
            parts.append(f"{row.story_moments} verhaalmoment(en) ({told})")
        label = agenda.area_labels.get(row.area, row.area)
        out.append(
            Finding(
                "warning",
                file,
                f"{label} {row.quarter}: bewoners worden {row.total} keer gevraagd, meer dan "
                f"de drempel van {threshold}: {' en '.join(parts)}",
                area=row.area,
                year=int(row.quarter[:4]),
            )
        )
    return out
