"""The steps the notebooks call, one per notebook.

A notebook starts with its ``parameters`` cell and builds a :class:`Run` from
it. Each step computes one part and writes its tables (``tables/*.csv``) and
figures (``figures/*.png``) into the run's output folder, where the next
notebook finds them (:meth:`Run.table`):

* :func:`tellen_step` - trends, progress, data quality, pillar figures;
* :func:`comparison_step` - the comparison with comparable neighbourhoods in the
  country, read from the tables the engine wrote (:mod:`.comparison`);
* :func:`vertellen_step` - coded stories, theme tables, terms, quotes, MSC;
* :func:`joint_step` - the joint display and the proposed learning questions;
* :func:`leeragenda_step` - the learning agenda, efforts, over-asking, network.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..kern.atomic import read_csv, write_csv
from ..kern.errors import InputError
from ..kern.parallel import Beside, stop_all
from ..kern.paths import OUTPUTS_DIR
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry

__all__ = [
    "Run",
    "TellenStep",
    "tellen_step",
    "ComparisonStep",
    "comparison_step",
    "VertellenStep",
    "vertellen_step",
    "JointStep",
    "joint_step",
    "LeeragendaStep",
    "leeragenda_step",
]


# -- the run of one notebook ------------------------------------------------------


def _neighbourhoods(registry: Registry) -> list[str]:
    return registry.areas.loc[registry.areas["kind"] == "neighbourhood", "id"].tolist()


@dataclass
class Run:
    """The parameters of an evaluation, resolved, with the registry loaded.

    Build it with :meth:`from_parameters` from a notebook's ``parameters``
    cell; ``data_dir=None`` means the bundled programme, ``stories_dir=None`` the
    programme folder's own stories. The programme's inputs
    (stories, codebook, agenda, ...) are read through :attr:`folder`, once per run.
    """

    year: int
    folder: ProgrammeFolder
    out_dir: Path
    areas: list[str]
    demo: bool
    registry: Registry = field(repr=False)
    previous: Path | None = None  # the earlier evaluation compared with (:mod:`.vorigjaar`)
    # The national file of the comparison with comparable wijken (``--national``, or the one
    # cbs.yaml names); None with the demo series: the synthetic demo panel, else none.
    national: Path | None = None

    @classmethod
    def from_parameters(
        cls,
        year: int | str = 2026,
        data_dir: str | os.PathLike[str] | None = None,
        stories_dir: str | os.PathLike[str] | None = None,
        out_dir: str | os.PathLike[str] | None = None,
        areas: Sequence[str] | str | None = None,
        demo: bool | str = True,
        previous: str | os.PathLike[str] | None = None,
        national: str | os.PathLike[str] | None = None,
    ) -> Run:
        """Resolve and check the notebook parameters.

        ``out_dir=None`` writes to ``outputs/verkenning/<year>/``, a scratch
        folder for running a notebook by hand; ``npdw evaluate`` always
        passes its own folder. ``areas=None`` means every neighbourhood in the registry.
        ``previous``: the folder of an earlier evaluation to compare with; None: none.
        ``national``: the national file to compare with comparable wijken
        (:mod:`npdw_learning.tellen.national_run`); None: the one ``cbs.yaml`` names, else
        none (with ``demo``: the synthetic demo panel).
        Each parameter may come as the text papermill's ``-p`` passes
        (``areas`` as a JSON or YAML list, :mod:`.parameters`).

        Raises
        ------
        InputError
            A parameter cannot be read, an area is unknown, or ``year`` lies
            outside the years of the data (:func:`~npdw_learning.kern.years.check_year`).
        """
        from ..kern.years import check_year
        from ..tellen.national_run import national_file_for
        from .parameters import (
            data_spans,
            parse_areas,
            parse_demo,
            parse_national,
            parse_previous,
            parse_year,
        )

        year, demo = parse_year(year), parse_demo(demo)
        folder = ProgrammeFolder.kept(data_dir, stories_dir)  # read once per kernel
        registry = folder.registry
        hoods = _neighbourhoods(registry)
        chosen = parse_areas(areas) or hoods
        unknown = [a for a in chosen if a not in hoods]
        if unknown:
            raise InputError(
                f"onbekende wijk(en) in areas: {', '.join(unknown)}; kies uit {', '.join(hoods)}"
            )
        check_year(year, data_spans(folder, demo=demo, year=year))
        national = national_file_for(folder, parse_national(national))
        if national is not None and not national.is_file():
            raise InputError(
                f"{national}: het landelijke bestand voor de vergelijking bestaat niet "
                "(--national, of national_file in cbs.yaml)"
            )
        return cls(
            year=year,
            folder=folder,
            out_dir=(
                Path(out_dir) if out_dir is not None else OUTPUTS_DIR / "verkenning" / str(year)
            ),
            areas=chosen,
            demo=demo,
            registry=registry,
            previous=parse_previous(previous),
            national=national,
        )

    @property
    def data_dir(self) -> Path:
        """The programme folder (``--data``)."""
        return self.folder.root

    @property
    def stories_dir(self) -> Path:
        """The stories folder (``--stories``)."""
        return self.folder.stories_dir

    @property
    def kept_areas(self) -> list[str]:
        """The areas the run's tables hold: the chosen neighbourhoods, then the aggregate
        and the reference they are compared with."""
        reg = self.registry
        return [*self.areas, reg.aggregate_id, reg.reference]

    @property
    def neighbourhoods(self) -> list[str]:
        """Every neighbourhood of the registry, chosen or not."""
        return _neighbourhoods(self.registry)

    @property
    def is_selection(self) -> bool:
        """Whether ``areas`` leaves out a neighbourhood (``--areas``, papermill ``-p areas``)."""
        return set(self.areas) != set(self.neighbourhoods)

    @property
    def tables_dir(self) -> Path:
        return self.out_dir / "tables"

    @property
    def figures_dir(self) -> Path:
        return self.out_dir / "figures"

    def write_table(self, frame: pd.DataFrame, name: str) -> Path:
        return write_csv(frame, self.tables_dir / f"{name}.csv")

    def table(self, name: str) -> pd.DataFrame:
        """A table an earlier step wrote (ids and text stay text)."""
        path = self.tables_dir / f"{name}.csv"
        if not path.exists():
            raise InputError(
                f"{path}: tabel ontbreekt; voer eerst de eerdere notebooks uit (of `npdw evaluate`)"
            )
        return read_csv(path)


# -- the steps ------------------------------------------------------------------


@dataclass
class TellenStep:
    """What :func:`tellen_step` computed."""

    measurements: pd.DataFrame
    trends: pd.DataFrame
    progress: pd.DataFrame
    findings: pd.DataFrame
    figures: dict[str, Path]
    synthetic: bool
    files: list[Path]
    overrides: pd.DataFrame = field(default_factory=pd.DataFrame)
    future: int = 0
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    matrix_figure: Path | None = None


MATRIX = "statusoverzicht"  # tables/statusoverzicht.csv and figures/statusoverzicht.png


def matrix_areas(run: Run) -> list[str]:
    """The status matrix's columns: the chosen neighbourhoods, then their aggregate."""
    return [*run.areas, run.registry.aggregate_id]


