"""The tellen commands: ``npdw indicators``, ``validate``, ``trends`` and ``fetch SOURCE``."""

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

__all__ = [
    "cli_indicators",
    "cli_validate",
    "cli_trends",
    "cli_fetch",
    "cli_compare",
    "SYNTHETIC_BANNER",
]

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


# -- npdw fetch SOURCE ---------------------------------------------------------------


def _manifest(args, source, fetched, out: Path, date) -> dict:
    """What the fetch read (the source's record) and wrote; ``register`` is added by the caller."""
    import datetime as dt

    return {
        "command": f"npdw fetch {source.name}",
        "fetched": date.isoformat(),
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": "offline" if args.offline is not None else "online",
        "offline_dir": str(args.offline) if args.offline is not None else None,
        "npdw_learning": __version__,
        **fetched.record,
        "output": {"file": str(out), "rows": int(len(fetched.frame)), "sha256": file_sha256(out)},
    }


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _report_replaced(
    reg: Registry, data_dir: Path, out: Path, registered: bool, label: str
) -> None:
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
        echo(
            f"Vervangen waarden ({len(mine)}): deze {label}-cijfers zijn de latere levering "
            "en winnen"
        )
        for o in mine.itertuples(index=False):
            echo(
                f"  {o.indicator}, {o.area}, {o.year}: {o.replaced_value:g} uit "
                f"{o.replaced_file} (rij {o.replaced_row}) -> {o.value:g}"
            )
    if not theirs.empty:
        echo(f"Niet gebruikt ({len(theirs)}): een latere levering gaat voor deze {label}-cijfers")
        for o in theirs.itertuples(index=False):
            where = f"{o.indicator}, {o.area}, {o.year}"
            echo(f"  {where}: {o.replaced_value:g} -> {o.value:g} uit {o.file}")


def _fetched_before(out: Path, command: str) -> bool:
    """Whether ``out`` is the file an earlier ``command`` wrote, unchanged since (its manifest)."""
    manifest = out.with_name(out.stem + ".manifest.json")
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        return record.get("command") == command and record["output"]["sha256"] == file_sha256(out)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _previous_fetch(out: Path) -> pd.DataFrame | None:
    """The file an earlier fetch wrote, to show what the source revised; None if absent or bad."""
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


def _fetch_target(args: argparse.Namespace, source, mdir: Path, options) -> Path:
    """The file ``npdw fetch`` writes: ``--out`` or the source's file in ``measurements/``."""
    from ..kern.errors import InputError

    out = Path(args.out) if args.out is not None else mdir / source.file_name(options)
    if out.suffix.lower() != ".csv":
        raise InputError(f"--out {out}: het meetbestand wordt een .csv-bestand")
    command = f"npdw fetch {source.name}"
    check_output_file(out, mine=_fetched_before(out, command), what=f"meetbestand van {command}")
    return out


def _fetched_frame(source, request) -> tuple:
    """The source's figures, checked with the rules of every delivery (:mod:`.sources`)."""
    from ..kern.errors import InputError
    from .sources import check_fetched

    fetched = source.fetch(request)
    if fetched.frame.empty:
        raise InputError(
            f"npdw fetch {source.name}: geen enkel cijfer gevonden; er is niets geschreven"
        )
    warnings = list(fetched.warnings) + check_fetched(fetched.frame, request.registry, source.label)
    return fetched, warnings


def _fetch_national(args: argparse.Namespace, source, folder, own, name: str) -> int:
    """``npdw fetch SOURCE --national``: every region of the country into one national file
    (:mod:`.national`); no delivery, so the register and the measurements stay as they are."""
    import datetime as dt

    from ..kern.errors import InputError
    from ..kern.paths import OUTPUTS_DIR
    from .national import NATIONAL_COLUMNS, SUFFIXES, check_national, write_national
    from .sources import FetchRequest

    out = Path(args.out) if args.out is not None else OUTPUTS_DIR / name
    if out.suffix.lower() not in SUFFIXES:
        raise InputError(f"--out {out}: het landelijke bestand wordt .parquet of .csv")
    command = f"npdw fetch {source.name} --national"
    check_output_file(out, mine=_fetched_before(out, command), what=f"bestand van {command}")
    request = FetchRequest(folder, args.first, args.last, out, args.offline, own, echo)
    fetched = source.fetch(request)
    frame = check_national(fetched.frame[NATIONAL_COLUMNS], f"(opgehaalde {source.label}-cijfers)")
    if frame.empty:
        raise InputError(f"{command}: geen enkel cijfer gevonden; er is niets geschreven")
    write_national(frame, out)
    fetched.frame = frame
    manifest = _manifest(args, source, fetched, out, dt.datetime.now(dt.UTC).date())
    manifest["command"] = command
    manifest_path = out.with_name(out.stem + ".manifest.json")
    write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", manifest_path)
    years = sorted(set(frame["year"]))
    levels = ", ".join(
        f"{n} {lv}" for lv, n in frame.groupby("level")["region_code"].nunique().items()
    )
    echo(
        f"Geschreven: {out} ({len(frame)} cijfers van {levels}; {len(years)} jaren "
        f"{years[0]}-{years[-1]}, {frame['indicator'].nunique()} indicatoren met inwoners en "
        f"stedelijkheid); manifest: {manifest_path}"
    )
    echo("Dit is het landelijke bestand voor de vergelijking; het is geen levering.")
    for note in fetched.notes:
        echo(note)
    report_findings(fetched.warnings)
    return EXIT_OK


