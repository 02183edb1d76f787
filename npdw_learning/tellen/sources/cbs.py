"""``npdw fetch cbs``: CBS Kerncijfers wijken en buurten, one table per year.

The mapping (``ProgrammeFolder.cbs_mapping_file``) of the programme folder names the table per
year, the column title per indicator, the areas and any conversion; the work
is in :mod:`npdw_learning.tellen.cbs`. Online it asks CBS for the rows of one
municipality and keeps each answer in the cache; ``--offline DIR`` reads
those recorded answers instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...kern.programme import ProgrammeFolder as _AT  # on the class: paths as messages name them
from . import Fetched, FetchRequest, IndicatorSource

__all__ = ["SOURCE"]


def _tables(
    request: FetchRequest, mapping: Any, years: list[int], *, skip_missing: bool
) -> tuple[dict, list[int]]:
    """``(year -> RecordedTable, skipped years)``: recorded answers in ``offline``, or fetched.

    With ``skip_missing`` (``--offline`` without ``--from``/``--to``) a year
    without a recorded answer is skipped and listed; otherwise it is an error.
    """
    from ...kern.paths import CBS_CACHE_DIR
    from ..cbs import CbsError, RecordedMissing, fetch_table, read_recorded

    offline = request.offline
    tables, skipped = {}, []
    for year in years:
        table_id = mapping.tables[year]
        if offline is None:
            request.say(
                f"Ophalen: CBS-tabel {table_id} ({year}), alleen {mapping.municipality} ..."
            )
            tables[year] = fetch_table(
                table_id, CBS_CACHE_DIR, municipality_code=mapping.municipality_code, year=year
            )
            continue
        try:
            tables[year] = read_recorded(offline, table_id)
        except RecordedMissing:
            if not skip_missing:
                raise
            skipped.append(year)
    if skipped:
        listed = ", ".join(f"{y} ({mapping.tables[y]})" for y in skipped)
        request.say(
            f"Geen opgenomen antwoord in {offline} voor {listed}: overgeslagen "
            "(vraag een jaar met --from/--to om er een fout van te maken)"
        )
    if not tables:
        raise CbsError(
            f"{offline}: geen enkel opgenomen antwoord (<tabel>.json) voor de jaren in "
            f"{mapping.path}; er is niets geschreven"
        )
    return tables, skipped


def _table_entries(tables: dict) -> list[tuple[int, dict]]:
    """Per year the manifest's record of a table read: id, file and the file's SHA-256."""
    from ...kern.outdir import file_sha256

    return [
        (
            year,
            {
                "year": year,
                "table_id": t.table_id,
                "file": t.file,
                "sha256": file_sha256(Path(t.file)) if t.file else None,
            },
        )
        for year, t in sorted(tables.items())
    ]


def _record(mapping: Any, tables: dict, frame: Any, missing: list[str], skipped: list[int]):
    """What the fetch read, for the manifest: mapping, tables (with their columns), gaps."""
    from importlib.metadata import PackageNotFoundError, version

    from ...kern.outdir import file_sha256

    try:
        cbsodata_version = version("cbsodata")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the project
        cbsodata_version = None
    notes = frame.drop_duplicates(["indicator", "year"])
    return {
        "cbsodata": cbsodata_version,
        "mapping": {"file": str(mapping.path), "sha256": file_sha256(mapping.path)},
        "tables": [
            entry
            | {"columns": {r.indicator: r.note for r in notes[notes["year"] == year].itertuples()}}
            for year, entry in _table_entries(tables)
        ],
        "missing": missing,
        "skipped": [{"year": y, "table_id": mapping.tables[y]} for y in skipped],
    }


def _national_tables(
    request: FetchRequest, mapping: Any, years: list[int], *, skip_missing: bool
) -> tuple[dict, list[int]]:
    """``(year -> RecordedTable, skipped years)`` of the whole country at the asked level:
    ``<table>_<level>.json`` in ``offline``, or fetched into the cache."""
    from ...kern.paths import CBS_CACHE_DIR
    from ..cbs import CbsError, RecordedMissing, fetch_national_table, read_recorded

    level, offline = request.options["level"], request.offline
    tables, skipped = {}, []
    for year in years:
        table_id = mapping.tables[year]
        if offline is None:
            request.say(f"Ophalen: CBS-tabel {table_id} ({year}), elke {level} van Nederland ...")
            tables[year] = fetch_national_table(
                table_id, CBS_CACHE_DIR, mapping=mapping, level=level, year=year
            )
            continue
        try:
            tables[year] = read_recorded(offline, table_id, suffix=f"_{level}")
        except RecordedMissing:
            if not skip_missing:
                raise
            skipped.append(year)
    if skipped:
        listed = ", ".join(f"{y} ({mapping.tables[y]}_{level}.json)" for y in skipped)
        request.say(f"Geen opgenomen antwoord in {offline} voor {listed}: overgeslagen")
    if not tables:
        raise CbsError(
            f"{offline}: geen enkel opgenomen landelijk antwoord (<tabel>_{level}.json) voor de "
            f"jaren in {mapping.path}; er is niets geschreven"
        )
    return tables, skipped


def _national(request: FetchRequest, mapping: Any, years: list[int], asked: bool) -> Fetched:
    """Every region of the country at the asked level, in the national format."""
    from ...kern.outdir import file_sha256
    from ..cbs import build_national

    tables, skipped = _national_tables(request, mapping, years, skip_missing=not asked)
    frame, empty = build_national(tables, mapping, request.options["level"])
    record = {
        "level": request.options["level"],
        "mapping": {"file": str(mapping.path), "sha256": file_sha256(mapping.path)},
        "tables": [entry for _, entry in _table_entries(tables)],
        "empty_cells": empty,
        "skipped": [{"year": y, "table_id": mapping.tables[y]} for y in skipped],
    }
    notes = [f"Leeg bij CBS (niet gepubliceerd of geheim), overgeslagen: {empty} cijfers"]
    return Fetched(frame, record, [], notes if empty else [])


def fetch(request: FetchRequest) -> Fetched:
    """The CBS figures of the years in the mapping (or between ``first`` and ``last``);
    with ``--national`` every region of the country in the national format."""
    from ..cbs import CbsError, build_measurements, load_cbs_mapping

    mapping = load_cbs_mapping(request.folder.cbs_mapping_file, request.registry)
    years = mapping.years(request.first, request.last)
    if not years:
        known = ", ".join(str(y) for y in sorted(mapping.tables))
        raise CbsError(
            f"geen CBS-tabel tussen --from en --to; {mapping.path} noemt de jaren {known}"
        )
    asked = request.first is not None or request.last is not None
    if request.options.get("national"):
        return _national(request, mapping, years, asked)
    tables, skipped = _tables(request, mapping, years, skip_missing=not asked)
    frame, missing, warnings = build_measurements(tables, mapping)
    notes = []
    if missing:
        notes.append(
            f"Leeg bij CBS (niet gepubliceerd of geheim), overgeslagen: {len(missing)} cijfers"
        )
    record = _record(mapping, tables, frame, missing, skipped)
    return Fetched(frame, record, warnings, notes)


def _arguments(parser) -> None:
    parser.add_argument(
        "--national",
        action="store_true",
        help=(
            "haal elke wijk (of buurt) van Nederland op, met inwoners en stedelijkheid, in één "
            "landelijk bestand voor de vergelijking (Parquet; .csv met --out); geen meetbestand"
        ),
    )
    parser.add_argument(
        "--level",
        choices=("wijk", "buurt"),
        default="wijk",
        help="met --national: wijk (standaard; met de gemeenten) of buurt (ook met de wijken)",
    )


def _national_file(options) -> str | None:
    return f"landelijk_cbs_{options['level']}.parquet" if options.get("national") else None


SOURCE = IndicatorSource(
    name="cbs",
    label="CBS",
    help="historie uit CBS Kerncijfers wijken en buurten",
    description=(
        f"Haalt per jaar de tabel Kerncijfers wijken en buurten op ({_AT.cbs_mapping_file} "
        "noemt tabel, kolomtitel, gebieden en omrekening) en schrijft één meetbestand. "
        "Online vraagt het alleen de rijen van de gemeente (municipality_code) op. "
        f"In {_AT.measurements_dir}/ komt het in het leveringsregister met de datum van ophalen. "
        "Een titel of gebied dat niet gevonden wordt is een fout; dan wordt niets geschreven."
    ),
    default_file="cbs_kerncijfers.csv",
    supplier="CBS Open Data (Kerncijfers wijken en buurten), opgehaald met npdw fetch cbs",
    fetch=fetch,
    add_arguments=_arguments,
    national_file=_national_file,
)
