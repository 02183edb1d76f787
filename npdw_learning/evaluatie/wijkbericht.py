"""The wijkbericht: what a resident of each wijk is told, chosen from the run's tables.

The report is written for the programme board. The same run also gives every
wijk of the programme, and the programme as a whole, a *wijkbericht* of at most
two A4 pages to print and hand out, and the slides for the wijkavond
(:mod:`.presentatie`). This module chooses what goes in, from what the run
already wrote and nothing else:

* *Wat gaat beter* and *Wat vraagt aandacht*: at most :data:`MAX_LINES` readings
  of that wijk each, from ``tables/statusoverzicht.csv`` (the status matrix),
  the strongest first (grade, then the matrix's order of readings), at most two
  of one pillar while others wait, each compared with the reference area
  (``tables/trends.csv``: the latest level of both, in the same year);
* *Wat bewoners vertellen*: two or three quotes from the stories of that wijk
  whose consent is ``publiceren`` (the highest level: never ``citeren`` or
  ``analyse``), cut to one or two whole sentences (the sentence splitting of
  :mod:`npdw_learning.vertellen.nlp`), without a placeholder such as
  ``[PERSOON-1]`` and without a word of :data:`.wijktaal.FORBIDDEN_WORDS`;
  a sentence the report quotes for a theme (``tables/citaten_per_thema.csv``)
  is taken first;
* *Wat er gebeurt*: the efforts that run or were finished
  (``tables/inspanningen.csv``), those that name the wijk first;
* *Doe mee*: the invitation of ``registry/programme.yaml`` (:func:`load_invitation`).

Too little to say is said ("Hierover weten we nog te weinig"), small story
counts stay hidden as in the report (:func:`.wijktaal.count_words`), and a quote
never appears in the wijkbericht of another wijk. Every sentence comes from
:mod:`.wijktaal`; :mod:`.wijkopmaak` lays it out and :mod:`.wijkuitvoer`
writes the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..kern.errors import Finding, InputError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.yamlfile import YamlChecker, literal
from ..vertellen.nlp import PLACEHOLDER
from . import wijktaal as taal
from .status import CELL_STYLES, READINGS

__all__ = [
    "MAX_LINES",
    "MAX_QUOTES",
    "MAX_EFFORTS",
    "INVITATION_KEY",
    "INVITATION_FIELDS",
    "PLACEHOLDER_TEXT",
    "Invitation",
    "load_invitation",
    "read_invitation",
    "Line",
    "Quote",
    "Effort",
    "Bericht",
    "RunTables",
    "lines_for",
    "quote_candidates",
    "choose_quotes",
    "efforts_for",
    "bericht_for",
]

MAX_LINES = 5  # per section: what gaat beter, what vraagt aandacht
MAX_QUOTES = 3
MIN_QUOTES = 2
MAX_EFFORTS = 5
PER_PILLAR = 2  # lines of one pillar before the other pillars have had their turn
QUOTE_WORDS = (5, 20)  # the words of a sentence worth quoting: at least, at most
QUOTE_MAX_WORDS = 32  # two sentences together
PUBLISH = "publiceren"

# -- the invitation (programme.yaml, key wijkbericht) -----------------------------------

INVITATION_KEY = "wijkbericht"
#: The fields of the invitation, and what each is for.
INVITATION_FIELDS = {
    "uitnodiging": "de uitnodiging zelf, één of twee korte zinnen",
    "datum": "wanneer de wijkavond is, bijvoorbeeld 'dinsdag 9 maart 2027, 19.30 uur'",
    "plaats": "waar, bijvoorbeeld 'Buurthuis De Wielewaal, Wielwijkstraat 1'",
    "verhaal_insturen": "waar bewoners een verhaal kwijt kunnen (e-mail, adres, website)",
    "rapport": "waar het hele rapport te vinden is (website, wijkcentrum)",
}
#: A field with this text (any case) is still to be filled in.
PLACEHOLDER_TEXT = "nog in te vullen"
_PER_AREA = "per_wijk"


@dataclass(frozen=True)
class Invitation:
    """The invitation of one wijk (fields None: not filled in yet)."""

    uitnodiging: str | None = None
    datum: str | None = None
    plaats: str | None = None
    verhaal_insturen: str | None = None
    rapport: str | None = None

    def open_fields(self) -> list[str]:
        return [name for name in INVITATION_FIELDS if getattr(self, name) is None]


def _field_text(chk: YamlChecker, path: tuple, where: str, value: Any) -> str | None:
    """A field's text (None for the placeholder); a date is written out, anything else
    that is not text is an error at its line."""
    if isinstance(value, dt.date):
        return taal.date_words(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        chk.error(path, where, None, f"verwacht tekst, niet {literal(value)}")
        return None
    shown = " ".join(str(value).split())
    return None if not shown or shown.lower() == PLACEHOLDER_TEXT else shown


def _fields(chk: YamlChecker, data: Any, path: tuple, area_ids: set[str] | None) -> dict:
    """The fields of one mapping (the programme's, or one wijk's under ``per_wijk``)."""
    where = ".".join(str(p) for p in path)
    if not isinstance(data, dict):
        chk.error(path, where, path[-1], "verwacht velden: " + ", ".join(INVITATION_FIELDS))
        return {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        here = (*path, key)
        if key == _PER_AREA and area_ids is not None:
            out[_PER_AREA] = _per_area(chk, value, here, area_ids)
        elif key in INVITATION_FIELDS:
            if value is not None:
                out[key] = _field_text(chk, here, f"{where}.{key}", value)
        else:
            known = ", ".join([*INVITATION_FIELDS, *([_PER_AREA] if area_ids is not None else [])])
            message = f"onbekend veld {literal(key)}; bekend zijn: {known}"
            chk.error(here, where, None, message, at="key")
    return out


def _per_area(chk: YamlChecker, data: Any, path: tuple, area_ids: set[str]) -> dict:
    where = ".".join(str(p) for p in path)
    if not isinstance(data, dict):
        chk.error(path, where, _PER_AREA, "verwacht per wijk-id de velden die daar anders zijn")
        return {}
    out = {}
    for area, fields in data.items():
        if area not in area_ids:
            message = f"onbekende wijk {literal(area)}; bekend: {', '.join(sorted(area_ids))}"
            chk.error((*path, area), where, _PER_AREA, message, at="key")
            continue
        out[area] = _fields(chk, fields, (*path, area), None)
    return out


def load_invitation(folder: ProgrammeFolder) -> dict[str | None, Invitation]:
    """The invitation of every wijk (key None: the programme as a whole); read once per folder.

    Read from the programme file of the folder's registry, key :data:`INVITATION_KEY`: the
    fields of :data:`INVITATION_FIELDS` for the programme, and under
    ``per_wijk`` what differs for one wijk. A field that is absent or reads
    :data:`PLACEHOLDER_TEXT` is not filled in yet (the wijkbericht says what is
    still to come). The text is data: it reaches a page only escaped.

    Raises
    ------
    InputError
        The key holds something else than these fields, with file, row and column.

    Examples
    --------
    >>> load_invitation(ProgrammeFolder.bundled())[None].uitnodiging is not None
    True
    """
    return folder.loaded(
        load_invitation, lambda: read_invitation(folder.programme_file, folder.registry)
    )


def read_invitation(path: Path, registry: Registry) -> dict[str | None, Invitation]:
    """The invitation of a programme file, checked against ``registry``'s wijken
    (:func:`load_invitation` reads a folder's, once)."""
    findings: list[Finding] = []
    chk, data = YamlChecker.read(path, findings, what="programmabestand")
    if data is None:
        raise InputError(f"{chk.file}: het programmabestand is niet te lezen", findings)
    hoods = set(registry.areas.loc[registry.areas["kind"] == "neighbourhood", "id"])
    raw = data.get(INVITATION_KEY)
    fields = _fields(chk, raw, (INVITATION_KEY,), hoods) if raw is not None else {}
    if findings:
        raise InputError(f"{chk.file}: de uitnodiging van het wijkbericht klopt niet", findings)
    common = {k: v for k, v in fields.items() if k in INVITATION_FIELDS}
    out: dict[str | None, Invitation] = {None: Invitation(**common)}
    for area in sorted(hoods):
        own = fields.get(_PER_AREA, {}).get(area, {})
        out[area] = Invitation(**{**common, **own})
    return out


# -- what a wijkbericht holds -------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One reading of the status matrix, for a resident."""

    indicator: str
    pillar: str
    title: str  # the indicator's plain label (outside text)
    sentences: tuple[str, ...]  # from wijktaal
    grade: int
    reading: str


@dataclass(frozen=True)
class Quote:
    """One or two whole sentences of a published story."""

    story_id: str
    area: str
    pillars: tuple[str, ...]
    text: str  # the story's own words (outside text)
    who: str  # "Een bewoner uit Wielwijk" (wijktaal)
    change: str


@dataclass(frozen=True)
class Effort:
    """An effort that runs or was finished."""

    id: str
    pillar: str
    label: str  # outside text
    status: str  # wijktaal.STATUS_NL


@dataclass
class Bericht:
    """Everything one wijkbericht (and its slides) says."""

    area: str  # the wijk's id, or the aggregate's for the programme as a whole
    name: str
    programme: str
    reference: str
    year: int
    run_date: str
    synthetic: bool
    whole_programme: bool
    better: list[Line]
    attention: list[Line]
    judged: int  # readings of this area with a judgement
    measured: bool  # any measurement at all
    quotes: list[Quote]
    stories: int  # stories of this area, any consent
    publishable: int  # of them, published ones
    efforts: list[Effort]
    efforts_year: int | None
    invitation: Invitation
    pillars: list[tuple[str, str]] = field(default_factory=list)  # (id, label) in order
    by_pillar: dict[str, list[Line]] = field(default_factory=dict)
    quote_by_pillar: dict[str, Quote | None] = field(default_factory=dict)


@dataclass
class RunTables:
    """The tables of one run and the inputs they came from."""

    registry: Registry
    year: int
    areas: list[str]  # the chosen neighbourhoods
    run_date: str
    synthetic: bool
    cells: pd.DataFrame  # statusoverzicht.csv
    trends: pd.DataFrame
    progress: pd.DataFrame
    theme_quotes: pd.DataFrame  # citaten_per_thema.csv
    efforts: pd.DataFrame  # inspanningen.csv
    stories: pd.DataFrame  # every story of the chosen areas (load_stories(...).frame())
    consent_levels: tuple[str, ...]
    invitation: dict[str | None, Invitation]
    effort_texts: dict[str, str] = field(default_factory=dict)  # id -> label + results
    candidates: list[Quote] | None = None  # quote_candidates of every area, once made


# -- the readings ----------------------------------------------------------------------


def _latest(trends: pd.DataFrame) -> dict[tuple[str, str], tuple[int, float]]:
    """``(indicator, area) -> (last_year, last_value)`` of every measured series."""
    if trends.empty or "last_value" not in trends.columns:
        return {}
    rows = trends[trends["last_value"].notna() & trends["last_year"].notna()]
    return {
        (i, a): (int(y), float(v))
        for i, a, y, v in zip(
            rows["indicator"], rows["area"], rows["last_year"], rows["last_value"], strict=True
        )
    }


def _line(cell, meta, tables: RunTables, name: str, latest: Mapping) -> Line:
    reg = tables.registry
    title = meta["plain_label"] if isinstance(meta["plain_label"], str) else meta["label"]
    year = _target_year(tables, cell.indicator, cell.area)
    said = [taal.reading_sentence(cell.reading, cell.outcome, year)]
    mine = latest.get((cell.indicator, cell.area))
    theirs = latest.get((cell.indicator, reg.reference))
    if mine and theirs and mine[0] == theirs[0]:
        said += taal.compare_sentence(
            str(meta["unit"]),
            bool(meta["higher_is_better"]),
            name,
            mine[1],
            reg.area_labels().get(reg.reference, reg.reference),
            theirs[1],
        )
    grade = CELL_STYLES[(cell.reading, cell.outcome)].grade
    return Line(cell.indicator, cell.pillar, str(title), tuple(said), int(grade), cell.reading)


def _target_year(tables: RunTables, indicator: str, area: str) -> int:
    """The year of the target of ``indicator`` in ``area`` (``progress.csv``); 2043 without."""
    progress = tables.progress
    if not progress.empty and "target_year" in progress.columns:
        row = progress[(progress["indicator"] == indicator) & (progress["area"] == area)]
        if len(row) and pd.notna(row["target_year"].iloc[0]):
            return int(row["target_year"].iloc[0])
    return 2043


def lines_for(tables: RunTables, area: str) -> tuple[list[Line], list[Line], int, bool]:
    """The readings of ``area``: ``(better, attention, judged, measured)``.

    Each list holds at most :data:`MAX_LINES`, the strongest first: the larger
    grade, then the status matrix's order of readings (progress, trend, change,
    break), then the order of the registry; a pillar gets at most
    :data:`PER_PILLAR` lines while another pillar still has one to show.
    """
    reg = tables.registry
    cells = tables.cells[tables.cells["area"] == area]
    meta = reg.indicators.set_index("id")
    order = {ident: i for i, ident in enumerate(reg.indicators["id"])}
    latest = _latest(tables.trends)
    name = reg.area_labels().get(area, area)
    judged = []
    for cell in cells.itertuples(index=False):
        grade = CELL_STYLES.get((cell.reading, cell.outcome))
        if grade is None or grade.grade is None or grade.grade == 0:
            continue
        if cell.indicator not in meta.index:
            continue
        judged.append(_line(cell, meta.loc[cell.indicator], tables, name, latest))
    key = {
        line.indicator: (-abs(line.grade), READINGS.index(line.reading), order[line.indicator])
        for line in judged
    }
    better = _spread(sorted((x for x in judged if x.grade > 0), key=lambda x: key[x.indicator]))
    worse = _spread(sorted((x for x in judged if x.grade < 0), key=lambda x: key[x.indicator]))
    measured = bool((cells["outcome"] != "no_data").any())
    n_judged = sum(
        1
        for r, o in zip(cells["reading"], cells["outcome"], strict=True)
        if CELL_STYLES[(r, o)].grade is not None
    )
    return better, worse, n_judged, measured


def _spread(lines: Sequence[Line]) -> list[Line]:
    """The first :data:`MAX_LINES`, at most :data:`PER_PILLAR` of a pillar in the first round."""
    chosen: list[Line] = []
    count: dict[str, int] = {}
    for line in lines:
        if count.get(line.pillar, 0) < PER_PILLAR:
            chosen.append(line)
            count[line.pillar] = count.get(line.pillar, 0) + 1
    chosen += [line for line in lines if line not in chosen]
    return sorted(chosen[:MAX_LINES], key=list(lines).index)


# -- the quotes ---------------------------------------------------------------------------


def _quotable(sentence: str) -> bool:
    words = taal.word_count(sentence)
    return (
        QUOTE_WORDS[0] <= words <= QUOTE_WORDS[1]
        and "[" not in sentence
        and "]" not in sentence
        and not PLACEHOLDER.search(sentence)
        and not taal.forbidden_words(sentence)
    )


def _published(stories: pd.DataFrame, levels: Sequence[str]) -> pd.DataFrame:
    """The stories whose consent is ``publiceren`` (or a level above it)."""
    if stories.empty or PUBLISH not in levels:
        return stories.iloc[0:0]
    allowed = set(levels[list(levels).index(PUBLISH) :])
    return stories[stories["consent"].isin(allowed)]


def quote_candidates(tables: RunTables, areas: Sequence[str]) -> list[Quote]:
    """Every quotable piece of the published stories of ``areas``, best first.

    One per story: the sentence the report quotes for a theme when there is one
    (else the story's first quotable sentence), with the next sentence when that
    one is quotable too and both stay within :data:`QUOTE_MAX_WORDS` words.
    Stories the report quotes come first, then the newer ones.
    """
    from ..vertellen.nlp import lemmatise

    stories = _published(tables.stories, tables.consent_levels)
    stories = stories[stories["area"].isin(list(areas))]
    if stories.empty:
        return []
    quoted = {}
    if not tables.theme_quotes.empty:
        for sid, sentence in zip(
            tables.theme_quotes["story_id"], tables.theme_quotes["sentence"], strict=True
        ):
            quoted.setdefault(str(sid), " ".join(str(sentence).split()))
    stories = stories.assign(_quoted=stories["id"].isin(quoted)).sort_values(
        ["_quoted", "date", "id"], ascending=[False, False, True], kind="stable"
    )
    labels = tables.registry.area_labels()
    out = []
    docs = lemmatise([str(t) for t in stories["text"]], sentences=True)
    for row, doc in zip(stories.itertuples(index=False), docs, strict=True):
        said = [" ".join(s.text.split()) for s in doc.sents]
        text = _piece(said, quoted.get(str(row.id)))
        if text:
            who = taal.text("quote_who", teller=row.teller, area=labels.get(row.area, row.area))
            pillars = tuple(row.pillars) if isinstance(row.pillars, list | tuple) else ()
            out.append(Quote(str(row.id), str(row.area), pillars, text, who, str(row.change)))
    return out


def _piece(said: Sequence[str], preferred: str | None) -> str | None:
    """One or two whole, quotable sentences of a story, starting at ``preferred`` if it is one."""
    starts = [i for i, s in enumerate(said) if _quotable(s)]
    if not starts:
        return None
    first = next((i for i in starts if said[i] == preferred), starts[0])
    piece = said[first]
    if first + 1 < len(said) and _quotable(said[first + 1]):
        longer = f"{piece} {said[first + 1]}"
        if taal.word_count(longer) <= QUOTE_MAX_WORDS:
            piece = longer
    return piece


def choose_quotes(candidates: Sequence[Quote], n: int = MAX_QUOTES) -> list[Quote]:
    """``n`` quotes in their order: first one for each new area and new direction of
    change at once, then one for each new area, then each new direction, then the rest."""
    chosen: list[Quote] = []
    rounds = (
        lambda q, areas, changes: q.area not in areas and q.change not in changes,
        lambda q, areas, changes: q.area not in areas,
        lambda q, areas, changes: q.change not in changes,
        lambda q, areas, changes: True,
    )
    for fits in rounds:
        for q in candidates:
            areas = {c.area for c in chosen}
            changes = {c.change for c in chosen}
            if len(chosen) < n and q not in chosen and fits(q, areas, changes):
                chosen.append(q)
    return [q for q in candidates if q in chosen]


# -- the efforts --------------------------------------------------------------------------


def efforts_for(tables: RunTables, name: str | None, pillars_first: Sequence[str]) -> list[Effort]:
    """At most :data:`MAX_EFFORTS` efforts that run or were finished: first those whose
    name or results name the wijk ``name``, then those of ``pillars_first`` (the
    pillars that need attention there), then in the order of the register."""
    table = tables.efforts
    if table.empty or "status" not in table.columns:
        return []
    running = table[table["status"].isin(list(taal.STATUS_NL))]
    ranked = []
    for i, row in enumerate(running.itertuples(index=False)):
        named = bool(name) and name.lower() in tables.effort_texts.get(row.id, "").lower()
        first = list(pillars_first)
        pillar_rank = first.index(row.pillar) if row.pillar in first else len(first)
        ranked.append(((not named, pillar_rank, i), row))
    ranked.sort(key=lambda item: item[0])
    return [
        Effort(str(r.id), str(r.pillar), str(r.label), taal.STATUS_NL[r.status])
        for _, r in ranked[:MAX_EFFORTS]
    ]


# -- one wijkbericht -----------------------------------------------------------------------


def bericht_for(tables: RunTables, area: str | None) -> Bericht:
    """The wijkbericht of ``area`` (a chosen neighbourhood), or of the whole programme
    (``None``: the aggregate's readings, quotes from every chosen wijk)."""
    reg = tables.registry
    whole = area is None
    target = reg.aggregate_id if whole else area
    labels = reg.area_labels()
    name = labels.get(target, target)
    better, attention, judged, measured = lines_for(tables, target)
    areas = list(tables.areas) if whole else [area]
    if tables.candidates is None:  # the stories are split into sentences once per run
        tables.candidates = quote_candidates(tables, tables.areas)
    candidates = [q for q in tables.candidates if q.area in areas]
    quotes = choose_quotes(candidates)
    mine = tables.stories[tables.stories["area"].isin(areas)]
    attention_pillars = list(dict.fromkeys(line.pillar for line in attention))
    efforts = efforts_for(tables, None if whole else name, attention_pillars)
    years = tables.efforts["year"].dropna() if "year" in tables.efforts.columns else []
    pillars = list(zip(reg.pillars["id"], reg.pillars["label"], strict=True))
    all_lines = sorted(
        [*better, *attention], key=lambda x: (-abs(x.grade), READINGS.index(x.reading))
    )
    by_pillar = {p: [x for x in all_lines if x.pillar == p][:3] for p, _ in pillars}
    return Bericht(
        area=target,
        name=name,
        programme=reg.programme_name,
        reference=labels.get(reg.reference, reg.reference),
        year=tables.year,
        run_date=tables.run_date,
        synthetic=tables.synthetic,
        whole_programme=whole,
        better=better,
        attention=attention,
        judged=judged,
        measured=measured,
        quotes=quotes,
        stories=len(mine),
        publishable=len(_published(mine, tables.consent_levels)),
        efforts=efforts,
        efforts_year=int(max(years)) if len(years) else None,
        invitation=tables.invitation.get(area, tables.invitation[None]),
        pillars=pillars,
        by_pillar=by_pillar,
        quote_by_pillar=_quote_per_pillar(candidates, pillars),
    )


def _quote_per_pillar(
    candidates: Sequence[Quote], pillars: Sequence[tuple[str, str]]
) -> dict[str, Quote | None]:
    """One quote per pillar for the slides, a story used once where another is left."""
    used: set[str] = set()
    out: dict[str, Quote | None] = {}
    for pillar, _ in pillars:
        mine = [q for q in candidates if pillar in q.pillars]
        pick = next((q for q in mine if q.story_id not in used), mine[0] if mine else None)
        if pick is not None:
            used.add(pick.story_id)
        out[pillar] = pick
    return out
