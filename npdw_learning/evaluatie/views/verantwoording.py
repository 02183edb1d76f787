"""The chapter ``verantwoording``: the readings of the numbers and the data quality."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from ...kern.programme import ProgrammeFolder as _AT  # on the class: paths as messages name them
from ...tellen.breaks import MIN_POST_POINTS, MIN_PRE_POINTS, PREDICTION_LEVEL
from ...tellen.changes import CHANGE_COLUMNS, CONFIDENCE
from ...tellen.trends import FDR_ALPHA, MIN_POINTS
from ..report import show_markdown, show_table

if TYPE_CHECKING:
    from ..steps import Run, TellenStep

__all__ = ["show_readings", "show_data_quality"]


def show_readings(run: Run, step: TellenStep) -> None:
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


def show_data_quality(run: Run, step: TellenStep, *, limit: int = 25) -> None:
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


def _show_overrides(step: TellenStep, section: str) -> None:
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
