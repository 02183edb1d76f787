"""Reviewing the pillars the import proposed, row by row, in Excel.

An import of a form without pillars proposes them (``pillars_source: auto``)
and writes a review file next to the export, ``<export>.pijlers.csv``: one
line per story of that export whose pillars are still a proposal, with the
export's row, the id, the first words of the story (the pseudonymised text
of the story file, never the export), the proposal and an empty column
``nagekeken`` for the decision. It is semicolon-separated UTF-8 with a
byte-order mark, so Dutch Excel opens it with its columns and accents, and
every text cell is formula-inert (:func:`npdw_learning.kern.atomic.formula_safe_text`).

In ``nagekeken`` the reviewer writes ``ok`` (the proposal is right), ``geen``
(no pillar fits) or the pillars (``wonen; veilig``), or leaves it empty (not
reviewed yet). :func:`apply_review` (``npdw stories pijlers FILE``) checks
every line first, against the pillar vocabulary and the story files, and
writes nothing when one is wrong; otherwise it sets the pillars and removes
``pillars_source: auto`` from each decided story.

A later import refreshes the review file, but never overwrites a file that
is not a review file (it refuses, naming it), nor one with decisions not
yet applied (it leaves it and says so).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..kern.atomic import formula_safe_text, write_atomic, write_text
from ..kern.errors import Finding, InputError
from ..kern.registry import ID_PATTERN
from ..kern.tables import ROW, is_blank, read_sheets
from .stories import Story, StoryVocabulary, parse_story, render_story

__all__ = [
    "REVIEW_COLUMNS",
    "REVIEW_SUFFIX",
    "Proposal",
    "ReviewResult",
    "first_words",
    "review_path",
    "render_review",
    "is_review_file",
    "pending_decisions",
    "apply_review",
]

REVIEW_SUFFIX = ".pijlers.csv"
ROW_COLUMN, ID_COLUMN, WORDS_COLUMN, PROPOSED_COLUMN, DECISION_COLUMN = REVIEW_COLUMNS = (
    "rij in de export",
    "id",
    "begin van het verhaal",
    "voorgestelde pijlers",
    "nagekeken",
)
NONE_WORD = "geen"
CONFIRM_WORDS = frozenset({"ok", "oké", "ja", "klopt"})
_INSTRUCTION = (
    "Pijlers nakijken: lees elk verhaal (het bestand <id>.md) en vul de kolom 'nagekeken' in "
    "met ok (het voorstel klopt), geen (geen pijler past) of de pijlers zelf (bijv. wonen; "
    "veilig). Leeg = nog niet nagekeken. Daarna: npdw stories pijlers {name}"
)
FIRST_WORDS = 10
FIRST_CHARS = 80


@dataclass(frozen=True)
class Proposal:
    """One story whose pillars are a proposal, and where it came from.

    ``words`` are the first words of the story file's (pseudonymised) text.
    """

    id: str
    pillars: tuple[str, ...]
    row: int
    words: str
    sheet: str | None = None  # the worksheet, when the export had rows on more than one

    def where(self) -> str:
        """``rij 5``, or ``Maart, rij 5`` for a worksheet."""
        return f"{self.sheet}, rij {self.row}" if self.sheet else f"rij {self.row}"

    def proposed(self) -> str:
        """The proposal as the review file and the terminal show it."""
        return ", ".join(self.pillars) if self.pillars else NONE_WORD


def first_words(text: str, words: int = FIRST_WORDS, chars: int = FIRST_CHARS) -> str:
    """The start of a text on one line: at most ``words`` words and ``chars`` characters.

    >>> first_words("Sinds de zomer is het\\nin onze portiek echt niet meer te doen.", 6)
    'Sinds de zomer is het in …'
    """
    parts = text.split()
    head = " ".join(parts[:words])
    if len(head) > chars:
        head = head[:chars].rsplit(" ", 1)[0] or head[:chars]
    return head + (" …" if head != " ".join(parts) else "")


def review_path(export: str | Path) -> Path:
    """``export.csv`` -> ``export.pijlers.csv`` next to it."""
    export = Path(export)
    return export.with_name(export.stem + REVIEW_SUFFIX)


def render_review(proposals: Sequence[Proposal], name: str) -> bytes:
    """The review file's bytes: an instruction line, the header and one line per proposal.

    Semicolons, CRLF line ends and a UTF-8 byte-order mark (what Dutch Excel writes and
    reads); every text cell formula-inert.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_INSTRUCTION.format(name=name)])
    writer.writerow(REVIEW_COLUMNS)
    for p in proposals:
        cells = [str(p.row) if not p.sheet else p.where(), p.id, p.words, p.proposed(), ""]
        writer.writerow([formula_safe_text(c) for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _read(path: Path) -> list[dict]:
    """The lines of a review file (any encoding or separator Excel saves), as records
    keyed by the lower-case column names; raises when it is not a review file."""
    [sheet] = read_sheets(path, expected=REVIEW_COLUMNS)[:1]
    errors = [f for f in sheet.findings if f.severity == "error"]
    frame = sheet.frame.rename(columns=lambda c: c if c == ROW else str(c).strip().casefold())
    missing = [c for c in (ID_COLUMN, PROPOSED_COLUMN, DECISION_COLUMN) if c not in frame]
    errors += [
        Finding("error", sheet.file, f"kolom '{c}' ontbreekt", row=sheet.header_row, column=c)
        for c in missing
    ]
    if errors:
        raise InputError(f"{path}: geen nakijkbestand van de pijlers", errors)
    return frame.to_dict(orient="records")


def is_review_file(path: Path) -> bool:
    """Whether ``path`` is a review file (as written, or as Excel saved it)."""
    try:
        _read(path)
    except InputError:
        return False
    return True


def _cell(record: dict, column: str) -> str:
    value = record.get(column)
    return "" if is_blank(value) else str(value).strip()


def pending_decisions(path: Path, stories_dir: Path, vocab: StoryVocabulary) -> list[str]:
    """The ids of a review file with a decision whose story is still a proposal."""
    pending = []
    for record in _read(path):
        ident = _cell(record, ID_COLUMN)
        if not ID_PATTERN.fullmatch(ident) or not _cell(record, DECISION_COLUMN):
            continue
        story, _ = parse_story(stories_dir / f"{ident}.md", vocab)
        if story is not None and story.pillars_source == "auto":
            pending.append(ident)
    return pending


# -- applying a review -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewResult:
    """What :func:`apply_review` did: the ids written, and those left as they were."""

    file: str
    applied: tuple[str, ...] = ()
    open: tuple[str, ...] = ()  # no decision yet, still a proposal
    done: tuple[str, ...] = ()  # already reviewed (as decided, or in the story file)

    def lines(self) -> list[str]:
        out = [
            f"{self.file}: {len(self.applied)} verhalen nagekeken (pijlers gezet, "
            f"'pillars_source: auto' weggehaald), {len(self.done)} waren al nagekeken, "
            f"{len(self.open)} nog niet nagekeken (lege cel in '{DECISION_COLUMN}')."
        ]
        if self.open:
            out.append(f"Nog na te kijken: {', '.join(self.open)}")
        return out


def _decision(value: str, vocab: StoryVocabulary) -> tuple[str, ...] | str | None:
    """``"ok"`` for a confirmation, the pillars for a choice, ``None`` when unknown."""
    word = value.casefold()
    if word in CONFIRM_WORDS:
        return "ok"
    if word == NONE_WORD:
        return ()
    items = [p.strip() for p in re.split(r"[;,]", word) if p.strip()]
    if not items or any(p not in vocab.pillars for p in items):
        return None
    return tuple(p for p in vocab.pillars if p in items)


def _proposal_cell(value: str) -> tuple[str, ...]:
    if value.casefold() == NONE_WORD:
        return ()
    return tuple(sorted(p.strip().casefold() for p in re.split(r"[;,]", value) if p.strip()))


def _check_line(
    record: dict, file: str, stories_dir: Path, vocab: StoryVocabulary
) -> tuple[Story | None, tuple[str, ...] | None, list[Finding]]:
    """One decided line: the story, the pillars to give it, and what is wrong."""
    row = int(record[ROW])

    def error(column: str, message: str) -> list[Finding]:
        return [Finding("error", file, message, row=row, column=column)]

    ident, value = _cell(record, ID_COLUMN), _cell(record, DECISION_COLUMN)
    if not ident:
        return None, None, error(ID_COLUMN, "geen id: van welk verhaal is deze keuze?")
    if not ID_PATTERN.fullmatch(ident):
        return None, None, error(ID_COLUMN, f"'{ident}' is geen id van een verhaal (vt-...)")
    story, findings = parse_story(stories_dir / f"{ident}.md", vocab)
    if story is None:
        reasons = "; ".join(f.message for f in findings if f.severity == "error")
        return None, None, error(ID_COLUMN, f"verhaal {ident} in {stories_dir}: {reasons}")
    chosen = _decision(value, vocab)
    if chosen is None:
        allowed = f"ok, {NONE_WORD} of pijlers uit: {', '.join(vocab.pillars)}"
        return None, None, error(DECISION_COLUMN, f"'{value}' is geen keuze; toegestaan: {allowed}")
    if chosen == "ok":
        proposed = _proposal_cell(_cell(record, PROPOSED_COLUMN))
        if story.pillars_source == "auto" and tuple(sorted(story.pillars)) != proposed:
            now = ", ".join(story.pillars) or NONE_WORD
            return (
                None,
                None,
                error(
                    DECISION_COLUMN,
                    f"'ok' bevestigt het voorstel in deze regel, maar het verhaal heeft nu "
                    f"'{now}' als voorstel: importeer de export opnieuw voor een nieuw "
                    "nakijkbestand, of schrijf de pijlers zelf in deze cel",
                ),
            )
        chosen = story.pillars if story.pillars_source == "auto" else proposed
    if story.pillars_source != "auto" and set(chosen) != set(story.pillars):
        has = ", ".join(story.pillars) or NONE_WORD
        return (
            None,
            None,
            error(
                DECISION_COLUMN,
                f"{ident} is al nagekeken (pijlers: {has}) en wijkt af van deze keuze: pas het "
                "verhaalbestand zelf aan, of maak deze cel leeg",
            ),
        )
    return story, chosen, []


def _sort_open(
    ident: str, stories_dir: Path, vocab: StoryVocabulary, open_ids: list[str], done: list[str]
) -> None:
    """A line without a decision: still open while its story is a proposal, done when it
    was reviewed since (in the story file); a line without a readable story is left out."""
    if not ID_PATTERN.fullmatch(ident):
        return
    story, _ = parse_story(stories_dir / f"{ident}.md", vocab)
    if story is not None:
        (open_ids if story.pillars_source == "auto" else done).append(ident)


def apply_review(path: str | Path, stories_dir: str | Path, vocab: StoryVocabulary) -> ReviewResult:
    """Apply a filled-in review file to the story files in ``stories_dir``.

    Every line is checked first; any problem raises :class:`InputError` with
    all of them (file, row, column) and nothing is written.

    Examples
    --------
    See ``stories/README.md`` (*Pijlers nakijken*) and ``npdw stories pijlers``.
    """
    path, stories_dir = Path(path), Path(stories_dir)
    file = str(path)
    findings: list[Finding] = []
    changes: list[Story] = []
    open_ids, done, seen = [], [], {}
    for record in _read(path):
        ident = _cell(record, ID_COLUMN)
        if not ident and not _cell(record, DECISION_COLUMN):
            continue
        if not _cell(record, DECISION_COLUMN):
            _sort_open(ident, stories_dir, vocab, open_ids, done)
            continue
        if ident in seen:
            message = f"{ident} staat ook op rij {seen[ident]}"
            findings.append(Finding("error", file, message, row=int(record[ROW]), column=ID_COLUMN))
            continue
        seen[ident] = int(record[ROW])
        story, chosen, problems = _check_line(record, file, stories_dir, vocab)
        findings += problems
        if story is None or chosen is None:
            continue
        if story.pillars_source != "auto":
            done.append(ident)
            continue
        changes.append(dataclasses.replace(story, pillars=chosen, pillars_source=None))
    if findings:
        raise InputError(
            f"{path}: het nakijkbestand bevat fouten; er is niets geschreven", findings
        )
    for story in changes:
        write_text(render_story(story), Path(story.file or stories_dir / f"{story.id}.md"))
    return ReviewResult(file, tuple(s.id for s in changes), tuple(open_ids), tuple(done))


def write_review(path: Path, proposals: Sequence[Proposal]) -> Path:
    """Write the review file (atomically)."""
    data = render_review(proposals, path.name)
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))
