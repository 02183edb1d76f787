"""The kern command: ``npdw init`` (a new programme folder)."""

from __future__ import annotations

import argparse

from .console import EXIT_OK, echo, program
from .programme import ProgrammeFolder
from .scaffold import (
    DEFAULT_AGGREGATE,
    ProgrammeSpec,
    parse_area,
    scaffold_programme,
    short_name_of,
)

__all__ = ["cli_init"]


def cli_init(args: argparse.Namespace) -> int:
    """Make the programme folder ``args.dir`` and say what to do next."""
    spec = ProgrammeSpec(
        name=" ".join(args.name.split()),
        short_name=(args.short_name or short_name_of(args.name)).strip(),
        neighbourhoods=tuple(parse_area(w, "--areas") for w in args.areas),
        reference=parse_area(args.reference, "--reference"),
        aggregate=(
            parse_area(args.aggregate, "--aggregate") if args.aggregate else DEFAULT_AGGREGATE
        ),
    )
    folder = scaffold_programme(args.dir, spec)
    at = ProgrammeFolder  # the files by their path in the folder
    n = len(spec.neighbourhoods)
    echo(f"Programmamap gemaakt: {folder} ({spec.name}, {n} {'wijk' if n == 1 else 'wijken'}).")
    echo(f"Lees eerst {folder / 'README.md'}: wat u invult, in welke volgorde.")
    echo(f"Nog in te vullen: de gewichten van de wijken ({at.areas_file}), de doelen")
    echo(f"({at.goals_file}), metingen, verhalen, inspanningen en de leeragenda.")
    echo(f"Controleren: {program()} validate --data {folder}")
    return EXIT_OK
