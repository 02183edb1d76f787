"""npdw-learning: the yearly *vertellen en tellen* evaluation of the Nationaal Programma Dordt West.

The names a notebook needs are re-exported here; everything else lives in its
module (``registry``, ``measurements``, ``trends``, ``progress``, ``figures``,
``tellen``).
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

_LAZY = {"TellenResult", "run_tellen"}


def __getattr__(name: str):
    # The statistics stack (scipy, statsmodels) loads only when it is used, so
    # `npdw indicators` and `npdw validate` start quickly.
    if name in _LAZY:
        from . import tellen

        return getattr(tellen, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "__version__",
    "Finding",
    "InputError",
    "LoadResult",
    "MeasurementError",
    "Registry",
    "RegistryError",
    "TellenResult",
    "load_measurements",
    "load_registry",
    "run_tellen",
]
