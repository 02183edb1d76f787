"""History from CBS open data: *Kerncijfers wijken en buurten* in the long measurement format.

CBS publishes one *Kerncijfers wijken en buurten* table per year. The mapping
file ``data/registry/cbs.yaml`` names, per indicator, the column by its
**Title**; the column *key* (``GemiddeldeWOZWaardeVanWoningen_35``) carries a
numbered suffix that changes from year to year, so it is resolved from the
table's ``DataProperties`` each time (:func:`resolve_topic`). The region
column is found by its key ``WijkenEnBuurten`` or its type (``GeoDetail`` in
the real 2024 table, ``GeoDimension`` elsewhere; :func:`region_key`). Rows are
chosen by CBS code when the mapping gives one (``code: WK050505``, compared
with ``Codering`` without its padding), otherwise by name (:func:`area_row`):
the municipality by its name, a neighbourhood by its name within that
municipality at the level the mapping gives (``Wijk`` or ``Buurt``). Any
unit conversion is in the mapping too (a factor, a column to multiply by, a
column to divide by).

A table is read from a *recorded response*: ``{"DataProperties": [...],
"data": [...]}`` in exactly the shapes ``cbsodata.get_meta(table_id,
"DataProperties")`` and ``cbsodata.get_data(table_id)`` return. A real fetch
(:func:`fetch_table`) asks CBS only for the rows of one municipality and
writes that same file into a cache folder, so a cached fetch can be replayed
with ``npdw fetch cbs --offline``. Nothing here touches the network except
:func:`fetch_table`.

Every title, unit or area that is not found is collected and raised at once
as one :class:`CbsError` naming table, year and title; the caller writes
nothing then.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..kern.atomic import write_text
from ..kern.errors import Finding, InputError
from ..kern.inputfile import read_input_text
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.yamlfile import YamlChecker, literal
from .measurements import MEASUREMENT_COLUMNS

__all__ = [
    "CBS_MAPPING_FILE",
    "CbsError",
    "RecordedMissing",
    "CbsArea",
    "CbsIndicator",
    "CbsMapping",
    "RecordedTable",
    "load_cbs_mapping",
    "resolve_topic",
    "region_key",
    "municipality_filter",
    "area_row",
    "name_warning",
    "read_recorded",
    "fetch_table",
    "build_measurements",
    "FETCH_LEVELS",
    "national_filter",
    "fetch_national_table",
    "build_national",
]

CBS_MAPPING_FILE = Path(ProgrammeFolder.cbs_mapping_file).name
LEVELS = ("Gemeente", "Wijk", "Buurt")
# The level a CBS region code stands for, by its prefix (GM0505, WK050505, BU05050501).
LEVEL_OF_PREFIX = {"GM": "Gemeente", "WK": "Wijk", "BU": "Buurt"}
_TABLE_ID = re.compile(r"^\d{5}[A-Z]{3}$")
_AREA_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
# CBS names wijken "Wijk 07 Krispijn"; the mapping gives the name without the number.
_WIJK_PREFIX = re.compile(r"^wijk\s+\d+\s*-?\s*", re.IGNORECASE)
# The region column: its key in every Kerncijfers table, or its type. The real
# 85984NED (2024) has "Type": "GeoDetail"; other CBS tables use "GeoDimension".
REGION_KEY = "WijkenEnBuurten"
REGION_TYPES = ("GeoDimension", "GeoDetail")
# The region description columns of every Kerncijfers table, found by Title like any other.
MUNICIPALITY_TITLE = "Gemeentenaam"
LEVEL_TITLE = "Soort regio"
CODE_TITLE = "Codering"
NO_NETWORK = (
    "npdw fetch cbs heeft internet nodig: {what}. Zonder internet: gebruik "
    "--offline MAP met opgenomen antwoorden (<tabel>.json)."
)


class CbsError(InputError):
    """A CBS table does not have what the mapping asks for, or cannot be read or fetched."""


class RecordedMissing(CbsError):
    """``--offline``: there is no recorded answer for a table (the caller may skip its year)."""


@dataclass(frozen=True)
class CbsArea:
    """One area of the registry and how CBS knows it: by code, or by name and level.

    With ``code`` (``WK050505``) the row is the one whose ``Codering`` is that
    code, and ``name`` is optional (a different name at CBS is a warning);
    without it, ``name`` is matched at ``level`` within the municipality.
    """

    id: str
    name: str | None
    level: str  # Gemeente, Wijk or Buurt
    code: str | None = None

    def label(self) -> str:
        """``'wielwijk' (WK050505)`` or ``'wielwijk'``: how a message names the area."""
        return f"'{self.id}' ({self.code})" if self.code else f"'{self.id}'"


@dataclass(frozen=True)
class CbsIndicator:
    """One indicator: the column by Title, its expected unit and any conversion.

    ``value = column * factor [* times] [/ per]``; ``times`` and ``per`` are
    column Titles too. ``titles`` overrides ``title`` for single years (CBS
    renames a column now and then), ``first_year``/``last_year`` limit the
    years the column is expected in.
    """

    id: str
    title: str
    unit: str | None = None
    factor: float = 1.0
    times: str | None = None
    per: str | None = None
    titles: Mapping[int, str] = field(default_factory=dict)
    first_year: int | None = None
    last_year: int | None = None

    def title_in(self, year: int) -> str:
        return self.titles.get(year, self.title)

    def covers(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


@dataclass(frozen=True)
class CbsMapping:
    """The contents of ``data/registry/cbs.yaml``."""

    path: Path
    label: str
    municipality: str
    municipality_code: str | None
    tables: Mapping[int, str]
    areas: tuple[CbsArea, ...]
    indicators: tuple[CbsIndicator, ...]
    # A national file (``npdw fetch cbs --national``) that ``npdw evaluate`` compares with
    # when no --national is given; relative to the programme folder.
    national_file: str | None = None

    def years(self, first: int | None = None, last: int | None = None) -> list[int]:
        """The table years within ``first``..``last`` (both optional)."""
        return [
            y
            for y in sorted(self.tables)
            if (first is None or y >= first) and (last is None or y <= last)
        ]


@dataclass(frozen=True)
class RecordedTable:
    """One table as ``cbsodata`` returns it: its DataProperties and its data rows."""

    table_id: str
    properties: list[dict[str, Any]]
    data: list[dict[str, Any]]
    file: str = ""


# -- the mapping file ------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    return float(value) if isinstance(value, int | float) else None


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _read_tables(data: dict, chk: YamlChecker) -> dict[int, str]:
    tables = data.get("tables")
    if not isinstance(tables, dict) or not tables:
        chk.add(("tables",), "tables", "verwacht 'tables:' met jaar: tabel-id")
        return {}
    out = {}
    for key, table_id in tables.items():
        year = _year(key)
        if year is None or not 1990 <= year <= 2100:
            chk.add(("tables", key), "tables", f"{literal(key)} is geen jaar", at="key")
        elif not isinstance(table_id, str) or not _TABLE_ID.match(table_id.strip()):
            message = f"jaar {year}: {literal(table_id)} is geen tabel-id als 84583NED"
            chk.add(("tables", key), "tables", message)
        else:
            out[year] = table_id.strip()
    return out


def _area_code(value: object) -> str | None:
    """A CBS region code as the mapping may give it: ``WK050505`` (any case, no padding)."""
    code = value.strip().upper() if isinstance(value, str) else ""
    return code if _AREA_CODE.match(code) else None


def _read_area(area_id: str, spec: object, municipality_code: str | None, refuse) -> CbsArea | None:
    """One entry of ``areas:``: ``{code}``, ``{name, level}`` or all three."""
    spec = spec if isinstance(spec, dict) else {}
    raw_code, cbs_name, level = spec.get("code"), spec.get("name"), spec.get("level")
    code = _area_code(raw_code)
    if raw_code is not None and code is None:
        return refuse(
            f"{area_id}: code {literal(raw_code)}: verwacht een CBS-code als WK050505 "
            "(GM + 4 cijfers, WK + 6 of BU + 8)",
            "code",
        )
    if cbs_name is not None and (not isinstance(cbs_name, str) or not cbs_name.strip()):
        return refuse(f"{area_id}: 'name' moet een naam zijn", "name")
    if code is None and cbs_name is None:
        return refuse(f"{area_id}: 'code' of 'name' ontbreekt", "name")
    if level is None and code is not None:
        level = LEVEL_OF_PREFIX[code[:2]]
    if level not in LEVELS:
        return refuse(
            f"{area_id}: niveau {literal(level)}; verwacht een van {', '.join(LEVELS)}", "level"
        )
    if code is not None and LEVEL_OF_PREFIX[code[:2]] != level:
        return refuse(
            f"{area_id}: code {code} is een {LEVEL_OF_PREFIX[code[:2]].lower()}, "
            f"niveau zegt {level}",
            "level",
        )
    if code is not None and municipality_code and code[2:6] != municipality_code[2:]:
        return refuse(
            f"{area_id}: code {code} ligt niet in gemeente {municipality_code} (municipality_code)",
            "code",
        )
    return CbsArea(area_id, cbs_name.strip() if cbs_name else None, level, code)


def _read_areas(
    data: dict, chk: YamlChecker, registry: Registry, municipality_code: str | None
) -> list[CbsArea]:
    areas = data.get("areas")
    if not isinstance(areas, dict) or not areas:
        chk.add(("areas",), "areas", "verwacht 'areas:' met gebied: code, of naam en niveau")
        return []
    out = []
    for area_id, spec in areas.items():
        refuse = _refuser(chk, ("areas", area_id))
        if area_id not in registry.area_ids:
            known = ", ".join(sorted(registry.area_ids))
            chk.add(
                ("areas", area_id),
                "areas",
                f"gebied {literal(area_id)} staat niet in {ProgrammeFolder.areas_file} ({known})",
                at="key",
            )
            continue
        area = _read_area(area_id, spec, municipality_code, refuse)
        if area is not None:
            out.append(area)
    return out


def _refuser(chk: YamlChecker, path: tuple):
    """``refuse(message, field)``: an error at ``field`` of the entry at ``path``; None."""

    def refuse(message: str, column: str | None = None) -> None:
        chk.add((*path, column) if column else path, column, message)

    return refuse


def _read_indicator(
    item: object, i: int, chk: YamlChecker, registry: Registry
) -> CbsIndicator | None:
    refuse = _refuser(chk, ("indicators", i))
    if not isinstance(item, dict):
        return refuse("verwacht id, title en eventueel unit, factor, times, per")
    ind, title = item.get("id"), item.get("title")
    if ind not in registry.indicator_ids:
        return refuse(
            f"indicator {literal(ind)} staat niet in {ProgrammeFolder.indicators_file}", "id"
        )
    if not isinstance(title, str) or not title.strip():
        return refuse(f"{ind}: 'title' ontbreekt (de Title van de kolom bij CBS)", "title")
    factor = _number(item.get("factor", 1))
    if factor is None or factor == 0:
        return refuse(f"{ind}: 'factor' moet een getal zijn (niet 0)", "factor")
    texts = {}
    for key in ("unit", "times", "per"):
        value = item.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            return refuse(f"{ind}: '{key}' moet een tekst zijn", key)
        texts[key] = value.strip() if isinstance(value, str) else None
    titles = item.get("titles") or {}
    if not isinstance(titles, dict) or any(
        _year(y) is None or not isinstance(t, str) for y, t in titles.items()
    ):
        return refuse(f"{ind}: 'titles' moet jaar: titel zijn", "titles")
    first, last = item.get("first_year"), item.get("last_year")
    for key, value in (("first_year", first), ("last_year", last)):
        if value is not None and _year(value) is None:
            return refuse(f"{ind}: '{key}' moet een jaar zijn", key)
    return CbsIndicator(
        id=ind,
        title=title.strip(),
        factor=factor,
        titles={_year(y): t.strip() for y, t in titles.items()},
        first_year=_year(first) if first is not None else None,
        last_year=_year(last) if last is not None else None,
        **texts,
    )


def load_cbs_mapping(path: str | Path, registry: Registry) -> CbsMapping:
    """Read and check ``data/registry/cbs.yaml`` against the registry.

    Raises
    ------
    CbsError
        With every problem, each naming the file and line.
    """
    path = Path(path)
    chk, data = YamlChecker.load(path, what="CBS-koppelbestand", error=CbsError)
    municipality = data.get("municipality")
    if not isinstance(municipality, str) or not municipality.strip():
        chk.add(("municipality",), None, "'municipality' (gemeentenaam bij CBS) ontbreekt")
        municipality = ""
    code = data.get("municipality_code")
    if code is not None and not (isinstance(code, str) and re.match(r"^GM\d{4}$", code)):
        chk.add(("municipality_code",), None, f"municipality_code {literal(code)}: verwacht GM0505")
        code = None
    tables = _read_tables(data, chk)
    areas = _read_areas(data, chk, registry, code)
    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        chk.add(("indicators",), None, "verwacht 'indicators:' met een lijst")
        items = []
    indicators = [_read_indicator(it, i, chk, registry) for i, it in enumerate(items)]
    national_file = data.get("national_file")
    if national_file is not None and not (isinstance(national_file, str) and national_file.strip()):
        chk.add(
            ("national_file",),
            None,
            f"national_file {literal(national_file)}: verwacht een "
            "bestandsnaam (CSV of Parquet), relatief aan de datamap",
        )
        national_file = None
    if chk.findings:
        raise CbsError(f"{chk.file}: het CBS-koppelbestand klopt niet", chk.findings)
    return CbsMapping(
        path=path,
        label=str(data.get("label") or "CBS Kerncijfers wijken en buurten"),
        municipality=municipality.strip(),
        municipality_code=code,
        tables=tables,
        areas=tuple(areas),
        indicators=tuple(i for i in indicators if i is not None),
        national_file=national_file.strip() if national_file else None,
    )


# -- one table ---------------------------------------------------------------------


def _norm(text: object) -> str:
    """Compare titles and names as CBS pads them: case- and space-insensitive.

    Only text and numbers count; anything else in a recorded answer (a list,
    an object) compares as empty instead of being turned into text.
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        return ""
    return " ".join(str(text).split()).casefold()


