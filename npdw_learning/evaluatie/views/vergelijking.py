"""The chapter ``vergelijking``: Dordt West against comparable neighbourhoods in the country.

From the run's comparison tables (:mod:`..comparison`): a short opening with the
counts of the verdicts, then per pillar the figure (each area against its
comparison, with the placebo band) and a table of the verdicts with the effect
and its interval in the indicator's unit, the NPLV ranking when the run has it,
and in the Verantwoording what this reading can and cannot say, which regions
were compared and how alike they were before the start. Without the tables
(no national file given) the Verantwoording says so in one sentence and the
chapter is left out.

Region and area names from the national file are outside text: they reach the
report only as table cells (escaped) or values of ``show_markdown``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...tellen.national_run import DEMO_POOL_REGIONS
from ...tellen.trends import FDR_ALPHA
from ..comparison import BALANCED, balance_summary, members_summary, programme_ranking
from ..labels import BALANCE_MEASURE_NL, COMPARISON_METHOD_NL, COMPARISON_NL
from ..method import percent
from ..report import chapter, show_figure, show_markdown, show_table
from .cijfers import _number

if TYPE_CHECKING:
    from ..steps import ComparisonStep, Run

__all__ = ["show_comparison"]

SECTION = "vergelijking"
ABSENT = (
    "Dit rapport vergelijkt {programme} niet met vergelijkbare wijken elders in het land, "
    "omdat er geen landelijk bestand is meegegeven (`npdw evaluate --national BESTAND`)."
)
_HEAD = "#### Vergelijking met vergelijkbare wijken\n\n"


# Said when the run compared with the synthetic demo panel (no national file was given).
_INVENTED = (
    "\n\n**Let op: de vergelijkingswijken hier zijn verzonnen.** Er is geen landelijk bestand "
    "gegeven (`npdw evaluate --national BESTAND`), dus vergelijkt deze demo met een "
    f"synthetisch landelijk panel: {DEMO_POOL_REGIONS} bedachte wijken rond de demoreeksen. "
    "Het laat zien hoe de vergelijking werkt; over de echte wijken zegt het niets."
)


def _programme(run: Run) -> str:
    reg = run.registry
    return str(reg.area_labels().get(reg.aggregate_id, reg.aggregate_id))


def show_comparison(run: Run, step: ComparisonStep) -> None:
    """The chapter and its part of the Verantwoording; without tables one sentence."""
    programme = _programme(run)
    if step.tables is None:
        show_markdown(_HEAD + ABSENT, "verantwoording", programme=programme)
        return
    title = f"{programme} vergeleken met vergelijkbare wijken"
    chapter(SECTION, title)
    show_markdown(
        "Met een landelijk bestand toont het statusoverzicht in een vakje eerst de "
        "vergelijking met wijken elders in het land die vóór de start op het gebied leken: "
        "*beter dan*, *slechter dan* of *zoals vergelijkbare wijken*. Het hoofdstuk '{title}' "
        "laat per pijler zien hoe elk gebied zich tot die wijken verhoudt.",
        "leeswijzer",
        title=title,
    )
    _opening(run, step, programme)
    reg = run.registry
    for pillar, label in zip(reg.pillars["id"], reg.pillars["label"], strict=True):
        _pillar(run, step, str(pillar), str(label))
    _ranking(run, step)
    _method(run, step, programme)
    _members(run, step)
    _balance(step)


def _opening(run: Run, step: ComparisonStep, programme: str) -> None:
    cells = step.cells
    counted = cells["verdict"].value_counts()
    judged = int(len(cells) - counted.get("insufficient_data", 0))
    comparison = step.tables.comparison
    matched = comparison[comparison["method"] == "matched"]
    k = pd.to_numeric(matched["n_comparison"], errors="coerce").dropna()
    show_markdown(
        "Gaat het in {programme} beter dan in wijken die er vóór de start van het programma "
        f"op leken, maar geen programma kregen? Per indicator en per gebied zoeken we in de "
        f"rest van Nederland de wijken die vóór {run.registry.start_year} het meest op dat "
        f"gebied leken (meestal {int(k.median()) if len(k) else 0}), en kijken we of het "
        "gebied sindsdien meer of minder veranderde dan die wijken. Wat overal tegelijk "
        "gebeurt, zoals de economie of landelijk beleid, raakt beide kanten; het verschil "
        "komt dichter bij wat het programma doet. Hoe dat werkt en wat het niet kan zeggen, "
        "staat in de Verantwoording.\n\n"
        f"Van de {len(cells)} reeksen (indicator x gebied) met een vergelijking zijn er "
        f"{judged} te beoordelen: {int(counted.get('better_than_comparison', 0))} gaan beter "
        f"dan vergelijkbare wijken, {int(counted.get('worse_than_comparison', 0))} slechter en "
        f"{int(counted.get('as_comparison', 0))} niet aantoonbaar anders. Het oordeel staat "
        "ook in het statusoverzicht van de Samenvatting, als eerste lezing van een vakje."
        + (_INVENTED if step.invented else ""),
        SECTION,
        programme=programme,
    )


def _verdict_text(row) -> str:
    """``label: effect (low tot high)``; ``*`` when the synthetic comparison gave it."""
    label = COMPARISON_NL[row.verdict]
    if row.verdict == "insufficient_data" or pd.isna(row.effect):
        return label
    text = f"{label}: {_number(float(row.effect), signed=True)}"
    if pd.notna(row.effect_low) and pd.notna(row.effect_high):
        low, high = float(row.effect_low), float(row.effect_high)
        text += f" ({_number(low, signed=True)} tot {_number(high, signed=True)})"
    return text + (" *" if row.method == "synthetic" else "")


def verdict_table(cells: pd.DataFrame, indicators: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """A row per indicator (its label and unit), a column per area: the verdict with the
    effect and its interval (:func:`_verdict_text`), ``–`` where there is none."""
    meta = indicators.set_index("id")
    rows = []
    for ident in dict.fromkeys(cells["indicator"]):
        mine = cells[cells["indicator"] == ident].set_index("area")
        unit = meta.loc[ident, "unit_label"] if ident in meta.index else None
        name = str(meta.loc[ident, "label"]) if ident in meta.index else str(ident)
        row = {"indicator": name + ("" if pd.isna(unit) else f" ({unit})")}
        for area in columns:
            row[area] = _verdict_text(mine.loc[area]) if area in mine.index else None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["indicator", *columns])
    return frame.rename(columns={"indicator": "Indicator (eenheid)", **columns})


def _pillar(run: Run, step: ComparisonStep, pillar: str, label: str) -> None:
    reg = run.registry
    own = reg.indicators[reg.indicators["pillar"] == pillar]
    cells = step.cells[step.cells["indicator"].isin(set(own["id"]))]
    if cells.empty:
        return
    figure = step.figures.get(pillar)
    if figure is not None:
        years = step.tables.paths["year"]
        show_figure(
            figure,
            SECTION,
            alt=(
                f"Per indicator van de pijler {label} en per gebied: de waarden van het gebied, "
                "het gemiddelde van de vergelijkbare wijken (streepjeslijn) en de band waarbinnen "
                f"95% van de placebovergelijkingen lag, van {int(years.min())} tot "
                f"{int(years.max())}; het teken rechtsboven is het oordeel. De cijfers staan in "
                "tables/comparison_paths.csv, de oordelen in de tabel eronder."
            ),
        )
    labels = reg.area_labels()
    columns = {a: str(labels.get(a, a)) for a in [*run.areas, reg.aggregate_id]}
    ordered = cells.assign(_o=cells["indicator"].map({i: n for n, i in enumerate(own["id"])}))
    show_table(
        verdict_table(ordered.sort_values("_o", kind="stable"), reg.indicators, columns),
        SECTION,
        caption=(
            f"{label}: oordeel tegen vergelijkbare wijken, met het verschil sinds de start "
            "(gebied min vergelijking) en tussen haakjes de marge uit de placebo's; "
            "* uit de synthetische vergelijking"
        ),
    )


def _ranking(run: Run, step: ComparisonStep) -> None:
    reg = run.registry
    mine = programme_ranking(step.tables.ranking, [*run.areas, reg.aggregate_id])
    if mine.empty:
        return
    labels = dict(zip(reg.indicators["id"], reg.indicators["label"], strict=True))
    shown = mine.assign(
        indicator=mine["indicator"].map(lambda i: labels.get(i, i)),
        year=mine["year"].astype(int).astype(str),
        place=[
            f"{int(r)} van {int(n)}" for r, n in zip(mine["rank"], mine["n_areas"], strict=True)
        ],
    )
    show_markdown(
        "#### Tussen de andere programmagebieden\n\nDe twintig gebieden van het Nationaal "
        "Programma Leefbaarheid en Veiligheid krijgen ook een programma; daarom tellen ze "
        "niet mee als vergelijkbare wijk. Hieronder de plaats van de gebieden van dit "
        "programma tussen hen (1 is het gunstigst), in het laatste jaar met cijfers "
        "(`tables/nplv_ranking.csv`).",
        SECTION,
    )
    show_table(
        shown,
        SECTION,
        columns={
            "indicator": "Indicator",
            "label": "Gebied",
            "year": "Jaar",
            "value": "Waarde",
            "place": "Plaats",
        },
        caption="Plaats tussen de NPLV-gebieden",
    )


def _method(run: Run, step: ComparisonStep, programme: str) -> None:
    comparison = step.tables.comparison
    methods = [COMPARISON_METHOD_NL[m] for m in dict.fromkeys(comparison["method"])]
    show_markdown(
        _HEAD + "**Hoe.** Per indicator en per gebied (elke wijk en {programme} als geheel) "
        "zoeken we in een landelijk bestand van CBS de wijken die vóór de start het meest op "
        "het gebied leken: in het niveau en de ontwikkeling van dat cijfer, en waar bekend in "
        "aantal inwoners en stedelijkheid (*meest gelijkende wijken*, Mahalanobis-afstand). "
        "Het effect is een verschil-in-verschillen: hoeveel het gemiddelde na de start afwijkt "
        "van dat ervoor, bij het gebied min bij de vergelijking, in de eenheid van de "
        "indicator. De *synthetische vergelijking* (Abadie, Diamond en Hainmueller 2010) geeft "
        "wijken een gewicht zodat ze samen de lijn van vóór de start volgen; het "
        "statusoverzicht gebruikt haar alleen waar de eerste niet kon. Gebruikt in deze "
        "evaluatie: {methods}.\n\n"
        "**In het statusoverzicht** gaat deze lezing voor alle andere, omdat alleen zij het "
        "programma scheidt van wat overal tegelijk gebeurt. Een wijk die net zo vooruitgaat "
        "als vergelijkbare wijken zonder programma krijgt daar *zoals vergelijkbare wijken*, "
        "ook als haar eigen cijfers beter worden; de voortgang naar het doel staat dan in de "
        "tabel van de pijler.\n\n"
        "**Toeval.** Dezelfde berekening doen we voor de wijken uit de pool alsof zij het "
        "programma kregen (placebo's). De p-waarde is het aandeel placebo's met een effect dat "
        "minstens zo groot is; de marge is het midden van de placebo-effecten (95%). Alle "
        "vergelijkingen samen zijn gecorrigeerd voor het aantal toetsen (Benjamini-Hochberg): "
        f"een oordeel *beter* of *slechter* vraagt q onder {percent(FDR_ALPHA)}.\n\n"
        "**Wat het niet kan zeggen.** Dit komt het dichtst bij de vraag of het programma "
        "verschil maakt, maar het blijft een vergelijking, geen experiment:\n\n"
        "- *Geen loting.* {programme} is niet bij toeval gekozen. Wijken die vóór de start op "
        "elkaar leken, kunnen daarna om andere redenen uit elkaar gaan.\n"
        "- *Overloop.* Het programma en het beleid van de eigen gemeente raken ook de andere "
        "wijken van die gemeente; daarom tellen die niet mee als vergelijking.\n"
        "- *Andere programma's.* De NPLV-gebieden tellen niet mee, maar van lokale "
        "programma's in de vergelijkingswijken weten we niets. Hebben die effect, dan lijkt "
        "het verschil kleiner dan het is.\n"
        "- *Definities.* CBS past soms definities en wijkgrenzen aan tussen jaren. Beide "
        "kanten komen uit hetzelfde bestand, dus een nieuwe definitie raakt ze allebei, maar "
        "een nieuwe wijkgrens kan een reeks breken.\n"
        "- *Kleine aantallen.* Een kleine wijk schommelt meer; één uitschieter kan een "
        "verschil zijn.",
        "verantwoording",
        programme=programme,
        methods=", ".join(methods),
    )


def _members(run: Run, step: ComparisonStep) -> None:
    reg = run.registry
    summary = members_summary(
        step.tables.members, [*run.areas, reg.aggregate_id], reg.area_labels(), top=3
    )
    if summary.empty:
        return
    show_table(
        summary.assign(method=summary["method"].map(COMPARISON_METHOD_NL)),
        "verantwoording",
        columns={
            "area": "Gebied",
            "method": "Methode",
            "regions": "Wijken",
            "indicators": "Indicatoren",
            "most": "Vaakst gekozen (in hoeveel indicatoren, gemiddeld gewicht)",
        },
        caption=(
            "De vergelijkingswijken per gebied; alle wijken en gewichten staan in "
            "tables/comparison_members.csv"
        ),
    )


def _balance(step: ComparisonStep) -> None:
    summary = balance_summary(step.tables.balance)
    if summary.empty:
        return
    shown = summary.assign(
        method=summary["method"].map(COMPARISON_METHOD_NL),
        measure=summary["measure"].map(lambda m: BALANCE_MEASURE_NL.get(m, m)),
        balanced=summary["balanced"].map(lambda s: f"{s:.0%}"),
    )
    show_table(
        shown,
        "verantwoording",
        columns={
            "method": "Methode",
            "measure": "Kenmerk",
            "n": "Reeksen",
            "before": "Verschil met alle wijken",
            "after": "Verschil met de vergelijking",
            "max_after": "Grootste verschil",
            "balanced": f"Onder {_number(BALANCED)}",
        },
        caption=(
            "Hoe goed de vergelijking vóór de start leek: het gestandaardiseerde verschil "
            "(mediaan van de absolute waarden) met alle wijken van de pool en met de "
            f"vergelijking; 'onder {_number(BALANCED)}': het aandeel reeksen dat na de keuze "
            "minder dan zoveel standaardafwijkingen van zijn vergelijking lag; tables/balance.csv"
        ),
    )
