"""Story files (vertellen): one Markdown file per story with YAML front matter.

A story file looks like::

    ---
    id: vt-001
    date: 2025-03-14
    area: wielwijk
    teller: bewoner
    channel: buurtbakkie
    pillars: [gezond, veilig]           # may be empty: []
    pillars_source: auto                # optional: the pillars were proposed
    change: beter
    consent: citeren
    title: Een bankje op het plein      # optional
    msc_domain: samenleven              # optional
    synthetic: true                     # optional
    language: en                        # optional: not Dutch (default nl)
    source_hash: 6f1c0a9e2b7d-41d8e3a0c55f  # written by the import (see below)
    written_hash: 9b2e4c7a1f30d8e6
    ---
    De pseudonimised text of the story ...

The allowed values for area, pillars (the registry), teller, channel, change
and consent (the story vocabulary next to it) belong to the programme folder
(:class:`~npdw_learning.kern.programme.ProgrammeFolder`).
Validation names file, field and the allowed values. A story without a
valid consent level is rejected: it never reaches an analysis.

Pillars may be empty (a resident tells a story, they do not pick a programme
pillar): such a story counts as "nog niet ingedeeld". ``pillars_source: auto``
says the pillars were proposed by the automatic coding on import and not yet
reviewed; whoever reviews them removes that line. It follows ``pillars`` in the
file and is only written when set, so other story files keep their bytes.

``language`` is the ISO 639-1 code of a story that is not told in Dutch
(``en``, ``tr``, ...), set by the import's language detection; it is written
only when it is not ``nl``. The automatic coding reads Dutch only and leaves
such a story out (:mod:`.coding`).

``source_hash`` and ``written_hash`` are the import's record
(:mod:`.provenance`): which export row the story came from and what the import
wrote, so a later import recognises the row and sees a correction made by hand.
They come last and are only written by the import; a file without them (written
by hand, or by an earlier import) is read as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..kern.atomic import write_text
from ..kern.errors import Finding, InputError
from ..kern.inputfile import read_input_text
from ..kern.programme import BUNDLED_STORIES_DIR, ProgrammeFolder
from ..kern.registry import ID_PATTERN, Registry
from ..kern.yamlfile import YamlChecker, load_text
from .language import DUTCH

__all__ = [
    "STORIES_DIR",
    "STORY_COLUMNS",
    "Story",
    "StoryCollection",
    "StoryVocabulary",
    "load_story_vocabulary",
    "vocabulary_in",
    "stories_in",
    "parse_story",
    "load_stories",
    "write_story",
    "render_story",
    "may_quote",
]

STORIES_DIR = BUNDLED_STORIES_DIR  # Dordt West's, the default of --stories without --data
REQUIRED_FIELDS = ("id", "date", "area", "teller", "channel", "change", "consent")
OPTIONAL_FIELDS = (
    "pillars",
    "pillars_source",
    "title",
    "msc_domain",
    "synthetic",
    "source_hash",
    "written_hash",
    "language",
)
# The import's record (see :mod:`.provenance`): what a valid value looks like.
RECORD_PATTERNS = {
    "source_hash": re.compile(r"[0-9a-f]{12}-[0-9a-f]{12}"),
    "written_hash": re.compile(r"[0-9a-f]{16}"),
}
DEFAULT_LANGUAGE = DUTCH  # a story file without `language` is Dutch
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639-1 (or -3 where no two-letter code exists)
PILLAR_SOURCES = ("auto",)  # pillars_source: proposed by the automatic coding
STORY_COLUMNS = [
    "id",
    "date",
    "year",
    "area",
    "teller",
    "channel",
    "pillars",
    "pillars_source",
    "change",
    "consent",
    "title",
    "msc_domain",
    "synthetic",
    "language",
    "text",
    "file",
]
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class StoryVocabulary:
    """Allowed values for story fields (the programme's story vocabulary + areas, pillars)."""

    areas: tuple[str, ...]
    pillars: tuple[str, ...]
    tellers: tuple[str, ...]
    channels: tuple[str, ...]
    changes: tuple[str, ...]
    consent_levels: tuple[str, ...]  # ordered from least to most permissive
    allowlist: tuple[str, ...]  # names pseudonymisation keeps (places, organisations, areas)
    streets: tuple[str, ...] = ()  # street and square names it replaces (streets.yaml)

    def allowed(self, name: str) -> tuple[str, ...]:
        return {
            "area": self.areas,
            "teller": self.tellers,
            "channel": self.channels,
            "change": self.changes,
            "consent": self.consent_levels,
            "pillars": self.pillars,
        }[name]


def load_story_vocabulary(
    registry: Registry, path: str | Path, streets: str | Path | None = None
) -> StoryVocabulary:
    """Read a story vocabulary file and combine it with the registry's areas and pillars.

    A programme's vocabulary is best read through :func:`vocabulary_in`, once per folder.

    Parameters
    ----------
    registry : Registry
        The same programme's.
    path : path
        The vocabulary (:attr:`ProgrammeFolder.vocabulary_file
        <npdw_learning.kern.programme.ProgrammeFolder>`).
    streets : path, optional
        The street names pseudonymisation replaces; a file that does not exist
        (or ``None``) means none.

    Raises
    ------
    RegistryError
        When the file is missing or a list is malformed.
    """
    from ..kern.errors import RegistryError

    chk, data = YamlChecker.load(path, what="woordenlijst", error=RegistryError)
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("tellers", "channels", "changes", "consent_levels"):
        if not data.get(key):
            chk.error((key,), "", key, f"de lijst '{key}' ontbreekt of is leeg", at="key")
        lists[key] = tuple(chk.strings(data, (), "", key))
    allow = chk.mapping(data, (), "", "allowlist")
    names: list[str] = list(registry.areas["label"])
    for group in allow:
        names += chk.strings(allow, ("allowlist",), "", group, column=f"allowlist.{group}")
    if chk.errors:
        raise RegistryError(f"{chk.file} bevat fouten", chk.errors)
    # Neighbourhoods only: a story is about a place people live, not an aggregate.
    story_areas = registry.areas.loc[registry.areas["kind"] == "neighbourhood", "id"]
    return StoryVocabulary(
        areas=(*story_areas, registry.reference, registry.aggregate_id),
        pillars=tuple(registry.pillars["id"]),
        tellers=lists["tellers"],
        channels=lists["channels"],
        changes=lists["changes"],
        consent_levels=lists["consent_levels"],
        allowlist=tuple(dict.fromkeys(names)),
        streets=_streets(Path(streets)) if streets is not None else (),
    )


def vocabulary_in(folder: ProgrammeFolder) -> StoryVocabulary:
    """The story vocabulary of a programme folder with its registry; read once per folder."""
    return folder.loaded(
        vocabulary_in,
        lambda: load_story_vocabulary(folder.registry, folder.vocabulary_file, folder.streets_file),
    )


def stories_in(folder: ProgrammeFolder) -> StoryCollection:
    """Every story in the folder's stories folder, valid or not; read once per folder.

    Examples
    --------
    >>> folder = ProgrammeFolder.bundled()
    >>> stories_in(folder) is stories_in(folder)
    True
    """
    return folder.loaded(
        stories_in, lambda: load_stories(folder.stories_dir, vocabulary_in(folder))
    )


def _streets(path: Path) -> tuple[str, ...]:
    """The street names of the street list (none when the programme has no such file)."""
    from ..kern.errors import RegistryError

    if not path.exists():
        return ()
    chk, data = YamlChecker.load(path, what="straatnamenlijst", error=RegistryError)
    if not isinstance(data.get("streets"), list):
        chk.error(("streets",), "", "streets", "de lijst 'streets' ontbreekt", at="key")
    streets = chk.strings(data, (), "", "streets")
    if chk.errors:
        raise RegistryError(f"{chk.file} bevat fouten", chk.errors)
    return tuple(dict.fromkeys(streets))


@dataclass(frozen=True)
class Story:
    """One pseudonymised story."""

    id: str
    date: dt.date
    area: str
    teller: str
    channel: str
    pillars: tuple[str, ...]
    change: str
    consent: str
    text: str
    title: str | None = None
    msc_domain: str | None = None
    synthetic: bool = False
    file: str | None = None
    pillars_source: str | None = None  # "auto": proposed on import, not yet reviewed
    language: str = DEFAULT_LANGUAGE  # ISO 639-1; not "nl": not coded automatically
    source_hash: str | None = None  # the import's record: the export row ...
    written_hash: str | None = None  # ... and the file as the import wrote it

    def front_matter(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "date": self.date,
            "area": self.area,
            "teller": self.teller,
            "channel": self.channel,
            "pillars": list(self.pillars),
        }
        if self.pillars_source:
            data["pillars_source"] = self.pillars_source
        data |= {
            "change": self.change,
            "consent": self.consent,
        }
        if self.title:
            data["title"] = self.title
        if self.msc_domain:
            data["msc_domain"] = self.msc_domain
        if self.synthetic:
            data["synthetic"] = True
        if self.language != DEFAULT_LANGUAGE:
            data["language"] = self.language
        for name in ("source_hash", "written_hash"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data


def may_quote(consent: str, vocab: StoryVocabulary) -> bool:
    """Whether a consent level allows quoting (``citeren`` or more)."""
    levels = vocab.consent_levels
    return consent in levels and levels.index(consent) >= levels.index("citeren")


def _coerce_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    return None


def validate_fields(
    data: dict[str, Any],
    vocab: StoryVocabulary,
    file: str,
    row: int | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[Finding]]:
    """Check and normalise story metadata; shared by the file parser and the importer.

    Parameters
    ----------
    data : dict
        Field -> value (``date``, ``area``, ``pillars``, ...).
    vocab : StoryVocabulary
        The allowed values.
    file, row : str, int
        Where the findings point.
    names : mapping, optional
        Field -> the name the user's file gives it (the importer passes the
        column headers, e.g. ``{"pillars": "pijlers"}``). Messages and the
        findings' ``column`` use these names; default: the field names, as a
        story file's front matter has them.

    Returns
    -------
    tuple
        The normalised fields (``date`` as a date, ``pillars`` as a tuple,
        empty when none are given) and the findings; any error finding means
        the story must not be used.
    """
    findings: list[Finding] = []
    out: dict[str, Any] = {}
    names = names or {}

    def label(name: str) -> str:
        return names.get(name, name)

    def error(name: str, message: str) -> None:
        findings.append(Finding("error", file, message, row=row, column=label(name)))

    data = _plain_values(data, label, error)
    refused = {f.column for f in findings}  # a field refused above is not "missing" too
    for name in REQUIRED_FIELDS:
        if data.get(name) in (None, "", []) and label(name) not in refused:
            if name == "consent":
                error(name, "geen toestemming: het verhaal wordt niet gebruikt")
            else:
                error(name, f"veld '{label(name)}' ontbreekt")
    ident = data.get("id")
    if ident not in (None, ""):
        if isinstance(ident, str) and ID_PATTERN.match(ident):
            out["id"] = ident
        else:
            error("id", f"'{label('id')}' is {ident!r}: alleen kleine letters, cijfers, - en _")
    if data.get("date") not in (None, ""):
        date = _coerce_date(data["date"])
        if date is None:
            error("date", f"'{label('date')}' is {data['date']!r}: geen datum (JJJJ-MM-DD)")
        elif not dt.date(2000, 1, 1) <= date <= dt.date(2100, 1, 1):
            error("date", f"'{label('date')}' is {date}: ligt niet tussen 2000 en 2100")
        else:
            out["date"] = date
    out |= _choices(data, vocab, label, error)
    out["pillars"] = _pillars(data.get("pillars"), vocab, label("pillars"), error)
    for name in ("title", "msc_domain"):
        if data.get(name) not in (None, ""):
            out[name] = str(data[name]).strip()
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        error("synthetic", f"'{label('synthetic')}' moet true of false zijn")
    out["synthetic"] = bool(synthetic) if isinstance(synthetic, bool) else False
    out |= _language(data.get("language"), label, error)
    out |= _record(data, file, row, label, findings)
    unknown = sorted(set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    for name in unknown:
        message = f"onbekend veld '{label(name)}' wordt genegeerd"
        findings.append(Finding("warning", file, message, row=row, column=label(name)))
    return out, findings


def _language(value: Any, label, error) -> dict[str, str]:
    """``{"language": code}`` for a valid language code, ``{}`` when absent or wrong."""
    if value in (None, ""):
        return {}
    code = str(value).strip().lower()
    if _LANGUAGE_CODE.fullmatch(code):
        return {"language": code}
    message = f"'{label('language')}' is {value!r}: een taalcode van twee letters (nl, en, tr, ...)"
    error("language", message)
    return {}


def _plain_values(data: Mapping[str, Any], label, error) -> dict[str, Any]:
    """``data`` without the fields that hold a list or mapping where one value belongs.

    Every field holds one plain value (text, a number, a date, true/false);
    only ``pillars`` may be a list of them. A YAML alias to a collection in a
    title is refused here, before any message quotes it.
    """
    out = {}
    for name, value in data.items():
        items = value if name == "pillars" and isinstance(value, list) else [value]
        if any(isinstance(v, list | dict | set | tuple) for v in items):
            shape = "een lijst van losse woorden" if name == "pillars" else "één waarde"
            error(name, f"'{label(name)}' moet {shape} zijn, geen lijst of mapping")
            continue
        out[name] = value
    return out


def _record(
    data: Mapping[str, Any], file: str, row: int | None, label, findings: list[Finding]
) -> dict[str, str]:
    """The import's record (``source_hash``, ``written_hash``) where it looks as the
    import wrote it; a damaged value is a warning and left out (the story stays usable:
    a later import then treats the file as one without a record)."""
    out = {}
    for name, pattern in RECORD_PATTERNS.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, str) and pattern.fullmatch(value.strip()):
            out[name] = value.strip()
            continue
        message = (
            f"'{label(name)}' is {value!r}: niet zoals de import het schreef; wordt genegeerd "
            "(laat deze regel staan zoals de import hem schreef)"
        )
        findings.append(Finding("warning", file, message, row=row, column=label(name)))
    return out


def _choices(data: dict[str, Any], vocab: StoryVocabulary, label, error) -> dict[str, str]:
    """The fields with a fixed list of values (area, ..., pillars_source), where valid."""
    out = {}
    choices = {n: vocab.allowed(n) for n in ("area", "teller", "channel", "change", "consent")}
    choices["pillars_source"] = PILLAR_SOURCES
    for name, allowed in choices.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        value = str(value).strip().lower()
        if value not in allowed:
            what = f"'{label(name)}'" + (" (toestemming)" if name == "consent" else "")
            error(name, f"{what} is {value!r}; toegestaan: {', '.join(allowed)}")
        else:
            out[name] = value
    return out


def _pillars(value: Any, vocab: StoryVocabulary, label: str, error) -> tuple[str, ...]:
    """The pillars as a tuple (empty when none are given); unknown ones are an error."""
    if value in (None, "", []):
        return ()
    items = value if isinstance(value, list) else re.split(r"[;,]", str(value))
    items = [str(p).strip().lower() for p in items if str(p).strip()]
    bad = [p for p in items if p not in vocab.pillars]
    if bad:
        allowed = ", ".join(vocab.pillars)
        error("pillars", f"'{label}': onbekende pijler(s) {bad}; toegestaan: {allowed}")
        return ()
    return tuple(dict.fromkeys(items))


def parse_story(path: str | Path, vocab: StoryVocabulary) -> tuple[Story | None, list[Finding]]:
    """Read one story file; ``None`` and the findings when it cannot be used."""
    path = Path(path)
    name = str(path)
    try:
        raw = read_input_text(path, kind="story", what="verhaal")
    except InputError as exc:
        return None, exc.findings
    except UnicodeDecodeError:
        return None, [Finding("error", name, "bestand is niet in UTF-8 opgeslagen")]
    match = _FRONT.match(raw)
    if not match:
        return None, [
            Finding("error", name, "geen YAML-kop: het bestand moet beginnen met '---'", row=1)
        ]
    try:
        data = load_text(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 2 if mark is not None else None
        return None, [Finding("error", name, f"de YAML-kop is ongeldig: {exc}", row=row)]
    if not isinstance(data, dict):
        return None, [Finding("error", name, "de YAML-kop moet velden bevatten", row=2)]
    fields, findings = validate_fields(data, vocab, name)
    findings = _placed(findings, match.group(1))
    text = match.group(2).strip()
    if not text:
        findings.append(Finding("error", name, "het verhaal heeft geen tekst", column="text"))
    if fields.get("id") and path.stem != fields["id"]:
        findings.append(
            Finding(
                "warning",
                name,
                f"bestandsnaam '{path.name}' past niet bij id '{fields['id']}'",
                column="id",
            )
        )
    if any(f.severity == "error" for f in findings):
        return None, findings
    return Story(text=text, file=name, **fields), findings


def _placed(findings: list[Finding], front: str) -> list[Finding]:
    """The findings of a story's front matter at the line and column of their field.

    The front matter starts on the file's second line (after ``---``); a field
    that is missing is named at the first line of the front matter.
    """
    import dataclasses

    chk, _ = YamlChecker.from_text(front, "")
    out = []
    for finding in findings:
        spot = chk.spot((finding.column,)) if finding.column else None
        if spot is None or finding.row is not None:
            out.append(finding)
        else:
            out.append(dataclasses.replace(finding, row=spot.line + 1, char=spot.char))
    return out


@dataclass
class StoryCollection:
    """The valid stories of a folder, and what was wrong with the others."""

    stories: list[Story]
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def frame(self) -> pd.DataFrame:
        """One row per story: :data:`STORY_COLUMNS`."""
        rows = [
            {
                **{k: getattr(s, k) for k in STORY_COLUMNS if k not in ("year",)},
                "year": s.date.year,
            }
            for s in self.stories
        ]
        return pd.DataFrame(rows, columns=STORY_COLUMNS)


def load_stories(stories_dir: str | Path, vocab: StoryVocabulary) -> StoryCollection:
    """Read every ``*.md`` story in a folder (not its subfolders).

    Invalid stories are left out and reported; duplicate ids are errors. A
    programme's stories are best read through :func:`stories_in`, once per folder.

    Examples
    --------
    >>> folder = ProgrammeFolder.bundled()
    >>> collection = load_stories(folder.stories_dir, vocabulary_in(folder))
    >>> collection.errors
    []
    """
    stories_dir = Path(stories_dir)
    stories: list[Story] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for path in sorted(stories_dir.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        story, f = parse_story(path, vocab)
        findings += f
        if story is None:
            continue
        if story.id in seen:
            findings.append(
                Finding(
                    "error",
                    str(path),
                    f"id '{story.id}' staat ook in {seen[story.id]}",
                    column="id",
                )
            )
            continue
        seen[story.id] = str(path)
        stories.append(story)
    return StoryCollection(stories, findings)


def render_story(story: Story) -> str:
    """The Markdown text of a story file (stable: same story, same bytes)."""
    head = yaml.safe_dump(story.front_matter(), allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{head}---\n{story.text.strip()}\n"


def write_story(story: Story, stories_dir: str | Path) -> Path:
    """Write ``<id>.md`` atomically; returns its path."""
    return write_text(render_story(story), Path(stories_dir) / f"{story.id}.md")


def require_valid(collection: StoryCollection) -> StoryCollection:
    """Raise :class:`InputError` listing the errors, if there are any."""
    if collection.errors:
        raise InputError("Er zijn verhalen met fouten.", collection.errors)
    return collection
