"""What the evaluation notebooks show, in Dutch, section by section of the report.

Each ``show_*`` function takes the result of a step of
:mod:`npdw_learning.evaluate` and shows tables, figures and short texts
through :mod:`npdw_learning.report`, each in its place in the report. The
notebooks call one function per part, so their prose can sit right above it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .analysis import CHANGES, TOTAL, suppress
from .report import show_figure, show_markdown, show_table

__all__ = [
    "STATUS_NL",
    "VERDICT_NL",
    "META_NL",
    "show_tellen",
    "show_data_quality",
    "show_vertellen",
    "show_vertellen_per_pillar",
    "show_joint",
    "show_summary",
    "synthetic_note",
]

STATUS_NL = {
    "target_reached": "doel bereikt",
    "on_track": "op koers",
    "moderate_progress": "matige voortgang",
    "insufficient_progress": "onvoldoende voortgang",
    "moving_away": "van het doel af",
    "not_assessable": "niet te beoordelen",
}
VERDICT_NL = {
    "improving": "verbetert",
    "worsening": "verslechtert",
    "no_significant_trend": "geen duidelijke trend",
    "insufficient_data": "te weinig metingen",
}
META_NL = {
    "convergent": "eensgezind: cijfers en verhalen wijzen dezelfde kant op",
    "expansion": "aanvullend: de verhalen laten iets anders zien dan de cijfers",
    "discordant": "tegenstrijdig: cijfers en verhalen wijzen tegengestelde kanten op",
    "numbers_only": "alleen cijfers, nog geen verhalen",
    "stories_only": "alleen verhalen, nog geen beoordeelbare cijfers",
    "no_evidence": "nog geen cijfers en geen verhalen",
}
META_SHORT = {
    "convergent": "eensgezind",
    "expansion": "aanvullend",
    "discordant": "tegenstrijdig",
    "numbers_only": "alleen cijfers",
    "stories_only": "alleen verhalen",
    "no_evidence": "geen bewijs",
}
NUMBERS_NL = {
    "verbetering": "verbetering",
    "verslechtering": "verslechtering",
    "gemengd": "gemengd",
    "geen_trend": "geen duidelijke trend",
    "geen_cijfers": "geen beoordeelbare cijfers",
}
STORIES_NL = {
    "beter": "vooral beter",
    "slechter": "vooral slechter",
    "gelijk": "vooral gelijk",
    "gemengd": "gemengd",
    "te_weinig": "te weinig verhalen",
    "geen_verhalen": "geen verhalen",
}
_CHANGE_HEADERS = {
    "beter": "beter",
    "slechter": "slechter",
    "gelijk": "gelijk",
    "gemengd": "gemengd",
}


def _fmt(value: object, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{float(value):.{digits}f}".replace(".", ",")


def synthetic_note(parts: list[str]) -> str:
    """A Markdown warning naming the synthetic parts, e.g. ``["cijferreeksen"]``."""
    return (
        f"> **Let op: synthetische demodata.** De {' en de '.join(parts)} in dit onderdeel zijn "
        "verzonnen om de werkwijze te laten zien. Trek er geen conclusies uit over de wijken."
    )


# -- tellen ----------------------------------------------------------------------


def show_tellen(run, step) -> None:
    """Per pillar: a sentence with the counts, the indicator x area table and the figure."""
    reg = run.registry
    labels = reg.area_labels()
    shown = [*run.areas, reg.aggregate_id]
    ind = reg.indicators.set_index("id")
    trends = step.trends[step.trends["area"].isin(shown)]
    progress = step.progress[step.progress["area"].isin(shown)]
    merged = trends[["indicator", "area", "verdict", "first_year", "last_year"]].merge(
        progress[["indicator", "area", "status"]], on=["indicator", "area"], how="left"
    )
    for pillar in reg.pillars.itertuples(index=False):
        section = f"pijler:{pillar.id}:cijfers"
        mine = merged[merged["indicator"].map(ind["pillar"]) == pillar.id]
        if mine.empty:
            show_markdown(
                "Voor deze pijler zijn (nog) geen metingen beschikbaar in dit evaluatiejaar.",
                section,
            )
            continue
        hoods = mine[mine["area"].isin(run.areas)]
        counts = hoods["status"].fillna("not_assessable").value_counts()
        verdicts = hoods["verdict"].value_counts()
        assessable = int(len(hoods) - counts.get("not_assessable", 0))
        text = [
            f"In de gekozen wijken zijn {len(hoods)} reeksen (indicator x wijk) van deze pijler "
            f"gemeten. {verdicts.get('improving', 0)} verbeteren aantoonbaar, "
            f"{verdicts.get('worsening', 0)} verslechteren aantoonbaar en "
            f"{verdicts.get('no_significant_trend', 0)} laten geen duidelijke trend zien; "
            f"{verdicts.get('insufficient_data', 0)} hebben te weinig metingen voor een trend."
        ]
        if assessable:
            parts = [
                f"{counts.get(s, 0)} {STATUS_NL[s]}"
                for s in STATUS_NL
                if s != "not_assessable" and counts.get(s, 0)
            ]
            text.append(
                f"Van de {assessable} reeksen met een doel en genoeg metingen: {', '.join(parts)}."
            )
        show_markdown(" ".join(text), section)
        cells = mine.assign(
            cell=[
                f"{VERDICT_NL[v]}; {STATUS_NL[s]}"
                if isinstance(s, str) and s != "not_assessable"
                else VERDICT_NL[v]
                for v, s in zip(mine["verdict"], mine["status"], strict=True)
            ]
        )
        table = cells.pivot(index="indicator", columns="area", values="cell")
        order = [i for i in ind.index if i in table.index]
        table = table.reindex(index=order, columns=[a for a in shown if a in table.columns])
        table = table.fillna("–")
        table.insert(0, "Indicator", [ind.loc[i, "label"] for i in table.index])
        table.columns = ["Indicator", *[labels[a] for a in table.columns[1:]]]
        show_table(
            table.reset_index(drop=True),
            section,
            caption=(
                "Trend sinds de eerste meting en, waar te beoordelen, de voortgang naar het "
                "doel voor 2043"
            ),
        )
        if pillar.id in step.figures:
            show_figure(
                step.figures[pillar.id],
                section,
                alt=f"Indicatoren van de pijler {pillar.label} per wijk, met Dordrecht en het doel",
                caption=(
                    "Elke lijn is een wijk; Dordrecht is de zwarte stippellijn. De gestippelde "
                    "lijn naar de ster is de route naar het doel; strepen om een punt geven de "
                    "onzekerheid van een steekproef (95%)."
                ),
            )


def show_data_quality(run, step, *, limit: int = 25) -> None:
    """The data-quality findings for the Verantwoording: counts and the first ``limit``."""
    findings = step.findings
    section = "verantwoording"
    n_warn = int((findings["severity"] == "warning").sum()) if len(findings) else 0
    show_markdown(
        f"#### Datakwaliteit\n\nBij het inlezen van {len(step.files)} bestand(en) met metingen "
        f"zijn {n_warn} waarschuwingen gevonden (fouten stoppen de evaluatie, dus die zijn er "
        "niet). Ze staan allemaal in `tables/data_quality.csv`"
        + (f"; hieronder de eerste {limit}." if n_warn > limit else "."),
        section,
    )
    if n_warn:
        first = findings.head(limit).assign(
            file=lambda d: d["file"].map(lambda f: str(f).rsplit("/", 1)[-1])
        )
        show_table(
            first,
            section,
            columns={
                "file": "Bestand",
                "row": "Rij",
                "indicator": "Indicator",
                "area": "Gebied",
                "message": "Bevinding",
            },
        )


# -- vertellen -------------------------------------------------------------------


def _theme_labels(step) -> dict[str, str]:
    return {t.id: t.label for t in step.codebook.themes}


def _quote_md(row, labels: Mapping[str, str]) -> str:
    return (
        f"> \u201c{row.sentence}\u201d  \n"
        f"> \u2014 {row.teller}, {labels.get(row.area, row.area)}; vindt het {row.change} "
        f"geworden ({row.story_id})"
    )


def show_vertellen(run, step) -> None:
    """The chapter 'Verhalen uit de wijken': who told, themes, terms, MSC."""
    from .report import chapter

    section = "verhalen"
    chapter(section, "Verhalen uit de wijken")
    reg = run.registry
    labels = reg.area_labels()
    stories = step.stories
    themes = _theme_labels(step)
    if stories.empty:
        show_markdown("Er zijn voor deze wijken nog geen verhalen verzameld.", section)
        return
    first, last = stories["date"].min(), stories["date"].max()
    show_markdown(
        f"Er zijn {len(stories)} verhalen verzameld tussen {first:%d-%m-%Y} en "
        f"{last:%d-%m-%Y}, via {stories['channel'].nunique()} verschillende kanalen.",
        section,
    )
    who = pd.crosstab(stories["teller"], stories["area"])
    who = who.reindex(columns=[a for a in run.areas if a in who.columns], fill_value=0)
    who[TOTAL] = who.sum(axis=1)
    who = suppress(who)
    who.columns = [labels.get(c, c) for c in who.columns]
    show_table(
        who.reset_index().rename(columns={"teller": "Verteller"}),
        section,
        caption="Verhalen per verteller en wijk (<5: minder dan vijf; x: verborgen)",
    )
    by_area = step.themes_by_area.copy()
    by_area = by_area[["theme", *[a for a in run.areas if a in by_area.columns], TOTAL]]
    by_area.insert(0, "Thema", by_area.pop("theme").map(themes))
    by_area.columns = [labels.get(c, c) for c in by_area.columns]
    show_table(by_area, section, caption="Verhalen per thema en wijk")
    by_teller = step.themes_by_teller.copy()
    by_teller.insert(0, "Thema", by_teller.pop("theme").map(themes))
    show_table(by_teller, section, caption="Verhalen per thema en verteller")
    if len(step.terms):
        terms = (
            step.terms.groupby("group", sort=False)["term"]
            .apply(lambda s: ", ".join(s))
            .reset_index()
        )
        terms["group"] = terms["group"].map(lambda a: labels.get(a, a))
        show_markdown(
            "#### Woorden die een wijk kenmerken\n\nDeze woorden komen in de verhalen uit een "
            "wijk opvallend vaker voor dan in de verhalen uit de andere wijken. Ze kunnen "
            "wijzen op onderwerpen die (nog) niet in het codeboek staan.",
            section,
        )
        show_table(terms, section, columns={"group": "Wijk", "term": "Kenmerkende woorden"})
    if len(step.msc):
        show_markdown(
            "#### Meest betekenisvolle verandering\n\nPanels van bewoners en professionals "
            "kozen uit de verhalen per domein het verhaal dat voor hen de belangrijkste "
            "verandering laat zien, en schreven op waarom.",
            section,
        )
        msc = step.msc.assign(area=step.msc["area"].map(lambda a: labels.get(a, a)))
        show_table(
            msc,
            section,
            columns={
                "date": "Datum",
                "domain": "Domein",
                "panel": "Panel",
                "title": "Verhaal",
                "area": "Wijk",
                "change": "Richting",
                "reason": "Waarom gekozen",
            },
        )


def show_vertellen_per_pillar(run, step) -> None:
    """Per pillar: its themes with the directions of change, and consented quotes."""
    reg = run.registry
    labels = reg.area_labels()
    change = step.change_by_theme
    totals = change[change["area"] == TOTAL]
    for pillar in reg.pillars.itertuples(index=False):
        section = f"pijler:{pillar.id}:verhalen"
        mine = [t for t in step.codebook.themes if t.pillar == pillar.id]
        rows = totals[totals["theme"].isin([t.id for t in mine])]
        told = rows[rows[TOTAL].map(lambda v: v != 0)]
        if told.empty:
            show_markdown("Geen van de verhalen gaat over de thema's van deze pijler.", section)
            continue
        show_markdown(
            "Hoeveel verhalen over de thema's van deze pijler gaan, en welke kant de "
            "vertellers zelf vinden dat het op gaat.",
            section,
        )
        table = told.assign(theme=told["theme"].map(_theme_labels(step)))
        show_table(
            table,
            section,
            columns={"theme": "Thema", **_CHANGE_HEADERS, TOTAL: "totaal"},
        )
        quotes = step.theme_quotes[step.theme_quotes["theme"].isin([t.id for t in mine])]
        quotes = quotes.drop_duplicates("story_id").head(3)
        if len(quotes):
            show_markdown(
                "\n>\n".join(_quote_md(q, labels) for q in quotes.itertuples(index=False)),
                section,
            )


# -- vertellen en tellen ---------------------------------------------------------


def _numbers_cell(row) -> str:
    if row.series == 0:
        return NUMBERS_NL[row.numbers_direction]
    return (
        f"{NUMBERS_NL[row.numbers_direction]} ({row.improving} beter, {row.worsening} slechter, "
        f"{row.no_trend} geen trend)"
    )


def _stories_cell(row) -> str:
    if row.stories == 0:
        return "geen verhalen"
    return f"{row.stories} verhalen, {STORIES_NL[row.stories_direction]}"


def show_joint(run, step) -> None:
    """Per pillar: the joint display of its goals, and the discordances as questions."""
    reg = run.registry
    for pillar in reg.pillars.itertuples(index=False):
        section = f"pijler:{pillar.id}:samen"
        mine = step.shown[step.shown["pillar"] == pillar.id]
        table = pd.DataFrame(
            {
                "Doel": mine["label"],
                "Cijfers": [_numbers_cell(r) for r in mine.itertuples(index=False)],
                "Verhalen": [_stories_cell(r) for r in mine.itertuples(index=False)],
                "Samen": mine["meta_inference"].map(META_SHORT),
                "Een stem uit de wijk": mine["quote"].fillna("–"),
            }
        )
        show_table(table, section)
        asked = step.proposals[step.proposals["pillar"] == pillar.id]
        if len(asked):
            show_markdown(
                "**Voorgestelde leervragen** (cijfers en verhalen spreken elkaar tegen):\n\n"
                + "\n".join(f"- {q}" for q in asked["question"]),
                section,
            )


def show_summary(run, step) -> None:
    """The Samenvatting: per pillar the progress statuses and the stories' directions."""
    reg = run.registry
    section = "samenvatting"
    ind_pillar = reg.indicators.set_index("id")["pillar"]
    progress = step.progress[step.progress["area"].isin(run.areas)]
    progress = progress.assign(pillar=progress["indicator"].map(ind_pillar))
    status = pd.crosstab(progress["pillar"], progress["status"]).reindex(
        index=reg.pillars["id"], columns=list(STATUS_NL), fill_value=0
    )
    stories = step.stories.explode("pillars")
    directions = pd.crosstab(stories["pillars"], stories["change"]).reindex(
        index=reg.pillars["id"], columns=list(CHANGES), fill_value=0
    )
    directions[TOTAL] = directions.sum(axis=1)
    directions = suppress(directions.fillna(0).astype("int64"))
    pillar_labels = dict(zip(reg.pillars["id"], reg.pillars["label"], strict=True))
    table = pd.DataFrame({"Pijler": [pillar_labels[p] for p in reg.pillars["id"]]})
    for s, label in STATUS_NL.items():
        table[label] = status[s].to_numpy()
    show_markdown(
        "**Cijfers.** Per pijler het aantal reeksen (indicator x wijk) naar hun voortgang "
        "richting het doel voor 2043. Een reeks is pas te beoordelen met een doel en minstens "
        "twee metingen.",
        section,
    )
    show_table(table, section)
    stories_table = pd.DataFrame({"Pijler": [pillar_labels[p] for p in reg.pillars["id"]]})
    for c in [*CHANGES, TOTAL]:
        stories_table[c] = directions[c].to_numpy()
    show_markdown(
        "**Verhalen.** Per pijler het aantal verhalen naar de richting van verandering die de "
        "verteller zelf aangaf (een verhaal kan over meer pijlers gaan). Aantallen onder de "
        "vijf staan als <5, zodat niemand herkenbaar is.",
        section,
    )
    show_table(stories_table, section)
    meta = step.joint["meta_inference"].value_counts()
    show_markdown(
        "**Cijfers en verhalen samen**, per operationeel doel:\n\n"
        + "\n".join(f"- {int(meta.get(k, 0))} doelen {text}" for k, text in META_NL.items()),
        section,
    )
    if len(step.proposals):
        show_markdown(
            f"Bij {len(step.proposals)} doelen spreken cijfers en verhalen elkaar tegen. Die "
            "staan in de pijlerhoofdstukken als voorgestelde leervragen voor de leeragenda.",
            section,
        )