def _where(table_id: str, year: int | None) -> str:
    return f"CBS-tabel {table_id}" + (f" ({year})" if year is not None else "")


def resolve_topic(
    properties: list[dict[str, Any]], title: str, *, table_id: str, year: int
) -> dict[str, Any]:
    """The DataProperties entry of the column with this Title (a ``Topic``).

    Titles are compared without regard to case and spacing. A title may name
    its group, ``"Woningen naar eigendom/Koopwoningen"``, when the same title
    occurs twice.

    Raises
    ------
    CbsError
        No such column (with the closest titles), or more than one.

    Examples
    --------
    >>> props = [{"Type": "Topic", "Key": "Woz_35", "Title": "Gemiddelde WOZ-waarde", "ID": 1,
    ...           "ParentID": None}]
    >>> resolve_topic(props, "gemiddelde  WOZ-waarde", table_id="84583NED", year=2019)["Key"]
    'Woz_35'
    """
    *groups, leaf = [part.strip() for part in title.split("/")] if "/" in title else [title]
    by_id = {p.get("ID"): p for p in properties if isinstance(p.get("ID"), int | str)}

    def ancestors(p: dict) -> list[str]:
        out, parent, seen = [], p.get("ParentID"), set()
        while isinstance(parent, int | str) and parent in by_id and parent not in seen:
            seen.add(parent)
            out.append(_norm(by_id[parent].get("Title")))
            parent = by_id[parent].get("ParentID")
        return out

    topics = [p for p in properties if p.get("Type") == "Topic"]
    hits = [p for p in topics if _norm(p.get("Title")) == _norm(leaf)]
    hits = [p for p in hits if all(_norm(g) in ancestors(p) for g in groups)]
    where = _where(table_id, year)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        titles = sorted({str(p.get("Title", "")).strip() for p in topics})
        close = difflib.get_close_matches(leaf.strip(), titles, n=3, cutoff=0.6)
        hint = f"; bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
        raise CbsError(f"{where}: geen kolom met de titel '{title}'{hint}")
    keys = ", ".join(f"{p.get('Key')} (groep: {' / '.join(ancestors(p)) or '-'})" for p in hits)
    raise CbsError(
        f"{where}: de titel '{title}' komt {len(hits)} keer voor ({keys}); "
        "noem de groep erbij, als 'Groep/Titel'"
    )


