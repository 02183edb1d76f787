"""Reading the spreadsheets people and partners deliver: CSV (any Dutch Excel flavour) or XLSX.

One reader for measurements, story exports and coder files. It decodes
UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), Windows-1252
or Latin-1, says "geen tekstbestand" for binary content, sniffs comma,
semicolon or tab, reads every worksheet of a workbook, and looks for the
header in the first :data:`HEADER_SEARCH` rows (a title row above the
header is common). Cells come back as text (or as the value Excel stored)
with the spreadsheet row number in ``__row``, so validators can name file,
sheet, row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Finding, InputError

__all__ = [
    "ROW",
    "HEADER_SEARCH",
    "Sheet",
    "decode",
    "sniff_delimiter",
    "read_sheets",
    "read_table",
    "is_blank",
    "sheet_label",
]

ROW = "__row"
HEADER_SEARCH = 10  # the header is looked for in this many first rows
# A story may be long: lift the csv module's 131,072-character field limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_MAGIC = {
    b"PK\x03\x04": "een zip-archief of Excel-werkmap (.xlsx); hernoem het naar .xlsx als het "
    "een Excel-bestand is",
    b"\xd0\xcf\x11\xe0": "een oud Excel- of Word-bestand (.xls/.doc); sla het op als .xlsx of .csv",
    b"\x89PNG": "een PNG-afbeelding",
    b"\xff\xd8\xff": "een JPEG-afbeelding",
    b"%PDF": "een PDF-document",
    b"GIF8": "een GIF-afbeelding",
}


@dataclass(frozen=True, eq=False)
class Sheet:
    """One table of a delivery: a CSV file or one worksheet of a workbook.

    Attributes
    ----------
    frame : DataFrame
        Header cells stripped; object dtype; ``__row`` is the spreadsheet row.
    decimal : str
        ``","`` for semicolon CSV and XLSX text cells, ``"."`` otherwise.
    file : str
        How findings name it: the path, plus ``[sheet]`` for a worksheet.
    name : str or None
        The worksheet name (None for CSV).
    header_row : int
        The spreadsheet row of the header (1 unless title rows come first).
    findings : tuple of Finding
        What the reader noticed: where the header was found, formula cells
        without a saved value, columns without a header.
    """

    frame: pd.DataFrame
    decimal: str
    file: str
    name: str | None = None
    header_row: int = 1
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != ROW]


def sheet_label(path: str | Path, sheet: str | None) -> str:
    """``levering.xlsx [2025]`` for a worksheet, the path alone for a CSV file."""
    return f"{path} [{sheet}]" if sheet is not None else str(path)


def read_sheets(
    path: str | Path,
    *,
    sheet: str | None = None,
    expected: Collection[str] | None = None,
    name: str | None = None,
) -> list[Sheet]:
    """Read every table of a CSV or XLSX file.

    Parameters
    ----------
    path : path
        ``.csv``/``.txt``/``.tsv`` or ``.xlsx``/``.xlsm``.
    sheet : str, optional
        Read only this worksheet; a name that is not there is an error that
        lists the worksheets there are.
    expected : collection of str, optional
        Header names (lower case) the caller knows. The header is the row
        among the first :data:`HEADER_SEARCH` with the most of them; without
        ``expected`` (or when no row has one) it is the first non-empty row.
    name : str, optional
        How findings name the file (``Sheet.file``); the path when not given. A run
        names it relative to its programme folder, so the tables hold no machine's paths.

    Returns
    -------
    list of Sheet
        One per CSV file, one per worksheet (in workbook order).

    Raises
    ------
    InputError
        Unknown file type, binary content, a broken workbook, a missing
        worksheet, or CSV rows with the wrong number of fields.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "levering.csv"
    >>> _ = f.write_text("Levering GGD\\nindicator;area\\nx;wielwijk\\n", encoding="utf-8")
    >>> [s] = read_sheets(f, expected={"indicator", "area"})
    >>> s.header_row, s.frame.to_dict("records")
    (2, [{'indicator': 'x', 'area': 'wielwijk', '__row': 3}])
    """
    path = Path(path)
    name = str(path) if name is None else name
    suffix = path.suffix.lower()
    wanted = {str(e).lower() for e in expected} if expected else set()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, wanted, name)
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv(path, wanted, name)]
    raise InputError(
        f"{name}: onbekend bestandstype",
        [Finding("error", name, f"onbekend bestandstype '{suffix}'; verwacht .csv of .xlsx")],
    )


def read_table(
    path: str | Path, *, sheet: str | None = None, expected: Collection[str] | None = None
) -> tuple[pd.DataFrame, str]:
    """The first table of a file (or worksheet ``sheet``): ``(frame, decimal)``.

    For files that hold one table (coder files). Deliveries use
    :func:`read_sheets`, which reads every worksheet.
    """
    first = read_sheets(path, sheet=sheet, expected=expected)[0]
    errors = [f for f in first.findings if f.severity == "error"]
    if errors:
        raise InputError(f"{first.file}: het bestand kan zo niet gelezen worden", errors)
    return first.frame, first.decimal


# -- text ------------------------------------------------------------------------


class NotText(ValueError):
    """The bytes are not a text file; the message says what they look like (Dutch)."""


def _utf16_by_nuls(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit in every other position (no BOM)."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    odd = sum(1 for b in sample[1::2] if b == 0) / pairs
    even = sum(1 for b in sample[0::2] if b == 0) / pairs
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """Bytes of a text file as text.

    UTF-16 (with a BOM, or recognised by its NUL bytes: Excel's "Unicode
    text") first; then UTF-8 (with or without BOM), Windows-1252 and
    Latin-1, which maps every byte. cp1252 is tried before Latin-1 because
    Dutch Excel on Windows writes cp1252 (``€``, curly quotes).

    Raises
    ------
    NotText
        Binary content (an image, a zip or workbook, NUL bytes).

    Examples
    --------
    >>> decode("jaar;waarde".encode("utf-16"))
    'jaar;waarde'
    """
    encoding = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_by_nuls(data)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise NotText("het lijkt UTF-16 maar is niet te lezen als UTF-16") from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise NotText(f"de inhoud is {what}")
    if b"\x00" in data[:65536]:
        raise NotText("de inhoud is binair (bevat NUL-tekens)")
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter that occurs most in the first line (``,`` when none does)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _norm(cell: object) -> str:
    return "" if is_blank(cell) else str(cell).strip().lstrip("\ufeff").strip().lower()


def _find_header(rows: list[list[object]], wanted: set[str]) -> tuple[int, int]:
    """(index of the header among ``rows``, how many expected names it has)."""
    first = next((i for i, r in enumerate(rows) if any(not is_blank(c) for c in r)), 0)
    if not wanted:
        return first, 0
    best, score = first, 0
    for i, r in enumerate(rows[:HEADER_SEARCH]):
        hits = len({_norm(c) for c in r} & wanted)
        if hits > score:
            best, score = i, hits
    return best, score


def _header_note(file: str, header_row: int) -> list[Finding]:
    if header_row == 1:
        return []
    return [
        Finding(
            "warning",
            file,
            f"kopregel gevonden op rij {header_row}; rij 1-{header_row - 1} "
            "(titel of toelichting) overgeslagen",
            row=header_row,
        )
    ]


def _read_csv(path: Path, wanted: set[str], name: str) -> Sheet:
    try:
        text = decode(path.read_bytes())
    except NotText as exc:
        raise InputError(
            f"{name}: geen tekstbestand",
            [Finding("error", name, f"geen tekstbestand: {exc}; lever een CSV- of Excel-bestand")],
        ) from None
    delim, header_index = _sniff(text, wanted)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[tuple[int, list[str]]] = []
    try:
        # The row a spreadsheet shows: one per record, also when a quoted cell spans lines.
        for number, r in enumerate(reader, start=1):
            rows.append((number, r))
    except csv.Error as exc:
        raise InputError(
            f"{name}: geen leesbare CSV",
            [
                Finding(
                    "error",
                    name,
                    "geen leesbare CSV: "
                    + (
                        "de regel bevat een NUL-teken (binaire inhoud)"
                        if "NUL" in str(exc)
                        else "aanhalingstekens of regeleinden kloppen niet"
                    ),
                    row=len(rows) + 1,
                )
            ],
        ) from None
    if header_index >= len(rows) or not any(c.strip() for c in rows[header_index][1]):
        raise InputError(
            f"{name}: het bestand is leeg of heeft geen kopregel",
            [Finding("error", name, "leeg bestand of geen kopregel", row=1)],
        )
    header_row, header_cells = rows[header_index]
    header = [c.strip().lstrip("\ufeff") for c in header_cells]
    width = len(header)
    body, findings = [], []
    for line, r in rows[header_index + 1 :]:
        if not any(c.strip() for c in r):
            continue  # blank lines are harmless
        if len(r) != width:
            findings.append(
                Finding(
                    "error",
                    name,
                    f"rij heeft {len(r)} velden, de kopregel {width} (scheidingsteken "
                    f"'{_DELIM_NL[delim]}')",
                    row=line,
                )
            )
            continue
        body.append([*r, line])
    if findings:
        raise InputError(f"{name}: rijen met een verkeerd aantal velden", findings)
    findings += _unnamed(name, header, [b[:-1] for b in body], header_row)
    keep = [j for j, h in enumerate(header) if h]
    df = pd.DataFrame(
        [[b[j] for j in keep] + [b[-1]] for b in body],
        columns=[*(header[j] for j in keep), ROW],
        dtype=object,
    )
    return Sheet(
        df,
        "," if delim == ";" else ".",
        name,
        None,
        header_row,
        tuple(_header_note(name, header_row) + findings),
    )


_DELIM_NL = {";": ";", ",": ",", "\t": "tab"}


def _sniff(text: str, wanted: set[str]) -> tuple[str, int]:
    """(delimiter, index of the header row among the parsed rows)."""
    if not wanted:
        delim = sniff_delimiter(text.lstrip("\n"))
        return delim, 0
    best = (",", 0, -1)
    for delim in (";", ",", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            head = [list(r) for r in itertools.islice(reader, HEADER_SEARCH)]
        except csv.Error:
            continue
        index, score = _find_header(head, wanted)
        if score > best[2]:
            best = (delim, index, score)
    if best[2] <= 0:
        return sniff_delimiter(text), 0
    return best[0], best[1]


def _unnamed(file: str, header: list[str], body: list[list], header_row: int) -> list[Finding]:
    """A column with data but no header is an error, never silently dropped."""
    out = []
    for j, h in enumerate(header):
        if h:
            continue
        filled = next((i for i, r in enumerate(body) if j < len(r) and not is_blank(r[j])), None)
        if filled is None:
            continue
        out.append(
            Finding(
                "error",
                file,
                f"kolom {_letter(j)} heeft gegevens maar geen kop in de kopregel (rij "
                f"{header_row}); geef de kolom een naam of maak hem leeg",
                row=header_row,
                column=_letter(j),
            )
        )
    return out


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


# -- workbooks -------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | None, wanted: set[str], name: str) -> list[Sheet]:
    import openpyxl

    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(
            f"{name}: kan het Excel-bestand niet openen ({exc.__class__.__name__})",
            [
                Finding(
                    "error",
                    name,
                    "geen leesbaar Excel-bestand (XLSX): beschadigd, met een wachtwoord "
                    f"beveiligd of geen .xlsx ({exc.__class__.__name__})",
                )
            ],
        ) from None
    names = values.sheetnames
    if sheet is not None and sheet not in names:
        raise InputError(
            f"{name}: werkblad '{sheet}' bestaat niet",
            [
                Finding(
                    "error",
                    name,
                    f"werkblad '{sheet}' bestaat niet; dit bestand heeft de werkbladen: "
                    + ", ".join(f"'{n}'" for n in names),
                )
            ],
        )
    chosen = [sheet] if sheet is not None else names
    return [_read_worksheet(name, values[n], formulas[n], wanted) for n in chosen]


def _read_worksheet(name: str, ws, ws_formulas, wanted: set[str]) -> Sheet:
    file = sheet_label(name, ws.title)
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    raw = [list(r) for r in ws_formulas.iter_rows(values_only=True)]
    if not rows or not any(not is_blank(c) for r in rows for c in r):
        return Sheet(pd.DataFrame(columns=[ROW]), ",", file, ws.title, 1, ())
    index, _score = _find_header(rows, wanted)
    header_row = index + 1
    findings = _header_note(file, header_row)
    header = ["" if is_blank(c) else str(c).strip() for c in rows[index]]
    findings += _merged_header(file, ws, header_row, header)
    body = []
    for i in range(index + 1, len(rows)):
        r = rows[i]
        if all(is_blank(c) for c in r):
            continue
        for j, (v, f) in enumerate(zip(r, raw[i] if i < len(raw) else [], strict=False)):
            if v is None and f is not None:
                column = header[j] if j < len(header) and header[j] else _letter(j)
                findings.append(
                    Finding(
                        "error",
                        file,
                        "formule zonder opgeslagen waarde: open het bestand in Excel en sla het "
                        "op (dan bewaart Excel de uitkomst)",
                        row=i + 1,
                        column=column,
                    )
                )
        body.append([*r[: len(header)], *[None] * (len(header) - len(r)), i + 1])
    if not any(f.message.startswith("kopcel") for f in findings):
        findings += _unnamed(file, header, [b[:-1] for b in body], header_row)
    keep = [j for j, h in enumerate(header) if h]
    df = pd.DataFrame(
        [[b[j] for j in keep] + [b[-1]] for b in body],
        columns=[*(header[j] for j in keep), ROW],
        dtype=object,
    )
    return Sheet(df, ",", file, ws.title, header_row, tuple(findings))


def _merged_header(file: str, ws, header_row: int, header: list[str]) -> list[Finding]:
    """A header cell merged over several columns leaves the others nameless: an error."""
    out = []
    for rng in ws.merged_cells.ranges:
        if not (rng.min_row <= header_row <= rng.max_row) or rng.max_col == rng.min_col:
            continue
        j = rng.min_col - 1
        text = header[j] if j < len(header) else ""
        out.append(
            Finding(
                "error",
                file,
                f"kopcel '{text}' is samengevoegd over de cellen {rng.coord}; "
                "hef het samenvoegen op en geef elke kolom een eigen kop",
                row=header_row,
                column=text or _letter(j),
            )
        )
    return out


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, float) and np.isnan(raw)) or str(raw).strip() == ""
