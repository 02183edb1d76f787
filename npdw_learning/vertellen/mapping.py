"""The mapping file of a form export: which column holds which story field.

The import reads the Dutch headers ``id, datum, wijk, verteller, kanaal,
pijlers, verandering, toestemming, tekst`` (case and surrounding spaces
ignored; optional ``titel``, ``msc_domein``, ``synthetisch``). A form with
its own questions as headers gets a mapping file (YAML)::

    columns:                      # header in the export -> field
      "Tijdstempel": datum
      "In welke wijk woont u?": wijk
      "Wat is uw naam?":          # empty: this column is not read
    values:                       # optional: answers -> allowed values
      toestemming:
        "Ja, anoniem citeren mag": citeren
    fixed:                        # optional: one value for every row
      kanaal: enquete
    absent: [id, pijlers]         # optional: fields the form leaves out on purpose

What the data model allows (:data:`FIXABLE_COLUMNS`, :data:`ABSENT_COLUMNS`):

- ``fixed`` sets a field the form does not ask, the same for every row:
  how, when and where the stories were collected and by whom
  (``datum``, ``wijk``, ``verteller``, ``kanaal``), ``msc_domein`` and
  ``synthetisch``. A fixed value is checked like a cell of that column
  (answers in ``values`` translated, then against the registry's words).
  Not the teller's own answers: ``toestemming`` (consent is given per
  person) and ``verandering`` (the teller says whether things got better;
  the registry has no "unknown" for it), nor free text or the id.
- ``absent`` names optional fields the form has not (``id``, ``pijlers``,
  ``titel``, ``msc_domein``, ``synthetisch``): a header with that default
  name is then not read. A required field cannot be absent.

Every problem of a mapping file is reported at once with its file, line and
key. Which header of an export is then which field, and what happens when a
required one is missing, is :mod:`.columns`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kern.errors import Finding, InputError
from ..kern.tables import is_blank
from ..kern.yamlfile import YamlChecker
from .stories import StoryVocabulary, validate_fields

__all__ = [
    "ABSENT_COLUMNS",
    "CHOICE_FIELDS",
    "COLUMN_FIELDS",
    "FIXABLE_COLUMNS",
    "REQUIRED_COLUMNS",
    "ColumnMapping",
    "field_of",
    "fill_hint",
    "load_mapping",
    "norm_header",
    "norm_value",
    "strip_accents",
    "synthetic_flag",
]

# Dutch column name -> story field.
COLUMN_FIELDS = {
    "id": "id",
    "datum": "date",
    "wijk": "area",
    "verteller": "teller",
    "kanaal": "channel",
    "pijlers": "pillars",
    "verandering": "change",
    "toestemming": "consent",
    "tekst": "text",
    "titel": "title",
    "msc_domein": "msc_domain",
    "synthetisch": "synthetic",
}
REQUIRED_COLUMNS = (  # "pijlers" may be absent or empty: then they are proposed
    "datum",
    "wijk",
    "verteller",
    "kanaal",
    "verandering",
    "toestemming",
    "tekst",
)
# Fields a mapping may give one value for every row: how, when and where the stories
# were collected, never what a teller answers (consent, change) or free text.
FIXABLE_COLUMNS = ("datum", "wijk", "verteller", "kanaal", "msc_domein", "synthetisch")
# Fields a form may leave out on purpose: those the data model does not require.
ABSENT_COLUMNS = tuple(c for c in COLUMN_FIELDS if c not in REQUIRED_COLUMNS)
KEYS = ("columns", "values", "fixed", "absent")

# Why a field cannot have a fixed value (Dutch, for the message).
_NOT_FIXABLE = {
    "toestemming": "toestemming geeft elke verteller zelf; een vaste waarde zou die voor "
    "iedereen invullen",
    "verandering": "of het beter of slechter werd, zegt elke verteller zelf; een vaste waarde "
    "zou dat voor iedereen invullen",
    "tekst": "de tekst is per verhaal anders",
    "titel": "de titel is per verhaal anders",
    "id": "een id hoort bij één rij; zonder id-kolom maakt de import zelf een id (zet 'id' "
    "onder absent)",
    "pijlers": "de pijlers volgen uit elk verhaal; zonder kolom stelt de import ze per verhaal "
    "voor (zet 'pijlers' onder absent)",
}
# Why a required field cannot be absent (Dutch, for the message).
_NOT_ABSENT = {
    "toestemming": "zonder toestemming wordt geen verhaal gebruikt: het formulier moet ernaar "
    "vragen",
    "verandering": "de verteller zegt zelf of het beter of slechter werd, en het datamodel kent "
    "geen 'onbekend': het formulier moet ernaar vragen",
    "tekst": "zonder tekst is er geen verhaal",
}
_TRUE = frozenset({"ja", "j", "true", "waar", "1", "yes", "y", "x"})
_FALSE = frozenset({"nee", "n", "false", "onwaar", "0", "no"})
_NO_CONSENT = frozenset({"nee", "geen", "n", "no", "neen", "0", "false", "onwaar", "-"})
CHOICE_FIELDS = ("area", "teller", "channel", "change", "consent")  # answers from a list


def strip_accents(text: str) -> str:
    """``text`` without diacritics: ``"Enquête"`` -> ``"Enquete"``."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def norm_header(name: Any) -> str:
    """A header as the import compares it: spaces collapsed, case folded."""
    return " ".join(str(name).split()).casefold()


