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
from ..kern.registry import NATIONAL_DIR
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
    groups = [
        sorted((run.data_dir / "registry").glob("*.yaml")),
        sorted((run.data_dir / "registry" / NATIONAL_DIR).glob("*.yaml")),
        sorted((run.data_dir / "measurements").glob("*.csv")),
        sorted((run.data_dir / "measurements").glob("*.xlsx")),
        sorted((run.data_dir / "measurements").glob("*.yaml")),
        sorted((run.data_dir / "demo").glob("*.csv")) if run.demo else [],
        sorted((run.data_dir / "agenda").glob("*.yaml")),
        sorted(run.stories_dir.glob("*.md")),
        sorted((run.stories_dir / "coding").glob("*.csv")),
        sorted(run.stories_dir.glob("*.yaml")),
        sorted(notebooks_dir.glob("*.ipynb")),
        [notebooks_dir / NOTEBOOK_LIST],
    ]
    return [p for group in groups for p in group if p.is_file()]


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
    from ..tellen.measurements import load_measurements
    from ..vertellen.coding import codebook_path, load_codebook
    from ..vertellen.msc import load_msc
    from ..vertellen.stories import load_stories, load_story_vocabulary

    reg = run.registry
    loaded = load_measurements(reg, run.data_dir, demo=run.demo, until_year=run.year)
    if loaded.errors:
        raise InputError("de metingen bevatten fouten (zie `npdw validate`)", loaded.errors)
    # No measurements yet is a valid state (a new programme): the report says so.
    if echo is not None and len(loaded.overrides):
        from ..tellen.measurements import override_lines

        echo(f"Vervangen waarden ({len(loaded.overrides)}): de latere levering wint")
        for line in override_lines(loaded):
            echo(line)
    vocab = load_story_vocabulary(reg, run.data_dir / "registry")
    collection = load_stories(run.stories_dir, vocab)
    if collection.errors:
        raise InputError(
            "de verhalen bevatten fouten (zie `npdw stories validate`)", collection.errors
        )
    load_codebook(codebook_path(run.data_dir), reg)
    from .wijkbericht import load_invitation

    load_invitation(run.data_dir, reg)  # the wijkbericht's invitation (programme.yaml)
    if (run.stories_dir / "msc.yaml").exists():
        load_msc(run.stories_dir / "msc.yaml", collection)
    if (run.data_dir / "agenda").is_dir():
        from ..leeragenda.agenda import load_agenda

        load_agenda(run.data_dir, reg, story_ids={s.id for s in collection.stories})
    # The stories the report counts: those of the chosen areas.
    shown = [s for s in collection.stories if s.area in run.areas]
    invented = sum(s.synthetic for s in shown)
    return DataOrigin(loaded.synthetic, invented, len(shown) - invented, run.data_dir.name)
