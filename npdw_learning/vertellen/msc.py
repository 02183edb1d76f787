"""Most Significant Change (MSC): domains of change and the panels' selections.

``stories/msc.yaml`` holds the domains of change and one entry per selection
round: which panel met when, in which domain, which stories it chose and, for
each chosen story, *why* in full sentences (Davies & Dart 2005: the written
reasons are the main result of MSC, not the choice alone)::

    domains:
      - id: samenleven
        label: "Samen leven in de buurt"
        description: "..."
    rounds:
      - id: msc-2025-najaar
        panel: "Bewonerspanel Wielwijk en professionals van het wijkteam (6 personen)"
        date: 2025-11-20
        domain: samenleven
        selected: [vt-012, vt-031]
        reasons:
          vt-012: "Het panel koos dit verhaal omdat ..."
          vt-031: "..."

:func:`load_msc` validates the file against the story collection and raises
:class:`~npdw_learning.kern.errors.InputError` naming file, line, round and field;
:func:`selected_stories` lists the chosen stories with their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..kern.errors import Finding, InputError
from ..kern.programme import MSC_FILE, ProgrammeFolder
from ..kern.yamlfile import YamlChecker, literal
from .stories import StoryCollection, stories_in

__all__ = [
    "MSC_FILE",
    "MIN_REASON_WORDS",
    "SELECTED_COLUMNS",
    "MscDomain",
    "MscRound",
    "MscRegister",
    "load_msc",
    "msc_in",
    "selected_stories",
]

# A reason is a written argument, not a keyword: "Mooi verhaal." says nothing a
# reader of the report can weigh. Eight words is about the shortest Dutch
# sentence that gives a why ("Het panel koos dit omdat bewoners zelf ...").
MIN_REASON_WORDS = 8
SELECTED_COLUMNS = [
    "round",
    "date",
    "domain",
    "panel",
    "story_id",
    "area",
    "teller",
    "change",
    "title",
    "reason",
]
_ROUND_KEYS = ("id", "panel", "date", "domain", "selected", "reasons")
_DOMAIN_KEYS = ("id", "label", "description")
# Closing quotes or brackets may follow the final punctuation: 'zei ze: "Eindelijk!"'.
_CLOSERS = "\"')]»”’"


@dataclass(frozen=True)
class MscDomain:
    """A domain of change the panels select stories in."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class MscRound:
    """One selection round: a panel chose stories in one domain and wrote down why."""

    id: str
    panel: str
    date: dt.date
    domain: str
    selected: tuple[str, ...]
    reasons: Mapping[str, str]  # story id -> reason, one per selected story


@dataclass(frozen=True)
class MscRegister:
    """The validated contents of ``stories/msc.yaml``."""

    domains: tuple[MscDomain, ...]
    rounds: tuple[MscRound, ...]
    file: str
    warnings: tuple[Finding, ...] = field(default=())

    @property
    def domain_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.domains)

    def domain_label(self, domain_id: str) -> str:
        return next((d.label for d in self.domains if d.id == domain_id), domain_id)


def _is_sentence(text: str) -> bool:
    words = text.split()
    return len(words) >= MIN_REASON_WORDS and text.rstrip().rstrip(_CLOSERS)[-1:] in ".!?"


def _check_domains(data: Mapping[str, Any], c: YamlChecker) -> list[MscDomain]:
    domains: list[MscDomain] = []
    for path, where, entry in c.entries(data, "domains", "domein", empty=False):
        label = c.text(entry, path, where, "label")
        description = c.text(entry, path, where, "description", required=False) or ""
        c.unknown_fields(entry, path, where, _DOMAIN_KEYS)
        if label:
            domains.append(MscDomain(entry["id"], label, description))
    return domains


