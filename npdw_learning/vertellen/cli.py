"""The vertellen commands: ``npdw stories validate|import|pijlers|agreement|export|import-codings``.

Each command loads what it needs, calls the domain module that does the work
(:mod:`.importer`, :mod:`.pillar_review`, :mod:`.agreement`, :mod:`.qda`) and
prints the result in Dutch.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..kern.console import EXIT_INPUT, EXIT_OK, echo, findings_summary, program, report_findings
from ..kern.errors import Finding, InputError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import ID_PATTERN
from .agreement import (
    AGREEMENT_COLUMNS,
    AUTO,
    agreement_table,
    alpha_reading,
    common_stories,
    disagreements,
    overall_alpha,
)
from .coding import Codebook, read_coder_file
from .columns import MissingColumnsError, write_template
from .importer import import_stories
from .qda import export_codebook, export_project, import_codings
from .stories import StoryCollection

__all__ = [
    "cli_stories_validate",
    "cli_import",
    "cli_review",
    "cli_agreement",
    "cli_export",
    "cli_import_codings",
]


def _folder(args: argparse.Namespace, stories: str = "stories") -> ProgrammeFolder:
    """The programme folder of ``--data``, with the stories folder of option ``stories``."""
    return ProgrammeFolder.chosen(args.data, getattr(args, stories, None))


def cli_stories_validate(args: argparse.Namespace) -> int:
    from .msc import msc_in
    from .stories import stories_in

    folder = _folder(args)
    collection = stories_in(folder)
    findings = list(collection.findings)
    try:
        register = msc_in(folder)
    except InputError as exc:
        findings += exc.findings
    else:
        findings += register.warnings if register is not None else []
    report_findings(findings)
    echo(f"{len(collection.stories)} geldige verhalen; {findings_summary(findings)}")
    unsorted = sum(1 for s in collection.stories if not s.pillars)
    proposed = sum(1 for s in collection.stories if s.pillars_source == "auto")
    if unsorted or proposed:
        echo(
            f"{unsorted} nog niet ingedeeld (zonder pijler); {proposed} met voorgestelde "
            "pijlers om te controleren (pillars_source: auto)"
        )
    return EXIT_INPUT if any(f.severity == "error" for f in findings) else EXIT_OK


def cli_import(args: argparse.Namespace) -> int:
    """``npdw stories import FILE [--sheet] [--mapping] [--out] [--data]``.

    Prints skipped rows with their reason and a summary; exit 0 when stories
    were imported (or already present) and only rows were skipped, 1 when
    the file or mapping is unusable, nothing could be imported, or an id
    belongs to a different story already in the output folder.
    """
    from .stories import vocabulary_in

    folder = _folder(args, stories="out")
    vocab = vocabulary_in(folder)
    try:
        report = import_stories(
            args.file,
            vocab=vocab,
            out_dir=folder.stories_dir,
            sheet=getattr(args, "sheet", None),
            mapping=getattr(args, "mapping", None),
            codebook=folder,
            overwrite_hand_edits=getattr(args, "overwrite_hand_edits", None) or (),
        )
    except MissingColumnsError as exc:
        return _missing_columns(exc, args, vocab)
    except InputError as exc:
        for f in exc.findings or [Finding("error", str(args.file), str(exc))]:
            print(str(f), flush=True)
        print(f"FOUT: {exc.args[0]}; er is niets geschreven.", flush=True)
        return 1
    for line in report.lines(folder):
        print(line, flush=True)
    if report.rows_read == 0:
        print("FOUT: het bestand bevat geen rijen.", flush=True)
        return 1
    if not report.present:
        print("FOUT: geen enkel verhaal geïmporteerd.", flush=True)
        return 1
    return 1 if report.conflicts else 0


def _missing_columns(exc: MissingColumnsError, args: argparse.Namespace, vocab) -> int:
    """One message: what is missing, the headers found, the nearest, and a mapping to fill.

    The mapping file is written next to the export only when none was given,
    never over an existing file; an export in a read-only place gets the
    message without it.
    """
    lines = [str(f) for f in exc.findings]
    if getattr(args, "mapping", None) is None:
        lines += write_template(args.file, exc, vocab).lines(_import_command(args))
    lines.append("  Er is geen verhaal geïmporteerd.")
    print("\n".join(lines), flush=True)
    return 1


def _import_command(args: argparse.Namespace) -> list[str]:
    """``npdw stories import`` with the file and the options the user gave (not defaults)."""
    from ..kern.paths import DATA_DIR

    command = [program(), "stories", "import", str(args.file)]
    if getattr(args, "sheet", None):
        command += ["--sheet", args.sheet]
    if args.out is not None:
        command += ["--out", str(args.out)]
    if Path(args.data) != Path(DATA_DIR):
        command += ["--data", str(args.data)]
    return command


def cli_review(args: argparse.Namespace) -> int:
    """``npdw stories pijlers FILE.pijlers.csv [--stories DIR] [--data DIR]``.

    Applies the decisions of a filled-in review file (:mod:`.pillar_review`):
    exit 0 when every line is right (decided stories get their pillars, without
    ``pillars_source: auto``), 1 with every problem (file, row, column) and
    nothing written otherwise.
    """
    from .pillar_review import apply_review
    from .stories import vocabulary_in

    folder = _folder(args)
    result = apply_review(args.file, folder.stories_dir, vocabulary_in(folder))
    for line in result.lines():
        print(line, flush=True)
    return 0


def _auto_codes(collection: StoryCollection, codebook: Codebook) -> pd.DataFrame:
    from .coding import auto_code, not_coded
    from .language import language_name

    frame = collection.frame()
    coded = auto_code(frame, codebook=codebook)[["story_id", "theme"]]
    skipped = not_coded(frame)
    if len(skipped):
        listed = ", ".join(f"{r.id} ({language_name(r.language)})" for r in skipped.itertuples())
        echo(
            f"WAARSCHUWING: {len(skipped)} verhaal/verhalen niet automatisch gecodeerd, want niet "
            f"in het Nederlands (het codeboek is Nederlands): {listed}; 'auto' heeft ze niet "
            "gelezen"
        )
    # The automatic coder "read" every Dutch story: those without a match are coded with
    # no theme; a story in another language it did not read at all.
    empty = sorted({s.id for s in collection.stories} - set(coded["story_id"]) - set(skipped["id"]))
    none = pd.DataFrame({"story_id": empty, "theme": [None] * len(empty)})
    return pd.concat([coded, none], ignore_index=True)


# -- command line ------------------------------------------------------------------


def _number(x: float, digits: int) -> str:
    """Dutch decimal comma for the printout (the CSV keeps a point)."""
    x = round(x, digits) + 0.0  # no "-0,00" for a kappa a hair below zero
    return f"{x:.{digits}f}".replace(".", ",")


def _format_table(table: pd.DataFrame) -> list[str]:
    width = max(len("thema"), *(len(t) for t in table["theme"]))
    lines = [f"{'thema':<{width}}  {'n':>4}  {'% overeenstemming':>17}  kappa"]
    for r in table.itertuples(index=False):
        pct = "-" if math.isnan(r.percent_agreement) else _number(r.percent_agreement, 1)
        kappa = "niet te berekenen" if math.isnan(r.kappa) else _number(r.kappa, 2)
        lines.append(f"{r.theme:<{width}}  {r.n:>4}  {pct:>17}  {kappa}")
    return lines


def cli_agreement(args: argparse.Namespace) -> int:
    """``npdw stories agreement CODER CODER [...] [--stories DIR] [--out FILE] [--data DIR]``.

    Prints the per-theme table, Krippendorff's alpha with a reading guide and
    the disagreements; ``--out`` writes the per-theme table as CSV
    (``theme, n, percent_agreement, kappa``). Returns 1 on bad input.
    """
    from ..kern.atomic import write_csv
    from ..kern.outdir import check_output_file, starts_with
    from .coding import codebook_in
    from .stories import stories_in

    if args.out is not None:
        header = (",".join(AGREEMENT_COLUMNS) + "\n").encode()
        out = Path(args.out)
        check_output_file(out, mine=starts_with(out, header), what="overeenstemmingstabel")
    folder = _folder(args)
    stories_dir = folder.stories_dir
    coders = [str(c).strip() for c in args.coders]
    coding_dir = folder.coding_dir
    problems = _coder_name_problems(coders)
    if problems:
        return _fail(problems)

    collection = stories_in(folder)
    codebook = codebook_in(folder)
    themes = list(codebook.ids)

    codes, problems = _read_codes(coders, collection, codebook, coding_dir)
    if problems:
        if not collection.stories:
            print(
                f"WAARSCHUWING: geen geldige verhalen in {stories_dir}; klopt --stories?",
                flush=True,
            )
        elif collection.errors:
            # An "unknown" story may be one whose file is broken, not a typo in the codes.
            print(
                f"WAARSCHUWING: {len(collection.errors)} fout(en) in de verhaalbestanden; "
                "die verhalen tellen niet mee (zie `npdw stories validate`).",
                flush=True,
            )
        return _fail(problems)

    common = common_stories(codes)
    if not common:
        return _fail(
            [
                Finding(
                    "error",
                    str(coding_dir),
                    f"geen verhaal is door alle codeurs ({', '.join(coders)}) gecodeerd",
                )
            ]
        )
    table = agreement_table(codes, themes)
    alpha = overall_alpha(codes, themes)
    diffs = disagreements(codes, themes)

    _print_agreement(coders, codes, common, table, alpha, diffs, len(themes))
    if args.out is not None:
        path = write_csv(table[AGREEMENT_COLUMNS], Path(args.out))
        print()
        print(f"Tabel per thema geschreven naar {path}")
    return 0


def _coder_name_problems(coders: list[str]) -> list[Finding]:
    """At least two coders, none twice, each the name of a file in the coding folder."""
    problems: list[Finding] = []
    if len(coders) < 2:
        problems.append(
            Finding("error", "(opdrachtregel)", "geef minstens twee codeurs, bijv. 'anna bram'")
        )
    for coder in sorted({c for c in coders if coders.count(c) > 1}):
        problems.append(Finding("error", "(opdrachtregel)", f"codeur '{coder}' staat er dubbel"))
    for coder in coders:
        if not ID_PATTERN.match(coder):
            problems.append(
                Finding(
                    "error",
                    "(opdrachtregel)",
                    f"codeur {coder!r}: gebruik kleine letters, cijfers, - en _ "
                    f"(de naam van het bestand in {ProgrammeFolder.coding_dir}/ zonder .csv)",
                )
            )
    return problems


def _read_codes(
    coders: list[str], collection: StoryCollection, codebook: Codebook, coding_dir: Path
) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """Each coder's codes (``auto``: the automatic coding), and the problems found."""
    story_ids = [s.id for s in collection.stories]
    problems: list[Finding] = []
    codes: dict[str, pd.DataFrame] = {}
    for coder in coders:
        if coder == AUTO:
            codes[coder] = _auto_codes(collection, codebook)
            continue
        path = coding_dir / f"{coder}.csv"
        if not path.is_file():
            known = sorted(p.stem for p in coding_dir.glob("*.csv")) if coding_dir.is_dir() else []
            hint = f"; aanwezig: {', '.join(known)}" if known else ""
            problems.append(
                Finding("error", str(path), f"codeerbestand van '{coder}' ontbreekt{hint}")
            )
            continue
        try:
            codes[coder] = read_coder_file(path, codebook, story_ids)
        except InputError as exc:
            problems += exc.findings or [Finding("error", str(path), str(exc))]
    return codes, problems


