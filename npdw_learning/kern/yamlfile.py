"""Reading a YAML file a person edits, with errors that name the file, line and column.

:func:`read_yaml` parses a file and keeps its node tree, :func:`positions`
turns that tree into the line and column of every key and value, and
:class:`YamlChecker` is the one checker of every hand-edited YAML file (the
registry, the programme, the codebook, the MSC register, the leeragenda, the
delivery register, the CBS and import mappings): it reads the fields, and
collects the findings of one file, each located at the key or value a person
has to edit, worded the same way in every file. Dates go through
:mod:`.dates`. Data files that are only loaded use :func:`read_yaml` or
:func:`load_text`; no other module composes YAML or looks for a line.

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
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .dates import DATE_FORMS, PARTIAL_DATE_FORMS, parse_date, parse_partial_date
from .errors import Finding, InputError, renamed_findings
from .inputfile import count_text, read_input_text

__all__ = [
    "ID_PATTERN",
    "MAX_EXPANDED_NODES",
    "SLUG_FORM",
    "Ref",
    "Spot",
    "YamlBoundError",
    "YamlChecker",
    "display_name",
    "field_name",
    "literal",
    "load_text",
    "positions",
    "read_yaml",
]

# The one pattern for every id a person types: areas, indicators, themes, stories, coders.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")  # \Z: no trailing newline either
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
        if root is None:
            return None, None
        try:
            return loader.construct_document(root), root
        except ValueError:  # 2025-02-30 looks like a date to YAML but is none
            raise _unbuildable(root) from None
    except RecursionError:
        raise YamlBoundError(problem="de YAML is te diep genest") from None
    finally:
        loader.dispose()


def _unbuildable(root: yaml.Node) -> yaml.MarkedYAMLError:
    """The error for the first value YAML reads as a date that does not exist, at its line."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(reversed(_children(node)))
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":timestamp"):
            try:
                constructor.construct_object(node)
            except ValueError:
                return yaml.constructor.ConstructorError(
                    problem=f"{node.value!r} is geen bestaande datum",
                    problem_mark=node.start_mark,
                )
    return yaml.constructor.ConstructorError(problem="een waarde is niet te lezen")


def load_text(text: str) -> Any:
    """``yaml.safe_load``, by libyaml where PyYAML has it, with the alias bound above.

    >>> load_text("a: [1, ja, '=1+1']")
    {'a': [1, 'ja', '=1+1']}
    >>> load_text("a: &x [1, 2]\\nb: *x\\n")
    {'a': [1, 2], 'b': [1, 2]}
    >>> try:
    ...     load_text("a: 2025-02-30")
    ... except yaml.YAMLError as exc:
    ...     print(exc.problem, "(rij", exc.problem_mark.line + 1, end=")")
    '2025-02-30' is geen bestaande datum (rij 1)
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
        row, char = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        message = f"geen geldige YAML: {_problem(exc)}"
        raise error(
            f"{name}: geen geldige YAML",
            [Finding("error", name, message, row=row, char=char)],
        ) from None


def _problem(exc: yaml.YAMLError) -> str:
    """What is wrong, without PyYAML's position text (the finding has the row)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return " ".join(str(part) for part in (exc.context, exc.problem) if part)
    return str(exc)


# -- where each place of a file is -------------------------------------------------------


@dataclass(frozen=True)
class Spot:
    """Where a key or value starts: 1-based line and character column, as an editor shows."""

    line: int
    char: int


def _spot(mark: yaml.Mark) -> Spot:
    return Spot(mark.line + 1, mark.column + 1)


