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
            {
                "year": year,
                "table_id": t.table_id,
                "file": t.file,
                "sha256": file_sha256(Path(t.file)) if t.file else None,
                "columns": {r.indicator: r.note for r in notes[notes["year"] == year].itertuples()},
            }
            for year, t in sorted(tables.items())
        ],
        "missing": missing,
        "skipped": [{"year": y, "table_id": mapping.tables[y]} for y in skipped],
    }


def fetch(request: FetchRequest) -> Fetched:
    """The CBS figures of the years in the mapping (or between ``first`` and ``last``)."""
    from ..cbs import CbsError, build_measurements, load_cbs_mapping

    mapping = load_cbs_mapping(request.folder.cbs_mapping_file, request.registry)
    years = mapping.years(request.first, request.last)
    if not years:
        known = ", ".join(str(y) for y in sorted(mapping.tables))
        raise CbsError(
            f"geen CBS-tabel tussen --from en --to; {mapping.path} noemt de jaren {known}"
        )
    asked = request.first is not None or request.last is not None
    tables, skipped = _tables(request, mapping, years, skip_missing=not asked)
    frame, missing, warnings = build_measurements(tables, mapping)
    notes = []
    if missing:
        notes.append(
            f"Leeg bij CBS (niet gepubliceerd of geheim), overgeslagen: {len(missing)} cijfers"
        )
    record = _record(mapping, tables, frame, missing, skipped)
    return Fetched(frame, record, warnings, notes)


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
)
