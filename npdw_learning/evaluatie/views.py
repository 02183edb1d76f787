"""What the evaluation notebooks show, in Dutch, section by section of the report.

Each ``show_*`` function takes the result of a step of
:mod:`npdw_learning.evaluatie.runner` and shows tables, figures and short texts
through :mod:`npdw_learning.evaluatie.report`, each in its place in the report. The
notebooks call one function per part, so their prose can sit right above it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ..kern.programme import STORIES_GUIDE
from ..kern.programme import ProgrammeFolder as _AT  # on the class: paths as messages name them
from ..tellen.breaks import MIN_POST_POINTS, MIN_PRE_POINTS, PREDICTION_LEVEL
from ..tellen.changes import CHANGE_COLUMNS, CONFIDENCE
from ..tellen.trends import FDR_ALPHA, INTERVAL, MIN_POINTS
from ..vertellen.analysis import CHANGES, MIN_CELL, TOTAL, suppress
from ..vertellen.language import DUTCH
from .labels import (
    BREAK_NL,
    CHANGE_NL,
    EFFORT_STATUS_NL,
    META_NL,
    NUMBERS_NL,
    PROGRESS_NL,
    QUESTION_STATUS_NL,
    STORIES_NL,
    TREND_NL,
)
from .method import dutch_number, percent
from .report import show_figure, show_markdown, show_table
from .status import MATRIX_COLOURS, matrix_alt
from .summary import summary_sentences

__all__ = [
    "show_readings",
    "show_tellen",
    "show_data_quality",
    "show_vertellen",
    "show_vertellen_per_pillar",
    "show_joint",
    "show_summary",
    "stories_by_pillar",
    "UNSORTED",
    "NOT_DUTCH",
    "PROPOSED",
    "show_leeragenda",
]

UNSORTED = "Nog niet ingedeeld"  # stories without a pillar (yet)
# Stories without a pillar told in another language: the Dutch codebook proposed none.
NOT_DUTCH = "Niet in het Nederlands, nog niet ingedeeld"
_NOT_DUTCH_KEY = "#"  # no pillar id (ids are slugs; a NUL key would equal "" in numpy strings)
PROPOSED = "Voorgesteld, nog niet nagekeken"  # pillars proposed on import (pillars_source: auto)
_READING_NL = {"level": "de wijk zelf", "gap": "verschil met {reference}"}


# -- tellen ----------------------------------------------------------------------


def _number(value: float, *, signed: bool = False) -> str:
    """A number in Dutch notation (decimal comma), two decimals below 100, none above."""
    sign = "+" if signed else ""
    decimals = 2 if abs(value) < 100 else 0
    text = f"{value:{sign},.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _change_cell(row) -> str:
    """The change since the baseline as a cell: verdict, size, years and interval."""
    size = f"{_number(row.change, signed=True)} sinds {int(row.baseline_year)}"
    if row.test == "none":
        return f"{size}; {CHANGE_NL['no_test']}"
    interval = f"{_number(row.change_low, signed=True)} tot {_number(row.change_high, signed=True)}"
    return f"{CHANGE_NL[row.change_verdict]}: {size} ({interval})"


def _pillar_sentence(hoods: pd.DataFrame) -> str:
    """Counts of one pillar's series in the chosen areas, by their reading."""
    verdicts = hoods["verdict"].value_counts()
    changed = hoods.loc[hoods["verdict"] == "insufficient_data", "change_verdict"].value_counts()
    short = int(verdicts.get("insufficient_data", 0))
    n_changes = int(changed.sum())
    text = (
        f"In de gekozen wijken zijn {len(hoods)} reeksen (indicator x wijk) van deze pijler "
        f"gemeten. {verdicts.get('improving', 0)} verbeteren aantoonbaar, "
        f"{verdicts.get('worsening', 0)} verslechteren aantoonbaar en "
        f"{verdicts.get('no_significant_trend', 0)} laten geen duidelijke trend zien; "
        f"{short} hebben te weinig metingen voor een trend."
    )
    if n_changes:
        text += (
            f" Van die {short} hebben er {n_changes} een nulmeting en een latere meting: "
            f"{changed.get('improving', 0)} zijn aantoonbaar verbeterd, "
            f"{changed.get('worsening', 0)} aantoonbaar verslechterd, "
            f"{changed.get('no_significant_change', 0)} niet duidelijk veranderd en bij "
            f"{changed.get('no_test', 0)} is de foutmarge niet bekend."
        )
    return text


