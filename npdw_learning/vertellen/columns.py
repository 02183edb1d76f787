"""The columns of a form export: which header is which story field, and help when one is missing.

:func:`resolve_columns` reads a sheet's headers through the mapping file
(:mod:`.mapping`). A required column that neither the export nor the
mapping's fixed values provide raises :class:`MissingColumnsError`, whose one
finding lists the headers found, the header most like each missing column
and the ``--mapping`` option. :func:`write_template` then writes a
ready-to-fill mapping file next to the export (``<export>.mapping.yaml``):
every header with the field it seems to be, the fixed values to fill in,
and the answers of the choice questions to translate. It never replaces a
file that is already there.

The guesses compare the words of a header with a few words per field
(:data:`HINTS`) by :mod:`difflib`, so "In welke wijk woont u?" is ``wijk``
and a typo still counts. Headers that ask for a name, e-mail address, phone
number or address are never guessed as a field.
"""

from __future__ import annotations

import difflib
import errno
import re
import shlex
import textwrap
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..kern.atomic import create_text
from ..kern.errors import Finding, InputError
from ..kern.programme import STORIES_GUIDE
from ..kern.tables import ROW, Sheet, is_blank
from .mapping import (
    ABSENT_COLUMNS,
    CHOICE_FIELDS,
    COLUMN_FIELDS,
    FIXABLE_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnMapping,
    fill_hint,
    norm_header,
    strip_accents,
)
from .stories import StoryVocabulary

__all__ = [
    "HINTS",
    "MissingColumnsError",
    "Template",
    "guess_fields",
    "is_personal",
    "resolve_columns",
    "template_path",
    "template_text",
    "write_template",
]

# Words in a form's question that point to a field (Dutch and English), compared word by
# word with difflib.
HINTS = {
    "id": ("id", "nummer", "volgnummer", "respondent"),
    "datum": ("datum", "tijdstempel", "begintijd", "starttijd", "date", "timestamp"),
    "wijk": ("wijk", "buurt", "woont", "neighbourhood", "area"),
    "verteller": ("verteller", "wie", "rol", "bent", "teller", "role"),
    "kanaal": ("kanaal", "opgehaald", "bron", "channel"),
    "pijlers": ("pijler", "pijlers", "thema", "themas", "pillar"),
    "verandering": ("verandering", "veranderd", "beter", "slechter", "change"),
    "toestemming": ("toestemming", "gebruiken", "gebruikt", "mogen", "consent", "akkoord"),
    "tekst": ("tekst", "verhaal", "vertellen", "vertel", "ervaring", "story", "text"),
    "titel": ("titel", "title"),
    "msc_domein": ("domein", "msc"),
    "synthetisch": ("synthetisch", "verzonnen"),
}
# Headers of personal details. A word that starts or ends with one of these counts
# ("achternaam", "e-mailadres"), or is one of the whole words.
_PERSONAL = ("naam", "mail", "telefoon", "mobiel", "phone", "adres", "postcode", "straat")
_PERSONAL_WORDS = ("name", "address", "huisnummer", "tel")
_LIKE = 0.8  # difflib ratio from which two words count as the same word
# A column whose answers the template lists must look like a choice question: at most this
# many different answers, each at most this long (a story never gets into the template).
MAX_CHOICES, MAX_CHOICE_LENGTH = 12, 60


# --- which header is which field ---------------------------------------------------------


