"""npdw-learning: the yearly *vertellen en tellen* evaluation of the Nationaal Programma Dordt West.

The package has one room per capability:

* :mod:`npdw_learning.kern` - paths, the programme folder, errors, atomic writes, tables,
  YAML, the registry;
* :mod:`npdw_learning.tellen` - measurements, trends, progress, figures;
* :mod:`npdw_learning.vertellen` - stories, import, NLP, coding, agreement, analysis, MSC, QDA;
* :mod:`npdw_learning.leeragenda` - learning questions, research, lessons, efforts, network;
* :mod:`npdw_learning.evaluatie` - the notebook steps, the joint display, the report.

The names a notebook needs are re-exported here, so ``from npdw_learning
import ProgrammeFolder`` works without knowing the room.
"""

from __future__ import annotations

from .kern.errors import Finding, InputError, MeasurementError, RegistryError
from .kern.programme import ProgrammeFolder
from .kern.registry import Registry, load_registry
from .kern.version import __version__
from .tellen.measurements import LoadResult, load_measurements

_LAZY = {
    "TellenResult": "tellen.run",
    "run_tellen": "tellen.run",
    "load_stories": "vertellen.stories",
    "load_story_vocabulary": "vertellen.stories",
    "load_codebook": "vertellen.coding",
    "auto_code": "vertellen.coding",
    "theme_counts": "vertellen.analysis",
    "change_by_theme": "vertellen.analysis",
    "theme_cooccurrence": "vertellen.analysis",
    "distinctive_terms": "vertellen.analysis",
    "quotes": "vertellen.analysis",
    "agreement_table": "vertellen.agreement",
    "overall_alpha": "vertellen.agreement",
    "load_msc": "vertellen.msc",
    "selected_stories": "vertellen.msc",
    "Agenda": "leeragenda.agenda",
    "load_agenda": "leeragenda.agenda",
    "efforts_status": "leeragenda.efforts",
    "overasking": "leeragenda.overasking",
    "overasking_findings": "leeragenda.overasking",
    "build_network": "leeragenda.network",
    "coverage_report": "leeragenda.network",
    "draw_network": "leeragenda.network",
}


def __getattr__(name: str):
    # The statistics and NLP stacks (scipy, statsmodels, spaCy) load only when used, so
    # `npdw indicators` and `npdw validate` start quickly.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "__version__",
    "Finding",
    "InputError",
    "LoadResult",
    "MeasurementError",
    "ProgrammeFolder",
    "Registry",
    "RegistryError",
    "load_measurements",
    "load_registry",
    *_LAZY,
]
