"""Where each row of an import goes: its id, and what happens to a story file already there.

The import (:mod:`.importer`) reads and pseudonymises the rows; this module
decides, before anything is written, per row:

- the id of a row without an id column (:func:`assign_ids`): the id of the
  story it became before (the first half of ``source_hash``, or the hash id an
  earlier version gave it), else the next free number in the folder
  (:class:`.provenance.FolderIndex`);
- what to do with its story file (:func:`place_stories`): write it, leave it
  (the same bytes, or what an earlier version wrote), update it (the same row,
  not changed by hand, but the import now writes something else), keep it
  (changed by hand since the import, the same row), overwrite it (changed by
  hand, and named in ``--overwrite-hand-edits``), or report a conflict (another
  row, or a changed row against a file changed by hand), each conflict naming
  the export's file and row and the story file;
- whether to write the review file of the proposed pillars (:func:`review_target`).

Nothing here writes: :class:`Placed` lists what to write.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..kern.console import program
from ..kern.errors import Finding, InputError
from ..kern.inputfile import read_input_bytes
from .pillar_review import Proposal, first_words, is_review_file, pending_decisions, review_path
from .provenance import FolderIndex, changed_by_hand, identity, legacy_id, with_record
from .stories import DEFAULT_LANGUAGE, Story, StoryVocabulary, parse_story, render_story

if TYPE_CHECKING:
    from .cache import Cache
    from .importer import _Row as Row

__all__ = ["Work", "Placed", "Outcome", "assign_ids", "place_stories", "review_target"]


# --- ids for rows without one ----------------------------------------------------------


def assign_ids(rows: Sequence[Row], out_dir: Path) -> tuple[list[Row], list[Finding]]:
    """Give each row without an id the id of the story it became before, else the next
    free number in ``out_dir`` (``vt-061`` after ``vt-060``), in the export's order.

    A story is recognised by the first half of its ``source_hash`` (date, area
    and text), or by the hash id an earlier version gave it. A second row with
    the same date, area and text is skipped.
    """
    if all(r.id is not None for r in rows):
        return list(rows), []
    index = FolderIndex.scan(out_dir)
    explicit = {r.id for r in rows if r.id is not None}
    for ident in explicit:
        index.take(ident)
    first: dict[str, Row] = {}
    out: list[Row] = []
    skipped: list[Finding] = []
    for r in rows:
        if r.id is not None:
            out.append(r)
            continue
        key = identity(r.source)
        earlier = first.get(key)
        before = index.stories.get(key) or _legacy_file(out_dir, r)
        if earlier is not None or before in explicit:
            where = f"{earlier.file}, rij {earlier.row}" if earlier else f"id {before}"
            message = f"hetzelfde verhaal (datum, wijk en tekst) als {where}"
            skipped.append(Finding("error", r.file, message, row=r.row, column=r.names["text"]))
            continue
        first[key] = r
        ident = before or index.next_id()
        out.append(dataclasses.replace(r, id=ident, fields={**r.fields, "id": ident}))
    return out, skipped


def _legacy_file(out_dir: Path, r: Row) -> str | None:
    """The hash id an earlier version gave this row, when ``out_dir`` holds it."""
    ident = legacy_id(r.source)
    return ident if (out_dir / f"{ident}.md").is_file() else None


# --- placing the stories ----------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    """What placing a story needs besides the row: the cache keys of the story files,
    the cache, the folder, the vocabulary, the export's name and the ids of the files
    corrected by hand that may be overwritten."""

    file_keys: Sequence[str]
    cache: Cache
    out_dir: Path
    vocab: StoryVocabulary
    file: str
    overwrite: frozenset[str] = frozenset()


@dataclass
class Placed:
    """What :func:`place_stories` decided, before anything is written."""

    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    proposed: list[Proposal] = field(default_factory=list)
    review: list[Proposal] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    to_write: list[tuple[Path, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """What happens to one row's story file: ``kind`` names the list of :class:`Placed`
    it goes to (``imported``, ``unchanged``, ``updated``, ``kept``, ``overwritten`` or
    ``conflicts``, with ``message``); ``story`` is the story as the file holds it after
    the import; ``note`` a warning to show."""

    kind: str
    story: Story | None = None
    message: str = ""
    note: str = ""

    @property
    def writes(self) -> bool:
        return self.kind in ("imported", "updated", "overwritten")


def place_stories(
    rows: Sequence[Row],
    results: dict[int, tuple[tuple[str, ...], dict[str, int]]],
    proposals: dict[int, tuple[str, ...]],
    work: Work,
) -> Placed:
    """Per row: a file to write, to leave or to keep, or a conflict (nothing overwritten)."""
    placed = Placed()
    several_sheets = len({r.sheet for r in rows}) > 1
    for i, r in enumerate(rows):
        (title, text), counts = results[i]
        story = Story(text=text, title=title or None, **r.fields)
        if r.propose:
            story = dataclasses.replace(story, pillars=proposals[i], pillars_source="auto")
        story = with_record(story, r.source)
        target = work.out_dir / f"{story.id}.md"
        outcome = _existing(target, story, r, work.file_keys[i], work) if target.exists() else None
        outcome = outcome or Outcome("imported", story)
        if outcome.kind == "conflicts":
            placed.conflicts.append(_finding("error", r, work.file, outcome.message))
            continue
        getattr(placed, outcome.kind).append(story.id)
        if outcome.note:
            placed.warnings.append(_finding("warning", r, work.file, outcome.note))
        if outcome.writes:
            _write_later(placed, target, story, work.cache, work.file_keys[i])
        final = outcome.story or story
        if final.pillars_source == "auto":
            proposal = Proposal(
                story.id,
                final.pillars,
                r.row,
                first_words(final.text),
                r.sheet if several_sheets else None,
            )
            placed.review.append(proposal)
            if outcome.writes:
                placed.proposed.append(proposal)
            # A story in another language has its own warning (the codebook is Dutch).
            if not final.pillars and final.language == DEFAULT_LANGUAGE:
                placed.warnings.append(_no_pillar(story.id, r, work.file))
        for k, v in counts.items():
            placed.totals[k] = placed.totals.get(k, 0) + v
    placed.warnings += _unused_overwrites(work.overwrite, placed, work.file)
    return placed


def _write_later(placed: Placed, target: Path, story: Story, cache: Cache, key: str) -> None:
    rendered = render_story(story)
    placed.to_write.append((target, rendered))
    cache.put(key, {"file": hashlib.sha256(rendered.encode()).hexdigest()})


def _finding(severity: str, r: Row, file: str, message: str) -> Finding:
    return Finding(severity, r.file or file, message, row=r.row, column=r.id_column or None)


def _existing(target: Path, story: Story, r: Row, file_key: str, work: Work) -> Outcome:
    """What to do with ``target``, which exists, for this row's ``story``."""
    try:
        existing = read_input_bytes(target, kind="story", folder=work.out_dir, what="verhaal")
    except InputError as exc:
        return _unreadable(target, story, exc.findings[0].message, story.id in work.overwrite)
    # Rendering (YAML) costs more than hashing: a file whose hash the cache
    # knows for exactly this story is unchanged without it.
    digest = hashlib.sha256(existing).hexdigest()
    if digest == work.cache.file_hash(file_key):
        return Outcome("unchanged", story)
    if existing == render_story(story).encode("utf-8"):
        work.cache.put(file_key, {"file": digest})
        return Outcome("unchanged", story)
    old, findings = parse_story(target, work.vocab)
    if old is None:
        reason = next(f.message for f in findings if f.severity == "error")
        return _unreadable(target, story, reason, story.id in work.overwrite)
    by_hand = changed_by_hand(old)
    if by_hand is None:
        return _without_record(target, existing, old, story, r, story.id in work.overwrite)
    if old.source_hash == story.source_hash:
        if not by_hand:
            # Line ends or YAML layout changed by an editor are no change: leave the file.
            same = render_story(old) == render_story(story)
            return Outcome("unchanged", old) if same else Outcome("updated", story)
        overwrite = story.id in work.overwrite
        return Outcome("overwritten", story) if overwrite else Outcome("kept", old)
    if not by_hand:
        return Outcome("conflicts", message=_other_row(target, old, story, r))
    if story.id in work.overwrite:
        return Outcome("overwritten", story)
    return Outcome("conflicts", message=_changed_row(target, old, story, r))