def _print_agreement(
    coders: list[str],
    codes: Mapping[str, pd.DataFrame],
    common: list[str],
    table: pd.DataFrame,
    alpha: float,
    diffs: pd.DataFrame,
    n_themes: int,
) -> None:
    """The per-theme table, alpha with its reading guide and the disagreements, in Dutch."""
    print(
        f"Overeenstemming tussen {', '.join(coders)}: "
        f"{len(common)} verhalen door alle codeurs gecodeerd, {n_themes} thema's."
    )
    for coder, frame in codes.items():
        extra = len(set(frame["story_id"]) - set(common))
        if extra:
            print(f"  ({coder} codeerde nog {extra} verhaal/verhalen die niet iedereen codeerde.)")
    print()
    for line in _format_table(table):
        print(line)
    print()
    pairs = "het gemiddelde over alle paren codeurs" if len(coders) > 2 else "de twee codeurs"
    print(f"kappa: Cohen's kappa van {pairs}.")
    print(
        "'niet te berekenen': geen codeur gaf dit thema (of allen gaven het bij elk "
        "verhaal); dan zegt kappa niets."
    )
    print()
    alpha_text = "niet te berekenen" if math.isnan(alpha) else _number(alpha, 3)
    print(f"Krippendorff's alpha (nominaal, alle verhaal x thema-beslissingen): {alpha_text}")
    print(
        "  Leeswijzer (Krippendorff): alpha >= 0,800 betrouwbaar; 0,667-0,800 alleen "
        "voorlopige conclusies; lager: codeboek bespreken."
    )
    print(f"  Hier: {alpha_reading(alpha)}.")
    print()
    if diffs.empty:
        print("Geen verschillen: alle codeurs gaven dezelfde thema's.")
    else:
        print(f"Verschillen om te bespreken ({len(diffs)}):")
        width = max(len(t) for t in diffs["theme"])
        for r in diffs.itertuples(index=False):
            print(f"  {r.story_id}  {r.theme:<{width}}  wel: {r.coded_by}; niet: {r.not_coded_by}")


