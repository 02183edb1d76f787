"""Reading the spreadsheets people and partners deliver: CSV (any Dutch Excel flavour) or XLSX.

One reader for measurements and story exports: it decodes UTF-8 (with or
without BOM), Windows-1252 or Latin-1, sniffs comma, semicolon or tab, and
returns every cell as text (or as the number Excel stored) with the
spreadsheet row number in ``__row``, so validators can name file, row and
column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Finding, InputError

__all__ = ["ROW", "decode", "sniff_delimiter", "read_table", "is_blank"]

ROW = "__row"


def read_table(path: str | Path, *, sheet: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read a CSV or XLSX file into a frame of raw cells.

    Parameters
    ----------
    path : path
        ``.csv``/``.txt`` or ``.xlsx``/``.xlsm``.
    sheet : str, optional
        Worksheet name for XLSX (default: the first sheet).

    Returns
    -------
    frame : DataFrame
        Header cells stripped; object dtype; column ``__row`` holds the
        spreadsheet row number (header = row 1).
    decimal : str
        The file's decimal mark: ``","`` for semicolon CSV and XLSX text
        cells, ``"."`` otherwise.

    Raises
    ------
    InputError
        Unknown file type, unreadable file, or rows with the wrong number of fields.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise InputError(
        f"{path}: onbekend bestandstype",
        [Finding("error", str(path), f"onbekend bestandstype '{suffix}'; verwacht .csv of .xlsx")],
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252, then Latin-1.

    Latin-1 maps every byte, so decoding never fails; cp1252 is tried before
    it because Dutch Excel on Windows writes cp1252 (``€``, curly quotes).
    """
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[pd.DataFrame, str]:
    text = decode(path.read_bytes())
    delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(
            f"{path}: geen leesbare CSV",
            [Finding("error", str(path), f"geen leesbare CSV: {exc}", row=reader.line_num)],
        ) from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputError(
            f"{path}: het bestand is leeg of heeft geen kopregel",
            [Finding("error", str(path), "leeg bestand of geen kopregel", row=1)],
        )
    header = [c.strip() for c in rows[0]]
    width = len(header)
    body = []
    findings = []
    for i, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue  # blank lines are harmless
        if len(r) != width:
            findings.append(
                Finding(
                    "error",
                    str(path),
                    f"rij heeft {len(r)} velden, de kopregel {width} (scheidingsteken '{delim}')",
                    row=i,
                )
            )
            continue
        body.append([*r, i])
    if findings:
        raise InputError(f"{path}: rijen met een verkeerd aantal velden", findings)
    df = pd.DataFrame(body, columns=[*header, "__row"], dtype=object)
    return df, "," if delim == ";" else "."


def _read_xlsx(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, str]:
    try:
        df = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(
            f"{path}: kan het Excel-bestand niet openen ({exc.__class__.__name__}: {exc})",
            [Finding("error", str(path), f"geen leesbaar XLSX-bestand: {exc}")],
        ) from None
    df = df.dropna(how="all")
    df.columns = [str(c).strip() for c in df.columns]
    df[ROW] = df.index + 2  # header is spreadsheet row 1
    return df.astype(object), ","


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, float) and np.isnan(raw)) or str(raw).strip() == ""
