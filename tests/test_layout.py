"""The package layout: one room per capability, imports in one direction, no cycle.

The import graph is read from the source with ``ast`` (every import, also the
ones inside a function, which run later but still make one module depend on
another), so the test needs no import side effects.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import npdw_learning

PACKAGE = Path(npdw_learning.__file__).parent
ROOMS = ("kern", "tellen", "vertellen", "leeragenda", "evaluatie")
# Which rooms a room may import from (itself always).
ALLOWED = {
    "kern": set(),
    "tellen": {"kern"},
    "vertellen": {"kern"},
    "leeragenda": {"kern", "vertellen"},
    "evaluatie": {"kern", "tellen", "vertellen", "leeragenda"},
}


def _module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str], package: Path = PACKAGE) -> set[str]:
    """The package modules ``path`` imports (``from x import y`` counts y if y is a module)."""
    name = _module_name(path, package)
    base = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # `if TYPE_CHECKING:` imports never run: they name a type, not a dependency.
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and getattr(block.test, "id", None) == "TYPE_CHECKING"
        for n in ast.walk(block)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")[: len(base.split(".")) - node.level + 1]
                target = ".".join([*parts, node.module] if node.module else parts)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    paths = {_module_name(p, package): p for p in package.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(paths)
    for name, path in paths.items():
        graph.add_edges_from((name, target) for target in _imports(path, set(paths), package))
    return graph


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ROOMS else None


GRAPH = import_graph()


def test_every_module_lives_in_a_room_except_the_entry_points():
    rooms = {f"npdw_learning.{room}" for room in ROOMS}
    loose = {m for m in GRAPH if _room(m) is None and m.count(".") >= 1} - rooms
    assert loose == {"npdw_learning.cli"}
    assert rooms <= set(GRAPH)
    for room in ROOMS:
        init = PACKAGE / room / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "Who changes it" in doc, f"{room}/__init__.py: wat en voor wie"


def test_there_is_no_import_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(GRAPH) if len(c) > 1]
    assert cycles == []


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_imports_only_the_rooms_below_it(room):
    wrong = [
        (a, b)
        for a, b in GRAPH.edges
        if _room(a) == room and _room(b) not in (ALLOWED[room] | {room})
    ]
    assert wrong == []


def test_no_domain_module_imports_a_command_module():
    wrong = [
        (a, b)
        for a, b in GRAPH.edges
        if b.endswith(".cli") and a != "npdw_learning.cli" and not a.endswith(".cli")
    ]
    assert wrong == []


def test_every_command_handler_is_named_cli_and_every_one_is_wired():
    """One prefix for the functions a command runs: ``cli_<command>`` in a room's ``cli``
    module, each reached from the parser (``_lazy(room, name)``) or from the main cli."""
    import re

    wiring = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    wired = set(re.findall(r'_lazy\("\w+", "(\w+)"\)', wiring))
    handlers = set()
    for path in PACKAGE.glob("*/cli.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                assert node.name.startswith("cli_"), (path.parent.name, node.name)
                handlers.add(node.name)
    assert wired and wired <= handlers, wired - handlers


def test_room_init_files_load_nothing():
    """`npdw validate` stays quick: a room's __init__ holds a docstring, no imports."""
    for room in ROOMS:
        tree = ast.parse((PACKAGE / room / "__init__.py").read_text(encoding="utf-8"))
        assert all(
            isinstance(n, ast.Expr) or (isinstance(n, ast.ImportFrom) and n.module == "__future__")
            for n in tree.body
        ), room


def test_the_graph_reader_sees_a_cycle_and_a_wrong_direction(tmp_path):
    """The checks above can fail: a planted cycle and a planted upward import are found."""
    pkg = tmp_path / "npdw_learning"
    for room in ("kern", "tellen"):
        (pkg / room).mkdir(parents=True)
        (pkg / room / "__init__.py").write_text('"""x"""\n')
    (pkg / "__init__.py").write_text("")
    (pkg / "kern" / "a.py").write_text("def f():\n    from ..tellen.b import g\n")
    (pkg / "tellen" / "b.py").write_text("from ..kern import a\n")
    graph = import_graph(pkg)
    assert ("npdw_learning.kern.a", "npdw_learning.tellen.b") in graph.edges
    assert ("npdw_learning.tellen.b", "npdw_learning.kern.a") in graph.edges
    assert any(len(c) > 1 for c in nx.strongly_connected_components(graph))


