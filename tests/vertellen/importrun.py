"""How the import tests run an import: Dordt West's vocabulary and codebook, no progress bar.

Imported by the test modules of this folder (``from importrun import run``), as
``tests/evaluatie/printcheck.py`` is by theirs.
"""

from __future__ import annotations

from pathlib import Path

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.importer import ImportReport, import_stories
from npdw_learning.vertellen.stories import vocabulary_in

VOCAB = vocabulary_in(ProgrammeFolder.bundled())


def run_import(export: Path, out_dir: Path, ps=None, **kwargs) -> ImportReport:
    """``export`` imported into ``out_dir`` with the pseudonymiser ``ps`` (None: the default)."""
    kwargs.setdefault("progress", False)
    kwargs.setdefault("codebook", ProgrammeFolder.bundled())
    return import_stories(export, vocab=VOCAB, out_dir=out_dir, pseudonymiser=ps, **kwargs)


def run(export: Path, tmp_path: Path, ps=None, **kwargs) -> ImportReport:
    """:func:`run_import` into ``tmp_path/stories``, its cache in ``tmp_path/cache``."""
    kwargs.setdefault("cache_dir", tmp_path / "cache")
    return run_import(export, kwargs.pop("out_dir", tmp_path / "stories"), ps, **kwargs)
