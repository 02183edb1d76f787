"""The national file: one figure per region x indicator x year for the whole country.

A long table with the columns of :data:`NATIONAL_COLUMNS`::

    region_code, region_name, municipality_code, level, indicator, year, value

``region_code`` is the CBS code (``GM0505``, ``WK050505``, ``BU05050501``;
Amsterdam's codes end in letters: ``WK0363AD``), upper case without padding;
``level`` is ``gemeente``, ``wijk`` or ``buurt`` and agrees with the code's
prefix; ``municipality_code`` is the ``GM`` code the region lies in;
``indicator`` is a registry indicator id (those mapped in the CBS mapping) or
one of the matching :data:`COVARIATES`; ``value`` a finite number. A missing
figure is an absent row (an empty cell or NaN is dropped on reading).

``npdw fetch cbs --national`` writes one (Parquet by default); a partner may
bring one from another source as CSV (``;`` or ``,``, UTF-8) or Parquet,
chosen by the extension (``data/README.md``, "Het landelijke bestand").
:func:`read_national` checks every row and raises one
:class:`~npdw_learning.kern.errors.InputError` naming file, row and column of
every problem; :func:`write_national` writes atomically, a CSV formula-safe
(a region name starting with ``=`` stays text in a spreadsheet).

The programme's own areas are found in the same file (:func:`programme_units`),
so both sides of a comparison share one source and one definition;
:func:`comparison_pool` gives the regions a programme may be compared with;
the NPLV focus areas (the other programme areas of the Nationaal Programma
Leefbaarheid en Veiligheid) are in :mod:`.nplv`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..kern.atomic import formula_safe, unformula_text, write_atomic
from ..kern.errors import Finding, InputError
from ..kern.inputfile import read_input_bytes
from ..kern.registry import Registry
from ..kern.tables import NotText, decode, sniff_delimiter
from ..kern.yamlfile import ID_PATTERN
from .cbs import CbsArea, CbsMapping, RecordedTable, area_row
from .measurements import aggregate

__all__ = [
    "NATIONAL_COLUMNS",
    "NATIONAL_LEVELS",
    "COVARIATES",
    "SUFFIXES",
    "UNIT_COLUMNS",
    "read_national",
    "check_national",
    "write_national",
    "programme_units",
    "comparison_pool",
    "inside",
]

NATIONAL_COLUMNS = [
    "region_code",
    "region_name",
    "municipality_code",
    "level",
    "indicator",
    "year",
    "value",
]
UNIT_COLUMNS = ["area", "indicator", "year", "value"]
NATIONAL_LEVELS = ("gemeente", "wijk", "buurt")
# The matching covariates: CBS "Aantal inwoners" and "Mate van stedelijkheid"
# (1 = zeer sterk stedelijk .. 5 = niet stedelijk).
COVARIATES = ("inwoners", "stedelijkheid")
SUFFIXES = (".csv", ".parquet")
LEVEL_OF_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
# GM + 4 digits; WK + municipality + 2, BU + municipality + 4 (digits, or letters as in
# Amsterdam's WK0363AD and BU0363AD03).
REGION_CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")
# Findings of one kind listed before the rest is counted (a million bad rows stay readable).
SHOWN = 50
_TEXT = ["region_code", "region_name", "municipality_code", "level", "indicator"]


# -- reading -----------------------------------------------------------------------------


def _raw_csv(path: Path, data: bytes) -> tuple[pd.DataFrame, int]:
    """The cells of a CSV as text (``(frame, first data row)``): header row 1, data from 2."""
    try:
        text = decode(data)
    except NotText as exc:
        raise _refused(path, f"geen tekstbestand: {exc}") from None
    sep = sniff_delimiter(text.lstrip("\n"))
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "leeg bestand"
        raise _refused(path, f"geen leesbare CSV ({detail})") from None
    frame.columns = [str(c).strip().lstrip("\ufeff").strip().lower() for c in frame.columns]
    for column in frame.columns:  # the guard a CSV writer put in front of a formula
        guarded = frame[column].str.startswith("'")
        if guarded.any():
            frame.loc[guarded, column] = frame.loc[guarded, column].map(unformula_text)
    if sep == ";" and "value" in frame.columns:  # Dutch Excel: a decimal comma
        frame["value"] = frame["value"].str.replace(",", ".", regex=False)
    return frame, 2


def _raw_parquet(path: Path, data: bytes) -> tuple[pd.DataFrame, int]:
    """The table of a Parquet file (read from the bytes :func:`read_input_bytes` gave)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(pa.BufferReader(data)).to_pandas()
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        raise _refused(path, f"geen leesbaar Parquet-bestand ({exc})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame, 1


def _refused(path: Path, message: str, column: str | None = None) -> InputError:
    return InputError(f"{path}: {message}", [Finding("error", str(path), message, column=column)])


def _findings(path: Path, bad: pd.Series, rows: pd.Series, column: str, message) -> list[Finding]:
    """One error per bad row (the first :data:`SHOWN`), then one that counts the rest."""
    hits = bad[bad].index
    out = [
        Finding("error", str(path), message(i), row=int(rows[i]), column=column)
        for i in hits[:SHOWN]
    ]
    if len(hits) > SHOWN:
        rest = len(hits) - SHOWN
        out.append(
            Finding("error", str(path), f"en nog {rest} rij(en) met deze fout", column=column)
        )
    return out


def _texts(raw: pd.DataFrame) -> pd.DataFrame:
    """The text columns as stripped text (None and NaN as ``""``)."""
    out = pd.DataFrame(index=raw.index)
    for column in _TEXT:
        cells = raw[column]
        out[column] = cells.where(cells.notna(), "").astype(str).str.strip()
    out["region_code"] = out["region_code"].str.upper()
    out["municipality_code"] = out["municipality_code"].str.upper()
    out["level"] = out["level"].str.lower()
    return out


def _years(raw: pd.Series) -> pd.Series:
    """The years as numbers (NaN where a cell is not a whole number)."""
    if pd.api.types.is_integer_dtype(raw):
        return raw.astype("float64")
    numbers = pd.to_numeric(raw.where(raw.notna(), "").astype(str).str.strip(), errors="coerce")
    return numbers.where(numbers.notna() & (numbers == np.floor(numbers)))


def _values(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(values, empty)``: numbers (NaN where not one), and where the cell is empty."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64")
        return values, values.isna()
    text = raw.where(raw.notna(), "").astype(str).str.strip()
    empty = text.str.lower().isin(("", "nan", "none"))
    numbers = pd.to_numeric(text.where(~empty, ""), errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers)), empty