def _unused_overwrites(ids: frozenset[str], placed: Placed, file: str) -> list[Finding]:
    """A warning for each id of ``--overwrite-hand-edits`` that replaced nothing."""
    unused = sorted(ids - set(placed.overwritten))
    if not unused:
        return []
    message = (
        f"--overwrite-hand-edits {' '.join(unused)}: niet vervangen (geen verhaal uit deze "
        "export met dat id, of niet met de hand aangepast)"
    )
    return [Finding("warning", file, message)]


def _unreadable(target: Path, story: Story, reason: str, overwrite: bool) -> Outcome:
    if overwrite:
        return Outcome("overwritten", story)
    message = (
        f"{target} bestaat al maar is geen geldig verhaal ({reason}); niet overschreven. "
        "Herstel het bestand (npdw stories validate zegt wat er mis is), of vervang het door "
        f"deze rij met --overwrite-hand-edits {story.id}"
    )
    return Outcome("conflicts", message=message)


def _without_record(
    target: Path, existing: bytes, old: Story, story: Story, r: Row, overwrite: bool
) -> Outcome:
    """A file an earlier version wrote (no ``source_hash``/``written_hash``).

    Left alone when it is what that version wrote for this row (its proposed
    pillars possibly reviewed since); kept as corrected by hand when only its
    title or text differ; otherwise a conflict.
    """
    bare = dataclasses.replace(story, source_hash=None, written_hash=None)
    variants = [bare]
    if r.propose:
        variants.append(
            dataclasses.replace(bare, pillars=old.pillars, pillars_source=old.pillars_source)
        )
    if any(render_story(v).encode("utf-8") == existing for v in variants):
        return Outcome("unchanged", old)
    if overwrite:
        return Outcome("overwritten", story)
    differences = _answer_differences(old, story, r)
    if not differences:
        note = (
            f"{target.name} is gemaakt door een eerdere versie van de import (zonder "
            "source_hash) en alleen de titel of tekst wijkt af van wat de import nu van deze "
            "rij maakt: bewaard als met de hand verbeterd. Is de tekst in de export veranderd, "
            f"importeer dan met --overwrite-hand-edits {story.id}"
        )
        return Outcome("kept", old, note=note)
    message = (
        f"{target} is gemaakt door een eerdere versie van de import (zonder source_hash) en "
        f"wijkt af van deze rij ({differences}); niet overschreven. Klopt de export, vervang "
        f"het bestand dan met --overwrite-hand-edits {story.id} (aanpassingen met de hand gaan "
        "dan verloren)"
    )
    return Outcome("conflicts", message=message)


