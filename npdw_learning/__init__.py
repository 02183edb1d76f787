"""npdw-learning: the yearly *vertellen en tellen* evaluation of the Nationaal Programma Dordt West.

The names a notebook needs are re-exported here; everything else lives in its
module (``registry``, ``measurements``, ``trends``, ``progress``, ``figures``,
``tellen``, ``agenda``, ``efforts``, ``overasking``, ``network``).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("npdw-learning")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    __version__ = "0+unknown"

from .errors import Finding, InputError, MeasurementError, RegistryError
from .measurements import LoadResult, load_measurements
from .registry import Registry, load_registry

_LAZY = {
    "TellenResult": "tellen",
    "run_tellen": "tellen",
    "load_stories": "stories",
    "load_story_vocabulary": "stories",
    "load_codebook": "coding",
    "auto_code": "coding",
    "theme_counts": "analysis",
    "change_by_theme": "analysis",
    "theme_cooccurrence": "analysis",
    "distinctive_terms": "analysis",
    "quotes": "analysis",
    "agreement_table": "agreement",
    "overall_alpha": "agreement",
    "load_msc": "msc",
    "selected_stories": "msc",
    "Agenda": "agenda",
    "load_agenda": "agenda",
    "efforts_status": "efforts",
    "overasking": "overasking",
    "overasking_findings": "overasking",
    "build_network": "network",
    "coverage_report": "network",
    "draw_network": "network",
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
    "Registry",
    "RegistryError",
    "load_measurements",
    "load_registry",
    *_LAZY,
]
