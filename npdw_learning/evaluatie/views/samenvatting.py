"""The chapter ``samenvatting``: the status matrix and the summary sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...tellen.trends import MIN_POINTS
from ..report import show_figure, show_markdown
from ..status import MATRIX_COLOURS, matrix_alt
from ..summary import summary_sentences

if TYPE_CHECKING:
    from ..steps import JointStep, Run

__all__ = ["show_summary"]


def show_summary(run: Run, step: JointStep) -> None:
    """The Samenvatting: the status matrix (:mod:`.status`) and, under it, five to eight
    sentences from the tables (:mod:`.summary`)."""
    reg = run.registry
    section = "samenvatting"
    columns = [*run.areas, reg.aggregate_id]
    labels = reg.area_labels()
    compared = bool(len(step.matrix)) and (step.matrix["reading"] == "comparison").any()
    first = "de vergelijking met vergelijkbare wijken waar die er is, anders " if compared else ""
    if step.matrix_figure is not None:
        show_figure(
            step.matrix_figure,
            section,
            alt=matrix_alt(step.matrix, reg.pillars, labels, columns)
            + " Het oordeel van elk vak staat voluit in de tabellen 'Trend en voortgang per "
            "indicator en wijk' in de bijlage, en in tables/statusoverzicht.csv.",
            caption=(
                "Elk vak is één reeks (indicator x gebied) met één lezing: "
                f"{first}de voortgang naar het doel voor 2043 waar die te beoordelen is, "
                "anders de trend (vanaf "
                f"{MIN_POINTS} metingen), anders de verandering sinds de nulmeting, anders de "
                "afbuiging na de start. Namen zijn ingekort; voluit in de bijlage en in "
                "tables/statusoverzicht.csv."
            ),
            colours=MATRIX_COLOURS,
        )
    sentences = summary_sentences(
        step.matrix,
        step.joint,
        pillars=reg.pillars,
        area_labels=labels,
        neighbourhoods=run.areas,
        aggregate=reg.aggregate_id,
        stories=getattr(step, "stories", None),
    )
    show_markdown("{sentences}", section, sentences=sentences)