def _fail(findings: Sequence[Finding]) -> int:
    for f in findings:
        print(str(f), flush=True)
    n = sum(f.severity == "error" for f in findings)
    print(f"{n} fout(en); er is niets berekend of geschreven.", flush=True)
    return 1


def cli_export(args: argparse.Namespace) -> int:
    """``npdw stories export FILE.qdpx|FILE.qdc [--coder NAME] [--no-codings] [--stories DIR]``."""
    from ..kern.outdir import check_output_file
    from .qda import written_by_npdw

    path = Path(args.file)
    suffix = path.suffix.lower()
    coder = getattr(args, "coder", None)
    if suffix in (".qdc", ".qdpx"):
        mine = written_by_npdw(path)
        check_output_file(path, mine=mine, what="export van npdw", option="")
    if suffix == ".qdc":
        if coder is not None:
            raise InputError(
                f"{path}: --coder hoort bij een project (.qdpx); een codeboek (.qdc) heeft geen "
                "gebruikers. Er is niets geschreven."
            )
        n = export_codebook(path, _folder(args))
        print(f"Codeboek geschreven naar {path}: {n} codes.", flush=True)
        return 0
    if suffix != ".qdpx":
        raise InputError(
            f"{path}: gebruik .qdpx (project) of .qdc (alleen het codeboek); "
            "er is niets geschreven."
        )
    summary = export_project(path, _folder(args), codings=not args.no_codings, coder=coder)
    per_user = ", ".join(f"{u} {n}" for u, n in summary["selections"].items() if n)
    coded = (
        "zonder coderingen (om blind te coderen)"
        if args.no_codings
        else f"gecodeerde fragmenten per gebruiker: {per_user or 'geen'}"
    )
    print(
        f"Project geschreven naar {path}: {summary['stories']} verhalen, "
        f"{summary['codes']} codes; {coded}.",
        flush=True,
    )
    print(_first_user_line(summary["users"][0], coder), flush=True)
    return 0


