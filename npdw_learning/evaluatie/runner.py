"""``npdw evaluate``: the notebooks run in order, the manifest and the report.

:func:`evaluate` checks every input first (a wrong file is reported the same
way as by ``npdw validate``, before any notebook starts), executes the
notebooks listed in ``notebooks/notebooks.yaml`` with papermill into a
temporary folder, assembles ``rapport.html``, writes ``manifest.json`` and
only then swaps the folder into place, so a failed run leaves the previous
outputs of that year as they were. The notebooks themselves call the steps in
:mod:`npdw_learning.evaluatie.steps`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..kern.atomic import write_text
from ..kern.console import Terminated, step
from ..kern.errors import EvaluationError, InputError
from ..kern.outdir import (
    BUILD_PID,
    OutputFolderError,
    check_output_dir,
    file_sha256,
    new_build,
    replace_with,
    seal,
)
from ..kern.paths import OUTPUTS_DIR, PROJ_ROOT
from ..kern.synthetic import DataOrigin
from ..kern.version import __version__
from .steps import Run

__all__ = [
    "NOTEBOOKS_DIR",
    "NotebookSpec",
    "load_notebook_list",
    "input_files",
    "EvaluationError",
    "evaluate",
]

NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
NOTEBOOK_LIST = "notebooks.yaml"
DEFAULT_TIMEOUT = 600  # seconds per cell
MANIFEST = "manifest.json"
REPORT = "rapport.html"
REPORT_PDF = "rapport.pdf"
PACKAGES = (
    "npdw-learning",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "pandera",
    "spacy",
    "deduce",
    "krippendorff",
    "networkx",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "weasyprint",
)


@dataclass(frozen=True)
class NotebookSpec:
    """One entry of ``notebooks/notebooks.yaml``."""

    file: str
    title: str


def load_notebook_list(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[NotebookSpec]:
    """The notebooks of the evaluation, in run order (``notebooks.yaml``)."""
    from ..kern.yamlfile import read_yaml

    path = notebooks_dir / NOTEBOOK_LIST
    data, _ = read_yaml(path, error=InputError, what="notebooklijst")
    entries = data.get("notebooks") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: verwacht een lijst 'notebooks:' met file en title")
    specs = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("file") or not entry.get("title"):
            raise InputError(f"{path}: notebook {i}: 'file' en 'title' zijn verplicht")
        if not (notebooks_dir / entry["file"]).exists():
            raise InputError(f"{path}: notebook {i}: {entry['file']} bestaat niet")
        specs.append(NotebookSpec(str(entry["file"]), str(entry["title"])))
    return specs


def input_files(run: Run, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Every file the evaluation reads, sorted: registry (with its national part),
    measurements, demo (with ``demo``), agenda, stories, coding, MSC, and the notebooks."""
    notebooks = [*sorted(notebooks_dir.glob("*.ipynb")), notebooks_dir / NOTEBOOK_LIST]
    return run.folder.input_files(demo=run.demo) + [p for p in notebooks if p.is_file()]


def _shown_path(path: Path, roots: Mapping[str, Path]) -> str:
    """How the manifest names an input: ``data/...``, ``stories/...`` or ``notebooks/...``
    after the folder it was read from (``roots``: label to folder, the first that holds it),
    wherever that folder lies, so the same inputs give the report the same fingerprint on
    every machine. A file outside them keeps its absolute path."""
    resolved = path.resolve()
    for label, root in roots.items():
        try:
            return f"{label}/{resolved.relative_to(root.resolve()).as_posix()}"
        except ValueError:
            continue
    return str(resolved)


def _versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "niet geïnstalleerd"
    return out


