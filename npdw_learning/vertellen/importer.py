"""Import stories from a form or survey export (CSV/XLSX) as pseudonymised story files.

The Dutch headers ``id, datum, wijk, verteller, kanaal, pijlers, verandering,
toestemming, tekst`` are read as they are; a form with other headers, or
without a question the data model needs, gets a mapping file
(:mod:`.mapping`: headers to fields, answers to allowed values, a fixed
value for every row, fields absent on purpose).

Every row is checked with :func:`npdw_learning.vertellen.stories.validate_fields`. A row
without consent, with an unknown area, without text, ... is skipped with its
reason (file, row, column); the other rows are imported. The text (and title)
is pseudonymised before anything is written, and the raw text is written
nowhere: not in a story, a message or the cache.

Import is idempotent: a story's id comes from the source id (``"001"`` ->
``vt-001``) or, without one, is the next free number in the folder
(``vt-061`` after ``vt-060``). Every story file ends its front matter with
the import's record (:mod:`.provenance`): the fingerprint of its export row
and of the file as written. So, without any cache, a later import finds the
story a row without an id became (the same id again, wherever the row now
stands in the export; a file from an earlier version, named by the old hash
id, too), leaves a file that already holds the same bytes alone, and tells a
file corrected by hand since from one as written:

- the same row and a file corrected by hand: the file is kept, and listed;
- a changed row and a file corrected by hand: a conflict naming both, unless
  ``overwrite_hand_edits`` (``--overwrite-hand-edits vt-061``) names the file;
- the same row and a file as written, but the import now writes something
  else (a better pseudonymiser, a new codebook): the file is updated;
- a different row under an existing id and a file as written: a conflict,
  never overwritten.

A file without the record (written by an earlier version) is left alone when
it is what that version wrote for this row; when only its title or text
differ it is kept as corrected by hand, with a warning; otherwise it is a
conflict.

Residents tell a story; they do not pick a programme pillar. A row whose
pillars column is empty (or a file without one) gets its pillars proposed by
the automatic coding of its pseudonymised text (each theme of the codebook
that matches gives its pillar; the codebook is read only then), written with
``pillars_source: auto`` and listed in the import summary for review, with
the export's row and the first words of the story; a story no theme matches
is imported without a pillar and a warning. Every story of the export whose
pillars are still a proposal is written to the review file
``<export>.pijlers.csv`` (:mod:`.pillar_review`). A proposal someone has since
reviewed in the story file is kept on a re-import (a change by hand).
Messages name every column as the user's file has it (``pijlers`` or the
header from the mapping), never the internal field.

A story that is not in Dutch (:func:`npdw_learning.vertellen.language.detect_language`
on the raw title and text) is imported with a warning naming its row, marked
``language: en`` (or the language found), pseudonymised without the Dutch name
rules (see :mod:`.pseudonymise`) and given no proposed pillars: the codebook
is Dutch.

Pseudonymising is the slow part (deduce). A cache under ``.cache/npdw/``
(git-ignored; ``NPDW_CACHE_DIR`` or ``cache_dir=`` move it; :mod:`.cache`) maps
the sha256 of the raw title and text plus the pseudonymiser version to the
pseudonymised output, so a second run over unchanged rows skips deduce. It holds
no raw text. A large export is pseudonymised by forked workers (:mod:`.workers`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import sys
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..kern.atomic import write_text
from ..kern.console import program
from ..kern.errors import Finding, InputError
from ..kern.inputfile import LIMITS, count_text
from ..kern.programme import ProgrammeFolder
from ..kern.tables import ROW, is_blank, read_sheets
from .cache import Cache, open_cache
from .columns import MissingColumnsError, resolve_columns
from .language import DUTCH, detector_version, language_name
from .mapping import (
    COLUMN_FIELDS,
    REQUIRED_COLUMNS,
    ColumnMapping,
    load_mapping,
    strip_accents,
    synthetic_flag,
)
from .pillar_review import Proposal, write_review
from .placement import Placed, Work, assign_ids, place_stories, review_target
from .provenance import source_hash
from .pseudonymise import PLACEHOLDER_TYPES, Pseudonymiser
from .stories import (
    Story,
    StoryVocabulary,
    render_story,
    validate_fields,
)
from .workers import pseudonymise_all, worker_pool

if TYPE_CHECKING:
    from .coding import Codebook

__all__ = [
    "COLUMN_FIELDS",
    "REQUIRED_COLUMNS",
    "ImportReport",
    "import_stories",
    "story_id",
]

_PROGRESS_FROM = 200  # rows; smaller files finish before a bar is worth showing
_PARALLEL_FROM = 400  # uncached rows before two worker processes pay off
_FORMAT_PROBE = Story(
    id="x",
    date=dt.date(2000, 1, 1),
    area="x",
    teller="x",
    channel="x",
    pillars=("x",),
    change="x",
    consent="x",
    text="x",
    title="x",
    msc_domain="x",
    synthetic=True,
    pillars_source="auto",
    language="en",
    source_hash="000000000000-000000000000",
    written_hash="0000000000000000",
)


@dataclass(frozen=True)
class ImportReport:
    """What an import did. Holds ids, counts, reasons and, of proposals, the first words
    of the pseudonymised story; never the export's text.

    ``imported`` are the ids written in this run, ``unchanged`` those whose
    file already held exactly these bytes (or what an earlier version wrote
    for the row), ``updated`` those rewritten because the import now writes
    something else for the same row, ``kept`` the files corrected by hand that
    stay as they are, ``overwritten`` the files corrected by hand that
    ``overwrite_hand_edits`` replaced. ``skipped`` lists one or more findings
    per skipped row; ``conflicts`` the rows whose file could not be written
    (not overwritten). ``replacements`` counts placeholders per type over the
    rows not in conflict. ``proposed`` lists the stories written with proposed
    pillars in this run; ``review`` every story of the export whose pillars
    are still a proposal, as ``review_file`` holds them (``None``: not written).
    """

    file: str
    out_dir: str
    rows_read: int
    imported: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[Finding, ...] = ()
    conflicts: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    replacements: dict[str, int] = field(default_factory=dict)
    cache_hits: int = 0
    proposed: tuple[Proposal, ...] = ()
    updated: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    overwritten: tuple[str, ...] = ()
    review: tuple[Proposal, ...] = ()
    review_file: str | None = None

    @property
    def skipped_rows(self) -> int:
        """Number of rows skipped (a row can have several reasons)."""
        return len({(f.file, f.row) for f in self.skipped})

    @property
    def present(self) -> tuple[str, ...]:
        """The ids of every story of the export in the folder after the import."""
        return (*self.imported, *self.unchanged, *self.updated, *self.kept, *self.overwritten)

    @property
    def ok(self) -> bool:
        """Something was imported or already present, and no conflicts."""
        return bool(self.present) and not self.conflicts

    def lines(self, folder: ProgrammeFolder | None = None) -> list[str]:
        """The report as Dutch lines for the terminal.

        ``folder``: the programme the stories belong to, so that the command it
        suggests next reads that programme's vocabulary, not Dordt West's.
        """
        out = [str(f) for f in self.warnings]
        if self.skipped:
            out.append(f"Overgeslagen rijen ({self.skipped_rows}), niet geïmporteerd:")
            out += [f"  {f}" for f in self.skipped]
        if self.conflicts:
            out.append(f"Conflicten ({len(self.conflicts)}), niets overschreven:")
            out += [f"  {f}" for f in self.conflicts]
        out += self._kept_lines()
        out += self._proposal_lines(folder)
        counts = [
            f"{len(self.imported)} geïmporteerd",
            f"{len(self.unchanged)} ongewijzigd",
            *(f"{len(ids)} {what}" for ids, what in self._extra_counts() if ids),
            f"{self.skipped_rows} overgeslagen",
            f"{len(self.conflicts)} conflict(en)",
        ]
        out.append(
            f"{self.rows_read} rijen gelezen uit {self.file}: {', '.join(counts)}. "
            f"Verhalen staan in {self.out_dir}"
        )
        totals = ", ".join(f"{k} {v}" for k, v in self.replacements.items())
        out.append(f"Vervangingen: {totals or 'geen'}")
        return out

    def _extra_counts(self) -> list[tuple[tuple[str, ...], str]]:
        return [
            (self.updated, "bijgewerkt"),
            (self.kept, "aangepast sinds de import en bewaard"),
            (self.overwritten, "met de hand aangepast en vervangen"),
        ]

    def _kept_lines(self) -> list[str]:
        out = []
        if self.kept:
            out.append(
                "Aangepast sinds de import (met de hand, of de pijlers nagekeken), bewaard zoals "
                f"ze zijn ({len(self.kept)}): {', '.join(self.kept)}"
            )
        if self.overwritten:
            out.append(
                f"Met de hand aangepast, vervangen door de import (--overwrite-hand-edits) "
                f"({len(self.overwritten)}): {', '.join(self.overwritten)}"
            )
        if self.updated:
            out.append(
                f"Bijgewerkt ({len(self.updated)}): dezelfde rij, niet met de hand aangepast, maar "
                "de import schrijft er nu iets anders van (bijv. een betere pseudonimisering "
                f"of een nieuw codeboek): {', '.join(self.updated)}"
            )
        return out

    def _proposal_lines(self, folder: ProgrammeFolder | None) -> list[str]:
        out = []
        if self.proposed:
            n = len(self.proposed)
            out.append(
                f"Voorgestelde pijlers ({n} {'verhaal' if n == 1 else 'verhalen'} zonder "
                "pijlers), nog na te kijken:"
            )
            out += [
                f"  {p.where()}, {p.id}: "
                f'{", ".join(p.pillars) or "geen (nog niet ingedeeld)"}; begint met "{p.words}"'
                for p in self.proposed
            ]
        if self.review and self.review_file:
            where = _folder_options(Path(self.out_dir), folder)
            out.append(
                f"Nakijken: {_stories_have(len(self.review))} nog voorgestelde pijlers; ze staan "
                f"in {self.review_file}. Vul daar de kolom 'nagekeken' in "
                "(ok, geen of de pijlers) en voer dan uit: "
                f"{program()} stories pijlers {self.review_file}{where}"
            )
        return out


def _folder_options(out_dir: Path, folder: ProgrammeFolder | None) -> str:
    """``--data``/``--stories`` that name the programme and stories folder, when not the defaults.

    >>> _folder_options(ProgrammeFolder.bundled().stories_dir, ProgrammeFolder.bundled())
    ''
    >>> _folder_options(Path("zuid/stories"), ProgrammeFolder.chosen("zuid"))
    ' --data zuid'
    """
    bundled = ProgrammeFolder.bundled()
    options = ""
    if folder is not None and Path(folder.root).resolve() != Path(bundled.root).resolve():
        options += f" --data {folder.root}"
    own = folder.stories_dir if folder is not None else bundled.stories_dir
    if out_dir.resolve() != Path(own).resolve():
        options += f" --stories {out_dir}"
    return options


def _stories_have(n: int) -> str:
    """``"1 verhaal uit deze export heeft"``, ``"3 verhalen uit deze export hebben"``."""
    return (
        f"{n} verhaal uit deze export heeft" if n == 1 else f"{n} verhalen uit deze export hebben"
    )


MAX_ID_LENGTH = 100  # an id is a file name; file systems stop at 255 bytes


def story_id(source_id: Any) -> str | None:
    """The id of an imported story from its source id: ``vt-`` + its slug.

    ``None`` without a source id: such a row gets the next free number in the
    folder it is imported into (:class:`.provenance.FolderIndex`), or the id of
    the story it was before.

    Examples
    --------
    >>> story_id("001"), story_id(12.0), story_id("VT-007"), story_id("")
    ('vt-001', 'vt-12', 'vt-007', None)
    """
    if is_blank(source_id):
        return None
    if isinstance(source_id, float) and source_id.is_integer():
        source_id = int(source_id)
    slug = _slug(str(source_id))
    if not slug:
        return None
    return slug if slug.startswith("vt-") else f"vt-{slug}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(text).lower()).strip("-")


# --- rows -----------------------------------------------------------------------------


@dataclass
class _Row:
    row: int
    fields: dict[str, Any]
    parts: tuple[str, ...]  # raw title (or "") and raw text; kept in memory only
    id: str | None  # None: no id in the export; it gets one in assign_ids
    file: str = ""  # the file (and worksheet) the row came from, as findings name it
    id_column: str = "id"
    propose: bool = False  # no pillars given: propose them from the automatic coding
    pillars_column: str = "pijlers"  # as the user's file has it (or would have it)
    text_column: str = "tekst"
    source: str = ""  # the row's fingerprint (provenance.source_hash)
    names: dict[str, str] = field(default_factory=dict)  # field -> column in the user's file
    sheet: str | None = None  # the worksheet (None for a CSV export)


def _clean_text(value: Any) -> str:
    if is_blank(value):
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _id_problem(ident: str, seen: dict[str, int], file: str, row: int, column: str):
    """Why a row's id cannot be used (too long, or already in this sheet), else ``None``."""
    if len(ident) > MAX_ID_LENGTH:
        message = (
            f"id is {len(ident)} tekens lang; een id wordt de bestandsnaam en mag "
            f"hoogstens {MAX_ID_LENGTH} tekens hebben"
        )
    elif ident in seen:
        message = f"id '{ident}' komt al voor in rij {seen[ident]}"
    else:
        return None
    return Finding("error", file, message, row=row, column=column)