def region_key(properties: list[dict[str, Any]], *, table_id: str, year: int | None = None) -> str:
    """The key of the region column: ``WijkenEnBuurten``, or the one ``GeoDimension``/``GeoDetail``.

    Raises
    ------
    CbsError
        No such column, or more than one without the key ``WijkenEnBuurten``.

    Examples
    --------
    >>> props = [{"Type": "GeoDetail", "Key": "WijkenEnBuurten", "Title": "Wijken en buurten"}]
    >>> region_key(props, table_id="85984NED", year=2024)
    'WijkenEnBuurten'
    """
    keyed = [p for p in properties if p.get("Key") == REGION_KEY and p.get("Type") != "Topic"]
    geo = keyed or [p for p in properties if p.get("Type") in REGION_TYPES]
    where = _where(table_id, year)
    if len(geo) == 1 or keyed:
        return str(geo[0]["Key"])
    if geo:
        keys = ", ".join(str(p.get("Key")) for p in geo)
        raise CbsError(f"{where}: meer dan één kolom met regio's ({keys}); verwacht {REGION_KEY}")
    types = ", ".join(sorted({str(p.get("Type")) for p in properties})) or "geen"
    raise CbsError(
        f"{where}: geen kolom met wijken en buurten: geen Key '{REGION_KEY}' en geen Type "
        f"{' of '.join(REGION_TYPES)} (wel Types: {types})"
    )