def norm_value(value: Any) -> str:
    """A form answer as a registry word: ``"Doe Mee Dordrecht"`` -> ``"doe-mee-dordrecht"``."""
    return _norm_answer(str(value))


@functools.lru_cache(maxsize=4096)
def _norm_answer(text: str) -> str:
    # Cached: a form has few distinct answers and thousands of rows.
    return re.sub(r"[\s_]+", "-", strip_accents(text).strip().casefold())


def field_of(name: Any) -> str | None:
    """The Dutch column name of a mapping target (``"datum"`` or ``"date"``), else ``None``."""
    key = norm_header(name)
    if key in COLUMN_FIELDS:
        return key
    for dutch, english in COLUMN_FIELDS.items():
        if key == english:
            return dutch
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """A checked mapping file (empty: the default headers).

    ``columns`` maps a normalised header to its Dutch column name,
    ``values`` a story field to its answers (normalised) and their values,
    ``fixed`` a Dutch column name to the value every row gets, ``absent``
    holds the Dutch names of optional fields the form leaves out.
    """

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    fixed: dict[str, Any] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()
    file: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # Dutch name -> header as written

    def answer(self, name: str, value: Any) -> str:
        """One answer of story field ``name`` as a registry word (``values`` applied)."""
        return self.values.get(name, {}).get(norm_value(value), norm_value(value))

    def cells(self, cell: Mapping[str, Any]) -> dict[str, Any]:
        """A row's cells by story field, with the fixed values added."""
        return {**cell, **{COLUMN_FIELDS[d]: v for d, v in self.fixed.items()}}

    def row_values(self, cell: Mapping[str, Any]) -> dict[str, Any]:
        """The choice fields, date and MSC domain of one row as registry words."""
        data: dict[str, Any] = {}
        for name in ("date", *CHOICE_FIELDS, "pillars"):
            value = cell.get(name)
            if is_blank(value):
                continue
            if name == "date":
                data[name] = _date_cell(value)
            elif name == "pillars":
                items = [self.answer(name, p) for p in re.split(r"[;,]", str(value)) if p.strip()]
                data[name] = ",".join(items)
            else:
                data[name] = self.answer(name, value)
        if data.get("consent") in _NO_CONSENT:
            del data["consent"]  # validate_fields then names the missing consent
        if not is_blank(cell.get("msc_domain")):
            data["msc_domain"] = norm_value(cell["msc_domain"])
        return data

    def column_names(self, columns: Mapping[str, str]) -> dict[str, str]:
        """Story field -> the column as the user's file has it (or would have it).

        Every message about a row names the column by this name, never the field.
        """
        return {
            name: columns.get(dutch) or self.headers.get(dutch) or dutch
            for dutch, name in COLUMN_FIELDS.items()
        }


def _date_cell(value: Any) -> Any:
    """Form exports add a time ("14-3-2025 10:22:13"); validation wants the date."""
    if isinstance(value, str):
        value = value.strip()
        head = re.split(r"[ T]", value, maxsplit=1)[0]
        if head != value and re.fullmatch(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}", head):
            return head
    return value


