"""The outputs for residents and the board, written from a run's tables.

``npdw evaluate`` writes them after the report (:func:`write_for_run`), and
``npdw wijkbericht --year Y [--area ID]`` writes them again from the tables of
an existing run, without running a notebook (:func:`rewrite`):

* ``wijkberichten/<wijk>.html`` and ``.pdf`` for every wijk of the run and for
  the programme as a whole (``wijkberichten/<aggregaat>.*``): for residents, to
  print and hand out (:mod:`.wijkbericht`, :mod:`.wijkopmaak`);
* ``presentatie.html`` and ``.pdf``, the slides for a wijkavond about the whole
  programme, and ``presentatie/<wijk>.html`` and ``.pdf`` for one wijk
  (:mod:`.presentatie`);
* ``samenvatting.html`` and ``.pdf``: the status matrix and the Samenvatting's
  sentences on one A4 page, for a council or board member;
* ``leersessie.html`` and ``.pdf``: one page per pillar for the learning session
  (:mod:`.leersessie`), from the run's learning-question and since-last-year tables.

Each wijkbericht's readability (Flesch-Douma) and page count are printed; a
wijkbericht over :data:`MAX_PAGES` pages or under
:data:`.wijktaal.MIN_FLESCH_DOUMA` gets a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..kern.atomic import read_csv, write_text
from ..kern.errors import InputError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.synthetic import DataOrigin
from . import wijktaal as taal
from .wijkbericht import (
    INVITATION_KEY,
    PLACEHOLDER_TEXT,
    Bericht,
    RunTables,
    bericht_for,
    load_invitation,
)

__all__ = [
    "MAX_PAGES",
    "BERICHTEN_DIR",
    "DECKS_DIR",
    "DECK",
    "SUMMARY",
    "LEERSESSIE",
    "Made",
    "run_tables",
    "write_outputs",
    "write_for_run",
    "output_names",
    "manifest_of",
    "rewrite",
]

MAX_PAGES = 2
BERICHTEN_DIR = "wijkberichten"
DECKS_DIR = "presentatie"
DECK = "presentatie"
SUMMARY = "samenvatting"
LEERSESSIE = "leersessie"
_TABLES = ("statusoverzicht", "trends", "progress", "citaten_per_thema", "inspanningen")


@dataclass(frozen=True)
class Made:
    """One wijkbericht as written: its file, pages (None without PDF) and readability."""

    area: str
    path: str  # relative to the output folder
    pages: int | None
    flesch_douma: float
    words: int


def _table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / "tables" / f"{name}.csv"
    if not path.is_file():
        raise InputError(
            f"{path}: tabel ontbreekt; maak eerst de evaluatie met `npdw evaluate` "
            "(het wijkbericht wordt gemaakt uit haar tabellen)"
        )
    return read_csv(path)


def _effort_texts(folder: ProgrammeFolder) -> dict[str, str]:
    """Per effort its label and intended results, to find the efforts that name a wijk."""
    from ..leeragenda.agenda import agenda_in

    if not folder.agenda_dir.is_dir():
        return {}
    efforts = agenda_in(folder).efforts
    return {
        str(i): " ".join([str(label), *[str(r) for r in (results or ())]])
        for i, label, results in zip(
            efforts["id"], efforts["label"], efforts["results_2026"], strict=True
        )
    }


def run_tables(
    source: Path,
    *,
    registry: Registry,
    year: int,
    folder: ProgrammeFolder,
    areas: Sequence[str],
    started: dt.datetime,
    synthetic: bool,
) -> RunTables:
    """The tables of the run in ``source`` (``tables/*.csv``), its stories and invitation
    (from the programme ``folder``)."""
    from ..vertellen.stories import stories_in, vocabulary_in

    vocab = vocabulary_in(folder)
    frame = stories_in(folder).frame()
    tables = {name: _table(source, name) for name in _TABLES}
    local = started.astimezone()
    return RunTables(
        registry=registry,
        year=year,
        areas=list(areas),
        run_date=taal.date_words(local.year, local.month, local.day),
        synthetic=synthetic,
        cells=tables["statusoverzicht"],
        trends=tables["trends"],
        progress=tables["progress"],
        theme_quotes=tables["citaten_per_thema"],
        efforts=tables["inspanningen"],
        stories=frame[frame["area"].isin(list(areas))].reset_index(drop=True)
        if len(frame)
        else frame,
        consent_levels=tuple(vocab.consent_levels),
        invitation=load_invitation(folder),
        effort_texts=_effort_texts(folder),
    )


def output_names(areas: Sequence[str], aggregate: str, only: str | None = None) -> list[str]:
    """Every file these outputs are, relative to the output folder (``only``: of one wijk).

    >>> output_names(["wielwijk"], "dordt-west", only="wielwijk")
    ['wijkberichten/wielwijk.html', 'wijkberichten/wielwijk.pdf', \
'presentatie/wielwijk.html', 'presentatie/wielwijk.pdf']
    """
    hoods = [only] if only else list(areas)
    both = ("html", "pdf")
    names = [
        f"{BERICHTEN_DIR}/{a}.{ext}"
        for a in [*hoods, *([] if only else [aggregate])]
        for ext in both
    ]
    names += [f"{DECKS_DIR}/{a}.{ext}" for a in hoods for ext in both]
    if not only:
        names += [f"{name}.{ext}" for name in (DECK, SUMMARY, LEERSESSIE) for ext in both]
    return names


def _write_page(page: str, target: Path, fonts) -> int | None:
    """``target`` (.html) and, with ``fonts`` (:func:`.pdf.shared_fonts`; None: no PDF),
    the same page laid out beside it; its pages."""
    from .pdf import write_pdf

    target.parent.mkdir(parents=True, exist_ok=True)
    write_text(page, target)
    return write_pdf(page, target.with_suffix(".pdf"), fonts) if fonts is not None else None


def _bericht(b: Bericht, target: Path, rel: str, fonts) -> Made:
    from .wijkopmaak import bericht_html, visible_text

    page = bericht_html(b)
    pages = _write_page(page, target, fonts)
    seen = visible_text(page)
    return Made(b.area, rel, pages, taal.flesch_douma(seen), taal.word_count(seen))


def _say(made: Made, echo: Callable[[str], None]) -> None:
    word = "pagina" if made.pages == 1 else "pagina's"
    pages = "" if made.pages is None else f"{made.pages} {word}, "
    score = f"{made.flesch_douma:.0f}"
    echo(f"{made.path}: {pages}leesbaarheid (Flesch-Douma) {score}")
    if made.pages is not None and made.pages > MAX_PAGES:
        echo(f"WAARSCHUWING: {made.path} is langer dan {MAX_PAGES} pagina's")
    if made.flesch_douma < taal.MIN_FLESCH_DOUMA:
        echo(
            f"WAARSCHUWING: {made.path} is moeilijker te lezen dan taalniveau B1 "
            f"(Flesch-Douma {score}, minstens {taal.MIN_FLESCH_DOUMA})"
        )


def _summary(tables: RunTables, source: Path, target: Path, fonts, warning: str) -> None:
    from .status import CELL_STYLES, matrix_alt
    from .summary import summary_sentences
    from .wijkopmaak import samenvatting_html

    reg = tables.registry
    cells = tables.cells.copy()
    styles = [CELL_STYLES[(r, o)] for r, o in zip(cells["reading"], cells["outcome"], strict=True)]
    cells["grade"] = pd.array([s.grade for s in styles], dtype="Int64")
    cells["symbol"] = [s.symbol for s in styles]
    cells["has_target"] = cells["has_target"].astype(str).str.lower().eq("true")
    joint = _table(source, "vertellen_en_tellen")
    labels = reg.area_labels()
    sentences = summary_sentences(
        cells,
        joint,
        pillars=reg.pillars,
        area_labels=labels,
        neighbourhoods=tables.areas,
        aggregate=reg.aggregate_id,
    )
    columns = [*tables.areas, reg.aggregate_id]
    page = samenvatting_html(
        programme=reg.programme_name,
        year=tables.year,
        run_date=tables.run_date,
        sentences=sentences,
        matrix_png=source / "figures" / "statusoverzicht.png" if len(cells) else None,
        alt=matrix_alt(cells, reg.pillars, labels, columns)
        + " Het oordeel van elk vak staat in tables/statusoverzicht.csv.",
        banner=warning if tables.synthetic else None,
    )
    _write_page(page, target / f"{SUMMARY}.html", fonts)


def _leersessie(tables: RunTables, source: Path, target: Path, fonts, warning: str, echo) -> None:
    """``leersessie.html`` and ``.pdf``: per pillar the learning questions, the changes since
    last year and open questions for the session (:mod:`.leersessie`); a warning when a
    pillar's page runs over."""
    from .leersessie import leersessie_html, session_tables

    efforts = tables.efforts
    pillars = (
        dict(zip(efforts["id"], efforts["pillar"], strict=True))
        if {"id", "pillar"} <= set(efforts.columns)
        else {}
    )
    page = leersessie_html(
        tables.registry,
        session_tables(source, pillars),
        year=tables.year,
        run_date=tables.run_date,
        banner=warning if tables.synthetic else None,
    )
    pages = _write_page(page, target / f"{LEERSESSIE}.html", fonts)
    pillars = len(tables.registry.pillars)
    if pages is not None and pages > pillars:
        echo(
            f"WAARSCHUWING: {LEERSESSIE}.pdf heeft {pages} pagina's voor {pillars} pijlers: "
            "een pijler past niet op één pagina"
        )


def write_outputs(
    tables: RunTables,
    source: Path,
    target: Path,
    *,
    only: str | None = None,
    pdf: bool = True,
    echo: Callable[[str], None] = print,
    warning: str = "",
) -> list[Made]:
    """Write the wijkberichten, the slides and the summary of ``tables`` into ``target``.

    ``source`` is the run's folder (its ``tables/`` and ``figures/``); ``only``
    a wijk id: only that wijk's wijkbericht and slides; ``warning`` the report's
    short demo-data warning, which the summary for the board repeats. Returns the
    wijkberichten made.
    """
    from .pdf import shared_fonts
    from .presentatie import slides_html

    fonts = shared_fonts() if pdf else None
    chosen: list[str | None] = [only] if only else [*tables.areas, None]
    made = []
    for area in chosen:
        b = bericht_for(tables, area)
        rel = f"{BERICHTEN_DIR}/{b.area}.{'pdf' if pdf else 'html'}"
        made.append(_bericht(b, target / BERICHTEN_DIR / f"{b.area}.html", rel, fonts))
        _say(made[-1], echo)
        deck = target / (f"{DECK}.html" if area is None else f"{DECKS_DIR}/{area}.html")
        _write_page(slides_html(b), deck, fonts)
    if only is None:
        _summary(tables, source, target, fonts, warning)
        _leersessie(tables, source, target, fonts, warning, echo)
    _warn_open_invitation(tables, echo)
    return made


def _warn_open_invitation(tables: RunTables, echo: Callable[[str], None]) -> None:
    fields = tables.invitation[None].open_fields()
    if fields:
        echo(
            f"WAARSCHUWING: {ProgrammeFolder.programme_file}, {INVITATION_KEY}: "
            f"{', '.join(fields)} {'is' if len(fields) == 1 else 'zijn'} nog niet ingevuld "
            f"(of '{PLACEHOLDER_TEXT}'); het wijkbericht zegt dat dit nog volgt"
        )


def write_for_run(
    run, build: Path, *, started: dt.datetime, synthetic: str, echo, pdf: bool
) -> list[Made]:
    """The outputs of :func:`write_outputs` for ``npdw evaluate``, from the tables in ``build``;
    ``synthetic`` the report's short demo-data warning, empty without demo data."""
    t = time.perf_counter()
    tables = run_tables(
        build,
        registry=run.registry,
        year=run.year,
        folder=run.folder,
        areas=run.areas,
        started=started,
        synthetic=bool(synthetic),
    )
    made = write_outputs(tables, build, build, pdf=pdf, echo=echo, warning=synthetic)
    seconds = f"{time.perf_counter() - t:.1f}".replace(".", ",")
    echo(
        f"{len(made)} wijkberichten, de presentaties, de samenvatting en de leersessie: "
        f"gemaakt in {seconds} s"
    )
    return made


def manifest_of(out: Path) -> dict:
    """The manifest of the evaluation in ``out`` (``manifest.json``)."""
    path = out / "manifest.json"
    if not path.is_file():
        raise InputError(
            f"{path} ontbreekt: {out} is geen evaluatie; maak die eerst met "
            "`npdw evaluate --year JAAR` (het wijkbericht komt uit haar tabellen)"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        raise InputError(f"{path}: geen geldige JSON; maak de evaluatie opnieuw") from None


def rewrite(
    out: Path,
    year: int,
    *,
    area: str | None = None,
    data_dir: Path | None = None,
    stories_dir: Path | None = None,
    pdf: bool = True,
    echo: Callable[[str], None] = print,
) -> list[Made]:
    """``npdw wijkbericht``: the outputs again from the evaluation in ``out``, no notebook run.

    The data and story folders are those the evaluation read (its manifest),
    unless given. The files move into ``out`` only when all are made, and
    only into a folder npdw wrote (:func:`npdw_learning.kern.outdir.owned_output`).
    """
    from ..kern.outdir import check_output_dir, owned_output

    check_output_dir(out)
    manifest = manifest_of(out)
    parameters = manifest.get("parameters", {})
    if parameters.get("year") != year:
        raise InputError(
            f"{out}: dit is de evaluatie van {parameters.get('year')}, niet van {year}; "
            "kies de map met --out"
        )
    data = data_dir or Path(parameters.get("data_dir", ""))
    stories = stories_dir or Path(parameters.get("stories_dir", ""))
    for option, given in (("--data", data), ("--stories", stories)):
        if not given.is_dir():
            raise InputError(
                f"{option} {given}: de map die de evaluatie las bestaat niet (meer); "
                f"geef hem op met {option}"
            )
    folder = ProgrammeFolder(data, stories)
    registry = folder.registry
    areas = list(parameters.get("areas") or [])
    if area is not None and area not in areas:
        raise InputError(
            f"--area {area}: deze wijk zat niet in de evaluatie; kies uit {', '.join(areas)}"
        )
    tables = run_tables(
        out,
        registry=registry,
        year=year,
        folder=folder,
        areas=areas,
        started=dt.datetime.fromisoformat(manifest["started"]),
        synthetic=bool(manifest.get("synthetic")),
    )
    warning = DataOrigin.from_manifest(manifest).short()  # as the evaluation's report says it
    names = output_names(areas, registry.aggregate_id, only=area)
    # A file of these outputs this run does not make (a PDF with --no-pdf) is not left stale.
    with owned_output(out, remove=names) as build:
        return write_outputs(tables, out, build, only=area, pdf=pdf, echo=echo, warning=warning)