def _manifest_summary(manifest: dict) -> tuple[str, dict[str, str]]:
    """The Verantwoording's paragraph on reproducibility, from the manifest.

    Returns the Markdown template and its values (the area names come from the
    registry, a file a person edits, so they enter the report as values).
    """
    p = manifest["parameters"]
    fingerprint = hashlib.sha256(
        "".join(f"{i['path']}:{i['sha256']}\n" for i in manifest["inputs"]).encode()
    ).hexdigest()[:16]
    started = dt.datetime.fromisoformat(manifest["started"]).astimezone()
    pk = manifest["packages"]
    lines = [
        "#### Herhaalbaarheid",
        "",
        "Dezelfde invoer geeft dezelfde tabellen, tot op de byte. Alles wat deze evaluatie "
        f"las en gebruikte staat in `{MANIFEST}` naast dit rapport, met van elk invoerbestand "
        "een SHA-256-controlegetal.",
        "",
        f"- Evaluatiejaar {p['year']}; wijken: {{areas}}; demodata: "
        f"{'ja' if p['demo'] else 'nee'}.",
        f"- Gestart op {started:%d-%m-%Y} om {started:%H:%M}; "
        f"{len(manifest['notebooks'])} notebooks uitgevoerd.",
        f"- {len(manifest['inputs'])} invoerbestanden, samen met vingerafdruk `{fingerprint}`.",
        f"- npdw-learning {manifest['npdw_learning']}, Python {manifest['python']}, "
        f"pandas {pk['pandas']}, statsmodels {pk['statsmodels']}, scipy {pk['scipy']}, "
        f"spaCy {pk['spacy']}, deduce {pk['deduce']}, papermill {pk['papermill']}.",
    ]
    areas = p.get("area_labels") or ", ".join(p["areas"])
    return "\n".join(lines), {"areas": areas}


SELECTION_NL = (
    "#### Gekozen wijken\n\n"
    "Dit rapport gaat alleen over {chosen}, niet over {left_out}. Elke tabel in "
    "`tables/` heeft alleen de rijen van deze wijken, met {aggregate} (alle wijken samen) en "
    "{reference} ter vergelijking. De oordelen over de cijfers zijn dezelfde als in een "
    "evaluatie van alle wijken: de correctie voor het aantal toetsen telt alle reeksen mee. "
    "De leervragen, lessen en inspanningen gelden voor het hele programma en staan er "
    "helemaal in; van de onderzoeksagenda alleen wat in de gekozen wijken loopt."
)


def _selection_note(run: Run) -> tuple[str, dict[str, str]]:
    """The Verantwoording's paragraph on a choice of areas (``--areas``): which areas, and
    what the tables hold. The names come from the registry and enter as values."""
    from .summary import dutch_list

    labels = run.registry.area_labels()
    reg = run.registry
    return SELECTION_NL, {
        "chosen": dutch_list([labels[a] for a in run.areas]),
        "left_out": dutch_list([labels[a] for a in run.neighbourhoods if a not in run.areas]),
        "aggregate": labels[reg.aggregate_id],
        "reference": labels[reg.reference],
    }


def _preflight(run: Run, echo: Callable[[str], None] | None = None) -> DataOrigin:
    """Check every input before the notebooks start; return what of it is invented.

    ``echo`` is told every override (a value a later delivery replaced), with
    both files and both values, as ``npdw validate`` prints them.
    """
    from ..leeragenda.agenda import agenda_in
    from ..tellen.measurements import load_measurements
    from ..vertellen.coding import codebook_in
    from ..vertellen.msc import msc_in
    from ..vertellen.stories import stories_in
    from .wijkbericht import load_invitation

    reg, folder = run.registry, run.folder
    loaded = load_measurements(reg, run.data_dir, demo=run.demo, until_year=run.year)
    if loaded.errors:
        raise InputError("de metingen bevatten fouten (zie `npdw validate`)", loaded.errors)
    # No measurements yet is a valid state (a new programme): the report says so.
    if echo is not None and len(loaded.overrides):
        from ..tellen.measurements import override_lines

        echo(f"Vervangen waarden ({len(loaded.overrides)}): de latere levering wint")
        for line in override_lines(loaded):
            echo(line)
    collection = stories_in(folder)
    if collection.errors:
        raise InputError(
            "de verhalen bevatten fouten (zie `npdw stories validate`)", collection.errors
        )
    codebook_in(folder)
    load_invitation(folder)  # the wijkbericht's invitation (in the programme file)
    msc_in(folder)
    if folder.agenda_dir.is_dir():
        agenda_in(folder)
    # The stories the report counts: those of the chosen areas.
    shown = [s for s in collection.stories if s.area in run.areas]
    invented = sum(s.synthetic for s in shown)
    return DataOrigin(loaded.synthetic, invented, len(shown) - invented, run.data_dir.name)


