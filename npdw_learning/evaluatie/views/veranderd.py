"""The chapter ``veranderd``: what changed since last year's evaluation (:mod:`..vorigjaar`).

It opens with the counts per kind of change and the few changes that matter
most (cells of the status matrix that turned from the right way to the wrong
way or back, learning questions and efforts whose status changed, new
lessons); the whole list goes to the appendix and to
``tables/veranderd_sinds_vorig_jaar.csv``. Everything read from the earlier
folder enters as a value (literal text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..labels import EFFORT_STATUS_NL, EVIDENCE_NL, QUESTION_STATUS_NL
from ..report import show_markdown, show_table
from ..status import GRADE_NL
from ..vorigjaar import CHANGES, KIND_NL, cell_grade

if TYPE_CHECKING:
    from ..steps import Run
    from ..vorigjaar import ChangesStep

__all__ = ["show_changes"]

SECTION = "veranderd"
MAX_HIGHLIGHTS = 8
_KIND_SHORT = {
    "cell": "statusoverzicht",
    "question_status": "status leervraag",
    "question_evidence": "bewijs leervraag",
    "lesson_new": "nieuwe les",
    "lesson_changed": "veranderde les",
    "effort_status": "status inspanning",
    "theme_stories": "verhalen per thema",
}


def _cell_label(value: str) -> str:
    """``reading:outcome`` as the matrix's label; an unknown value (an older tool's) as is."""
    from ..status import CELL_STYLES

    reading, _, outcome = value.partition(":")
    style = CELL_STYLES.get((reading, outcome))
    return style.label if style is not None else value


def _turned(changes: pd.DataFrame, sign: int) -> pd.DataFrame:
    """The cells that turned from the other side of the scale to ``sign`` (1 or -1), the
    darkest first (to the wrong way before to too slow)."""
    cells = changes[changes["kind"] == "cell"]
    before = cells["before"].map(cell_grade)
    after = cells["after"].map(cell_grade)
    keep = [
        b is not None and a is not None and b * sign < 0 and a * sign > 0
        for b, a in zip(before, after, strict=True)
    ]
    turned = cells[keep]
    # The darkest first, and among equals the largest step (on track to too slow before
    # moderate to too slow).
    order = sorted(
        range(len(turned)),
        key=lambda i: (
            -sign * cell_grade(turned["after"].iloc[i]),
            -abs(cell_grade(turned["after"].iloc[i]) - cell_grade(turned["before"].iloc[i])),
        ),
    )
    return turned.iloc[order]


def highlights(changes: pd.DataFrame, indicators: dict[str, str], areas: dict[str, str]) -> list:
    """At most :data:`MAX_HIGHLIGHTS` sentences on the changes that matter most, most
    important first: cells turned the wrong way, cells turned the right way, learning
    questions, efforts, new lessons. Ids unknown to this registry stay as they are."""
    out = []
    for sign in (-1, 1):
        for row in _turned(changes, sign).itertuples(index=False):
            out.append(
                f"{indicators.get(row.id, row.id)} in {areas.get(row.area, row.area)}: van "
                f"'{_cell_label(row.before)}' naar '{_cell_label(row.after)}' "
                f"({GRADE_NL[cell_grade(row.after)]})."
            )
    named = (
        ("question_status", "Leervraag", QUESTION_STATUS_NL),
        ("question_evidence", "Bewijs bij leervraag", EVIDENCE_NL),
        ("effort_status", "Inspanning", EFFORT_STATUS_NL),
    )
    for kind, what, words in named:
        for row in changes[changes["kind"] == kind].itertuples(index=False):
            was, now = words.get(row.before, row.before), words.get(row.after, row.after)
            out.append(f"{what} {row.id}: van '{was}' naar '{now}'.")
    for row in changes[changes["kind"] == "lesson_new"].itertuples(index=False):
        out.append(f"Nieuwe les {row.id}: {row.after[:160]}")
    return out[:MAX_HIGHLIGHTS]


def show_changes(run: Run, step: ChangesStep) -> None:
    """The chapter, when the run was compared with an earlier one (``step.previous``)."""
    if step.previous is None:
        return
    reg = run.registry
    counts = step.comparison.counts()
    total = sum(counts.values())
    lines = [f"{n} {KIND_NL[kind]}" for kind, n in counts.items() if n]
    found = (
        "Wat er veranderde:\n\n{counts}"
        if total
        else "In de vergeleken tabellen is niets veranderd."
    )
    show_markdown(
        "Deze evaluatie is vergeleken met die van {year} (in {folder}). " + found,
        SECTION,
        year=step.previous.year,
        folder=str(step.previous.folder),
        counts=lines,
    )
    indicators = dict(zip(reg.indicators["id"], reg.indicators["label"], strict=True))
    top = highlights(step.comparison.changes, indicators, reg.area_labels())
    if top:
        show_markdown("#### Wat het meest telt\n\n{top}", SECTION, top=top)
    if step.notes:
        show_markdown("#### Niet (helemaal) vergeleken\n\n{notes}", SECTION, notes=step.notes)
    if total:
        shown = step.comparison.changes.assign(
            kind=step.comparison.changes["kind"].map(lambda k: _KIND_SHORT.get(k, k))
        )
        show_table(
            shown,
            SECTION,
            columns={
                "kind": "Soort",
                "id": "Wat",
                "area": "Gebied",
                "before": f"In {step.previous.year}",
                "after": f"In {run.year}",
            },
            appendix=f"Alles wat veranderde sinds de evaluatie van {step.previous.year}",
            csv=f"{CHANGES}.csv",
        )