def cli_fetch(args: argparse.Namespace) -> int:
    """``npdw fetch SOURCE``: a registered indicator source into one measurement file
    (or, when the source's options ask for it, into a national file)."""
    import datetime as dt

    from .deliveries import register_delivery
    from .sources import FetchRequest, indicator_sources, revisions

    source = indicator_sources()[args.fetch_command]
    folder = ProgrammeFolder(args.data)
    mdir = folder.measurements_dir
    own = {name: getattr(args, name) for name in args.source_options}
    national = source.national_name(own)
    if national is not None:
        return _fetch_national(args, source, folder, own, national)
    out = _fetch_target(args, source, mdir, own)
    request = FetchRequest(folder, args.first, args.last, out, args.offline, own, echo)
    fetched, warnings = _fetched_frame(source, request)
    frame = fetched.frame
    previous = _previous_fetch(out)
    date = dt.datetime.now(dt.UTC).date()
    write_csv(frame, out)
    manifest = _manifest(args, source, fetched, out, date)
    registered = _same_file(out.parent, mdir)
    if registered:
        manifest["register"] = register_delivery(
            mdir,
            out.name,
            date,
            fetched.supplier or source.supplier,
            comment=f"datum van ophalen (npdw fetch {source.name})",
        )
    manifest_path = out.with_name(out.stem + ".manifest.json")
    write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", manifest_path)
    years = sorted(set(frame["year"].astype(int)))
    echo(
        f"Geschreven: {out} ({len(frame)} cijfers, {len(years)} jaren {years[0]}-{years[-1]}, "
        f"{frame['indicator'].nunique()} indicatoren); manifest: {manifest_path}"
    )
    if registered:
        echo(f"Leveringsregister: {out.name} staat in {folder.deliveries_file} met datum {date}")
    else:
        echo(
            f"Niet in {mdir}: het leveringsregister is niet aangepast. Gebruik het bestand met "
            f"--measurements {out} (dan telt het als nieuwste levering)."
        )
    for note in fetched.notes:
        echo(note)
    report_findings(warnings)
    changed = revisions(previous, frame)
    if changed:
        echo(f"Door {source.label} herzien sinds de vorige keer ophalen ({len(changed)}):")
        for line in changed:
            echo(line)
    _report_replaced(folder.registry, folder.root, out, registered, source.label)
    return EXIT_OK


# -- npdw compare ------------------------------------------------------------------------


def _compare_methods(choice: str) -> tuple[str, ...]:
    from .comparison import METHODS

    return METHODS if choice == "both" else (choice,)


def _compare_summary(comparison) -> None:
    """One line per method with its verdicts, then the programme effects found."""
    table = comparison.result.comparison
    for method, rows in table.groupby("method", sort=False):
        echo(f"{method}: {_counts(rows['verdict'])}")
    found = table[table["verdict"].isin(["better_than_comparison", "worse_than_comparison"])]
    for row in found.itertuples():
        echo(
            f"  {row.area} / {row.indicator} ({row.method}): {row.verdict}, effect "
            f"{row.effect:.3g} (95%: {row.effect_low:.3g} tot {row.effect_high:.3g}), "
            f"p = {row.p_value:.2g}"
        )


def _nothing_judged(comparison, national: pd.DataFrame, start_year: int) -> None:
    """A warning with the figures when no unit x indicator could be judged at all."""
    from .comparison import MIN_POST_YEARS, MIN_PRE_YEARS

    if (comparison.result.comparison["verdict"] != "insufficient_data").any():
        return
    years = sorted(int(y) for y in national["year"].unique())
    before = sum(y < start_year for y in years)
    echo(
        f"WAARSCHUWING: geen enkele reeks te beoordelen. Nodig: minstens {MIN_PRE_YEARS} "
        f"jaren vóór {start_year} en {MIN_POST_YEARS} erna, en een vergelijkingsgroep van "
        f"enkele tientallen wijken; het bestand heeft {before} jaar/jaren vóór de start "
        f"({', '.join(map(str, years))}) en {comparison.record['pool_regions']} wijken in "
        "de groep."
    )


def cli_compare(args: argparse.Namespace) -> int:
    """``npdw compare --national FILE``: the programme against comparable regions."""
    from ..kern.paths import OUTPUTS_DIR
    from .national import read_national
    from .national_run import national_comparison, write_comparison_tables

    national_path = Path(args.national)
    out = Path(args.out) if args.out else OUTPUTS_DIR / "vergelijking"
    check_output_dir(out)
    folder = ProgrammeFolder(args.data)
    _ = folder.registry  # a broken registry is reported before the national file is read
    national = read_national(national_path)
    years = (int(national["year"].min()), int(national["year"].max()))
    if args.year is not None:
        check_year(args.year, {f"het landelijke bestand {national_path.name}": years})
    comparison = national_comparison(
        folder,
        national,
        file=national_path.name,
        sha256=file_sha256(national_path),
        methods=_compare_methods(args.method),
        until_year=args.year,
        say=echo,
    )
    with owned_output(out) as build:
        written = write_comparison_tables(comparison.result, comparison.ranking, build)
        record = {"version": __version__, "year": args.year, "national": comparison.record}
        write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", build / "run.json")
    _compare_summary(comparison)
    _nothing_judged(comparison, national, folder.registry.start_year)
    echo(f"Geschreven naar {out}/: {', '.join(p.name for p in written)}, run.json")
    return EXIT_OK