def _cell(row) -> str:
    if row.verdict == "insufficient_data" and isinstance(row.change_verdict, str):
        text = _change_cell(row)
    else:
        text = TREND_NL[row.verdict]
    if isinstance(row.status, str) and row.status != "not_assessable":
        text += f"; {PROGRESS_NL[row.status]}"
    return text


def _tellen_rows(step, shown: list[str]) -> pd.DataFrame:
    """Trend, change and progress per shown series, one row each."""
    keys = ["indicator", "area"]
    trends = step.trends[step.trends["area"].isin(shown)]
    changes = getattr(step, "changes", pd.DataFrame())
    if changes.empty:
        changes = pd.DataFrame(columns=CHANGE_COLUMNS)
    cols = ["baseline_year", "change", "change_low", "change_high", "test", "verdict"]
    merged = trends[[*keys, "verdict", "first_year", "last_year"]].merge(
        step.progress[[*keys, "status"]], on=keys, how="left"
    )
    return merged.merge(
        changes[[*keys, *cols]].rename(columns={"verdict": "change_verdict"}), on=keys, how="left"
    )


def show_tellen(run, step) -> None:
    """Per pillar: a sentence with the counts, the indicator x area table and the figure.

    A series too short for a trend shows its change since the baseline
    (``step.changes``) instead of only "te weinig metingen".
    """
    reg = run.registry
    labels = reg.area_labels()
    shown = [*run.areas, reg.aggregate_id]
    ind = reg.indicators.set_index("id")
    merged = _tellen_rows(step, shown)
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
        assessable = int(len(hoods) - counts.get("not_assessable", 0))
        text = [_pillar_sentence(hoods)]
        if assessable:
            parts = [
                f"{counts.get(s, 0)} {PROGRESS_NL[s]}"
                for s in PROGRESS_NL
                if s != "not_assessable" and counts.get(s, 0)
            ]
            text.append(
                f"Van de {assessable} reeksen met een doel en genoeg metingen: {', '.join(parts)}."
            )
        show_markdown(" ".join(text), section)
        # The figure first: a table can run on over a page break, a figure cannot, so
        # the flexible parts after it fill the page instead of leaving a gap before it.
        shown_ids = [i for i in ind.index if i in set(mine["indicator"])]
        _show_pillar_figure(run, step, pillar, section, [ind.loc[i, "label"] for i in shown_ids])
        cells = mine.assign(cell=[_cell(r) for r in mine.itertuples(index=False)])
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
                "Trend sinds de eerste meting (of, bij te weinig metingen voor een trend, de "
                f"verandering sinds de nulmeting met haar {CONFIDENCE:.0%}-interval) en, waar te "
                "beoordelen, de voortgang naar het doel voor 2043"
            ),
            appendix=f"Trend en voortgang per indicator en wijk: {pillar.label}",
            csv="trends.csv",
        )
        _show_breaks(run, step, pillar.id, section)


def _show_pillar_figure(run, step, pillar, section: str, indicators: list[str]) -> None:
    reg = run.registry
    if pillar.id in step.figures:
        show_figure(
            step.figures[pillar.id],
            section,
            alt=_figure_alt(pillar.label, indicators, reg),
            colours=PILLAR_COLOURS,
            caption=(
                f"Een lijn per wijk, {reg.reference_label} zwart gestippeld; de gestippelde lijn "
                "naar de ster is de route naar het doel, strepen om een punt zijn de "
                f"onzekerheid van een steekproef ({percent(INTERVAL)}), de dunne stippellijn "
                f"met lichte band is de trend van voor {reg.start_year} doorgetrokken, met "
                f"de marge ({PREDICTION_LEVEL:.0%}) waarin de metingen zouden vallen als die "
                "trend gewoon doorliep."
            ),
        )


