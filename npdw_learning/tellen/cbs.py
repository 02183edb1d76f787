"""History from CBS open data: *Kerncijfers wijken en buurten* in the long measurement format.

CBS publishes one *Kerncijfers wijken en buurten* table per year. The mapping
file ``data/registry/cbs.yaml`` names, per indicator, the column by its
**Title**; the column *key* (``GemiddeldeWOZWaardeVanWoningen_35``) carries a
numbered suffix that changes from year to year, so it is resolved from the
table's ``DataProperties`` each time (:func:`resolve_topic`). Rows are chosen by
name (:func:`area_row`): the municipality by its name, a neighbourhood by its
name within that municipality at the level the mapping gives (``Wijk`` or
``Buurt``). Any unit conversion is in the mapping too (a factor, a column to
multiply by, a column to divide by).

A table is read from a *recorded response*: ``{"DataProperties": [...],
"data": [...]}`` in exactly the shapes ``cbsodata.get_meta(table_id,
"DataProperties")`` and ``cbsodata.get_data(table_id)`` return. A real fetch
(:func:`fetch_table`) writes that same file into a cache folder, so a cached
fetch can be replayed with ``npdw fetch cbs --offline``. Nothing here touches
the network except :func:`fetch_table`.

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

from ..kern.atomic import FLOAT_FORMAT, write_text
from ..kern.errors import Finding, InputError
from ..kern.registry import Registry
from ..kern.yamlfile import line_index, read_yaml
from .measurements import MEASUREMENT_COLUMNS

__all__ = [
    "CBS_MAPPING_FILE",
    "CbsError",
    "CbsArea",
    "CbsIndicator",
    "CbsMapping",
    "RecordedTable",
    "load_cbs_mapping",
    "resolve_topic",
    "area_row",
    "read_recorded",
    "fetch_table",
    "build_measurements",
]

CBS_MAPPING_FILE = "cbs.yaml"
LEVELS = ("Gemeente", "Wijk", "Buurt")
_TABLE_ID = re.compile(r"^\d{5}[A-Z]{3}$")
# CBS names many wijken "Wijk 07 Krispijn"; the mapping gives the name without the number.
_WIJK_PREFIX = re.compile(r"^wijk\s+\d+\s*-?\s*", re.IGNORECASE)
# The region columns of every Kerncijfers table, found by Title like any other column.
MUNICIPALITY_TITLE = "Gemeentenaam"
LEVEL_TITLE = "Soort regio"
NO_NETWORK = (
    "npdw fetch cbs heeft internet nodig: {what}. Zonder internet: gebruik "
    "--offline MAP met opgenomen antwoorden (<tabel>.json)."
)


class CbsError(InputError):
    """A CBS table does not have what the mapping asks for, or cannot be read or fetched."""


@dataclass(frozen=True)
class CbsArea:
    """One area of the registry and the name CBS gives it."""

    id: str
    name: str
    level: str  # Gemeente, Wijk or Buurt


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


def _read_tables(data: dict, lines: dict, name: str, findings: list[Finding]) -> dict[int, str]:
    tables = data.get("tables")
    if not isinstance(tables, dict) or not tables:
        findings.append(Finding("error", name, "verwacht 'tables:' met jaar: tabel-id", row=1))
        return {}
    out = {}
    for key, table_id in tables.items():
        year = _year(key)
        row = lines.get(("tables", key), lines.get(("tables", str(key))))
        if year is None or not 1990 <= year <= 2100:
            findings.append(Finding("error", name, f"{key!r} is geen jaar", row=row))
        elif not isinstance(table_id, str) or not _TABLE_ID.match(table_id.strip()):
            findings.append(
                Finding(
                    "error",
                    name,
                    f"jaar {year}: {table_id!r} is geen tabel-id als 84583NED",
                    row=row,
                )
            )
        else:
            out[year] = table_id.strip()
    return out


def _read_areas(
    data: dict, lines: dict, name: str, registry: Registry, findings: list[Finding]
) -> list[CbsArea]:
    areas = data.get("areas")
    if not isinstance(areas, dict) or not areas:
        findings.append(
            Finding("error", name, "verwacht 'areas:' met gebied: naam en niveau", row=1)
        )
        return []
    out = []
    for area_id, spec in areas.items():
        row = lines.get(("areas", area_id))
        if area_id not in registry.area_ids:
            known = ", ".join(sorted(registry.area_ids))
            findings.append(
                Finding(
                    "error", name, f"gebied '{area_id}' staat niet in areas.yaml ({known})", row
                )
            )
            continue
        spec = spec if isinstance(spec, dict) else {}
        cbs_name, level = spec.get("name"), spec.get("level")
        if not isinstance(cbs_name, str) or not cbs_name.strip():
            findings.append(Finding("error", name, f"{area_id}: 'name' ontbreekt", row, "name"))
        elif level not in LEVELS:
            findings.append(
                Finding(
                    "error",
                    name,
                    f"{area_id}: niveau {level!r}; verwacht een van {', '.join(LEVELS)}",
                    row,
                    "level",
                )
            )
        else:
            out.append(CbsArea(area_id, cbs_name.strip(), level))
    return out


def _read_indicator(
    item: object, i: int, lines: dict, name: str, registry: Registry, findings: list[Finding]
) -> CbsIndicator | None:
    row = lines.get(("indicators", i))

    def refuse(message: str, column: str | None = None) -> None:
        findings.append(Finding("error", name, message, row, column))

    if not isinstance(item, dict):
        return refuse("verwacht id, title en eventueel unit, factor, times, per")
    ind, title = item.get("id"), item.get("title")
    if ind not in registry.indicator_ids:
        return refuse(f"indicator {ind!r} staat niet in indicators.yaml", "id")
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
    name = str(path)
    data, node = read_yaml(path, error=CbsError, what="CBS-koppelbestand")
    if not isinstance(data, dict):
        raise CbsError(f"{name}: verwacht een YAML-mapping", [Finding("error", name, "leeg")])
    lines = line_index(node)
    findings: list[Finding] = []
    municipality = data.get("municipality")
    if not isinstance(municipality, str) or not municipality.strip():
        findings.append(Finding("error", name, "'municipality' (gemeentenaam bij CBS) ontbreekt"))
        municipality = ""
    code = data.get("municipality_code")
    if code is not None and not (isinstance(code, str) and re.match(r"^GM\d{4}$", code)):
        findings.append(Finding("error", name, f"municipality_code {code!r}: verwacht GM0505"))
        code = None
    tables = _read_tables(data, lines, name, findings)
    areas = _read_areas(data, lines, name, registry, findings)
    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        findings.append(Finding("error", name, "verwacht 'indicators:' met een lijst", row=1))
        items = []
    indicators = [
        _read_indicator(it, i, lines, name, registry, findings) for i, it in enumerate(items)
    ]
    if findings:
        raise CbsError(f"{name}: het CBS-koppelbestand klopt niet", findings)
    return CbsMapping(
        path=path,
        label=str(data.get("label") or "CBS Kerncijfers wijken en buurten"),
        municipality=municipality.strip(),
        municipality_code=code,
        tables=tables,
        areas=tuple(areas),
        indicators=tuple(i for i in indicators if i is not None),
    )


# -- one table ---------------------------------------------------------------------


def _norm(text: object) -> str:
    """Compare titles and names as CBS pads them: case- and space-insensitive."""
    return " ".join(str(text or "").split()).casefold()


def _where(table_id: str, year: int) -> str:
    return f"CBS-tabel {table_id} ({year})"


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


def _dimension_key(table: RecordedTable, year: int) -> str:
    dims = [p for p in table.properties if str(p.get("Type", "")).endswith("Dimension")]
    geo = [p for p in dims if p.get("Type") == "GeoDimension"] or dims
    if not geo:
        raise CbsError(f"{_where(table.table_id, year)}: geen dimensie met wijken en buurten")
    return str(geo[0]["Key"])


def _region_name(value: object, level: str) -> str:
    """A region's name for matching: without ``Wijk NN``, hyphens read as spaces."""
    name = _norm(value)
    name = _WIJK_PREFIX.sub("", name) if level == "Wijk" else name
    return _norm(name.replace("-", " "))


