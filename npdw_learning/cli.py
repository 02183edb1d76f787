"""The ``npdw`` command line.

Input errors (a wrong file, a broken registry) print a short Dutch message
naming file, row and column and exit 1, without a Python traceback. Anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from .atomic import formula_safe, write_csv, write_text
from .errors import Finding, InputError
from .measurements import LoadResult, load_measurements
from .paths import DATA_DIR, OUTPUTS_DIR
from .registry import Registry, load_registry
from .stories import STORIES_DIR

__all__ = ["main", "override_lines"]

EXIT_OK, EXIT_INPUT = 0, 1
SYNTHETIC_BANNER = (
    "LET OP: deze uitvoer bevat SYNTHETISCHE DEMODATA (data/demo/). "
    "Dit zijn geen echte cijfers; gebruik ze alleen om de werkwijze te laten zien."
)
SYNTHETIC_MARKER = "LET_OP_SYNTHETISCHE_DEMODATA.txt"


def _print(msg: str = "") -> None:
    print(msg, flush=True)


def _registry(data_dir: Path) -> Registry:
    return load_registry(data_dir / "registry")


def _report_findings(findings: Sequence[Finding], *, limit: int | None = None) -> None:
    shown = findings if limit is None else findings[:limit]
    for f in shown:
        _print(str(f))
    if limit is not None and len(findings) > limit:
        _print(f"... en nog {len(findings) - limit} (zie data_quality.csv)")


def _summary(findings: Sequence[Finding]) -> str:
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    return f"{n_err} fout(en), {n_warn} waarschuwing(en)"


# -- commands --------------------------------------------------------------------


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


def override_lines(result: LoadResult) -> list[str]:
    """Every override of a run, one line each with both files and both values (Dutch)."""

    from .deliveries import delivery_label

    def where(file: str, row: int, delivered: str) -> str:
        label = delivery_label(delivered)
        return f"{file} (rij {row}" + (f", {label})" if label else ")")

    return [
        f"  {o.indicator}, {o.area}, {o.year}: "
        f"{o.replaced_value:g} uit {where(o.replaced_file, o.replaced_row, o.replaced_delivered)}"
        f" -> {o.value:g} uit {where(o.file, o.row, o.delivered)}"
        for o in result.overrides.itertuples(index=False)
    ]


def _report_overrides(result: LoadResult) -> None:
    n = len(result.overrides)
    if not n:
        _print("Vervangen waarden: geen (geen latere levering geeft een ander cijfer).")
        return
    _print(f"Vervangen waarden ({n}): de latere levering wint (zie deliveries.yaml)")
    for line in override_lines(result):
        _print(line)


def cmd_validate(args: argparse.Namespace) -> int:
    reg = _registry(args.data)
    result = _load(args, reg, demo=args.demo)
    _print(f"Gelezen: {len(result.files)} bestand(en), {len(result.raw)} geldige rijen.")
    _report_findings(result.findings)
    _report_overrides(result)
    if args.out is not None:
        path = write_csv(result.findings_frame(), Path(args.out) / "data_quality.csv")
        _print(f"Bevindingen geschreven naar {path}")
    _print(_summary(result.findings))
    return EXIT_INPUT if result.errors else EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    # Imported here: the statistics stack is only needed for this command.
    from .figures import save_pillar_figures
    from .tellen import run_tellen

    reg = _registry(args.data)
    result = _load(args, reg, demo=args.demo)
    if result.errors:
        _report_findings(result.errors)
        _print(
            f"{_summary(result.findings)}. Er is niets geschreven; "
            "herstel de fouten en probeer het opnieuw (`npdw validate` toont alles)."
        )
        return EXIT_INPUT
    _report_overrides(result)
    _report_findings([f for f in result.findings if f.file == "(demo)"])
    if result.measurements.empty:
        _print("Geen metingen gevonden; niets te berekenen.")
        return EXIT_INPUT
    synthetic = result.synthetic
    if synthetic:
        _print(SYNTHETIC_BANNER)

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

    _print(f"Trends: {_counts(trends['verdict'])}")
    _print(f"Voortgang: {_counts(progress['status'])}")
    _print(
        f"Geschreven naar {out}/: trends.csv, progress.csv, data_quality.csv, "
        f"{len(figures)} figuren in figures/"
    )
    return EXIT_OK


def _counts(s: pd.Series) -> str:
    return ", ".join(f"{k} {v}" for k, v in s.value_counts().sort_index().items())


def cmd_stories_validate(args: argparse.Namespace) -> int:
    from .stories import load_stories, load_story_vocabulary

    vocab = load_story_vocabulary(directory=Path(args.data) / "registry")
    collection = load_stories(args.stories, vocab)
    findings = list(collection.findings)
    msc_path = Path(args.stories) / "msc.yaml"
    if msc_path.exists():
        from .msc import load_msc

        try:
            findings += load_msc(msc_path, collection).warnings
        except InputError as exc:
            findings += exc.findings
    _report_findings(findings)
    _print(f"{len(collection.stories)} geldige verhalen; {_summary(findings)}")
    unsorted = sum(1 for s in collection.stories if not s.pillars)
    proposed = sum(1 for s in collection.stories if s.pillars_source == "auto")
    if unsorted or proposed:
        _print(
            f"{unsorted} nog niet ingedeeld (zonder pijler); {proposed} met voorgestelde "
            "pijlers om te controleren (pillars_source: auto)"
        )
    return EXIT_INPUT if any(f.severity == "error" for f in findings) else EXIT_OK


def _lazy(module: str, function: str):
    """A command handler imported only when its command runs (spaCy and deduce are slow)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(f".{module}", __package__), function)(args)

    return run