def resolve_columns(sheet: Sheet, mapping: ColumnMapping, vocab: StoryVocabulary) -> dict[str, str]:
    """Dutch column name -> header of ``sheet``.

    A header is read by the mapping's ``columns``, else by its default name
    (unless the mapping sends that field elsewhere, fixes it or has it
    absent).

    Raises
    ------
    InputError
        Two headers for one field.
    MissingColumnsError
        A required column that neither the export nor the mapping's fixed
        values provide.
    """
    headers = [h for h in sheet.columns if h != ROW]
    found: dict[str, str] = {}
    findings = []
    taken = {*mapping.columns.values(), *mapping.fixed, *mapping.absent}
    for header in headers:
        key = norm_header(header)
        dutch = mapping.columns.get(key)
        if dutch is None and key in COLUMN_FIELDS and key not in taken:
            dutch = key
        if dutch is None:
            continue
        if dutch in found:
            message = f"kolommen '{found[dutch]}' en '{header}' zijn allebei '{dutch}'"
            row = sheet.header_row
            findings.append(Finding("error", sheet.file, message, row=row, column=str(header)))
            continue
        found[dutch] = header
    if findings:
        raise InputError(f"{sheet.file}: het bestand kan niet worden geïmporteerd", findings)
    missing = [d for d in REQUIRED_COLUMNS if d not in found and d not in mapping.fixed]
    if missing:
        answers = choice_answers(sheet, mapping, vocab) if mapping.file is None else {}
        raise MissingColumnsError(
            sheet.file, sheet.header_row, headers, missing, mapping, found.values(), answers
        )
    return found