def _status_matrix(run: Run, progress, trends, changes, breaks) -> pd.DataFrame:
    """The status matrix (:mod:`.status`), with the comparison with comparable wijken when
    the run's tables hold one (``tables/comparison.csv``, :mod:`.comparison`)."""
    from .comparison import read_comparison
    from .status import status_cells

    reg = run.registry
    compared = read_comparison(run.tables_dir)
    comparison = None if compared is None else compared.comparison
    return status_cells(
        reg.indicators, matrix_areas(run), progress, trends, changes, breaks, comparison
    )


def comparison_tables(run: Run, measurements: pd.DataFrame) -> list[Path]:
    """The comparison with comparable wijken in the whole country
    (:func:`~npdw_learning.tellen.national_run.run_comparison`), written into the run's
    tables before the status matrix reads it; no tables when there is nothing to compare
    with (no national file and no demo series).

    The tables are kept in the file cache (:func:`~npdw_learning.kern.filecache.
    made_once_bytes`) under a hash of every input of the programme folder, the national
    file, the year, the areas and the package's code: the same inputs give the same bytes.
    """
    import json

    from ..kern.atomic import write_atomic
    from ..kern.filecache import digest, made_once_bytes
    from ..kern.outdir import file_sha256

    national = file_sha256(run.national) if run.national is not None else None
    key = digest(
        "comparison-tables",
        run.folder.fingerprint(),
        national,
        run.demo,
        run.year,
        list(run.kept_areas),
    )
    made = made_once_bytes(key, ".json", lambda: _comparison_files(run, measurements))
    files = json.loads(made)
    return [
        write_atomic(run.tables_dir / name, lambda tmp, text=text: tmp.write_bytes(text.encode()))
        for name, text in files.items()
    ]