def area_row(
    table: RecordedTable, area: CbsArea, municipality: str, *, year: int
) -> dict[str, Any]:
    """The data row of one area: by municipality, level and name.

    A wijk matches with or without the number CBS puts in front of its name
    (``Wijk 07 Krispijn`` matches ``Krispijn``); case, spacing and hyphens do
    not count (``Oud Krispijn`` matches ``Oud-Krispijn``).

    Raises
    ------
    CbsError
        Naming table, year and area, and the names CBS has at that level.
    """
    where = _where(table.table_id, year)
    dim = _dimension_key(table, year)
    gm = resolve_topic(table.properties, MUNICIPALITY_TITLE, table_id=table.table_id, year=year)
    lv = resolve_topic(table.properties, LEVEL_TITLE, table_id=table.table_id, year=year)
    in_level = [
        r
        for r in table.data
        if _norm(r.get(lv["Key"])) == _norm(area.level)
        and _norm(r.get(gm["Key"])) == _norm(municipality)
    ]
    wanted = _region_name(area.name, "")
    hits = [r for r in in_level if _region_name(r.get(dim), area.level) == wanted]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        names = sorted({str(r.get(dim, "")).strip() for r in in_level})
        shown = ", ".join(names[:40]) + (" ..." if len(names) > 40 else "") if names else "geen"
        raise CbsError(
            f"{where}: gebied '{area.id}' niet gevonden: geen {area.level.lower()} "
            f"'{area.name}' in {municipality}. Wel aanwezig ({area.level.lower()}): {shown}"
        )
    raise CbsError(
        f"{where}: gebied '{area.id}': {len(hits)} rijen heten '{area.name}' "
        f"({area.level.lower()} in {municipality})"
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


def table_measurements(
    table: RecordedTable, year: int, mapping: CbsMapping
) -> tuple[list[dict], list[str], list[CbsError]]:
    """The measurements one table gives: ``(rows, missing, errors)``.

    ``missing`` names every cell CBS left empty (kept out, not an error);
    ``errors`` holds every title, unit or area the table lacks.
    """
    rows, missing, errors = [], [], []
    area_rows = {}
    for area in mapping.areas:
        try:
            area_rows[area.id] = area_row(table, area, mapping.municipality, year=year)
        except CbsError as exc:
            errors.append(exc)
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
    return rows, missing, errors


def build_measurements(
    tables: Mapping[int, RecordedTable], mapping: CbsMapping
) -> tuple[pd.DataFrame, list[str]]:
    """All measurements of the given tables (year -> table) in the long format.

    Returns
    -------
    frame : DataFrame
        ``indicator, area, year, value, n, se, source, note``, sorted;
        ``source`` names the table, ``note`` the column key(s) and conversion.
    missing : list of str
        Cells CBS left empty (not published or suppressed).

    Raises
    ------
    CbsError
        Every title, unit or area not found, in all tables together.
    """
    rows: list[dict] = []
    missing: list[str] = []
    errors: list[CbsError] = []
    for year in sorted(tables):
        r, m, e = table_measurements(tables[year], year, mapping)
        rows += r
        missing += m
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
    return frame.reset_index(drop=True), missing


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


def read_recorded(directory: str | Path, table_id: str) -> RecordedTable:
    """Read ``<directory>/<table_id>.json`` (a recorded or cached response).

    Raises
    ------
    CbsError
        The file is missing, not JSON, or not in the cbsodata shape.
    """
    path = Path(directory) / f"{table_id}.json"
    name = str(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CbsError(f"{name}: opgenomen antwoord voor tabel {table_id} ontbreekt") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CbsError(f"{name}: geen geldige JSON ({exc})") from None
    props, data = _check_shape(payload, name)
    return RecordedTable(table_id, props, data, name)


def _filters(code: str | None, dimension: str) -> str | None:
    """Only the rows of one municipality (its code, wijken and buurten), when its code is known."""
    if not code:
        return None
    digits = code[2:]
    return " or ".join(
        f"startswith({dimension},'{prefix}{digits}')" for prefix in ("GM", "WK", "BU")
    )


def fetch_table(
    table_id: str, cache_dir: str | Path, *, municipality_code: str | None = None
) -> RecordedTable:
    """Fetch one table with ``cbsodata`` and cache the response as ``<table_id>.json``.

    The cached file has the recorded-response shape :func:`read_recorded`
    reads, so the same fetch can be replayed offline.

    Raises
    ------
    CbsError
        No network (one Dutch sentence), or CBS refuses the table.
    """
    import cbsodata  # imported here: only a real fetch needs it
    import requests

    try:
        props = cbsodata.get_meta(table_id, "DataProperties")
        dims = [p["Key"] for p in props if p.get("Type") == "GeoDimension"]
        filters = _filters(municipality_code, dims[0]) if dims else None
        data = cbsodata.get_data(table_id, filters=filters)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise CbsError(NO_NETWORK.format(what="opendata.cbs.nl is niet bereikbaar")) from exc
    except requests.HTTPError as exc:
        raise CbsError(f"CBS-tabel {table_id}: CBS weigert de tabel ({exc})") from None
    payload = {"DataProperties": props, "data": data}
    path = Path(cache_dir) / f"{table_id}.json"
    write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", path)
    return RecordedTable(table_id, props, data, str(path))


# -- checking and recording a fetch ----------------------------------------------------


def check_frame(frame: pd.DataFrame, registry: Registry) -> list[Finding]:
    """Check the fetched figures with the rules every delivery meets (units, ranges).

    The frame is written to a temporary file and read back with
    :func:`~npdw_learning.tellen.measurements.read_measurement_file`, so the
    fetched file is read exactly as ``npdw validate`` will read it.

    Returns
    -------
    list of Finding
        The warnings.

    Raises
    ------
    CbsError
        With the errors (a percentage above 100 after a wrong conversion, ...).
    """
    import tempfile

    from ..kern.atomic import write_csv
    from .measurements import read_measurement_file

    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(frame, Path(tmp) / "cbs.csv")
        _, findings = read_measurement_file(path, registry)
    shown = [
        Finding(f.severity, "(opgehaalde CBS-cijfers)", f.message, f.row, f.column)
        for f in findings
    ]
    errors = [f for f in shown if f.severity == "error"]
    if errors:
        raise CbsError("De opgehaalde cijfers breken de regels; er is niets geschreven", errors)
    return shown


def revisions(previous: pd.DataFrame | None, frame: pd.DataFrame) -> list[str]:
    """The values CBS changed since the previous fetch into the same file (Dutch lines)."""
    if previous is None or previous.empty:
        return []
    key = ["indicator", "area", "year"]
    old = previous[[*key, "value"]].rename(columns={"value": "old"})
    both = frame[[*key, "value"]].merge(old, on=key)
    # compare as written: the file keeps FLOAT_FORMAT's significant digits
    shown = both["value"].map(lambda v: FLOAT_FORMAT % v) != both["old"].map(
        lambda v: FLOAT_FORMAT % v
    )
    changed = both[shown]
    return [
        f"  {r.indicator}, {r.area}, {r.year}: {r.old:g} -> {r.value:g}"
        for r in changed.itertuples(index=False)
    ]
