"""The leeragenda commands: ``npdw agenda check|sheet|apply`` and ``npdw efforts status``."""

from __future__ import annotations

import argparse

import pandas as pd

from ..kern.console import echo, program
from ..kern.errors import Finding
from ..kern.programme import ProgrammeFolder
from .agenda import agenda_in
from .efforts import EFFORT_STATUS_NL, efforts_status
from .network import build_network, coverage_report
from .overasking import overasking, overasking_findings

__all__ = ["cli_agenda_check", "cli_agenda_sheet", "cli_agenda_apply", "cli_efforts_status"]


def _load_for_cli(args: argparse.Namespace):
    """The folder's registry, codebook, stories (``None`` without a stories folder) and agenda.

    The agenda checks the story ids it cites when the folder has a stories folder."""
    from ..vertellen.coding import codebook_in
    from ..vertellen.stories import stories_in

    folder = ProgrammeFolder.chosen(args.data, getattr(args, "stories", None))
    collection = stories_in(folder) if folder.stories_dir.is_dir() else None
    return folder, codebook_in(folder), collection, agenda_in(folder)


def cli_agenda_check(args: argparse.Namespace) -> int:
    """``npdw agenda check``: validation findings, over-asking flags, coverage gaps."""
    folder, codebook, collection, agenda = _load_for_cli(args)
    warnings: list[Finding] = list(agenda.findings)
    echo(
        f"Leeragenda: {len(agenda.learning_questions)} leervragen, "
        f"{len(agenda.research)} onderzoeksactiviteiten, {len(agenda.lessons)} lessen, "
        f"{len(agenda.efforts)} inspanningen."
    )
    _echo_empty(agenda)
    stories, errors = _echo_stories(folder, collection)
    echo()
    echo("Controle van de bestanden:")
    if agenda.findings:
        for finding in agenda.findings:
            echo(f"  {finding}")
    else:
        echo("  geen fouten of waarschuwingen")
    warnings += _echo_overasking(agenda, stories)
    _echo_coverage(folder.registry, agenda, codebook, stories)
    echo()
    echo(f"Samenvatting: {len(errors)} fout(en), {len(warnings)} waarschuwing(en).")
    if errors:
        return 1
    if warnings and args.strict:
        echo("--strict: waarschuwingen tellen als fout.")
        return 1
    return 0


