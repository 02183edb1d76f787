"""``npdw evaluate``: the notebooks run in order in one kernel, then the report.

:func:`evaluate` checks every input first (:mod:`.preflight`: a wrong file is
reported the same way as by ``npdw validate``, before any notebook starts),
executes the notebooks listed in ``notebooks/notebooks.yaml`` with papermill
into a temporary folder (the kernel loop below; Ctrl-C and SIGTERM are
:mod:`.interrupt`'s), assembles ``rapport.html`` and the PDFs, writes
``manifest.json`` (:mod:`.manifest`) and only then swaps the folder into place,
so a failed run leaves the previous outputs of that year as they were. The
notebooks themselves call the steps in :mod:`npdw_learning.evaluatie.steps`.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from functools import partial
from pathlib import Path

from ..kern.atomic import write_text
from ..kern.console import step
from ..kern.errors import EvaluationError
from ..kern.outdir import (
    BUILD_PID,
    OutputFolderError,
    check_output_dir,
    new_build,
    replace_with,
    seal,
)
from ..kern.parallel import Beside, in_background, stop_all
from ..kern.paths import OUTPUTS_DIR
from ..kern.synthetic import DataOrigin
from ..kern.version import __version__
from .interrupt import ctrl_c_remembered
from .manifest import MANIFEST, build_manifest, finish_manifest, manifest_summary
from .preflight import NOTEBOOKS_DIR, NotebookSpec, check_inputs, input_files, load_notebook_list
from .steps import Run
from .vorigjaar import PreviousChoice, choose_previous

__all__ = [
    "NOTEBOOKS_DIR",
    "NotebookSpec",
    "load_notebook_list",
    "input_files",
    "MANIFEST",
    "EvaluationError",
    "evaluate",
]

DEFAULT_TIMEOUT = 600  # seconds per cell
REPORT = "rapport.html"
REPORT_PDF = "rapport.pdf"


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


# The kernel's own log (a warning about its local TCP transport; on Ctrl-C a socket error
# while we close it) is noise on the stderr it shares with us: a failing cell reaches us
# as PapermillExecutionError, not as a log line.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


# What every notebook imports first: imported by the kernel as soon as it is up, while this
# process checks the inputs, and kept when the namespace is cleared between notebooks.
_WARM_UP = (
    "import npdw_learning.evaluatie.steps, npdw_learning.evaluatie.views, "
    "npdw_learning.evaluatie.status, npdw_learning.tellen.run"
)


def lanes(specs: Sequence[NotebookSpec]) -> int:
    """How many notebooks can run at once: 2 when one of them waits for fewer than all the
    notebooks above it (``after`` in ``notebooks.yaml``), else 1. Two is the most: the
    reference machine has two cores, and the figures and PDFs use both."""
    return 2 if any(s.after != tuple(p.file for p in specs[:i]) for i, s in enumerate(specs)) else 1


@contextmanager
def _kernels(cwd: Path, count: int, timeout: int = DEFAULT_TIMEOUT) -> Iterator[list[object]]:
    """``count`` kernels (:func:`_shared_kernel`), started together, shut down together."""
    with ExitStack() as stack:
        yield [stack.enter_context(_shared_kernel(cwd, timeout)) for _ in range(count)]


@contextmanager
def _shared_kernel(cwd: Path, timeout: int = DEFAULT_TIMEOUT) -> Iterator[object]:
    """One kernel for all notebooks of a run, shut down however the run ends.

    Starting a kernel and importing the package costs about 4 s a notebook; the
    namespace is cleared between notebooks (:func:`_reset`), so each notebook
    still sees only what it defines itself, as when it runs alone (``nbval``).
    The kernel starts importing the package at once (:data:`_WARM_UP`), beside
    whatever this process does until the first notebook.
    """
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), extra_arguments=_KERNEL_ARGUMENTS)
    done = threading.Event()
    warming = in_background(lambda: _warm_up(km, done, timeout))
    try:
        yield km
    finally:
        done.set()
        km.shutdown_kernel(now=True)
        warming.join(timeout=5)


def _warm_up(km: object, done: threading.Event, timeout: int) -> None:
    """Have the kernel run :data:`_WARM_UP`; wait for its reply until ``done`` is set.

    Nothing is waited for by the run: the first notebook's cells queue behind it.
    """
    kc = km.blocking_client()  # type: ignore[attr-defined]
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)  # ends too when the kernel is shut down
        asked = kc.execute(_WARM_UP, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while not done.is_set() and time.monotonic() < deadline:
            try:
                reply = kc.get_shell_msg(timeout=0.2)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == asked:
                return
    finally:
        kc.stop_channels()


def _run_code(km: object, code: str, timeout: int) -> dict:
    """Run ``code`` in the kernel, quietly; the reply (``reply["content"]["status"]``)."""
    kc = km.blocking_client()  # type: ignore[attr-defined]
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        return kc.execute_interactive(
            code, timeout=timeout, store_history=False, output_hook=lambda msg: None
        )
    finally:
        kc.stop_channels()


def _reset(km: object, timeout: int) -> None:
    """Clear the kernel's namespace (``%reset -f``); imported modules stay loaded."""
    if _run_code(km, "%reset -f", timeout)["content"]["status"] != "ok":
        raise EvaluationError("de kernel kon niet worden leeggemaakt tussen twee notebooks")