def _comparison_files(run: Run, measurements: pd.DataFrame) -> bytes:
    """The comparison's tables as ``{file name: CSV text}`` in JSON (empty: no comparison)."""
    import json
    import tempfile

    from ..tellen.national_run import RESULT_TABLES, run_comparison, write_comparison_tables
    from ..tellen.run import rows_in_areas

    compared = run_comparison(
        run.folder,
        run.national,
        demo=run.demo,
        measurements=measurements,
        until_year=run.year,
        say=lambda line: None,
    )
    if compared is None:
        return b"{}"
    # Computed for every unit (one false discovery rate for the run), kept to the chosen
    # wijken and the aggregate, as the other tables (:func:`~..tellen.run.limit_to_areas`).
    result = compared.result
    result = replace(
        result,
        **{attr: rows_in_areas(getattr(result, attr), run.kept_areas) for attr in RESULT_TABLES},
    )
    ranking = compared.ranking  # the NPLV areas stay; the programme's own: the chosen ones
    ranking = ranking[(ranking["kind"] != "programme") | ranking["area"].isin(run.kept_areas)]
    with tempfile.TemporaryDirectory() as tmp:
        written = write_comparison_tables(result, ranking, tmp)
        files = {p.name: p.read_bytes().decode("utf-8") for p in written}
    return json.dumps(files, ensure_ascii=False).encode("utf-8")


def tellen_step(run: Run) -> TellenStep:
    """Trends, changes, breaks, progress and data quality; ``trends.csv``,
    ``changes.csv``, ``breaks.csv``, ``progress.csv``, ``data_quality.csv``,
    ``vervangen_waarden.csv`` (overrides), ``statusoverzicht.csv`` (the reading
    of every indicator x area, :mod:`.status`), one figure per pillar (the
    chosen areas) and the status matrix ``figures/statusoverzicht.png``. Each
    table holds the chosen neighbourhoods with the aggregate and the reference
    (:attr:`Run.kept_areas`); the data-quality findings also those about a whole file.

    Raises
    ------
    InputError
        A measurement file has errors (the same findings as ``npdw validate``).
    """
    from ..tellen.measurements import measurements_in
    from ..tellen.run import limit_to_areas, rows_in_areas, run_tellen, write_tellen_outputs

    reg = run.registry
    loaded = measurements_in(run.folder, demo=run.demo, until_year=run.year)
    if loaded.errors:
        raise InputError("de metingen bevatten fouten", loaded.errors)
    # Computed over every area (one false discovery rate for the whole run), then kept
    # to the chosen neighbourhoods with the aggregate and the reference.
    result = limit_to_areas(run_tellen(reg, loaded), run.kept_areas)
    comparison_tables(run, loaded.measurements)
    matrix = _status_matrix(run, result.progress, result.trends, result.changes, result.breaks)
    # The status matrix is drawn beside the pillar figures (:mod:`npdw_learning.kern.parallel`).
    drawing = Beside(lambda echo: _draw_matrix(run, matrix, result.synthetic))
    try:
        written = write_tellen_outputs(
            reg,
            loaded,
            result,
            tables_dir=run.tables_dir,
            figures_dir=run.figures_dir,
            areas=run.areas,
        )
        figure = drawing.result(print)
    except BaseException as exc:
        stop_all([drawing], exc)
        raise
    overrides = rows_in_areas(loaded.overrides, run.kept_areas)
    run.write_table(overrides, "vervangen_waarden")
    return TellenStep(
        result.measurements,
        result.trends,
        result.progress,
        written.findings,
        written.figures,
        result.synthetic,
        list(loaded.files),
        overrides,
        loaded.future,
        result.changes,
        result.breaks,
        figure,
    )


def _draw_matrix(run: Run, matrix: pd.DataFrame, synthetic: bool) -> Path | None:
    """Write ``statusoverzicht.csv`` and, when there is an indicator, its figure."""
    from .status import CELL_COLUMNS, draw_status_matrix

    reg = run.registry
    run.write_table(matrix[CELL_COLUMNS], MATRIX)
    if matrix.empty:
        return None
    labels = reg.area_labels()
    return draw_status_matrix(
        matrix,
        reg.indicators,
        reg.pillars,
        {a: labels[a] for a in matrix_areas(run)},
        run.figures_dir / f"{MATRIX}.png",
        synthetic=synthetic,
    )


