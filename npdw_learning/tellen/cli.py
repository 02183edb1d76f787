"""The tellen commands: ``npdw indicators``, ``npdw validate``, ``npdw trends``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from .. import __version__
from ..kern.atomic import formula_safe, write_csv, write_text
from ..kern.console import EXIT_INPUT, EXIT_OK, echo, findings_summary, report_findings
from ..kern.registry import Registry, load_registry
from ..kern.synthetic import COMMAND_BANNER, MARKER_FILE
from .measurements import LoadResult, load_measurements, override_lines

__all__ = ["cmd_indicators", "cmd_validate", "cmd_trends", "SYNTHETIC_BANNER"]

SYNTHETIC_BANNER = COMMAND_BANNER
SYNTHETIC_MARKER = MARKER_FILE


def _registry(data_dir: Path) -> Registry:
    return load_registry(data_dir / "registry")


def cmd_indicators(args: argparse.Namespace) -> int:
    reg = _registry(args.data)
    table = reg.indicator_table()
    formula_safe(table).to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def _load(args: argparse.Namespace, reg: Registry, *, demo: bool = False) -> LoadResult:
    return load_measurements(
        reg,
        args.data,
        args.measurements or (),
        demo=demo,
        until_year=getattr(args, "year", None),
    )


def _report_overrides(result: LoadResult) -> None:
    n = len(result.overrides)
    if not n:
        echo("Vervangen waarden: geen (geen latere levering geeft een ander cijfer).")
        return
    echo(f"Vervangen waarden ({n}): de latere levering wint (zie deliveries.yaml)")
    for line in override_lines(result):
        echo(line)


def cmd_validate(args: argparse.Namespace) -> int:
    reg = _registry(args.data)
    result = _load(args, reg, demo=args.demo)
    echo(f"Gelezen: {len(result.files)} bestand(en), {len(result.raw)} geldige rijen.")
    report_findings(result.findings)
    _report_overrides(result)
    if args.out is not None:
        path = write_csv(result.findings_frame(), Path(args.out) / "data_quality.csv")
        echo(f"Bevindingen geschreven naar {path}")
    echo(findings_summary(result.findings))
    return EXIT_INPUT if result.errors else EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    # Imported here: the statistics and plotting stack is only needed for this command.
    from .run import run_tellen, write_tellen_outputs

    reg = _registry(args.data)
    result = _load(args, reg, demo=args.demo)
    if result.errors:
        report_findings(result.errors)
        echo(
            f"{findings_summary(result.findings)}. Er is niets geschreven; "
            "herstel de fouten en probeer het opnieuw (`npdw validate` toont alles)."
        )
        return EXIT_INPUT
    _report_overrides(result)
    report_findings([f for f in result.findings if f.file == "(demo)"])
    if result.measurements.empty:
        echo("Geen metingen gevonden; niets te berekenen.")
        return EXIT_INPUT
    if result.synthetic:
        echo(SYNTHETIC_BANNER)

    tellen = run_tellen(reg, result)
    out = Path(args.out)
    written = write_tellen_outputs(reg, result, tellen, tables_dir=out, figures_dir=out / "figures")
    _write_run_record(out, args.year, result, series=len(tellen.trends))

    echo(f"Trends: {_counts(tellen.trends['verdict'])}")
    echo(f"Voortgang: {_counts(tellen.progress['status'])}")
    echo(
        f"Geschreven naar {out}/: trends.csv, progress.csv, data_quality.csv, "
        f"{len(written.figures)} figuren in figures/"
    )
    return EXIT_OK


def _write_run_record(out: Path, year: int | None, loaded: LoadResult, *, series: int) -> None:
    """``run.json`` (version, year, files, number of series) and the demo-data marker file."""
    marker = out / SYNTHETIC_MARKER
    if loaded.synthetic:
        write_text(SYNTHETIC_BANNER + "\n", marker)
    else:
        marker.unlink(missing_ok=True)
    run = {
        "npdw_learning": __version__,
        "year": year,
        "synthetic": loaded.synthetic,
        "files": [str(p) for p in loaded.files],
        "series": int(series),
    }
    write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", out / "run.json")


def _counts(s: pd.Series) -> str:
    return ", ".join(f"{k} {v}" for k, v in s.value_counts().sort_index().items())
