"""Vertellen en tellen: the joint display per operational goal and its meta-inference.

For every operational goal the joint display puts the numbers (the readings of
the indicators that measure the goal, in the chosen areas) next to the stories
that speak to it (stories coded with a theme the codebook links to the goal).
The two are compared on one thing both can say: the *direction of change*.

Numbers: each series (indicator x area) counts with the one reading the status
matrix shows for it (:func:`~npdw_learning.evaluatie.status.status_cells`: the
comparison with comparable wijken, else the progress status, else the trend
verdict, else the change since the baseline, else the break after the start), so
in the programme's first years, before any series has a trend, a change since the
baseline or a break already gives a direction. :data:`SERIES_DIRECTIONS` says which
way each outcome points; the column ``readings`` says which readings the direction
rests on. Over the series with a direction (:func:`numbers_direction`):

* ``verbetering`` - more series improve than worsen (at least one improves);
* ``verslechtering`` - more series worsen than improve;
* ``gemengd`` - as many improve as worsen (at least one of each);
* ``geen_trend`` - no series shows a clear change;
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
from .status import READINGS

__all__ = [
    "META_INFERENCES",
    "JOINT_COLUMNS",
    "SERIES_DIRECTIONS",
    "series_directions",
    "reading_counts",
    "numbers_summary",
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
# Which way each outcome of the status matrix (``status.CELL_STYLES``) points, in the trend
# verdict's words (:func:`numbers_direction`); ``insufficient_data``: no direction.
# Progress too slow for the target still goes the right way. A target reached says where
# a series stands, not which way it moves (it may be reached and still worsening): no
# direction.
SERIES_DIRECTIONS: dict[tuple[str, str], str] = {
    # Against comparable wijken: better than them points the right way, as them shows no
    # change of the programme's own (the wijk may move, but as everywhere).
    ("comparison", "better_than_comparison"): "improving",
    ("comparison", "as_comparison"): "no_significant_trend",
    ("comparison", "worse_than_comparison"): "worsening",
    ("progress", "target_reached"): "insufficient_data",
    ("progress", "on_track"): "improving",
    ("progress", "moderate_progress"): "improving",
    ("progress", "insufficient_progress"): "improving",
    ("progress", "moving_away"): "worsening",
    ("trend", "improving"): "improving",
    ("trend", "no_significant_trend"): "no_significant_trend",
    ("trend", "worsening"): "worsening",
    ("change", "improving"): "improving",
    ("change", "no_significant_change"): "no_significant_trend",
    ("change", "worsening"): "worsening",
    ("change", "no_test"): "insufficient_data",
    ("break", "better_than_trend"): "improving",
    ("break", "as_trend"): "no_significant_trend",
    ("break", "worse_than_trend"): "worsening",
    ("none", "insufficient_data"): "insufficient_data",
    ("none", "no_data"): "insufficient_data",
}
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
    "readings",
    *_PROGRESS_COUNTS,
    "numbers_direction",
    "stories",
    *CHANGES,
    "themes",
    "stories_direction",
    "meta_inference",
]


def series_directions(cells: pd.DataFrame) -> pd.DataFrame:
    """The status matrix's cells with the ``direction`` of each (:data:`SERIES_DIRECTIONS`).

    ``cells`` has at least ``indicator, area, reading, outcome``
    (:func:`~npdw_learning.evaluatie.status.status_cells` or ``statusoverzicht.csv``).
    """
    pairs = zip(cells["reading"], cells["outcome"], strict=True)
    return cells.assign(direction=[SERIES_DIRECTIONS[(r, o)] for r, o in pairs])


def reading_counts(readings: Iterable[str]) -> str:
    """How many series rest on each reading, in the matrix's order of precedence.

    >>> reading_counts(["change", "trend", "change"])
    'trend=1;change=2'
    """
    readings = list(readings)
    return ";".join(f"{r}={readings.count(r)}" for r in READINGS if r in readings)


def numbers_summary(series: pd.DataFrame) -> dict:
    """``series, improving, worsening, no_trend, readings, numbers_direction`` of a group
    of series (rows of :func:`series_directions`); ``readings`` counts the readings of
    the series with a direction (:func:`reading_counts`)."""
    directions = series["direction"].tolist()
    judged = series[series["direction"].isin(_ASSESSABLE)]
    return {
        "series": len(judged),
        "improving": directions.count("improving"),
        "worsening": directions.count("worsening"),
        "no_trend": directions.count("no_significant_trend"),
        "readings": reading_counts(judged["reading"]),
        "numbers_direction": numbers_direction(directions),
    }


def numbers_direction(verdicts: Iterable[str]) -> str:
    """Direction of change of a goal's indicator series (see the module docstring), from
    each series' direction in the trend verdict's words (:data:`SERIES_DIRECTIONS`).

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
    cells: pd.DataFrame,
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
    cells : DataFrame
        The status matrix: ``indicator, area, reading, outcome``, the one reading
        of every series (:func:`~npdw_learning.evaluatie.status.status_cells`).
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
        ``themes`` are ``;``-separated; ``readings`` counts the readings the
        direction rests on (:func:`reading_counts`); ``n_<status>`` counts the
        series whose reading is that progress status; the story counts are raw
        (use :func:`publishable` before showing them).
    """
    areas = list(areas) if areas is not None else _programme_areas(registry)
    series = series_directions(cells[cells["area"].isin(areas)])
    by_goal = _stories_by_goal(stories, codes, goal_links, areas)
    rows = [
        _goal_row(goal, series, by_goal, min_stories)
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


def _goal_row(goal, series: pd.DataFrame, by_goal: pd.DataFrame, min_stories: int) -> dict:
    """One row of the joint display: the goal's series (rows of :func:`series_directions`)
    and their progress statuses, its stories, the verdict."""
    indicators = list(goal.indicators)
    mine = series[series["indicator"].isin(indicators)]
    statuses = mine.loc[mine["reading"] == "progress", "outcome"].tolist()
    numbers = numbers_summary(mine)
    on_goal = by_goal[by_goal["goal"] == goal.id]
    changes = on_goal.drop_duplicates("story_id")["change"].astype(str).tolist()
    told = stories_direction(changes, min_stories)
    return {
        "goal": goal.id,
        "pillar": goal.pillar,
        "label": goal.label,
        "indicators": ";".join(indicators),
        **numbers,
        **{f"n_{s}": statuses.count(s) for s in STATUSES if s != "not_assessable"},
        "stories": len(changes),
        **{c: changes.count(c) for c in CHANGES},
        "themes": ";".join(sorted(on_goal["theme"].unique())),
        "stories_direction": told,
        "meta_inference": meta_inference(numbers["numbers_direction"], told),
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