# The kernel's own log (a warning about its local TCP transport; on Ctrl-C a socket error
# while we close it) is noise on the stderr it shares with us: a failing cell reaches us
# as PapermillExecutionError, not as a log line.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@contextmanager
def _shared_kernel(cwd: Path) -> Iterator[object]:
    """One kernel for all notebooks of a run, shut down however the run ends.

    Starting a kernel and importing the package costs about 4 s a notebook; the
    namespace is cleared between notebooks (:func:`_reset`), so each notebook
    still sees only what it defines itself, as when it runs alone (``nbval``).
    """
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), extra_arguments=_KERNEL_ARGUMENTS)
    try:
        yield km
    finally:
        km.shutdown_kernel(now=True)


@contextmanager
def _ctrl_c_remembered() -> Iterator[Callable[[], None]]:
    """Ctrl-C (and SIGTERM) raise KeyboardInterrupt as always, and are also remembered.

    Yields a check that raises again once one of them arrived. The notebook
    client waits for the kernel inside asyncio, where the interrupt can get
    lost (a run went on to the end after Ctrl-C); checked between the steps,
    it still stops the run before the next notebook. SIGTERM raises
    :class:`~npdw_learning.kern.console.Terminated`, so the run ends with its
    own message and exit code.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pressed: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        pressed.append(signum)
        raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt

    def check() -> None:
        if signal.SIGTERM in pressed:
            raise Terminated
        if pressed:
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield check
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _reset(km: object, timeout: int) -> None:
    """Clear the kernel's namespace (``%reset -f``); imported modules stay loaded."""
    kc = km.blocking_client()  # type: ignore[attr-defined]
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(
            "%reset -f", timeout=timeout, store_history=False, output_hook=lambda msg: None
        )
        if reply["content"]["status"] != "ok":
            raise EvaluationError("de kernel kon niet worden leeggemaakt tussen twee notebooks")
    finally:
        kc.stop_channels()


def _execute(
    spec: NotebookSpec,
    source: Path,
    target: Path,
    parameters: dict,
    timeout: int,
    km: object,
) -> None:
    import logging

    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    # papermill hands its own logger to nbclient, whose one error line ("Kernel died while
    # waiting for execute reply") comes when Ctrl-C stops the kernel and would be a second
    # line beside ours; outside an Application nbclient logs through traitlets instead.
    # A cell that fails still reaches us as an exception, so neither log is needed.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    try:
        pm.execute_notebook(
            str(source),
            str(target),
            parameters=parameters,
            kernel_name="python3",
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            cwd=str(source.parent),
            extra_arguments=_KERNEL_ARGUMENTS,
            km=km,  # the run's kernel (_shared_kernel), already started
        )
    except PapermillExecutionError as exc:
        raise EvaluationError(
            f"notebook {spec.file} ({spec.title}) is gestopt in {_cell_name(source, exc.source)}: "
            f"{exc.ename}: {exc.evalue}".strip()
        ) from None