def _execute(
    spec: NotebookSpec,
    source: Path,
    target: Path,
    parameters: dict,
    timeout: int,
    km: object,
    halt: threading.Event | None = None,
) -> None:
    """Run one notebook with papermill in ``km``; once ``halt`` is set no further cell of
    it starts (the run stops: :func:`_stop_lanes`)."""
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
            # No cwd: papermill would change the working directory of this whole process,
            # which two notebooks running at once cannot share. The kernel was started in
            # the notebooks' folder (_shared_kernel) and keeps it.
            extra_arguments=_KERNEL_ARGUMENTS,
            km=km,  # the run's kernel (_shared_kernel), already started
            on_cell_start=partial(_refuse_if, halt),  # nbclient's hook, passed on by papermill
        )
    except PapermillExecutionError as exc:
        raise EvaluationError(
            f"notebook {spec.file} ({spec.title}) is gestopt in {_cell_name(source, exc.source)}: "
            f"{exc.ename}: {exc.evalue}".strip()
        ) from None


class _Halted(Exception):
    """A cell not started because the run stops."""


def _refuse_if(halt: threading.Event | None, **_cell: object) -> None:
    if halt is not None and halt.is_set():
        raise _Halted("de run stopt")


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
    previous: Path | None = None,
    no_previous: bool = False,
    national: Path | None = None,
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
    previous : path, optional
        An earlier evaluation to compare with (:mod:`.vorigjaar`); default the sibling
        folder of the year before when it holds one. ``no_previous``: no comparison.
    national : path, optional
        A national file (``npdw fetch cbs --national``) to compare the programme's wijken
        with comparable wijken of the whole country; default the one ``cbs.yaml`` names,
        else none (with ``demo``: a synthetic demo panel).

    Raises
    ------
    InputError
        An input file is wrong, or ``previous`` is no earlier evaluation (nothing is
        written).
    EvaluationError
        A notebook failed (the previous outputs stay; the failed build is kept
        next to them as ``<out>.mislukt/`` for inspection).
    """
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    out_dir = out_dir if out_dir is not None else OUTPUTS_DIR / str(year)
    check_output_dir(Path(out_dir).resolve())  # first: refused before anything is read
    choice = choose_previous(year, out_dir, previous, skip=no_previous)
    folder = choice.previous.folder if choice.previous is not None else None
    run = Run.from_parameters(year, data_dir, stories_dir, out_dir, areas, demo, folder, national)
    specs = load_notebook_list(notebooks_dir)
    echo(f"WAARSCHUWING: {choice.reason}" if choice.warning else choice.reason)
    compared = national_entry(run)  # the national file's SHA-256, once
    echo(compared["reason"])
    clock = (started, t0)
    return _evaluate_run(run, specs, clock, notebooks_dir, timeout, echo, pdf, (choice, compared))


def _evaluate_run(
    run: Run,
    specs: list[NotebookSpec],
    clock: tuple[dt.datetime, float],
    notebooks_dir: Path,
    timeout: int,
    echo: Callable[[str], None],
    pdf: bool,
    compared: tuple[PreviousChoice, dict],
) -> Path:
    """:func:`evaluate` once its parameters are checked: the kernel, the checked inputs, the
    build folder filled and put in the place of ``run.out_dir``; ``clock``: when the run
    started (UTC) and its ``perf_counter``; ``compared``: the earlier evaluation compared
    with and :func:`national_entry` (both in the manifest)."""
    started, t0 = clock
    previous, national = compared
    with ExitStack() as kernel:
        # The kernel starts, and imports the package, while the inputs are checked.
        kms = kernel.enter_context(_kernels(notebooks_dir, lanes(specs), timeout))
        origin = check_inputs(run, echo)
        inputs = input_files(run, notebooks_dir)
        out = run.out_dir.resolve()
        build = new_build(out)
        try:
            parameters = _notebook_parameters(run, build)
            with step("de notebooks uitvoeren"):
                prepared = in_background(*_prework(pdf))
                timings = _run_notebooks(
                    specs, notebooks_dir, build, parameters, timeout, echo, kms
                )
            kernel.close()  # the notebooks are done: the kernel's core goes to the PDFs
            manifest = build_manifest(
                run, out, parameters, origin, started, timings, inputs, notebooks_dir
            )
            manifest["previous"] = previous.manifest_entry()
            manifest["national"] = national
            prepared.join()
            _write_outputs(run, specs, build, manifest, inputs, origin, started, echo, pdf)
            with step(f"de uitvoer op zijn plaats zetten ({out})"):
                finish_manifest(build, manifest, seconds=time.perf_counter() - t0)
                seal(build)
                replace_with(build, out)
        except EvaluationError as exc:
            kernel.close()  # first: a kernel still running writes into the build folder
            exc.kept = _keep_failed_build(build, out)
            raise
        except BaseException:
            kernel.close()  # (its forked drawing processes die with it: one process group)
            shutil.rmtree(build, ignore_errors=True)
            raise
    return out / REPORT


def national_entry(run: Run) -> dict:
    """What the run compares the programme with (manifest and the printed line): the national
    file with its SHA-256, the synthetic demo panel, or nothing, and why."""
    from ..kern.outdir import file_sha256
    from ..tellen.national_run import DEMO_FILE, uses_demo_panel

    if run.national is not None:
        sha = file_sha256(run.national)
        return {
            "file": run.national.name,
            "sha256": sha,
            "synthetic": False,
            "reason": f"Vergeleken met vergelijkbare wijken uit het landelijke bestand "
            f"{run.national.name} (SHA-256 {sha[:12]}...).",
        }
    if uses_demo_panel(run.folder, None, demo=run.demo):
        return {
            "file": None,
            "sha256": None,
            "synthetic": True,
            "reason": f"Vergeleken met een {DEMO_FILE}: er is geen landelijk bestand gegeven "
            "(npdw evaluate --national BESTAND).",
        }
    return {
        "file": None,
        "sha256": None,
        "synthetic": False,
        "reason": "Niet vergeleken met vergelijkbare wijken: er is geen landelijk bestand "
        "gegeven (npdw evaluate --national BESTAND).",
    }


def _prework(pdf: bool) -> list[Callable[[], object]]:
    """What the report and the residents' outputs load in any case (each cached once
    loaded), for :func:`~npdw_learning.kern.parallel.in_background` while the kernel runs
    the notebooks."""
    import importlib

    from ..kern.fonts import font_face_css
    from ..vertellen.nlp import dutch_pipeline
    from .pdf import shared_fonts

    modules = (
        "nbconvert",
        ".report",
        ".wijkuitvoer",
        ".wijkopmaak",
        ".presentatie",
        # what the report's method prose reads its constants from (.method.method_values):
        # scipy and statsmodels with them, a second's import otherwise done after the notebooks
        "..tellen.trends",
        "..tellen.progress",
        "..vertellen.analysis",
        ".joint",
    )
    work: list[Callable[[], object]] = [
        *(lambda m=m: importlib.import_module(m, __package__) for m in modules),
        font_face_css,
        dutch_pipeline,
    ]
    return [shared_fonts, *work] if pdf else work


def _write_outputs(run, specs, build, manifest, inputs, origin, started, echo, pdf) -> None:
    """``rapport.html`` and ``rapport.pdf`` in ``build``, and beside them, in a process of
    their own (:class:`~npdw_learning.kern.parallel.Beside`), the residents' outputs; its
    lines come after those of the report, as when the two are made one after the other."""
    residents = Beside(partial(_write_resident_outputs, run, build, started, origin.short(), pdf))
    try:
        with step("het rapport samenstellen (rapport.html)"):
            _write_report(run, specs, build, manifest, inputs, origin, started)
        if pdf:
            with step("de afdruk maken (rapport.pdf)"):
                _write_pdf(build, echo)
        residents.result(echo)
    except BaseException as exc:
        stop_all([residents], exc)
        raise


def _write_resident_outputs(run, build, started, warning: str, pdf: bool, echo) -> None:
    """The wijkberichten, the slides and the one-page summary, from the tables in ``build``
    (:mod:`.wijkuitvoer`); ``warning`` the report's short demo-data warning or empty."""
    from .wijkuitvoer import write_for_run

    with step("de wijkberichten, de presentaties, de samenvatting en de leersessie maken"):
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
        "previous": str(run.previous) if run.previous is not None else None,
        "national": str(run.national.resolve()) if run.national is not None else None,
    }


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
    kernels: Sequence[object] | None = None,
) -> list[dict]:
    """Execute the notebooks into ``build/notebooks``, each as soon as the notebooks it
    reads are done (``after``), on the ``kernels`` (default: :func:`lanes` of their own),
    one notebook per kernel at a time; their timings, in the list's order.

    The first error stops the run: no notebook starts after it, the one still running
    beside it is interrupted, and the error is raised once both lanes have stopped.
    """
    # The kernels inherit these unless the caller set its own (figures need no display).
    os.environ.setdefault("MPLBACKEND", "agg")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    (build / "notebooks").mkdir()
    with ExitStack() as own:
        stop_if_pressed = own.enter_context(ctrl_c_remembered())
        if kernels is None:
            kernels = own.enter_context(_kernels(notebooks_dir, lanes(specs), timeout))
        queue_ = _Queue(specs)
        run = partial(_lane, queue_, notebooks_dir, build, parameters, timeout, echo)
        lanes_ = [threading.Thread(target=run, args=(km,), daemon=True) for km in kernels]
        for lane in lanes_:
            lane.start()
        try:
            while any(lane.is_alive() for lane in lanes_) or queue_.error is not None:
                if queue_.error is not None:
                    raise queue_.error
                for lane in lanes_:
                    lane.join(timeout=0.1)
                stop_if_pressed()
        except BaseException:
            _stop_lanes(queue_, lanes_, kernels)
            raise
    order = {s.file: i for i, s in enumerate(specs)}
    return sorted(queue_.timings, key=lambda row: order[row["file"]])


