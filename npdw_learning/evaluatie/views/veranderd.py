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

from ..labels import CHANGE_KIND_NL, CHANGE_KIND_SHORT_NL
from ..report import show_markdown, show_table
from ..status import GRADE_NL
from ..vorigjaar import CHANGES, cell_grade, value_label

if TYPE_CHECKING:
    from ..steps import Run
    from ..vorigjaar import ChangesStep

__all__ = ["show_changes"]

SECTION = "veranderd"
MAX_HIGHLIGHTS = 8


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
                f"'{value_label('cell', row.before)}' naar '{value_label('cell', row.after)}' "
                f"({GRADE_NL[cell_grade(row.after)]})."
            )
    named = (
        ("question_status", "Leervraag"),
        ("question_evidence", "Bewijs bij leervraag"),
        ("effort_status", "Inspanning"),
    )
    for kind, what in named:
        for row in changes[changes["kind"] == kind].itertuples(index=False):
            was, now = value_label(kind, row.before), value_label(kind, row.after)
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
    lines = [f"{n} {CHANGE_KIND_NL[kind]}" for kind, n in counts.items() if n]
    found = (
        "Wat er veranderde:\n\n{counts}"
        if total
        else "In de vergeleken tabellen is niets veranderd."
    )
    show_markdown(
        "Deze evaluatie is vergeleken met die van {year} (map {folder}; het volledige pad "
        "staat in `manifest.json`). " + found,
        SECTION,
        year=step.previous.year,
        folder=step.previous.folder.name,
        counts=lines,
    )
    indicators = dict(zip(reg.indicators["id"], reg.indicators["label"], strict=True))
    top = highlights(step.comparison.changes, indicators, reg.area_labels())
    if top:
        show_markdown("#### Wat het meest telt\n\n{top}", SECTION, top=top)
    if step.notes:
        show_markdown("#### Niet (helemaal) vergeleken\n\n{notes}", SECTION, notes=step.notes)
    if total:
        changes = step.comparison.changes
        shown = changes.assign(
            kind=changes["kind"].map(lambda k: CHANGE_KIND_SHORT_NL.get(k, k)),
            before=[
                value_label(k, v) for k, v in zip(changes["kind"], changes["before"], strict=True)
            ],
            after=[
                value_label(k, v) for k, v in zip(changes["kind"], changes["after"], strict=True)
            ],
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