# -- parser ------------------------------------------------------------------------


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        type=Path,
        default=DATA_DIR,
        help="datamap met registry/, measurements/ en demo/ (standaard: data/)",
    )
    p.add_argument(
        "--measurements",
        type=Path,
        nargs="+",
        metavar="FILE",
        help=(
            "extra leveringen (CSV of XLSX): nieuwer dan alle bestanden in measurements/; "
            "bij hetzelfde indicator/gebied/jaar wint het laatst genoemde"
        ),
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="neem de synthetische demoreeksen mee (elke uitvoer meldt dat)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="npdw",
        description=(
            "Vertellen en tellen: de jaarlijkse evaluatie van het programma in het register "
            "(data/registry/programme.yaml)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("indicators", help="het indicatorenregister als CSV")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("validate", help="controleer metingen; schrijf data_quality.csv")
    _data_args(p)
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="evaluatiejaar: latere jaren worden gemeld en tellen niet mee",
    )
    p.add_argument("--out", type=Path, help="map voor data_quality.csv")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stories", help="verhalen: importeren, controleren, overeenstemming")
    stories = p.add_subparsers(dest="stories_command", required=True, metavar="STORIES_COMMAND")

    s = stories.add_parser("validate", help="controleer de verhaalbestanden in stories/")
    s.add_argument("--stories", type=Path, default=STORIES_DIR, help="map met verhalen")
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.set_defaults(func=cmd_stories_validate)

    s = stories.add_parser(
        "import", help="importeer een CSV/XLSX-export als gepseudonimiseerde verhalen"
    )
    s.add_argument("file", type=Path, metavar="FILE", help="CSV- of XLSX-export van een formulier")
    s.add_argument(
        "--sheet",
        help="alleen dit werkblad van een XLSX-bestand (standaard: elk werkblad met de kolommen)",
    )
    s.add_argument("--mapping", type=Path, help="YAML die kolomnamen van het formulier omzet")
    s.add_argument("--out", type=Path, default=STORIES_DIR, help="map voor de verhalen")
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.set_defaults(func=_lazy("importer", "cli_import"))

    s = stories.add_parser("agreement", help="overeenstemming tussen codeurs (kappa, alpha)")
    s.add_argument("coders", nargs="+", metavar="CODER", help="codeurs; 'auto' = automatisch")
    s.add_argument("--stories", type=Path, default=STORIES_DIR, help="map met verhalen")
    s.add_argument("--out", type=Path, help="CSV met de tabel per thema")
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.set_defaults(func=_lazy("agreement", "cli_agreement"))

    s = stories.add_parser(
        "export",
        help="schrijf verhalen, codeboek en coderingen voor ATLAS.ti, NVivo, MAXQDA, QualCoder",
        description="FILE.qdpx: een REFI-QDA-project met alle verhalen (als tekst, de kop als "
        "variabelen), het codeboek en de coderingen (gebruiker 'auto' en elke codeur in "
        "stories/coding/). FILE.qdc: alleen het codeboek.",
    )
    s.add_argument("file", type=Path, metavar="FILE", help="FILE.qdpx (project) of FILE.qdc")
    s.add_argument(
        "--no-codings",
        action="store_true",
        help="zonder coderingen: voor een nieuwe codeur die blind codeert",
    )
    s.add_argument("--stories", type=Path, default=STORIES_DIR, help="map met verhalen")
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.set_defaults(func=_lazy("qda", "cli_export"))

    s = stories.add_parser(
        "import-codings",
        help="zet de coderingen uit een REFI-QDA-project om in stories/coding/<codeur>.csv",
        description="Telt de coderingen van de gebruiker die de export niet schreef (of van "
        "--user). Een verhaal zonder code telt als gelezen zonder thema, behalve met "
        "--coded-only. Een onbekende code of bron is een fout; dan wordt niets geschreven.",
    )
    s.add_argument("file", type=Path, metavar="FILE", help="het project (.qdpx) van de codeur")
    s.add_argument(
        "--coder", required=True, help="naam van de codeur: wordt stories/coding/NAAM.csv"
    )
    s.add_argument("--user", help="neem alleen de coderingen van deze gebruiker in het project")
    s.add_argument(
        "--coded-only",
        action="store_true",
        help="alleen de verhalen met minstens één code (standaard: alle verhalen in het project)",
    )
    s.add_argument(
        "--overwrite", action="store_true", help="vervang een bestaand codeerbestand van NAAM"
    )
    s.add_argument("--stories", type=Path, default=STORIES_DIR, help="map met verhalen")
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.set_defaults(func=_lazy("qda", "cli_import_codings"))

    p = sub.add_parser("trends", help="trends en voortgang per indicator en wijk")
    _data_args(p)
    p.add_argument(
        "--year", type=int, default=None, help="evaluatiejaar: latere metingen tellen niet mee"
    )
    p.add_argument("--out", type=Path, required=True, help="uitvoermap, bijv. outputs/2026")
    p.set_defaults(func=cmd_trends)

    p = sub.add_parser("agenda", help="de leeragenda: leervragen, onderzoek, lessen")
    agenda = p.add_subparsers(dest="agenda_command", required=True, metavar="AGENDA_COMMAND")
    s = agenda.add_parser(
        "check", help="controleer de leeragenda, overvraging van bewoners en de dekking"
    )
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.add_argument("--stories", type=Path, default=STORIES_DIR, help="map met verhalen")
    s.add_argument(
        "--strict", action="store_true", help="ook bij waarschuwingen afsluiten met code 1"
    )
    s.set_defaults(func=_lazy("agenda", "cli_agenda_check"))

    p = sub.add_parser("efforts", help="de inspanningen (uitvoering)")
    efforts = p.add_subparsers(dest="efforts_command", required=True, metavar="EFFORTS_COMMAND")
    s = efforts.add_parser("status", help="de status van elke inspanning in een jaar")
    s.add_argument(
        "--year", type=int, default=None, help="jaar (standaard: het laatste jaar met een status)"
    )
    s.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    s.set_defaults(func=_lazy("efforts", "cli_efforts_status"))

    p = sub.add_parser(
        "evaluate", help="de jaarlijkse evaluatie: notebooks uitvoeren, rapport.html maken"
    )
    p.add_argument("--year", type=int, required=True, help="evaluatiejaar, bijv. 2026")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")
    p.add_argument("--stories", type=Path, default=STORIES_DIR, help="map met verhalen")
    p.add_argument("--out", type=Path, help="uitvoermap (standaard: outputs/<jaar>/)")
    p.add_argument(
        "--demo",
        action="store_true",
        help="neem de synthetische demoreeksen mee (het rapport meldt dat bovenaan)",
    )
    p.add_argument(
        "--areas",
        nargs="+",
        metavar="WIJK",
        help="alleen deze wijken (standaard: alle wijken uit het register)",
    )
    p.add_argument(
        "--timeout", type=int, default=600, help="seconden die één notebookcel mag duren"
    )
    p.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help="map met notebooks.yaml en de notebooks (standaard: notebooks/)",
    )
    p.set_defaults(func=_lazy("evaluate", "cli_evaluate"))
    return parser


EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
# What Ctrl-C leaves behind, per command: every output is written whole or not at all.
_INTERRUPTED_NL = {
    "evaluate": "de evaluatie is afgebroken; de eerdere uitvoer in {out} is niet veranderd",
    "trends": "de berekening is afgebroken; tabellen die al klaar waren zijn heel, de rest is "
    "niet veranderd",
    "import": "het importeren is afgebroken; verhalen die al geschreven waren zijn heel; "
    "importeer opnieuw om de rest toe te voegen (wat er al staat blijft ongewijzigd)",
    "export": "het exporteren is afgebroken; er is geen (half) projectbestand geschreven",
    "import-codings": "het overnemen is afgebroken; er is geen codeerbestand geschreven",
}


def interrupted_message(args: argparse.Namespace) -> str:
    """The one Dutch line for Ctrl-C: what was stopped and what it left unchanged.

    Examples
    --------
    >>> interrupted_message(argparse.Namespace(command="validate"))
    'Gestopt (Ctrl-C): npdw validate is afgebroken; er is niets veranderd.'
    """
    command = args.command
    sub = next(
        (
            getattr(args, k)
            for k in ("stories_command", "agenda_command", "efforts_command")
            if getattr(args, k, None)
        ),
        None,
    )
    shown = f"{command} {sub}" if sub else command
    detail = _INTERRUPTED_NL.get(sub or command)
    if command == "evaluate" and detail is not None:
        out = getattr(args, "out", None) or OUTPUTS_DIR / str(getattr(args, "year", ""))
        detail = detail.format(out=out)
    if detail is None:
        return f"Gestopt (Ctrl-C): npdw {shown} is afgebroken; er is niets veranderd."
    return f"Gestopt (Ctrl-C): npdw {shown}: {detail}."


def _stop_quietly(code: int) -> None:
    """Leave now, without the interpreter's shutdown noise (ZMQ sockets of a stopped kernel).

    Every file the command wrote is complete (atomic writes) and its clean-up
    handlers have run while the interrupt unwound; the kernel of a notebook
    ends itself when it sees its parent gone.
    """
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``npdw`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(interrupted_message(args), file=sys.stderr, flush=True)
        if argv is None:  # the console script: exit at once, quietly
            _stop_quietly(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    except InputError as exc:
        print(f"FOUT: {exc}", file=sys.stderr, flush=True)
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader went away (`npdw efforts status | head`): stop quietly.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        # A file that cannot be read or written is the user's to fix, not a bug.
        print(f"FOUT: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr, flush=True)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