@dataclass(frozen=True)
class _RegionColumns:
    """The keys of the region column and of its three description columns in one table."""

    region: str  # the name, after cbsodata.get_data
    municipality: str  # Gemeentenaam_1, padded
    level: str  # SoortRegio_2, padded
    code: str  # Codering_3, padded


def _region_columns(table: RecordedTable, year: int) -> _RegionColumns:
    def key(title: str) -> str:
        return str(
            resolve_topic(table.properties, title, table_id=table.table_id, year=year)["Key"]
        )

    return _RegionColumns(
        region=region_key(table.properties, table_id=table.table_id, year=year),
        municipality=key(MUNICIPALITY_TITLE),
        level=key(LEVEL_TITLE),
        code=key(CODE_TITLE),
    )


def _region_name(value: object) -> str:
    """A region's name for matching: without ``Wijk NN``, case, padding; hyphens read as spaces."""
    return _norm(_WIJK_PREFIX.sub("", _norm(value)).replace("-", " "))


def _code(value: object) -> str:
    """A ``Codering`` cell without its padding (``"WK050505  "`` -> ``"WK050505"``)."""
    return value.strip().upper() if isinstance(value, str) else ""


def _regions_at_level(
    table: RecordedTable,
    cols: _RegionColumns,
    level: str,
    municipality: str,
    municipality_code: str | None,
) -> list[dict[str, Any]]:
    """The rows of one level in the municipality (by its name, or by its code when known)."""
    digits = municipality_code[2:] if municipality_code else None

    def inside(row: dict[str, Any]) -> bool:
        code = _code(row.get(cols.code))
        return _norm(row.get(cols.municipality)) == _norm(municipality) or (
            digits is not None and code[:2] in LEVEL_OF_PREFIX and code[2:6] == digits
        )

    return [r for r in table.data if _norm(r.get(cols.level)) == _norm(level) and inside(r)]