def _show_breaks(run, step, pillar: str, section: str) -> None:
    """One pillar's break reading: how many series could be judged, and those that bent."""
    reg = run.registry
    breaks = getattr(step, "breaks", pd.DataFrame())
    if breaks.empty:
        return
    ind = reg.indicators.set_index("id")
    judged = breaks[
        (breaks["verdict"] != "insufficient_data")
        & breaks["area"].isin(run.areas)
        & (breaks["indicator"].map(ind["pillar"]) == pillar)
    ]
    if judged.empty:
        return
    bent = judged[judged["verdict"] != "as_trend"]
    text = (
        f"**Na de start ({reg.start_year}).** Bij {len(judged)} reeksen (de wijk zelf, en haar "
        "verschil met {reference}) zijn er genoeg metingen van voor de start om de lijn van "
        "toen door te trekken. "
    )
    if bent.empty:
        show_markdown(
            text + "Bij geen enkele valt de laatste meting buiten de "
            f"{PREDICTION_LEVEL:.0%}-marge van die lijn.",
            section,
            reference=reg.reference_label,
        )
        return
    show_markdown(
        text + f"Bij {len(bent)} valt de laatste meting buiten de {PREDICTION_LEVEL:.0%}-marge "
        "van die lijn; de andere volgen de lijn van voor de start (`tables/breaks.csv`).",
        section,
        reference=reg.reference_label,
    )
    reading = {k: v.format(reference=reg.reference_label) for k, v in _READING_NL.items()}
    expected = zip(
        bent["expected_latest"], bent["expected_low"], bent["expected_high"], strict=True
    )
    table = pd.DataFrame(
        {
            "Indicator": bent["indicator"].map(ind["label"]),
            "Wijk": bent["area"].map(reg.area_labels()),
            "Gelezen als": bent["reading"].map(reading),
            "Verwacht (marge)": [
                f"{_number(e)} ({_number(lo)} tot {_number(hi)})" for e, lo, hi in expected
            ],
            "Gemeten": [_number(v) for v in bent["latest_value"]],
            "Oordeel": bent["verdict"].map(BREAK_NL),
        }
    )
    show_table(
        table.reset_index(drop=True),
        section,
        caption=(
            "Reeksen waarvan de laatste meting buiten de marge van de lijn van voor de start valt"
        ),
    )


def show_readings(run, step) -> None:
    """The Verantwoording: the three readings of the numbers in plain Dutch, and how many
    series of this run each one covers. Every parameter comes from the code's constants."""
    reg = run.registry
    start = reg.start_year
    trends, changes = step.trends, getattr(step, "changes", pd.DataFrame(columns=CHANGE_COLUMNS))
    breaks = getattr(step, "breaks", pd.DataFrame(columns=["verdict"]))
    n_trend = int((trends["verdict"] != "insufficient_data").sum())
    n_tested = int((changes["test"] != "none").sum())
    n_break = int((breaks["verdict"] != "insufficient_data").sum())
    smallest_p = 2 / math.factorial(MIN_POINTS)
    show_markdown(
        "#### Drie manieren om de cijfers te lezen\n\n"
        f"1. **Trend** (vanaf {MIN_POINTS} metingen). Gaan de cijfers sinds de eerste meting "
        "stelselmatig omhoog of omlaag? Dat zegt of het in de wijk beter of slechter gaat, "
        "niet waardoor. Een trend die al voor de start van het programma liep, telt gewoon "
        f"mee. Met precies {MIN_POINTS} metingen is de kleinste mogelijke kans op toeval "
        f"{smallest_p:.0%}; zo'n trend kan dus nog niet aantoonbaar zijn.\n"
        f"2. **Verandering sinds de nulmeting** (bij 2 tot {MIN_POINTS - 1} metingen). Het "
        "verschil tussen de eerste en de laatste meting, met de marge waarbinnen het echte "
        f"verschil met {CONFIDENCE:.0%} zekerheid ligt. Die marge is alleen te berekenen als "
        "bekend is op hoeveel mensen een percentage rust, hoeveel inwoners er achter een aantal "
        "of een cijfer per 1.000 inwoners staan, of wat de standaardfout van beide cijfers is. "
        "Anders staat er alleen het verschil, met *foutmarge onbekend*. Twee metingen zeggen "
        "niets over wat er tussendoor gebeurde, en één uitschieter in een van beide jaren kan "
        "het hele verschil zijn.\n"
        f"3. **Afbuiging na de start** (minstens {MIN_PRE_POINTS} metingen voor {start} en "
        f"minstens {MIN_POST_POINTS} vanaf {start}, het startjaar uit het register). We trekken "
        "de lijn van voor de start door en kijken of de laatste meting buiten de marge van die "
        f"lijn valt ({PREDICTION_LEVEL:.0%}). Hetzelfde doen we met het verschil tussen de wijk "
        "en {reference}: als de hele stad meebeweegt, verandert dat verschil niet. "
        "Dit komt het dichtst bij de vraag of het programma verschil maakt, maar bewijst het "
        "niet: wat tegelijk begon (de economie, landelijk beleid, een andere manier van tellen) "
        "buigt de lijn net zo goed af. Met weinig metingen voor de start is de marge breed en "
        "valt alleen een grote afbuiging op. In een simulatie met reeksen zonder afbuiging "
        "viel de laatste meting ongeveer zo vaak buiten de marge als bij "
        f"{PREDICTION_LEVEL:.0%} te verwachten is.\n\n"
        "**Toeval uitsluiten.** Alle toetsen van trends en veranderingen in dit rapport zijn "
        "samen gecorrigeerd voor het aantal toetsen (Benjamini-Hochberg). Aantoonbaar betekent: "
        f"de gecorrigeerde kans op toeval (q) is kleiner dan {FDR_ALPHA:.0%}.\n\n"
        f"In deze evaluatie hebben {n_trend} reeksen een trend, {len(changes)} een verandering "
        f"sinds de nulmeting (waarvan {n_tested} met een bekende foutmarge) en {n_break} genoeg "
        f"metingen voor en na {start} om een afbuiging te beoordelen (`tables/trends.csv`, "
        "`tables/changes.csv`, `tables/breaks.csv`).",
        "verantwoording",
        reference=reg.reference_label,
    )


