"""Assembling executed notebooks into the report, and rendering it as offline HTML."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from npdw_learning.evaluatie.report import (
    add_markdown,
    assemble,
    render_html,
    table_html,
)

PILLARS = pd.DataFrame({"id": ["wonen", "veilig"], "label": ["Wonen", "Leefbaar en veilig"]})


def shown(section: str, html: str, **extra) -> nbformat.NotebookNode:
    """An output as report.show_* leaves it in an executed notebook."""
    return nbformat.v4.new_output(
        "display_data",
        data={"text/html": html, "text/plain": "tekst"},
        metadata={"npdw": {"section": section, **extra}},
    )


def notebook(*cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def code(*outputs, source="x = 1") -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    cell.execution_count = 7
    return cell


def markdown(text: str, *tags: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = list(tags)
    return cell


def test_report_order_follows_the_reader_not_the_notebooks():
    tellen = notebook(
        markdown("Uitleg cijfers", "rapport:leeswijzer"),
        code(shown("pijler:veilig:cijfers", "<p>V-cijfers</p>")),
        code(shown("pijler:wonen:cijfers", "<p>W-cijfers</p>")),
        markdown("Methode trends", "rapport:verantwoording"),
    )
    vertellen = notebook(
        code(shown("verhalen", "", title="Verhalen uit de wijken")),
        code(shown("verhalen", "<p>alle verhalen</p>")),
        code(shown("pijler:wonen:verhalen", "<p>W-verhalen</p>")),
        markdown("Methode verhalen", "rapport:verantwoording"),
    )
    samen = notebook(
        code(shown("samenvatting", "<p>kort</p>")),
        code(shown("pijler:wonen:samen", "<p>W-samen</p>")),
    )
    report = assemble([tellen, vertellen, samen], PILLARS, title="Rapport")
    assert report.keys() == [
        "samenvatting",
        "leeswijzer",
        "pijler:wonen",
        "pijler:wonen:cijfers",
        "pijler:wonen:verhalen",
        "pijler:wonen:samen",
        "pijler:veilig",
        "pijler:veilig:cijfers",
        "verhalen",
        "verantwoording",
    ]
    titles = {key: title for key, title, *_ in report.sections}
    assert titles["verhalen"] == "Verhalen uit de wijken"
    assert titles["pijler:veilig"] == "Pijler Leefbaar en veilig"
    # Within a section, pieces keep notebook order.
    cells = dict((k, c) for k, _t, _l, c in report.sections)["verantwoording"]
    assert [c.source for c in cells] == ["Methode trends", "Methode verhalen"]


def test_untagged_cells_stray_output_and_code_stay_out():
    nb = notebook(
        markdown("Alleen voor het notebook"),
        code(
            nbformat.v4.new_output("stream", name="stdout", text="GEPRINT"),
            nbformat.v4.new_output("display_data", data={"text/plain": "ZONDER SECTIE"}),
            shown("samenvatting", "<p>wel</p>"),
            source="GEHEIME_CODE = 1",
        ),
    )
    page = render_html(assemble([nb], PILLARS, title="R"))
    assert "wel" in page
    for absent in ("Alleen voor het notebook", "GEPRINT", "ZONDER SECTIE", "GEHEIME_CODE"):
        assert absent not in page


def test_unknown_pillar_section_is_an_error():
    nb = notebook(code(shown("pijler:onbekend:cijfers", "<p>x</p>")))
    with pytest.raises(ValueError, match="pijler:onbekend:cijfers"):
        assemble([nb], PILLARS, title="R")


def test_html_is_self_contained_without_prompts_and_with_a_toc():
    nb = notebook(
        code(shown("samenvatting", "<p>kort</p>")),
        code(shown("pijler:wonen:cijfers", '<img src="data:image/png;base64,iVBORw0KGgo=">')),
        markdown("Een [link](#samenvatting) en *nadruk*", "rapport:verantwoording"),
    )
    report = assemble([nb], PILLARS, title="Vertellen & tellen")
    add_markdown(report, "verantwoording", "Manifest: 3 bestanden")
    page = render_html(report, subtitle="Ondertitel", banner="LET OP: demo", footer="voet")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page
    assert "<title>Vertellen &amp; tellen</title>" in page
    assert '<div class="banner" role="alert">LET OP: demo</div>' in page
    for forbidden in ("<script", "<link", "@import", "http://", "https://", "In&nbsp;[", "[7]"):
        assert forbidden not in page, forbidden
    toc = page[page.index('<nav class="inhoud"') : page.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', toc) == [
        "samenvatting",
        "pijler-wonen",
        "pijler-wonen-cijfers",
        "verantwoording",
    ]
    assert '<section id="verantwoording"><h2>3. Verantwoording</h2>' in page
    assert '<h3 id="pijler-wonen-cijfers">2.1 Cijfers</h3>' in page
    assert "Manifest: 3 bestanden" in page
    assert "<em>nadruk</em>" in page


def test_rendering_twice_gives_the_same_page():
    nb = notebook(code(shown("samenvatting", "<p>kort</p>")), markdown("m", "rapport:leeswijzer"))
    first = render_html(assemble([nb], PILLARS, title="R"))
    second = render_html(assemble([nb], PILLARS, title="R"))
    assert first == second


def test_add_markdown_needs_an_existing_section():
    report = assemble([notebook(code(shown("samenvatting", "x")))], PILLARS, title="R")
    with pytest.raises(KeyError):
        add_markdown(report, "verantwoording", "x")


def test_table_html_formats_dutch_numbers_and_escapes_text():
    frame = pd.DataFrame(
        {"naam": ["<b>Wielwijk</b>"], "n": [1234], "p": [0.456], "leeg": [float("nan")]}
    )
    out = table_html(frame, caption="Tabel & zo")
    assert "&lt;b&gt;Wielwijk&lt;/b&gt;" in out
    assert '<td class="getal">1.234</td>' in out
    assert '<td class="getal">0,46</td>' in out
    assert '<td class="getal">–</td>' in out
    assert "<caption>Tabel &amp; zo</caption>" in out


def test_table_html_selects_and_renames_columns():
    frame = pd.DataFrame({"a": [1], "b": ["x"], "c": [2]})
    out = table_html(frame, columns={"b": "Bee", "a": "Aa"})
    assert re.findall(r"<th>([^<]+)</th>", out) == ["Bee", "Aa"]
    assert "<td" in out and ">2<" not in out