MAX_FUNCTION_LINES = 80


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the last line, without the docstring: documenting a parameter
    never pushes a function over the limit."""
    lines = node.end_lineno - node.lineno + 1
    first = node.body[0]
    value = first.value if isinstance(first, ast.Expr) else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def long_functions(package: Path = PACKAGE) -> list[tuple[str, str, int]]:
    """``(file, function, lines)`` for every function of MAX_FUNCTION_LINES code lines or more
    (its docstring not counted)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = _code_lines(node)
                if lines >= MAX_FUNCTION_LINES:
                    found.append((str(path.relative_to(package)), node.name, lines))
    return found


def test_no_function_is_80_lines_or_longer():
    assert long_functions() == []


def test_the_length_check_counts_from_def_to_the_last_line(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 1))
    (pkg / "m.py").write_text(f"def long():\n{body}\n\ndef short():\n    return 1\n")
    assert long_functions(pkg) == [("m.py", "long", MAX_FUNCTION_LINES)]


def test_the_length_check_leaves_out_the_docstring(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    doc = '    """Doc.\n' + "    more\n" * 40 + '    """\n'
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 2))
    (pkg / "m.py").write_text(
        f"def documented():\n{doc}{body}\n\ndef long():\n{doc}{body}    y = 0\n"
    )
    assert long_functions(pkg) == [("m.py", "long", MAX_FUNCTION_LINES)]


# -- one YAML checker ---------------------------------------------------------------------

YAML_CHECKER = Path("kern") / "yamlfile.py"
# What a module other than the checker may use of PyYAML: the error it raises, and dumping.
YAML_ALLOWED = frozenset({"YAMLError", "safe_dump", "dump", "SafeDumper"})
# Where PyYAML keeps positions: whoever reads these finds lines on its own.
MARKS = frozenset({"start_mark", "end_mark", "problem_mark", "context_mark"})
# The checker's inner parts: only through YamlChecker, never to build another checker.
CHECKER_INTERNALS = frozenset({"positions", "_compose", "line_index"})


def _yaml_names(tree: ast.AST) -> set[str]:
    """The names PyYAML is bound to in a module (``import yaml``, ``import yaml as y``)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "yaml"
    }


def yaml_readers(package: Path = PACKAGE) -> list[tuple[str, int, str]]:
    """Every place outside the one checker that parses YAML, reads a position, or looks
    a line up itself: ``(file, line, what)``.

    Caught: a PyYAML function other than :data:`YAML_ALLOWED` (``yaml.safe_load``,
    ``yaml.compose``, ``yaml.MappingNode``, ``from yaml import ...``), a mark
    attribute (``node.start_mark``), the checker's internals imported, and the
    "nearest line" loop (``path[:n] in lines``).
    """
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel == YAML_CHECKER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _yaml_names(tree)
        for node in ast.walk(tree):
            what = None
            if isinstance(node, ast.Attribute):
                base = getattr(node.value, "id", None)
                if base in names and node.attr not in YAML_ALLOWED:
                    what = f"yaml.{node.attr}"
                elif node.attr in MARKS:
                    what = f".{node.attr}"
            elif isinstance(node, ast.ImportFrom):
                bad = [a.name for a in node.names if a.name not in YAML_ALLOWED]
                if node.module == "yaml" and bad:
                    what = f"from yaml import {', '.join(bad)}"
                elif (node.module or "").endswith("yamlfile"):
                    inner = [a.name for a in node.names if a.name in CHECKER_INTERNALS]
                    what = f"yamlfile.{', '.join(inner)}" if inner else None
            elif isinstance(node, ast.Compare) and any(isinstance(o, ast.In) for o in node.ops):
                left = node.left
                if (
                    isinstance(left, ast.Subscript)
                    and isinstance(left.slice, ast.Slice)
                    and left.slice.lower is None
                    and isinstance(left.slice.upper, ast.Name)  # path[:n], not code[:2]
                ):
                    what = "eigen regelzoeker (pad[:n] in ...)"
            if what:
                found.append((str(rel), node.lineno, what))
    return found


def test_only_the_one_checker_reads_yaml_positions():
    """Hand-edited YAML is read, located and reported by kern.yamlfile.YamlChecker alone."""
    assert yaml_readers() == []


def test_the_yaml_reader_check_sees_each_way_around_the_checker(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "kern").mkdir(parents=True)
    (pkg / "kern" / "yamlfile.py").write_text("import yaml\nx = yaml.compose('a: 1')\n")
    (pkg / "ok.py").write_text(
        "import yaml\ntry:\n    yaml.safe_dump({})\nexcept yaml.YAMLError:\n    pass\n"
    )
    (pkg / "bad.py").write_text(
        "import yaml as y\n"
        "from yaml import safe_load\n"
        "from .kern.yamlfile import positions\n"
        "data = y.safe_load('a: 1')\n"
        "root = y.compose('a: 1')\n"
        "line = root.start_mark.line\n"
        "def near(path, lines):\n"
        "    for n in range(len(path), -1, -1):\n"
        "        if path[:n] in lines:\n"
        "            return lines[path[:n]]\n"
    )
    assert sorted(yaml_readers(pkg)) == [
        ("bad.py", 2, "from yaml import safe_load"),
        ("bad.py", 3, "yamlfile.positions"),
        ("bad.py", 4, "yaml.safe_load"),
        ("bad.py", 5, "yaml.compose"),
        ("bad.py", 6, ".start_mark"),
        ("bad.py", 9, "eigen regelzoeker (pad[:n] in ...)"),
    ]


# -- one owner of the paths inside a programme folder (issue 22) -------------------------

# The registry loader names the files a registry folder consists of (its own format, read
# from the folder's registry_dir); nothing else spells a programme path.
PROGRAMME_PATH_OWNERS = {"kern/programme.py"}
REGISTRY_FORMAT = "kern/registry.py"


def _layout() -> tuple[set[str], set[str]]:
    """The relative paths of ProgrammeFolder (``registry/codebook.yaml``, ...) and the names
    of its folders and files (``registry``, ``codebook.yaml``, ...)."""
    from npdw_learning.kern.programme import ProgrammeFolder

    paths = set(ProgrammeFolder.layout().values())
    names = {part for path in paths for part in path.split("/")}
    return paths, names


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _path_context(parents: dict[int, ast.AST], node: ast.Constant) -> bool:
    """Whether ``node`` is joined into a path: an operand of ``/`` or an argument of
    ``Path(...)`` / ``.joinpath(...)``."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Div):
        return True
    if isinstance(parent, ast.Call):
        func = parent.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in ("Path", "PurePosixPath", "joinpath")
    return False