# A story file may be at most LIMITS["story"] bytes (what spaCy processes at once); the
# pseudonymised text can grow a little ("Jan" -> "[PERSOON-1]"), the front matter adds a few
# hundred bytes.
MAX_IMPORT_BYTES = LIMITS["story"] * 9 // 10


def _too_long(file: str, row: int, column: str, chars: int) -> Finding:
    message = (
        f"de tekst is {count_text(chars)} tekens lang; een verhaal mag hoogstens "
        f"{count_text(MAX_IMPORT_BYTES)} bytes zijn (wat de taalanalyse in één keer leest): "
        "splits het in delen"
    )
    return Finding("error", file, message, row=row, column=column)


def _read_rows(
    frame: Any,
    columns: dict[str, str],
    mapping: ColumnMapping,
    vocab: StoryVocabulary,
    file: str,
) -> tuple[list[_Row], list[Finding]]:
    """The importable rows of one sheet, and a finding per problem of the others.

    A row with an empty (or without a) pillars column is marked ``propose``:
    its pillars are proposed after pseudonymisation.
    """
    rows: list[_Row] = []
    skipped: list[Finding] = []
    header_of = {COLUMN_FIELDS[d]: h for d, h in columns.items()}
    names = mapping.column_names(columns)
    seen: dict[str, int] = {}
    for record in frame.to_dict(orient="records"):
        row = int(record[ROW])
        cell = mapping.cells({name: record[header] for name, header in header_of.items()})
        fields, title, text, problems = _checked_row(cell, mapping, vocab, file, row, names)
        if problems:
            skipped += problems
            continue
        ident = story_id(cell.get("id"))
        problem = _id_problem(ident, seen, file, row, names["id"]) if ident else None
        if problem is not None:
            skipped.append(problem)
            continue
        if ident:
            seen[ident] = row
        fields["id"] = ident or ""
        source = source_hash(fields, title, text)
        rows.append(
            _Row(
                row,
                fields,
                (title, text),
                ident,
                propose=not fields["pillars"],
                pillars_column=names["pillars"],
                source=source,
                names=names,
                text_column=names["text"],
            )
        )
    return rows, skipped