def _check_codes(path: Path, t: pd.DataFrame, rows: pd.Series) -> list[Finding]:
    out = []
    code, mun, level = t["region_code"], t["municipality_code"], t["level"]
    bad_code = ~code.str.match(REGION_CODE)
    out += _findings(
        path,
        bad_code,
        rows,
        "region_code",
        lambda i: f"{_show(code[i])} is geen CBS-code als GM0505, WK050505 of BU05050501",
    )
    bad_level = ~level.isin(NATIONAL_LEVELS)
    out += _findings(
        path,
        bad_level,
        rows,
        "level",
        lambda i: f"niveau {_show(level[i])}; verwacht {', '.join(NATIONAL_LEVELS)}",
    )
    prefix_level = code.str[:2].map(LEVEL_OF_PREFIX)
    wrong = ~bad_code & ~bad_level & (prefix_level != level)
    out += _findings(
        path,
        wrong,
        rows,
        "level",
        lambda i: f"{code[i]} is een {prefix_level[i]}, niveau zegt {level[i]}",
    )
    bad_mun = ~mun.str.match(MUNICIPALITY_CODE)
    out += _findings(
        path, bad_mun, rows, "municipality_code", lambda i: f"{_show(mun[i])}: verwacht GM0505"
    )
    outside = ~bad_code & ~bad_mun & (code.str[2:6] != mun.str[2:6])
    out += _findings(
        path,
        outside,
        rows,
        "municipality_code",
        lambda i: f"{code[i]} ligt niet in gemeente {mun[i]}",
    )
    return out


def _show(value: object) -> str:
    """A cell in a message: quoted, cut short, control characters made visible."""
    text = str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return repr(text) if text else "(leeg)"


def _check_rows(
    path: Path, t: pd.DataFrame, years: pd.Series, values: pd.Series, empty: pd.Series, rows
) -> list[Finding]:
    out = _check_codes(path, t, rows)
    ind = t["indicator"]
    good = {i for i in ind.unique() if ID_PATTERN.match(i)}
    out += _findings(
        path,
        ~ind.isin(good),
        rows,
        "indicator",
        lambda i: f"indicator {_show(ind[i])} is geen id als woz-waarde",
    )
    bad_year = years.isna() | (years < 1990) | (years > 2100)
    out += _findings(
        path,
        bad_year,
        rows,
        "year",
        lambda i: "jaar moet een heel getal tussen 1990 en 2100 zijn",
    )
    out += _findings(
        path,
        values.isna() & ~empty,
        rows,
        "value",
        lambda i: "waarde is geen (eindig) getal",
    )
    return out


