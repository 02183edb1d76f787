"""The report as a reader sees it: printed by WeasyPrint, folded, contrast, headings, alt text.

These tests lay out small reports built here (fast); the full report of the
demo run is laid out in ``test_evaluate.py``, on the run that module makes anyway.
"""

from __future__ import annotations

import base64
import io
import re

import nbformat
import pandas as pd
import pytest
from PIL import Image

from npdw_learning.evaluatie.pdf import (
    RefusedURL,
    box_texts,
    data_only_fetcher,
    layout,
    overflowing_boxes,
    pages_per_element,
    refuse_network,
    write_pdf,
)
from npdw_learning.evaluatie.report import (
    APPENDIX,
    STYLE,
    assemble,
    embedded_png,
    render_html,
    table_html,
)
from npdw_learning.kern.fonts import font_face_css

PILLARS = pd.DataFrame({"id": ["wonen", "veilig"], "label": ["Wonen", "Leefbaar en veilig"]})
HEAD = "Nationaal Programma Dordt West · Vertellen en tellen 2026"
WARNING = "LET OP: synthetische demodata"


def shown(section: str, html: str, **extra) -> nbformat.NotebookNode:
    """An output as report.show_* leaves it in an executed notebook."""
    return nbformat.v4.new_output(
        "display_data",
        data={"text/html": html, "text/plain": "tekst"},
        metadata={"npdw": {"section": section, **extra}},
    )