def _norm_text(value: object) -> str:
    """A name as CBS gives it, without padding, for a message."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _listing(rows: list[dict[str, Any]], cols: _RegionColumns) -> str:
    """``WK050501 Wijk 01 ..., WK050502 ...``: code and name of every row, by code."""
    pairs = sorted({(_code(r.get(cols.code)), _norm_text(r.get(cols.region))) for r in rows})
    return ", ".join(f"{code or '(geen code)'} {name}" for code, name in pairs) or "geen"


def area_row(
    table: RecordedTable,
    area: CbsArea,
    municipality: str,
    *,
    year: int | None,
    municipality_code: str | None = None,
    where: str | None = None,
) -> dict[str, Any]:
    """The data row of one area: by its CBS code, or by municipality, level and name.

    With a code the row is the one whose ``Codering`` is that code (padding
    does not count). By name, a wijk matches with or without the number CBS
    puts in front of its name (``Wijk 07 Krispijn`` matches ``Krispijn``);
    case, padding and hyphens do not count (``Oud Krispijn`` matches
    ``Oud-Krispijn``).

    ``where`` names the table in a message (default ``CBS-tabel <id> (<year>)``;
    the national file names itself, :func:`.national.programme_units`).

    Raises
    ------
    CbsError
        Naming table, year and area, with code and name of every region CBS
        has at that level in the municipality.
    """
    where = where or _where(table.table_id, year)
    cols = _region_columns(table, year)
    if area.code:
        hits = [r for r in table.data if _code(r.get(cols.code)) == area.code]
        wanted = f"met code {area.code}"
    else:
        level_rows = _regions_at_level(table, cols, area.level, municipality, municipality_code)
        hits = [
            r for r in level_rows if _region_name(r.get(cols.region)) == _region_name(area.name)
        ]
        wanted = f"'{area.name}'"
    if len(hits) == 1:
        return hits[0]
    level = area.level.lower()
    if not hits:
        present = _regions_at_level(table, cols, area.level, municipality, municipality_code)
        raise CbsError(
            f"{where}: gebied {area.label()} niet gevonden: geen {level} {wanted} in "
            f"{municipality}. Wel aanwezig ({level}, code en naam): {_listing(present, cols)}"
        )
    raise CbsError(
        f"{where}: gebied {area.label()}: {len(hits)} rijen ({level} {wanted} in {municipality}): "
        f"{_listing(hits, cols)}; geef het gebied met zijn code (code: ...) in {CBS_MAPPING_FILE}"
    )


def name_warning(
    table: RecordedTable, area: CbsArea, row: dict[str, Any], *, year: int, file: str = ""
) -> Finding | None:
    """A warning when an area given by code has another name at CBS than in the mapping."""
    if not (area.code and area.name):
        return None
    cbs_name = row.get(region_key(table.properties, table_id=table.table_id, year=year))
    if _region_name(cbs_name) == _region_name(area.name):
        return None
    return Finding(
        "warning",
        file,
        f"{_where(table.table_id, year)}: gebied '{area.id}' ({area.code}) heet bij CBS "
        f"'{_norm_text(cbs_name)}', in {CBS_MAPPING_FILE} '{area.name}'; de code telt",
        area=area.id,
        year=year,
    )


def _cell(row: dict[str, Any], key: str) -> float | None:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # CBS gives null (typed) for '.', 'x' and empty cells
    return float(value)


def _columns(
    table: RecordedTable, ind: CbsIndicator, year: int
) -> tuple[dict[str, Any], str | None, str | None]:
    """Resolve the indicator's main column (and check its unit) and its conversion columns."""
    main = resolve_topic(table.properties, ind.title_in(year), table_id=table.table_id, year=year)
    if ind.unit is not None and _norm(main.get("Unit")) != _norm(ind.unit):
        raise CbsError(
            f"{_where(table.table_id, year)}: kolom '{ind.title_in(year)}' ({main.get('Key')}) "
            f"heeft eenheid {str(main.get('Unit', '')).strip()!r}; het koppelbestand verwacht "
            f"{ind.unit!r} (indicator {ind.id})"
        )
    times = per = None
    if ind.times:
        times = resolve_topic(table.properties, ind.times, table_id=table.table_id, year=year)[
            "Key"
        ]
    if ind.per:
        per = resolve_topic(table.properties, ind.per, table_id=table.table_id, year=year)["Key"]
    return main, times, per


def _note(key: str, ind: CbsIndicator, times: str | None, per: str | None) -> str:
    parts = [key]
    if times:
        parts.append(f"* {times}")
    if per:
        parts.append(f"/ {per}")
    if ind.factor != 1:
        parts.append(f"* {ind.factor:g}")
    return " ".join(parts)


def _value(row: dict, key: str, ind: CbsIndicator, times: str | None, per: str | None):
    value = _cell(row, key)
    if value is None:
        return None
    value *= ind.factor
    if times:
        t = _cell(row, times)
        value = None if t is None else value * t
    if per and value is not None:
        p = _cell(row, per)
        value = None if not p else value / p
    return value


def _area_rows(
    table: RecordedTable, year: int, mapping: CbsMapping
) -> tuple[dict[str, dict], list[Finding], list[CbsError]]:
    """area id -> data row, with a warning per area whose name at CBS differs from its code's."""
    rows, warnings, errors = {}, [], []
    for area in mapping.areas:
        try:
            rows[area.id] = area_row(
                table,
                area,
                mapping.municipality,
                year=year,
                municipality_code=mapping.municipality_code,
            )
        except CbsError as exc:
            errors.append(exc)
            continue
        warning = name_warning(table, area, rows[area.id], year=year, file=str(mapping.path))
        if warning is not None:
            warnings.append(warning)
    return rows, warnings, errors