def _cell_name(notebook: Path, source: str) -> str:
    """'cel N (first line)' with N counted in the notebook as its author sees it
    (papermill's injected parameters cell does not count)."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    number = next((i for i, c in enumerate(cells, start=1) if c.source == source), None)
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    where = f"cel {number}" if number is not None else "een cel"
    return f"{where} ({first[:60]})" if first else where


def evaluate(
    year: int,
    *,
    data_dir: Path | None = None,
    stories_dir: Path | None = None,
    out_dir: Path | None = None,
    areas: Sequence[str] | None = None,
    demo: bool = False,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    timeout: int = DEFAULT_TIMEOUT,
    echo: Callable[[str], None] = print,
    pdf: bool = True,
) -> Path:
    """Run the yearly evaluation and return the path of ``rapport.html``.

    Parameters
    ----------
    year : int
        Evaluation year; later measurements are ignored.
    data_dir, stories_dir : path, optional
        The programme folder (default: Dordt West's ``data/``) and its stories
        (default: the folder's own, :meth:`ProgrammeFolder.chosen
        <npdw_learning.kern.programme.ProgrammeFolder.chosen>`).
    out_dir : path, optional
        Default ``outputs/<year>/``. Replaced as a whole when the run succeeds;
        untouched when it fails.
    areas : sequence of str, optional
        Neighbourhoods to report on (default all in the registry).
    demo : bool
        Include the synthetic demo series.
    notebooks_dir : path
        Folder with ``notebooks.yaml`` and the notebooks.
    timeout : int
        Seconds a single cell may run.
    echo : callable
        Progress messages.
    pdf : bool
        Also write ``rapport.pdf`` (the page laid out for print) and the other PDFs.

    Raises
    ------
    InputError
        An input file is wrong (nothing is written).
    EvaluationError
        A notebook failed (the previous outputs stay; the failed build is kept
        next to them as ``<out>.mislukt/`` for inspection).
    """
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    out_dir = out_dir if out_dir is not None else OUTPUTS_DIR / str(year)
    check_output_dir(Path(out_dir).resolve())  # first: refused before anything is read
    run = Run.from_parameters(year, data_dir, stories_dir, out_dir, areas, demo)
    specs = load_notebook_list(notebooks_dir)
    origin = _preflight(run, echo)
    inputs = input_files(run, notebooks_dir)
    out = run.out_dir.resolve()
    build = new_build(out)
    parameters = _notebook_parameters(run, build)
    try:
        with step("de notebooks uitvoeren"):
            timings = _run_notebooks(specs, notebooks_dir, build, parameters, timeout, echo)
        manifest = _manifest(run, out, parameters, origin, started, timings, inputs, notebooks_dir)
        with step("het rapport samenstellen (rapport.html)"):
            _write_report(run, specs, build, manifest, inputs, origin, started)
        if pdf:
            with step("de afdruk maken (rapport.pdf)"):
                _write_pdf(build, echo)
        _write_resident_outputs(run, build, started, origin.short(), echo, pdf)
        with step(f"de uitvoer op zijn plaats zetten ({out})"):
            _finish_manifest(build, manifest, seconds=time.perf_counter() - t0)
            seal(build)
            replace_with(build, out)
    except EvaluationError as exc:
        exc.kept = _keep_failed_build(build, out)
        raise
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return out / REPORT


def _write_resident_outputs(run, build, started, warning: str, echo, pdf) -> None:
    """The wijkberichten, the slides and the one-page summary, from the tables in ``build``
    (:mod:`.wijkuitvoer`); ``warning`` the report's short demo-data warning or empty."""
    from .wijkuitvoer import write_for_run

    with step("de wijkberichten, de presentaties en de samenvatting maken"):
        write_for_run(run, build, started=started, synthetic=warning, echo=echo, pdf=pdf)


def _notebook_parameters(run: Run, build: Path) -> dict:
    """The papermill parameters of every notebook: absolute paths, output into ``build``."""
    return {
        "year": run.year,
        "data_dir": str(run.data_dir.resolve()),
        "stories_dir": str(run.stories_dir.resolve()),
        "out_dir": str(build),
        "areas": list(run.areas),
        "demo": run.demo,
    }


def _finish_manifest(build: Path, manifest: dict, *, seconds: float) -> None:
    """Stamp the end time and duration on the manifest and write it into ``build``."""
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest["seconds"] = round(seconds, 1)
    write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", build / MANIFEST)


def _keep_failed_build(build: Path, out: Path) -> Path:
    """Keep a failed build as ``<out>.mislukt/`` (replacing an earlier one) for inspection.

    An earlier ``<out>.mislukt/`` is replaced only when npdw wrote all of it;
    otherwise the failed build stays under its own name, which is returned.
    """
    failed = out.with_name(f"{out.name}.mislukt")
    (build / BUILD_PID).unlink(missing_ok=True)
    seal(build)
    try:
        replace_with(build, failed)
    except OutputFolderError:
        return build
    return failed


def _run_notebooks(
    specs: Sequence[NotebookSpec],
    notebooks_dir: Path,
    build: Path,
    parameters: dict,
    timeout: int,
    echo: Callable[[str], None],
) -> list[dict]:
    """Execute the notebooks in order into ``build/notebooks``; their timings."""
    # The kernels inherit these unless the caller set its own (figures need no display).
    os.environ.setdefault("MPLBACKEND", "agg")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    timings = []
    (build / "notebooks").mkdir()
    with _ctrl_c_remembered() as stop_if_pressed, _shared_kernel(notebooks_dir) as km:
        for i, spec in enumerate(specs, start=1):
            echo(f"[{i}/{len(specs)}] {spec.file}: {spec.title} ...")
            t = time.perf_counter()
            if i > 1:
                _reset(km, timeout)
            target = build / "notebooks" / spec.file
            _execute(spec, notebooks_dir / spec.file, target, parameters, timeout, km)
            stop_if_pressed()
            seconds = time.perf_counter() - t
            timings.append({"file": spec.file, "title": spec.title, "seconds": round(seconds, 1)})
            echo(f"      klaar in {seconds:.1f} s".replace(".", ","))
    return timings


def _manifest(
    run: Run,
    out: Path,
    parameters: dict,
    origin: DataOrigin,
    started: dt.datetime,
    timings: list[dict],
    inputs: Sequence[Path],
    notebooks_dir: Path = NOTEBOOKS_DIR,
) -> dict:
    """What this run read and used: parameters, versions, timings, inputs with SHA-256."""
    labels = run.registry.area_labels()
    # The specific folders first: a programme folder may hold its stories inside data/.
    roots = {"stories": run.stories_dir, "notebooks": notebooks_dir, "data": run.data_dir}
    return {
        "npdw_learning": __version__,
        "parameters": {
            **parameters,
            "out_dir": str(out),
            "area_labels": ", ".join(labels[a] for a in run.areas),
        },
        "synthetic": origin.parts,
        "stories": {"synthetic": origin.synthetic_stories, "real": origin.real_stories},
        "banner": origin.banner(),
        "started": started.isoformat(timespec="seconds"),
        "finished": None,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": _versions(),
        "notebooks": timings,
        "inputs": [
            {"path": _shown_path(p, roots), "sha256": file_sha256(p), "bytes": p.stat().st_size}
            for p in inputs
        ],
    }


def _write_report(
    run: Run,
    specs: Sequence[NotebookSpec],
    build: Path,
    manifest: dict,
    inputs: Sequence[Path],
    origin: DataOrigin,
    started: dt.datetime,
) -> None:
    """Assemble the executed notebooks into ``rapport.html`` in ``build``."""
    import nbformat

    from .report import add_markdown, assemble, render_html

    executed = [nbformat.read(build / "notebooks" / s.file, as_version=4) for s in specs]
    reg = run.registry
    report = assemble(executed, reg.pillars, title=f"Vertellen en tellen {run.year}")
    template, values = _manifest_summary(manifest)
    add_markdown(report, "verantwoording", template, **values)
    names = manifest["parameters"]["area_labels"]
    if run.is_selection:
        template, values = _selection_note(run)
        add_markdown(report, "verantwoording", template, **values)
        names += f" (een keuze; {values['aggregate']} en {values['reference']} ter vergelijking)"
    html_text = render_html(
        report,
        subtitle=f"Jaarlijkse evaluatie van het {reg.programme_name}, {run.year}. Wijken: {names}.",
        banner=origin.banner() or None,
        running_head=f"{reg.programme_name} · Vertellen en tellen {run.year}",
        running_warning=origin.short(),
        footer=(
            f"Gemaakt met npdw-learning {__version__} op "
            f"{started.astimezone().strftime('%d-%m-%Y %H:%M')}. "
            f"{len(inputs)} invoerbestanden; hun SHA-256 staat in {MANIFEST}."
        ),
    )
    write_text(html_text, build / REPORT)


def _write_pdf(build: Path, echo: Callable[[str], None]) -> None:
    """``rapport.pdf`` in ``build``, laid out from ``rapport.html`` (:mod:`.pdf`)."""
    from .pdf import write_pdf

    t = time.perf_counter()
    pages = write_pdf((build / REPORT).read_text(encoding="utf-8"), build / REPORT_PDF)
    seconds = f"{time.perf_counter() - t:.1f}".replace(".", ",")
    echo(f"{REPORT_PDF}: {pages} pagina's, gemaakt in {seconds} s")