@dataclass
class ComparisonStep:
    """What :func:`comparison_step` prepared; ``tables`` is ``None`` without a comparison."""

    tables: object | None  # :class:`~npdw_learning.evaluatie.comparison.ComparisonTables`
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)  # one verdict per cell
    figures: dict[str, Path] = field(default_factory=dict)  # pillar id -> PNG
    synthetic: bool = False
    invented: bool = False  # compared with the synthetic demo panel (no national file)


def comparison_step(run: Run, *, synthetic: bool = False) -> ComparisonStep:
    """Read the run's comparison tables (:func:`.comparison.read_comparison`: written into
    ``tables/`` before the notebooks run) and draw one figure per pillar with a comparison
    path, ``figures/vergelijking_<pillar>.png``; ``synthetic``: with the demo-data banner.
    Without ``comparison.csv`` nothing is read or drawn (``tables`` is ``None``)."""
    from ..tellen.comparison_figure import save_comparison_figures
    from ..tellen.national_run import uses_demo_panel
    from .comparison import FIGURE_PREFIX, cell_verdicts, read_comparison, verdict_mark
    from .status import CELL_STYLES

    tables = read_comparison(run.tables_dir)
    if tables is None:
        return ComparisonStep(None, synthetic=synthetic)
    reg = run.registry
    shown = matrix_areas(run)
    cells = cell_verdicts(tables.comparison)
    cells = cells[cells["area"].isin(shown)].reset_index(drop=True)
    marks = {
        (r.indicator, r.area): verdict_mark(CELL_STYLES[("comparison", r.verdict)].symbol, r.effect)
        for r in cells.itertuples(index=False)
        if ("comparison", r.verdict) in CELL_STYLES
    }
    figures = save_comparison_figures(
        tables.paths[tables.paths["area"].isin(shown)],
        reg.indicators,
        reg.pillars,
        run.figures_dir,
        area_labels=reg.area_labels(),
        areas=shown,
        start_year=reg.start_year,
        marks=marks,
        synthetic=synthetic,
        aggregate=reg.aggregate_id,
        prefix=FIGURE_PREFIX,
    )
    invented = uses_demo_panel(run.folder, run.national, demo=run.demo)
    return ComparisonStep(tables, cells, figures, synthetic, invented)


@dataclass
class VertellenStep:
    """What :func:`vertellen_step` computed; ``stories`` holds the chosen areas only."""

    stories: pd.DataFrame
    codes: pd.DataFrame
    codebook: object
    vocabulary: object
    themes_by_area: pd.DataFrame
    themes_by_teller: pd.DataFrame
    change_by_theme: pd.DataFrame
    terms: pd.DataFrame
    theme_quotes: pd.DataFrame
    msc: pd.DataFrame
    synthetic: bool
    not_coded: pd.DataFrame = field(default_factory=pd.DataFrame)  # stories not in Dutch


