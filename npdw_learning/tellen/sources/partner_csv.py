"""``npdw fetch csv FILE``: a partner's file in the long format, checked and registered.

A partner (a GGD, a housing corporation, a university) delivers figures as a
CSV (or XLSX) file with the columns ``indicator, area, year, value`` (and
optionally ``n, se, source, note``). This source reads it as every delivery
is read, keeps the years between ``--from`` and ``--to``, and ``npdw fetch``
writes it into ``measurements/`` under its own name, in the delivery register
with today's date and the supplier named by ``--supplier``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...kern.programme import ProgrammeFolder as _AT  # on the class: paths as messages name them
from . import Fetched, FetchRequest, IndicatorSource

__all__ = ["SOURCE"]


def fetch(request: FetchRequest) -> Fetched:
    """The rows of the partner's file, every one valid, within the asked years."""
    from ...kern.errors import InputError
    from ...kern.outdir import file_sha256
    from ..measurements import MEASUREMENT_COLUMNS, read_measurement_file

    path = Path(request.options["csv_file"])
    if request.offline is not None:
        raise InputError("npdw fetch csv leest een bestand en gebruikt geen --offline")
    rows, findings = read_measurement_file(path, request.registry)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise InputError(f"{path}: {len(errors)} fout(en); er is niets geschreven", errors)
    years = rows["year"].astype(int)
    first = years.min() if request.first is None else request.first
    last = years.max() if request.last is None else request.last
    keep = years.between(first, last)
    frame = rows.loc[keep, MEASUREMENT_COLUMNS].reset_index(drop=True)
    supplier = request.options["csv_supplier"]
    record = {"input": {"file": str(path), "sha256": file_sha256(path)}, "supplier": supplier}
    warnings = [f for f in findings if f.severity != "error"]
    notes = [f"Gelezen: {path} ({len(rows)} cijfers; {len(frame)} in de gevraagde jaren)"]
    return Fetched(frame, record, warnings, notes, supplier=supplier)


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "csv_file", type=Path, metavar="FILE", help="het bestand van de partner (CSV of XLSX)"
    )
    parser.add_argument(
        "--supplier",
        dest="csv_supplier",
        metavar="NAAM",
        required=True,
        help="wie de cijfers leverde (verplicht: het leveringsregister noemt de leverancier)",
    )


SOURCE = IndicatorSource(
    name="csv",
    label="partner",
    help="een bestand van een partner in het lange formaat",
    description=(
        "Leest FILE (kolommen indicator, area, year, value; eventueel n, se, source, note) "
        "zoals elke levering gelezen wordt, houdt de jaren tussen --from en --to en schrijft "
        f"het als meetbestand in {_AT.measurements_dir}/ met dezelfde naam, in het "
        "leveringsregister met de datum van vandaag. Een fout in het bestand: niets geschreven."
    ),
    default_file=lambda options: Path(options["csv_file"]).with_suffix(".csv").name,
    supplier="partner (npdw fetch csv)",
    fetch=fetch,
    add_arguments=add_arguments,
)