def _echo_stories(folder, collection) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Say which stories were read; their frame (None without a stories folder) and errors."""
    if collection is None:
        echo(
            f"Geen verhalenmap gevonden ({folder.stories_dir}): verhaal-id's zijn niet "
            "gecontroleerd en verhaalmomenten tellen niet mee."
        )
        return None, []
    echo(f"Verhalen: {len(collection.stories)} geldige verhalen in {folder.stories_dir}.")
    if collection.errors:
        # The same story files `npdw evaluate` refuses: errors here too, exit 1.
        files = sorted({f.file for f in collection.errors})
        echo(f"  {len(files)} verhaalbestand(en) met fouten; `npdw evaluate` weigert ze ook:")
        for finding in collection.errors:
            echo(f"  {finding}")
    return collection.frame(), list(collection.errors)


def _echo_overasking(agenda, stories: pd.DataFrame | None) -> list[Finding]:
    """The quarters above the over-asking threshold, as warnings."""
    table = overasking(agenda, stories)
    over = overasking_findings(agenda, stories)
    echo()
    echo(
        f"Overvraging (meer dan {agenda.overasking_threshold} vraagmomenten per wijk per "
        "kwartaal: onderzoeksactiviteiten onder bewoners plus verhaalmomenten):"
    )
    for finding in over:
        echo(f"  {finding}")
    if not any(table["flagged"]):
        echo("  geen wijk en kwartaal boven de drempel")
    return over


def _echo_coverage(registry, agenda, codebook, stories: pd.DataFrame | None) -> None:
    """What has no indicator, stories, learning question or research yet."""
    graph = build_network(registry, agenda, codebook)
    # A stories folder without stories yet: no goal has stories (a gap), not "not checked".
    spoken = None if stories is None else set()
    if stories is not None and len(stories):
        from ..vertellen.coding import auto_code

        # Stories speak to a goal through the themes the codebook links to it.
        codes = auto_code(stories, codebook)
        links = codebook.goal_links()
        spoken = set(links.loc[links["theme"].isin(codes["theme"]), "goal"])
    gaps = coverage_report(graph, goals_with_stories=spoken)
    echo()
    echo("Dekking (wat nog geen indicator, verhalen, leervraag of onderzoek heeft):")
    for gap, group in gaps.groupby("gap", sort=False):
        ids = ", ".join(group["id"])
        echo(f"  {len(group)} x {gap}: {ids}")
    if gaps.empty:
        echo("  geen gaten gevonden")


_AGENDA_PARTS = (
    ("learning_questions", "leervragen", ProgrammeFolder.learning_questions_file),
    ("research", "onderzoeksactiviteiten", ProgrammeFolder.research_file),
    ("lessons", "lessen", ProgrammeFolder.lessons_file),
    ("efforts", "inspanningen", ProgrammeFolder.efforts_file),
)


def _echo_empty(agenda) -> None:
    """Name what is still empty (a new programme, a first year) and where it goes."""
    empty = [
        f"{what} ({file})" for attr, what, file in _AGENDA_PARTS if getattr(agenda, attr).empty
    ]
    if empty:
        echo(f"Nog leeg: {', '.join(empty)}. De velden staan in data/README.md.")


def _plain_table(frame: pd.DataFrame, left: tuple[str, ...]) -> str:
    """Text columns left-aligned, counts right-aligned, as in a printed table."""
    widths = {c: max(len(c), *(len(str(v)) for v in frame[c])) for c in frame.columns}

    def cell(column: str, value: object) -> str:
        width = widths[column]
        return f"{value!s:<{width}}" if column in left else f"{value!s:>{width}}"

    lines = ["  ".join(cell(c, c) for c in frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("  ".join(cell(c, v) for c, v in zip(frame.columns, row, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def cli_efforts_status(args: argparse.Namespace) -> int:
    """``npdw efforts status``: a readable table of the efforts in one year."""
    _, _, _, agenda = _load_for_cli(args)
    table = efforts_status(agenda, args.year)
    if table.empty:
        print(f"Er staan geen inspanningen in {ProgrammeFolder.efforts_file}.")
        return 0
    year = table["year"].iloc[0]
    if pd.isna(year):
        print("Voor geen enkele inspanning is een status vastgelegd.")
    else:
        print(f"Status van de inspanningen in {year}:")
    shown = pd.DataFrame(
        {
            "id": table["id"],
            "inspanning": table["label"].map(lambda s: s if len(s) <= 48 else s[:47] + "…"),
            "pijler": table["pillar"],
            "status": table["status"].map(EFFORT_STATUS_NL),
            "resultaten 2026": table["n_results_2026"],
            "verhalen": table["n_stories"],
            "indicatoren": table["n_indicators"],
            "onderzoek": table["n_research"],
        }
    )
    print(_plain_table(shown, left=("id", "inspanning", "pijler", "status")))
    counts = table["status"].map(EFFORT_STATUS_NL).value_counts()
    print()
    print("Totaal: " + ", ".join(f"{n} {label}" for label, n in counts.items()))
    return 0


def cli_agenda_sheet(args: argparse.Namespace) -> int:
    """``npdw agenda sheet``: the sheet to fill in during the learning session."""
    import datetime as dt

    from .outcome import write_sheet

    folder = ProgrammeFolder.chosen(args.data, getattr(args, "stories", None))
    year = args.year if args.year is not None else dt.date.today().year
    path = write_sheet(folder, year, args.out)
    # The command to copy names the programme folder unless it is the bundled one.
    data = "" if args.data is None else f" --data {folder.root}"
    echo(
        f"{path}: het leersessieblad, een regel per leervraag. Vul in Excel 'nieuwe status', "
        f"'nieuwe les' en 'bestaande les' in, sla op als CSV en schrijf het terug met "
        f"`{program()} agenda apply {path}{data}`."
    )
    return 0


def cli_agenda_apply(args: argparse.Namespace) -> int:
    """``npdw agenda apply FILE``: the filled-in sheet into learning_questions and lessons."""
    from .outcome import apply_outcome

    folder = ProgrammeFolder.chosen(args.data, getattr(args, "stories", None))
    outcome = apply_outcome(args.file, folder)
    for finding in outcome.warnings:
        echo(str(finding))
    if outcome.empty:
        echo(f"{args.file}: niets veranderd; de leeragenda blijft zoals ze was.")
        return 0
    for line in outcome.lines():
        echo(line)
    echo(
        f"Geschreven: {ProgrammeFolder.learning_questions_file} en "
        f"{ProgrammeFolder.lessons_file}; `npdw agenda check` laat de hele leeragenda zien."
    )
    return 0
