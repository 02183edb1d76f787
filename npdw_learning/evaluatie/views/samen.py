"""Pillar chapters, part ``samen``: numbers and stories per goal, side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ..labels import META_NL, NUMBERS_NL, PROGRESS_NL, STORIES_NL
from ..report import show_markdown, show_table
from ..status import READING_NL

if TYPE_CHECKING:
    from ..steps import JointStep, Run

__all__ = ["show_joint"]


def numbers_in_words(row: Any, readings: str | None = None) -> str:
    """The direction of the numbers with its series and the readings it rests on, e.g.
    ``verbetering (2 beter, 1 gelijk; lezing: trend 1, verandering 2)``.

    ``row`` has ``numbers_direction, series, improving, worsening, no_trend`` and
    ``readings`` (:func:`~npdw_learning.evaluatie.joint.reading_counts`), or ``readings``
    is given.
    """
    if row.series == 0:
        return NUMBERS_NL[row.numbers_direction]
    counts = [
        f"{n} {word}"
        for n, word in (
            (row.improving, "beter"),
            (row.worsening, "slechter"),
            (row.no_trend, "gelijk"),
        )
        if n
    ]
    counted = row.readings if readings is None else readings
    pairs = (part.split("=") for part in str(counted).split(";") if part)
    # each reading by the first word of its name: voortgang, trend, verandering, afbuiging
    readings = ", ".join(f"{READING_NL[r].split()[0].lower()} {n}" for r, n in pairs)
    return f"{NUMBERS_NL[row.numbers_direction]} ({', '.join(counts)}; lezing: {readings})"


def _progress_cell(row: Any) -> str:
    parts = [
        f"{getattr(row, f'n_{s}')} {PROGRESS_NL[s]}"
        for s in PROGRESS_NL
        if s != "not_assessable" and getattr(row, f"n_{s}")
    ]
    return ", ".join(parts) if parts else "niet te beoordelen"


def _stories_cell(row: Any) -> str:
    if row.stories == 0:
        return "geen verhalen"
    return f"{row.stories} verhalen, {STORIES_NL[row.stories_direction]}"


def show_joint(run: Run, step: JointStep) -> None:
    """Per pillar: the joint display of its goals, and the discordances as questions."""
    reg = run.registry
    for pillar in reg.pillars.itertuples(index=False):
        section = f"pijler:{pillar.id}:samen"
        mine = step.shown[step.shown["pillar"] == pillar.id]
        rows = list(mine.itertuples(index=False))
        table = pd.DataFrame(
            {
                "Doel": mine["label"],
                "Richting in de cijfers": [numbers_in_words(r) for r in rows],
                "Voortgang naar 2043": [_progress_cell(r) for r in rows],
                "Verhalen": [_stories_cell(r) for r in rows],
                "Thema's": [
                    ", ".join(step.theme_labels.get(t, t) for t in str(r.themes).split(";") if t)
                    or "–"
                    for r in rows
                ],
                "Samen": mine["meta_inference"].map(META_NL),
                "Een stem uit de wijk": mine["quote"].fillna("–"),
            }
        )
        show_table(table, section, caption="Cijfers en verhalen per operationeel doel")
        asked = step.proposals[step.proposals["pillar"] == pillar.id]
        if len(asked):
            show_markdown(
                "**Voorgestelde leervragen** (cijfers en verhalen spreken elkaar tegen):"
                "\n\n{questions}",
                section,
                questions=list(asked["question"]),
            )