class _Queue:
    """The notebooks still to run, handed to the lanes in the list's order as soon as
    the notebooks they wait for are done; the first error stops the handing out."""

    def __init__(self, specs: Sequence[NotebookSpec]) -> None:
        self.specs = list(specs)
        self.started: set[str] = set()
        self.done: set[str] = set()
        self.timings: list[dict] = []
        self.error: BaseException | None = None
        self.halt = threading.Event()  # set: no notebook and no cell starts any more
        self.lock = threading.Condition()

    def take(self) -> tuple[int, NotebookSpec] | None:
        """The next notebook whose ``after`` are done (waiting for one), or None at the end."""
        with self.lock:
            while not self.halt.is_set():
                for i, spec in enumerate(self.specs, start=1):
                    if spec.file not in self.started and set(spec.after) <= self.done:
                        self.started.add(spec.file)
                        return i, spec
                if len(self.started) == len(self.specs):
                    return None
                self.lock.wait()
            return None

    def finish(self, spec: NotebookSpec, seconds: float) -> None:
        with self.lock:
            self.done.add(spec.file)
            self.timings.append(
                {"file": spec.file, "title": spec.title, "seconds": round(seconds, 1)}
            )
            self.lock.notify_all()

    def fail(self, error: BaseException) -> None:
        with self.lock:
            self.error = self.error or error
            self.stop()

    def stop(self) -> None:
        with self.lock:
            self.halt.set()
            self.lock.notify_all()


