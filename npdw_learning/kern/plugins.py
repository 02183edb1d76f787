"""Registries that fill themselves: each module of a package names what it adds.

The trend methods (``tellen/trend_methods/``, attribute ``METHODS``) and the
indicator sources of ``npdw fetch`` (``tellen/sources/``, attribute ``SOURCE``)
are found the same way: a partner adds a module to the package, and nothing
else has to name it. :func:`discover` is that one way.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

__all__ = ["discover"]

T = TypeVar("T")


def discover(package: str, attribute: str, kind: type[T]) -> Mapping[str, T]:
    """Every ``kind`` the modules of ``package`` define as ``attribute``, by their ``name``.

    A module's ``attribute`` is one ``kind`` or a tuple of them; the modules are
    read in the order of their names.

    Raises
    ------
    TypeError
        If a module has no ``attribute``, or it holds something else.
    ValueError
        If two entries share a name.

    The package's callers show it in use: ``tellen.trends.trend_methods`` and
    ``tellen.sources.indicator_sources``.
    """
    root = importlib.import_module(package)
    found: dict[str, T] = {}
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package}.{info.name}")
        value = getattr(module, attribute, None)
        entries = value if isinstance(value, tuple) else (value,)
        if not entries or not all(isinstance(e, kind) for e in entries):
            raise TypeError(
                f"{module.__name__}: {attribute} must be a {kind.__name__} or a tuple of them"
            )
        for entry in entries:
            name = entry.name  # type: ignore[attr-defined]
            if name in found:
                raise ValueError(f"{module.__name__}: {kind.__name__} {name!r} exists already")
            found[name] = entry
    return MappingProxyType(found)
