"""Reading, validating and combining indicator measurements.

Partner deliveries come as CSV (comma or semicolon, decimal point or comma,
UTF-8 with or without BOM, or Latin-1) or XLSX, in the long format
``indicator, area, year, value`` with optional ``n, se, source, note``.

Reading never stops at the first problem: every finding is collected with
file, row and column (:class:`~npdw_learning.kern.errors.Finding`), so the
knowledge coordinator can fix a delivery in one go. The CLI decides whether
errors stop the run.

The order of precedence for the same ``(indicator, area, year)``
(:func:`~npdw_learning.tellen.deliveries.plan_deliveries`; never the file name):

1. the later delivery wins. ``data/measurements/deliveries.yaml`` lists each
   file with the date it was delivered and by whom; a later date wins, and on
   the same date the entry lower in the list. A file in the folder that is
   not in the register counts as newer than every registered one (it was
   just put there) and is reported, so the coordinator adds it. Files given
   with ``--measurements`` are newer still, in the order given. Synthetic
   demo series are oldest: a real figure always replaces them. Every
   replaced value that differs is an override: reported with both files and
   both values (equal values are not an override);
2. within one delivery, the source ranked first in
   ``data/registry/sources.yaml`` wins; every disagreement between sources
   is reported as a warning. Two deliveries without an order between them
   (two unregistered files) that disagree are an error.

An XLSX delivery is read sheet by sheet: every worksheet with the required
columns is part of the delivery (its findings name ``file [sheet]``), the
others are listed as skipped. Figures for years after the evaluation year
are left out with a warning per file naming the rows and years.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..kern.errors import Finding, InputError, renamed, renamed_findings
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.tables import HEADER_SEARCH, ROW, Sheet, is_blank, read_sheets
from ..kern.years import span
from .deliveries import DELIVERIES_FILE, delivery_label, plan_deliveries

__all__ = [
    "override_lines",
    "MEASUREMENT_COLUMNS",
    "SYNTHETIC_MARK",
    "LoadResult",
    "read_measurement_file",
    "load_measurements",
    "measurements_in",
    "is_synthetic",
]

MEASUREMENT_COLUMNS = ["indicator", "area", "year", "value", "n", "se", "source", "note"]
REQUIRED = ("indicator", "area", "year", "value")
SYNTHETIC_MARK = "synthetisch"
OVERRIDE_COLUMNS = [
    "indicator",
    "area",
    "year",
    "value",
    "file",
    "row",
    "delivered",
    "replaced_value",
    "replaced_file",
    "replaced_row",
    "replaced_delivered",
]
# Dutch headers a partner may use, mapped to ours (compared case-insensitively).
ALIASES = {
    "gebied": "area",
    "wijk": "area",
    "jaar": "year",
    "waarde": "value",
    "bron": "source",
    "opmerking": "note",
    "toelichting": "note",
}
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(\d+)?[.,]\d+$")
_NL_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def is_synthetic(source: pd.Series) -> pd.Series:
    """True where a measurement's source marks it as synthetic demo data."""
    return source.fillna("").str.lower().str.contains(SYNTHETIC_MARK)


@dataclass
class LoadResult:
    """Everything one run read.

    Attributes
    ----------
    measurements : DataFrame
        Resolved analysis data, one row per ``(indicator, area, year)``:
        ``indicator, area, year, value, n, se, source, note, file, synthetic``,
        including the computed ``dordt-west`` aggregate.
    raw : DataFrame
        Every valid row as read, with ``file``, ``row`` and ``order``.
    findings : list of Finding
        Errors and warnings, in file order.
    files : list of Path
        The files read, in precedence order (later wins).
    deliveries : DataFrame
        ``file, delivered, supplier, origin, order`` per file read
        (``origin``: demo, register, unregistered or extra).
    overrides : DataFrame
        Every value a later delivery replaced with a different one
        (``OVERRIDE_COLUMNS``).
    future : int
        Figures left out because their year is after the evaluation year.
    years : (int, int) or None
        The first and last year of every valid row read, the figures after
        the evaluation year included (:func:`~npdw_learning.kern.years.check_year`);
        None when no row was read.
    """

    measurements: pd.DataFrame
    raw: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    deliveries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    overrides: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OVERRIDE_COLUMNS))
    future: int = 0
    years: tuple[int, int] | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def synthetic(self) -> bool:
        """Whether any figure used in the analysis is synthetic."""
        return bool(self.measurements["synthetic"].any())

    def findings_frame(self) -> pd.DataFrame:
        """The findings as the ``data_quality.csv`` table."""
        cols = ["severity", "file", "row", "column", "indicator", "area", "year", "message"]
        df = pd.DataFrame([{c: getattr(f, c) for c in cols} for f in self.findings], columns=cols)
        for c in ("row", "year"):
            df[c] = df[c].astype("Int64")
        return df