def _lane(queue_, notebooks_dir, build, parameters, timeout, echo, km) -> None:
    """One kernel's share of the notebooks (:func:`_run_notebooks`), in a thread."""
    used = False
    try:
        while (job := queue_.take()) is not None:
            i, spec = job
            echo(f"[{i}/{len(queue_.specs)}] {spec.file}: {spec.title} ...")
            t = time.perf_counter()
            if used:
                _reset(km, timeout)
            used = True
            target = build / "notebooks" / spec.file
            _execute(spec, notebooks_dir / spec.file, target, parameters, timeout, km, queue_.halt)
            seconds = time.perf_counter() - t
            echo(f"      klaar in {seconds:.1f} s ({spec.file})".replace(".", ",", 1))
            queue_.finish(spec, seconds)  # after the line: the next notebook's line follows it
    except BaseException as exc:  # raised by _run_notebooks in the main thread
        queue_.fail(exc)


def _stop_lanes(queue_: _Queue, lanes_: Sequence[threading.Thread], kernels) -> None:
    """After Ctrl-C or an error: no notebook starts any more, the running ones are
    interrupted, and this returns once no lane writes into the build folder."""
    queue_.stop()  # no cell starts any more (_refuse_if)
    deadline = time.monotonic() + _STOP_SECONDS
    while any(lane.is_alive() for lane in lanes_) and time.monotonic() < deadline:
        for km in kernels:  # the running cell ends (again: one may have been queued)
            if km is not None:
                with suppress(Exception):  # a kernel already gone: nothing runs in it
                    km.interrupt_kernel()  # type: ignore[attr-defined]
        _join(lanes_, 1.0)
    # A lane still waiting for a kernel that does not answer is left behind: it writes
    # nothing until that kernel answers, and the kernels are shut down next.


_STOP_SECONDS = 15


def _join(lanes_: Sequence[threading.Thread], seconds: float) -> None:
    """Wait at most ``seconds`` for the lanes; another Ctrl-C meanwhile does not cut the
    wait short, since a lane may still be writing into the build folder."""
    deadline = time.monotonic() + seconds
    for lane in lanes_:
        while lane.is_alive() and time.monotonic() < deadline:
            try:
                lane.join(timeout=0.1)
            except KeyboardInterrupt:
                continue


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
    template, values = manifest_summary(manifest)
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