def table_measurements(
    table: RecordedTable, year: int, mapping: CbsMapping
) -> tuple[list[dict], list[str], list[Finding], list[CbsError]]:
    """The measurements one table gives: ``(rows, missing, warnings, errors)``.

    ``missing`` names every cell CBS left empty (kept out, not an error);
    ``warnings`` every area given by code whose name at CBS differs from the
    mapping's; ``errors`` holds every title, unit or area the table lacks.
    """
    rows, missing = [], []
    area_rows, warnings, errors = _area_rows(table, year, mapping)
    for ind in (i for i in mapping.indicators if i.covers(year)):
        try:
            main, times, per = _columns(table, ind, year)
        except CbsError as exc:
            errors.append(exc)
            continue
        for area_id, row in area_rows.items():
            value = _value(row, main["Key"], ind, times, per)
            if value is None:
                missing.append(f"{ind.id}, {area_id}, {year} ({table.table_id})")
                continue
            rows.append(
                {
                    "indicator": ind.id,
                    "area": area_id,
                    "year": year,
                    "value": value,
                    "source": f"CBS {table.table_id}",
                    "note": _note(str(main["Key"]), ind, times, per),
                }
            )
    return rows, missing, warnings, errors


def _unreadable(table: RecordedTable, exc: BaseException) -> CbsError:
    """A recorded answer too deep or too large to work through, as one line naming its file."""
    what = "te diep genest" if isinstance(exc, RecursionError) else "te groot voor het geheugen"
    return CbsError(
        f"{table.file or table.table_id}: het antwoord van CBS-tabel {table.table_id} is {what} "
        "om te verwerken; haal de tabel opnieuw op"
    )


def build_measurements(
    tables: Mapping[int, RecordedTable], mapping: CbsMapping
) -> tuple[pd.DataFrame, list[str], list[Finding]]:
    """All measurements of the given tables (year -> table) in the long format.

    Returns
    -------
    frame : DataFrame
        ``indicator, area, year, value, n, se, source, note``, sorted;
        ``source`` names the table, ``note`` the column key(s) and conversion.
    missing : list of str
        Cells CBS left empty (not published or suppressed).
    warnings : list of Finding
        Areas given by code whose name at CBS differs from the one in the mapping.

    Raises
    ------
    CbsError
        Every title, unit or area not found, in all tables together.
    """
    rows: list[dict] = []
    missing: list[str] = []
    warnings: list[Finding] = []
    errors: list[CbsError] = []
    for year in sorted(tables):
        try:
            r, m, w, e = table_measurements(tables[year], year, mapping)
        except (RecursionError, MemoryError) as exc:
            raise _unreadable(tables[year], exc) from None
        rows += r
        missing += m
        warnings += w
        errors += e
    if errors:
        messages = list(dict.fromkeys(str(e) for e in errors))  # one region column, many areas
        findings = [Finding("error", str(mapping.path), m) for m in messages]
        raise CbsError(
            f"{len(messages)} probleem/problemen met de CBS-tabellen; er is niets geschreven",
            findings,
        )
    frame = pd.DataFrame(rows, columns=MEASUREMENT_COLUMNS)
    frame["n"] = pd.array([pd.NA] * len(frame), dtype="Float64")
    frame["se"] = pd.array([pd.NA] * len(frame), dtype="Float64")
    frame = frame.sort_values(["indicator", "area", "year"], kind="stable")
    return frame.reset_index(drop=True), missing, warnings


# -- recorded responses and the network ------------------------------------------------


def _check_shape(payload: object, name: str) -> tuple[list[dict], list[dict]]:
    if not isinstance(payload, dict) or set(payload) != {"DataProperties", "data"}:
        raise CbsError(
            f"{name}: verwacht een JSON-object met precies 'DataProperties' en 'data' "
            "(zoals cbsodata.get_meta en cbsodata.get_data ze geven)"
        )
    props, data = payload["DataProperties"], payload["data"]
    for part, rows in (("DataProperties", props), ("data", data)):
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise CbsError(f"{name}: '{part}' moet een lijst van objecten zijn")
    if not all(
        isinstance(p.get("Key"), str)
        and isinstance(p.get("Type"), str)
        and isinstance(p.get("Title", ""), str | None)
        for p in props
    ):
        raise CbsError(f"{name}: elk element van 'DataProperties' heeft Key, Title en Type (tekst)")
    return props, data


def read_recorded(directory: str | Path, table_id: str, *, suffix: str = "") -> RecordedTable:
    """Read ``<directory>/<table_id><suffix>.json`` (a recorded or cached response).

    ``suffix`` names a national answer (``_wijk``: every wijk of the country,
    :func:`fetch_national_table`) beside the municipality's own.

    Raises
    ------
    RecordedMissing
        There is no such file.
    CbsError
        The file is not a regular file inside its folder, larger than
        ``LIMITS["json"]`` (:mod:`npdw_learning.kern.inputfile`), not JSON,
        nested too deeply to read, or not in the cbsodata shape.
    """
    path = Path(directory) / f"{table_id}{suffix}.json"
    name = str(path)
    if not path.exists() and not path.is_symlink():
        raise RecordedMissing(f"{path}: opgenomen antwoord voor tabel {table_id} ontbreekt")
    try:
        payload = json.loads(read_input_text(path, kind="json", what="opgenomen antwoord"))
    except InputError as exc:
        raise CbsError(str(exc.args[0]), exc.findings) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CbsError(f"{name}: geen geldige JSON ({exc})") from None
    except RecursionError:
        raise CbsError(f"{name}: de JSON is te diep genest om te lezen") from None
    except MemoryError:
        raise CbsError(f"{name}: te groot om in het geheugen te lezen") from None
    props, data = _check_shape(payload, name)
    return RecordedTable(table_id, props, data, name)


