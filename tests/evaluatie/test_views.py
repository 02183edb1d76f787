"""The views package: one module per part of the report, each reachable as ``views.<name>``.

The notebooks call ``views.show_<what>(run, step)``; a view added to a chapter
module but not to ``views/__init__.py`` would fail only when a notebook runs.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from npdw_learning.evaluatie import views

CHAPTERS = sorted(m.name for m in pkgutil.iter_modules(views.__path__))


def test_the_modules_follow_the_report():
    assert CHAPTERS == [
        "cijfers",
        "leeragenda",
        "samen",
        "samenvatting",
        "veranderd",
        "verantwoording",
        "vergelijking",
        "verhalen",
    ]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_view_of_a_chapter_is_exported_by_the_package(chapter):
    module = importlib.import_module(f"{views.__name__}.{chapter}")
    own = inspect.getmembers(
        module, lambda o: inspect.isfunction(o) and o.__module__ == module.__name__
    )
    shows = {name for name, _ in own if name.startswith("show_")}
    assert shows, f"{chapter}: geen show-functie"
    assert shows <= set(module.__all__), f"{chapter}: {shows - set(module.__all__)} niet in __all__"
    for name in module.__all__:
        assert name in views.__all__, f"views/__init__.py exporteert {name} niet"
        assert getattr(views, name) is getattr(module, name)


def test_every_exported_view_takes_a_run_and_a_step():
    for name in views.__all__:
        obj = getattr(views, name)
        if name.startswith("show_"):
            params = list(inspect.signature(obj).parameters)
            assert params[:2] == ["run", "step"], name
            assert obj.__annotations__["run"] == "Run", name
            assert obj.__annotations__["step"].endswith("Step"), name


def test_a_view_shows_its_parts_in_its_section(shown):
    """The data-quality view as the example: what it says, and where it goes."""
    findings = pd.DataFrame(
        {
            "severity": ["warning"],
            "file": ["data/measurements/cbs.csv"],
            "row": [3],
            "indicator": ["bijstand"],
            "area": ["wielwijk"],
            "message": ["waarde <b>buiten</b> het bereik"],
        }
    )
    step = SimpleNamespace(findings=findings, files=[Path("cbs.csv")], future=2, overrides=None)
    views.show_data_quality(SimpleNamespace(year=2026), step)
    # The table of findings goes to the appendix, with a line pointing there.
    assert [section for section, _ in shown].count("bijlage") == 1
    assert {section for section, _ in shown} == {"verantwoording", "bijlage"}
    text = "\n".join(t for _, t in shown)
    assert "1 bestand(en) met metingen zijn 1 waarschuwingen gevonden" in text
    assert "2 cijfer(s) uit jaren na het evaluatiejaar 2026" in text
    assert "<td>cbs.csv</td>" in text  # the file's name only, not its folder
    assert "&lt;b&gt;buiten&lt;/b&gt;" in text and "<b>" not in text  # a finding is text
    assert "Geen enkele latere levering gaf een ander cijfer." in text