def synthetic_flag(raw: Any, file: str, row: int | None, column: str) -> bool | Finding | None:
    """The ``synthetisch`` cell as a bool, ``None`` when blank, a finding when unreadable."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    flag = norm_value(raw)
    if flag in _TRUE or flag in _FALSE:
        return flag in _TRUE
    message = f"'{column}' is {str(raw)!r}; verwacht ja of nee"
    return Finding("error", file, message, row=row, column=column)


# --- reading and checking a mapping file -------------------------------------------------


def load_mapping(path: str | Path | None, vocab: StoryVocabulary) -> ColumnMapping:
    """Read and check a mapping file; every problem at once (``None``: the default headers).

    Raises
    ------
    InputError
        The file is missing, not YAML, or breaks a rule above; each finding
        names the file, the line and the key.

    Examples
    --------
    >>> import tempfile
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.vertellen.stories import vocabulary_in
    >>> path = Path(tempfile.mkdtemp()) / "m.yaml"
    >>> _ = path.write_text('columns:\\n  "Uw verhaal": tekst\\nfixed:\\n  kanaal: Enquête\\n')
    >>> m = load_mapping(path, vocabulary_in(ProgrammeFolder.bundled()))
    >>> m.columns, m.fixed
    ({'uw verhaal': 'tekst'}, {'kanaal': 'enquete'})
    """
    if path is None:
        return ColumnMapping()
    data, chk = _read_mapping_yaml(Path(path))
    for key in data:
        if key not in KEYS:
            chk.add((key,), str(key), f"onbekende sleutel '{key}'; toegestaan: {', '.join(KEYS)}")
    columns = _mapping_columns(data.get("columns"), chk)
    values = _mapping_values(data.get("values") or {}, chk)
    absent = _mapping_absent(data.get("absent"), chk)
    mapping = ColumnMapping(columns, values, {}, absent, chk.file, _headers(data, columns))
    fixed = _mapping_fixed(data.get("fixed"), mapping, vocab, chk)
    _check_overlap(mapping, fixed, chk)
    if chk.findings:
        findings = sorted(chk.findings, key=lambda f: f.row or 0)  # top to bottom
        raise InputError(f"{chk.file}: het mappingbestand is ongeldig", findings)
    return dataclasses.replace(mapping, fixed=fixed)


def _headers(data: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, str]:
    """Dutch column name -> its header as the mapping file writes it."""
    raw = data.get("columns") if isinstance(data.get("columns"), dict) else {}
    written = {norm_header(h): str(h) for h in raw}
    return {dutch: written[key] for key, dutch in columns.items()}


def _mapping_error(name: str, message: str, row: int | None = None) -> InputError:
    return InputError(
        f"{name}: het mappingbestand is ongeldig", [Finding("error", name, message, row=row)]
    )


def _read_mapping_yaml(path: Path) -> tuple[dict, YamlChecker]:
    """The top-level mapping of a mapping file and a checker with its lines.

    A missing, non-UTF-8 or non-YAML file raises, as does one whose top is
    not a mapping.
    """
    name = str(path)
    if not path.exists() and not path.is_symlink():
        raise _mapping_error(name, "mappingbestand bestaat niet")
    findings: list[Finding] = []
    chk, data = YamlChecker.read(path, findings, what="mappingbestand")
    if not chk.readable:
        raise InputError(f"{name}: het mappingbestand is ongeldig", findings)
    if not data:
        message = f"verwacht bovenaan een of meer van {', '.join(k + ':' for k in KEYS)}"
        raise _mapping_error(name, message, 1)
    return data, chk


def _mapping_columns(raw_columns: Any, chk: YamlChecker) -> dict[str, str]:
    """``columns:`` as normalised header -> Dutch column name; an empty target is not read."""
    if raw_columns is None:
        return {}  # a mapping may only fix values for a form with the default headers
    if not isinstance(raw_columns, dict):
        message = "'columns' moet kopjes aan velden koppelen: \"Kopje\": datum"
        chk.add(("columns",), "columns", message)
        return {}
    columns: dict[str, str] = {}
    targets: dict[str, str] = {}
    for header, target in raw_columns.items():
        if target is None or target == "":
            continue  # listed on purpose (the template lists every header): not read
        dutch = field_of(target) if isinstance(target, str) else None
        if dutch is None:
            message = (
                f"kolom '{header}' verwijst naar onbekend veld {target!r}; "
                f"toegestaan: {', '.join(COLUMN_FIELDS)}"
            )
        elif dutch in targets:
            message = f"'{header}' en '{targets[dutch]}' verwijzen allebei naar '{dutch}'"
        else:
            targets[dutch] = str(header)
            columns[norm_header(header)] = dutch
            continue
        chk.add(("columns", header), str(header), message)
    return columns


def _mapping_values(raw_values: Any, chk: YamlChecker) -> dict[str, dict[str, str]]:
    """``values:`` as field -> normalised answer -> value."""
    if not isinstance(raw_values, dict):
        chk.add(("values",), "values", "'values' moet per veld antwoorden omzetten")
        return {}
    values: dict[str, dict[str, str]] = {}
    for target, table in raw_values.items():
        dutch = field_of(target)
        if dutch is None:
            allowed = ", ".join(COLUMN_FIELDS)
            message = f"'values' noemt onbekend veld {target!r}; toegestaan: {allowed}"
        elif not isinstance(table, dict) or not all(
            v is None or isinstance(v, str | int | float | bool) for v in table.values()
        ):
            message = (
                f"'values.{target}' moet antwoorden aan waarden koppelen: \"Antwoord\": waarde"
            )
        else:
            # An answer without a value (the template lists them so) is not translated.
            table = {k: v for k, v in table.items() if v is not None and v != ""}
            if table:
                values[COLUMN_FIELDS[dutch]] = {norm_value(k): str(v) for k, v in table.items()}
            continue
        chk.add(("values", target), str(target), message)
    return values


def _mapping_absent(raw: Any, chk: YamlChecker) -> frozenset[str]:
    """``absent:`` as the Dutch names of optional fields the form leaves out."""
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        chk.add(("absent",), "absent", "'absent' moet een lijst van velden zijn: [id, pijlers]")
        return frozenset()
    out = set()
    for i, item in enumerate(raw):
        dutch = field_of(item) if isinstance(item, str) else None
        if dutch in ABSENT_COLUMNS:
            out.add(dutch)
            continue
        if dutch is None:
            message = f"onbekend veld {item!r}; toegestaan: {', '.join(ABSENT_COLUMNS)}"
        else:
            reason = _NOT_ABSENT.get(
                dutch,
                "geef een kolom, of een vaste waarde onder 'fixed' als die voor elke rij "
                "hetzelfde is",
            )
            message = f"'{dutch}' is verplicht en kan niet ontbreken: {reason}"
        chk.add(("absent", i), str(item), message)
    return frozenset(out)


def _mapping_fixed(
    raw: Any, mapping: ColumnMapping, vocab: StoryVocabulary, chk: YamlChecker
) -> dict[str, Any]:
    """``fixed:`` as Dutch column name -> value, each checked like a cell of that column."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        chk.add(("fixed",), "fixed", "'fixed' moet velden aan één waarde koppelen: kanaal: enquete")
        return {}
    fixed: dict[str, Any] = {}
    for key, value in raw.items():
        dutch = field_of(key)
        if dutch is None:
            message = f"onbekend veld {key!r}; toegestaan: {', '.join(FIXABLE_COLUMNS)}"
        elif dutch not in FIXABLE_COLUMNS:
            message = f"'{dutch}' kan geen vaste waarde krijgen: {_NOT_FIXABLE[dutch]}"
        elif is_blank(value):
            message = f"geen waarde ingevuld voor '{dutch}'; {fill_hint(dutch, vocab)}"
        else:
            problem = _fixed_problem(dutch, value, mapping, vocab)
            if problem is None:
                fixed[dutch] = _fixed_value(dutch, value, mapping)
                continue
            message = problem
        chk.add(("fixed", key), str(key), message)
    return fixed


