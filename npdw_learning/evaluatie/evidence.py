"""What this year's numbers and stories say about each learning question.

For every learning question of the agenda (``learning_questions.yaml``: linked
indicators, codebook themes, research and lessons) :func:`question_evidence`
gathers, from the tables the run already has:

* the numbers: the one reading the status matrix shows for each linked
  indicator in each chosen neighbourhood (``statusoverzicht.csv``, the same
  order of precedence as everywhere: comparison with comparable wijken,
  progress, trend, change since the baseline, break after the start), with the direction it points
  (:data:`~npdw_learning.evaluatie.joint.SERIES_DIRECTIONS`) and the direction of
  them all (:func:`~npdw_learning.evaluatie.joint.numbers_direction`);
* the stories: the stories of the chosen neighbourhoods coded with a linked
  theme, each counted once, their direction
  (:func:`~npdw_learning.evaluatie.joint.stories_direction`) and one quote from
  the consented sentences the vertellen step selected (``citaten_per_thema.csv``);
* the linked research with its state, and the linked lessons.

The two directions meet as in the joint display per goal
(:func:`~npdw_learning.evaluatie.joint.meta_inference`), and the question gets one
evidence label (:data:`EVIDENCE`):

=================  ==============================================================
``converging``     numbers and stories point the same way (``convergent``)
``diverging``      both are there but do not point the same way: they contradict
                   (``discordant``) or one shows what the other does not
                   (``expansion``); ``meta_inference`` says which
``numbers_only``   numbers with a direction, no story
``stories_only``   stories, no numbers with a direction
``none``           neither
=================  ==============================================================

and a proposed next step in Dutch (:func:`next_step`), from the label, the
question's status and its research. Everything here is a pure function of tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..vertellen.analysis import MIN_CELL
from .joint import (
    _OPPOSITE,
    MIN_STORIES,
    add_quotes,
    meta_inference,
    numbers_summary,
    series_directions,
    stories_direction,
)

__all__ = [
    "EVIDENCE",
    "EVIDENCE_COLUMNS",
    "question_series",
    "question_evidence",
    "next_step",
    "publishable_evidence",
]

EVIDENCE = ("converging", "diverging", "numbers_only", "stories_only", "none")
_FROM_META = {
    "convergent": "converging",
    "discordant": "diverging",
    "expansion": "diverging",
    "numbers_only": "numbers_only",
    "stories_only": "stories_only",
    "no_evidence": "none",
}
# tables/leervragen_bewijs.csv: the shared contract's columns first, then the details.
EVIDENCE_COLUMNS = [
    "question",
    "text",
    "pillars",
    "status",
    "indicators",
    "readings",
    "themes",
    "stories",
    "evidence",
    "research_status",
    "lessons",
    "next_step",
    "numbers_direction",
    "series",
    "improving",
    "worsening",
    "no_trend",
    "stories_direction",
    "meta_inference",
    "quote_story",
    "quote",
]
SERIES_COLUMNS = ["question", "indicator", "area", "reading", "outcome", "direction"]


def _ids(value: object) -> list[str]:
    """A list field of the agenda: a list (as loaded) or ``;``-joined text (as in a CSV)."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [v for v in str(value).split(";") if v]


def question_series(
    questions: pd.DataFrame, cells: pd.DataFrame, areas: Sequence[str]
) -> pd.DataFrame:
    """Every linked indicator x chosen area of every question with its reading.

    Returns
    -------
    DataFrame
        :data:`SERIES_COLUMNS`: questions in agenda order, their indicators in the
        order listed, areas in the order given; ``direction`` as
        :func:`~npdw_learning.evaluatie.joint.series_directions` gives it.
        An indicator the matrix does not hold (no row for it) has no series.
    """
    mine = series_directions(cells[cells["area"].isin(areas)])
    keyed = mine[["indicator", "area", "reading", "outcome", "direction"]].itertuples(index=False)
    by_key = {(i, a): (r, o, d) for i, a, r, o, d in keyed}
    rows = [
        (q, indicator, area, *by_key[(indicator, area)])
        for q, listed in zip(questions["id"], questions["indicators"], strict=True)
        for indicator in _ids(listed)
        for area in areas
        if (indicator, area) in by_key
    ]
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def _stories_by_theme(
    stories: pd.DataFrame, codes: pd.DataFrame, areas: Sequence[str]
) -> pd.DataFrame:
    """``story_id, theme, change``: each coded story of ``areas`` once per theme."""
    mine = stories[stories["area"].isin(areas)][["id", "change"]]
    coded = codes[["story_id", "theme"]].dropna().drop_duplicates()
    coded = coded.merge(mine, left_on="story_id", right_on="id", how="inner")
    return coded[["story_id", "theme", "change"]]