def _duplicates(path: Path, t: pd.DataFrame, years: pd.Series, rows: pd.Series) -> list[Finding]:
    key = pd.DataFrame({"c": t["region_code"], "i": t["indicator"], "y": years})
    twice = key.duplicated(keep=False) & years.notna()
    if not twice.any():
        return []
    first = rows.groupby([key["c"], key["i"], key["y"]]).transform("min")
    later = twice & (rows != first)
    return _findings(
        path,
        later,
        rows,
        "year",
        lambda i: (
            f"{t['region_code'][i]} x {t['indicator'][i]} x {int(years[i])} staat twee keer "
            f"in het bestand (ook op rij {int(first[i])})"
        ),
    )


def read_national(path: str | Path) -> pd.DataFrame:
    """Read and check a national file (``.csv`` or ``.parquet``).

    The file is read through :mod:`npdw_learning.kern.inputfile` (a regular
    file, at most ``LIMITS["national"]`` bytes); a Parquet file from those
    bytes too. Columns beyond :data:`NATIONAL_COLUMNS` are ignored; header
    names count without case and padding. In a CSV file the header is row 1
    and the first figure row 2; in a Parquet file the first row is row 1.

    Returns
    -------
    DataFrame
        :data:`NATIONAL_COLUMNS`, text columns as ``str``, ``year`` int64,
        ``value`` float64; empty values dropped; sorted by level, code,
        indicator and year.

    Raises
    ------
    InputError
        Every problem at once, each naming file, row and column: a missing
        column, a bad code, an unknown level, a level that does not fit the
        code, a region outside its municipality, a year that is not a whole
        number, a value that is not a number, a region x indicator x year
        given twice.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _refused(path, f"onbekend bestandstype '{suffix}'; verwacht .csv of .parquet")
    data = read_input_bytes(path, kind="national", what="landelijk bestand")
    reader = _raw_parquet if suffix == ".parquet" else _raw_csv
    raw, first_row = reader(path, data)
    return _checked(raw, first_row, path)


def check_national(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A national frame made elsewhere (a fetch), checked with :func:`read_national`'s rules;
    findings name ``name`` and the frame's row (the first is row 1)."""
    return _checked(frame, 1, Path(name))


def _checked(raw: pd.DataFrame, first_row: int, path: Path) -> pd.DataFrame:
    """The rules of :func:`read_national` on the cells of one table."""
    missing = [c for c in NATIONAL_COLUMNS if c not in raw.columns]
    if missing:
        expected = ", ".join(NATIONAL_COLUMNS)
        message = f"kolom(men) {', '.join(missing)} ontbreken; verwacht {expected}"
        raise _refused(path, message, column=missing[0])
    raw = raw.reset_index(drop=True)
    rows = pd.Series(np.arange(len(raw)) + first_row, index=raw.index)
    t = _texts(raw)
    years = _years(raw["year"])
    values, empty = _values(raw["value"])
    findings = _check_rows(path, t, years, values, empty, rows)
    findings += _duplicates(path, t, years, rows)
    if findings:
        raise InputError(
            f"{path}: het landelijke bestand klopt niet ({len(findings)} fout(en)); "
            "er is niets gebruikt",
            findings,
        )
    out = t.assign(year=years.astype("int64"), value=values)[NATIONAL_COLUMNS]
    out = out[out["value"].notna()]
    out = out.sort_values(["level", "region_code", "indicator", "year"], kind="stable")
    return out.reset_index(drop=True)


# -- writing -----------------------------------------------------------------------------