def positions(node: yaml.Node | None, path: tuple = ()) -> dict[tuple, tuple[Spot, Spot]]:
    """The key and the value spot of every mapping key and sequence item, keyed by path.

    ``yaml.safe_load`` forgets positions; the node tree :func:`read_yaml` also
    returns keeps them, so a finding can point at the key or value a person
    has to edit. ``("research", 2, "areas", 0)`` is the first area of the
    third entry. A sequence item's key spot is its value spot. Each node is
    visited once: what an alias repeats gets no spots of its own (a finding
    there is placed at the alias).

    Examples
    --------
    >>> spots = positions(yaml.compose("items:\\n  - id: a\\n    tags: [x, y]\\n"))
    >>> spots[("items", 0, "tags")]
    (Spot(line=3, char=5), Spot(line=3, char=11))
    """
    if node is None:
        return {}
    start = _spot(node.start_mark)
    constructor = yaml.constructor.SafeConstructor()
    out: dict[tuple, tuple[Spot, Spot]] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple, Spot]] = [(node, path, start)]
    while stack:
        current, where, key_spot = stack.pop()
        out[where] = (key_spot, _spot(current.start_mark))
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                name = _key(key, constructor)
                stack.append((value, (*where, name), _spot(key.start_mark)))
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                stack.append((item, (*where, i), _spot(item.start_mark)))
    return out


def _key(node: yaml.Node, constructor: yaml.constructor.SafeConstructor) -> Any:
    """A mapping key as the data has it: ``2022:`` is the int 2022, as in ``safe_load``."""
    if isinstance(node, yaml.ScalarNode):
        try:
            return constructor.construct_object(node)
        except yaml.YAMLError:
            pass
    return getattr(node, "value", None)


# -- how a finding shows what a person wrote ---------------------------------------------

_LITERAL_MAX = 80


def literal(value: Any) -> str:
    """``value`` as a message shows it: Python's quoted form, control characters escaped.

    Text from the file is data: a newline, a terminal escape or markup in a
    value reaches the message as visible characters, never as a new line or
    a colour; a very long value is cut.

    >>> literal("=1+1"), literal("a\\nb\\x1b[31m"), literal(3)
    ("'=1+1'", "'a\\\\nb\\\\x1b[31m'", '3')
    """
    text = repr(value)
    return text if len(text) <= _LITERAL_MAX else text[: _LITERAL_MAX - 1] + "…"


def field_name(key: Any) -> str:
    """A key as a finding's field: as written when printable, else escaped.

    >>> field_name("label"), field_name("la\\nbel")
    ('label', 'la\\\\nbel')
    """
    text = str(key)
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= _LITERAL_MAX else text[: _LITERAL_MAX - 1] + "…"


def _field_of(path: tuple) -> str | None:
    """The field a path ends in: its last key (a list position names its list)."""
    keys = [p for p in path if not isinstance(p, int)]
    return field_name(keys[-1]) if keys else None