def notebook(*cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def code(output) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [output]
    return cell


def png(width: int, height: int) -> str:
    """A PNG data URL of a striped picture of the given size."""
    img = Image.new("RGB", (width, height), "white")
    for x in range(0, width, 20):
        for y in range(height):
            img.putpixel((x, y), (11, 110, 105))
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def wide_table(columns: int = 11, rows: int = 10) -> str:
    """Many columns, long unbroken runs (file names, URLs), more rows than fit on a page.

    Ordinary words set a column's minimum width; the runs of more than 20
    characters without a space, hyphen or slash are what must not.
    """
    frame = pd.DataFrame(
        {
            f"Kolom_met_een_lange_naam_{c}": [
                f"Rij {r}: bestand_{'x' * 40}.csv en https://example.org/{'y' * 30}"
                for r in range(rows)
            ]
            for c in range(columns)
        }
    )
    return table_html(frame, caption="Een brede tabel")


def printed_report(*outputs, banner: bool = True) -> str:
    nb = notebook(*[code(o) for o in outputs])
    report = assemble([nb], PILLARS, title="Vertellen en tellen 2026")
    return render_html(
        report,
        banner="LET OP: dit rapport gebruikt SYNTHETISCHE DEMODATA" if banner else None,
        running_head=HEAD,
        running_warning=WARNING if banner else "",
    )


@pytest.fixture(scope="module")
def printed():
    page = printed_report(
        shown("samenvatting", "<p>kort</p>"),
        shown("pijler:wonen:cijfers", wide_table()),
        shown(
            "pijler:wonen:cijfers",
            f'<figure class="figuur"><img src="{png(1400, 2300)}" alt="Lijngrafieken"></figure>',
        ),
        shown(
            "pijler:veilig:cijfers",
            f'<figure class="figuur"><img src="{png(2000, 900)}" alt="Breed"></figure>',
        ),
    )
    return page, layout(page)


def test_nothing_is_wider_than_the_page(printed):
    _, document = printed
    assert len(document.pages) >= 3  # the long table really runs over pages
    assert overflowing_boxes(document) == []
    # More than WIDE_COLUMNS columns: the table is printed on landscape pages.
    landscape = [p for p in document.pages if p.width > p.height]
    assert 1 <= len(landscape) < len(document.pages)


def test_overflow_is_found_when_a_box_is_too_wide():
    # The check itself can fail: a fixed-width table that the page cannot hold.
    # (Not through render_html: the sanitiser would drop the style attribute.)
    page = f'<style>{STYLE}</style><table style="width: 400mm"><tr><td>x</td></tr></table>'
    found = overflowing_boxes(layout(page))
    assert [o.element for o in found] == ["table"]
    assert found[0].right > found[0].limit


def test_every_page_has_the_running_head_the_warning_and_its_number(printed):
    _, document = printed
    total = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        text = " ".join(box_texts(page._page_box))
        assert HEAD in text, number
        assert WARNING in text, number
        assert f"pagina {number} van {total}" in text


def test_no_warning_without_synthetic_data():
    document = layout(printed_report(shown("samenvatting", "<p>kort</p>"), banner=False))
    text = " ".join(box_texts(document.pages[0]._page_box))
    assert HEAD in text and "synthetische" not in text.lower()


def test_figures_stay_on_one_page_and_table_headers_repeat(printed):
    _, document = printed
    for pages in pages_per_element(document, "figure").values():
        assert len(pages) == 1
    [table_pages] = pages_per_element(document, "table").values()
    assert len(table_pages) >= 2
    header_pages = set().union(*pages_per_element(document, "thead").values())
    assert table_pages <= header_pages


def test_table_of_contents_numbers_each_heading_once(printed):
    page, document = printed
    toc = " ".join(box_texts(document.pages[0]._page_box))
    assert "1. Samenvatting" in toc
    assert "2.1 Cijfers" in toc
    assert not re.search(r"\d\.\s+\d\.", toc) and not re.search(r"\b[a-z]\.\s+\d\.\d", toc)


def test_pdf_is_written_atomically(tmp_path, printed):
    page, _ = printed
    target = tmp_path / "rapport.pdf"
    pages = write_pdf(page, target)
    assert target.read_bytes().startswith(b"%PDF") and pages >= 3
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.pdf"]


@pytest.mark.parametrize(
    "url", ["https://example.org/a.png", "http://x/y.css", "file:///etc/passwd", "a.png", ""]
)
def test_weasyprint_fetches_nothing_but_data(url):
    with pytest.raises(RefusedURL):
        refuse_network(url)
    with pytest.raises(RefusedURL):
        data_only_fetcher().fetch(url)
    assert data_only_fetcher().fetch(png(2, 2)).read().startswith(b"\x89PNG")


def test_a_remote_image_is_not_fetched(caplog):
    # Behind the sanitiser and the CSP: even a page that asks for a remote image gets nothing.
    document = layout(
        f"<style>{font_face_css()}{STYLE}</style>"
        '<p>x</p><img src="https://example.org/a.png" alt="extern">'
    )
    assert "RefusedURL" in caplog.text
    kinds = set()

    def walk(box):
        if getattr(box, "element_tag", None) == "img":
            kinds.add(type(box).__name__)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(document.pages[0]._page_box)
    assert kinds and "InlineReplacedBox" not in kinds  # the alt text stands in for it
    assert "extern" in " ".join(box_texts(document.pages[0]._page_box))


# -- appendix ----------------------------------------------------------------------


def test_a_long_table_folds_into_the_appendix_and_names_its_csv():
    from npdw_learning.evaluatie import report

    captured = []

    def fake_display(bundle, section, **extra):
        captured.append((section, bundle))

    original = report._display
    report._display = fake_display
    try:
        report.show_table(
            pd.DataFrame({"a": range(40)}), "leeragenda", appendix="Onderzoek", csv="onderzoek.csv"
        )
    finally:
        report._display = original
    (first, note), (second, folded) = captured
    assert first == "leeragenda" and second == APPENDIX
    assert "(40 rijen)" in note["text/markdown"]
    assert "tables/onderzoek.csv" in note["text/markdown"]
    assert f"(#{APPENDIX})" in note["text/markdown"]
    html = folded["text/html"]
    assert html.startswith("<details><summary>Onderzoek (40 rijen); volledige lijst in ")
    assert html.count("<tr>") == 41
    nb = notebook(code(shown(first, "<p>zie bijlage</p>")), code(shown(second, html)))
    page = render_html(assemble([nb], PILLARS, title="R"))
    assert page.index('id="bijlage"') > page.index('id="leeragenda"')
    assert "<details><summary>" in page  # the sanitiser keeps the fold


# -- accessibility -------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_the_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic fail


def test_every_text_colour_meets_wcag_aa_on_every_background():
    variables = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", STYLE))

    def resolve(value: str) -> str:
        m = re.fullmatch(r"var\(--([a-z]+)\)", value.strip())
        value = variables[m.group(1)] if m else value.strip()
        if re.fullmatch(r"#[0-9a-f]{3}", value):
            value = "#" + "".join(c * 2 for c in value[1:])
        assert re.fullmatch(r"#[0-9a-f]{6}", value), value
        return value

    texts_ = {resolve(v) for v in re.findall(r"(?<![-\w])color:\s*([^;}]+)", STYLE)}
    backgrounds = {"#ffffff"} | {
        resolve(v) for v in re.findall(r"background:\s*([^;}]+)", STYLE) if "none" not in v
    }
    assert len(texts_) >= 3 and len(backgrounds) >= 3
    for text in texts_:
        for background in backgrounds:
            assert contrast(text, background) >= 4.5, (text, background)


def test_embedded_figure_keeps_its_size_and_looks_the_same(tmp_path):
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for i in range(6):
        ax.plot(range(12), [v * (i + 1) for v in range(12)], label=f"reeks {i}")
    ax.legend()
    path = tmp_path / "f.png"
    fig.savefig(path, dpi=150)
    plt.close(fig)
    small = embedded_png(path)
    assert len(small) < path.stat().st_size
    with Image.open(path) as original, Image.open(io.BytesIO(small)) as shown_:
        assert shown_.size == original.size
        a = original.convert("RGB").tobytes()
        b = shown_.convert("RGB").tobytes()
    mean_difference = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
    assert mean_difference < 2  # of 255: the same picture to the eye


def test_headings_never_skip_a_level():
    nb = notebook(
        code(shown("leeragenda", "", title="Leeragenda")),
        nbformat.v4.new_markdown_cell("x"),
        code(shown("leeragenda", "<h4>Leervragen</h4><p>a</p><h5>Detail</h5>")),
        code(shown("pijler:wonen:cijfers", "<h4>Datakwaliteit</h4>")),
    )
    page = render_html(assemble([nb], PILLARS, title="R"))
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", page)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert "<h3" in page and "<h5>Detail" not in page


# -- make check-report -----------------------------------------------------------------


def test_a_tall_screenshot_is_cut_into_screens_without_the_blank_tail(tmp_path):
    from npdw_learning.evaluatie.check import tiles

    tall = Image.new("RGB", (120, 1000), "white")
    for y in (10, 350, 590):  # content on the first three screens of 200 px, then blank
        tall.paste((0, 0, 0), (5, y, 50, y + 5))
    tall.save(tmp_path / "tall.png")
    shots = tiles(tmp_path / "tall.png", tmp_path, height=200)
    assert [p.name for p in shots] == ["scherm-01.png", "scherm-02.png", "scherm-03.png"]
    with Image.open(shots[1]) as second:
        assert second.size == (120, 200)
        assert second.convert("L").getpixel((10, 152)) == 0  # y 350 is 150 into screen 2


# -- fonts -------------------------------------------------------------------------


def test_every_printed_text_margin_boxes_too_is_set_in_the_bundled_family(printed):
    from npdw_learning.evaluatie.pdf import _boxes, embedded_fonts
    from npdw_learning.kern.fonts import CSS_FAMILY, FACES

    _, document = printed
    families, numbers = set(), []
    for page in document.pages:
        for box in _boxes(page._page_box):
            if isinstance(getattr(box, "text", None), str) and box.text.strip():
                families.add(tuple(box.style["font_family"]))
                if box.text.startswith("pagina "):
                    numbers.append(box)
    assert numbers and families == {(CSS_FAMILY, "sans-serif")}
    assert embedded_fonts(document) <= {stem for _, _, stem in FACES}
