"""The sentences under the status matrix: the Samenvatting in words, from the tables.

:func:`summary_sentences` reads the matrix's cells (:func:`.status.status_cells`)
and the joint display (:mod:`.joint`) and says, in plain Dutch for a programme
board, which pillars go the right way in which neighbourhood, which the wrong
way, how the progress towards the 2043 targets stands, where numbers and
stories disagree and how many series cannot be judged yet, and why, and, while
any remain, how many stories have pillars proposed on import that nobody has
reviewed yet (:func:`review_sentence`). Nothing in them is written by hand:
change a table and the sentences follow.

The sentences are plain text with labels from the registry in them; they reach
the report only as values of :func:`.report.show_markdown`, which escapes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..tellen.trends import MIN_POINTS
from ..vertellen.analysis import MIN_CELL
from .method import dutch_number
from .status import tally

__all__ = ["summary_sentences", "review_sentence", "dutch_list"]


def dutch_list(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b en c"``.

    >>> dutch_list(["Wonen"]), dutch_list(["Wonen", "Werk", "Leren"])
    ('Wonen', 'Wonen, Werk en Leren')
    """
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


def _n(count: int, one: str, many: str) -> str:
    """``1 doel``, ``3 doelen``."""
    return f"{count} {one if count == 1 else many}"


def _share(part: int, whole: int) -> str:
    return f"{part} van de {whole}"


def _by_pillar(
    cells: pd.DataFrame,
    hoods: Sequence[str],
    labels: Mapping[str, str],
    pillars: pd.DataFrame,
    ahead: bool,
) -> list[str]:
    """Per pillar, the neighbourhoods where more indicators go the right way than the wrong
    way (``ahead``), or the other way round: ``"Wonen in Wielwijk en Crabbehof"``."""
    parts = []
    for pillar, title in zip(pillars["id"], pillars["label"], strict=True):
        chosen = []
        for area in hoods:
            up, down = tally(cells[(cells["pillar"] == pillar) & (cells["area"] == area)])
            if (up > down) if ahead else (down > up):
                chosen.append(labels.get(area, area))
        if chosen:
            where = "alle wijken" if len(chosen) == len(hoods) > 1 else dutch_list(chosen)
            parts.append(f"{title} in {where}")
    return parts


def _directions(cells, hoods, labels, pillars) -> list[str]:
    ahead = _by_pillar(cells, hoods, labels, pillars, ahead=True)
    behind = _by_pillar(cells, hoods, labels, pillars, ahead=False)
    out = [
        "Meer indicatoren de goede kant op dan de verkeerde: " + "; ".join(ahead) + "."
        if ahead
        else "In geen enkele wijk gaan bij een pijler meer indicatoren de goede kant op dan "
        "de verkeerde."
    ]
    out.append(
        "Meer indicatoren de verkeerde kant op (of te langzaam naar het doel) dan de goede: "
        + "; ".join(behind)
        + "."
        if behind
        else "In geen enkele wijk gaan bij een pijler meer indicatoren de verkeerde kant op "
        "dan de goede."
    )
    return out


def _aggregate(cells, aggregate: str, label: str, pillars: pd.DataFrame) -> str | None:
    mine = cells[cells["area"] == aggregate]
    if mine.empty:
        return None
    up, down = tally(mine)
    best = []
    for pillar, title in zip(pillars["id"], pillars["label"], strict=True):
        p_up, p_down = tally(mine[mine["pillar"] == pillar])
        if p_up > p_down:
            best.append(title)
    text = (
        f"In {label} als geheel gaan {_share(up, mine['indicator'].nunique())} indicatoren de "
        f"goede kant op en {down} de verkeerde kant op of te langzaam"
    )
    if best:
        return text + f"; per saldo vooruit bij {dutch_list(best)}."
    return text + "; bij geen enkele pijler per saldo vooruit."


def _progress(cells: pd.DataFrame) -> str | None:
    judged = cells[cells["reading"] == "progress"]
    with_target = int(cells["has_target"].sum())
    if not with_target:
        return None
    count = judged["outcome"].value_counts()
    compared = int((cells["has_target"] & (cells["reading"] == "comparison")).sum())
    if compared:
        shown = (
            f"Bij {compared} reeksen met een doel voor 2043 toont het overzicht de vergelijking "
            "met vergelijkbare wijken; hun voortgang staat in de tabel van de pijler."
        )
        rest = _progress(cells[~(cells["has_target"] & (cells["reading"] == "comparison"))])
        return shown if rest is None else f"{rest} {shown}"
    if judged.empty:
        return (
            f"{with_target} reeksen hebben een doel voor 2043, maar nog te weinig metingen om "
            "de voortgang te beoordelen."
        )
    slow = int(count.get("moderate_progress", 0) + count.get("insufficient_progress", 0))
    return (
        f"Van de {len(judged)} reeksen waarvan de voortgang naar het doel voor 2043 te "
        f"beoordelen is, hebben {int(count.get('target_reached', 0))} het doel al bereikt en "
        f"zijn {int(count.get('on_track', 0))} op koers; {slow} gaan de goede kant op maar te "
        f"langzaam en {int(count.get('moving_away', 0))} gaan van het doel af."
    )


