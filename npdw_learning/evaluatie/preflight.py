"""Before any notebook of ``npdw evaluate`` runs: the notebook list and every input, checked.

A wrong file is reported the same way as by ``npdw validate`` (file, row and
column) and stops the run before a notebook starts or anything is written.
:func:`input_files` lists what the run reads, for the manifest
(:mod:`.manifest`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..kern.errors import InputError
from ..kern.paths import PROJ_ROOT
from ..kern.synthetic import DataOrigin
from .steps import Run

__all__ = [
    "NOTEBOOKS_DIR",
    "NOTEBOOK_LIST",
    "NotebookSpec",
    "load_notebook_list",
    "input_files",
    "check_inputs",
]

NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
NOTEBOOK_LIST = "notebooks.yaml"


@dataclass(frozen=True)
class NotebookSpec:
    """One entry of ``notebooks/notebooks.yaml``.

    ``after``: the notebooks whose tables it reads, which must be done before it
    starts; by default every notebook above it in the list. A notebook that needs
    fewer (``after: []``) runs beside the one before it, in a kernel of its own.
    """

    file: str
    title: str
    after: tuple[str, ...] = ()


def load_notebook_list(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[NotebookSpec]:
    """The notebooks of the evaluation, in run order (``notebooks.yaml``)."""
    from ..kern.yamlfile import read_yaml

    path = notebooks_dir / NOTEBOOK_LIST
    data, _ = read_yaml(path, error=InputError, what="notebooklijst")
    entries = data.get("notebooks") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: verwacht een lijst 'notebooks:' met file en title")
    specs: list[NotebookSpec] = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("file") or not entry.get("title"):
            raise InputError(f"{path}: notebook {i}: 'file' en 'title' zijn verplicht")
        if not (notebooks_dir / entry["file"]).exists():
            raise InputError(f"{path}: notebook {i}: {entry['file']} bestaat niet")
        earlier = tuple(s.file for s in specs)
        after = _after(entry.get("after", list(earlier)), earlier, f"{path}: notebook {i}")
        specs.append(NotebookSpec(str(entry["file"]), str(entry["title"]), after))
    return specs


def _after(value: object, earlier: tuple[str, ...], where: str) -> tuple[str, ...]:
    """The ``after`` of one entry: notebooks above it in the list, so the list's own order
    is always a valid order to run them in."""
    from ..kern.yamlfile import literal

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: 'after' moet een lijst notebooks zijn, niet {literal(value)}")
    for name in value:
        if name not in earlier:
            raise InputError(
                f"{where}: 'after' noemt {literal(name)}; dat moet een notebook zijn dat "
                "eerder in de lijst staat"
            )
    return tuple(dict.fromkeys(value))


def input_files(run: Run, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Every file the evaluation reads, sorted: registry (with its national part),
    measurements, demo (with ``demo``), agenda, stories, coding, MSC, the national file of
    the comparison (``--national``) and the notebooks."""
    notebooks = [*sorted(notebooks_dir.glob("*.ipynb")), notebooks_dir / NOTEBOOK_LIST]
    national = [run.national] if run.national is not None else []
    return run.folder.input_files(demo=run.demo) + national + [p for p in notebooks if p.is_file()]


def check_national_file(run: Run) -> None:
    """The national file of ``--national`` before any notebook starts: readable, in the
    national format, and holding the programme's wijken (each error names file, row and
    column, or the area that is missing)."""
    from ..tellen.cbs import load_cbs_mapping
    from ..tellen.national import programme_units, read_national

    path = run.national
    mapping = load_cbs_mapping(run.folder.cbs_mapping_file, run.registry)
    programme_units(read_national(path), mapping, run.registry, file=path.name)


def check_inputs(run: Run, echo: Callable[[str], None] | None = None) -> DataOrigin:
    """Check every input before the notebooks start; return what of it is invented.

    ``echo`` is told every override (a value a later delivery replaced), with
    both files and both values, as ``npdw validate`` prints them.

    Raises
    ------
    InputError
        A measurement file, a story, the codebook, the invitation, ``msc.yaml``
        or the agenda is wrong; its findings name file, row and column.
    """
    from ..leeragenda.agenda import agenda_in
    from ..tellen.measurements import measurements_in
    from ..tellen.national_run import uses_demo_panel
    from ..vertellen.coding import codebook_in
    from ..vertellen.msc import msc_in
    from ..vertellen.stories import stories_in
    from .wijkbericht import load_invitation

    folder = run.folder
    loaded = measurements_in(folder, demo=run.demo, until_year=run.year)
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
    if run.national is not None:
        check_national_file(run)
    # The stories the report counts: those of the chosen areas.
    shown = [s for s in collection.stories if s.area in run.areas]
    invented = sum(s.synthetic for s in shown)
    return DataOrigin(
        loaded.synthetic,
        invented,
        len(shown) - invented,
        run.data_dir.name,
        synthetic_comparison=uses_demo_panel(run.folder, run.national, demo=run.demo),
    )