def question_evidence(
    questions: pd.DataFrame,
    cells: pd.DataFrame,
    stories: pd.DataFrame,
    codes: pd.DataFrame,
    theme_quotes: pd.DataFrame,
    research: pd.DataFrame,
    *,
    areas: Sequence[str],
    min_stories: int = MIN_STORIES,
) -> pd.DataFrame:
    """The evidence of every learning question (see the module docstring).

    Parameters
    ----------
    questions : DataFrame
        The agenda's learning questions: ``id, question, pillars, indicators,
        themes, research, status, lessons`` (lists, or ``;``-joined text).
    cells : DataFrame
        The status matrix: ``indicator, area, reading, outcome``.
    stories : DataFrame
        ``id, area, change``.
    codes : DataFrame
        ``story_id, theme``.
    theme_quotes : DataFrame
        ``theme, story_id, change, sentence``: consented sentences only
        (``citaten_per_thema.csv``); the quote comes from there and nowhere else.
    research : DataFrame
        ``id, status`` of every research activity of the agenda.
    areas : sequence of str
        The chosen neighbourhoods (the aggregate would count them twice).
    min_stories : int
        Fewer stories give no direction (``te_weinig``), as in the joint display.

    Returns
    -------
    DataFrame
        :data:`EVIDENCE_COLUMNS`, one row per question in agenda order. List
        columns are ``;``-joined; ``readings`` lists each series as
        ``indicator@area=reading:outcome``; ``research_status`` each research as
        ``id=status``; ``stories`` is the raw count (:func:`publishable_evidence`
        hides a small one).
    """
    series = question_series(questions, cells, areas)
    told = _stories_by_theme(stories, codes, areas)
    state = dict(zip(research["id"], research["status"], strict=True))
    rows = [
        _question_row(q, series[series["question"] == q.id], told, state, min_stories)
        for q in questions.itertuples(index=False)
    ]
    frame = pd.DataFrame(rows, columns=[c for c in EVIDENCE_COLUMNS if c[:6] != "quote_"])
    return add_quotes(frame, theme_quotes)[EVIDENCE_COLUMNS]


def _question_row(
    q, series: pd.DataFrame, told: pd.DataFrame, state: Mapping[str, str], min_stories: int
) -> dict:
    """One row of :func:`question_evidence`."""
    themes = _ids(q.themes)
    linked = told[told["theme"].isin(themes)].drop_duplicates("story_id")
    changes = linked["change"].astype(str).tolist()
    numbers = numbers_summary(series)
    direction = stories_direction(changes, min_stories)
    meta = meta_inference(numbers["numbers_direction"], direction)
    evidence = _FROM_META[meta]
    research = _ids(q.research)
    states = [state.get(r, "onbekend") for r in research]
    indicators = _ids(q.indicators)
    return {
        "question": q.id,
        "text": q.question,
        "pillars": ";".join(_ids(q.pillars)),
        "status": q.status,
        "indicators": ";".join(indicators),
        "readings": ";".join(
            f"{s.indicator}@{s.area}={s.reading}:{s.outcome}" for s in series.itertuples()
        ),
        "themes": ";".join(themes),
        "stories": len(changes),
        "evidence": evidence,
        "research_status": ";".join(f"{r}={s}" for r, s in zip(research, states, strict=True)),
        "lessons": ";".join(_ids(q.lessons)),
        "next_step": next_step(
            evidence,
            q.status,
            numbers=numbers["numbers_direction"],
            told=direction,
            research=states,
            indicators=bool(indicators),
            themes=bool(themes),
        ),
        **{k: v for k, v in numbers.items() if k != "readings"},
        "stories_direction": direction,
        "meta_inference": meta,
    }