def vertellen_step(run: Run, *, quotes_per_theme: int = 2) -> VertellenStep:
    """Code the stories of the chosen areas and write the story tables.

    Tables: ``verhalen_codes`` (story, theme, evidence words),
    ``thema_per_wijk``, ``thema_per_verteller``, ``verandering_per_thema``
    (small counts hidden), ``kenmerkende_woorden``, ``citaten_per_thema``
    (consented sentences only) and ``msc_selecties``.

    Raises
    ------
    InputError
        A story file, the codebook or ``msc.yaml`` is invalid.
    """
    from ..vertellen.analysis import change_by_theme, distinctive_terms, quotes, theme_counts
    from ..vertellen.coding import auto_code, codebook_in, not_coded
    from ..vertellen.msc import msc_in, selected_stories
    from ..vertellen.nlp import dutch_pipeline
    from ..vertellen.stories import require_valid, stories_in, vocabulary_in

    vocab = vocabulary_in(run.folder)
    collection = require_valid(stories_in(run.folder))
    codebook = codebook_in(run.folder)
    frame = collection.frame()
    stories = frame[frame["area"].isin(run.areas)].reset_index(drop=True)
    nlp = dutch_pipeline()
    codes = auto_code(stories, codebook, nlp)
    order = list(codebook.ids)
    by_area = theme_counts(stories, codes, "area", themes=order)
    by_teller = theme_counts(stories, codes, "teller", themes=order)
    change = change_by_theme(stories, codes, themes=order)
    terms = distinctive_terms(stories, "area", top=8, nlp=nlp) if len(stories) else pd.DataFrame()

    quote_rows = []
    for theme in order:
        q = quotes(stories, codes, theme, vocab, quotes_per_theme, nlp=nlp)
        quote_rows.append(q.assign(theme=theme))
    theme_quotes = pd.concat(quote_rows, ignore_index=True) if quote_rows else pd.DataFrame()
    theme_quotes = theme_quotes[["theme", "story_id", "area", "teller", "change", "sentence"]]

    register = msc_in(run.folder)
    msc = pd.DataFrame()
    if register is not None:
        msc = selected_stories(register, collection)
        msc = msc[msc["area"].isin(run.areas)].reset_index(drop=True)

    run.write_table(codes, "verhalen_codes")
    run.write_table(by_area, "thema_per_wijk")
    run.write_table(by_teller, "thema_per_verteller")
    run.write_table(change, "verandering_per_thema")
    run.write_table(terms, "kenmerkende_woorden")
    run.write_table(theme_quotes, "citaten_per_thema")
    run.write_table(msc, "msc_selecties")
    return VertellenStep(
        stories=stories,
        codes=codes,
        codebook=codebook,
        vocabulary=vocab,
        themes_by_area=by_area,
        themes_by_teller=by_teller,
        change_by_theme=change,
        terms=terms,
        theme_quotes=theme_quotes,
        msc=msc,
        synthetic=bool(stories["synthetic"].any()) if len(stories) else False,
        not_coded=not_coded(stories),
    )


@dataclass
class JointStep:
    """What :func:`joint_step` computed."""

    joint: pd.DataFrame
    shown: pd.DataFrame
    proposals: pd.DataFrame
    stories: pd.DataFrame
    progress: pd.DataFrame
    trends: pd.DataFrame
    theme_labels: dict[str, str]
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    matrix_figure: Path | None = None


def joint_step(run: Run) -> JointStep:
    """The joint display from the tables of the two earlier steps.

    Writes ``vertellen_en_tellen`` (the joint display, small story counts
    hidden; each series counts with its reading in the status matrix) and
    ``voorgestelde_leervragen`` (one per discordant goal).
    """
    from ..vertellen.coding import codebook_in
    from ..vertellen.stories import stories_in
    from .joint import add_quotes, joint_display, proposed_learning_questions, publishable

    reg = run.registry
    trends, progress = run.table("trends"), run.table("progress")
    codes = run.table("verhalen_codes")
    frame = stories_in(run.folder).frame()
    stories = frame[frame["area"].isin(run.areas)].reset_index(drop=True)
    codebook = codebook_in(run.folder)
    changes = run.table("changes")
    # Every series counts with the reading the status matrix shows for it.
    matrix = _status_matrix(run, progress, trends, changes, run.table("breaks"))
    joint = joint_display(reg, matrix, stories, codes, codebook.goal_links(), areas=run.areas)
    joint = add_quotes(joint, run.table("citaten_per_thema"))
    labels = dict(zip(reg.indicators["id"], reg.indicators["label"], strict=True))
    proposals = proposed_learning_questions(joint, labels)
    shown = publishable(joint)
    run.write_table(shown, "vertellen_en_tellen")
    run.write_table(proposals, "voorgestelde_leervragen")
    themes = {t.id: t.label for t in codebook.themes}
    figure = run.figures_dir / f"{MATRIX}.png"
    return JointStep(
        joint,
        shown,
        proposals,
        stories,
        progress,
        trends,
        themes,
        changes,
        matrix,
        figure if figure.exists() and not matrix.empty else None,
    )


@dataclass
class LeeragendaStep:
    """What :func:`leeragenda_step` computed."""

    agenda: object
    questions: pd.DataFrame
    research: pd.DataFrame
    overasking: pd.DataFrame
    lessons: pd.DataFrame
    efforts: pd.DataFrame
    coverage: pd.DataFrame
    proposals: pd.DataFrame
    network_figure: Path
    year: int | None
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    evidence_series: pd.DataFrame = field(default_factory=pd.DataFrame)