def _stories(joint: pd.DataFrame | None, pillar_labels: Mapping[str, str]) -> str:
    if joint is None or joint.empty:
        return "Er zijn nog geen doelen om cijfers en verhalen naast elkaar te leggen."
    meta = joint["meta_inference"].value_counts()
    told = int(meta.get("convergent", 0) + meta.get("expansion", 0) + meta.get("discordant", 0))
    told += int(meta.get("stories_only", 0))
    if not told:
        return (
            "Er zijn nog geen verhalen bij de doelen, dus cijfers en verhalen zijn nog niet "
            "naast elkaar te leggen."
        )
    discordant = joint[joint["meta_inference"] == "discordant"]
    same = int(meta.get("convergent", 0))
    if discordant.empty:
        return (
            "Nergens spreken cijfers en verhalen elkaar tegen; bij "
            f"{_n(same, 'doel', 'doelen')} wijzen ze dezelfde kant op."
        )
    where = dutch_list(
        [str(label) for p, label in pillar_labels.items() if p in set(discordant["pillar"])]
    )
    return (
        f"Bij {_n(len(discordant), 'doel', 'doelen')} spreken cijfers en verhalen elkaar "
        f"tegen ({where}); dat staat als voorgestelde leervraag in het pijlerhoofdstuk. Bij "
        f"{_n(same, 'doel', 'doelen')} wijzen cijfers en verhalen dezelfde kant op."
    )


def _stories_count(n: int) -> str:
    """``"12 verhalen"``; a count from 1 to 4 as ``"minder dan vijf verhalen"``, as the
    report's tables hide it (:data:`npdw_learning.vertellen.analysis.MIN_CELL`)."""
    return f"minder dan {dutch_number(MIN_CELL)} verhalen" if 0 < n < MIN_CELL else f"{n} verhalen"


def review_sentence(stories: pd.DataFrame | None) -> str | None:
    """How many stories still have proposed pillars nobody reviewed (``pillars_source:
    auto``), and where the report counts them; ``None`` when none do. Counts below
    ``MIN_CELL`` are not given exactly, as in the tables.

    >>> frame = pd.DataFrame({"pillars": [("wonen",)] * 6 + [()],
    ...                       "pillars_source": ["auto"] * 7})
    >>> print(review_sentence(frame))  # doctest: +NORMALIZE_WHITESPACE
    6 verhalen hebben een pijler die bij het inlezen automatisch is voorgesteld en nog niet
    is nagekeken; ze tellen in de tabel 'Verhalen per pijler' apart ('Voorgesteld, nog niet
    nagekeken'), nog niet bij die pijler. Bij minder dan vijf verhalen kon de import geen
    pijler voorstellen; ze tellen als nog niet ingedeeld.
    """
    if stories is None or stories.empty or "pillars_source" not in stories:
        return None
    auto = stories[stories["pillars_source"] == "auto"]
    if auto.empty:
        return None
    proposed = int(auto["pillars"].map(len).gt(0).sum())
    empty = len(auto) - proposed
    parts = []
    if proposed:
        parts.append(
            f"{_stories_count(proposed).capitalize()} hebben een pijler die bij het inlezen "
            "automatisch is voorgesteld en nog niet is nagekeken; ze tellen in de tabel "
            "'Verhalen per pijler' apart ('Voorgesteld, nog niet nagekeken'), nog niet bij "
            "die pijler."
        )
    if empty:
        parts.append(
            f"Bij {_stories_count(empty)} kon de import geen pijler voorstellen; ze tellen als "
            "nog niet ingedeeld."
        )
    return " ".join(parts)