def fill_hint(dutch: str, vocab: StoryVocabulary) -> str:
    """What a value of ``dutch`` may be, for a message or a comment."""
    name = COLUMN_FIELDS[dutch]
    if name in CHOICE_FIELDS:
        return f"kies uit: {', '.join(vocab.allowed(name))}"
    return {"datum": "een datum, JJJJ-MM-DD", "synthetisch": "ja of nee"}.get(dutch, "een woord")


def _fixed_problem(
    dutch: str, value: Any, mapping: ColumnMapping, vocab: StoryVocabulary
) -> str | None:
    """Why ``value`` cannot be every row's ``dutch``, checked as a cell would be; else ``None``."""
    name = COLUMN_FIELDS[dutch]
    if isinstance(value, list | dict):
        return f"'{dutch}' moet één waarde zijn, geen lijst of mapping"
    if name == "synthetic":
        flag = synthetic_flag(value, "", None, dutch)
        return flag.message if isinstance(flag, Finding) else None
    data = mapping.row_values({name: value})
    _, findings = validate_fields(data, vocab, "", names={name: dutch})
    errors = [f.message for f in findings if f.severity == "error" and f.column == dutch]
    return errors[0] if errors else None


def _fixed_value(dutch: str, value: Any, mapping: ColumnMapping) -> Any:
    """The value as the import's cells will carry it (answers translated, normalised)."""
    name = COLUMN_FIELDS[dutch]
    if name in CHOICE_FIELDS:
        return mapping.answer(name, value)
    if name == "msc_domain":
        return norm_value(value)
    return value


def _check_overlap(mapping: ColumnMapping, fixed: Mapping[str, Any], chk: YamlChecker) -> None:
    """A field is read from a column, fixed, or absent: one of the three."""
    for dutch in fixed:
        if dutch in mapping.headers:
            message = (
                f"'{dutch}' staat onder columns (kopje '{mapping.headers[dutch]}') en onder "
                "fixed: kies één van beide"
            )
            chk.add(("fixed", dutch), dutch, message)
    for dutch in sorted(mapping.absent):
        where = "columns" if dutch in mapping.headers else "fixed" if dutch in fixed else None
        if where:
            chk.add(("absent",), dutch, f"'{dutch}' staat onder absent en onder {where}")