def _check_round(
    entry: Mapping[str, Any],
    path: tuple,
    where: str,
    c: YamlChecker,
    domain_ids: set[str],
    story_ids: set[str],
) -> MscRound | None:
    """One round with a valid id; ``None`` when any of its fields is wrong (reported on ``c``)."""
    n_before = len(c.errors)
    panel = c.text(entry, path, where, "panel")
    date = c.date(entry, path, where, "date")
    domain = entry.get("domain")
    if domain in (None, ""):
        c.error((*path, "domain"), where, "domain", "veld 'domain' ontbreekt")
    elif domain not in domain_ids:
        message = f"onbekend domein {literal(domain)}; bekend: {', '.join(sorted(domain_ids))}"
        c.error((*path, "domain"), where, "domain", message)
    chosen = _check_selected(entry, path, where, c, story_ids)
    clean = _check_reasons(entry, path, where, c, chosen)
    c.unknown_fields(entry, path, where, _ROUND_KEYS)
    if len(c.errors) > n_before:
        return None
    assert date is not None and panel is not None
    return MscRound(entry["id"], panel, date, domain, tuple(chosen), clean)


def _check_selected(
    entry: Mapping, path: tuple, where: str, c: YamlChecker, story_ids: set[str]
) -> list[str]:
    """The chosen story ids of a round that exist, each once; problems reported on ``c``."""
    selected = entry.get("selected")
    chosen: list[str] = []
    if selected in (None, "", []):
        c.add(path + ("selected",), "selected", f"{where}: geen gekozen verhalen ('selected')")
    elif not isinstance(selected, list):
        c.add(path + ("selected",), "selected", f"{where}: 'selected' moet een lijst van ids zijn")
    else:
        for j, story in enumerate(selected):
            spot = path + ("selected", j)
            if not isinstance(story, str) or story not in story_ids:
                c.add(
                    spot,
                    "selected",
                    f"{where}: verhaal {literal(story)} bestaat niet in de verhalenmap "
                    "(of het verhaalbestand heeft fouten: `npdw stories validate`)",
                )
            elif story in chosen:
                c.add(spot, "selected", f"{where}: verhaal '{story}' staat twee keer in 'selected'")
            else:
                chosen.append(story)
    return chosen


def _check_reasons(
    entry: Mapping, path: tuple, where: str, c: YamlChecker, chosen: list[str]
) -> dict[str, str]:
    """One written reason per chosen story, each a full sentence; problems reported on ``c``."""
    selected = entry.get("selected")
    reasons = entry.get("reasons")
    clean: dict[str, str] = {}
    if reasons in (None, "", {}):
        c.add(path + ("reasons",), "reasons", f"{where}: de redenen ('reasons') ontbreken")
    elif not isinstance(reasons, dict):
        c.add(
            path + ("reasons",), "reasons", f"{where}: 'reasons' moet per verhaal-id een tekst zijn"
        )
    else:
        for story in chosen:
            if story not in reasons:
                c.add(
                    path + ("reasons",),
                    "reasons",
                    f"{where}: geen reden voor gekozen verhaal '{story}'; "
                    "schrijf op waarom het panel het koos",
                )
        listed = set(selected) if isinstance(selected, list) else set()
        for story, reason in reasons.items():
            spot = path + ("reasons", story)
            if story not in listed:
                message = f"{where}: reden voor {literal(story)}, dat niet in 'selected' staat"
                c.add(spot, "reasons", message, at="key")
            elif not isinstance(reason, str) or not _is_sentence(reason):
                c.add(
                    spot,
                    "reasons",
                    f"{where}: de reden voor '{story}' moet een volledige zin zijn "
                    f"(minstens {MIN_REASON_WORDS} woorden, eindigend op . ! of ?): "
                    f"{literal(reason)}",
                )
            else:
                clean[story] = " ".join(reason.split())
    return clean


