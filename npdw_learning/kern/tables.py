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
import re
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Finding, InputError
from .inputfile import BoundedZip, count_text, open_zip, read_input_bytes, refuse, size_text

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
    "WORKBOOK_INFLATED",
    "WORKBOOK_CELLS",
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
    suffix = path.suffix.lower()
    wanted = {str(e).lower() for e in expected} if expected else set()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, wanted)
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv(path, wanted)]
    raise InputError(
        f"{path}: onbekend bestandstype",
        [Finding("error", str(path), f"onbekend bestandstype '{suffix}'; verwacht .csv of .xlsx")],
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


def _read_csv(path: Path, wanted: set[str]) -> Sheet:
    name = str(path)
    try:
        text = decode(read_input_bytes(path, kind="table"))
    except NotText as exc:
        raise InputError(
            f"{path}: geen tekstbestand",
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
            f"{path}: geen leesbare CSV",
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
            f"{path}: het bestand is leeg of heeft geen kopregel",
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
        raise InputError(f"{path}: rijen met een verkeerd aantal velden", findings)
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

# A workbook is bounded by what it really holds, not by what it declares: a 2 MB
# .xlsx can inflate to gigabytes of XML, or list 60 million cells. Both limits are
# counted while inflating and reading (documented in data/README.md).
WORKBOOK_INFLATED = 100_000_000  # bytes of all its parts together, uncompressed
WORKBOOK_CELLS = 1_000_000  # cells of all worksheets read, and shared texts
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_SHARED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\""
)
_OVERLAP = 256  # bytes kept from the previous block, so a tag split over two is still found


def _too_many_cells(path: Path, where: str) -> InputError:
    limit = count_text(WORKBOOK_CELLS)
    return refuse(
        path,
        f"heeft meer dan {limit} cellen ({where}); lever de gegevens als CSV of in "
        "kleinere werkmappen",
    )


def _scan_workbook(archive: BoundedZip, path: Path) -> dict[str, list[str]]:
    """Inflate every part once, counting bytes and cells; the merged ranges per worksheet.

    Raises :class:`InputError` when the parts together inflate past
    :data:`WORKBOOK_INFLATED` or declare more than :data:`WORKBOOK_CELLS`
    cells or shared texts.
    """
    total, cells, shared = 0, 0, 0
    merged: dict[str, list[str]] = {}
    for info in archive.infolist():
        name = info.filename
        tail = b""
        for block in archive.inflate(name, limit=WORKBOOK_INFLATED):
            total += len(block)
            if total > WORKBOOK_INFLATED:
                raise refuse(path, f"is uitgepakt groter dan {size_text(WORKBOOK_INFLATED)}")
            window = tail + block
            cells += _new_matches(_CELL, window, len(tail))
            shared += _new_matches(_SHARED, window, len(tail))
            if max(cells, shared) > WORKBOOK_CELLS:
                raise _too_many_cells(path, name)
            found = [m.group(1).decode() for m in _MERGE.finditer(window) if m.end() > len(tail)]
            if found:
                merged.setdefault(name, []).extend(found)
            tail = window[-_OVERLAP:]
    return merged


def _new_matches(pattern: re.Pattern[bytes], window: bytes, old: int) -> int:
    """Matches in ``window`` that end past its first ``old`` bytes (counted before)."""
    return sum(1 for m in pattern.finditer(window) if m.end() > old)


def _open_workbooks(path: Path, raw: bytes):
    """The workbook twice, streaming (read-only): with saved values and with formulas."""
    import openpyxl

    try:
        values = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise _unreadable(path, exc) from None
    return values, formulas


def _unreadable(path: Path, exc: BaseException) -> InputError:
    kind = exc.__class__.__name__
    return InputError(
        f"{path}: kan het Excel-bestand niet openen ({kind})",
        [
            Finding(
                "error",
                str(path),
                "geen leesbaar Excel-bestand (XLSX): beschadigd, met een wachtwoord "
                f"beveiligd of geen .xlsx ({kind})",
            )
        ],
    )


def _read_xlsx(path: Path, sheet: str | None, wanted: set[str]) -> list[Sheet]:
    archive = open_zip(path, kind="workbook", what="Excel-werkmap (XLSX)")
    merged = _scan_workbook(archive, path)
    values, formulas = _open_workbooks(path, archive.data)
    try:
        names = values.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(
                f"{path}: werkblad '{sheet}' bestaat niet",
                [
                    Finding(
                        "error",
                        str(path),
                        f"werkblad '{sheet}' bestaat niet; dit bestand heeft de werkbladen: "
                        + ", ".join(f"'{n}'" for n in names),
                    )
                ],
            )
        budget = [WORKBOOK_CELLS]
        out = []
        for n in [sheet] if sheet is not None else names:
            ws = values[n]
            member = getattr(ws, "_worksheet_path", "")
            rows, raw = _sheet_rows(path, ws, formulas[n], budget)
            out.append(_read_worksheet(path, ws.title, rows, raw, merged.get(member, []), wanted))
        return out
    except InputError:
        raise
    except Exception as exc:  # a worksheet is only parsed while its rows are read
        raise _unreadable(path, exc) from None
    finally:
        values.close()
        formulas.close()


def _sheet_rows(path: Path, ws, ws_formulas, budget: list[int]) -> tuple[list, list]:
    """The rows of a worksheet (saved values, formulas), spending ``budget`` cells.

    The dimension a worksheet declares is ignored (it may claim a million
    columns); each row is as long as its last cell, and an empty row costs one.
    The rectangle the rows span (rows times the widest row) must fit the
    limit too: every row is filled out to the header's width later.
    """
    ws.reset_dimensions()
    ws_formulas.reset_dimensions()
    rows, raw = [], []
    pairs = itertools.zip_longest(
        ws.iter_rows(values_only=True), ws_formulas.iter_rows(values_only=True), fillvalue=()
    )
    for r, f in pairs:
        budget[0] -= max(len(r), len(f), 1)
        if budget[0] < 0:
            raise _too_many_cells(path, f"werkblad '{ws.title}', rij {len(rows) + 1}")
        rows.append(list(r))
        raw.append(list(f))
    width = max(map(len, rows), default=0)
    if width * len(rows) > WORKBOOK_CELLS:  # the table the rows make, filled out to a rectangle
        raise _too_many_cells(path, f"werkblad '{ws.title}': {len(rows)} rijen x {width} kolommen")
    return rows, raw


def _read_worksheet(
    path: Path, title: str, rows: list, raw: list, merged: list[str], wanted: set[str]
) -> Sheet:
    file = sheet_label(path, title)
    if not rows or not any(not is_blank(c) for r in rows for c in r):
        return Sheet(pd.DataFrame(columns=[ROW]), ",", file, title, 1, ())
    index, _score = _find_header(rows, wanted)
    header_row = index + 1
    findings = _header_note(file, header_row)
    width = max(map(len, rows))
    header = ["" if is_blank(c) else str(c).strip() for c in rows[index]]
    header += [""] * (width - len(header))
    findings += _merged_header(file, merged, header_row, header)
    body = []
    for i in range(index + 1, len(rows)):
        r = rows[i]
        if all(is_blank(c) for c in r):
            continue
        findings += _unsaved_formulas(file, header, r, raw[i] if i < len(raw) else [], i + 1)
        body.append([*r[: len(header)], *[None] * (len(header) - len(r)), i + 1])
    if not any(f.message.startswith("kopcel") for f in findings):
        findings += _unnamed(file, header, [b[:-1] for b in body], header_row)
    keep = [j for j, h in enumerate(header) if h]
    df = pd.DataFrame(
        [[b[j] for j in keep] + [b[-1]] for b in body],
        columns=[*(header[j] for j in keep), ROW],
        dtype=object,
    )
    return Sheet(df, ",", file, title, header_row, tuple(findings))


def _unsaved_formulas(file: str, header: list[str], r: list, f: list, row: int) -> list[Finding]:
    """A formula cell without the value Excel saves with it: an error per cell."""
    out = []
    for j, (v, formula) in enumerate(zip(r, f, strict=False)):
        if v is None and formula is not None:
            column = header[j] if j < len(header) and header[j] else _letter(j)
            out.append(
                Finding(
                    "error",
                    file,
                    "formule zonder opgeslagen waarde: open het bestand in Excel en sla het "
                    "op (dan bewaart Excel de uitkomst)",
                    row=row,
                    column=column,
                )
            )
    return out


def _merged_header(
    file: str, merged: list[str], header_row: int, header: list[str]
) -> list[Finding]:
    """A header cell merged over several columns leaves the others nameless: an error."""
    from openpyxl.worksheet.cell_range import CellRange

    out = []
    for ref in merged:
        rng = CellRange(ref)
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