# Palette sizes of the embedded figures (report.embedded_png): lines, bands and text look
# the same with fewer colours, in a fifth (pillars) to a third (network) fewer bytes.
PILLAR_COLOURS, NETWORK_COLOURS = 64, 32


def _figure_alt(pillar: str, indicators: list[str], reg) -> str:
    """What a pillar's figure shows, for a reader who cannot see it (names from ``reg``),
    and where its numbers are."""
    return (
        f"Lijngrafieken van de pijler {pillar}, één per indicator: {'; '.join(indicators)}. "
        f"Elk paneel toont per jaar de waarde in elke wijk, in {reg.aggregate_label} als geheel "
        f"en in {reg.reference_label} (stippellijn), met de route naar het doel voor 2043. "
        "De trend en de voortgang van elke reeks staan in woorden in de tabel 'Trend en "
        f"voortgang per indicator en wijk: {pillar}' in de bijlage; alle waarden in "
        "tables/trends.csv."
    )


def show_data_quality(run, step, *, limit: int = 25) -> None:
    """The data-quality findings for the Verantwoording: counts, the first ``limit``,
    every override (a value a later delivery replaced) and the figures left out
    because their year is after the evaluation year."""
    findings = step.findings
    section = "verantwoording"
    n_warn = int((findings["severity"] == "warning").sum()) if len(findings) else 0
    show_markdown(
        f"#### Datakwaliteit\n\nBij het inlezen van {len(step.files)} bestand(en) met metingen "
        f"zijn {n_warn} waarschuwingen gevonden (fouten stoppen de evaluatie, dus die zijn er "
        "niet). Ze staan allemaal in `tables/data_quality.csv`"
        + (f"; de eerste {limit} staan in de bijlage." if n_warn > limit else "."),
        section,
    )
    future = int(getattr(step, "future", 0))
    if future:
        show_markdown(
            f"{future} cijfer(s) uit jaren na het evaluatiejaar {run.year} zijn weggelaten; "
            "ze tellen mee in de evaluatie van dat jaar.",
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
            caption=f"De eerste {min(limit, n_warn)} bevindingen over de datakwaliteit",
            appendix=f"Datakwaliteit: de eerste {min(limit, n_warn)} bevindingen",
            csv="data_quality.csv",
        )
    _show_overrides(step, section)


def _show_overrides(step, section: str) -> None:
    """Every value a later delivery replaced, with both files and both values."""
    overrides = getattr(step, "overrides", None)
    n = 0 if overrides is None else len(overrides)
    text = (
        "#### Vervangen waarden\n\nVoor hetzelfde cijfer (indicator, gebied, jaar) wint de "
        f"latere levering (de leverdatum in `data/{_AT.deliveries_file}`, niet de "
        "bestandsnaam). "
    )
    if not n:
        show_markdown(text + "Geen enkele latere levering gaf een ander cijfer.", section)
        return
    show_markdown(
        text + f"{n} waarde(n) zijn zo vervangen; ze staan ook in `tables/vervangen_waarden.csv`.",
        section,
    )
    short = overrides.assign(
        year=overrides["year"].astype(str),  # a year, not a number with a thousands mark
        file=overrides["file"].map(lambda f: str(f).rsplit("/", 1)[-1]),
        replaced_file=overrides["replaced_file"].map(lambda f: str(f).rsplit("/", 1)[-1]),
    )
    show_table(
        short,
        section,
        caption="Waarden die een latere levering verving",
        columns={
            "indicator": "Indicator",
            "area": "Gebied",
            "year": "Jaar",
            "replaced_value": "Oude waarde",
            "replaced_file": "Uit",
            "value": "Nieuwe waarde",
            "file": "Uit (nieuwer)",
            "delivered": "Geleverd op",
        },
    )