# -- reading ---------------------------------------------------------------


def _parse_number(raw: object, decimal: str) -> float | None:
    """Parse one cell as a number, or None when it is not one.

    ``decimal`` is the file's decimal mark (',' for semicolon CSV from Dutch
    Excel). A value with the other mark is still accepted when unambiguous.
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | np.integer | np.floating):
        return float(raw)
    s = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if _INT.match(s):
        return float(s)
    if decimal == "," and _NL_THOUSANDS.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if decimal == "." and _EN_THOUSANDS.match(s):
        return float(s.replace(",", ""))
    if _DEC.match(s):
        return float(s.replace(",", "."))
    return None


def _schema(registry: Registry) -> pa.DataFrameSchema:
    """Row rules that pandera checks after the cells are parsed."""
    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, pa.Check.isin(sorted(registry.indicator_ids))),
            "area": pa.Column(str, pa.Check.isin(sorted(registry.area_ids))),
            "year": pa.Column(float, pa.Check.in_range(1990, 2100)),
            "n": pa.Column(float, pa.Check.gt(0), nullable=True),
            "se": pa.Column(float, pa.Check.ge(0), nullable=True),
        },
        checks=[
            pa.Check(
                lambda d: d["unit_min"].isna() | (d["value"] >= d["unit_min"]),
                name="unit_min",
            ),
            pa.Check(
                lambda d: d["unit_max"].isna() | (d["value"] <= d["unit_max"]),
                name="unit_max",
            ),
        ],
        strict=False,
    )


def read_measurement_file(
    path: str | Path, registry: Registry, *, order: int = 0, name: str | None = None
) -> tuple[pd.DataFrame, list[Finding]]:
    """Read and validate one measurements file.

    Every worksheet of a workbook with the required columns is read (its
    rows and findings name ``file [sheet]``); the other worksheets are
    reported as skipped. The header may sit below title rows.

    Parameters
    ----------
    path : path
        A ``.csv`` or ``.xlsx`` file in the long format.
    registry : Registry
        Known indicators, areas and units.
    order : int
        Precedence of this file (a higher order wins for the same key).
    name : str, optional
        How rows and findings name the file; the path when not given.

    Returns
    -------
    rows : DataFrame
        The valid rows: ``MEASUREMENT_COLUMNS`` plus ``file, row, order``
        (``file`` is ``path [sheet]`` for a workbook).
    findings : list of Finding
        Every problem found; rows with an error are left out of ``rows``.

    Examples
    --------
    >>> from npdw_learning.kern.programme import ProgrammeFolder
    >>> folder = ProgrammeFolder.bundled()
    >>> path = folder.measurements_dir / "bijlage3.csv"
    >>> rows, findings = read_measurement_file(path, folder.registry)
    >>> [f for f in findings if f.severity == "error"]
    []
    """
    path = Path(path)
    name = str(path) if name is None else name
    empty = pd.DataFrame(columns=[*MEASUREMENT_COLUMNS, "file", "row", "order"])
    if not path.exists():
        return empty, [Finding("error", name, "bestand bestaat niet")]
    try:
        sheets = _named_sheets(path, name)
    except InputError as exc:
        return empty, exc.findings
    if len(sheets) == 1:
        return _read_sheet(sheets[0], path, registry, order)
    usable = [sh for sh in sheets if not _missing_columns(sh)]
    if not usable:  # none has the columns: say what each one lacks
        findings: list[Finding] = []
        for sh in sheets:
            findings += _read_sheet(sh, path, registry, order)[1]
        return empty, findings
    frames, findings = [], []
    for sh in sheets:
        if sh not in usable:
            shown = ", ".join(f"'{c}'" for c in sh.columns) or "geen"
            findings.append(
                Finding(
                    "warning",
                    sh.file,
                    f"werkblad '{sh.name}' overgeslagen: de verplichte kolommen "
                    f"{', '.join(_missing_columns(sh))} ontbreken (kolommen: {shown}); gelezen "
                    f"werkbladen: {', '.join(repr(u.name) for u in usable)}",
                )
            )
            continue
        rows, f = _read_sheet(sh, path, registry, order)
        frames.append(rows)
        findings += f
    filled = [f for f in frames if not f.empty]
    rows = pd.concat(filled, ignore_index=True) if filled else empty
    return rows, findings


def _named_sheets(path: Path, name: str) -> list[Sheet]:
    """The tables of ``path`` (:func:`read_sheets`), the file named ``name`` in each sheet
    and finding instead of its path."""
    try:
        sheets = read_sheets(path, expected={*MEASUREMENT_COLUMNS, *ALIASES})
    except InputError as exc:
        exc.findings = renamed_findings(exc.findings, str(path), name)
        raise
    return [
        replace(
            sh,
            file=renamed(sh.file, str(path), name),
            findings=tuple(renamed_findings(sh.findings, str(path), name)),
        )
        for sh in sheets
    ]


def _column_key(col: str) -> str:
    key = str(col).strip().lower().lstrip("\ufeff")
    return ALIASES.get(key, key)


def _missing_columns(sheet: Sheet) -> list[str]:
    have = {_column_key(c) for c in sheet.columns}
    return [c for c in REQUIRED if c not in have]


def _no_header(sheet: Sheet, column: str) -> Finding:
    return Finding(
        "error",
        sheet.file,
        f"verplichte kolom '{column}' ontbreekt (verplicht: {', '.join(REQUIRED)}); in de "
        f"eerste {HEADER_SEARCH} rijen staat geen kopregel met deze kolommen",
        row=sheet.header_row,
        column=column,
    )


def _read_sheet(
    sheet: Sheet, path: Path, registry: Registry, order: int
) -> tuple[pd.DataFrame, list[Finding]]:
    """Validate one CSV file or worksheet (the body of :func:`read_measurement_file`).

    The steps: name the columns, parse the cells, check the rules (pandera),
    refuse duplicate rows; a row with an error in any step is left out.
    """
    empty = pd.DataFrame(columns=[*MEASUREMENT_COLUMNS, "file", "row", "order"])
    if len(_missing_columns(sheet)) == len(REQUIRED):
        # No header found: the findings about its cells would only be noise.
        return empty, [_no_header(sheet, c) for c in REQUIRED]
    if any(f.severity == "error" for f in sheet.findings):
        return empty, list(sheet.findings)
    df, findings = _name_columns(sheet)
    if df is None:
        return empty, findings
    parsed, bad, cell_findings = _parse_cells(df, sheet.decimal, sheet.file, path)
    findings += cell_findings
    findings += _check_rules(parsed, bad, registry, sheet.file)
    findings += _duplicate_rows(parsed, bad, sheet.file)
    good = parsed.drop(index=list(bad))
    findings.sort(key=lambda f: (f.row or 0, f.column or ""))
    out = good[["indicator", "area", "year", "value", "n", "se", "source", "note", "row"]].copy()
    out["year"] = out["year"].astype(int)
    out["file"] = sheet.file
    out["order"] = order
    return out.reset_index(drop=True), findings


def _name_columns(sheet: Sheet) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Map the headers (Dutch aliases too) to ours; ``None`` when a required one is missing."""
    name, df = sheet.file, sheet.frame
    findings: list[Finding] = list(sheet.findings)
    rename = {}
    for col in df.columns:
        if col == ROW:
            continue
        key = _column_key(col)
        if key not in MEASUREMENT_COLUMNS:
            message = f"onbekende kolom '{col}' wordt genegeerd; bekende kolommen: " + ", ".join(
                MEASUREMENT_COLUMNS
            )
            findings.append(Finding("warning", name, message, row=sheet.header_row, column=col))
            continue
        if key in rename.values():
            message = f"kolom '{key}' komt twee keer voor"
            findings.append(Finding("error", name, message, row=sheet.header_row, column=col))
        rename[col] = key
    df = df.rename(columns=rename)
    for c in REQUIRED:
        if c not in df.columns:
            message = f"verplichte kolom '{c}' ontbreekt (verplicht: {', '.join(REQUIRED)})"
            findings.append(Finding("error", name, message, row=sheet.header_row, column=c))
    if any(f.severity == "error" for f in findings):
        return None, findings
    for c in MEASUREMENT_COLUMNS:
        if c not in df.columns:
            df[c] = None
    return df, findings