def load_msc(path: str | Path, stories: StoryCollection) -> MscRegister:
    """Read and validate the Most Significant Change register.

    A programme's register is best read through :func:`msc_in`, once per folder.

    Parameters
    ----------
    path : path
        The register (:attr:`ProgrammeFolder.msc_file
        <npdw_learning.kern.programme.ProgrammeFolder>`).
    stories : StoryCollection
        The stories the rounds select from. Every story's ``msc_domain`` must
        also be a known domain.

    Returns
    -------
    MscRegister
        Domains, rounds and any warnings (unknown fields).

    Raises
    ------
    InputError
        The file is missing or unreadable, or a rule is broken: domain ids
        must be unique slugs; each round needs ``panel`` (text), ``date``,
        a known ``domain``, ``selected`` story ids that exist, and per chosen
        story a reason of at least :data:`MIN_REASON_WORDS` words ending in
        ``.``, ``!`` or ``?``. Each finding names file, line, round and field.

    Examples
    --------
    >>> from npdw_learning.vertellen.stories import StoryCollection
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "msc.yaml").write_text(
    ...     "domains:\\n  - id: samenleven\\n    label: Samen leven\\nrounds: []\\n",
    ...     encoding="utf-8",
    ... )
    >>> load_msc(folder / "msc.yaml", StoryCollection([])).domain_ids
    ('samenleven',)
    """
    path = Path(path)
    name = str(path)
    c, data = YamlChecker.load(path, what="het MSC-register")
    domains = _check_domains(data, c)
    domain_ids = {d.id for d in domains}
    story_ids = {s.id for s in stories.stories}
    rounds: list[MscRound] = []
    # A register may list its domains before the first panel meets: no rounds yet.
    for spot, where, entry in c.entries(data, "rounds", "ronde", required=False):
        checked = _check_round(entry, spot, where, c, domain_ids, story_ids)
        if checked is not None:
            rounds.append(checked)
    c.unknown_fields(data, (), "", ("domains", "rounds"))
    _check_story_domains(stories, domains, c.file, c)
    if c.errors:
        raise InputError(f"{c.file} bevat {len(c.errors)} fout(en)", c.errors)
    return MscRegister(tuple(domains), tuple(rounds), name, tuple(c.findings))


def _check_story_domains(
    stories: StoryCollection, domains: list[MscDomain], name: str, c: YamlChecker
) -> None:
    """A story's ``msc_domain`` refers to this register: an unknown one is a typo that would
    silently drop the story from its domain."""
    domain_ids = {d.id for d in domains}
    if domains:
        for story in stories.stories:
            if story.msc_domain and story.msc_domain not in domain_ids:
                c.findings.append(
                    Finding(
                        "error",
                        story.file or story.id,
                        f"msc_domain {literal(story.msc_domain)} staat niet in {name}; "
                        f"bekend: {', '.join(sorted(domain_ids))}",
                        column="msc_domain",
                    )
                )


def msc_in(folder: ProgrammeFolder) -> MscRegister | None:
    """The MSC register of the folder's stories, checked against them; ``None`` while the
    programme has none (it is optional). Read once per folder."""

    def load() -> MscRegister | None:
        path = folder.msc_file
        return load_msc(path, stories_in(folder)) if path.exists() else None

    return folder.loaded(msc_in, load)


def selected_stories(register: MscRegister, collection: StoryCollection) -> pd.DataFrame:
    """The stories the panels chose, one row per (round, story), with the reason.

    Returns
    -------
    DataFrame
        Columns :data:`SELECTED_COLUMNS` (``round, date, domain, panel,
        story_id, area, teller, change, title, reason``), in round order and
        then in the order the panel listed its choices.

    Examples
    --------
    >>> from npdw_learning.vertellen.stories import StoryCollection
    >>> empty = MscRegister((MscDomain("samenleven", "Samen leven"),), (), "msc.yaml")
    >>> list(selected_stories(empty, StoryCollection([])).columns) == SELECTED_COLUMNS
    True
    """
    by_id = {s.id: s for s in collection.stories}
    rows = []
    for r in register.rounds:
        for story_id in r.selected:
            story = by_id.get(story_id)
            rows.append(
                {
                    "round": r.id,
                    "date": r.date,
                    "domain": r.domain,
                    "panel": r.panel,
                    "story_id": story_id,
                    "area": story.area if story else None,
                    "teller": story.teller if story else None,
                    "change": story.change if story else None,
                    "title": story.title if story else None,
                    "reason": r.reasons.get(story_id),
                }
            )
    return pd.DataFrame(rows, columns=SELECTED_COLUMNS)
