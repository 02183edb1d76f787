"""Reading a YAML file a person edits, with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, InputError

__all__ = ["read_yaml", "line_index"]


def read_yaml(
    path: str | Path, *, error: type[InputError] = InputError, what: str = "bestand"
) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree (for line numbers).

    Raises ``error`` (an :class:`InputError` subclass) with one finding when
    the file is missing, not UTF-8, or not valid YAML (with its line).
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(
            f"{name}: {what} ontbreekt", [Finding("error", name, f"{what} ontbreekt")]
        ) from None
    except UnicodeDecodeError:
        raise error(
            f"{name}: {what} is niet in UTF-8 opgeslagen",
            [Finding("error", name, "bestand is niet in UTF-8 opgeslagen")],
        ) from None
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise error(
            f"{name}: geen geldige YAML",
            [Finding("error", name, f"geen geldige YAML: {exc}", row=row)],
        ) from None


def line_index(node: yaml.Node | None, path: tuple = ()) -> dict[tuple, int]:
    """1-based line of every mapping key and sequence item, keyed by its path in the data.

    ``yaml.safe_load`` forgets positions; the node tree :func:`read_yaml` also
    returns keeps them, so a finding can point at the line a person has to
    edit. ``("research", 2, "areas", 0)`` is the first area of the third entry.

    Examples
    --------
    >>> root = yaml.compose("items:\\n  - id: a\\n    tags: [x, y]\\n")
    >>> line_index(root)[("items", 0, "tags")]
    3
    """
    if node is None:
        return {}
    out: dict[tuple, int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, getattr(key, "value", None))
            out.update(line_index(value, sub))
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(line_index(item, (*path, i)))
    return out
