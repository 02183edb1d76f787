"""Reading a YAML file a person edits, with errors that name the file and line.

:func:`read_yaml` parses a file and keeps its node tree, :func:`line_index`
turns that tree into the line of every entry and field, and
:class:`YamlChecker` collects the findings of one file, each located at the
line a person has to edit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, InputError

__all__ = ["ID_PATTERN", "YamlChecker", "display_name", "line_index", "load_text", "read_yaml"]

# The one pattern for every id a person types: areas, indicators, themes, stories, coders.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_KIND_NL = {str: "tekst", bool: "true/false", int: "geheel getal"}
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_text(text: str) -> Any:
    """``yaml.safe_load``, by libyaml where PyYAML has it (the same data, 20 times faster).

    >>> load_text("a: [1, ja, '=1+1']")
    {'a': [1, 'ja', '=1+1']}
    """
    return yaml.load(text, Loader=_SafeLoader)


def read_yaml(
    path: str | Path,
    *,
    error: type[InputError] = InputError,
    what: str = "bestand",
    name: str | None = None,
) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree (for line numbers).

    Raises ``error`` (an :class:`InputError` subclass) with one finding when
    the file is missing, not UTF-8, or not valid YAML (with its line). The
    finding names the file ``name`` (the path when not given).
    """
    name = str(path) if name is None else name
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
    # One parse, by libyaml where PyYAML has it (20 times faster than pure Python):
    # the node tree for the line numbers, then the data built from it, as safe_load does.
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise error(
            f"{name}: geen geldige YAML",
            [Finding("error", name, f"geen geldige YAML: {exc}", row=row)],
        ) from None
    finally:
        loader.dispose()


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


def display_name(path: str | Path) -> str:
    """``path`` as a finding names it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class YamlChecker:
    """Collects the findings of one YAML file, each with the line to edit.

    A place in the data is a path of keys and list positions, as in
    :func:`line_index` (``("units", 2, "max")``); a finding gets the line of
    that place, else of the nearest entry around it (a missing field is
    reported at its entry). ``where`` is how a message names the place for a
    person (``units[2] (id 'percent')``).

    Examples
    --------
    >>> text = "units:\\n  - id: percent\\n  - id: percent\\n"
    >>> chk = YamlChecker("units.yaml", [], line_index(yaml.compose(text)))
    >>> [where for _, where, _ in chk.entries(yaml.safe_load(text), "units")]
    ["units[0] (id 'percent')"]
    >>> str(chk.findings[0])
    "ERROR: units.yaml, rij 3, kolom 'id': units[1] (id 'percent'): id komt twee keer voor"
    """

    def __init__(
        self, file: str, findings: list[Finding], lines: Mapping[tuple, int] | None = None
    ) -> None:
        self.file = file
        self.findings = findings
        self.lines = dict(lines or {})

    @classmethod
    def read(
        cls, path: str | Path, findings: list[Finding], *, what: str = "bestand"
    ) -> tuple[YamlChecker, dict[str, Any] | None]:
        """Read ``path``: its checker and its top-level mapping.

        A file that is missing, not UTF-8, not YAML or not a mapping at the top
        adds its finding to ``findings`` and gives ``None`` as data.
        """
        name = display_name(path)
        try:
            data, root = read_yaml(name, what=what)
        except InputError as exc:
            findings.extend(exc.findings)
            return cls(name, findings), None
        chk = cls(name, findings, line_index(root))
        if not isinstance(data, dict):
            chk.add((), None, "verwacht een YAML-mapping bovenaan het bestand")
            return chk, None
        return chk, data

    def line(self, path: tuple) -> int | None:
        """The line of ``path``, else of the nearest place around it that has one."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None

    def add(self, path: tuple, column: str | None, message: str, severity: str = "error") -> None:
        """A finding at ``path``, the message as given."""
        self.findings.append(
            Finding(severity, self.file, message, row=self.line(path), column=column)
        )

    def error(self, path: tuple, where: str, column: str | None, message: str) -> None:
        """An error at ``path`` whose message starts with ``where``."""
        self.add(path, column, f"{where}: {message}")

    def entries(self, data: Mapping[str, Any], key: str) -> list[tuple[tuple, str, dict[str, Any]]]:
        """The entries of the list ``key`` with a valid, unique id: ``(path, where, entry)``.

        A missing list, an entry that is not a mapping, an id that does not
        match :data:`ID_PATTERN` and a repeated id are errors; those entries
        are left out.
        """
        items = data.get(key)
        if items is None:
            self.error((key,), key, key, f"sleutel '{key}' ontbreekt")
            return []
        if not isinstance(items, list):
            self.error((key,), key, key, "verwacht een lijst")
            return []
        out = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            path, where = (key, i), f"{key}[{i}]"
            if not isinstance(item, dict):
                self.error(path, where, None, "verwacht een mapping met velden")
                continue
            ident = item.get("id")
            if not isinstance(ident, str) or not ID_PATTERN.match(ident):
                message = f"id {ident!r} is geen slug (kleine letters, cijfers, - of _)"
                self.error((*path, "id"), where, "id", message)
                continue
            where = f"{key}[{i}] (id '{ident}')"
            if ident in seen:
                self.error((*path, "id"), where, "id", "id komt twee keer voor")
                continue
            seen.add(ident)
            out.append((path, where, item))
        return out

    def require(
        self, item: Mapping[str, Any], path: tuple, where: str, name: str, kind: type
    ) -> Any:
        """Field ``name`` of ``item`` if it is a ``kind`` (str, bool or int), else an error."""
        value = item.get(name)
        # YAML's true/false are ints to Python; only accept them where a bool is asked for.
        wrong_bool = isinstance(value, bool) and kind is not bool
        if value is None or not isinstance(value, kind) or wrong_bool:
            message = f"veld '{name}' ontbreekt of is geen {_KIND_NL[kind]}"
            self.error((*path, name), where, name, message)
            return None
        return value

    def one_of(
        self,
        item: Mapping[str, Any],
        path: tuple,
        where: str,
        name: str,
        allowed: Collection[Any],
    ) -> Any:
        """Field ``name`` of ``item`` if it is one of ``allowed``, else an error."""
        value = item.get(name)
        if value not in allowed:
            message = f"'{name}' is {value!r}; toegestaan: {', '.join(map(str, allowed))}"
            self.error((*path, name), where, name, message)
            return None
        return value