def _checked_row(
    cell: dict[str, Any],
    mapping: ColumnMapping,
    vocab: StoryVocabulary,
    file: str,
    row: int,
    names: dict[str, str],
) -> tuple[dict[str, Any], str, str, list[Finding]]:
    """One row's checked fields, its raw title and text, and its problems (errors)."""
    data = mapping.row_values(cell)
    problems: list[Finding] = []
    flag = synthetic_flag(cell.get("synthetic"), file, row, names["synthetic"])
    if isinstance(flag, Finding):
        problems.append(flag)
    elif flag is not None:
        data["synthetic"] = flag
    # The title is free text like the story: it is not validated here and
    # goes to the pseudonymiser with the text, never into ``fields`` raw.
    text = _clean_text(cell.get("text"))
    title = _clean_text(cell.get("title"))
    data["id"] = "x"  # a valid stand-in: the id comes from the id column, or later
    fields, findings = validate_fields(data, vocab, file, row, names)
    problems += [f for f in findings if f.severity == "error"]
    if not text:
        message = "het verhaal heeft geen tekst"
        problems.append(Finding("error", file, message, row=row, column=names["text"]))
    elif len(title.encode("utf-8")) + len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        problems.append(_too_long(file, row, names["text"], len(text)))
    return fields, title, text, problems