def _expected(column: str, decimal: str) -> str:
    if column == "year":
        return "een jaartal (bijv. 2023)"
    if decimal == ",":
        return "een getal (decimaalteken komma of punt, geen %-teken of tekst)"
    return "een getal (geen %-teken of tekst)"


def _parse_cells(
    df: pd.DataFrame, decimal: str, name: str, path: Path
) -> tuple[pd.DataFrame, set, list[Finding]]:
    """Text and number cells parsed; returns the frame, the bad row indexes, the findings."""
    bad: set = set()  # data-frame index of rows with an error
    findings: list[Finding] = []
    parsed = pd.DataFrame(index=df.index)
    parsed["row"] = df[ROW].astype(int)
    for c in ("indicator", "area"):
        parsed[c] = df[c].map(lambda v: "" if is_blank(v) else str(v).strip())
    for c in ("source", "note"):
        parsed[c] = df[c].map(lambda v: None if is_blank(v) else str(v).strip())
    for c in ("year", "value", "n", "se"):
        values = df[c].map(lambda v, d=decimal: _parse_number(v, d))
        parsed[c] = values.astype(float)
        for idx, raw, num in zip(df.index, df[c], values, strict=True):
            if (num is not None and not np.isnan(num)) or (is_blank(raw) and c not in REQUIRED):
                continue
            what = "leeg" if is_blank(raw) else f"'{raw}'"
            findings.append(
                Finding(
                    "error",
                    name,
                    f"{c} is {what}; verwacht {_expected(c, decimal)}",
                    row=int(df.at[idx, ROW]),
                    column=c,
                    indicator=parsed.at[idx, "indicator"] or None,
                    area=parsed.at[idx, "area"] or None,
                )
            )
            bad.add(idx)
    frac = parsed["year"].notna() & (parsed["year"] % 1 != 0)
    for idx in parsed.index[frac]:
        message = f"jaar {parsed.at[idx, 'year']} is geen geheel jaartal"
        findings.append(
            Finding("error", name, message, row=int(parsed.at[idx, "row"]), column="year")
        )
        bad.add(idx)
    parsed["source"] = parsed["source"].fillna(path.stem)
    return parsed, bad, findings


