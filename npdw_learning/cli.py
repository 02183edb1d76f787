"""The ``npdw`` command line.

Input errors (a wrong file, a broken registry) print a short Dutch message
naming file, row and column and exit 1, without a Python traceback. Anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .kern.console import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    Terminated,
    stop_on_sigterm,
)
from .kern.errors import InputError
from .kern.paths import DATA_DIR, OUTPUTS_DIR
from .kern.programme import ProgrammeFolder
from .kern.version import __version__

__all__ = ["main", "build_parser", "OLD_OPTION_NAMES"]

# One name per concept, in English like the rest of the options (`--areas` in `init` as in
# `evaluate`). The names a first version used still parse, as aliases of the new one; a test
# keeps every other option to one spelling.
OLD_OPTION_NAMES = {
    "--naam": "--name",
    "--korte-naam": "--short-name",
    "--wijken": "--areas",
    "--referentie": "--reference",
    "--aggregaat": "--aggregate",
    "--wijk": "--area",
}

_AT = ProgrammeFolder  # on the class: a path as it lies in the programme folder, for help texts


def _lazy(module: str, function: str):
    """A room's command handler (``<room>.cli``), imported only when its command runs.

    spaCy, deduce and the statistics stack are slow to import; ``npdw validate``
    should not wait for them.
    """

    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(f".{module}.cli", __package__), function)(args)

    return run


# -- parser ------------------------------------------------------------------------


def _data_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=DATA_DIR, help="datamap (standaard: data/)")


def _stories_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--stories",
        type=Path,
        help=f"map met verhalen (standaard: {_AT.stories_dir_name}/ in de datamap; zonder --data: "
        "de verhalen van de toolkit)",
    )


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        type=Path,
        default=DATA_DIR,
        help=f"datamap met {_AT.registry_dir}/, {_AT.measurements_dir}/ "
        f"en {_AT.demo_dir}/ (standaard: data/)",
    )
    p.add_argument(
        "--measurements",
        type=Path,
        nargs="+",
        metavar="FILE",
        help=(
            "extra leveringen (CSV of XLSX): nieuwer dan alle bestanden in "
            f"{_AT.measurements_dir}/; "
            "bij hetzelfde indicator/gebied/jaar wint het laatst genoemde"
        ),
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="neem de synthetische demoreeksen mee (elke uitvoer meldt dat)",
    )


def _init_parser(sub) -> None:
    """``npdw init``: a new programme folder."""
    p = sub.add_parser(
        "init",
        help="maak een nieuwe programmamap (register, leeragenda, metingen, verhalen)",
        description="Maakt DIR met het landelijke deel (Kernindicatoren Rijk, pijlers) en lege "
        "lokale bestanden voor een ander focusgebied, met een README die zegt wat u in welke "
        "volgorde invult. DIR mag niet bestaan of moet leeg zijn.",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="de nieuwe programmamap")
    p.add_argument(
        "--name",
        "--naam",
        dest="name",
        required=True,
        metavar="NAAM",
        help="naam van het programma, zoals het rapport hem noemt",
    )
    p.add_argument(
        "--short-name",
        "--korte-naam",
        dest="short_name",
        metavar="AFK",
        help="afkorting (standaard: de hoofdletters van --name)",
    )
    p.add_argument(
        "--areas",
        "--wijken",
        dest="areas",
        nargs="+",
        required=True,
        metavar="ID=NAAM",
        help="de wijken, bijv. oostkade=Oostkade westkade=Westkade",
    )
    p.add_argument(
        "--reference",
        "--referentie",
        dest="reference",
        required=True,
        metavar="ID=NAAM",
        help="het referentiegebied waarmee de wijken vergeleken worden (meestal de gemeente)",
    )
    p.add_argument(
        "--aggregate",
        "--aggregaat",
        dest="aggregate",
        metavar="ID=NAAM",
        help="het gewogen totaal van de wijken (standaard: focusgebied=Focusgebied)",
    )
    p.set_defaults(func=_lazy("kern", "cli_init"))


def _fetch_parser(sub) -> None:
    """``npdw fetch SOURCE``: figures from a registered source into a measurement file."""
    from .tellen.sources import indicator_sources

    sources = indicator_sources()
    p = sub.add_parser("fetch", help=f"haal cijfers op als meetbestand ({', '.join(sources)})")
    fetch = p.add_subparsers(dest="fetch_command", required=True, metavar="BRON")
    for source in sources.values():
        s = fetch.add_parser(source.name, help=source.help, description=source.description)
        s.add_argument("--from", dest="first", type=int, metavar="JAAR", help="eerste jaar")
        s.add_argument("--to", dest="last", type=int, metavar="JAAR", help="laatste jaar")
        s.add_argument(
            "--out",
            type=Path,
            metavar="FILE",
            help=(
                f"meetbestand (standaard: {_AT.measurements_dir}/{source.default_file} in de "
                "datamap)"
                if isinstance(source.default_file, str)
                else f"meetbestand (standaard: in {_AT.measurements_dir}/ van de datamap, met de "
                "naam van FILE)"
            ),
        )
        s.add_argument(
            "--offline",
            type=Path,
            metavar="DIR",
            help=(
                "zonder internet: lees opgenomen antwoorden uit DIR (bijv. .cache/cbs); "
                "zonder --from/--to wordt een jaar zonder antwoord genoemd en overgeslagen"
            ),
        )
        _data_dir_arg(s)
        common = {action.dest for action in s._actions}
        if source.add_arguments is not None:
            source.add_arguments(s)
        own = [a.dest for a in s._actions if a.dest not in common]
        s.set_defaults(func=_lazy("tellen", "cli_fetch"), source_options=own)


def _tellen_parsers(sub) -> None:
    """``indicators``, ``validate`` and ``trends`` (the tellen room)."""
    p = sub.add_parser("indicators", help="het indicatorenregister als CSV")
    _data_dir_arg(p)
    p.set_defaults(func=_lazy("tellen", "cli_indicators"))

    p = sub.add_parser("validate", help="controleer metingen; schrijf data_quality.csv")
    _data_args(p)
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="evaluatiejaar: latere jaren worden gemeld en tellen niet mee",
    )
    p.add_argument("--out", type=Path, help="map voor data_quality.csv")
    p.set_defaults(func=_lazy("tellen", "cli_validate"))

    p = sub.add_parser("trends", help="trends en voortgang per indicator en wijk")
    _data_args(p)
    p.add_argument(
        "--year", type=int, default=None, help="evaluatiejaar: latere metingen tellen niet mee"
    )
    p.add_argument("--out", type=Path, required=True, help="uitvoermap, bijv. outputs/2026")
    p.set_defaults(func=_lazy("tellen", "cli_trends"))

    p = sub.add_parser(
        "compare", help="de programmawijken tegen vergelijkbare wijken in het hele land"
    )
    p.add_argument(
        "--national",
        type=Path,
        required=True,
        metavar="FILE",
        help="landelijk bestand (CSV of Parquet; `npdw fetch cbs --national` maakt het)",
    )
    _data_dir_arg(p)
    p.add_argument(
        "--year", type=int, default=None, help="evaluatiejaar: latere jaren tellen niet mee"
    )
    p.add_argument("--out", type=Path, help="uitvoermap (standaard: outputs/vergelijking/)")
    p.add_argument(
        "--method",
        choices=("matched", "synthetic", "both"),
        default="both",
        help="matched (verschil-in-verschillen), synthetic (synthetische controle) of both",
    )
    p.set_defaults(func=_lazy("tellen", "cli_compare"))


def _stories_parsers(sub) -> None:
    """``stories validate|import|pijlers|agreement|export|import-codings`` (vertellen)."""
    p = sub.add_parser("stories", help="verhalen: importeren, controleren, overeenstemming")
    stories = p.add_subparsers(dest="stories_command", required=True, metavar="STORIES_COMMAND")

    s = stories.add_parser("validate", help="controleer de verhaalbestanden in de verhalenmap")
    _stories_arg(s)
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("vertellen", "cli_stories_validate"))

    s = stories.add_parser(
        "import", help="importeer een CSV/XLSX-export als gepseudonimiseerde verhalen"
    )
    s.add_argument("file", type=Path, metavar="FILE", help="CSV- of XLSX-export van een formulier")
    s.add_argument(
        "--sheet",
        help="alleen dit werkblad van een XLSX-bestand (standaard: elk werkblad met de kolommen)",
    )
    s.add_argument("--mapping", type=Path, help="YAML die kolomnamen van het formulier omzet")
    s.add_argument(
        "--out",
        type=Path,
        help=f"map voor de verhalen (standaard: de verhalenmap van --data, "
        f"{_AT.stories_dir_name}/)",
    )
    s.add_argument(
        "--overwrite-hand-edits",
        nargs="+",
        action="extend",
        metavar="ID",
        help="vervang deze verhalen (bijv. vt-061), die na de import met de hand zijn "
        "aangepast, door wat de import van hun rij maakt (de aanpassingen gaan verloren)",
    )
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("vertellen", "cli_import"))

    s = stories.add_parser(
        "pijlers",
        help="pas een ingevuld nakijkbestand <export>.pijlers.csv toe op de verhalen",
    )
    s.add_argument(
        "file", type=Path, metavar="FILE", help="het nakijkbestand (.pijlers.csv, of als .xlsx)"
    )
    _stories_arg(s)
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("vertellen", "cli_review"))

    s = stories.add_parser("agreement", help="overeenstemming tussen codeurs (kappa, alpha)")
    s.add_argument("coders", nargs="+", metavar="CODER", help="codeurs; 'auto' = automatisch")
    _stories_arg(s)
    s.add_argument("--out", type=Path, help="CSV met de tabel per thema")
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("vertellen", "cli_agreement"))
    _qda_parsers(stories)


def _qda_parsers(stories) -> None:
    """``stories export`` and ``stories import-codings``: the exchange with QDA tools."""
    s = stories.add_parser(
        "export",
        help="schrijf verhalen, codeboek en coderingen voor ATLAS.ti, NVivo, MAXQDA, QualCoder",
        description="FILE.qdpx: een REFI-QDA-project met alle verhalen (als tekst, de kop als "
        "variabelen), het codeboek en de coderingen (gebruiker 'auto' en elke codeur in "
        f"{_AT.coding_dir}/). De eerste gebruiker is de codeur (--coder NAAM, anders 'codeur'): "
        "QualCoder codeert als de eerste gebruiker. FILE.qdc: alleen het codeboek.",
    )
    s.add_argument("file", type=Path, metavar="FILE", help="FILE.qdpx (project) of FILE.qdc")
    s.add_argument(
        "--coder",
        metavar="NAAM",
        help="wie het project gaat coderen: de eerste gebruiker, zodat QualCoder als NAAM codeert "
        f"(kleine letters, cijfers, - en _; later {_AT.coding_dir}/NAAM.csv)",
    )
    s.add_argument(
        "--no-codings",
        action="store_true",
        help="zonder coderingen: voor een nieuwe codeur die blind codeert",
    )
    _stories_arg(s)
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("vertellen", "cli_export"))

    s = stories.add_parser(
        "import-codings",
        help=f"zet de coderingen uit een REFI-QDA-project om in {_AT.coding_dir}/<codeur>.csv",
        description="Telt de coderingen van de gebruiker die de export niet schreef (of van "
        "--user). Zegt het als ze gemaakt zijn als 'codeur' (de neutrale eerste gebruiker) of "
        "als 'auto', en welke --user dat is. Een verhaal zonder code telt als gelezen zonder "
        "thema, behalve met --coded-only. Een onbekende code of bron is een fout; dan wordt "
        "niets geschreven.",
    )
    s.add_argument("file", type=Path, metavar="FILE", help="het project (.qdpx) van de codeur")
    s.add_argument(
        "--coder", required=True, help=f"naam van de codeur: wordt {_AT.coding_dir}/NAAM.csv"
    )
    s.add_argument(
        "--user",
        action="append",
        metavar="NAAM",
        help="neem alleen de coderingen van deze gebruiker in het project; meer keren voor "
        "meer gebruikers (bijv. --user codeur --user carla)",
    )
    s.add_argument(
        "--coded-only",
        action="store_true",
        help="alleen de verhalen met minstens één code (standaard: alle verhalen in het project)",
    )
    s.add_argument(
        "--overwrite", action="store_true", help="vervang een bestaand codeerbestand van NAAM"
    )
    _stories_arg(s)
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("vertellen", "cli_import_codings"))


def _agenda_parsers(sub) -> None:
    """``agenda check|sheet|apply`` and ``efforts status`` (leeragenda)."""
    p = sub.add_parser("agenda", help="de leeragenda: leervragen, onderzoek, lessen")
    agenda = p.add_subparsers(dest="agenda_command", required=True, metavar="AGENDA_COMMAND")
    s = agenda.add_parser(
        "check", help="controleer de leeragenda, overvraging van bewoners en de dekking"
    )
    _data_dir_arg(s)
    _stories_arg(s)
    s.add_argument(
        "--strict", action="store_true", help="ook bij waarschuwingen afsluiten met code 1"
    )
    s.set_defaults(func=_lazy("leeragenda", "cli_agenda_check"))

    s = agenda.add_parser(
        "sheet",
        help="maak het leersessieblad (CSV voor Excel): per leervraag de status en lessen",
        description="Een regel per leervraag, met kolommen om in de leersessie in te vullen: "
        "nieuwe status, nieuwe les, bestaande les. Schrijf het ingevulde blad terug met "
        "`npdw agenda apply FILE`.",
    )
    s.add_argument("--out", type=Path, required=True, metavar="FILE", help="het blad (.csv)")
    s.add_argument(
        "--year",
        type=int,
        default=None,
        help="evaluatiejaar waar nieuwe lessen uit komen (standaard: dit jaar)",
    )
    _data_dir_arg(s)
    _stories_arg(s)
    s.set_defaults(func=_lazy("leeragenda", "cli_agenda_sheet"))

    s = agenda.add_parser(
        "apply",
        help="schrijf een ingevuld leersessieblad naar learning_questions.yaml en lessons.yaml",
        description="Controleert eerst elke regel (leervraag, status, les) en schrijft niets "
        "als er een fout in staat. Alleen de regels status: en lessons: van de gewijzigde "
        "leervragen veranderen; nieuwe lessen krijgen het volgende vrije les-nummer.",
    )
    s.add_argument(
        "file", type=Path, metavar="FILE", help="het ingevulde blad (.csv, of als .xlsx)"
    )
    _data_dir_arg(s)
    _stories_arg(s)
    s.set_defaults(func=_lazy("leeragenda", "cli_agenda_apply"))

    p = sub.add_parser("efforts", help="de inspanningen (uitvoering)")
    efforts = p.add_subparsers(dest="efforts_command", required=True, metavar="EFFORTS_COMMAND")
    s = efforts.add_parser("status", help="de status van elke inspanning in een jaar")
    s.add_argument(
        "--year", type=int, default=None, help="jaar (standaard: het laatste jaar met een status)"
    )
    _data_dir_arg(s)
    s.set_defaults(func=_lazy("leeragenda", "cli_efforts_status"))


def _evaluate_parser(sub) -> None:
    """``evaluate`` (evaluatie)."""
    p = sub.add_parser(
        "evaluate", help="de jaarlijkse evaluatie: notebooks uitvoeren, rapport.html en .pdf maken"
    )
    p.add_argument("--year", type=int, required=True, help="evaluatiejaar, bijv. 2026")
    _data_dir_arg(p)
    _stories_arg(p)
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
    p.add_argument(
        "--no-pdf",
        action="store_true",
        help="maak geen rapport.pdf (alleen rapport.html)",
    )
    p.add_argument(
        "--national",
        type=Path,
        metavar="FILE",
        help="vergelijk de wijken met vergelijkbare wijken uit dit landelijke bestand (CSV of "
        "Parquet, `npdw fetch cbs --national`; standaard: national_file in cbs.yaml, anders "
        "geen vergelijking)",
    )
    earlier = p.add_mutually_exclusive_group()
    earlier.add_argument(
        "--previous",
        type=Path,
        metavar="MAP",
        help="vergelijk met de evaluatie in deze map (standaard: de map van vorig jaar naast "
        "de uitvoermap, als daar een evaluatie staat)",
    )
    earlier.add_argument(
        "--no-previous",
        action="store_true",
        help="vergelijk niet met vorig jaar",
    )
    p.set_defaults(func=_lazy("evaluatie", "cli_evaluate"))


def _wijkbericht_parser(sub) -> None:
    """``wijkbericht`` (evaluatie): the outputs for residents again, from a run's tables."""
    p = sub.add_parser(
        "wijkbericht",
        help="maak de wijkberichten, presentaties en samenvatting opnieuw uit een evaluatie",
        description="Maakt wijkberichten/<wijk>.html en .pdf (voor bewoners), presentatie.html "
        "en .pdf en presentatie/<wijk>.* (voor de wijkavond), samenvatting.pdf (voor het "
        "bestuur) en leersessie.pdf (een pagina per pijler voor de leersessie) opnieuw uit "
        "de tabellen van een evaluatie, zonder de notebooks opnieuw uit te "
        f"voeren; bijvoorbeeld na het invullen van de uitnodiging in {_AT.programme_file}.",
    )
    p.add_argument("--year", type=int, required=True, help="evaluatiejaar, bijv. 2026")
    p.add_argument(
        "--area",
        "--wijk",
        dest="area",
        metavar="ID",
        help="alleen deze wijk (standaard: alle wijken)",
    )
    p.add_argument("--out", type=Path, help="de map van de evaluatie (standaard: outputs/<jaar>/)")
    p.add_argument("--data", type=Path, help="datamap (standaard: de map die de evaluatie las)")
    p.add_argument(
        "--stories", type=Path, help="map met verhalen (standaard: de map die de evaluatie las)"
    )
    p.add_argument("--no-pdf", action="store_true", help="maak alleen de HTML-bestanden")
    p.set_defaults(func=_lazy("evaluatie", "cli_wijkbericht"))