def _read_export(
    path: Path, sheet: str | None, maps: ColumnMapping, vocab: StoryVocabulary, out_dir: Path
) -> tuple[list[_Row], list[Finding], list[Finding], int]:
    """Rows of every sheet that has the required columns (or of ``sheet``), each with
    its id (a row without one gets it in ``out_dir``: :func:`.placement.assign_ids`).

    Other worksheets are listed as skipped; an id that occurs in two sheets
    is imported once. Returns rows, skipped-row findings, warnings and the
    number of rows read. A missing export raises.
    """
    usable, warnings = _usable_sheets(path, sheet, maps, vocab)
    rows: list[_Row] = []
    skipped: list[Finding] = []
    first_of: dict[str, str] = {}
    n_read = 0
    for sh, columns in usable:
        warnings += [f for f in sh.findings if f.severity == "warning"]
        warnings += _ignored_columns(sh, columns)
        got, bad = _read_rows(sh.frame, columns, maps, vocab, sh.file)
        n_read += len(sh.frame)
        skipped += bad
        for r in got:
            # No id column: findings about the row's file name no column ("").
            r = dataclasses.replace(r, file=sh.file, id_column=columns.get("id", ""), sheet=sh.name)
            if r.id is None:
                rows.append(r)
                continue
            if r.id in first_of:
                skipped.append(
                    Finding(
                        "error",
                        sh.file,
                        f"id '{r.id}' komt al voor in {first_of[r.id]}",
                        row=r.row,
                        column=columns.get("id", "id"),
                    )
                )
                continue
            first_of[r.id] = f"{sh.file}, rij {r.row}"
            rows.append(r)
    rows, duplicates = assign_ids(rows, out_dir)
    return rows, [*skipped, *duplicates], warnings, n_read


