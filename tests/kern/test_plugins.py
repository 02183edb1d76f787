"""kern.plugins.discover: the one way a registry finds what the modules of a package add."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from npdw_learning.kern.plugins import discover


@dataclass(frozen=True)
class Entry:
    name: str


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package ``plugpkg`` on sys.path; ``add(module, text)`` writes a module into it."""
    root = tmp_path / "plugpkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "tests_kern_test_plugins", sys.modules[__name__])

    def add(module: str, text: str) -> Path:
        path = root / f"{module}.py"
        path.write_text("from tests_kern_test_plugins import Entry\n" + text)
        return path

    yield add
    for name in [m for m in sys.modules if m == "plugpkg" or m.startswith("plugpkg.")]:
        del sys.modules[name]


def test_one_entry_or_a_tuple_per_module_in_name_order(package):
    package("b_two", "ADDS = (Entry('twee'), Entry('drie'))\n")
    package("a_one", "ADDS = Entry('een')\n")
    found = discover("plugpkg", "ADDS", Entry)
    assert list(found) == ["een", "twee", "drie"]
    assert found["twee"] == Entry("twee")
    with pytest.raises(TypeError):
        found["vier"] = Entry("vier")  # read-only


@pytest.mark.parametrize(
    ("text", "error", "says"),
    [
        ("OTHER = Entry('x')\n", TypeError, "ADDS must be a Entry"),
        ("ADDS = 'x'\n", TypeError, "plugpkg.m: ADDS must be"),
        ("ADDS = ()\n", TypeError, "ADDS must be"),
        ("ADDS = (Entry('x'), Entry('x'))\n", ValueError, "Entry 'x' exists already"),
    ],
)
def test_a_module_that_breaks_the_contract_is_named(package, text, error, says):
    package("m", text)
    with pytest.raises(error, match=says):
        discover("plugpkg", "ADDS", Entry)