def _check_rules(parsed: pd.DataFrame, bad: set, registry: Registry, name: str) -> list[Finding]:
    """Known indicator and area, year range, unit bounds, n and se (pandera); adds to ``bad``."""
    findings: list[Finding] = []
    units = registry.units.set_index("id")
    parsed["unit"] = parsed["indicator"].map(registry.unit_of())
    parsed["unit_min"] = parsed["unit"].map(units["min"]).astype(float)
    parsed["unit_max"] = parsed["unit"].map(units["max"]).astype(float)
    checkable = parsed.drop(index=list(bad))
    try:
        _schema(registry).validate(checkable, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        for (idx, check), group in cases.groupby(["index", "check"], sort=True):
            column = group["column"].iloc[0]
            findings.append(_schema_finding(name, checkable.loc[idx], str(check), column, registry))
            bad.add(idx)
    return findings


def _duplicate_rows(parsed: pd.DataFrame, bad: set, name: str) -> list[Finding]:
    """The same indicator, area, year and source twice: every later row is an error."""
    findings: list[Finding] = []
    key = ["indicator", "area", "year", "source"]
    good = parsed.drop(index=list(bad))
    dup = good.duplicated(key, keep=False)
    if not dup.any():
        return findings
    first_rows = good[dup].groupby(key)["row"].min()
    for idx in good.index[dup]:
        r = good.loc[idx]
        first = first_rows[(r["indicator"], r["area"], r["year"], r["source"])]
        if r["row"] == first:
            continue
        findings.append(
            Finding(
                "error",
                name,
                f"dubbele rij: dezelfde indicator, gebied, jaar en bron als rij {first}",
                row=int(r["row"]),
                column="indicator",
                indicator=r["indicator"],
                area=r["area"],
                year=int(r["year"]),
            )
        )
        bad.add(idx)
    return findings


def _schema_finding(
    file: str, row: pd.Series, check: str, column: str, registry: Registry
) -> Finding:
    value = row.get(column)
    if check.startswith("isin") and column == "indicator":
        close = difflib.get_close_matches(str(value), sorted(registry.indicator_ids), n=3)
        hint = f"; bedoelt u {', '.join(close)}?" if close else "; zie `npdw indicators`"
        message = f"onbekende indicator '{value}'{hint}"
    elif check.startswith("isin") and column == "area":
        message = f"onbekend gebied '{value}'; verwacht een van: {', '.join(registry.areas['id'])}"
    elif check.startswith("in_range") and column == "year":
        message = f"jaar {value:g} ligt niet tussen 1990 en 2100"
    elif check in ("unit_min", "unit_max"):
        column = "value"
        unit = row["unit"]
        lo, hi = row["unit_min"], row["unit_max"]
        span = f"tussen {lo:g} en {hi:g}" if not np.isnan(hi) and not np.isnan(lo) else f">= {lo:g}"
        message = f"waarde {row['value']:g} kan niet voor eenheid '{unit}': verwacht {span}"
    elif column == "n":
        message = f"n is {value:g}; verwacht een aantal groter dan 0"
    elif column == "se":
        message = f"se is {value:g}; een standaardfout is niet negatief"
    else:  # pragma: no cover - every schema check is named above
        message = f"{column}: controle {check} faalt voor '{value}'"
    return Finding(
        "error",
        file,
        message,
        row=int(row["row"]),
        column=column,
        indicator=row["indicator"] or None,
        area=row["area"] or None,
        year=int(row["year"]) if not np.isnan(row["year"]) else None,
    )


# -- checks over the whole data set ------------------------------------------


def _loc(raw: pd.DataFrame, mask: pd.Series) -> tuple[str, int]:
    first = raw[mask].iloc[0]
    return first["file"], int(first["row"])


def check_shares(raw: pd.DataFrame, registry: Registry) -> list[Finding]:
    """Parts of one percentage figure (share groups) must add up to 100.

    A sum above 100 (+ tolerance) is impossible: an error per year. A sum
    below 100 in an exhaustive group suggests a missing category: one warning
    per group, area, source and file, listing the years, so a long series
    with the same gap is one finding rather than one per year.
    """
    findings = []
    groups = registry.indicators.dropna(subset=["share_group"])
    groups = groups[groups["unit"] == "percent"]
    meta = registry.share_groups.set_index("id")
    for gid, members in groups.groupby("share_group"):
        ids = set(members["id"])
        tol = float(meta.at[gid, "tolerance"])
        exhaustive = bool(meta.at[gid, "exhaustive"])
        part = raw[raw["indicator"].isin(ids)]
        for (area, _source, file), series in part.groupby(["area", "source", "file"]):
            short: list[tuple[int, float, int]] = []  # (year, total, row)
            for year, g in series.groupby("year"):
                if set(g["indicator"]) != ids:
                    continue  # incomplete deliveries are not summed
                total = float(g["value"].sum())
                row = int(g["row"].min())
                if total > 100 + tol:
                    findings.append(
                        Finding(
                            "error",
                            file,
                            f"de delen van '{gid}' tellen op tot {total:g}% (> 100%)",
                            row=row,
                            column="value",
                            area=area,
                            year=int(year),
                        )
                    )
                elif exhaustive and total < 100 - tol:
                    short.append((int(year), total, row))
            if short:
                sums = ", ".join(f"{y}: {t:g}%" for y, t, _ in short)
                findings.append(
                    Finding(
                        "warning",
                        file,
                        f"de delen van '{gid}' tellen niet op tot 100% ({sums}); "
                        "ontbreekt een categorie?",
                        row=short[0][2],
                        column="value",
                        area=area,
                        year=short[0][0] if len(short) == 1 else None,
                    )
                )
    return findings


def check_identical_series(raw: pd.DataFrame, min_points: int = 3) -> list[Finding]:
    """Two different indicators with exactly the same series: a likely copy error."""
    findings = []
    keyed = raw.sort_values(["area", "year"])
    signatures: dict[tuple, list[tuple[str, str]]] = {}
    for (ind, source), g in keyed.groupby(["indicator", "source"], sort=True):
        if len(g) < min_points:
            continue
        sig = tuple(zip(g["area"], g["year"], g["value"].round(9), strict=True))
        signatures.setdefault(sig, []).append((ind, source))
    for sig, owners in signatures.items():
        inds = sorted({o[0] for o in owners})
        if len(inds) < 2:
            continue
        file, row = _loc(raw, (raw["indicator"] == inds[1]) & (raw["source"] == owners[1][1]))
        findings.append(
            Finding(
                "warning",
                file,
                f"indicatoren {' en '.join(inds)} hebben precies dezelfde reeks "
                f"({len(sig)} waarden); controleer of een van beide verkeerd is overgenomen",
                row=row,
                column="indicator",
                indicator=inds[1],
            )
        )
    return findings


# -- resolving to one value per key -------------------------------------------


def _source_rank(sources: pd.Series, priority: Sequence[str]) -> pd.Series:
    rank = {s: i for i, s in enumerate(priority)}
    return sources.map(lambda s: rank.get(s, len(rank)))


def resolve(
    raw: pd.DataFrame, registry: Registry
) -> tuple[pd.DataFrame, list[Finding], pd.DataFrame]:
    """One value per ``(indicator, area, year)``; report overrides and disagreements.

    ``raw["order"]`` is the delivery's rank (:func:`plan_deliveries`; a higher
    rank wins, equal ranks have no order between them); ``raw["delivered"]``
    the date shown in the messages.

    Returns
    -------
    measurements : DataFrame
    findings : list of Finding
    overrides : DataFrame
        Every replaced value that differs from the one used (``OVERRIDE_COLUMNS``).
    """
    findings: list[Finding] = []
    key = ["indicator", "area", "year"]
    df = raw.copy()
    if "delivered" not in df.columns:
        df["delivered"] = ""
    if "demo" not in df.columns:
        df["demo"] = False
    df["prio"] = _source_rank(df["source"], registry.source_priority)
    df["synth"] = is_synthetic(df["source"])
    df = df.sort_values(
        [*key, "order", "prio", "source"], ascending=[True, True, True, False, True, True]
    )

    latest = df.groupby(key)["order"].transform("max")
    winners = df[df["order"] == latest]
    overrides, override_findings = _overrides(df[df["order"] < latest], winners, key)
    findings += override_findings
    findings += _unordered_conflicts(winners, key)
    findings += _source_disagreements(winners, key)
    resolved = winners.drop_duplicates(key, keep="first")
    cols = [*MEASUREMENT_COLUMNS, "file"]
    resolved = resolved[cols].assign(synthetic=resolved["synth"].to_numpy())
    resolved = pd.concat([resolved, aggregate(resolved, registry)], ignore_index=True)
    table = pd.DataFrame(overrides, columns=OVERRIDE_COLUMNS)
    return resolved.sort_values(key).reset_index(drop=True), findings, table


def _overrides(
    replaced: pd.DataFrame, winners: pd.DataFrame, key: list[str]
) -> tuple[list[dict], list[Finding]]:
    """The later delivery wins: each different value it replaces is an override.

    Demo series and synthetic figures replaced by a delivery are summarised in
    one finding; the same figure delivered again is no override.
    """
    overrides: list[dict] = []
    findings: list[Finding] = []
    n_demo_replaced = 0
    win_first = winners.drop_duplicates(key).set_index(key) if not replaced.empty else None
    for r in replaced.itertuples(index=False):
        w = win_first.loc[(r.indicator, r.area, r.year)]
        if (r.synth and not w["synth"]) or (r.demo and not w["demo"]):
            n_demo_replaced += 1
            continue
        if np.isclose(r.value, w["value"], rtol=0, atol=1e-9):
            continue
        overrides.append(
            {
                "indicator": r.indicator,
                "area": r.area,
                "year": int(r.year),
                "value": float(w["value"]),
                "file": w["file"],
                "row": int(w["row"]),
                "delivered": w["delivered"],
                "replaced_value": float(r.value),
                "replaced_file": r.file,
                "replaced_row": int(r.row),
                "replaced_delivered": r.delivered,
            }
        )
        findings.append(
            Finding(
                "warning",
                w["file"],
                f"vervangt de waarde {r.value:g} uit {r.file} (rij {r.row}, "
                f"{delivery_label(r.delivered)}) door {w['value']:g} uit {w['file']} "
                f"(rij {int(w['row'])}, {delivery_label(w['delivered'])}): "
                "de latere levering wint",
                row=int(w["row"]),
                column="value",
                indicator=r.indicator,
                area=r.area,
                year=int(r.year),
            )
        )
    if n_demo_replaced:
        findings.append(
            Finding(
                "warning",
                "(demo)",
                f"{n_demo_replaced} synthetische waarden zijn vervangen door geleverde cijfers "
                "voor hetzelfde jaar",
            )
        )
    return overrides, findings


def _source_disagreements(winners: pd.DataFrame, key: list[str]) -> list[Finding]:
    """Within the winning delivery the preferred source is used; other values are reported."""
    findings = []
    # Only keys with two different values need a look (most keys have one row).
    disagree = winners.groupby(key, sort=False)["value"].transform("nunique") >= 2
    for k, g in winners[disagree].groupby(key, sort=True):
        first = g.iloc[0]
        others = "; ".join(
            f"{r.source}: {r.value:g} (rij {r.row})" for r in g.iloc[1:].itertuples()
        )
        findings.append(
            Finding(
                "warning",
                first["file"],
                f"bronnen spreken elkaar tegen: {first['source']}: {first['value']:g} "
                f"(gebruikt) tegenover {others}",
                row=int(first["row"]),
                column="value",
                indicator=k[0],
                area=k[1],
                year=int(k[2]),
            )
        )
    return findings


def _unordered_conflicts(winners: pd.DataFrame, key: list[str]) -> list[Finding]:
    """Two deliveries of equal rank (not in the register) that disagree: an error.

    Between them no rule says which is newer, and the alphabet is no rule.
    """
    out = []
    top = winners[winners["prio"] == winners.groupby(key)["prio"].transform("min")]
    by_key = top.assign(rounded=top["value"].round(9)).groupby(key, sort=False)
    # Only keys with two files and two values need a look (most keys have one row).
    several = (by_key["file"].transform("nunique") >= 2) & (
        by_key["rounded"].transform("nunique") >= 2
    )
    for k, g in top[several].groupby(key, sort=True):
        listed = "; ".join(f"{r.file} (rij {r.row}): {r.value:g}" for r in g.itertuples())
        first = g.iloc[0]
        out.append(
            Finding(
                "error",
                first["file"],
                f"leveringen zonder vaste volgorde geven verschillende waarden: {listed}; zet "
                f"de bestanden met hun leverdatum in {DELIVERIES_FILE}, dan wint de latere",
                row=int(first["row"]),
                column="value",
                indicator=k[0],
                area=k[1],
                year=int(k[2]),
            )
        )
    return out


def aggregate(df: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The aggregate area (``registry.aggregate_id``) where it was not measured itself.

    Counts are summed; rates are weighted means with the registry weights.
    A year is aggregated only when every member area has a value, so the
    aggregate never silently stands for three of the four neighbourhoods.
    Standard errors combine as for independent samples.
    """
    members = list(registry.aggregate_weights)
    w = pd.Series(registry.aggregate_weights, dtype=float)
    kind = registry.indicators.set_index("id")["unit"].map(registry.units.set_index("id")["kind"])
    part = df[df["area"].isin(members)].copy()
    if part.empty:
        return df.iloc[0:0]
    part["w"] = part["area"].map(w)
    part["kind"] = part["indicator"].map(kind)
    measured = df.loc[df["area"] == registry.aggregate_id, ["indicator", "year"]]
    key = ["indicator", "year"]
    part = part.merge(measured.drop_duplicates().assign(own=True), on=key, how="left")
    part = part[part["own"].isna() & (part.groupby(key)["area"].transform("size") >= len(members))]
    if part.empty:
        return df.iloc[0:0]
    counts = part["kind"] == "count"
    # A count adds up; a rate is the mean weighted by the members' normalised weights.
    part["wn"] = np.where(counts, 1.0, part["w"] / part.groupby(key)["w"].transform("sum"))
    part["wv"] = part["wn"] * part["value"]
    part["wse2"] = part["wn"] ** 2 * part["se"] ** 2
    sums = part.groupby(key, sort=True).agg(
        value=("wv", "sum"),
        wse2=("wse2", "sum"),
        n=("n", "sum"),
        se_known=("se", "count"),
        n_known=("n", "count"),
        synthetic=("synthetic", "any"),
    )
    full = len(members)
    out = sums.reset_index().assign(
        area=registry.aggregate_id,
        year=lambda t: t["year"].astype(int),
        se=lambda t: np.where(t["se_known"] == full, np.sqrt(t["wse2"]), np.nan),
        n=lambda t: np.where(t["n_known"] == full, t["n"], np.nan),
        source=f"berekend: gewogen over {full} wijken",
        note=None,
        file="(berekend)",
    )
    return out[[*MEASUREMENT_COLUMNS, "file", "synthetic"]].reset_index(drop=True)


# -- the one entry point the CLI and notebooks use --------------------------------


def _future_findings(raw: pd.DataFrame, until_year: int) -> list[Finding]:
    """One warning per file naming the rows and years after the evaluation year."""
    out = []
    late = raw[raw["year"] > until_year]
    for file, g in late.groupby("file", sort=False):
        g = g.sort_values("row")
        shown = ", ".join(f"rij {r.row} ({r.year})" for r in g.head(10).itertuples())
        more = f" en nog {len(g) - 10}" if len(g) > 10 else ""
        out.append(
            Finding(
                "warning",
                str(file),
                f"{len(g)} cijfer(s) uit een jaar na het evaluatiejaar {until_year} tellen niet "
                f"mee: {shown}{more}",
                row=int(g["row"].iloc[0]),
                column="year",
                year=int(g["year"].iloc[0]),
            )
        )
    return out


def measurements_in(
    folder: ProgrammeFolder, *, demo: bool, until_year: int | None = None
) -> LoadResult:
    """:func:`load_measurements` for a programme folder (its registry and files), read once
    per folder object for the same ``demo`` and ``until_year``. Treat the result as
    read-only: every caller shares it."""
    return folder.loaded(
        (measurements_in, demo, until_year),
        lambda: load_measurements(folder.registry, folder.root, demo=demo, until_year=until_year),
    )


def load_measurements(
    registry: Registry,
    data_dir: str | Path,
    extra: Iterable[str | Path] = (),
    *,
    demo: bool = False,
    until_year: int | None = None,
) -> LoadResult:
    """Read, validate and resolve every measurement a run uses.

    Parameters
    ----------
    registry : Registry
    data_dir : path
        The programme folder (with its measurements and demo folders); rows, findings and tables
        name its files relative to it (``measurements/bijlage3.csv``).
    extra : paths
        Partner deliveries added to the bundled data; newer than every file
        in the folder, later ones win; named as given.
    demo : bool
        Include the synthetic demo series (``data/demo/``).
    until_year : int, optional
        Leave out measurements after this year (the evaluation year), with a
        warning per file naming the rows; ``LoadResult.future`` counts them.

    Returns
    -------
    LoadResult
        Never raises for bad input: errors are in ``findings``.

    Examples
    --------
    >>> from npdw_learning.kern.programme import ProgrammeFolder
    >>> folder = ProgrammeFolder.bundled()
    >>> result = load_measurements(folder.registry, folder.root)
    >>> result.synthetic
    False
    """
    deliveries, findings = plan_deliveries(data_dir, extra, demo=demo)
    files = [d.path for d in deliveries]
    frames = []
    for d in deliveries:
        rows, f = read_measurement_file(d.path, registry, order=d.order, name=d.name)
        frames.append(rows.assign(delivered=d.delivered, demo=d.origin == "demo"))
        findings += f
    table = pd.DataFrame(
        [
            {
                "file": d.name,
                "delivered": d.delivered,
                "supplier": d.supplier,
                "origin": d.origin,
                "order": d.order,
            }
            for d in deliveries
        ],
        columns=["file", "delivered", "supplier", "origin", "order"],
    )
    filled = [f for f in frames if not f.empty]
    raw = (
        pd.concat(filled, ignore_index=True)
        if filled
        else pd.DataFrame(
            columns=[*MEASUREMENT_COLUMNS, "file", "row", "order", "delivered", "demo"]
        )
    )
    years, future = span(raw["year"]), 0  # the years before leaving out the later ones
    if until_year is not None and not raw.empty:
        findings += _future_findings(raw, until_year)
        future = int((raw["year"] > until_year).sum())
        raw = raw[raw["year"] <= until_year].reset_index(drop=True)
    if raw.empty:
        empty = pd.DataFrame(columns=[*MEASUREMENT_COLUMNS, "file", "synthetic"])
        return LoadResult(empty, raw, findings, files, table, future=future, years=years)
    order = {d.name: i for i, d in enumerate(deliveries)}
    checks = check_shares(raw, registry) + check_identical_series(raw)
    findings += sorted(checks, key=lambda f: (order.get(f.file, -1), f.row or 0))
    measurements, resolve_findings, overrides = resolve(raw, registry)
    findings += resolve_findings
    return LoadResult(measurements, raw, findings, files, table, overrides, future, years)


def override_lines(result: LoadResult) -> list[str]:
    """Every override of a run, one line each with both files and both values (Dutch)."""

    def where(file: str, row: int, delivered: str) -> str:
        label = delivery_label(delivered)
        return f"{file} (rij {row}" + (f", {label})" if label else ")")

    return [
        f"  {o.indicator}, {o.area}, {o.year}: "
        f"{o.replaced_value:g} uit {where(o.replaced_file, o.replaced_row, o.replaced_delivered)}"
        f" -> {o.value:g} uit {where(o.file, o.row, o.delivered)}"
        for o in result.overrides.itertuples(index=False)
    ]
