"""Reading, validating and combining indicator measurements.

Partner deliveries come as CSV (comma or semicolon, decimal point or comma,
UTF-8 with or without BOM, or Latin-1) or XLSX, in the long format
``indicator, area, year, value`` with optional ``n, se, source, note``.

Reading never stops at the first problem: every finding is collected with
file, row and column (:class:`~npdw_learning.errors.Finding`), so the
knowledge coordinator can fix a delivery in one go. The CLI decides whether
errors stop the run.

The order of precedence for the same ``(indicator, area, year)``:

1. a later file beats an earlier one (synthetic demo series first, then the
   bundled files by name, then ``--measurements`` files in the order given);
   the run reports each replacement;
2. within one file, the source ranked first in ``data/registry/sources.yaml``
   wins; every disagreement between sources is reported as a warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .errors import Finding, InputError
from .paths import DEMO_DIR, MEASUREMENTS_DIR
from .registry import Registry
from .tables import is_blank, read_table

__all__ = [
    "MEASUREMENT_COLUMNS",
    "SYNTHETIC_MARK",
    "LoadResult",
    "read_measurement_file",
    "load_measurements",
    "is_synthetic",
]

MEASUREMENT_COLUMNS = ["indicator", "area", "year", "value", "n", "se", "source", "note"]
REQUIRED = ("indicator", "area", "year", "value")
SYNTHETIC_MARK = "synthetisch"
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
    """

    measurements: pd.DataFrame
    raw: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

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
    path: str | Path, registry: Registry, *, order: int = 0
) -> tuple[pd.DataFrame, list[Finding]]:
    """Read and validate one measurements file.

    Parameters
    ----------
    path : path
        A ``.csv`` or ``.xlsx`` file in the long format.
    registry : Registry
        Known indicators, areas and units.
    order : int
        Precedence of this file (a higher order wins for the same key).

    Returns
    -------
    rows : DataFrame
        The valid rows: ``MEASUREMENT_COLUMNS`` plus ``file, row, order``.
    findings : list of Finding
        Every problem found; rows with an error are left out of ``rows``.

    Examples
    --------
    >>> from npdw_learning.registry import load_registry
    >>> from npdw_learning.paths import MEASUREMENTS_DIR
    >>> rows, findings = read_measurement_file(MEASUREMENTS_DIR / "bijlage3.csv", load_registry())
    >>> [f for f in findings if f.severity == "error"]
    []
    """
    path = Path(path)
    name = str(path)
    empty = pd.DataFrame(columns=[*MEASUREMENT_COLUMNS, "file", "row", "order"])
    if not path.exists():
        return empty, [Finding("error", name, "bestand bestaat niet")]
    try:
        df, decimal = read_table(path)
    except InputError as exc:
        return empty, exc.findings

    findings: list[Finding] = []
    rename = {}
    for col in df.columns:
        if col == "__row":
            continue
        key = col.strip().lower().lstrip("\ufeff")
        key = ALIASES.get(key, key)
        if key in MEASUREMENT_COLUMNS:
            if key in rename.values():
                findings.append(
                    Finding("error", name, f"kolom '{key}' komt twee keer voor", row=1, column=col)
                )
            rename[col] = key
        else:
            findings.append(
                Finding(
                    "warning",
                    name,
                    f"onbekende kolom '{col}' wordt genegeerd; bekende kolommen: "
                    + ", ".join(MEASUREMENT_COLUMNS),
                    row=1,
                    column=col,
                )
            )
    df = df.rename(columns=rename)
    missing = [c for c in REQUIRED if c not in df.columns]
    for c in missing:
        findings.append(
            Finding(
                "error",
                name,
                f"verplichte kolom '{c}' ontbreekt (verplicht: {', '.join(REQUIRED)})",
                row=1,
                column=c,
            )
        )
    if missing or any(f.severity == "error" for f in findings):
        return empty, findings
    for c in MEASUREMENT_COLUMNS:
        if c not in df.columns:
            df[c] = None

    bad = set()  # data-frame index of rows with an error
    parsed = pd.DataFrame(index=df.index)
    parsed["row"] = df["__row"].astype(int)
    for c in ("indicator", "area"):
        parsed[c] = df[c].map(lambda v: "" if is_blank(v) else str(v).strip())
    for c in ("source", "note"):
        parsed[c] = df[c].map(lambda v: None if is_blank(v) else str(v).strip())
    for c in ("year", "value", "n", "se"):
        values = df[c].map(lambda v, d=decimal: _parse_number(v, d))
        parsed[c] = values.astype(float)
        required = c in REQUIRED
        for idx, raw, num in zip(df.index, df[c], values, strict=True):
            if num is not None and not np.isnan(num):
                continue
            if is_blank(raw) and not required:
                continue
            what = "leeg" if is_blank(raw) else f"'{raw}'"
            expect = "een jaartal (bijv. 2023)" if c == "year" else "een getal"
            if c in ("value", "n", "se") and decimal == ",":
                expect += " (decimaalteken komma of punt, geen %-teken of tekst)"
            elif c in ("value", "n", "se"):
                expect += " (geen %-teken of tekst)"
            findings.append(
                Finding(
                    "error",
                    name,
                    f"{c} is {what}; verwacht {expect}",
                    row=int(df.at[idx, "__row"]),
                    column=c,
                    indicator=parsed.at[idx, "indicator"] or None,
                    area=parsed.at[idx, "area"] or None,
                )
            )
            bad.add(idx)
        if c == "year":
            frac = parsed["year"].notna() & (parsed["year"] % 1 != 0)
            for idx in parsed.index[frac]:
                findings.append(
                    Finding(
                        "error",
                        name,
                        f"jaar {parsed.at[idx, 'year']} is geen geheel jaartal",
                        row=int(parsed.at[idx, "row"]),
                        column="year",
                    )
                )
                bad.add(idx)
    parsed["source"] = parsed["source"].fillna(path.stem)

    units = registry.units.set_index("id")
    unit_of = registry.unit_of()
    parsed["unit"] = parsed["indicator"].map(unit_of)
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
    good = parsed.drop(index=list(bad))

    dup = good.duplicated(["indicator", "area", "year", "source"], keep=False)
    if dup.any():
        first_rows = good[dup].groupby(["indicator", "area", "year", "source"])["row"].min()
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
        good = parsed.drop(index=list(bad))

    findings.sort(key=lambda f: (f.row or 0, f.column or ""))
    out = good[["indicator", "area", "year", "value", "n", "se", "source", "note", "row"]].copy()
    out["year"] = out["year"].astype(int)
    out["file"] = name
    out["order"] = order
    return out.reset_index(drop=True), findings


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