def _not_judged(cells: pd.DataFrame) -> str:
    """How many series have no judgement and why; where there is no target (yet)."""
    no_target = int((~cells["has_target"]).sum())
    shown_other = ~cells["reading"].isin(["progress", "comparison"])
    unjudged_target = int((cells["has_target"] & shown_other).sum())
    targets = f"Voor {no_target} reeksen is er geen doel voor 2043"
    if unjudged_target:
        targets += f" en bij {unjudged_target} met een doel is de voortgang nog niet te beoordelen"
    targets += "; daar toont het overzicht de trend of de verandering."
    none = cells[cells["grade"].isna()]
    if none.empty:
        return "Elke reeks in het overzicht heeft een oordeel. " + targets
    count = none["outcome"].value_counts()
    reasons = []
    for key, text in (
        (
            "insufficient_data",
            f"minder dan {MIN_POINTS} metingen en geen latere meting om met de nulmeting te "
            "vergelijken",
        ),
        (
            "no_test",
            "wel een latere meting, maar geen steekproefgrootte of standaardfout, dus geen "
            "bekende foutmarge",
        ),
        ("no_data", "nog geen enkele meting"),
    ):
        if count.get(key, 0):
            reasons.append(f"{_n(int(count[key]), 'heeft', 'hebben')} {text}")
    return (
        f"{_share(len(none), len(cells))} reeksen zijn nog niet te beoordelen: "
        + "; ".join(reasons)
        + ". "
        + targets
    )


def summary_sentences(
    cells: pd.DataFrame,
    joint: pd.DataFrame | None,
    *,
    pillars: pd.DataFrame,
    area_labels: Mapping[str, str],
    neighbourhoods: Sequence[str],
    aggregate: str,
    stories: pd.DataFrame | None = None,
) -> list[str]:
    """Five to eight sentences for the Samenvatting, from the tables, and a last one while
    stories have proposed pillars nobody reviewed (:func:`review_sentence`).

    Parameters
    ----------
    cells : DataFrame
        The status matrix (:func:`.status.status_cells`).
    joint : DataFrame or None
        The joint display (``label, meta_inference`` per operational goal).
    pillars : DataFrame
        ``id, label`` in report order.
    area_labels : mapping
        Area id -> name.
    neighbourhoods : sequence of str
        The chosen neighbourhoods; ``aggregate`` is their aggregate.
    stories : DataFrame, optional
        The stories of those neighbourhoods (``pillars``, ``pillars_source``), for
        :func:`review_sentence`.

    Returns
    -------
    list of str
        Plain text (not Markdown): show it escaped.
    """
    sentences = _sentences(cells, joint, pillars, area_labels, neighbourhoods, aggregate)
    review = review_sentence(stories)
    return [*sentences, review] if review else sentences


def _sentences(
    cells: pd.DataFrame,
    joint: pd.DataFrame | None,
    pillars: pd.DataFrame,
    area_labels: Mapping[str, str],
    neighbourhoods: Sequence[str],
    aggregate: str,
) -> list[str]:
    labels = dict(zip(pillars["id"], pillars["label"], strict=True))
    if cells.empty:
        return [
            "Er staan nog geen indicatoren in het register, dus er zijn nog geen cijfers om "
            "samen te vatten.",
            _stories(joint, labels),
        ]
    judged = cells[cells["grade"].notna()]
    hood_cells = cells[cells["area"].isin(neighbourhoods)]
    by = judged["reading"].value_counts()
    opening = (
        f"Het overzicht telt {len(cells)} reeksen: {cells['indicator'].nunique()} indicatoren "
        f"in {dutch_list([area_labels.get(a, a) for a in [*neighbourhoods, aggregate]])}."
    )
    if judged.empty:
        return [
            opening + " Nog geen enkele reeks is te beoordelen: er is nog te weinig gemeten "
            "sinds de nulmeting (zoals in het eerste jaar van een programma).",
            _not_judged(cells),
            _stories(joint, labels),
        ]
    named = {
        "comparison": "de vergelijking met vergelijkbare wijken",
        "progress": "de voortgang naar het doel",
        "trend": "een trend",
        "change": "de verandering sinds de nulmeting",
        "break": "de afbuiging na de start",
    }
    opening += (
        f" Bij {'alle ' if len(judged) == len(cells) else ''}{len(judged)} is iets te "
        "zeggen, via "
        + dutch_list([f"{named[r]} ({int(by[r])})" for r in named if by.get(r, 0)])
        + "."
    )
    sentences = [opening, *_directions(hood_cells, neighbourhoods, area_labels, pillars)]
    sentences.append(_stories(joint, labels))
    sentences += [
        s
        for s in (
            _aggregate(cells, aggregate, area_labels.get(aggregate, aggregate), pillars),
            _progress(cells),
        )
        if s
    ]
    sentences.append(_not_judged(cells))
    return sentences