def _usable_sheets(
    path: Path, sheet: str | None, maps: ColumnMapping, vocab: StoryVocabulary
) -> tuple[list[tuple[Any, dict[str, str]]], list[Finding]]:
    """The worksheets with the required columns, each with its columns, and a warning
    for every other one. None usable raises (:func:`_refused`); a missing export too."""
    _require_file(path)
    expected = {*COLUMN_FIELDS, *maps.columns}
    sheets = read_sheets(path, sheet=sheet, expected=expected)
    warnings: list[Finding] = []
    usable = []
    refused: list[tuple[Any, InputError]] = []
    for sh in sheets:
        errors = [f for f in sh.findings if f.severity == "error"]
        if errors:
            exc = InputError(f"{sh.file}: het bestand kan zo niet gelezen worden", errors)
            refused.append((sh, exc))
            continue
        try:
            usable.append((sh, resolve_columns(sh, maps, vocab)))
        except InputError as exc:
            refused.append((sh, exc))
    if not usable:
        raise _refused(path, [exc for _, exc in refused])
    for sh, exc in refused:
        reasons = "; ".join(f.message.splitlines()[0] for f in exc.findings)
        warnings.append(
            Finding("warning", sh.file, f"werkblad '{sh.name}' overgeslagen: {reasons}")
        )
    return usable, warnings


def _ignored_columns(sh: Any, columns: dict[str, str]) -> list[Finding]:
    """A warning naming the columns of a worksheet the import does not read, if any."""
    ignored = [str(h) for h in sh.columns if h not in columns.values() and str(h).strip()]
    if not ignored:
        return []
    return [
        Finding(
            "warning",
            sh.file,
            f"kolom(men) genegeerd: {', '.join(repr(h) for h in ignored)}",
            row=sh.header_row,
        )
    ]


def _refused(path: Path, errors: Sequence[InputError]) -> InputError:
    """The error when no worksheet can be imported: the one sheet's own, or all reasons.

    A :class:`MissingColumnsError` stays one (the command offers a mapping
    file for it), holding the findings of every sheet: that of the sheet
    nearest to importable (most required columns found or guessed).
    """
    if len(errors) == 1:
        return errors[0]
    findings = [f for exc in errors for f in exc.findings]
    candidates = [e for e in errors if isinstance(e, MissingColumnsError)]
    # Required columns neither found nor like any header: fewest is nearest to importable.
    missing = min(candidates, key=lambda e: list(e.nearest.values()).count(None), default=None)
    if missing is None:
        return InputError(f"{path}: geen werkblad te importeren", findings)
    missing.args = (f"{path}: geen werkblad te importeren",)
    missing.findings = findings
    return missing