def resolve(raw: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, list[Finding]]:
    """One value per ``(indicator, area, year)``; report replacements and disagreements."""
    findings: list[Finding] = []
    key = ["indicator", "area", "year"]
    df = raw.copy()
    df["prio"] = _source_rank(df["source"], registry.source_priority)
    df["synth"] = is_synthetic(df["source"])
    df = df.sort_values(
        [*key, "order", "prio", "source"], ascending=[True, True, True, False, True, True]
    )

    # 1. a later file wins; say so (synthetic values replaced by real ones are summarised)
    latest = df.groupby(key)["order"].transform("max")
    replaced = df[df["order"] < latest]
    winners = df[df["order"] == latest]
    n_demo_replaced = 0
    if not replaced.empty:
        win_first = winners.drop_duplicates(key).set_index(key)
        for r in replaced.itertuples(index=False):
            w = win_first.loc[(r.indicator, r.area, r.year)]
            if r.synth and not w["synth"]:
                n_demo_replaced += 1
                continue
            findings.append(
                Finding(
                    "warning",
                    w["file"],
                    f"vervangt de waarde {r.value:g} uit {r.file} (rij {r.row}) "
                    f"door {w['value']:g}",
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
                f"{n_demo_replaced} synthetische waarden zijn vervangen door echte cijfers "
                "voor hetzelfde jaar",
            )
        )

    # 2. within the winning file, the preferred source; report disagreements
    for k, g in winners.groupby(key, sort=True):
        if len(g) < 2 or g["value"].nunique() < 2:
            continue
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
    resolved = winners.drop_duplicates(key, keep="first")
    cols = [*MEASUREMENT_COLUMNS, "file"]
    resolved = resolved[cols].assign(synthetic=resolved["synth"].to_numpy())
    resolved = pd.concat([resolved, aggregate(resolved, registry)], ignore_index=True)
    return resolved.sort_values(key).reset_index(drop=True), findings


