"""Method prose follows the constants: the report and the README never write a parameter twice."""

from __future__ import annotations

import math
import re

import nbformat
import pytest

from npdw_learning.evaluatie import method, report
from npdw_learning.evaluatie.runner import NOTEBOOKS_DIR
from npdw_learning.kern.paths import PROJ_ROOT
from npdw_learning.tellen import progress, trends
from npdw_learning.vertellen import analysis


def _report_text(pillars) -> str:
    notebooks = [nbformat.read(p, as_version=4) for p in sorted(NOTEBOOKS_DIR.glob("0*.ipynb"))]
    assembled = report.assemble(notebooks, pillars, title="t")
    return "\n".join(
        cell.source for *_, cells in assembled.sections for cell in cells if "source" in cell
    )


@pytest.fixture(scope="module")
def pillars(registry):
    return registry.pillars


def test_report_prose_has_no_placeholder_left_and_states_the_constants(pillars):
    text = _report_text(pillars)
    assert "{{" not in text
    assert "minder dan vier jaren" in text
    assert "onder 5% ligt" in text
    assert "vanaf 95% *op koers*" in text
    assert "Tellingen onder de vijf staan als **<5**" in text


def test_a_changed_constant_changes_the_report_prose(pillars, monkeypatch):
    monkeypatch.setattr(trends, "MIN_POINTS", 6)
    monkeypatch.setattr(trends, "FDR_ALPHA", 0.01)
    monkeypatch.setattr(progress, "ON_TRACK", 0.9)
    monkeypatch.setattr(analysis, "MIN_CELL", 10)
    text = _report_text(pillars)
    assert "minder dan zes jaren" in text and "minder dan vier jaren" not in text
    assert "onder 1% ligt" in text
    assert "vanaf 90% *op koers*" in text
    assert "Tellingen onder de tien staan als **<10**" in text
    # 2 / 5! = 0.0167 >= 0.01, 2 / 6! = 0.0028 < 0.01: six points are needed at 1%.
    assert "pas vanaf zes jaren aantoonbaar" in text


def test_the_first_significant_length_is_the_exact_kendall_bound():
    for alpha in (0.05, 0.01, 0.1, 0.001):
        n = method._first_significant_length(alpha)
        assert 2 / math.factorial(n) < alpha <= 2 / math.factorial(n - 1)


def test_an_unknown_placeholder_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"\{\{min_pointz\}\}.*min_points"):
        method.fill("minder dan {{min_pointz}} jaren", method.method_values(), where="x")


def test_numbers_and_percentages_read_as_dutch():
    assert [method.dutch_number(n) for n in (1, 3, 12, 13)] == ["één", "drie", "twaalf", "13"]
    assert method.percent(0.95) == "95%"
    assert method.percent(0.025) == "2,5%"


def test_the_readme_table_is_the_generated_one():
    readme = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        re.escape(method.README_START) + ".*?" + re.escape(method.README_END), readme, re.S
    )
    assert block is not None, "README mist de tabel met methodeparameters"
    assert block.group(0) == method.readme_table()


def test_the_readme_table_follows_a_changed_constant(monkeypatch):
    monkeypatch.setattr(trends, "MIN_POINTS", 7)
    assert "| Minimum points for a trend or a progress status | 7 |" in method.readme_table()


def test_no_report_prose_writes_a_parameter_literally():
    """Report prose in the notebooks states these parameters only through placeholders."""
    literal = re.compile(r"minder dan (vier|vijf|drie) |\b(95|60)%|onder 5%|\*\*<5\*\*")
    for path in sorted(NOTEBOOKS_DIR.glob("0*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "markdown" and any(t.startswith("rapport:") for t in tags):
                assert not literal.search(cell.source), (
                    f"{path.name}: {literal.search(cell.source)}"
                )
