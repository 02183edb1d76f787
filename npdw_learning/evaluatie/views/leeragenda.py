"""The chapter ``leeragenda``: questions, research and over-asking, lessons, efforts,
the network and its gaps, and the questions proposed this year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ...kern.programme import ProgrammeFolder as _AT  # on the class: paths as messages name them
from ..labels import EFFORT_STATUS_NL, EVIDENCE_NL, QUESTION_STATUS_NL, STORIES_NL
from ..report import show_figure, show_markdown, show_table
from .samen import numbers_in_words

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


def _empty_note(heading: str, what: str, file: object) -> str:
    """A part of the agenda with nothing in it yet: its heading and where to fill it in."""
    return f"#### {heading}\n\n" + _EMPTY_NL.format(what=what, file=f"data/{file}")


def _show_questions(run: Run, step: LeeragendaStep, section: str) -> None:
    q = step.questions
    if q.empty:
        show_markdown(
            _empty_note("Leervragen", "leervragen", _AT.learning_questions_file),
            section,
        )
    else:
        counts = q["status"].map(QUESTION_STATUS_NL).value_counts()
        found = step.evidence["evidence"].map(EVIDENCE_NL).value_counts()
        show_markdown(
            "#### Leervragen\n\n"
            f"De leeragenda heeft {len(q)} leervragen: "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
            + ". Per pijler hieronder wat de cijfers en verhalen van dit jaar over elke vraag "
            "zeggen, met een voorstel voor de volgende stap. Bewijs: "
            + ", ".join(f"{n} {s}" for s, n in found.items())
            + " (*uiteenlopend*: cijfers en verhalen spreken elkaar tegen, of de een toont een "
            "richting die de ander niet toont). De cijfers zijn per reeks (indicator x wijk) "
            "de lezing uit het statusoverzicht, de verhalen die met een thema van de vraag, "
            "zoals bij de doelen in de pijlerhoofdstukken. Het citaat per vraag (in de bijlage) "
            "komt alleen uit zinnen die de verteller liet citeren. De volgende stap is een "
            "voorstel; de leersessie beslist. Elke lezing staat in "
            "`tables/leervragen_bewijs.csv`.",
            section,
        )
        _show_evidence(run, step, section)
        _show_evidence_details(step, section)
    if len(step.proposals):
        show_markdown(
            "#### Voorgesteld uit deze evaluatie\n\nBij deze doelen spraken cijfers en verhalen "
            "elkaar tegen (zie de pijlerhoofdstukken). Het programmateam beslist of ze op de "
            "leeragenda komen.\n\n{questions}",
            section,
            questions=list(step.proposals["question"]),
        )


OVERARCHING_NL = "Overkoepelende vragen (alle pijlers)"


def _by_pillar(run: Run, evidence: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The questions grouped by their first pillar, in the registry's order; a question
    of every pillar goes to the overarching group at the end."""
    reg = run.registry
    every = set(reg.pillars["id"])
    pillars = evidence["pillars"].map(lambda v: [p for p in str(v).split(";") if p])
    home = pillars.map(lambda ps: "" if set(ps) >= every or not ps else ps[0])
    groups = [
        (label, evidence[home == pid])
        for pid, label in zip(reg.pillars["id"], reg.pillars["label"], strict=True)
    ]
    groups.append((OVERARCHING_NL, evidence[home == ""]))
    return [(label, rows) for label, rows in groups if len(rows)]


def _stories_in_words(n: object, direction: str) -> str:
    """``12 verhalen, vooral beter``; a hidden small count (``<5``) as such."""
    if str(n) == "0":
        return "geen verhalen"
    return f"{n} verhalen, {STORIES_NL[direction]}"


def _research_in_words(states: object) -> str:
    """``1 lopend, 2 gepland`` from ``id=status;...``, or ``geen``."""
    listed = [p.split("=", 1)[1] for p in str(states).split(";") if "=" in p]
    if not listed:
        return "geen"
    return ", ".join(f"{listed.count(s)} {s}" for s in dict.fromkeys(listed))


def _show_evidence(run: Run, step: LeeragendaStep, section: str) -> None:
    """One compact block per question, grouped by pillar: the question, its evidence
    label and status, the numbers and stories in short, its research and next step."""
    from ..evidence import publishable_evidence
    from ..joint import numbers_summary

    shown = publishable_evidence(step.evidence)
    series = step.evidence_series
    owners = dict(zip(step.questions["id"], step.questions["owner"], strict=True))
    for label, rows in _by_pillar(run, shown):
        parts, values = ["##### {pillar}"], {"pillar": label}
        for i, row in enumerate(rows.itertuples(index=False)):
            parts.append(
                f"**{{id{i}}}** {{text{i}}} *({{status{i}}}; eigenaar: {{owner{i}}}; "
                f"onderzoek: {{research{i}}})*  \n"
                f"**{{label{i}}}**: cijfers {{numbers{i}}}; {{stories{i}}}.  \n"
                f"*Volgende stap*: {{step{i}}}."
            )
            values |= {
                f"id{i}": row.question,
                f"text{i}": row.text,
                f"label{i}": EVIDENCE_NL[row.evidence],
                f"status{i}": QUESTION_STATUS_NL.get(row.status, row.status),
                f"owner{i}": owners.get(row.question, "–"),
                f"numbers{i}": numbers_in_words(
                    row, numbers_summary(series[series["question"] == row.question])["readings"]
                ),
                f"stories{i}": _stories_in_words(row.stories, row.stories_direction),
                f"research{i}": _research_in_words(row.research_status),
                f"step{i}": row.next_step,
            }
        show_markdown("\n\n".join(parts), section, **values)


def _show_evidence_details(step: LeeragendaStep, section: str) -> None:
    """The long parts of each question, to the appendix: its research by title and state,
    and a quote. Every reading per series is in ``leervragen_bewijs.csv``."""
    e = step.evidence
    research = step.agenda.research  # a question may name research in another area
    titles = dict(zip(research["id"], research["title"], strict=True))
    studied = [
        "; ".join(
            f"{titles.get(r, r)} ({status})"
            for r, status in (p.split("=", 1) for p in str(v).split(";") if "=" in p)
        )
        or "–"
        for v in e["research_status"]
    ]
    show_table(
        e.assign(research=studied, quote=e["quote"].fillna("–")),
        section,
        caption="Per leervraag: het onderzoek en een citaat",
        columns={"question": "Nr.", "research": "Onderzoek", "quote": "Een stem uit de wijk"},
        appendix="Leervragen: onderzoek en een citaat",
        csv="leervragen_bewijs.csv",
    )


def _show_research(run: Run, step: LeeragendaStep, section: str) -> None:
    areas = run.registry.area_labels()
    r = step.research
    flagged = step.overasking[step.overasking["flagged"].astype(bool)]
    threshold = step.agenda.overasking_threshold
    if r.empty:
        show_markdown(
            _empty_note(
                "Onderzoeksagenda en overvragen", "onderzoeksactiviteiten", _AT.research_file
            )
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
            _empty_note("Geleerde lessen", "lessen", _AT.lessons_file),
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
            _empty_note("Uitvoering: de inspanningen", "inspanningen", _AT.efforts_file),
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
