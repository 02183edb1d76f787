"""Vertellen en tellen: the joint display per operational goal and its meta-inference.

For every operational goal the joint display puts the numbers (the trend
verdicts and progress statuses of the indicators that measure the goal, in
the chosen areas) next to the stories that speak to it (stories coded with a
theme the codebook links to the goal). The two are compared on one thing
both can say: the *direction of change*.

Numbers (:func:`numbers_direction`), over the series with a verdict other
than ``insufficient_data``:

* ``verbetering`` - more series improve than worsen (at least one improves);
* ``verslechtering`` - more series worsen than improve;
* ``gemengd`` - as many improve as worsen (at least one of each);
* ``geen_trend`` - no series has a significant trend;
* ``geen_cijfers`` - no series can be assessed.

Stories (:func:`stories_direction`), with the direction each teller gave
(``beter, slechter, gelijk, gemengd``):

* ``beter``, ``slechter`` or ``gelijk`` - the most frequent of these three,
  when it is strictly more frequent than each of the other two;
* ``gemengd`` - a tie, or only ``gemengd`` stories;
* ``te_weinig`` - fewer than ``min_stories`` stories: too few for a direction;
* ``geen_verhalen`` - no story.

The meta-inference (:func:`meta_inference`), after Fetters, Curry & Creswell
(2013), "Achieving integration in mixed methods designs":

========================  =====================================================
``convergent``            both say the same: verbetering/beter,
                          verslechtering/slechter or geen_trend/gelijk
``discordant``            they contradict: verbetering/slechter or
                          verslechtering/beter; proposed as a learning question
``expansion``             both present, neither the same nor opposite: one adds
                          what the other does not show
``numbers_only``          assessable numbers, no story
``stories_only``          stories, no assessable numbers
``no_evidence``           neither
========================  =====================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..kern.registry import Registry
from ..tellen.progress import STATUSES
from ..vertellen.analysis import CHANGES, MIN_CELL, TOTAL, suppress

__all__ = [
    "META_INFERENCES",
    "JOINT_COLUMNS",
    "numbers_direction",
    "stories_direction",
    "meta_inference",
    "joint_display",
    "publishable",
    "add_quotes",
    "proposed_learning_questions",
]

META_INFERENCES = (
    "convergent",
    "expansion",
    "discordant",
    "numbers_only",
    "stories_only",
    "no_evidence",
)
NUMBERS_DIRECTIONS = ("verbetering", "verslechtering", "gemengd", "geen_trend", "geen_cijfers")
STORIES_DIRECTIONS = ("beter", "slechter", "gelijk", "gemengd", "te_weinig", "geen_verhalen")
MIN_STORIES = 3

_ASSESSABLE = ("improving", "worsening", "no_significant_trend")
_SAME = {("verbetering", "beter"), ("verslechtering", "slechter"), ("geen_trend", "gelijk")}
_OPPOSITE = {("verbetering", "slechter"), ("verslechtering", "beter")}
_PROGRESS_COUNTS = [f"n_{s}" for s in STATUSES if s != "not_assessable"]

JOINT_COLUMNS = [
    "goal",
    "pillar",
    "label",
    "indicators",
    "series",
    "improving",
    "worsening",
    "no_trend",
    *_PROGRESS_COUNTS,
    "numbers_direction",
    "stories",
    *CHANGES,
    "themes",
    "stories_direction",
    "meta_inference",
]


def numbers_direction(verdicts: Iterable[str]) -> str:
    """Direction of change of a goal's indicator series (see the module docstring).

    Examples
    --------
    >>> numbers_direction(["improving", "no_significant_trend", "insufficient_data"])
    'verbetering'
    >>> numbers_direction(["insufficient_data"])
    'geen_cijfers'
    """
    verdicts = [v for v in verdicts if v in _ASSESSABLE]
    if not verdicts:
        return "geen_cijfers"
    up, down = verdicts.count("improving"), verdicts.count("worsening")
    if up > down:
        return "verbetering"
    if down > up:
        return "verslechtering"
    return "gemengd" if up else "geen_trend"


def stories_direction(changes: Iterable[str], min_stories: int = MIN_STORIES) -> str:
    """Direction of change the stories on a goal give (see the module docstring).

    Examples
    --------
    >>> stories_direction(["beter", "beter", "slechter", "gemengd"])
    'beter'
    >>> stories_direction(["beter", "slechter", "gelijk"])
    'gemengd'
    >>> stories_direction(["beter"])
    'te_weinig'
    """
    changes = list(changes)
    if not changes:
        return "geen_verhalen"
    if len(changes) < min_stories:
        return "te_weinig"
    counts = {c: changes.count(c) for c in ("beter", "slechter", "gelijk")}
    best = max(counts.values())
    winners = [c for c, n in counts.items() if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else "gemengd"


def meta_inference(numbers: str, stories: str) -> str:
    """The meta-inference of one goal from the two directions.

    Examples
    --------
    >>> meta_inference("verbetering", "beter")
    'convergent'
    >>> meta_inference("verslechtering", "beter")
    'discordant'
    >>> meta_inference("geen_trend", "beter")
    'expansion'
    >>> meta_inference("geen_cijfers", "geen_verhalen")
    'no_evidence'
    """
    if numbers not in NUMBERS_DIRECTIONS:
        raise ValueError(f"onbekende richting van de cijfers: {numbers!r}")
    if stories not in STORIES_DIRECTIONS:
        raise ValueError(f"onbekende richting van de verhalen: {stories!r}")
    has_numbers = numbers != "geen_cijfers"
    has_stories = stories != "geen_verhalen"
    if not has_numbers:
        return "stories_only" if has_stories else "no_evidence"
    if not has_stories:
        return "numbers_only"
    if (numbers, stories) in _SAME:
        return "convergent"
    if (numbers, stories) in _OPPOSITE:
        return "discordant"
    return "expansion"


def joint_display(
    registry: Registry,
    trends: pd.DataFrame,
    progress: pd.DataFrame,
    stories: pd.DataFrame,
    codes: pd.DataFrame,
    goal_links: pd.DataFrame,
    *,
    areas: Sequence[str] | None = None,
    min_stories: int = MIN_STORIES,
) -> pd.DataFrame:
    """One row per operational goal: numbers, stories and the meta-inference.

    Parameters
    ----------
    registry : Registry
        For the operational goals and the indicators that measure them
        (context indicators are not counted).
    trends, progress : DataFrame
        ``trends.csv`` and ``progress.csv`` (:func:`~npdw_learning.tellen.run.run_tellen`).
    stories : DataFrame
        ``id, area, change`` (:meth:`~npdw_learning.vertellen.stories.StoryCollection.frame`).
    codes : DataFrame
        ``story_id, theme`` (auto-coded or a coder's file).
    goal_links : DataFrame
        ``theme, goal`` (:meth:`~npdw_learning.vertellen.coding.Codebook.goal_links`).
    areas : sequence of str, optional
        Areas whose series and stories count; default the programme's
        neighbourhoods (not the reference, not the aggregate, which would
        count the neighbourhoods twice).
    min_stories : int
        Fewer stories on a goal give no direction (``te_weinig``).

    Returns
    -------
    DataFrame
        :data:`JOINT_COLUMNS`, goals in registry order. ``indicators`` and
        ``themes`` are ``;``-separated; the counts are raw (use
        :func:`publishable` before showing them).
    """
    areas = list(areas) if areas is not None else _programme_areas(registry)
    trends = trends[trends["area"].isin(areas)]
    progress = progress[progress["area"].isin(areas)]
    by_goal = _stories_by_goal(stories, codes, goal_links, areas)
    rows = [
        _goal_row(goal, trends, progress, by_goal, min_stories)
        for goal in registry.operational_goals.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=JOINT_COLUMNS)


def _programme_areas(registry: Registry) -> list[str]:
    """The neighbourhoods: every area but the reference and the aggregate."""
    return [a for a in registry.areas["id"] if a not in (registry.reference, registry.aggregate_id)]


def _stories_by_goal(
    stories: pd.DataFrame, codes: pd.DataFrame, goal_links: pd.DataFrame, areas: Sequence[str]
) -> pd.DataFrame:
    """``story_id, theme, id, change, goal``: each coded story of ``areas`` per goal of its
    themes (a story counts once per theme, however often it was coded on it)."""
    mine = stories[stories["area"].isin(areas)][["id", "change"]]
    coded = codes[["story_id", "theme"]].dropna().drop_duplicates()
    coded = coded.merge(mine, left_on="story_id", right_on="id", how="inner")
    return coded.merge(goal_links, on="theme", how="inner")


def _goal_row(
    goal, trends: pd.DataFrame, progress: pd.DataFrame, by_goal: pd.DataFrame, min_stories: int
) -> dict:
    """One row of the joint display: the goal's series and statuses, its stories, the verdict."""
    indicators = list(goal.indicators)
    verdicts = trends.loc[trends["indicator"].isin(indicators), "verdict"].tolist()
    statuses = progress.loc[progress["indicator"].isin(indicators), "status"].tolist()
    on_goal = by_goal[by_goal["goal"] == goal.id]
    changes = on_goal.drop_duplicates("story_id")["change"].astype(str).tolist()
    numbers = numbers_direction(verdicts)
    told = stories_direction(changes, min_stories)
    return {
        "goal": goal.id,
        "pillar": goal.pillar,
        "label": goal.label,
        "indicators": ";".join(indicators),
        "series": sum(v in _ASSESSABLE for v in verdicts),
        "improving": verdicts.count("improving"),
        "worsening": verdicts.count("worsening"),
        "no_trend": verdicts.count("no_significant_trend"),
        **{f"n_{s}": statuses.count(s) for s in STATUSES if s != "not_assessable"},
        "numbers_direction": numbers,
        "stories": len(changes),
        **{c: changes.count(c) for c in CHANGES},
        "themes": ";".join(sorted(on_goal["theme"].unique())),
        "stories_direction": told,
        "meta_inference": meta_inference(numbers, told),
    }


def add_quotes(joint: pd.DataFrame, theme_quotes: pd.DataFrame) -> pd.DataFrame:
    """Add one consented quote per goal: ``quote_story`` and ``quote``.

    The quote comes from a theme of the goal (``themes``) and, where one
    exists, from a story whose direction of change matches the goal's
    ``stories_direction``, so the quote illustrates what most stories say.
    Candidates keep the order of ``theme_quotes`` (most evidence first).

    Parameters
    ----------
    joint : DataFrame
        From :func:`joint_display`.
    theme_quotes : DataFrame
        ``theme, story_id, change, sentence`` (consented sentences only).
    """
    stories, sentences = [], []
    for row in joint.itertuples(index=False):
        themes = [t for t in str(row.themes).split(";") if t]
        candidates = theme_quotes[theme_quotes["theme"].isin(themes)]
        matching = candidates[candidates["change"] == row.stories_direction]
        pick = matching if len(matching) else candidates
        if len(pick):
            stories.append(pick.iloc[0]["story_id"])
            sentences.append(pick.iloc[0]["sentence"])
        else:
            stories.append(None)
            sentences.append(None)
    return joint.assign(quote_story=stories, quote=sentences)


def publishable(joint: pd.DataFrame, min_cell: int = MIN_CELL) -> pd.DataFrame:
    """The joint display with small story counts hidden (``vertellen.analysis.suppress``).

    The goals x directions block is suppressed with ``stories`` as its row
    total, so a direction count of 1-4 shows as ``"<5"``.
    """
    block = joint.set_index("goal")[[*CHANGES, "stories"]].rename(columns={"stories": TOTAL})
    shown = suppress(block.astype("int64"), min_cell).rename(columns={TOTAL: "stories"})
    out = joint.copy().astype({c: object for c in [*CHANGES, "stories"]})
    for column in [*CHANGES, "stories"]:
        out[column] = shown[column].to_numpy()
    return out


_NUMBERS_NL = {
    "verbetering": "een verbetering",
    "verslechtering": "een verslechtering",
}
_STORIES_NL = {"beter": "verbetering", "slechter": "verslechtering"}


def proposed_learning_questions(
    joint: pd.DataFrame, indicator_labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Every discordant goal as a proposed learning question (Dutch).

    Returns
    -------
    DataFrame
        ``goal, pillar, question, numbers_direction, stories_direction,
        indicators, themes``, one row per goal whose meta-inference is
        ``discordant``.
    """
    labels = dict(indicator_labels or {})
    columns = [
        "goal",
        "pillar",
        "question",
        "numbers_direction",
        "stories_direction",
        "indicators",
        "themes",
    ]
    rows = []
    for row in joint[joint["meta_inference"] == "discordant"].itertuples(index=False):
        named = [labels.get(i, i) for i in str(row.indicators).split(";") if i]
        question = (
            f"Bij het doel '{row.label}' wijzen de cijfers ({', '.join(named)}) op "
            f"{_NUMBERS_NL[row.numbers_direction]}, terwijl de verhalen vooral over "
            f"{_STORIES_NL[row.stories_direction]} gaan. Wat verklaart dat verschil: "
            "meten de cijfers iets anders dan wat bewoners ervaren, gaat het om andere "
            "groepen of straten, of loopt het een het ander vooruit?"
        )
        rows.append(
            {
                "goal": row.goal,
                "pillar": row.pillar,
                "question": question,
                "numbers_direction": row.numbers_direction,
                "stories_direction": row.stories_direction,
                "indicators": row.indicators,
                "themes": row.themes,
            }
        )
    return pd.DataFrame(rows, columns=columns)