# argparse's own messages (English) as the rest of the CLI speaks: Dutch, after "FOUT:".
_ARGPARSE_NL = (
    (
        re.compile(r"the following arguments are required: (.*)"),
        r"verplicht, maar niet gegeven: \1",
    ),
    (re.compile(r"unrecognized arguments: (.*)"), r"onbekende optie of waarde: \1"),
    (
        re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
        r"\1: \2 is geen keuze; kies uit \3",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 vraagt één waarde"),
    (
        re.compile(r"argument (\S+): expected at least one argument"),
        r"\1 vraagt een of meer waarden",
    ),
    (re.compile(r"argument (\S+): invalid int value: (.*)"), r"\1: \2 is geen geheel getal"),
    (re.compile(r"argument (\S+): invalid float value: (.*)"), r"\1: \2 is geen getal"),
    (re.compile(r"argument (\S+): not allowed with argument (.*)"), r"\1 gaat niet samen met \2"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"\1 neemt geen waarde (\2)"),
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors read like every other message of npdw.

    >>> _Parser(prog="npdw x").dutch("the following arguments are required: --year")
    'npdw x: verplicht, maar niet gegeven: --year'
    """

    def dutch(self, message: str) -> str:
        for pattern, replacement in _ARGPARSE_NL:
            if pattern.fullmatch(message):
                message = pattern.sub(replacement, message)
                break
        return f"{self.prog}: {message}"

    def error(self, message: str):
        usage = self.format_usage().replace("usage:", "gebruik:", 1)
        self.exit(2, f"{usage}FOUT: {self.dutch(message)} (uitleg: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="npdw",
        description=(
            "Vertellen en tellen: de jaarlijkse evaluatie van het programma in het register "
            f"({_AT.programme_file} van de datamap, standaard data/)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _init_parser(sub)
    _tellen_parsers(sub)
    _fetch_parser(sub)
    _stories_parsers(sub)
    _agenda_parsers(sub)
    _evaluate_parser(sub)
    _wijkbericht_parser(sub)
    return parser


# What Ctrl-C leaves behind, per command or subcommand: every output is whole or not there.
_INTERRUPTED_NL = {
    "evaluate": "de evaluatie is afgebroken; de eerdere uitvoer in {out} is niet veranderd",
    "trends": "de berekening is afgebroken; tabellen die al klaar waren zijn heel, de rest is "
    "niet veranderd",
    "import": "het importeren is afgebroken; verhalen die al geschreven waren zijn heel; "
    "importeer opnieuw om de rest toe te voegen (wat er al staat blijft ongewijzigd)",
    "export": "het exporteren is afgebroken; er is geen (half) projectbestand geschreven",
    "import-codings": "het overnemen is afgebroken; er is geen codeerbestand geschreven",
    "compare": "de vergelijking is afgebroken; de eerdere uitvoer is niet veranderd",
    "fetch": "het ophalen is afgebroken; het meetbestand en het leveringsregister zijn heel "
    "(het oude of het nieuwe bestand, nooit een half)",
    "init": "het aanmaken is afgebroken; er is geen (halve) programmamap geschreven",
    "wijkbericht": "het maken is afgebroken; de eerdere wijkberichten in de uitvoermap zijn "
    "niet veranderd",
}


def interrupted_message(args: argparse.Namespace, signal_name: str = "Ctrl-C") -> str:
    """The one Dutch line for Ctrl-C (or SIGTERM): what was stopped and what it left unchanged.

    Examples
    --------
    >>> interrupted_message(argparse.Namespace(command="validate"))
    'Gestopt (Ctrl-C): npdw validate is afgebroken; er is niets veranderd.'
    """
    command, sub = args.command, _subcommand(args)
    # A subcommand's own line, else its command's (every `npdw fetch SOURCE` shares one).
    detail = _INTERRUPTED_NL.get(sub or command) or _INTERRUPTED_NL.get(command)
    if command == "evaluate" and detail is not None:
        out = getattr(args, "out", None) or OUTPUTS_DIR / str(getattr(args, "year", ""))
        detail = detail.format(out=out)
    if detail is None:
        return f"Gestopt ({signal_name}): {_command(args)} is afgebroken; er is niets veranderd."
    return f"Gestopt ({signal_name}): {_command(args)}: {detail}."


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
        with stop_on_sigterm():
            return args.func(args)
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, Terminated)
        name = "SIGTERM" if terminated else "Ctrl-C"
        print(interrupted_message(args, name), file=sys.stderr, flush=True)
        code = EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
        if argv is None:  # the console script: exit at once, quietly
            _stop_quietly(code)
        return code
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
        print(f"FOUT: {os_error_message(exc, args)}", file=sys.stderr, flush=True)
        return EXIT_INPUT
    except (MemoryError, RecursionError) as exc:
        # Every input is bounded before it is read; if one still gets through, say which
        # command and inputs, in one line, rather than a traceback.
        print(f"FOUT: {resource_message(exc, args)}", file=sys.stderr, flush=True)
        return EXIT_INPUT


def _subcommand(args: argparse.Namespace) -> str | None:
    keys = ("stories_command", "agenda_command", "efforts_command", "fetch_command")
    return next((getattr(args, k) for k in keys if getattr(args, k, None)), None)


def _command(args: argparse.Namespace) -> str:
    """``'npdw stories import'``: the command as the user typed it."""
    sub = _subcommand(args)
    return f"npdw {args.command} {sub}" if sub else f"npdw {args.command}"


def os_error_message(exc: OSError, args: argparse.Namespace) -> str:
    """An OSError in one Dutch line: the command, the step, the file and what went wrong.

    Examples
    --------
    >>> import errno
    >>> exc = OSError(errno.ENOSPC, "No space left on device", "uit/trends.csv")
    >>> exc.add_note("de tellen-tabellen schrijven")
    >>> print(os_error_message(exc, argparse.Namespace(command="trends")))
    npdw trends: de schijf is vol bij het schrijven van uit/trends.csv (de tellen-tabellen
    schrijven); maak ruimte vrij en probeer het opnieuw: de eerdere uitvoer is niet veranderd
    """
    import errno

    where = f" van {exc.filename}" if exc.filename else ""
    notes = "; ".join(getattr(exc, "__notes__", []))
    during = f" ({notes})" if notes else ""
    if exc.errno == errno.ENOSPC:
        return (
            f"{_command(args)}: de schijf is vol bij het schrijven{where}{during}; maak ruimte "
            "vrij en probeer het opnieuw: de eerdere uitvoer is niet veranderd"
        )
    what = exc.strerror or str(exc)
    file = f": {exc.filename}" if exc.filename else ""
    return f"{_command(args)}{during}: {what}{file}"


def resource_message(exc: BaseException, args: argparse.Namespace) -> str:
    """A MemoryError or RecursionError in one line, naming the command and its inputs."""
    named = [
        str(v)
        for k, v in sorted(vars(args).items())
        if k in ("file", "measurements", "stories", "data", "mapping", "offline") and v
    ]
    what = "te weinig geheugen" if isinstance(exc, MemoryError) else "te diep genest"
    return (
        f"{_command(args)}: {what} bij het lezen van de invoer ({', '.join(named)}); "
        "een bestand is te groot of te diep genest. Er is niets veranderd."
    )


def run() -> NoReturn:
    """The ``npdw`` command: :func:`main`, then the process ends.

    Everything is written and flushed when :func:`main` returns; Python's last
    garbage collection over all that a run loaded (pandas, spaCy, the notebook
    client, WeasyPrint) would then take about a second before the shell gets its
    prompt back. :func:`gc.freeze` leaves those objects out of it; exit handlers
    still run. Only here, never in :func:`main`, which tests call many times.
    """
    import gc

    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