def _touching(frame: pd.DataFrame, areas: Sequence[str]) -> pd.DataFrame:
    """The rows whose ``areas`` list names one of ``areas``, or no area at all."""
    chosen = set(areas)
    keep = frame["areas"].map(lambda listed: not listed or bool(chosen & set(listed)))
    return frame[keep.astype(bool)].reset_index(drop=True)


def _joined(frame: pd.DataFrame) -> pd.DataFrame:
    """List cells as ``;``-joined text, for CSV."""
    return frame.apply(
        lambda col: col.map(lambda v: ";".join(map(str, v)) if isinstance(v, list | tuple) else v)
    )


def _question_evidence(run: Run, agenda, stories: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """The evidence per learning question (:mod:`.evidence`) from the run's tables: the
    status matrix, the codes, the consented quotes; and every series it rests on."""
    from .evidence import question_evidence, question_series

    cells = run.table(MATRIX)
    questions = agenda.learning_questions
    evidence = question_evidence(
        questions,
        cells,
        stories,
        run.table("verhalen_codes"),
        run.table("citaten_per_thema"),
        agenda.research,
        areas=run.areas,
    )
    return evidence, question_series(questions, cells, run.areas)


# The network figure is a landscape page wide (267 mm); at 150 dpi it is just under the
# report's MAX_FIGURE_WIDTH, so it is embedded as drawn instead of drawn larger and scaled
# down (the same pixels on the page, fewer bytes in rapport.html).
NETWORK_DPI = 150


def leeragenda_step(run: Run) -> LeeragendaStep:
    """The learning agenda: questions, research with over-asking, lessons, efforts,
    the goals-efforts network and its gaps.

    Tables: ``leervragen``, ``onderzoek`` (the activities in a chosen area, or
    in none named), ``overvraging`` (chosen area x quarter), ``lessen``,
    ``inspanningen`` (status in the evaluation year, or the last year with a
    status before it), ``dekking`` (coverage gaps; goals without stories from
    ``vertellen_en_tellen``), ``leervragen_bewijs`` (what the chosen areas' numbers
    and stories say about each question, :mod:`.evidence`). Questions, lessons, efforts
    and gaps belong to the whole programme, not to an area, and are kept whole. Figure:
    ``figures/netwerk.png``.
    """
    from ..leeragenda.agenda import agenda_in
    from ..leeragenda.efforts import efforts_status
    from ..leeragenda.network import build_network, coverage_report, draw_network
    from ..leeragenda.overasking import overasking
    from ..vertellen.coding import codebook_in
    from ..vertellen.stories import stories_in
    from .evidence import publishable_evidence

    reg = run.registry
    codebook = codebook_in(run.folder)
    stories = stories_in(run.folder).frame()
    agenda = agenda_in(run.folder)
    research = _touching(agenda.research, run.areas)
    asked = overasking(agenda, stories[stories["area"].isin(run.areas)])
    asked = asked[asked["area"].isin(run.areas)].reset_index(drop=True)
    recorded = agenda.efforts_status["year"]
    years = sorted(y for y in recorded.unique() if y <= run.year)
    year = years[-1] if years else None
    efforts = efforts_status(agenda, year) if year is not None else efforts_status(agenda)
    joint = run.table("vertellen_en_tellen")
    with_stories = joint.loc[joint["stories"].astype(str) != "0", "goal"]
    graph = build_network(reg, agenda, codebook)
    coverage = coverage_report(graph, goals_with_stories=set(with_stories))
    figure = draw_network(graph, run.figures_dir / "netwerk.png", synthetic=False, dpi=NETWORK_DPI)
    proposals = run.table("voorgestelde_leervragen")
    evidence, series = _question_evidence(run, agenda, stories)

    run.write_table(_joined(agenda.learning_questions), "leervragen")
    run.write_table(publishable_evidence(evidence), "leervragen_bewijs")
    run.write_table(_joined(research), "onderzoek")
    run.write_table(asked, "overvraging")
    run.write_table(_joined(agenda.lessons), "lessen")
    run.write_table(efforts, "inspanningen")
    run.write_table(coverage, "dekking")
    return LeeragendaStep(
        agenda=agenda,
        questions=agenda.learning_questions,
        research=research,
        overasking=asked,
        lessons=agenda.lessons,
        efforts=efforts,
        coverage=coverage,
        proposals=proposals,
        network_figure=figure,
        year=year,
        evidence=evidence,
        evidence_series=series,
    )


# -- running the notebooks ------------------------------------------------------