# --- import -----------------------------------------------------------------------------


def import_stories(
    path: str | Path,
    *,
    vocab: StoryVocabulary,
    out_dir: str | Path,
    sheet: str | None = None,
    mapping: str | Path | None = None,
    progress: bool = True,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    pseudonymiser: Pseudonymiser | None = None,
    workers: int | None = None,
    codebook: Codebook | ProgrammeFolder | None = None,
    overwrite_hand_edits: Collection[str] = (),
) -> ImportReport:
    """Import a CSV/XLSX export as pseudonymised story files in ``out_dir``.

    Parameters
    ----------
    path : path
        The export (``.csv`` in any Dutch Excel flavour, or ``.xlsx``).
    vocab : StoryVocabulary
        Allowed values and the allowlist of names to keep.
    out_dir : path
        Folder for the ``<id>.md`` story files.
    sheet : str, optional
        Only this worksheet of an XLSX file (default: every one with the required columns).
    mapping : path, optional
        YAML with ``columns``, ``values``, ``fixed``, ``absent`` (:mod:`.mapping`).
    progress : bool, default True
        A progress bar on stderr for files over 200 rows.
    cache_dir : path, optional
        Folder of the pseudonymisation cache (default :data:`.cache.DEFAULT_CACHE_DIR`).
    use_cache : bool, default True
        ``False`` pseudonymises every row again and stores nothing.
    pseudonymiser : Pseudonymiser, optional
        Reuse one (deduce loads once); default: a new one with ``vocab.allowlist``.
    workers : int, optional
        Processes for pseudonymising; default 2 on large uncached files, else 1.
    codebook : Codebook or ProgrammeFolder
        For rows without pillars (module text): the programme's codebook, or its
        folder (the codebook is then read only when a row needs it). Required
        when a row has no pillars.
    overwrite_hand_edits : collection of str, optional
        Ids of files changed by hand since the import to replace (default: kept, or a conflict).

    Raises
    ------
    InputError
        Nothing written: the export, mapping, codebook or ``<export>.pijlers.csv`` is unusable
        (a missing required column: :class:`.columns.MissingColumnsError`).

    Examples
    --------
    >>> import tempfile
    >>> from npdw_learning.vertellen.stories import vocabulary_in
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "export.csv").write_text(
    ...     "id,datum,wijk,verteller,kanaal,pijlers,verandering,toestemming,tekst\\n"
    ...     "7,2025-03-14,Wielwijk,bewoner,buurtbakkie,veilig,beter,citeren,"
    ...     "Mevrouw Kowalczyk zegt: het plein is veiliger.\\n", encoding="utf-8")
    >>> report = import_stories(tmp / "export.csv", vocab=vocabulary_in(ProgrammeFolder.bundled()),
    ...                         out_dir=tmp / "stories", use_cache=False, progress=False)
    >>> report.imported, report.replacements
    (('vt-7',), {'PERSOON': 1})
    """
    path, out_dir = Path(path), Path(out_dir)
    maps = load_mapping(mapping, vocab)  # a bad mapping is reported before a missing export
    rows, skipped, warnings, rows_read = _read_export(path, sheet, maps, vocab, out_dir)
    book = _codebook_for(rows, codebook)
    ps = pseudonymiser or Pseudonymiser(vocab.allowlist, streets=vocab.streets)
    cache = open_cache(cache_dir, use_cache=use_cache)
    show = progress and rows_read > _PROGRESS_FROM
    results, hits, file_keys, marked = _pseudonymised(rows, book, cache, ps, workers, show)
    warnings += marked
    proposals = _propose_pillars(rows, results, book, vocab)
    work = Work(file_keys, cache, out_dir, vocab, str(path), frozenset(overwrite_hand_edits))
    placed, target = _place_and_write(path, rows, results, proposals, work)
    return _import_report(str(path), out_dir, rows_read, skipped, warnings, placed, hits, target)


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(
            f"{path}: bestand niet gevonden", [Finding("error", str(path), "bestand niet gevonden")]
        )


def _load_cache_keys(
    cache: Cache, pseudonymiser: Pseudonymiser, rows: Sequence[_Row], book: Codebook | None
) -> tuple[list[str], list[str]]:
    """The cache keys of the rows' pseudonymisation and of their story files, loaded at once."""
    version = f"{pseudonymiser.version}+{detector_version()}"
    keys = [cache.key(version, r.parts) for r in rows]
    file_keys = _file_keys(cache, keys, rows, book)
    cache.load(keys + file_keys)
    return keys, file_keys


