"""The chapter ``verhalen`` (Verhalen uit de wijken) and the pillar chapters' part
``verhalen``: who told, themes, terms, MSC, and per pillar its themes and quotes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...kern.programme import STORIES_GUIDE
from ...vertellen.analysis import CHANGES, MIN_CELL, TOTAL, suppress
from ...vertellen.language import DUTCH
from ..method import dutch_number
from ..report import show_markdown, show_table

if TYPE_CHECKING:
    from ..steps import Run, VertellenStep

__all__ = [
    "show_vertellen",
    "show_vertellen_per_pillar",
    "stories_by_pillar",
    "UNSORTED",
    "NOT_DUTCH",
    "PROPOSED",
]


UNSORTED = "Nog niet ingedeeld"  # stories without a pillar (yet)
# Stories without a pillar told in another language: the Dutch codebook proposed none.
NOT_DUTCH = "Niet in het Nederlands, nog niet ingedeeld"
_NOT_DUTCH_KEY = "#"  # no pillar id (ids are slugs; a NUL key would equal "" in numpy strings)
PROPOSED = "Voorgesteld, nog niet nagekeken"  # pillars proposed on import (pillars_source: auto)


def _theme_labels(step: VertellenStep) -> dict[str, str]:
    return {t.id: t.label for t in step.codebook.themes}


_QUOTE = (
    "> \u201c{sentence}\u201d  \n> \u2014 {teller}, {area}; vindt het {change} geworden ({story})"
)


def _show_quote(row: Any, labels: Mapping[str, str], section: str) -> None:
    """One consented quote as a block quote; every part of it is text from outside."""
    show_markdown(
        _QUOTE,
        section,
        sentence=row.sentence,
        teller=row.teller,
        area=labels.get(row.area, row.area),
        change=row.change,
        story=row.story_id,
    )


NO_STORIES_NL = (
    "Er zijn nog geen verhalen voor {year} uit deze wijken. Verzamel ze bij bewoners en "
    "professionals, bijvoorbeeld in buurtgesprekken, wijkbijeenkomsten of interviews, en lees "
    f"de formulieren in met `npdw stories import` (zie `{STORIES_GUIDE}`). Tot die er zijn, "
    "laat dit rapport alleen de cijfers zien."
)


def _show_who(run: Run, stories: pd.DataFrame, section: str) -> None:
    """Stories per teller and area, and per pillar by their direction of change."""
    reg = run.registry
    labels = reg.area_labels()
    who = pd.crosstab(stories["teller"], stories["area"])
    who = who.reindex(columns=[a for a in run.areas if a in who.columns], fill_value=0)
    who[TOTAL] = who.sum(axis=1)
    who = suppress(who)
    who.columns = [labels.get(c, c) for c in who.columns]
    show_table(
        who.reset_index().rename(columns={"teller": "Verteller"}),
        section,
        caption=(
            f"Verhalen per verteller en wijk (<{MIN_CELL}: minder dan "
            f"{dutch_number(MIN_CELL)}; x: verborgen)"
        ),
    )
    table = stories_by_pillar(stories, reg.pillars)
    proposed = (
        f"; {PROPOSED.lower()}: de pijlers zijn bij het inlezen automatisch voorgesteld en "
        "nog niet nagekeken, dus tellen ze nog niet bij een pijler"
        if PROPOSED in set(table["Pijler"])
        else ""
    )
    show_table(
        table,
        section,
        caption=(
            "Verhalen per pijler, naar de richting van verandering die de verteller zelf "
            f"aangaf (een verhaal kan over meer pijlers gaan; {UNSORTED.lower()}: nog geen "
            f"pijler ingevuld{proposed})"
        ),
    )


def _show_not_coded(skipped: pd.DataFrame, section: str) -> None:
    """A sentence on the stories the automatic coding left out: not told in Dutch.

    Fewer than :data:`MIN_CELL` are not counted exactly (a teller must not be
    singled out), the languages are named without counts.
    """
    from ...vertellen.language import language_name

    if skipped is None or skipped.empty:
        return
    n = len(skipped)
    count = str(n) if n >= MIN_CELL else f"minder dan {dutch_number(MIN_CELL)}"
    languages = ", ".join(sorted({language_name(c).lower() for c in skipped["language"]}))
    show_markdown(
        "Daarvan zijn er {count} niet in het Nederlands verteld ({languages}). De "
        "automatische codering leest alleen Nederlands: die verhalen tellen niet mee in de "
        "tabellen per thema, en zonder pijler staan ze in de tabel per pijler op een eigen "
        f"regel ('{NOT_DUTCH}').",
        section,
        count=count,
        languages=languages,
    )


def show_vertellen(run: Run, step: VertellenStep) -> None:
    """The chapter 'Verhalen uit de wijken': who told, themes, terms, MSC."""
    from ..report import chapter

    section = "verhalen"
    chapter(section, "Verhalen uit de wijken")
    reg = run.registry
    labels = reg.area_labels()
    stories = step.stories
    if stories.empty:
        show_markdown(NO_STORIES_NL.format(year=run.year), section)
        return
    first, last = stories["date"].min(), stories["date"].max()
    show_markdown(
        f"Er zijn {len(stories)} verhalen verzameld tussen {first:%d-%m-%Y} en "
        f"{last:%d-%m-%Y}, via {stories['channel'].nunique()} verschillende kanalen.",
        section,
    )
    _show_not_coded(step.not_coded, section)
    _show_who(run, stories, section)
    _show_themes(run, step, section)
    if len(step.terms):
        _show_terms(step.terms, labels, section)
    if len(step.msc):
        _show_msc(step.msc, labels, section)


def _show_themes(run: Run, step: VertellenStep, section: str) -> None:
    """Stories per theme, by area and by teller."""
    labels = run.registry.area_labels()
    themes = _theme_labels(step)
    by_area = step.themes_by_area.copy()
    by_area = by_area[["theme", *[a for a in run.areas if a in by_area.columns], TOTAL]]
    by_area.insert(0, "Thema", by_area.pop("theme").map(themes))
    by_area.columns = [labels.get(c, c) for c in by_area.columns]
    show_table(by_area, section, caption="Verhalen per thema en wijk")
    by_teller = step.themes_by_teller.copy()
    by_teller.insert(0, "Thema", by_teller.pop("theme").map(themes))
    show_table(by_teller, section, caption="Verhalen per thema en verteller")


def _show_terms(found: pd.DataFrame, labels: Mapping[str, str], section: str) -> None:
    """The words that mark an area's stories against the other areas'."""
    terms = found.groupby("group", sort=False)["term"].apply(lambda s: ", ".join(s)).reset_index()
    terms["group"] = terms["group"].map(lambda a: labels.get(a, a))
    show_markdown(
        "#### Woorden die een wijk kenmerken\n\nDeze woorden komen in de verhalen uit een "
        "wijk opvallend vaker voor dan in de verhalen uit de andere wijken. Ze kunnen "
        "wijzen op onderwerpen die (nog) niet in het codeboek staan.",
        section,
    )
    show_table(
        terms,
        section,
        caption="Woorden die in de verhalen uit een wijk opvallend vaak voorkomen",
        columns={"group": "Wijk", "term": "Kenmerkende woorden"},
    )


def _show_msc(chosen: pd.DataFrame, labels: Mapping[str, str], section: str) -> None:
    """The stories the Most Significant Change panels chose, with their reasons."""
    show_markdown(
        "#### Meest betekenisvolle verandering\n\nPanels van bewoners en professionals "
        "kozen uit de verhalen per domein het verhaal dat voor hen de belangrijkste "
        "verandering laat zien, en schreven op waarom.",
        section,
    )
    msc = chosen.assign(area=chosen["area"].map(lambda a: labels.get(a, a)))
    show_table(
        msc,
        section,
        caption="De verhalen die de panels kozen, met hun reden",
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


def show_vertellen_per_pillar(run: Run, step: VertellenStep) -> None:
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
        if step.stories.empty:
            show_markdown("Er zijn nog geen verhalen (zie *Verhalen uit de wijken*).", section)
            continue
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
            caption="Verhalen per thema, naar de richting van verandering",
            columns={"theme": "Thema", **{c: c for c in CHANGES}, TOTAL: "totaal"},
        )
        quotes = step.theme_quotes[step.theme_quotes["theme"].isin([t.id for t in mine])]
        quotes = quotes.drop_duplicates("story_id").head(3)
        for q in quotes.itertuples(index=False):
            _show_quote(q, labels, section)


def stories_by_pillar(stories: pd.DataFrame, pillars: pd.DataFrame) -> pd.DataFrame:
    """Stories per pillar by their direction of change, small counts suppressed.

    Parameters
    ----------
    stories : DataFrame
        ``pillars`` (a tuple per story, possibly empty), ``change`` and, when
        known, ``pillars_source``, as
        :meth:`npdw_learning.vertellen.stories.StoryCollection.frame` gives them.
    pillars : DataFrame
        The registry's pillars (``id``, ``label``), in report order.

    Returns
    -------
    DataFrame
        ``Pijler``, one column per direction and ``totaal``: a row per pillar
        (a story with two pillars counts in both), then, only when there are
        any, a row :data:`PROPOSED` for the stories whose pillars were proposed
        on import and not yet reviewed (``pillars_source: auto``: counted there
        once, at no pillar), a row :data:`UNSORTED` for the stories without a
        pillar and, only when there are any, :data:`NOT_DUTCH` for the stories
        without a pillar not told in Dutch (the automatic coding did not read
        them). Counts from 1 to 4 and the cells they could be derived from are
        hidden (:func:`npdw_learning.vertellen.analysis.suppress`).
    """
    source = stories.get("pillars_source", pd.Series(None, index=stories.index, dtype=object))
    language = stories.get("language", pd.Series(DUTCH, index=stories.index, dtype=object))
    # "", "~" and "#" are no pillar ids (ids are slugs): "no pillar", "proposed" and
    # "no pillar, not in Dutch" in the table.
    keys = [
        ("~",) if src == "auto" and len(p) else tuple(p) or _no_pillar_key(lang)
        for p, src, lang in zip(stories["pillars"], source, language, strict=True)
    ]
    per_key = pd.DataFrame({"key": keys, "change": stories["change"]}).explode("key")
    proposed = bool((per_key["key"] == "~").any())
    foreign = bool((per_key["key"] == _NOT_DUTCH_KEY).any())
    rows = [
        *pillars["id"],
        *(["~"] if proposed else []),
        "",
        *([_NOT_DUTCH_KEY] if foreign else []),
    ]
    labels = [
        *pillars["label"],
        *([PROPOSED] if proposed else []),
        UNSORTED,
        *([NOT_DUTCH] if foreign else []),
    ]
    directions = pd.crosstab(per_key["key"], per_key["change"]).reindex(
        index=rows, columns=list(CHANGES), fill_value=0
    )
    directions[TOTAL] = directions.sum(axis=1)
    directions = suppress(directions.fillna(0).astype("int64"))
    table = pd.DataFrame({"Pijler": labels})
    for c in [*CHANGES, TOTAL]:
        table[c] = directions[c].to_numpy()
    return table


def _no_pillar_key(language: object) -> tuple[str]:
    """The table key of a story without a pillar: apart when it is not told in Dutch."""
    return ("",) if language in (DUTCH, "", None) or pd.isna(language) else (_NOT_DUTCH_KEY,)