def aggregate(df: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The Dordt West aggregate where it was not measured itself.

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
    measured = set(
        map(tuple, df.loc[df["area"] == registry.aggregate_id, ["indicator", "year"]].to_numpy())
    )
    rows = []
    for (ind, year), g in part.groupby(["indicator", "year"], sort=True):
        if len(g) < len(members) or (ind, year) in measured:
            continue
        if g["kind"].iloc[0] == "count":
            value = g["value"].sum()
            se = np.sqrt((g["se"] ** 2).sum()) if g["se"].notna().all() else np.nan
        else:
            wn = g["w"] / g["w"].sum()
            value = float((wn * g["value"]).sum())
            se = float(np.sqrt((wn**2 * g["se"] ** 2).sum())) if g["se"].notna().all() else np.nan
        rows.append(
            {
                "indicator": ind,
                "area": registry.aggregate_id,
                "year": int(year),
                "value": float(value),
                "n": g["n"].sum() if g["n"].notna().all() else np.nan,
                "se": se,
                "source": "berekend: gewogen over de vier wijken",
                "note": None,
                "file": "(berekend)",
                "synthetic": bool(g["synthetic"].any()),
            }
        )
    return pd.DataFrame(rows, columns=[*MEASUREMENT_COLUMNS, "file", "synthetic"])


# -- the one entry point the CLI and notebooks use --------------------------------


def measurement_files(
    data_dir: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    *,
    demo: bool = False,
    demo_dir: str | Path | None = None,
) -> list[Path]:
    """The files a run reads, in precedence order (later wins)."""
    data_dir = Path(data_dir) if data_dir is not None else MEASUREMENTS_DIR.parent
    files: list[Path] = []
    if demo:
        ddir = Path(demo_dir) if demo_dir is not None else data_dir / DEMO_DIR.name
        files += sorted(p for p in ddir.glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    mdir = data_dir / MEASUREMENTS_DIR.name
    files += sorted(p for p in mdir.glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    files += [Path(p) for p in extra]
    return files


def load_measurements(
    registry: Registry,
    data_dir: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    *,
    demo: bool = False,
    until_year: int | None = None,
) -> LoadResult:
    """Read, validate and resolve every measurement a run uses.

    Parameters
    ----------
    registry : Registry
    data_dir : path, optional
        The data folder (with ``measurements/`` and ``demo/``).
    extra : paths
        Partner deliveries added to the bundled data; later files win.
    demo : bool
        Include the synthetic demo series (``data/demo/``).
    until_year : int, optional
        Leave out measurements after this year (the evaluation year).

    Returns
    -------
    LoadResult
        Never raises for bad input: errors are in ``findings``.

    Examples
    --------
    >>> from npdw_learning.registry import load_registry
    >>> result = load_measurements(load_registry())
    >>> result.synthetic
    False
    """
    files = measurement_files(data_dir, extra, demo=demo)
    frames, findings = [], []
    for order, path in enumerate(files):
        rows, f = read_measurement_file(path, registry, order=order)
        frames.append(rows)
        findings += f
    filled = [f for f in frames if not f.empty]
    raw = (
        pd.concat(filled, ignore_index=True)
        if filled
        else pd.DataFrame(columns=[*MEASUREMENT_COLUMNS, "file", "row", "order"])
    )
    if until_year is not None and not raw.empty:
        raw = raw[raw["year"] <= until_year].reset_index(drop=True)
    if raw.empty:
        empty = pd.DataFrame(columns=[*MEASUREMENT_COLUMNS, "file", "synthetic"])
        return LoadResult(empty, raw, findings, files)
    order = {str(p): i for i, p in enumerate(files)}
    checks = check_shares(raw, registry) + check_identical_series(raw)
    findings += sorted(checks, key=lambda f: (order.get(f.file, -1), f.row or 0))
    measurements, resolve_findings = resolve(raw, registry)
    findings += resolve_findings
    return LoadResult(measurements, raw, findings, files)
