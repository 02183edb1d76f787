"""Recording the outcome of the learning session back into the agenda files.

The coordinator works in Excel, not in YAML. ``npdw agenda sheet --out FILE.csv``
writes the sheet to fill in during the learning session (*leersessie*): one
line per learning question with its pillars, its text, its status now and
the lessons linked to it, and the columns to fill in: ``nieuwe status``
(filled in with the status now), ``nieuwe les`` (the text of a lesson the
session drew), ``bestaande les`` (ids of lessons in ``lessons.yaml`` that
answer the question) and ``evaluatiejaar`` (the evaluation the new lesson
comes from). The sheet is semicolon-separated UTF-8 with a byte-order mark,
as Dutch Excel opens and saves it; every text cell is formula-inert.

``npdw agenda apply FILE`` reads the sheet back through the one spreadsheet
reader (:func:`npdw_learning.kern.tables.read_sheets`: any encoding or
separator Excel saves, or the sheet saved as ``.xlsx``), checks every line
first (:func:`check_sheet`) and only then edits the two files:

* ``agenda/learning_questions.yaml``: the ``status:`` and ``lessons:`` lines of
  the questions that changed;
* ``agenda/lessons.yaml``: a new entry per new lesson, with the next free
  ``les-NN`` id, appended to the list, and the question added to the
  ``learning_questions:`` line of an existing lesson it is linked to.

The files are edited line by line, not loaded and dumped: a dump would lose
their comment headers, the per-pillar comments and the comments after a
value. Only the value on the line changes (a comment after it stays). A
``lessons:`` value written over several lines (a block list) is not edited:
the line says so and nothing is written. The edited texts are then checked by
the agenda's own loader (:func:`.agenda.load_agenda`, the YAML checker) in a
scratch folder; the files are replaced (atomically, one after the other) only
when they load without error.

Text from the sheet is data: a lesson is written as a double-quoted YAML
string, so ``=HYPERLINK(...)`` or ``: #`` stays literal text (a lesson that
starts like a formula gets a warning, not an error).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..kern.atomic import formula_safe_text, unformula_text, write_atomic, write_text
from ..kern.errors import Finding, InputError
from ..kern.inputfile import read_input_bytes
from ..kern.outdir import check_output_file, starts_with
from ..kern.programme import ProgrammeFolder
from ..kern.tables import ROW, is_blank, read_sheets
from ..kern.yamlfile import YamlChecker, display_name
from .agenda import (
    EFFORTS_FILE,
    LEARNING_QUESTIONS_FILE,
    LESSONS_FILE,
    QUESTION_STATUSES,
    RESEARCH_FILE,
    Agenda,
    agenda_in,
    load_agenda,
)

__all__ = [
    "SHEET_COLUMNS",
    "SheetRow",
    "Outcome",
    "render_sheet",
    "write_sheet",
    "read_sheet",
    "check_sheet",
    "apply_outcome",
    "next_lesson_id",
]

(
    ID_COLUMN,
    PILLARS_COLUMN,
    QUESTION_COLUMN,
    NOW_COLUMN,
    LINKED_COLUMN,
    STATUS_COLUMN,
    LESSON_COLUMN,
    EXISTING_COLUMN,
    YEAR_COLUMN,
) = SHEET_COLUMNS = (
    "leervraag",
    "pijlers",
    "vraag",
    "status nu",
    "gekoppelde lessen",
    "nieuwe status",
    "nieuwe les",
    "bestaande les",
    "evaluatiejaar",
)
REQUIRED_COLUMNS = (ID_COLUMN, STATUS_COLUMN, LESSON_COLUMN, EXISTING_COLUMN, YEAR_COLUMN)
NEW_LESSON_STATUS = "voorgesteld"
_INSTRUCTION = (
    "Leersessie: vul per leervraag 'nieuwe status' in (open, in_onderzoek of beantwoord), "
    "zo nodig 'nieuwe les' (de tekst van een les uit de sessie) en/of 'bestaande les' "
    "(les-id's uit lessons.yaml, gescheiden door ;). Beantwoord vraagt om een les. "
    "Daarna: npdw agenda apply {name}"
)
_LESSON_ID = re.compile(r"^les-([0-9]{2,})$")
_SPLIT = re.compile(r"[;,\s]+")


# -- the sheet -------------------------------------------------------------------------------


def render_sheet(agenda: Agenda, year: int, name: str) -> bytes:
    """The sheet's bytes: an instruction line, the header and one line per learning question.

    Semicolons, CRLF line ends and a UTF-8 byte-order mark (what Dutch Excel
    writes and reads); every text cell formula-inert.

    Examples
    --------
    >>> from npdw_learning.kern.programme import ProgrammeFolder
    >>> agenda = agenda_in(ProgrammeFolder.bundled())
    >>> render_sheet(agenda, 2026, "x.csv").decode("utf-8-sig").splitlines()[1]
    'leervraag;pijlers;vraag;status nu;gekoppelde lessen;nieuwe status;nieuwe les;bestaande les;\
evaluatiejaar'
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_INSTRUCTION.format(name=name)])
    writer.writerow(SHEET_COLUMNS)
    for q in agenda.learning_questions.itertuples(index=False):
        cells = [
            q.id,
            "; ".join(q.pillars or ()),
            q.question,
            q.status,
            "; ".join(q.lessons or ()),
            q.status,
            "",
            "",
            str(year),
        ]
        writer.writerow([formula_safe_text(str(c)) for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_sheet(folder: ProgrammeFolder, year: int, path: str | Path) -> Path:
    """Write the sheet of ``folder``'s learning questions to ``path`` (atomically).

    An earlier sheet is replaced; any other file of that name is refused.
    """
    path = Path(path)
    mine = starts_with(path, ('\ufeff"' + _INSTRUCTION[:20]).encode("utf-8"))
    check_output_file(path, mine=mine, what="leersessieblad van npdw")
    data = render_sheet(agenda_in(folder), year, path.name)
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


@dataclass(frozen=True)
class SheetRow:
    """One line of a filled-in sheet, as read: cells stripped, formula guards removed."""

    row: int
    question: str
    status: str
    lesson: str
    existing: tuple[str, ...]
    year: str


def _cell(record: dict, column: str) -> str:
    value = record.get(column)
    return "" if is_blank(value) else str(unformula_text(str(value).strip())).strip()


def read_sheet(path: str | Path) -> tuple[str, list[SheetRow]]:
    """The lines of a filled-in sheet (any encoding or separator Excel saves, or .xlsx).

    Raises :class:`InputError` when a column is missing or the file cannot be read.
    """
    [sheet] = read_sheets(path, expected=SHEET_COLUMNS)[:1]
    errors = [f for f in sheet.findings if f.severity == "error"]
    frame = sheet.frame.rename(columns=lambda c: c if c == ROW else str(c).strip().casefold())
    errors += [
        Finding("error", sheet.file, f"kolom '{c}' ontbreekt", row=sheet.header_row, column=c)
        for c in REQUIRED_COLUMNS
        if c not in frame
    ]
    if errors:
        raise InputError(f"{path}: geen ingevuld leersessieblad; er is niets geschreven", errors)
    rows = [
        SheetRow(
            row=int(r[ROW]),
            question=_cell(r, ID_COLUMN),
            status=_cell(r, STATUS_COLUMN).casefold().replace(" ", "_"),
            lesson=_cell(r, LESSON_COLUMN),
            existing=tuple(i for i in _SPLIT.split(_cell(r, EXISTING_COLUMN).casefold()) if i),
            year=re.sub(r"[.,]0+$", "", _cell(r, YEAR_COLUMN)),  # a number cell: 2026.0
        )
        for r in frame.to_dict(orient="records")
    ]
    return sheet.file, rows


# -- checking the lines ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What the sheet asks: per question its new status and lessons, and the new lessons.

    ``new_lessons`` are ``(id, text, question, year)``; ``statuses`` and
    ``lessons`` hold only the questions whose status or lessons change;
    ``backlinks`` the existing lessons that get a question added.
    """

    file: str
    statuses: dict[str, str] = field(default_factory=dict)
    lessons: dict[str, list[str]] = field(default_factory=dict)
    new_lessons: list[tuple[str, str, str, int]] = field(default_factory=list)
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.statuses or self.lessons or self.new_lessons or self.backlinks)

    def lines(self) -> list[str]:
        """What was written, in Dutch, one line per change and a count first."""
        out = [
            f"{self.file}: {len(self.statuses)} status(sen) gewijzigd, "
            f"{len(self.new_lessons)} nieuwe les(sen), "
            f"{sum(len(v) for v in self.backlinks.values())} koppeling(en) aan een bestaande les."
        ]
        out += [f"  {q}: status {s}" for q, s in self.statuses.items()]
        out += [f"  {les}: nieuwe les bij {q}" for les, _, q, _ in self.new_lessons]
        out += [f"  {les}: nu ook bij {', '.join(qs)}" for les, qs in self.backlinks.items()]
        return out


def next_lesson_id(taken: Sequence[str]) -> str:
    """The next free ``les-NN`` after the highest number in use (numbers are never reused).

    >>> next_lesson_id(["les-01", "les-10", "les-03"]), next_lesson_id([])
    ('les-11', 'les-01')
    """
    numbers = [int(m.group(1)) for m in map(_LESSON_ID.match, taken) if m]
    return f"les-{max(numbers, default=0) + 1:02d}"


def _check_row(
    r: SheetRow, file: str, agenda: Agenda, known: dict[str, dict]
) -> tuple[list[Finding], list[Finding]]:
    """The errors and warnings of one line."""
    errors: list[Finding] = []

    def error(column: str, message: str) -> None:
        errors.append(Finding("error", file, message, row=r.row, column=column))

    if not r.question:
        error(ID_COLUMN, "lege cel: van welke leervraag is deze regel? (lq-NN)")
    elif r.question not in known:
        error(ID_COLUMN, f"onbekende leervraag '{r.question}'; zie {LEARNING_QUESTIONS_FILE}")
    if not r.status:
        error(STATUS_COLUMN, f"lege cel: vul {', '.join(QUESTION_STATUSES)} in")
    elif r.status not in QUESTION_STATUSES:
        error(
            STATUS_COLUMN,
            f"'{r.status}' is geen status; toegestaan: {', '.join(QUESTION_STATUSES)}",
        )
    lessons = set(agenda.lessons["id"])
    for les in r.existing:
        if les not in lessons:
            error(EXISTING_COLUMN, f"onbekende les '{les}'; zie {LESSONS_FILE}")
    if r.lesson and not re.fullmatch(r"(19|20|21)[0-9]{2}", r.year):
        error(YEAR_COLUMN, f"'{r.year}' is geen jaartal; een nieuwe les vraagt het evaluatiejaar")
    q = known.get(r.question)
    linked = list(q["lessons"] or ()) if q is not None else []
    if r.status == "beantwoord" and not (linked or r.lesson or r.existing):
        error(
            LESSON_COLUMN,
            "status 'beantwoord' zonder les: vul 'nieuwe les' of 'bestaande les' in",
        )
    warnings = []
    if formula_safe_text(r.lesson) != r.lesson:
        warnings.append(
            Finding(
                "warning",
                file,
                "begint als een formule; wordt als gewone tekst opgeslagen, niet uitgerekend",
                row=r.row,
                column=LESSON_COLUMN,
            )
        )
    return errors, warnings


def check_sheet(file: str, rows: Sequence[SheetRow], agenda: Agenda) -> Outcome:
    """Check every line of the sheet against ``agenda``; what it asks, or :class:`InputError`
    with every problem (file, row, column)."""
    known = {q["id"]: q for q in agenda.learning_questions.to_dict(orient="records")}
    outcome, errors, seen = Outcome(file), [], {}
    taken = list(agenda.lessons["id"])
    for r in rows:
        if r.question in seen:
            message = f"{r.question} staat ook op rij {seen[r.question]}"
            errors.append(Finding("error", file, message, row=r.row, column=ID_COLUMN))
            continue
        if r.question:
            seen[r.question] = r.row
        bad, warn = _check_row(r, file, agenda, known)
        errors += bad
        outcome.warnings += warn
        if bad:
            continue
        _record(outcome, r, known[r.question], taken)
    if errors:
        raise InputError(f"{file}: het leersessieblad bevat fouten; er is niets geschreven", errors)
    return outcome


def _record(outcome: Outcome, r: SheetRow, q: dict, taken: list[str]) -> None:
    """Add what line ``r`` changes for question ``q`` to ``outcome``."""
    if r.status != q["status"]:
        outcome.statuses[q["id"]] = r.status
    linked = list(q["lessons"] or ())
    for les in r.existing:
        if les not in linked:
            linked.append(les)
            outcome.backlinks.setdefault(les, []).append(q["id"])
    if r.lesson:
        les = next_lesson_id(taken)
        taken.append(les)
        outcome.new_lessons.append((les, r.lesson, q["id"], int(r.year)))
        linked.append(les)
    if linked != list(q["lessons"] or ()):
        outcome.lessons[q["id"]] = linked


# -- editing the files line by line ----------------------------------------------------------

# A value on its key's line: a flow list, a quoted string or a plain word. A flow list
# that goes on over the next line matches none of them.
_VALUE = re.compile(r"\[[^\]\n]*\]|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'|[^\s#\[\]{}\"']+")


def _flow(ids: Sequence[str]) -> str:
    return f"[{', '.join(ids)}]"


class _Edits:
    """Line edits of one YAML text, located by the checker's spots, applied bottom-up."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.lines = text.split("\n")
        self.chk, self.data = YamlChecker.from_text(text, name)
        # line index -> (start, new value, end): the value's characters that are replaced
        self.replace: dict[int, tuple[int, str, int]] = {}
        self.insert: list[tuple[int, str]] = []  # (insert before this line index, text)
        self.errors: list[Finding] = []

    def set_value(self, path: tuple, value: str, *, after: tuple) -> None:
        """Give ``path`` the one-line ``value``; a missing key is added under ``after``."""
        if path not in self.chk.spots:
            key, _ = self.chk.spots[after]
            indent = " " * (key.char - 1)
            self.insert.append((key.line, f"{indent}{path[-1]}: {value}"))
            return
        key, at = self.chk.spots[path]
        line = self.lines[at.line - 1]
        found = _VALUE.match(line, at.char - 1) if at.line == key.line else None
        if found is None:
            self.errors.append(
                Finding(
                    "error",
                    self.name,
                    f"'{path[-1]}' staat niet op één regel (zoals {path[-1]}: [..]); "
                    "pas deze waarde zelf aan of schrijf hem op één regel",
                    row=key.line,
                    column=str(path[-1]),
                )
            )
            return
        self.replace[at.line - 1] = (at.char - 1, value, found.end())

    def text(self) -> str:
        lines = list(self.lines)
        for i, (start, value, end) in self.replace.items():
            lines[i] = lines[i][:start] + value + lines[i][end:]
        for before, added in sorted(self.insert, key=lambda x: -x[0]):
            lines.insert(before, added)
        return "\n".join(lines)


def _question_edits(text: str, outcome: Outcome) -> tuple[str, list[Finding]]:
    """``learning_questions.yaml`` with the new statuses and lesson lists."""
    e = _Edits(text, str(LEARNING_QUESTIONS_FILE))
    index = {q.get("id"): i for i, q in enumerate(e.data["learning_questions"])}
    for q, status in outcome.statuses.items():
        at = ("learning_questions", index[q])
        e.set_value((*at, "status"), status, after=(*at, "id"))
    for q, lessons in outcome.lessons.items():
        at = ("learning_questions", index[q])
        e.set_value((*at, "lessons"), _flow(lessons), after=(*at, "status"))
    return e.text(), e.errors


def _lesson_entry(les: str, text: str, question: str, year: int, day: dt.date, pad: str) -> str:
    quoted = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=1_000_000)
    inner = pad + "  "
    return "\n".join(
        [
            f"{pad}- id: {les}",
            f"{inner}lesson: {quoted.strip().removesuffix('...').strip()}",
            f"{inner}date: {day.isoformat()}",
            f"{inner}sources:",
            f"{inner}  stories: []",
            f"{inner}  research: []",
            f"{inner}  evaluation_years: [{year}]",
            f"{inner}  documents: []",
            f"{inner}applied_in: []",
            f"{inner}learning_questions: [{question}]",
            f"{inner}status: {NEW_LESSON_STATUS}          # vastgelegd in de leersessie",
        ]
    )


def _lesson_edits(text: str, outcome: Outcome, day: dt.date) -> tuple[str, list[Finding]]:
    """``lessons.yaml`` with the backlinks and the new lessons appended to the list."""
    e = _Edits(text, str(LESSONS_FILE))
    entries = e.data.get("lessons") or []
    index = {les.get("id"): i for i, les in enumerate(entries)}
    for les, questions in outcome.backlinks.items():
        at = ("lessons", index[les])
        now = list(entries[index[les]].get("learning_questions") or [])
        e.set_value(
            (*at, "learning_questions"),
            _flow([*now, *(q for q in questions if q not in now)]),
            after=(*at, "status"),
        )
    if outcome.new_lessons:
        _append_lessons(e, outcome, day)
    return e.text(), e.errors


def _append_lessons(e: _Edits, outcome: Outcome, day: dt.date) -> None:
    """The new entries after the last line of the ``lessons:`` list."""
    key, value = e.chk.spots[("lessons",)]
    first = e.chk.spots.get(("lessons", 0))
    # The indentation of the first entry's "- " (its spot is where its mapping starts).
    line = e.lines[first[0].line - 1] if first else "  - "
    pad = line[: len(line) - len(line.lstrip())]
    if value.line == key.line:  # "lessons: []" of a new programme
        e.replace[key.line - 1] = (value.char - 1, "", value.char + 1)
    later = [k.line for p, (k, _) in e.chk.spots.items() if len(p) == 1 and k.line > key.line]
    end = min(later) - 1 if later else len(e.lines)
    while end > key.line and not e.lines[end - 1].strip():
        end -= 1  # after the last entry, before the blank lines that follow it
    blocks = [_lesson_entry(*new, day, pad) for new in outcome.new_lessons]
    e.insert.append((end, "\n" + "\n\n".join(blocks)))


# -- applying --------------------------------------------------------------------------------


_FOUR = (EFFORTS_FILE, RESEARCH_FILE, LEARNING_QUESTIONS_FILE, LESSONS_FILE)


def _loads(folder: ProgrammeFolder, texts: dict[Path, str]) -> list[Finding]:
    """The errors the agenda's loader finds in ``texts`` (relative path -> new text), checked
    in a scratch copy of the four agenda files, named as the real files."""
    from ..vertellen.coding import codebook_in
    from ..vertellen.stories import stories_in

    ids = {s.id for s in stories_in(folder).stories} if folder.stories_dir.is_dir() else None
    with tempfile.TemporaryDirectory(prefix="npdw-leersessie-") as scratch:
        root = Path(scratch)
        for rel in _FOUR:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            if rel in texts:
                (root / rel).write_text(texts[rel], encoding="utf-8")
            else:
                shutil.copyfile(folder.root / rel, root / rel)
        try:
            load_agenda(root, folder.registry, codebook=codebook_in(folder), story_ids=ids)
        except InputError as exc:
            names = {display_name(root / rel): display_name(folder.root / rel) for rel in _FOUR}
            return [replace(f, file=names.get(f.file, f.file)) for f in exc.findings]
    return []


def _read_lines(path: Path) -> tuple[str, str]:
    """The text of an agenda file with ``\n`` line ends, and the line end it was saved with
    (a file saved on Windows keeps its ``\r\n``)."""
    text = read_input_bytes(path, kind="yaml", what="agendabestand").decode("utf-8")
    end = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n"), end


def apply_outcome(
    path: str | Path, folder: ProgrammeFolder, *, today: dt.date | None = None
) -> Outcome:
    """Apply a filled-in sheet to ``folder``'s learning questions and lessons.

    Every line is checked first; any problem raises :class:`InputError` with
    all of them (file, row, column) and nothing is written. The edited files
    are checked by the agenda's loader before either is replaced.
    """
    agenda = agenda_in(folder)
    file, rows = read_sheet(path)
    outcome = check_sheet(file, rows, agenda)
    if outcome.empty:
        return outcome
    day = today or dt.date.today()
    q_path, l_path = folder.learning_questions_file, folder.lessons_file
    q_text, q_end = _read_lines(q_path)
    l_text, l_end = _read_lines(l_path)
    new_q, q_errors = _question_edits(q_text, outcome)
    new_l, l_errors = _lesson_edits(l_text, outcome, day)
    errors = q_errors + l_errors
    if not errors:
        texts = {LEARNING_QUESTIONS_FILE: new_q, LESSONS_FILE: new_l}
        errors = [f for f in _loads(folder, texts) if f.severity == "error"]
    if errors:
        raise InputError(
            f"{file}: de leeragenda zou zo niet meer te laden zijn; er is niets geschreven", errors
        )
    for target, new, old, end in ((l_path, new_l, l_text, l_end), (q_path, new_q, q_text, q_end)):
        if new != old:
            write_text(new.replace("\n", end), target)
    folder.forget(agenda_in)
    return outcome