def next_step(
    evidence: str,
    status: str,
    *,
    numbers: str = "",
    told: str = "",
    research: Iterable[str] = (),
    indicators: bool = True,
    themes: bool = True,
) -> str:
    """The proposed next step for a question (Dutch), from its evidence label, its
    status (``open``, ``in_onderzoek``, ``beantwoord``), the two directions (``numbers``,
    ``told``: of the numbers and of the stories), the states of its research and
    whether it links indicators and themes at all.

    Examples
    --------
    >>> next_step("converging", "open")
    'cijfers en verhalen wijzen dezelfde kant op: klaar om te beantwoorden in de leersessie'
    >>> next_step("none", "open", research=[])
    'nog geen bewijs en geen onderzoek: onderzoek nodig'
    """
    if evidence not in EVIDENCE:
        raise ValueError(f"onbekend bewijslabel: {evidence!r}")
    if status == "beantwoord":
        return {
            "converging": "beantwoord, en cijfers en verhalen wijzen dezelfde kant op: "
            "het antwoord houdt stand; borg de les",
            "diverging": "beantwoord, maar cijfers en verhalen lopen uiteen: "
            "toets het antwoord opnieuw in de leersessie",
        }.get(evidence, "beantwoord: volg met cijfers en verhalen of het antwoord blijft gelden")
    if evidence == "converging":
        return (
            "cijfers en verhalen wijzen dezelfde kant op: klaar om te beantwoorden in de leersessie"
        )
    if evidence == "diverging":
        return _diverging(numbers, told)
    if evidence == "numbers_only":
        if not themes:
            return "alleen cijfers, geen verhaalthema gekoppeld: koppel thema's en haal verhalen op"
        return "alleen cijfers: haal verhalen op over deze vraag"
    if evidence == "stories_only":
        if not indicators:
            return (
                "alleen verhalen, geen indicator gekoppeld: "
                "zoek een indicator of meet het in onderzoek"
            )
        return (
            "alleen verhalen, de cijfers geven nog geen richting: lees de verhalen in de leersessie"
        )
    return _without_evidence(list(research))


def _diverging(numbers: str, told: str) -> str:
    """The next step when numbers and stories do not point the same way."""
    if (numbers, told) in _OPPOSITE:
        return "cijfers en verhalen spreken elkaar tegen: bespreek het verschil in de leersessie"
    if told == "te_weinig":
        return "te weinig verhalen voor een richting: haal gericht verhalen op over deze vraag"
    if numbers == "gemengd" and told == "gemengd":
        return (
            "cijfers en verhalen zijn allebei gemengd: zoek in de leersessie uit waar het "
            "beter en waar het slechter gaat"
        )
    if numbers in ("gemengd", "geen_trend"):
        return (
            "de verhalen tonen een richting die de cijfers niet duidelijk tonen: bespreek in "
            "de leersessie wat de verhalen toevoegen"
        )
    return (
        "de cijfers tonen een richting die de verhalen niet duidelijk tonen: bespreek in de "
        "leersessie welke verhalen bij de cijfers passen en welke niet"
    )


def _without_evidence(research: list[str]) -> str:
    """The next step of a question without evidence, from the states of its research."""
    if not research:
        return "nog geen bewijs en geen onderzoek: onderzoek nodig"
    if "lopend" in research:
        return "nog geen bewijs, het onderzoek loopt: bespreek de eerste uitkomsten"
    if "afgerond" in research:
        return "nog geen bewijs, het onderzoek is afgerond: haal de uitkomst op en leg die vast"
    return "nog geen bewijs, het onderzoek is nog niet begonnen: vraag de eigenaar naar de stand"


def publishable_evidence(evidence: pd.DataFrame, min_cell: int = MIN_CELL) -> pd.DataFrame:
    """The evidence with a small story count (1 to ``min_cell - 1``) shown as ``"<5"``,
    as the report's tables hide it."""
    shown = [f"<{min_cell}" if 0 < n < min_cell else n for n in evidence["stories"]]
    return evidence.astype({"stories": object}).assign(stories=shown)
