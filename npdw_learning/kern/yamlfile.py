"""Reading a YAML file a person edits, with errors that name the file and line.

:func:`read_yaml` parses a file and keeps its node tree, :func:`line_index`
turns that tree into the line of every entry and field, and
:class:`YamlChecker` collects the findings of one file, each located at the
line a person has to edit.

YAML from outside is bounded before it becomes data. An anchor (``&a``) may
be used again by an alias (``*a``), and ten levels of ten aliases name ten
billion values in a few hundred bytes (the "billion laughs"); an alias may
also point into itself. PyYAML shares the aliased value instead of copying
it, so the damage comes later, in whatever walks the data (a line index, a
message, a table). Every parse here therefore counts the values the aliases
stand for, once per node, and refuses a file past :data:`MAX_EXPANDED_NODES`
or with an alias that contains itself, naming the line of the first alias.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, InputError
from .inputfile import count_text, read_input_text

__all__ = [
    "ID_PATTERN",
    "MAX_EXPANDED_NODES",
    "YamlBoundError",
    "YamlChecker",
    "display_name",
    "line_index",
    "load_text",
    "read_yaml",
]

# The one pattern for every id a person types: areas, indicators, themes, stories, coders.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")  # \Z: no trailing newline either
_KIND_NL = {str: "tekst", bool: "true/false", int: "geheel getal"}
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Values a file may stand for, counting each use of an alias in full. The bundled files
# have no alias at all and at most 9,000 nodes; a few anchors for repeated lists fit easily.
MAX_EXPANDED_NODES = 200_000


class YamlBoundError(yaml.MarkedYAMLError):
    """The YAML names too many values through its aliases, or an alias contains itself.

    A :class:`yaml.YAMLError`, so every reader reports it as it reports a
    syntax error: with the file and the line of the first alias.
    """


def _expanded_size(root: yaml.Node) -> int | None:
    """The number of nodes ``root`` stands for with every alias written out; None on a cycle.

    Each node is visited once (its size is remembered), so the count costs time
    linear in the file even when the answer is ten billion.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            continue
        if key in size:
            continue
        if key in on_path:
            return None
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return None
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _first_alias(text: str) -> yaml.Mark | None:
    """Where the first alias (``*name``) of ``text`` is."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark
    return None


def _check_bounds(root: yaml.Node | None, text: str) -> None:
    if root is None:
        return
    n = _expanded_size(root)
    if n is not None and n <= MAX_EXPANDED_NODES:
        return
    problem = (
        "een verwijzing (alias) bevat zichzelf"
        if n is None
        else f"te veel verwijzingen (aliases): de waarden komen uit op {count_text(n)} "
        f"(hoogstens {count_text(MAX_EXPANDED_NODES)})"
    )
    raise YamlBoundError(
        problem=problem + "; schrijf de waarden uit in plaats van met & en * te verwijzen",
        problem_mark=_first_alias(text),
    )


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of ``text``, after :func:`_check_bounds`."""
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        _check_bounds(root, text)
        return (loader.construct_document(root) if root is not None else None), root
    except RecursionError:
        raise YamlBoundError(problem="de YAML is te diep genest") from None
    finally:
        loader.dispose()


def load_text(text: str) -> Any:
    """``yaml.safe_load``, by libyaml where PyYAML has it, with the alias bound above.

    >>> load_text("a: [1, ja, '=1+1']")
    {'a': [1, 'ja', '=1+1']}
    >>> load_text("a: &x [1, 2]\\nb: *x\\n")
    {'a': [1, 2], 'b': [1, 2]}
    >>> try:
    ...     load_text("a: &x [*x]")
    ... except YamlBoundError as exc:
    ...     print(exc.problem.split(";")[0], "(rij", exc.problem_mark.line + 1, end=")")
    een verwijzing (alias) bevat zichzelf (rij 1)
    """
    return _compose(text)[0]


def read_yaml(
    path: str | Path, *, error: type[InputError] = InputError, what: str = "bestand"
) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree (for line numbers).

    Raises ``error`` (an :class:`InputError` subclass) with one finding when
    the file is missing, not a regular file inside its folder, larger than
    the YAML limit (:mod:`.inputfile`), not UTF-8, or not valid YAML (with
    its line), or when its aliases stand for too many values.
    """
    name = str(path)
    try:
        text = read_input_text(path, kind="yaml", what=what)
    except InputError as exc:
        raise error(str(exc.args[0]), exc.findings) from None
    except UnicodeDecodeError:
        raise error(
            f"{name}: {what} is niet in UTF-8 opgeslagen",
            [Finding("error", name, "bestand is niet in UTF-8 opgeslagen")],
        ) from None
    # One parse, by libyaml where PyYAML has it (20 times faster than pure Python):
    # the node tree for the line numbers, then the data built from it, as safe_load does.
    try:
        return _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise error(
            f"{name}: geen geldige YAML",
            [Finding("error", name, f"geen geldige YAML: {_problem(exc)}", row=row)],
        ) from None


def _problem(exc: yaml.YAMLError) -> str:
    """What is wrong, without PyYAML's position text (the finding has the row)."""
    if isinstance(exc, YamlBoundError):
        return str(exc.problem)
    return str(exc)


def line_index(node: yaml.Node | None, path: tuple = ()) -> dict[tuple, int]:
    """1-based line of every mapping key and sequence item, keyed by its path in the data.

    ``yaml.safe_load`` forgets positions; the node tree :func:`read_yaml` also
    returns keeps them, so a finding can point at the line a person has to
    edit. ``("research", 2, "areas", 0)`` is the first area of the third entry.
    Each node is visited once: what an alias repeats gets no lines of its own
    (a finding there is placed at the alias's entry).

    Examples
    --------
    >>> root = yaml.compose("items:\\n  - id: a\\n    tags: [x, y]\\n")
    >>> line_index(root)[("items", 0, "tags")]
    3
    """
    if node is None:
        return {}
    out: dict[tuple, int] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple, int]] = [(node, path, node.start_mark.line + 1)]
    while stack:
        current, where, line = stack.pop()
        out[where] = line
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append(
                    (value, (*where, getattr(key, "value", None)), key.start_mark.line + 1)
                )
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                stack.append((item, (*where, i), item.start_mark.line + 1))
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
    "FOUT: units.yaml, rij 3, kolom 'id': units[1] (id 'percent'): id komt twee keer voor"
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
