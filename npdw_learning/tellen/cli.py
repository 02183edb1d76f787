"""The tellen commands: ``npdw indicators``, ``validate``, ``trends`` and ``fetch cbs``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from ..kern.atomic import formula_safe, write_csv, write_text
from ..kern.console import EXIT_INPUT, EXIT_OK, echo, findings_summary, report_findings
from ..kern.outdir import check_output_dir, check_output_file, file_sha256, owned_output
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.synthetic import COMMAND_BANNER, MARKER_FILE
from ..kern.version import __version__
from ..kern.years import check_year
from .measurements import LoadResult, load_measurements, override_lines

__all__ = ["cli_indicators", "cli_validate", "cli_trends", "cli_fetch_cbs", "SYNTHETIC_BANNER"]

SYNTHETIC_BANNER = COMMAND_BANNER
SYNTHETIC_MARKER = MARKER_FILE


def _registry(data_dir: Path) -> Registry:
    return ProgrammeFolder(data_dir).registry


def cli_indicators(args: argparse.Namespace) -> int:
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
    echo(
        f"Vervangen waarden ({n}): de latere levering wint (zie {ProgrammeFolder.deliveries_file})"
    )
    for line in override_lines(result):
        echo(line)


def cli_validate(args: argparse.Namespace) -> int:
    if args.out is not None:
        check_output_dir(Path(args.out))
    reg = _registry(args.data)
    result = _load(args, reg, demo=args.demo)
    echo(
        f"Gelezen: {len(result.files)} bestand(en), {len(result.raw)} geldige rijen. "
        f"Bestandsnamen zijn ten opzichte van de datamap {args.data}."
    )
    if not result.files:
        echo(
            f"Nog geen metingen: zet een levering in {ProgrammeFolder(args.data).measurements_dir} "
            "(kolommen indicator, area, year, value) en voeg hem toe aan "
            f"{ProgrammeFolder.deliveries_file}."
        )
    report_findings(result.findings)
    _report_overrides(result)
    if args.out is not None:
        out = Path(args.out)
        with owned_output(out) as build:
            write_csv(result.findings_frame(), build / "data_quality.csv")
        echo(f"Bevindingen geschreven naar {out / 'data_quality.csv'}")
    echo(findings_summary(result.findings))
    return EXIT_INPUT if result.errors else EXIT_OK


def cli_trends(args: argparse.Namespace) -> int:
    # Imported here: the statistics and plotting stack is only needed for this command.
    from .run import run_tellen, write_tellen_outputs

    out = Path(args.out)
    check_output_dir(out)  # before anything is read: a folder that is not ours is refused at once
    reg = _registry(args.data)
    result = _load(args, reg, demo=args.demo)
    if result.errors:
        report_findings(result.errors)
        echo(
            f"{findings_summary(result.findings)}. Er is niets geschreven; "
            "herstel de fouten en probeer het opnieuw (`npdw validate` toont alles)."
        )
        return EXIT_INPUT
    if args.year is not None:  # a year outside the data gives empty tables: refused
        check_year(args.year, {"de metingen": result.years})
    _report_overrides(result)
    report_findings([f for f in result.findings if f.file == "(demo)"])
    if result.measurements.empty:
        echo("Geen metingen gevonden; niets te berekenen.")
        return EXIT_INPUT
    if result.synthetic:
        echo(SYNTHETIC_BANNER)

    tellen = run_tellen(reg, result)
    with owned_output(out, remove=() if result.synthetic else (SYNTHETIC_MARKER,)) as build:
        written = write_tellen_outputs(
            reg, result, tellen, tables_dir=build, figures_dir=build / "figures"
        )
        _write_run_record(build, args.year, result, series=len(tellen.trends))

    echo(f"Trends: {_counts(tellen.trends['verdict'])}")
    echo(f"Veranderingen sinds de nulmeting: {_counts(tellen.changes['verdict'])}")
    echo(f"Afbuigingen na {reg.start_year}: {_counts(tellen.breaks['verdict'])}")
    echo(f"Voortgang: {_counts(tellen.progress['status'])}")
    echo(
        f"Geschreven naar {out}/: trends.csv, changes.csv, breaks.csv, progress.csv, "
        f"data_quality.csv, {len(written.figures)} figuren in figures/"
    )
    return EXIT_OK


def _write_run_record(out: Path, year: int | None, loaded: LoadResult, *, series: int) -> None:
    """``run.json`` (version, year, files, number of series) and, with demo data, the
    demo-data marker file (a run without demo data removes an earlier one: ``cli_trends``)."""
    if loaded.synthetic:
        write_text(SYNTHETIC_BANNER + "\n", out / SYNTHETIC_MARKER)
    run = {
        "npdw_learning": __version__,
        "year": year,
        "synthetic": loaded.synthetic,
        "files": [str(f) for f in loaded.deliveries["file"]],
        "series": int(series),
    }
    write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", out / "run.json")


def _counts(s: pd.Series) -> str:
    return ", ".join(f"{k} {v}" for k, v in s.value_counts().sort_index().items()) or "geen"


# -- npdw fetch cbs ----------------------------------------------------------------

CBS_OUTPUT = "cbs_kerncijfers.csv"
CBS_SUPPLIER = "CBS Open Data (Kerncijfers wijken en buurten), opgehaald met npdw fetch cbs"


def _cbs_tables(mapping, years: list[int], offline: Path | None, *, skip_missing: bool):
    """``(year -> RecordedTable, skipped years)``: recorded answers in ``offline``, or fetched.

    With ``skip_missing`` (``--offline`` without ``--from``/``--to``) a year
    without a recorded answer is skipped and listed; otherwise it is an error.
    """
    from ..kern.paths import CBS_CACHE_DIR
    from .cbs import CbsError, RecordedMissing, fetch_table, read_recorded

    tables, skipped = {}, []
    for year in years:
        table_id = mapping.tables[year]
        if offline is None:
            echo(f"Ophalen: CBS-tabel {table_id} ({year}), alleen {mapping.municipality} ...")
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
        echo(
            f"Geen opgenomen antwoord in {offline} voor {listed}: overgeslagen "
            "(vraag een jaar met --from/--to om er een fout van te maken)"
        )
    if not tables:
        raise CbsError(
            f"{offline}: geen enkel opgenomen antwoord (<tabel>.json) voor de jaren in "
            f"{mapping.path}; er is niets geschreven"
        )
    return tables, skipped


def _cbs_manifest(args, mapping, tables: dict, frame, missing, out: Path, fetched) -> dict:
    """What the fetch read and wrote; ``skipped`` is added by the caller."""
    import datetime as dt
    from importlib.metadata import PackageNotFoundError, version

    try:
        cbsodata_version = version("cbsodata")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the project
        cbsodata_version = None
    notes = frame.drop_duplicates(["indicator", "year"])
    return {
        "command": "npdw fetch cbs",
        "fetched": fetched.isoformat(),
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": "offline" if args.offline is not None else "online",
        "offline_dir": str(args.offline) if args.offline is not None else None,
        "npdw_learning": __version__,
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
        "output": {"file": str(out), "rows": int(len(frame)), "sha256": file_sha256(out)},
        "missing": missing,
    }


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _cbs_report_replaced(reg: Registry, data_dir: Path, out: Path, registered: bool) -> None:
    """Say which earlier values the fetched file replaces, and which later ones win over it."""
    result = load_measurements(reg, data_dir, () if registered else (out,))
    # The overrides name files as the run does (relative to the data folder): find ours.
    files = zip(result.files, result.deliveries["file"], strict=True)
    named = [name for path, name in files if _same_file(path, out)]
    ov = result.overrides
    mine, theirs = ov[ov["file"].isin(named)], ov[ov["replaced_file"].isin(named)]
    if mine.empty:
        echo("Vervangen waarden: geen (geen eerdere levering geeft voor deze cijfers iets anders).")
    else:
        echo(f"Vervangen waarden ({len(mine)}): deze CBS-cijfers zijn de latere levering en winnen")
        for o in mine.itertuples(index=False):
            echo(
                f"  {o.indicator}, {o.area}, {o.year}: {o.replaced_value:g} uit "
                f"{o.replaced_file} (rij {o.replaced_row}) -> {o.value:g}"
            )
    if not theirs.empty:
        echo(f"Niet gebruikt ({len(theirs)}): een latere levering gaat voor deze CBS-cijfers")
        for o in theirs.itertuples(index=False):
            where = f"{o.indicator}, {o.area}, {o.year}"
            echo(f"  {where}: {o.replaced_value:g} -> {o.value:g} uit {o.file}")


def _fetched_before(out: Path) -> bool:
    """Whether ``out`` is the file an earlier fetch wrote, unchanged since (per its manifest)."""
    manifest = out.with_name(out.stem + ".manifest.json")
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        return record.get("command") == "npdw fetch cbs" and record["output"][
            "sha256"
        ] == file_sha256(out)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _previous_fetch(out: Path) -> pd.DataFrame | None:
    """The file an earlier fetch wrote, to show what CBS revised; None when absent or unreadable."""
    from ..kern.atomic import read_csv

    if not out.exists():
        return None
    try:
        previous = read_csv(out)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    needed = {"indicator", "area", "year", "value"}
    if not needed <= set(previous.columns) or not pd.api.types.is_numeric_dtype(previous["value"]):
        return None
    return previous


def cli_fetch_cbs(args: argparse.Namespace) -> int:
    """``npdw fetch cbs``: CBS Kerncijfers wijken en buurten into one measurement file."""
    import datetime as dt

    from .cbs import (
        CbsError,
        build_measurements,
        check_frame,
        load_cbs_mapping,
        revisions,
    )
    from .deliveries import register_delivery

    folder = ProgrammeFolder(args.data)
    data_dir, reg = folder.root, folder.registry
    mapping = load_cbs_mapping(folder.cbs_mapping_file, reg)
    years = mapping.years(args.first, args.last)
    if not years:
        known = ", ".join(str(y) for y in sorted(mapping.tables))
        raise CbsError(
            f"geen CBS-tabel tussen --from en --to; {mapping.path} noemt de jaren {known}"
        )
    mdir = folder.measurements_dir
    out = Path(args.out) if args.out is not None else mdir / CBS_OUTPUT
    if out.suffix.lower() != ".csv":
        raise CbsError(f"--out {out}: het meetbestand wordt een .csv-bestand")
    check_output_file(out, mine=_fetched_before(out), what="meetbestand van npdw fetch cbs")
    asked = args.first is not None or args.last is not None
    tables, skipped = _cbs_tables(mapping, years, args.offline, skip_missing=not asked)
    years = sorted(tables)
    frame, missing, name_warnings = build_measurements(tables, mapping)
    warnings = name_warnings + check_frame(frame, reg)
    previous = _previous_fetch(out)
    fetched = dt.datetime.now(dt.UTC).date()
    write_csv(frame, out)
    manifest = _cbs_manifest(args, mapping, tables, frame, missing, out, fetched)
    manifest["skipped"] = [{"year": y, "table_id": mapping.tables[y]} for y in skipped]
    registered = _same_file(out.parent, mdir)
    if registered:
        manifest["register"] = register_delivery(
            mdir, out.name, fetched, CBS_SUPPLIER, comment="datum van ophalen (npdw fetch cbs)"
        )
    manifest_path = out.with_name(out.stem + ".manifest.json")
    write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", manifest_path)
    echo(
        f"Geschreven: {out} ({len(frame)} cijfers, {len(years)} jaren {years[0]}-{years[-1]}, "
        f"{frame['indicator'].nunique()} indicatoren); manifest: {manifest_path}"
    )
    if registered:
        echo(f"Leveringsregister: {out.name} staat in {folder.deliveries_file} met datum {fetched}")
    else:
        echo(
            f"Niet in {mdir}: het leveringsregister is niet aangepast. Gebruik het bestand met "
            f"--measurements {out} (dan telt het als nieuwste levering)."
        )
    if missing:
        echo(f"Leeg bij CBS (niet gepubliceerd of geheim), overgeslagen: {len(missing)} cijfers")
    report_findings(warnings)
    changed = revisions(previous, frame)
    if changed:
        echo(f"Door CBS herzien sinds de vorige keer ophalen ({len(changed)}):")
        for line in changed:
            echo(line)
    _cbs_report_replaced(reg, data_dir, out, registered)
    return EXIT_OK