def _place_and_write(
    export: Path,
    rows: Sequence[_Row],
    results: dict[int, tuple[tuple[str, ...], dict[str, int]]],
    proposals: dict[int, tuple[str, ...]],
    work: Work,
) -> tuple[Placed, Path | None]:
    """Decide each row's story file (:mod:`.placement`), then write them and the review
    file ``<export>.pijlers.csv`` (``None``: none written)."""
    placed = place_stories(rows, results, proposals, work)
    target = review_target(export, placed, work.out_dir, work.vocab)
    _write_placed(placed, work.cache, target)
    return placed, target


def _pseudonymised(
    rows: Sequence[_Row],
    book: Codebook | None,
    cache: Cache,
    pseudonymiser: Pseudonymiser,
    workers: int | None,
    show: bool,
) -> tuple[dict[int, tuple[tuple[str, ...], dict[str, int]]], int, list[str], list[Finding]]:
    """Each row's pseudonymised title and text (from the cache or deduce), the number of
    cache hits, the cache keys of the rows' story files, and a warning for each row not
    in Dutch (its language is set in the row's fields)."""
    keys, file_keys = _load_cache_keys(cache, pseudonymiser, rows, book)
    results, languages, hits = _pseudonymise_rows(rows, keys, cache, pseudonymiser, workers, show)
    return results, hits, file_keys, _mark_languages(rows, languages)


def _write_placed(placed: Placed, cache: Cache, review: Path | None) -> None:
    """Write the review file, the story files, then the cache (a file is written before
    it is remembered). The review file goes first: a folder it cannot be written to
    stops the import before any story is written."""
    if review is not None:
        write_review(review, placed.review)
    for target, rendered in placed.to_write:
        write_text(rendered, target)  # what write_story does, without rendering twice
    cache.save()


def _import_report(
    file: str,
    out_dir: Path,
    rows_read: int,
    skipped: Sequence[Finding],
    warnings: Sequence[Finding],
    placed: Placed,
    hits: int,
    review: Path | None = None,
) -> ImportReport:
    """The report of one import; replacements by placeholder type, the known types first."""
    totals = placed.totals
    ordered = {t: totals[t] for t in (*PLACEHOLDER_TYPES, *sorted(totals)) if t in totals}
    return ImportReport(
        file=file,
        out_dir=str(out_dir),
        rows_read=rows_read,
        imported=tuple(placed.imported),
        unchanged=tuple(placed.unchanged),
        skipped=tuple(skipped),
        conflicts=tuple(placed.conflicts),
        warnings=(*warnings, *placed.warnings),
        replacements=ordered,
        cache_hits=hits,
        proposed=tuple(placed.proposed),
        updated=tuple(placed.updated),
        kept=tuple(placed.kept),
        overwritten=tuple(placed.overwritten),
        review=tuple(placed.review),
        review_file=str(review) if review is not None else None,
    )


def _codebook_for(
    rows: Sequence[_Row], codebook: Codebook | ProgrammeFolder | None
) -> Codebook | None:
    """The codebook that proposes pillars; only read when a row has none (else ``None``)."""
    if not any(r.propose for r in rows):
        return None
    if codebook is None:
        raise ValueError(
            "import_stories: rijen zonder pijlers vragen het codeboek van het programma"
        )
    if isinstance(codebook, ProgrammeFolder):
        from .coding import codebook_in

        return codebook_in(codebook)
    return codebook


def _file_keys(
    cache: Cache, keys: Sequence[str], rows: Sequence[_Row], book: Codebook | None
) -> list[str]:
    """Cache keys for the hash of each story file.

    The file format (rendered from :data:`_FORMAT_PROBE`, which sets every
    field) enters every key, so a change in :func:`render_story` is never
    mistaken for an unchanged file; for a row whose pillars are proposed, so
    does the codebook that proposes them.
    """
    file_format = render_story(_FORMAT_PROBE)
    proposer = repr(book.themes) if book is not None else ""
    return [
        cache.key(file_format, [k, repr(sorted(r.fields.items())), proposer if r.propose else ""])
        for k, r in zip(keys, rows, strict=True)
    ]


