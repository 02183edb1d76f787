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
    if not result.files:
        echo(
            f"Nog geen metingen: zet een levering in {Path(args.data) / 'measurements'} "
            "(kolommen indicator, area, year, value) en voeg hem toe aan deliveries.yaml."
        )
    report_findings(result.findings)
    _report_overrides(result)
    if args.out is not None:
        path = write_csv(result.findings_frame(), Path(args.out) / "data_quality.csv")
        echo(f"Bevindingen geschreven naar {path}")
    echo(findings_summary(result.findings))
    return EXIT_INPUT if result.errors else EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    # Imported here: the statistics stack is only needed for this command.
    from .figures import save_pillar_figures
    from .run import run_tellen

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
    synthetic = result.synthetic
    if synthetic:
        echo(SYNTHETIC_BANNER)

    tellen = run_tellen(reg, result)
    m, trends, progress = tellen.measurements, tellen.trends, tellen.progress

    out = Path(args.out)
    write_csv(trends, out / "trends.csv")
    write_csv(progress, out / "progress.csv")
    write_csv(result.findings_frame(), out / "data_quality.csv")
    figures = save_pillar_figures(
        m,
        reg.indicators,
        progress,
        reg.pillars,
        out / "figures",
        area_labels=reg.area_labels(),
        reference=reg.reference,
        aggregate=reg.aggregate_id,
        synthetic=synthetic,
    )
    marker = out / SYNTHETIC_MARKER
    if synthetic:
        write_text(SYNTHETIC_BANNER + "\n", marker)
    else:
        marker.unlink(missing_ok=True)
    run = {
        "npdw_learning": __version__,
        "year": args.year,
        "synthetic": synthetic,
        "files": [str(p) for p in result.files],
        "series": int(len(trends)),
    }
    write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", out / "run.json")

    echo(f"Trends: {_counts(trends['verdict'])}")
    echo(f"Voortgang: {_counts(progress['status'])}")
    echo(
        f"Geschreven naar {out}/: trends.csv, progress.csv, data_quality.csv, "
        f"{len(figures)} figuren in figures/"
    )
    return EXIT_OK


def _counts(s: pd.Series) -> str:
    return ", ".join(f"{k} {v}" for k, v in s.value_counts().sort_index().items())