# -- vertellen -------------------------------------------------------------------


def _theme_labels(step) -> dict[str, str]:
    return {t.id: t.label for t in step.codebook.themes}


_QUOTE = (
    "> \u201c{sentence}\u201d  \n> \u2014 {teller}, {area}; vindt het {change} geworden ({story})"
)


def _show_quote(row, labels: Mapping[str, str], section: str) -> None:
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


def _show_who(run, stories: pd.DataFrame, section: str) -> None:
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
    from ..vertellen.language import language_name

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
        show_table(
            terms,
            section,
            caption="Woorden die in de verhalen uit een wijk opvallend vaak voorkomen",
            columns={"group": "Wijk", "term": "Kenmerkende woorden"},
        )
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


# -- vertellen en tellen ---------------------------------------------------------


def _numbers_cell(row) -> str:
    if row.series == 0:
        return NUMBERS_NL[row.numbers_direction]
    return (
        f"{NUMBERS_NL[row.numbers_direction]} ({row.improving} beter, {row.worsening} slechter, "
        f"{row.no_trend} geen trend)"
    )


def _progress_cell(row) -> str:
    parts = [
        f"{getattr(row, f'n_{s}')} {PROGRESS_NL[s]}"
        for s in PROGRESS_NL
        if s != "not_assessable" and getattr(row, f"n_{s}")
    ]
    return ", ".join(parts) if parts else "niet te beoordelen"


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
        rows = list(mine.itertuples(index=False))
        table = pd.DataFrame(
            {
                "Doel": mine["label"],
                "Trend in de cijfers": [_numbers_cell(r) for r in rows],
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


def _no_pillar_key(language) -> tuple[str]:
    """The table key of a story without a pillar: apart when it is not told in Dutch."""
    return ("",) if language in (DUTCH, "", None) or pd.isna(language) else (_NOT_DUTCH_KEY,)


def show_summary(run, step) -> None:
    """The Samenvatting: the status matrix (:mod:`.status`) and, under it, five to eight
    sentences from the tables (:mod:`.summary`)."""
    reg = run.registry
    section = "samenvatting"
    columns = [*run.areas, reg.aggregate_id]
    labels = reg.area_labels()
    if step.matrix_figure is not None:
        show_figure(
            step.matrix_figure,
            section,
            alt=matrix_alt(step.matrix, reg.pillars, labels, columns)
            + " Het oordeel van elk vak staat voluit in de tabellen 'Trend en voortgang per "
            "indicator en wijk' in de bijlage, en in tables/statusoverzicht.csv.",
            caption=(
                "Elk vak is één reeks (indicator x gebied) met één lezing: de voortgang naar "
                "het doel voor 2043 waar die te beoordelen is, anders de trend (vanaf "
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


# -- leeragenda ------------------------------------------------------------------


def _listed(values: object, labels: Mapping[str, str] | None = None) -> str:
    if not isinstance(values, list | tuple) or not values:
        return "–"
    labels = labels or {}
    return ", ".join(labels.get(v, str(v)) for v in values)


def show_leeragenda(run, step) -> None:
    """The chapter 'Leeragenda': questions, research and over-asking, lessons,
    efforts, the network and its gaps, and the questions proposed this year.

    Each part that is still empty says so, and where to fill it in.
    """
    from .report import chapter

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


def _show_questions(run, step, section: str) -> None:
    reg = run.registry
    pillars = dict(zip(reg.pillars["id"], reg.pillars["label"], strict=True))
    everything = step.agenda.research  # a question may name research in another area
    research_titles = dict(zip(everything["id"], everything["title"], strict=True))
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
    if len(step.proposals):
        show_markdown(
            "#### Voorgesteld uit deze evaluatie\n\nBij deze doelen spraken cijfers en verhalen "
            "elkaar tegen (zie de pijlerhoofdstukken). Het programmateam beslist of ze op de "
            "leeragenda komen.\n\n{questions}",
            section,
            questions=list(step.proposals["question"]),
        )


def _show_research(run, step, section: str) -> None:
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
    if len(flagged):
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


def _show_lessons(step, section: str) -> None:
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


def _show_efforts(run, step, section: str) -> None:
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


def _show_network(step, section: str) -> None:
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
