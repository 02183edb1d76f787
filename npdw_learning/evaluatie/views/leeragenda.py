"""The chapter ``leeragenda``: questions, research and over-asking, lessons, efforts,
the network and its gaps, and the questions proposed this year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ...kern.programme import ProgrammeFolder as _AT  # on the class: paths as messages name them
from ..labels import EFFORT_STATUS_NL, QUESTION_STATUS_NL
from ..report import show_figure, show_markdown, show_table

if TYPE_CHECKING:
    from ..steps import LeeragendaStep, Run

__all__ = ["show_leeragenda"]

# Palette size of the embedded network figure (report.embedded_png): lines, bands and text
# look the same with fewer colours, in a third fewer bytes.
NETWORK_COLOURS = 32


def _listed(values: object, labels: Mapping[str, str] | None = None) -> str:
    if not isinstance(values, list | tuple) or not values:
        return "–"
    labels = labels or {}
    return ", ".join(labels.get(v, str(v)) for v in values)


def show_leeragenda(run: Run, step: LeeragendaStep) -> None:
    """The chapter 'Leeragenda': questions, research and over-asking, lessons,
    efforts, the network and its gaps, and the questions proposed this year.

    Each part that is still empty says so, and where to fill it in.
    """
    from ..report import chapter

    section = "leeragenda"
    chapter(section, "Leeragenda en uitvoering")
    _show_questions(run, step, section)
    _show_research(run, step, section)
    _show_lessons(step, section)
    _show_efforts(run, step, section)
    _show_network(step, section)


_EMPTY_NL = (
    "Nog leeg: er staan nog geen {what} in `{file}`. Vul ze daar in (de velden staan in "
    "`data/README.md`) en controleer ze met `npdw agenda check`."
)


def _show_questions(run: Run, step: LeeragendaStep, section: str) -> None:
    q = step.questions
    if q.empty:
        show_markdown(
            "#### Leervragen\n\n"
            + _EMPTY_NL.format(what="leervragen", file=f"data/{_AT.learning_questions_file}"),
            section,
        )
    else:
        counts = q["status"].map(QUESTION_STATUS_NL).value_counts()
        show_markdown(
            "#### Leervragen\n\n"
            f"De leeragenda heeft {len(q)} leervragen: "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
            + ". Bij elke vraag staat welk onderzoek haar beantwoordt.",
            section,
        )
        _show_question_table(run, step, section)
    if len(step.proposals):
        show_markdown(
            "#### Voorgesteld uit deze evaluatie\n\nBij deze doelen spraken cijfers en verhalen "
            "elkaar tegen (zie de pijlerhoofdstukken). Het programmateam beslist of ze op de "
            "leeragenda komen.\n\n{questions}",
            section,
            questions=list(step.proposals["question"]),
        )


def _show_question_table(run: Run, step: LeeragendaStep, section: str) -> None:
    """The learning questions with their pillars and the research that answers them."""
    reg = run.registry
    pillars = dict(zip(reg.pillars["id"], reg.pillars["label"], strict=True))
    everything = step.agenda.research  # a question may name research in another area
    research_titles = dict(zip(everything["id"], everything["title"], strict=True))
    q = step.questions
    show_table(
        q.assign(
            pillars=q["pillars"].map(lambda v: _listed(v, pillars)),
            research=q["research"].map(lambda v: _listed(v, research_titles)),
            status=q["status"].map(QUESTION_STATUS_NL),
        ),
        section,
        caption="De leervragen, met het onderzoek dat ze beantwoordt",
        columns={
            "id": "Nr.",
            "question": "Leervraag",
            "pillars": "Pijlers",
            "research": "Onderzoek",
            "owner": "Eigenaar",
            "status": "Status",
        },
    )


def _show_research(run: Run, step: LeeragendaStep, section: str) -> None:
    areas = run.registry.area_labels()
    r = step.research
    flagged = step.overasking[step.overasking["flagged"].astype(bool)]
    threshold = step.agenda.overasking_threshold
    if r.empty:
        show_markdown(
            "#### Onderzoeksagenda en overvragen\n\n"
            + _EMPTY_NL.format(what="onderzoeksactiviteiten", file=f"data/{_AT.research_file}")
            + f" Overvragen telt dan alleen de verhaalmomenten (drempel: {threshold} per wijk "
            f"per kwartaal; {len(flagged)} keer overschreden).",
            section,
        )
    else:
        show_markdown(
            "#### Onderzoeksagenda en overvragen\n\n"
            f"{len(r)} onderzoeksactiviteiten, waarvan {int(r['resident_facing'].sum())} "
            "bewoners zelf bevragen of laten meedoen. Het programma wil voorkomen dat bewoners "
            "te vaak om hun mening of verhaal worden gevraagd. Daarom tellen we per wijk en "
            "kwartaal de lopende onderzoeken onder bewoners en de momenten waarop verhalen zijn "
            f"opgehaald. Boven de {threshold} per kwartaal markeren we het kwartaal "
            f"({len(flagged)} keer in deze periode).",
            section,
        )
        _show_research_table(run, r, section)
    if len(flagged):
        _show_overasked(flagged, areas, threshold, section)


def _show_research_table(run: Run, r: pd.DataFrame, section: str) -> None:
    """The research activities, each with its areas and its dates."""
    areas = run.registry.area_labels()
    show_table(
        r.assign(
            areas=r["areas"].map(lambda v: _listed(v, areas)),
            start=r["start"].fillna("onbekend"),
            end=r["end"].fillna("onbekend"),
        ),
        section,
        columns={
            "title": "Onderzoek",
            "partner": "Partner",
            "method": "Methode",
            "areas": "Wijken",
            "start": "Start",
            "end": "Einde",
            "status": "Status",
        },
        caption=(
            "De onderzoeksactiviteiten in de gekozen wijken"
            if run.is_selection
            else "Alle onderzoeksactiviteiten van de leeragenda"
        ),
        appendix="Onderzoeksagenda: "
        + ("de gekozen wijken" if run.is_selection else "alle onderzoeksactiviteiten"),
        csv="onderzoek.csv",
    )


def _show_overasked(
    flagged: pd.DataFrame, areas: Mapping[str, str], threshold: int, section: str
) -> None:
    """The quarters in which residents were asked more often than the threshold."""
    show_table(
        flagged.assign(area=flagged["area"].map(lambda a: areas.get(a, a))),
        section,
        caption=f"Kwartalen waarin bewoners vaker dan {threshold} keer werden gevraagd",
        columns={
            "area": "Wijk",
            "quarter": "Kwartaal",
            "research": "Onderzoeken",
            "story_moments": "Verhaalmomenten",
            "total": "Totaal",
        },
    )


def _show_lessons(step: LeeragendaStep, section: str) -> None:
    les = step.lessons
    if les.empty:
        show_markdown(
            "#### Geleerde lessen\n\n"
            + _EMPTY_NL.format(what="lessen", file=f"data/{_AT.lessons_file}"),
            section,
        )
        return
    effort_labels = dict(zip(step.efforts["id"], step.efforts["label"], strict=True))
    show_markdown(
        "#### Geleerde lessen\n\nWat het programma uit eerder werk heeft geleerd, en in welke "
        "inspanningen die les is toegepast.",
        section,
    )
    show_table(
        les.assign(applied_in=les["applied_in"].map(lambda v: _listed(v, effort_labels))),
        section,
        caption="Geleerde lessen en waar ze zijn toegepast",
        columns={"lesson": "Les", "applied_in": "Toegepast in", "status": "Status"},
    )


def _show_efforts(run: Run, step: LeeragendaStep, section: str) -> None:
    e = step.efforts
    if e.empty:
        show_markdown(
            "#### Uitvoering: de inspanningen\n\n"
            + _EMPTY_NL.format(what="inspanningen", file=f"data/{_AT.efforts_file}"),
            section,
        )
        return
    pillars = dict(zip(run.registry.pillars["id"], run.registry.pillars["label"], strict=True))
    year = step.year if step.year is not None else "–"
    status = pd.crosstab(e["pillar"].map(pillars), e["status"].map(EFFORT_STATUS_NL))
    status = status.reindex(index=list(pillars.values()), fill_value=0)
    show_markdown(
        "#### Uitvoering: de inspanningen\n\n"
        f"Het programma heeft {len(e)} inspanningen. Hieronder hun status in "
        f"{year}, het laatste jaar waarvoor een status is vastgelegd. *Niet vastgelegd* "
        "betekent dat er voor dat jaar nog niets over bekend is, niet dat er niets gebeurt.",
        section,
    )
    show_table(
        status.reset_index().rename(columns={"pillar": "Pijler"}),
        section,
        caption=f"Inspanningen per pijler naar hun status in {year}",
    )


def _show_network(step: LeeragendaStep, section: str) -> None:
    show_markdown(
        "#### Het doelen-inspanningennetwerk\n\nHoe inspanningen, doelen, indicatoren, "
        "verhaalthema's, leervragen en onderzoek met elkaar verbonden zijn. Open symbolen zijn "
        "gaten: een doel zonder indicator, een inspanning zonder leervraag, een leervraag "
        "zonder onderzoek.",
        section,
    )
    show_figure(
        step.network_figure,
        section,
        alt=(
            "Netwerkdiagram: inspanningen, doelen, indicatoren, verhaalthema's, leervragen en "
            "onderzoek als punten, met lijnen waar ze met elkaar verbonden zijn; open symbolen "
            f"zijn de {len(step.coverage)} gaten in de dekking. Die staan met hun aantal in "
            "de tabel 'Gaten in de dekking' hieronder, en alle in tables/dekking.csv."
        ),
        landscape=True,
        colours=NETWORK_COLOURS,
    )
    gaps = step.coverage
    summary = gaps.groupby("gap", sort=False)["id"].apply(lambda s: ", ".join(s)).reset_index()
    summary.insert(1, "aantal", gaps.groupby("gap", sort=False).size().to_numpy())
    show_markdown(
        "#### Wat we nog niet weten\n\nDe gaten in de dekking: doelen die nog niet gemeten "
        "worden of waar geen verhalen over zijn, inspanningen zonder leervraag, leervragen "
        "zonder onderzoek. Alle gaten staan in `tables/dekking.csv`.",
        section,
    )
    show_table(
        summary,
        section,
        caption="Gaten in de dekking",
        columns={"gap": "Gat", "aantal": "Aantal", "id": "Welke"},
    )