def display_name(path: str | Path) -> str:
    """``path`` as a finding names it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_KIND_NL = {str: "tekst", bool: "true of false", int: "een geheel getal"}
#: How a message describes a slug id.
SLUG_FORM = "een slug (kleine letters, cijfers, - of _)"


@dataclass(frozen=True)
class Ref:
    """An id one entry uses, checked once every file it may point into has been read."""

    path: tuple
    column: str
    where: str
    kind: str
    value: str


class YamlChecker:
    """The one checker of a YAML file a person edits: every finding at its line and column.

    A place in the data is a path of keys and list positions, as in
    :func:`positions` (``("units", 2, "max")``). A finding about a value
    (wrong type, bad date, duplicate id) points at the value, one about a key
    (unknown field) at the key, and a missing field at the entry that lacks
    it (the nearest place around that the file has); a value written over
    the next lines (a block list or mapping) at its key. ``where`` says in words
    which entry (``eenheid 'percent'``); it starts the message. Text from the
    file reaches a message only through :func:`literal` and :func:`field_name`.

    The methods read one field each and return its value, or ``None`` after
    a finding; :meth:`ids` and :meth:`ref` also keep the ids an entry uses in
    :attr:`refs`, for the caller to check once every file is read.

    Examples
    --------
    >>> text = "units:\\n  - id: percent\\n  - id: percent\\n"
    >>> chk = YamlChecker("units.yaml", [], positions(yaml.compose(text)))
    >>> [where for _, where, _ in chk.entries(load_text(text), "units", "eenheid")]
    ["eenheid 'percent'"]
    >>> str(chk.findings[0])
    "FOUT: units.yaml, rij 3, kolom 9, veld 'id': eenheid 'percent': id komt twee keer voor \
(ook op rij 2)"
    """

    def __init__(
        self,
        file: str,
        findings: list[Finding] | None = None,
        spots: Mapping[tuple, tuple[Spot, Spot]] | None = None,
    ) -> None:
        self.file = file
        self.findings = findings if findings is not None else []
        self.spots = dict(spots or {})
        self.refs: list[Ref] = []
        self.readable = True
        #: The top-level mapping :meth:`read` found ({} when the file could not be used).
        self.data: dict[str, Any] = {}

    @classmethod
    def read(
        cls,
        path: str | Path,
        findings: list[Finding],
        *,
        what: str = "bestand",
        name: str | None = None,
    ) -> tuple[YamlChecker, dict[str, Any] | None]:
        """Read ``path``: its checker and its top-level mapping.

        A file that is missing, not UTF-8, not YAML or not a mapping at the top
        adds its finding to ``findings`` and gives ``None`` as data (and a
        checker whose :attr:`readable` is false when the file could not be
        parsed). ``name`` is how findings name the file (default
        :func:`display_name`).
        """
        name = name if name is not None else display_name(path)
        try:
            data, root = read_yaml(path, what=what)
        except InputError as exc:
            findings.extend(renamed_findings(exc.findings, str(path), name))
            chk = cls(name, findings)
            chk.readable = False
            return chk, None
        chk = cls(name, findings, positions(root))
        if not isinstance(data, dict):
            chk.add(
                (),
                None,
                "verwacht een YAML-mapping bovenaan het bestand (velden zoals naam: waarde)",
            )
            return chk, None
        chk.data = data
        return chk, data

    @classmethod
    def from_text(cls, text: str, name: str) -> tuple[YamlChecker, Any]:
        """A checker of ``text`` (YAML not read from a file, e.g. a file about to be
        written) and its data; raises :class:`yaml.YAMLError` like :func:`load_text`."""
        data, root = _compose(text)
        chk = cls(name, [], positions(root))
        chk.data = data if isinstance(data, dict) else {}
        return chk, data

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        what: str = "bestand",
        error: type[InputError] = InputError,
        name: str | None = None,
    ) -> tuple[YamlChecker, dict[str, Any]]:
        """:meth:`read`, raising ``error`` with the finding when the file cannot be used."""
        findings: list[Finding] = []
        chk, data = cls.read(path, findings, what=what, name=name)
        if data is None:
            raise error(f"{chk.file}: {what} is niet te lezen", findings)
        return chk, data

    # -- where -------------------------------------------------------------------------
    def spot(self, path: tuple, at: str = "value") -> Spot | None:
        """The key or value spot of ``path``, else the key spot of the nearest place around it."""
        if path in self.spots:
            key, value = self.spots[path]
            # A value that starts on a later line (a block list or mapping) is named by its key.
            return key if at == "key" or value.line != key.line else value
        for n in range(len(path) - 1, -1, -1):
            if path[:n] in self.spots:
                return self.spots[path[:n]][0]
        return None

    def line(self, path: tuple) -> int | None:
        """The line of ``path``'s key, else of the nearest place around it."""
        spot = self.spot(path, "key")
        return spot.line if spot is not None else None

    # -- findings ----------------------------------------------------------------------
    def add(
        self,
        path: tuple,
        column: str | None,
        message: str,
        severity: str = "error",
        *,
        at: str = "value",
    ) -> None:
        """A finding at ``path`` (its value, or with ``at="key"`` its key); the field
        is ``column``, else the last key of ``path``."""
        spot = self.spot(path, at)
        self.findings.append(
            Finding(
                severity,
                self.file,
                message,
                row=spot.line if spot else None,
                column=field_name(column) if column is not None else _field_of(path),
                char=spot.char if spot else None,
            )
        )

    def error(
        self, path: tuple, where: str, column: str | None, message: str, *, at: str = "value"
    ) -> None:
        """An error at ``path`` whose message starts with ``where`` (when given)."""
        self.add(path, column, f"{where}: {message}" if where else message, at=at)

    def warning(
        self, path: tuple, where: str, column: str | None, message: str, *, at: str = "value"
    ) -> None:
        """A warning at ``path`` whose message starts with ``where`` (when given)."""
        self.add(path, column, f"{where}: {message}" if where else message, "warning", at=at)

    @property
    def errors(self) -> list[Finding]:
        """The errors among the findings (of every checker sharing the list)."""
        return [f for f in self.findings if f.severity == "error"]

    # -- entries -----------------------------------------------------------------------
    def entries(
        self,
        data: Mapping[str, Any],
        key: str,
        noun: str,
        *,
        pattern: re.Pattern[str] = ID_PATTERN,
        form: str = SLUG_FORM,
        required: bool = True,
        empty: bool = True,
    ) -> list[tuple[tuple, str, dict[str, Any]]]:
        """The entries of the list ``key`` with a valid, unique id: ``(path, where, entry)``.

        ``noun`` names one entry in Dutch (``thema``): ``where`` is
        ``thema 'overlast'``. A missing list (when ``required``), an empty one
        (unless ``empty``), an entry that is not a mapping, an id that does not
        match ``pattern`` (described by ``form``) and a repeated id are errors;
        those entries are left out. ``key:`` with nothing under it is an empty list.
        """
        if key not in data:
            if required:
                self.error((key,), "", key, f"de lijst '{key}' ontbreekt")
            return []
        items = data[key] if data[key] is not None else []
        if not isinstance(items, list):
            self.error((key,), "", key, f"'{key}' moet een lijst zijn, niet {literal(items)}")
            return []
        if not items and not empty:
            self.error((key,), "", key, f"de lijst '{key}' is leeg; geef minstens één {noun}")
        out = []
        seen: dict[str, int | None] = {}
        for i, item in enumerate(items):
            path, number = (key, i), f"{noun} nummer {i + 1}"
            if not isinstance(item, dict):
                self.error(path, number, key, "verwacht velden (id, ...)")
                continue
            ident = item.get("id")
            if not isinstance(ident, str) or not pattern.match(ident):
                message = f"id {literal(ident)} ontbreekt of heeft niet de vorm {form}"
                self.error((*path, "id"), number, "id", message)
                continue
            where = f"{noun} '{ident}'"
            if ident in seen:
                also = f" (ook op rij {seen[ident]})" if seen[ident] else ""
                self.error((*path, "id"), where, "id", f"id komt twee keer voor{also}")
                continue
            seen[ident] = self.line((*path, "id"))
            out.append((path, where, item))
        return out

    def unknown_fields(
        self,
        item: Mapping[Any, Any],
        path: tuple,
        where: str,
        allowed: Iterable[str],
        severity: str = "warning",
        *,
        prefix: str = "",
    ) -> None:
        """Each key of ``item`` that is not ``allowed``, reported at the key.

        ``prefix`` names the field a nested mapping belongs to (``sources.``).
        """
        for key in sorted(set(item) - set(allowed), key=str):
            name = f"{prefix}{field_name(key)}"
            message = f"onbekend veld '{name}'"
            self.add(
                (*path, key),
                name,
                f"{where}: {message}" if where else message,
                severity,
                at="key",
            )

    # -- fields ------------------------------------------------------------------------
    def text(
        self, item: Mapping, path: tuple, where: str, key: str, *, required: bool = True
    ) -> str | None:
        """Field ``key`` as stripped text; absent or blank is an error when ``required``."""
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error((*path, key), where, key, f"veld '{key}' ontbreekt of is leeg")
            return None
        if not isinstance(value, str):
            self.error((*path, key), where, key, f"'{key}' moet tekst zijn, niet {literal(value)}")
            return None
        return value.strip()

    def require(self, item: Mapping, path: tuple, where: str, key: str, kind: type) -> Any:
        """Field ``key`` if it is a ``kind`` (str, bool or int), else an error."""
        value = item.get(key)
        # YAML's true/false are ints to Python; only accept them where a bool is asked for.
        wrong_bool = isinstance(value, bool) and kind is not bool
        if value is None:
            self.error((*path, key), where, key, f"veld '{key}' ontbreekt")
            return None
        if not isinstance(value, kind) or wrong_bool:
            message = f"'{key}' moet {_KIND_NL[kind]} zijn, niet {literal(value)}"
            self.error((*path, key), where, key, message)
            return None
        return value

    def one_of(
        self, item: Mapping, path: tuple, where: str, key: str, allowed: Collection[Any]
    ) -> Any:
        """Field ``key`` if it is one of ``allowed``, else an error."""
        value = item.get(key)
        if value is None:
            self.error((*path, key), where, key, f"veld '{key}' ontbreekt")
            return None
        if value not in allowed:
            message = f"'{key}' is {literal(value)}; toegestaan: {', '.join(map(str, allowed))}"
            self.error((*path, key), where, key, message)
            return None
        return value

    def mapping(self, item: Mapping, path: tuple, where: str, key: str) -> dict[Any, Any]:
        """Field ``key`` as a mapping; absent means empty."""
        value = item.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(
                (*path, key),
                where,
                key,
                f"'{key}' moet velden hebben (een mapping), niet {literal(value)}",
            )
            return {}
        return value

    def strings(
        self, item: Mapping, path: tuple, where: str, key: str, *, column: str | None = None
    ) -> list[str]:
        """Field ``key`` as a list of texts; absent means empty."""
        column = column or key
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            message = f"'{column}' moet een lijst zijn ([a, b]), niet {literal(value)}"
            self.error((*path, key), where, column, message)
            return []
        out = []
        for j, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                message = f"'{column}' bevat {literal(v)}; verwacht tekst"
                self.error((*path, key, j), where, column, message)
            else:
                out.append(v.strip())
        return out

    def ids(
        self,
        item: Mapping,
        path: tuple,
        where: str,
        key: str,
        kind: str,
        *,
        column: str | None = None,
        required: bool = False,
    ) -> list[str]:
        """Field ``key`` as a list of ids of ``kind``, each kept in :attr:`refs`; a repeat warns."""
        column = column or key
        if required and item.get(key) in (None, []):
            message = f"'{column}' ontbreekt of is leeg; geef minstens één"
            self.error((*path, key), where, column, message)
            return []
        values = self.strings(item, path, where, key, column=column)
        for j, value in enumerate(values):
            self.refs.append(Ref((*path, key, j), column, where, kind, value))
        for value in sorted({v for v in values if values.count(v) > 1}):
            self.warning(
                (*path, key), where, column, f"'{column}' noemt {literal(value)} twee keer"
            )
        return list(dict.fromkeys(values))

    def ref(self, item: Mapping, path: tuple, where: str, key: str, kind: str) -> str | None:
        """Field ``key`` as one id of ``kind`` (required), kept in :attr:`refs`."""
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), where, key, f"veld '{key}' ontbreekt of is geen id")
            return None
        self.refs.append(Ref((*path, key), key, where, kind, value))
        return value

    def date(
        self,
        item: Mapping,
        path: tuple,
        where: str,
        key: str,
        *,
        partial: bool = False,
        dutch: bool = False,
        required: bool = True,
    ) -> Any:
        """Field ``key`` as a date (:func:`.dates.parse_date`), or with ``partial`` as a
        :class:`.dates.PartialDate` (``None`` for ``onbekend``); absent is an error when
        ``required``. A bad date names the forms a person may write."""
        forms = PARTIAL_DATE_FORMS if partial else DATE_FORMS
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.error((*path, key), where, key, f"veld '{key}' ontbreekt ({forms})")
            return None
        try:
            return parse_partial_date(value) if partial else parse_date(value, dutch=dutch)
        except ValueError as exc:
            message = f"'{key}' is {literal(value)}: {exc}; schrijf {forms}"
            self.error((*path, key), where, key, message)
            return None