_ANSWERS = ("date", "area", "teller", "channel", "change", "consent", "msc_domain", "synthetic")


def _answer_differences(old: Story, story: Story, r: Row) -> str:
    """The answers in which the file and the row differ, named by the export's columns:
    ``"toestemming: in de export 'analyse', in het bestand 'citeren'"``."""
    fields = [*_ANSWERS, *(() if r.propose else ("pillars",))]
    parts = []
    for name in fields:
        mine, theirs = getattr(story, name), getattr(old, name)
        if mine != theirs:
            column = r.names.get(name, name)
            parts.append(f"{column}: in de export {_shown(mine)}, in het bestand {_shown(theirs)}")
    return "; ".join(parts)


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return f"'{', '.join(value)}'" if value else "geen"
    return "geen" if value in (None, "") else f"'{value}'"


def _other_row(target: Path, old: Story, story: Story, r: Row) -> str:
    """A file as the import wrote it, but from another row (or another version of this one)."""
    if identity(old.source_hash or "") == identity(story.source_hash or ""):
        what = "deze rij, maar met andere gegevens in de export"
        differences = _answer_differences(old, story, r)
        if differences:
            what += f" ({differences})"
    else:
        what = "een ander verhaal (andere datum, wijk of tekst) met hetzelfde id"
    return (
        f"{target} komt uit een andere rij: {what}; niet overschreven. Is deze rij de "
        f"verbeterde versie van dat verhaal, verwijder dan {target.name} (het is niet met de "
        "hand aangepast) en importeer opnieuw; is het een ander verhaal, geef de rij dan een "
        "ander id"
    )


def _changed_row(target: Path, old: Story, story: Story, r: Row) -> str:
    """A file corrected by hand, against a row that changed in the export since."""
    differences = _answer_differences(old, story, r)
    what = f" ({differences})" if differences else " (de tekst of de titel)"
    return (
        f"{target} is na de import met de hand aangepast, en deze rij is in de export "
        f"veranderd sinds het bestand eruit werd gemaakt{what}; niet overschreven. Vervang het "
        f"bestand door deze rij met --overwrite-hand-edits {story.id} en breng je aanpassing "
        "daarna opnieuw aan (lees de nieuwe tekst dan ook na)"
    )


def _no_pillar(ident: str, r: Row, file: str) -> Finding:
    message = (
        f"verhaal {ident}: geen thema uit het codeboek herkend, dus geen pijler voorgesteld; "
        "het telt als 'nog niet ingedeeld' tot iemand de pijler invult (in deze kolom, in het "
        "nakijkbestand of in het verhaalbestand)"
    )
    return Finding("warning", r.file or file, message, row=r.row, column=r.pillars_column)


# --- the review file ----------------------------------------------------------------------


def review_target(
    export: Path, placed: Placed, stories_dir: Path, vocab: StoryVocabulary
) -> Path | None:
    """Where to write the review file, or ``None``: nothing to review (and no review
    file of an earlier import to empty), or a review file with decisions not yet
    applied (left alone, with a warning).

    Raises :class:`InputError` (before anything is written) when there is something
    to review and the file there is not a review file.
    """
    path = review_path(export)
    if not (path.exists() or path.is_symlink()):
        return path if placed.review else None
    if path.is_symlink() or not is_review_file(path):
        if not placed.review:
            return None
        raise InputError(
            f"{path}: dit bestand bestaat al en is geen nakijkbestand van de pijlers; er is "
            "niets geschreven. Hernoem of verplaats het, dan schrijft de import daar de "
            "voorgestelde pijlers om na te kijken",
            [Finding("error", str(path), "bestaat al en is geen nakijkbestand van de pijlers")],
        )
    pending = pending_decisions(path, stories_dir, vocab)
    if pending:
        message = (
            "niet bijgewerkt: er staan keuzes in die nog niet zijn toegepast "
            f"({', '.join(pending)}). Voer eerst uit: {program()} stories pijlers {path}, en "
            "importeer dan opnieuw voor een nieuw nakijkbestand"
        )
        placed.warnings.append(Finding("warning", str(path), message))
        return None
    return path