class MissingColumnsError(InputError):
    """Required columns are missing from an export. One finding says it all.

    ``headers`` are the headers found, ``missing`` the Dutch names of the
    missing columns, ``nearest`` the header most like each missing column
    (``None`` when none is), ``mapping_file`` the mapping in use (``None``:
    the default headers), ``answers`` the answers of the choice questions
    that are not yet an allowed word (for the template).
    """

    def __init__(
        self,
        file: str,
        row: int,
        headers: Sequence[Any],
        missing: Sequence[str],
        mapping: ColumnMapping,
        used: Collection[Any] = (),
        answers: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.file, self.row = file, row
        self.headers, self.missing = [str(h) for h in headers], list(missing)
        self.mapping_file = mapping.file
        self.answers = dict(answers or {})
        free = [str(h) for h in headers if h not in set(used)]
        self.nearest = _nearest(self.missing, free, mapping.headers)
        column = self.missing[0] if len(self.missing) == 1 else None
        finding = Finding("error", file, self._message(mapping), row=row, column=column)
        super().__init__(f"{file}: het bestand kan niet worden geïmporteerd", [finding])

    def _message(self, mapping: ColumnMapping) -> str:
        if len(self.missing) == 1:
            [dutch] = self.missing
            head = f"verplichte kolom '{dutch}' ontbreekt"
            if dutch in mapping.headers:
                head += f" (volgens {mapping.file}: kopje '{mapping.headers[dutch]}')"
        else:
            head = f"{len(self.missing)} verplichte kolommen ontbreken: {', '.join(self.missing)}"
        quoted = ", ".join(f"'{h}'" for h in self.headers) or "geen"
        lines = [head, f"  Gevonden kolomkoppen ({len(self.headers)}): {quoted}"]
        lines.append("  Het kopje dat er het meest op lijkt:")
        width = max(len(d) for d in self.missing)
        for dutch in self.missing:
            near = self.nearest.get(dutch)
            shown = f"'{near}'" if near else "geen kopje lijkt erop"
            lines.append(f"    {dutch:<{width}}  {shown}")
        if mapping.file is None:
            lines.append(
                "  Koppel de kopjes aan de velden met een mappingbestand en de optie --mapping "
                f"(uitleg: {STORIES_GUIDE}, 'Een formulier met andere kolomkoppen')."
            )
        else:
            lines.append(
                f"  Pas de kopjes aan in {mapping.file} (onder columns), of geef een vaste "
                "waarde onder fixed als het formulier die vraag niet heeft."
            )
        return "\n".join(lines)


# --- guessing --------------------------------------------------------------------------------


def _words(header: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", strip_accents(header).casefold())


def _like(words: Sequence[str], hints: Sequence[str]) -> float:
    """How much ``words`` point to a field: the best word match, plus a little per other hint."""
    scores = [
        max(difflib.SequenceMatcher(None, w, h).ratio() for w in words) if words else 0.0
        for h in hints
    ]
    good = [s for s in scores if s >= _LIKE]
    return max(good) + 0.01 * (len(good) - 1) if good else 0.0


def is_personal(header: str) -> bool:
    """Whether ``header`` asks for a name, e-mail address, phone number or address.

    >>> [is_personal(h) for h in ("Achternaam", "E-mailadres", "Deelname", "Uw verhaal")]
    [True, True, False, False]
    """
    parts = [p for w in _words(header) for p in w.split("-")]
    return any(
        p in _PERSONAL_WORDS or any(p.startswith(k) or p.endswith(k) for k in _PERSONAL)
        for p in parts
    )


def guess_fields(headers: Sequence[str], fields: Sequence[str]) -> dict[str, str]:
    """Dutch field -> the header most like it, each header used once (best matches first).

    In the order of ``fields``; a field no header is like is left out.

    Examples
    --------
    >>> guess_fields(["Tijdstempel", "Wat is uw naam?", "In welke wijk woont u?"],
    ...              ["datum", "wijk", "kanaal"])
    {'datum': 'Tijdstempel', 'wijk': 'In welke wijk woont u?'}
    """
    pairs = []
    for i, header in enumerate(headers):
        if is_personal(header):
            continue
        words = _words(header)
        for j, dutch in enumerate(fields):
            exact = 2.0 if norm_header(header) == dutch else 0.0
            score = max(exact, _like(words, (dutch, *HINTS.get(dutch, ()))))
            if score > 0:
                pairs.append((-score, i, j, dutch, header))
    out: dict[str, str] = {}
    used: set[int] = set()
    for _, i, _, dutch, header in sorted(pairs):
        if dutch not in out and i not in used:
            out[dutch] = header
            used.add(i)
    return {d: out[d] for d in fields if d in out}


def _nearest(
    missing: Sequence[str], headers: Sequence[str], expected: Mapping[str, str]
) -> dict[str, str | None]:
    """Missing column -> the header most like it: like the mapping's header, else by words."""
    out: dict[str, str | None] = {}
    by_norm = {norm_header(h): h for h in headers}
    for dutch in missing:
        if dutch in expected:
            close = difflib.get_close_matches(norm_header(expected[dutch]), list(by_norm), n=1)
            if close:
                out[dutch] = by_norm.pop(close[0])
    guessed = guess_fields(list(by_norm.values()), [d for d in missing if d not in out])
    return {d: out.get(d) or guessed.get(d) for d in missing}


def choice_answers(
    sheet: Sheet, mapping: ColumnMapping, vocab: StoryVocabulary
) -> dict[str, list[str]]:
    """Field -> the answers of the column guessed for it that are not yet an allowed word.

    Only for the choice fields (wijk, verteller, kanaal, verandering,
    toestemming), and only when the column looks like a choice question
    (:data:`MAX_CHOICES`, :data:`MAX_CHOICE_LENGTH`), so no free text ends
    up in a template.
    """
    original = {str(h): h for h in sheet.columns if h != ROW}  # a header may be a number
    guessed = guess_fields(list(original), list(COLUMN_FIELDS))
    out: dict[str, list[str]] = {}
    for dutch, name in COLUMN_FIELDS.items():
        header = guessed.get(dutch)
        if header is None or name not in CHOICE_FIELDS:
            continue
        cells = [str(c).strip() for c in sheet.frame[original[header]] if not is_blank(c)]
        answers = list(dict.fromkeys(c for c in cells if c))
        if len(answers) > MAX_CHOICES or any(len(a) > MAX_CHOICE_LENGTH for a in answers):
            continue
        allowed = set(vocab.allowed(name))
        todo = [a for a in answers if mapping.answer(name, a) not in allowed]
        if todo:
            out[dutch] = todo
    return out


# --- a ready-to-fill mapping file ------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """What :func:`write_template` did: ``written``, ``same`` (already there, unchanged),
    ``exists`` (another file of that name: left alone) or ``failed`` (``reason``)."""

    path: Path
    status: str
    reason: str = ""

    def lines(self, command: Sequence[str]) -> list[str]:
        """Dutch lines for the terminal, indented under the error.

        ``command`` is the import as the user ran it, without ``--mapping``.
        """
        rerun = "    " + shlex.join([*command, "--mapping", str(self.path)])
        if self.status in ("written", "same"):
            what = "staat klaar" if self.status == "written" else "stond al klaar"
            return [
                f"  Een mappingbestand om in te vullen {what}: {self.path}",
                "  Vul het in (de uitleg staat erin) en importeer opnieuw met:",
                rerun,
            ]
        if self.status == "exists":
            return [
                f"  {self.path} bestaat al en is niet overschreven. Is het jouw mappingbestand, "
                "importeer dan opnieuw met:",
                rerun,
                "  Wil je een nieuw voorbeeld, verplaats of hernoem het bestand dan eerst.",
            ]
        return [
            f"  Er kon geen mappingbestand naast de export worden gezet ({self.reason}); "
            f"maak het zelf, met de kopjes hierboven (uitleg: {STORIES_GUIDE})."
        ]


def template_path(export: str | Path) -> Path:
    """Where the template of ``export`` goes: ``<export>.mapping.yaml``, next to it."""
    export = Path(export)
    return export.with_name(export.name + ".mapping.yaml")


def write_template(
    export: str | Path, error: MissingColumnsError, vocab: StoryVocabulary
) -> Template:
    """Write a ready-to-fill mapping file next to ``export``; never over an existing file.

    A file of that name that holds exactly this template counts as written
    before (``same``); any other is left alone (``exists``). A folder that
    cannot be written (read-only, full) gives ``failed`` with the reason.
    """
    path = template_path(export)
    text = template_text(Path(export).name, error.headers, vocab, error.answers)
    try:
        if path.exists() or path.is_symlink():
            same = path.is_file() and path.read_bytes() == text.encode("utf-8")
            return Template(path, "same" if same else "exists")
        if not create_text(text, path):
            return Template(path, "exists")
    except OSError as exc:
        return Template(path, "failed", _os_reason(exc))
    return Template(path, "written")


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "de map is alleen-lezen"
    return exc.strerror or str(exc)


def _key(text: str) -> str:
    """``text`` as a YAML key in double quotes, on one line whatever it holds."""
    return yaml.safe_dump(
        text, default_style='"', allow_unicode=True, width=1 << 20, explicit_end=False
    ).strip()


def _template_head(export_name: str) -> list[str]:
    """The comment at the top of a template: what each part is for, in Dutch."""
    name = " ".join(export_name.split()).replace('"', "'")
    parts = [
        f'Mappingbestand voor de export "{name}", klaargezet door `npdw stories import`. '
        "Het zegt welke kolom van het formulier welk veld van een verhaal is. Vul het in "
        f"en importeer opnieuw met --mapping (zie de melding, of {STORIES_GUIDE}, "
        '"Een formulier met andere kolomkoppen").',
        "",
        "columns: elk kolomkopje uit de export, met achter de dubbele punt het veld dat de "
        "import vermoedt, of niets. Controleer elk vermoeden. Een kopje zonder veld wordt "
        "niet gelezen: laat namen, e-mailadressen, telefoonnummers en adressen zo. "
        f"Velden: {', '.join(COLUMN_FIELDS)}.",
        "fixed: één waarde voor elke rij, voor een verplicht veld waar het formulier geen "
        f"vraag voor heeft (alleen {', '.join(FIXABLE_COLUMNS)}). Toestemming en "
        "verandering zegt elke verteller zelf: die moeten uit het formulier komen.",
        "absent: velden die het formulier met opzet niet heeft (alleen "
        f"{', '.join(ABSENT_COLUMNS)}). Zonder pijlers stelt de import ze per verhaal "
        "voor; zonder id maakt de import zelf een id.",
        "values: per veld de antwoorden uit het formulier die nog geen toegestaan woord "
        "zijn. Zet achter elk antwoord het woord dat erbij hoort. Een antwoord zonder "
        "woord wordt niet omgezet: die rijen slaat de import over, met rij en kolom.",
    ]
    lines = []
    for text in parts:
        indent = "#   " if text.split(":")[0] in ("columns", "fixed", "absent", "values") else "# "
        lines += textwrap.wrap(text, 78, initial_indent="# ", subsequent_indent=indent) or ["#"]
    return [*lines, ""]


def template_text(
    export_name: str,
    headers: Sequence[str],
    vocab: StoryVocabulary,
    answers: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A mapping file listing every header with the field it seems to be, or empty.

    Required fields no header seems to be get an empty ``fixed`` entry with
    their allowed values; optional ones are listed under ``absent``;
    ``answers`` (field -> answers of its choice question) go under
    ``values`` without a value. Holds no other cell of the export.
    """
    guessed = guess_fields(headers, list(COLUMN_FIELDS))
    field_of_header = {h: d for d, h in guessed.items()}
    keys = {h: _key(h) for h in headers}
    width = min(max((len(k) for k in keys.values()), default=0) + 14, 60)
    lines = [*_template_head(export_name), "columns:"]
    for header in dict.fromkeys(h for h in headers if str(h).strip()):
        dutch = field_of_header.get(header)
        entry = f"  {keys[header]}: {dutch or ''}".rstrip()
        note = "vermoed: controleer" if dutch else "niet gelezen"
        if is_personal(header):
            note = "persoonsgegevens: leeg laten"
        lines.append(f"{entry:<{width}} # {note}")
    lines += _template_fixed(set(guessed), vocab)
    lines += _template_values(answers or {}, vocab)
    return "\n".join(lines) + "\n"


def _comment(text: str, indent: int, width: int = 60) -> list[str]:
    """``text`` as comment lines, the first to follow a key, the others under it."""
    first, *rest = textwrap.wrap(text, width, break_on_hyphens=False)
    return [f"# {first}", *(f"{'':<{indent}}# {more}" for more in rest)]


def _template_fixed(guessed: set[str], vocab: StoryVocabulary) -> list[str]:
    """The ``fixed`` and ``absent`` parts of the template."""
    lines = []
    unfound = [d for d in REQUIRED_COLUMNS if d not in guessed]
    fixable = [d for d in unfound if d in FIXABLE_COLUMNS]
    if fixable:
        lines.append("fixed:                          # geen kopje gevonden: vul een waarde in")
        for dutch in fixable:
            first, *rest = _comment(fill_hint(dutch, vocab), 16)
            lines += [f"  {dutch + ':':<14}{first}", *rest]
    for dutch in unfound:
        if dutch not in FIXABLE_COLUMNS:
            lines.append(
                f"# '{dutch}': geen kopje gevonden en geen vaste waarde mogelijk; "
                "koppel het kopje hierboven"
            )
    absent = [d for d in ABSENT_COLUMNS if d not in guessed]
    if absent:
        lines.append(f"absent: [{', '.join(absent)}]  # met opzet niet in het formulier")
    return lines


def _template_values(answers: Mapping[str, Sequence[str]], vocab: StoryVocabulary) -> list[str]:
    """The ``values`` part: every answer still to translate, without a value."""
    if not answers:
        return ["values: {}"]
    lines = ["values:"]
    for dutch, items in answers.items():
        hint = fill_hint(dutch, vocab)
        if dutch == "toestemming":
            hint += ", of nee (dan wordt het verhaal niet gebruikt)"
        first, *rest = _comment(hint, 16)
        lines += [f"  {dutch + ':':<14}{first}", *rest]
        lines += [f"    {_key(a)}:" for a in items]
    return lines