def spelled_programme_paths(package: Path = PACKAGE) -> list[tuple[str, int, str]]:
    """``(file, line, text)`` for every place outside the folder object that spells a path
    inside a programme folder: a string that is one of its file names (``"msc.yaml"``) or
    holds one after a ``/``, a string holding one of its folders followed by ``/``
    (``"registry/codebook.yaml"``, ``"data/agenda/"``, also inside a message or help
    text), or a folder name joined into a path (``data / "registry"``). Docstrings and
    comments may name files: they document, they open nothing; so may prose that names a
    file without its folder ("koppel ze in goals.yaml"). A bare word such as ``"stories"``
    (a column, a key) is no path."""
    paths, names = _layout()
    files = {n for n in names if "." in n}
    folders = names - files
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel in PROGRAMME_PATH_OWNERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        parents = {id(c): n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if id(node) in skip:
                continue
            text = node.value
            own_format = rel == REGISTRY_FORMAT and text in files
            if own_format:
                continue
            if (
                text in files
                or any(f"/{f}" in text for f in files)
                or any(f"{d}/" in text for d in folders if d != "national")
                or (text in folders and _path_context(parents, node))
            ):
                found.append((rel, node.lineno, text))
    return found


def test_no_programme_path_is_spelled_outside_the_folder_object():
    """Done-when of issue 22: every path inside a programme folder comes from
    kern.programme.ProgrammeFolder (a message takes the relative name from its class:
    ``ProgrammeFolder.codebook_file`` is ``"registry/codebook.yaml"``)."""
    assert spelled_programme_paths() == []


def test_the_path_search_finds_a_spelled_path(tmp_path):
    pkg = tmp_path / "npdw_learning"
    (pkg / "kern").mkdir(parents=True)
    (pkg / "kern" / "programme.py").write_text('X = "registry/codebook.yaml"\n')
    (pkg / "a.py").write_text(
        '"""Reads registry/codebook.yaml (a docstring may say so)."""\n'
        'def f(d):\n    return d / "registry" / "codebook.yaml"\n'
        'MESSAGE = f"zie registry/areas.yaml"\n'
        'WORD = "stories"  # a key or column: no path\n'
        'HELP = "de map (standaard: data/measurements/)"\n'
        'NAME = "msc.yaml"\n'
        'JOINED = f"{root}/msc.yaml"\n'
        'PROSE = "koppel het thema in goals.yaml aan een doel"\n'
    )
    found = {(file, text) for file, _, text in spelled_programme_paths(pkg)}
    assert found == {
        ("a.py", "registry"),
        ("a.py", "codebook.yaml"),
        ("a.py", "zie registry/areas.yaml"),
        ("a.py", "de map (standaard: data/measurements/)"),
        ("a.py", "msc.yaml"),
        ("a.py", "/msc.yaml"),
    }