def municipality_filter(municipality_code: str, region: str = REGION_KEY) -> str:
    """The OData ``$filter`` for one municipality's rows: its own, its wijken and its buurten.

    In the data set the region column holds the region's code padded with
    spaces to 10 characters (``'GM0505    '``), so ``eq 'GM0505'`` finds
    nothing; ``substringof`` (the function CBS's own default selections use)
    does not mind the padding. A code's letters only come first, so
    ``'WK0505'`` cannot match inside another municipality's code.

    Examples
    --------
    >>> municipality_filter("GM0505")  # doctest: +NORMALIZE_WHITESPACE
    "substringof('GM0505',WijkenEnBuurten) or substringof('WK0505',WijkenEnBuurten)
     or substringof('BU0505',WijkenEnBuurten)"
    """
    digits = municipality_code[2:]
    return " or ".join(f"substringof('{prefix}{digits}',{region})" for prefix in LEVEL_OF_PREFIX)


def fetch_table(
    table_id: str,
    cache_dir: str | Path,
    *,
    municipality_code: str | None,
    year: int | None = None,
) -> RecordedTable:
    """Fetch one municipality's rows of a table with cbsodata; cache them as ``<table_id>.json``.

    Only the rows of the municipality (and its wijken and buurten) are asked
    for (:func:`municipality_filter` on the region column of the table's
    ``DataProperties``); cbsodata still downloads the list of region names of
    the whole country to turn codes into names. The cached file has the
    recorded-response shape :func:`read_recorded` reads, so the same fetch
    can be replayed offline.

    Raises
    ------
    CbsError
        No municipality code (the whole country would come), no region column,
        no network (one Dutch sentence), or CBS refuses the table.
    """
    import cbsodata  # imported here: only a real fetch needs it

    if not municipality_code:
        raise CbsError(
            f"{_where(table_id, year)}: 'municipality_code' (bijv. GM0505) ontbreekt in "
            f"{CBS_MAPPING_FILE}; "
            "zonder die code zou npdw fetch cbs de tabel van heel Nederland ophalen"
        )

    def rows(props: list[dict[str, Any]]) -> list[dict[str, Any]]:
        region = region_key(props, table_id=table_id, year=year)
        return cbsodata.get_data(table_id, filters=municipality_filter(municipality_code, region))

    return _fetched(table_id, Path(cache_dir) / f"{table_id}.json", rows)


def _fetched(table_id: str, path: Path, rows) -> RecordedTable:
    """``DataProperties`` and ``rows(properties)`` of one table from CBS, cached at ``path``
    in the recorded-response shape; a network failure or a refusal is one Dutch sentence."""
    import cbsodata  # imported here: only a real fetch needs it
    import requests

    try:
        props = cbsodata.get_meta(table_id, "DataProperties")
        data = rows(props)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise CbsError(NO_NETWORK.format(what="opendata.cbs.nl is niet bereikbaar")) from exc
    except requests.HTTPError as exc:
        raise CbsError(f"CBS-tabel {table_id}: CBS weigert de tabel ({exc})") from None
    payload = {"DataProperties": props, "data": data}
    write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", path)
    return RecordedTable(table_id, props, data, str(path))


# -- the whole country: npdw fetch cbs --national ------------------------------------------

# The levels a national fetch asks for: ``wijk`` gives every gemeente and wijk (the
# programme's wijken are wijken); ``buurt`` every buurt too.
FETCH_LEVELS = {"wijk": ("Gemeente", "Wijk"), "buurt": ("Gemeente", "Wijk", "Buurt")}
# The matching covariates by their Title in every Kerncijfers table (85984NED:
# AantalInwoners_5 "aantal", MateVanStedelijkheid_127 "code", 1 = zeer sterk stedelijk).
COVARIATE_TITLES = {"inwoners": "Aantal inwoners", "stedelijkheid": "Mate van stedelijkheid"}
_PREFIX_OF_LEVEL = {level: prefix for prefix, level in LEVEL_OF_PREFIX.items()}


def national_filter(level: str, region: str = REGION_KEY) -> str:
    """The OData ``$filter`` for every region of ``level`` and above (not the country).

    The filter is on the region column, as :func:`municipality_filter`'s: its
    keys are the codes, padded (``'WK050505  '``), and ``substringof`` (the
    function CBS's own selections use) finds the two letters a code starts with.
    The column ``SoortRegio_2`` is checked on every row after the download
    (:func:`build_national`): its values are padded (``'Wijk      '``) and an
    ``eq`` on it is not documented for CBS's OData service.

    Examples
    --------
    >>> national_filter("wijk")
    "substringof('GM',WijkenEnBuurten) or substringof('WK',WijkenEnBuurten)"
    """
    prefixes = [_PREFIX_OF_LEVEL[lv] for lv in FETCH_LEVELS[level]]
    return " or ".join(f"substringof('{prefix}',{region})" for prefix in prefixes)