def write_national(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a national frame atomically: Parquet or CSV (formula-safe), by the extension.

    The CSV keeps every digit (no rounding) and a region name that starts a
    formula (``=``, ``+``, ``-``, ``@``) gets the apostrophe every CSV of the
    toolkit gets; :func:`read_national` removes it again.

    Raises
    ------
    InputError
        An extension other than ``.csv`` or ``.parquet``.
    ValueError
        A frame without the columns of :data:`NATIONAL_COLUMNS` (a programming error).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _refused(path, f"onbekend bestandstype '{suffix}'; verwacht .csv of .parquet")
    missing = [c for c in NATIONAL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"national frame without columns {missing}")
    out = frame[NATIONAL_COLUMNS].astype(
        {c: str for c in _TEXT} | {"year": "int64", "value": "float64"}
    )
    out = out.reset_index(drop=True)
    if suffix == ".parquet":
        return write_atomic(path, lambda tmp: out.to_parquet(tmp, index=False))
    safe = formula_safe(out)
    return write_atomic(path, lambda tmp: safe.to_csv(tmp, index=False, lineterminator="\n"))


# -- the programme's own areas -----------------------------------------------------------

# The region columns of a national file as a recorded CBS table has them, so that
# ``cbs.area_row`` (the one matching rule: by code, else by name and level within the
# municipality) finds the programme's areas in a national file too.
_PROPERTIES = [
    {"Type": "GeoDetail", "Key": "WijkenEnBuurten", "Title": "Wijken en buurten"},
    {"Type": "Topic", "Key": "Gemeentenaam_1", "Title": "Gemeentenaam", "ID": 1},
    {"Type": "Topic", "Key": "SoortRegio_2", "Title": "Soort regio", "ID": 2},
    {"Type": "Topic", "Key": "Codering_3", "Title": "Codering", "ID": 3},
]


def _as_table(national: pd.DataFrame, mapping: CbsMapping, file: str) -> RecordedTable:
    """The national file's regions of the programme's municipality as a recorded table."""
    regions = national.sort_values("year").drop_duplicates("region_code", keep="last")
    names = regions[regions["level"] == "gemeente"].set_index("region_code")["region_name"]
    municipality = regions["municipality_code"].map(names).astype(object).fillna("")
    digits = mapping.municipality_code[2:] if mapping.municipality_code else None
    codes = {a.code for a in mapping.areas if a.code}
    keep = (
        regions["region_code"].isin(codes)
        | (municipality.map(lambda m: m.casefold()) == mapping.municipality.casefold())
        | (regions["municipality_code"].str[2:] == digits)
    )
    data = [
        {
            "WijkenEnBuurten": r.region_name,
            "Gemeentenaam_1": municipality[i],
            "SoortRegio_2": r.level.capitalize(),
            "Codering_3": r.region_code,
        }
        for i, r in regions[keep].iterrows()
    ]
    return RecordedTable(file, _PROPERTIES, data, file)


def _unit_codes(
    national: pd.DataFrame, mapping: CbsMapping, areas: Iterable[CbsArea], file: str
) -> dict[str, str]:
    """area id -> region code in the national file; every area not found in one error."""
    table = _as_table(national, mapping, file)
    codes, findings = {}, []
    for area in areas:
        try:
            row = area_row(
                table,
                area,
                mapping.municipality,
                year=None,
                municipality_code=mapping.municipality_code,
                where=f"landelijk bestand {file}",
            )
        except InputError as exc:
            findings.append(Finding("error", file, str(exc)))
            continue
        codes[area.id] = row["Codering_3"]
    if findings:
        raise InputError(
            f"{file}: {len(findings)} gebied(en) van het programma niet gevonden", findings
        )
    return codes


def _covariates(members: pd.DataFrame, n_members: int, aggregate_id: str) -> pd.DataFrame:
    """The aggregate's covariates: the sum of inwoners, the inwoners-weighted mean of
    stedelijkheid; only in years where every member has both (never three of four)."""
    wide = members[members["indicator"].isin(COVARIATES)].pivot_table(
        index=["year", "area"], columns="indicator", values="value", aggfunc="first"
    )
    wide = wide.reindex(columns=list(COVARIATES)).dropna()
    full = wide.groupby(level="year").size()
    wide = wide[wide.index.get_level_values("year").isin(full[full == n_members].index)]
    if wide.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    by_year = wide.groupby(level="year")
    inwoners = by_year["inwoners"].sum()
    weighted = (wide["stedelijkheid"] * wide["inwoners"]).groupby(level="year").sum()
    stedelijkheid = weighted / inwoners.where(inwoners > 0)
    out = pd.concat(
        [
            pd.DataFrame({"indicator": "inwoners", "year": inwoners.index, "value": inwoners}),
            pd.DataFrame(
                {"indicator": "stedelijkheid", "year": stedelijkheid.index, "value": stedelijkheid}
            ),
        ]
    ).dropna(subset=["value"])
    return out.assign(area=aggregate_id)[UNIT_COLUMNS]


def programme_units(
    national: pd.DataFrame, mapping: CbsMapping, registry: Registry, *, file: str = "(landelijk)"
) -> pd.DataFrame:
    """The programme's units in the national file: each member wijk and the aggregate.

    Each member of the registry's aggregate is found by the CBS code the
    mapping (``cbs.yaml``) gives it, else by name and level within the
    municipality, with the rules of :func:`.cbs.area_row` (the same as
    ``npdw fetch cbs``). The aggregate (``dordt-west``) is made by
    :func:`.measurements.aggregate`, as for every other reading (registry
    weights; a year only when every member has a value); unless the
    mapping gives the aggregate a code of its own, then that region is
    used. Its covariates: ``inwoners`` is the members' sum,
    ``stedelijkheid`` the inwoners-weighted mean of the members' codes (a
    number between 1 and 5, not rounded).

    Returns
    -------
    DataFrame
        ``area, indicator, year, value`` for the registry's indicators and the
        :data:`COVARIATES`, sorted.

    Raises
    ------
    InputError
        An area the file does not have, naming its code or name and listing
        code and name of every region of the municipality at that level.
    """
    by_id = {a.id: a for a in mapping.areas}
    members = list(registry.aggregate_weights)
    wanted = [by_id[a] for a in [*members, registry.aggregate_id] if a in by_id]
    absent = [a for a in members if a not in by_id]
    if absent:
        raise InputError(
            f"{mapping.path}: de wijken {', '.join(absent)} van {registry.aggregate_id} staan "
            "niet in het CBS-koppelbestand; zonder hen is er geen vergelijking"
        )
    codes = _unit_codes(national, mapping, wanted, file)
    keep = national["indicator"].isin(set(registry.indicator_ids) | set(COVARIATES))
    rows = national[keep & national["region_code"].isin(set(codes.values()))]
    area_of = {code: area for area, code in codes.items()}
    units = rows.assign(area=rows["region_code"].map(area_of))[UNIT_COLUMNS]
    if registry.aggregate_id not in codes:
        part = units[units["area"].isin(members)]
        measured = part[~part["indicator"].isin(COVARIATES)].assign(
            n=np.nan, se=np.nan, synthetic=False
        )
        made = aggregate(measured, registry)[UNIT_COLUMNS]
        covariates = _covariates(part, len(members), registry.aggregate_id)
        units = pd.concat([units, made, covariates], ignore_index=True)
    units = units.astype({"year": "int64", "value": "float64"})
    return units.sort_values(["area", "indicator", "year"]).reset_index(drop=True)


# -- the comparison pool -----------------------------------------------------------------


def inside(codes: pd.Series, excluded: Collection[str]) -> pd.Series:
    """Whether each region code lies in, or contains, one of ``excluded``.

    A code stands for everything below it: ``GM0505`` for every wijk and
    buurt of Dordrecht, ``WK050505`` for its buurten ``BU050505xx``; a shorter
    code such as ``WK0363T`` for every wijk of Amsterdam whose code starts
    with it (a stadsdeel). A region that *contains* an excluded one (the wijk
    around an excluded buurt, its municipality) counts as inside too: it is
    partly a programme area.

    Examples
    --------
    >>> inside(pd.Series(["BU05050501", "WK050506", "GM0505", "WK036301"]),
    ...        ["WK050505"]).tolist()
    [True, False, True, False]
    """
    tails = sorted({c.strip().upper()[2:] for c in excluded if len(c.strip()) > 2})
    if not tails:
        return pd.Series(False, index=codes.index)
    # Decided once per distinct code (a national frame repeats each code on every row).
    index, unique = pd.factorize(codes, use_na_sentinel=False)
    prefixes = {e[:i] for e in tails for i in range(1, len(e) + 1)}
    starts = tuple(tails)
    flags = np.array(
        [
            bool(t) and (t.startswith(starts) or t in prefixes)
            for t in (str(c).upper()[2:] for c in unique)
        ],
        dtype=bool,
    )
    return pd.Series(flags[index], index=codes.index)


def comparison_pool(
    national: pd.DataFrame,
    *,
    level: str,
    exclude_codes: Collection[str],
    municipality_code: str | None,
    exclude_municipality: bool = True,
) -> pd.DataFrame:
    """The regions a programme is compared with: one level, without programme areas.

    Left out: every region in or around ``exclude_codes`` (the NPLV focus
    areas, :meth:`.nplv.NplvList.codes`, and the programme's own areas; see
    :func:`inside`) and, with ``exclude_municipality`` (the default), every
    region of the programme's own municipality, where the programme's
    effects may spill over.

    Returns
    -------
    DataFrame
        The rows of the national frame for those regions (COVARIATES included).

    Raises
    ------
    ValueError
        ``level`` is not one of :data:`NATIONAL_LEVELS` (a programming error).
    """
    if level not in NATIONAL_LEVELS:
        raise ValueError(f"level {level!r}: expected one of {NATIONAL_LEVELS}")
    rows = national[national["level"] == level]
    excluded = set(exclude_codes)
    if exclude_municipality and municipality_code:
        excluded.add(municipality_code)
    drop = inside(rows["region_code"], excluded)
    if exclude_municipality and municipality_code:
        drop |= rows["municipality_code"] == municipality_code
    return rows[~drop].reset_index(drop=True)