def _pseudonymise_rows(
    rows: Sequence[_Row],
    keys: Sequence[str],
    cache: Cache,
    pseudonymiser: Pseudonymiser,
    workers: int | None,
    show: bool,
) -> tuple[dict[int, tuple[tuple[str, ...], dict[str, int]]], dict[int, str], int]:
    """Row index -> (pseudonymised title and text, counts), from the cache or deduce.

    Returns the results, row index -> language of the story, and the number of
    cache hits.
    """
    results, languages, jobs = _from_cache(rows, keys, cache)
    hits = len(rows) - len(jobs)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(jobs) >= _PARALLEL_FROM else 1

    from tqdm import tqdm

    with (
        worker_pool(pseudonymiser, workers if jobs else 1) as pool,
        tqdm(
            total=len(rows),
            initial=hits,
            disable=not show,
            file=sys.stderr,
            desc="pseudonimiseren",
            unit="verhaal",
            leave=False,
        ) as bar,
    ):
        for index, out, counts, language in pseudonymise_all(jobs, pseudonymiser, pool):
            results[index] = (out, counts)
            languages[index] = language
            cache.put(keys[index], {"parts": list(out), "counts": counts, "language": language})
            bar.update(1)
    return results, languages, hits


def _from_cache(
    rows: Sequence[_Row], keys: Sequence[str], cache: Cache
) -> tuple[
    dict[int, tuple[tuple[str, ...], dict[str, int]]],
    dict[int, str],
    list[tuple[int, tuple[str, ...]]],
]:
    """The rows the cache already holds (results and languages), and the jobs left."""
    results: dict[int, tuple[tuple[str, ...], dict[str, int]]] = {}
    languages: dict[int, str] = {}
    jobs = []
    for i, key in enumerate(keys):
        hit = cache.pseudonymised(key)
        if hit is not None:
            results[i] = hit
            languages[i] = cache.language(key)
        else:
            jobs.append((i, rows[i].parts))
    return results, languages, jobs


def _mark_languages(rows: Sequence[_Row], languages: dict[int, str]) -> list[Finding]:
    """Set each row's language; a warning for every story that is not in Dutch."""
    warnings = []
    for i, r in enumerate(rows):
        language = languages[i]
        if language == DUTCH:
            continue
        r.fields["language"] = language
        message = (
            f"verhaal {r.id} is niet in het Nederlands geschreven maar in het "
            f"{language_name(language)} en krijgt 'language: {language}'. Namen zijn daarin "
            "gezocht als woorden met een hoofdletter (minder zeker dan in een Nederlandse "
            "tekst): lees het verhaal na op namen en adressen. Het codeboek is Nederlands: "
            "het verhaal is niet automatisch gecodeerd en krijgt geen voorgestelde pijlers"
        )
        warnings.append(Finding("warning", r.file, message, row=r.row, column=r.text_column))
    return warnings


def _propose_pillars(
    rows: Sequence[_Row],
    results: dict[int, tuple[tuple[str, ...], dict[str, int]]],
    book: Codebook | None,
    vocab: StoryVocabulary,
) -> dict[int, tuple[str, ...]]:
    """Row index -> the pillars of the themes the automatic coding finds in its text.

    Only for rows without pillars; on the pseudonymised text (the raw text is
    used for nothing but pseudonymising). Pillars in the registry's order; an
    empty tuple when no theme matches.
    """
    # The codebook is Dutch: a story in another language gets no proposal.
    foreign = {i: () for i, r in enumerate(rows) if r.propose and _language(r) != DUTCH}
    wanted = [i for i, r in enumerate(rows) if r.propose and i not in foreign]
    if not wanted or book is None:
        return foreign
    import pandas as pd

    from .coding import auto_code

    texts = pd.DataFrame(
        {"id": [str(i) for i in wanted], "text": [results[i][0][1] for i in wanted]}
    )
    codes = auto_code(texts, book)
    pillar_of = {t.id: t.pillar for t in book.themes}
    found: dict[int, set[str]] = {}
    for index, theme in zip(codes["story_id"], codes["theme"], strict=True):
        found.setdefault(int(index), set()).add(pillar_of[theme])
    return foreign | {i: tuple(p for p in vocab.pillars if p in found.get(i, ())) for i in wanted}


def _language(r: _Row) -> str:
    return r.fields.get("language", DUTCH)