def _national_keys(properties: list[dict[str, Any]], mapping: CbsMapping, table_id: str, year):
    """The column keys a national fetch needs: the region columns, the mapped indicators'
    columns (with their conversion columns) and the covariates; None where a title is missing
    (:func:`build_national` reports it)."""
    titles = [MUNICIPALITY_TITLE, LEVEL_TITLE, CODE_TITLE, *COVARIATE_TITLES.values()]
    for ind in (i for i in mapping.indicators if i.covers(year)):
        titles += [t for t in (ind.title_in(year), ind.times, ind.per) if t]
    keys = [region_key(properties, table_id=table_id, year=year)]
    for title in dict.fromkeys(titles):
        try:
            keys.append(str(resolve_topic(properties, title, table_id=table_id, year=year)["Key"]))
        except CbsError:
            continue
    return keys


def fetch_national_table(
    table_id: str, cache_dir: str | Path, *, mapping: CbsMapping, level: str, year: int
) -> RecordedTable:
    """Fetch every region of ``level`` (and the gemeenten) of one table; cache it.

    Only the columns the mapping needs are asked for (``select``), with the
    filter of :func:`national_filter`; cbsodata pages through the answer.
    Cached as ``<table_id>_<level>.json`` in the recorded-response shape, so
    ``--offline`` replays it (:func:`read_recorded` with ``suffix``).

    Raises
    ------
    CbsError
        No region column, no network (one Dutch sentence), or CBS refuses the table.
    """
    import cbsodata  # imported here: only a real fetch needs it

    def rows(props: list[dict[str, Any]]) -> list[dict[str, Any]]:
        region = region_key(props, table_id=table_id, year=year)
        return cbsodata.get_data(
            table_id,
            filters=national_filter(level, region),
            select=_national_keys(props, mapping, table_id, year),
        )

    return _fetched(table_id, Path(cache_dir) / f"{table_id}_{level}.json", rows)


def _national_regions(table: RecordedTable, cols: _RegionColumns, level: str) -> list[tuple]:
    """``(row, code, name, municipality code, level)`` of every region of the wanted levels,
    by ``SoortRegio`` (padding does not count) and a code that fits it."""
    wanted = {_norm(lv): lv.lower() for lv in FETCH_LEVELS[level]}
    out = []
    for row in table.data:
        kind = wanted.get(_norm(row.get(cols.level)))
        code = _code(row.get(cols.code))
        if kind is None or LEVEL_OF_PREFIX.get(code[:2], "").lower() != kind:
            continue
        out.append((row, code, _norm_text(row.get(cols.region)), f"GM{code[2:6]}", kind))
    return out


def _national_columns(table: RecordedTable, mapping: CbsMapping, year: int):
    """``(indicator id, CbsIndicator, main key, times, per)`` per figure, and the errors."""
    columns, errors = [], []
    for ind in (i for i in mapping.indicators if i.covers(year)):
        try:
            main, times, per = _columns(table, ind, year)
        except CbsError as exc:
            errors.append(exc)
            continue
        columns.append((ind.id, ind, str(main["Key"]), times, per))
    for cov, title in COVARIATE_TITLES.items():
        try:
            key = resolve_topic(table.properties, title, table_id=table.table_id, year=year)["Key"]
        except CbsError as exc:
            errors.append(exc)
            continue
        columns.append((cov, CbsIndicator(cov, title), str(key), None, None))
    return columns, errors


def build_national(
    tables: Mapping[int, RecordedTable], mapping: CbsMapping, level: str
) -> tuple[pd.DataFrame, int]:
    """Every region's figures of the given tables in the national format.

    The mapped indicators (with the mapping's conversions) and the
    covariates ``inwoners`` and ``stedelijkheid`` of every gemeente, wijk
    and (with ``level="buurt"``) buurt: the region's ``SoortRegio`` and code
    prefix say its level. An empty cell is no row.

    Returns
    -------
    frame : DataFrame
        The columns of :data:`.national.NATIONAL_COLUMNS`.
    empty : int
        The number of cells CBS left empty.

    Raises
    ------
    CbsError
        Every title or unit not found, in all tables together.
    """
    records, errors, empty = [], [], 0
    for year in sorted(tables):
        table = tables[year]
        try:
            cols = _region_columns(table, year)
            columns, errs = _national_columns(table, mapping, year)
        except CbsError as exc:
            errors.append(exc)
            continue
        errors += errs
        for row, code, name, gm, kind in _national_regions(table, cols, level):
            for ind_id, ind, key, times, per in columns:
                value = _value(row, key, ind, times, per)
                if value is None:
                    empty += 1
                    continue
                records.append((code, name, gm, kind, ind_id, year, value))
    if errors:
        messages = list(dict.fromkeys(str(e) for e in errors))
        findings = [Finding("error", str(mapping.path), m) for m in messages]
        raise CbsError(
            f"{len(messages)} probleem/problemen met de CBS-tabellen; er is niets geschreven",
            findings,
        )
    columns = ["region_code", "region_name", "municipality_code", "level", "indicator", "year"]
    frame = pd.DataFrame(records, columns=[*columns, "value"])
    return frame.astype({"year": "int64", "value": "float64"}), empty