def _first_user_line(first: str, coder: str | None) -> str:
    """Who the coder will be in QualCoder, which codes as the project's first user."""
    if coder is not None:
        return (
            f"Eerste gebruiker: '{first}'. QualCoder neemt die als codeur over; in ATLAS.ti, "
            f"NVivo of MAXQDA: stel de gebruikersnaam in op '{first}'."
        )
    return (
        f"Eerste gebruiker: '{first}' (neutraal). Wie codeert, zet zijn eigen naam in "
        "QualCoder (Project > Settings > Change) of krijgt een project met --coder NAAM."
    )


def cli_import_codings(args: argparse.Namespace) -> int:
    """``npdw stories import-codings FILE.qdpx --coder NAME [--user NAME ...] [--coded-only]``."""
    result = import_codings(
        args.file,
        args.coder,
        _folder(args),
        user=args.user,
        coded_only=args.coded_only,
        overwrite=args.overwrite,
    )
    for note in result.notes:
        print(f"WAARSCHUWING: {note.message}.", flush=True)
    n_stories = result.frame["story_id"].nunique()
    n_codes = int((result.frame["theme"] != "").sum())
    print(
        f"Geschreven naar {result.path}: {n_stories} verhalen, {n_codes} codes. "
        f"Vergelijk met `npdw stories agreement {args.coder} ...`.",
        flush=True,
    )
    return 0
