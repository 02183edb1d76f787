"""Pillar chapters, part ``cijfers``: each pillar's counts, figure, table and breaks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...tellen.breaks import PREDICTION_LEVEL
from ...tellen.changes import CHANGE_COLUMNS, CONFIDENCE
from ...tellen.trends import INTERVAL
from ..labels import BREAK_NL, CHANGE_NL, PROGRESS_NL, TREND_NL
from ..method import percent
from ..report import show_figure, show_markdown, show_table

if TYPE_CHECKING:
    from ...kern.registry import Registry
    from ..steps import Run, TellenStep

__all__ = ["show_tellen"]


_READING_NL = {"level": "de wijk zelf", "gap": "verschil met {reference}"}


def _number(value: float, *, signed: bool = False) -> str:
    """A number in Dutch notation (decimal comma), two decimals below 100, none above."""
    sign = "+" if signed else ""
    decimals = 2 if abs(value) < 100 else 0
    text = f"{value:{sign},.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _change_cell(row: Any) -> str:
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


def _cell(row: Any) -> str:
    if row.verdict == "insufficient_data" and isinstance(row.change_verdict, str):
        text = _change_cell(row)
    else:
        text = TREND_NL[row.verdict]
    if isinstance(row.status, str) and row.status != "not_assessable":
        text += f"; {PROGRESS_NL[row.status]}"
    return text


def _tellen_rows(step: TellenStep, shown: list[str]) -> pd.DataFrame:
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


def show_tellen(run: Run, step: TellenStep) -> None:
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
        show_markdown(" ".join([_pillar_sentence(hoods), *_progress_sentence(hoods)]), section)
        # The figure first: a table can run on over a page break, a figure cannot, so
        # the flexible parts after it fill the page instead of leaving a gap before it.
        shown_ids = [i for i in ind.index if i in set(mine["indicator"])]
        _show_pillar_figure(run, step, pillar, section, [ind.loc[i, "label"] for i in shown_ids])
        show_table(
            _pillar_table(mine, ind, shown, labels),
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


def _progress_sentence(hoods: pd.DataFrame) -> list[str]:
    """The progress towards the goals of one pillar's series in the chosen areas, as a
    sentence (none when no series can be assessed)."""
    counts = hoods["status"].fillna("not_assessable").value_counts()
    assessable = int(len(hoods) - counts.get("not_assessable", 0))
    if not assessable:
        return []
    parts = [
        f"{counts.get(s, 0)} {PROGRESS_NL[s]}"
        for s in PROGRESS_NL
        if s != "not_assessable" and counts.get(s, 0)
    ]
    return [f"Van de {assessable} reeksen met een doel en genoeg metingen: {', '.join(parts)}."]


def _pillar_table(
    mine: pd.DataFrame, ind: pd.DataFrame, shown: list[str], labels: Mapping[str, str]
) -> pd.DataFrame:
    """One pillar's indicator x area table: a cell per series, in registry order."""
    cells = mine.assign(cell=[_cell(r) for r in mine.itertuples(index=False)])
    table = cells.pivot(index="indicator", columns="area", values="cell")
    order = [i for i in ind.index if i in table.index]
    table = table.reindex(index=order, columns=[a for a in shown if a in table.columns])
    table = table.fillna("–")
    table.insert(0, "Indicator", [ind.loc[i, "label"] for i in table.index])
    table.columns = ["Indicator", *[labels[a] for a in table.columns[1:]]]
    return table.reset_index(drop=True)


def _show_pillar_figure(
    run: Run, step: TellenStep, pillar: Any, section: str, indicators: list[str]
) -> None:
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


def _show_breaks(run: Run, step: TellenStep, pillar: str, section: str) -> None:
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
    show_table(
        _breaks_table(bent, ind, reg),
        section,
        caption=(
            "Reeksen waarvan de laatste meting buiten de marge van de lijn van voor de start valt"
        ),
    )


def _breaks_table(bent: pd.DataFrame, ind: pd.DataFrame, reg: Registry) -> pd.DataFrame:
    """The series whose latest value left the margin of the line from before the start."""
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
    return table.reset_index(drop=True)


# Palette size of the embedded pillar figures (report.embedded_png): lines, bands and text
# look the same with fewer colours, in a fifth fewer bytes.
PILLAR_COLOURS = 64


def _figure_alt(pillar: str, indicators: list[str], reg: Registry) -> str:
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
