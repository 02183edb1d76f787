"""The report: what notebooks show, and how it becomes one self-contained HTML file.

Notebooks stay thin and in run order (tellen, vertellen, vertellen en
tellen, ...), but the report is ordered for its reader: a summary, one
chapter per pillar (cijfers, verhalen, and the two together), further
chapters such as the leeragenda, and the methods at the end. The notebooks
therefore say *where* each piece belongs:

* a code cell shows something for the report through :func:`show_markdown`,
  :func:`show_table` or :func:`show_figure`, which attach a section key to the
  output's metadata (``{"npdw": {"section": ...}}``);
* a Markdown cell joins the report when it carries the cell tag
  ``rapport:<section>``.

Section keys: ``samenvatting``, ``veranderd`` (what changed since last year),
``leeswijzer``, ``pijler:<pillar id>:<part>``
with part ``cijfers``, ``verhalen`` or ``samen``, any other chapter name
(declared with :func:`chapter`), ``verantwoording`` and ``bijlage`` (the
appendix: :func:`show_table` with ``appendix=`` puts a long reference table
there, folded in ``<details>``, and leaves a pointer in its own section).
Everything else in a notebook (code, prompts, stray prints, warnings) stays
out of the report.

For print the page's style sheet (:data:`STYLE`, ``@media print``) sets A4,
the running header and warning, page numbers, a table of contents with page
numbers, landscape pages for tables of more than :data:`WIDE_COLUMNS` columns,
figures kept whole and table headers repeated; :mod:`.pdf` lays it out.

:func:`assemble` collects the pieces of the executed notebooks into one
notebook in report order; :func:`render_html` turns it into HTML with
nbconvert (no input, no prompts) inside a page with its own inline style and
table of contents, so nothing is fetched from the network.
Text from outside
-----------------
Stories, partner files and hand-edited YAML are data, never markup. Outside
text enters the report in exactly one way: as a *value* of
:func:`show_markdown` (or :func:`add_markdown`), whose template is Markdown
written in the code; :func:`markdown_literal` escapes every value for HTML and
Markdown alike, so ``<b>``, ``[a](b)`` or ``# x`` show as written. Tables
(:func:`table_html`), captions and alt texts are HTML-escaped. Two walls
behind that: every HTML fragment of the report passes an allow-list sanitizer
(``nh3``: no script, no event attributes, links only within the page, images
only as embedded data), and the page carries a Content-Security-Policy that
allows no script and no network.
"""

from __future__ import annotations

import base64
import functools
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..kern.fonts import CSS_FAMILY, font_face_css
from ..kern.page import MARGINS_MM
from .method import fill, method_values

if TYPE_CHECKING:  # nbformat's schema checker costs a second to import: only the
    # report's assembly needs it, not the notebooks that import this module's show_*.
    import nbformat

__all__ = [
    "PARTS",
    "FIXED_CHAPTERS",
    "CSP",
    "markdown_literal",
    "sanitize",
    "show_markdown",
    "show_table",
    "show_figure",
    "chapter",
    "table_html",
    "Report",
    "assemble",
    "add_markdown",
    "render_html",
    "embedded_png",
    "APPENDIX",
    "STYLE",
]

METADATA_KEY = "npdw"
TAG_PREFIX = "rapport:"
PARTS = {"cijfers": "Cijfers", "verhalen": "Verhalen", "samen": "Vertellen en tellen"}
FIXED_CHAPTERS = {
    "samenvatting": "Samenvatting",
    "veranderd": "Wat is er veranderd sinds vorig jaar",
    "leeswijzer": "Zo leest u dit rapport",
    "verantwoording": "Verantwoording",
    "bijlage": "Bijlage: de volledige tabellen",
}
_FIRST = ("samenvatting", "veranderd", "leeswijzer")
_LAST = ("verantwoording", "bijlage")
APPENDIX = "bijlage"


# -- showing things in a notebook -------------------------------------------------


def _display(bundle: Mapping[str, str], section: str, **extra: str) -> None:
    from IPython.display import display

    display(dict(bundle), raw=True, metadata={METADATA_KEY: {"section": section, **extra}})


# CommonMark lets a backslash escape any ASCII punctuation; the four characters
# that matter to HTML become entities instead, so neither syntax survives.
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_MD_PUNCTUATION = frozenset("!#$%'()*+,-./:;=?@[\\]^_`{|}~")


def markdown_literal(value: object) -> str:
    """Text from outside as Markdown that renders to exactly that text.

    HTML-special characters become entities, every other ASCII punctuation
    mark is backslash-escaped (CommonMark), and line breaks become spaces, so
    a value can start no block (heading, list, quote, code) and contain no
    link, image, emphasis or HTML element.

    Examples
    --------
    >>> print(markdown_literal("<b>[klik](x)</b>"))
    &lt;b&gt;\\[klik\\]\\(x\\)&lt;\\/b&gt;
    """
    text = " ".join(str(value).split())
    out = []
    for ch in text:
        if ch in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[ch])
        elif ch in _MD_PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _fill(template: str, values: Mapping[str, object]) -> str:
    """The template with every value escaped; a list or tuple value becomes a bullet list."""
    escaped = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            escaped[name] = "\n".join(f"- {markdown_literal(v)}" for v in value)
        else:
            escaped[name] = markdown_literal(value)
    return template.format(**escaped) if values else template


def show_markdown(template: str, section: str, **values: object) -> None:
    """Show Markdown in the notebook and put it in ``section`` of the report.

    Parameters
    ----------
    template : str
        Markdown written in the code, with ``{name}`` placeholders (``{{`` for a
        brace) when ``values`` are given.
    section : str
        Where in the report it goes.
    **values
        Text from outside (stories, partner files, YAML): each is shown literally
        (:func:`markdown_literal`); a list or tuple becomes a bullet list.
    """
    text = _fill(template, values)
    _display({"text/markdown": text, "text/plain": text}, section)


def show_table(
    frame: pd.DataFrame,
    section: str,
    *,
    caption: str | None = None,
    columns: Mapping[str, str] | None = None,
    appendix: str | None = None,
    csv: str | None = None,
) -> None:
    """Show a table (see :func:`table_html`) and put it in ``section`` of the report.

    With ``appendix`` (a title) a long reference table goes to the report's
    appendix instead, folded away in a ``<details>`` element, and ``section``
    gets one line that points there and to ``tables/<csv>``, the file with the
    full list.
    """
    shown = table_html(frame, caption=caption, columns=columns)
    if appendix is None:
        _display({"text/html": shown, "text/plain": frame.to_string(index=False)}, section)
        return
    if csv is not None and not re.fullmatch(r"[a-z0-9_]+\.csv", csv):
        raise ValueError(f"geen tabelnaam onder tables/: {csv!r}")
    where = f" De volledige lijst staat in `tables/{csv}`." if csv else ""
    rows = f"{len(frame)} {'rij' if len(frame) == 1 else 'rijen'}"
    note = f"*{markdown_literal(appendix)}* ({rows}): zie de [bijlage](#{APPENDIX}).{where}"
    _display({"text/markdown": note, "text/plain": note}, section)
    summary = f"{html.escape(appendix)} ({rows})" + (
        f"; volledige lijst in tables/{html.escape(csv)}" if csv else ""
    )
    folded = f"<details><summary>{summary}</summary>{shown}</details>"
    _display({"text/html": folded, "text/plain": appendix}, APPENDIX)


MAX_FIGURE_WIDTH = 1600  # px: 1.5 x the page's width on screen, about 230 dpi on A4 paper


def embedded_png(path: str | Path, colours: int = 256, max_width: int = MAX_FIGURE_WIDTH) -> bytes:
    """A figure's PNG as embedded in the report: at most ``max_width`` pixels wide and
    at most ``colours`` colours.

    Matplotlib writes 32-bit RGBA; a chart has few colours, so a palette PNG of the
    same size (and so the same sharpness) is about a quarter of the bytes. A wider
    figure is scaled down (Lanczos) to a width that is still sharp on a high-density
    screen and on paper.
    """
    from ..kern.filecache import digest, made_once_bytes

    png = Path(path).read_bytes()
    key = digest("embedded", png, colours, max_width)
    return made_once_bytes(key, ".png", lambda: _embedded(png, colours, max_width))


def _embedded(png: bytes, colours: int, max_width: int) -> bytes:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        rgba = img.convert("RGBA")
        dpi = img.info.get("dpi")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    if flat.width > max_width:
        height = round(flat.height * max_width / flat.width)
        flat = flat.resize((max_width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if dpi and flat.width != rgba.width:
        dpi = tuple(d * flat.width / rgba.width for d in dpi)
    # The resolution stays in the file: width / dpi is the size the figure was drawn for.
    # zlib's default level: 5% more bytes than its best (optimize=True), a tenth of the time.
    flat.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buffer, format="PNG", **({"dpi": dpi} if dpi else {})
    )
    return buffer.getvalue()


def show_figure(
    path: str | Path,
    section: str,
    *,
    alt: str,
    caption: str | None = None,
    landscape: bool = False,
    colours: int = 256,
) -> None:
    """Show a PNG, embedded as data (the report must open offline; :func:`embedded_png`).

    ``alt`` says what the figure shows, for a reader who cannot see it: what it
    shows in a few sentences, and which table holds its numbers. In print a
    figure fills the width of the text block (:mod:`npdw_learning.kern.page`),
    the width it is drawn at, so its font sizes are those on paper;
    ``landscape``: a figure drawn for a landscape page's width (the network),
    printed on a landscape page of its own. ``colours``: the palette size
    (:func:`embedded_png`); a figure of a few flat colours and text looks the same
    with fewer, in fewer bytes.
    """
    data = base64.b64encode(embedded_png(path, colours)).decode("ascii")
    parts = [
        # tabindex: on a narrow screen the figure scrolls in its own box (see STYLE).
        f'<figure class="figuur{" liggend" if landscape else ""}" tabindex="0">',
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">',
    ]
    if caption:
        parts.append(f"<figcaption>{_breakable(caption)}</figcaption>")
    parts.append("</figure>")
    _display({"text/html": "".join(parts), "text/plain": alt}, section)


def chapter(section: str, title: str) -> None:
    """Declare a chapter of the report (its title), e.g. ``chapter("leeragenda", "Leeragenda")``."""
    _display({"text/plain": title}, section, title=title)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}".replace(",", ".")
        text = f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


WIDE_COLUMNS = 9  # a table with more columns is printed on a landscape page
# Where a line may break inside a file name, a path or an id: after a slash, an underscore
# or a hyphen, never inside a word.
_JOINT = re.compile(r"(?<=[/_])(?=[^\s/_-])")  # after a hyphen a line may break already
_LONG = 16  # a run of more characters without a space gets those break points
_UNBROKEN = re.compile(rf"\S{{{_LONG},}}")
_RUN = re.compile(r"[^\s/_-]{21,}")  # no break point at all: a run longer than a cell
_CHUNK = 10


def _breakable(text: str) -> str:
    """``text`` HTML-escaped, with a ``<wbr>`` after each ``/``, ``_`` and ``-`` of a long
    word (a file name, a path, an id), so a line breaks there and nowhere else in it.

    Such a word would otherwise set its column's minimum width, or be split in the
    middle, and a printed table could not fit the page. (A line may break after a hyphen
    anyway.) Only a run of more than 20 characters with no such point at all (a hash, a
    pasted token) is cut every 10.

    Examples
    --------
    >>> _breakable("kort & <b>")
    'kort &amp; &lt;b&gt;'
    >>> _breakable("tables/vertellen_en_tellen.csv")
    'tables/<wbr>vertellen_<wbr>en_<wbr>tellen.csv'
    >>> _breakable("og02-gezonde")
    'og02-gezonde'
    >>> _breakable("a" * 35).count("<wbr>")
    3
    >>> _breakable("og02-gezonde-leefomgeving")
    'og02-gezonde-leefomgeving'
    """
    out, end = [], 0
    for match in _UNBROKEN.finditer(text):
        out.append(html.escape(text[end : match.start()]))
        out.append("<wbr>".join(_chunked(piece) for piece in _JOINT.split(match.group())))
        end = match.end()
    out.append(html.escape(text[end:]))
    return "".join(out)


def _chunked(piece: str) -> str:
    """``piece`` escaped, a ``<wbr>`` every 10 characters of a run without a break point."""
    out, end = [], 0
    for match in _RUN.finditer(piece):
        run = match.group()
        out.append(html.escape(piece[end : match.start()]))
        out.append(
            "<wbr>".join(html.escape(run[i : i + _CHUNK]) for i in range(0, len(run), _CHUNK))
        )
        end = match.end()
    out.append(html.escape(piece[end:]))
    return "".join(out)


def _breakable_code(fragment: str) -> str:
    """The fragment with break points (``<wbr>``) after ``/``, ``_`` and ``-`` in every
    ``<code>`` (the file names and paths of the report's prose).

    Examples
    --------
    >>> _breakable_code("zie <code>tables/dekking_x.csv</code>")
    'zie <code>tables/<wbr>dekking_<wbr>x.csv</code>'
    """
    return re.sub(
        r"<code>([^<]*)</code>",
        lambda m: "<code>" + _JOINT.sub("<wbr>", m.group(1)) + "</code>",
        fragment,
    )


def table_html(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> str:
    """A plain HTML table with Dutch number formatting (decimal comma), text escaped.

    Parameters
    ----------
    frame : DataFrame
        Shown without its index.
    caption : str, optional
    columns : mapping, optional
        Column name -> Dutch header; only these columns, in this order.

    Examples
    --------
    >>> table_html(pd.DataFrame({"a": [1.5]}), columns={"a": "waarde"}).count("1,50")
    1
    """
    if columns is not None:
        frame = frame[list(columns)].rename(columns=dict(columns))
    wide = " breed" if len(frame.columns) > WIDE_COLUMNS else ""
    # Its own scroll box: on a narrow screen a wide table scrolls, not the page. A box
    # that scrolls is reachable with the keyboard (tabindex) and named (its caption).
    name = html.escape(caption or "Tabel")
    out = [
        f'<div class="tabelvak{wide}" role="region" tabindex="0" aria-label="{name}">',
        f'<table class="tabel{wide}">',
    ]
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    out.extend(f"<th>{_breakable(str(c))}</th>" for c in frame.columns)
    out.append("</tr></thead><tbody>")
    for row in frame.itertuples(index=False):
        out.append("<tr>")
        for value in row:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            attr = ' class="getal"' if numeric else ""
            out.append(f"<td{attr}>{_breakable(_cell(value))}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


# -- assembling the report -------------------------------------------------------


@dataclass
class Report:
    """The report's pieces in reading order: ``(key, title, level, cells)``."""

    title: str
    sections: list[tuple[str, str, int, list]] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [key for key, *_ in self.sections]


def _pieces(
    notebook: nbformat.NotebookNode, method: Mapping[str, str]
) -> list[tuple[str, nbformat.NotebookNode, str]]:
    """``(section, cell, title)`` for every reported piece of one executed notebook.

    Report prose gets its method parameters filled in (``{{min_points}}``, see
    :mod:`.method`).
    """
    from nbformat import v4

    pieces = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for tag in cell.get("metadata", {}).get("tags", []):
                if tag.startswith(TAG_PREFIX):
                    where = f"notebookcel met label {tag}"
                    md = v4.new_markdown_cell(fill(cell.source, method, where=where))
                    pieces.append((tag[len(TAG_PREFIX) :], md, ""))
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                meta = output.get("metadata", {}).get(METADATA_KEY)
                if output.get("output_type") != "display_data" or not meta:
                    continue
                data = {k: v for k, v in output["data"].items() if k != "text/plain"}
                piece = v4.new_code_cell(
                    outputs=[v4.new_output("display_data", data=data)] if data else []
                )
                pieces.append((meta["section"], piece, meta.get("title", "")))
    return pieces


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def assemble(
    notebooks: Sequence[nbformat.NotebookNode],
    pillars: pd.DataFrame,
    *,
    title: str,
    method: Mapping[str, str] | None = None,
) -> Report:
    """Collect the reported pieces of executed notebooks in report order.

    Parameters
    ----------
    notebooks : sequence of NotebookNode
        Executed notebooks, in run order; within a section, pieces keep that
        order.
    pillars : DataFrame
        ``id, label`` in the order of the pillar chapters.
    title : str
        The report's title.
    method : mapping, optional
        The values for ``{{name}}`` in report prose; default
        :func:`.method.method_values`.

    Returns
    -------
    Report
        Sections ``(key, title, level, cells)``: level 1 for chapters, 2 for
        the parts of a pillar chapter. Empty sections are left out.
    """
    by_section: dict[str, list] = {}
    titles: dict[str, str] = {}
    method = method_values() if method is None else method
    for nb in notebooks:
        for key, cell, heading in _pieces(nb, method):
            by_section.setdefault(key, [])
            if heading:
                titles.setdefault(key, heading)
            else:
                by_section[key].append(cell)

    report = Report(title=title)

    def add(key: str, heading: str, level: int) -> None:
        cells = by_section.pop(key, [])
        if cells or level == 1:
            report.sections.append((key, heading, level, cells))

    for key in _FIRST:
        if by_section.get(key):
            add(key, FIXED_CHAPTERS[key], 1)
    for pillar in pillars.itertuples(index=False):
        parts = [f"pijler:{pillar.id}:{p}" for p in PARTS]
        if not any(by_section.get(k) for k in parts):
            continue
        add(f"pijler:{pillar.id}", f"Pijler {pillar.label}", 1)
        for part, heading in zip(parts, PARTS.values(), strict=True):
            if by_section.get(part):
                add(part, heading, 2)
    leftovers = [k for k in by_section if k not in _LAST and not k.startswith("pijler:")]
    for key in leftovers:
        if by_section.get(key):
            add(key, titles.get(key, key.capitalize()), 1)
    for key in _LAST:
        if by_section.get(key):
            add(key, FIXED_CHAPTERS[key], 1)
    unknown = [k for k, cells in by_section.items() if cells]
    if unknown:
        raise ValueError(f"onbekende rapportsecties: {', '.join(sorted(unknown))}")
    return report


def add_markdown(report: Report, key: str, template: str, **values: object) -> None:
    """Append a Markdown cell to section ``key`` (e.g. the run summary to Verantwoording).

    ``template`` and ``values`` as in :func:`show_markdown`.
    """
    from nbformat import v4

    text = _fill(template, values)
    for section_key, _heading, _level, cells in report.sections:
        if section_key == key:
            cells.append(v4.new_markdown_cell(text))
            return
    raise KeyError(f"het rapport heeft geen sectie {key!r}")


# Colours: every text colour against every background it sits on meets WCAG AA
# (contrast 4.5:1; tests/evaluatie/test_report_print.py computes it).
STYLE = (
    """
:root { --inkt: #1d2a33; --accent: #0b6e69; --zacht: #eef4f3; --rand: #c9d6d4;
        --grijs: #4f5f69; --waarschuwing: #fff3cd; --waarschuwingrand: #c58a00; }
* { box-sizing: border-box; }
"""
    + f'html {{ font-family: "{CSS_FAMILY}", sans-serif; }}'
    + """
code, kbd, pre, samp { font-family: inherit; font-size: 1em; }
body { color: var(--inkt); line-height: 1.5; margin: 0; background: #fff; }
header, main, nav, footer { max-width: 68rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 2rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.5rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
     margin-top: 2.5rem; }
h3 { font-size: 1.2rem; margin-top: 1.8rem; color: var(--accent); }
h4 { font-size: 1.05rem; margin-top: 1.2rem; }
.ondertitel { color: var(--grijs); margin: 0 0 1rem; }
.banner { background: var(--waarschuwing); border: 2px solid var(--waarschuwingrand);
          padding: .8rem 1rem; margin: 1rem 0; font-weight: 600; }
.afdruk { display: none; }
nav.inhoud { background: var(--zacht); padding: .8rem 1.5rem; border-radius: 4px; }
nav.inhoud ol { margin: .3rem 0; list-style: none; padding-left: 0; }
nav.inhoud ol ol { padding-left: 1.5rem; }
table.tabel { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .9rem; }
table.tabel caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table.tabel th, table.tabel td { border: 1px solid var(--rand); padding: .25rem .5rem;
                                 vertical-align: top; text-align: left; }
table.tabel th { background: var(--zacht); }
table.tabel td.getal { text-align: right; font-variant-numeric: tabular-nums; }
figure.figuur { margin: 1rem 0; }
figure.figuur img { max-width: 100%; height: auto; border: 1px solid var(--rand); }
figcaption { font-size: .9rem; color: var(--grijs); }
blockquote { border-left: 4px solid var(--accent); margin: .8rem 0; padding: .2rem 1rem;
             background: var(--zacht); }
details { margin: .8rem 0; }
details > summary { cursor: pointer; font-weight: 600; color: var(--accent); }
.jp-InputPrompt, .jp-OutputPrompt, .anchor-link { display: none; }
footer { color: var(--grijs); font-size: .85rem; padding-bottom: 2rem; margin-top: 3rem; }
.tabelvak { overflow-x: auto; max-width: 100%; }
.tabelvak:focus-visible, figure.figuur:focus-visible { outline: 2px solid var(--accent); }
@media screen and (max-width: 760px) {
  header, main, nav, footer { padding: 0 .75rem; }
  /* A figure is drawn for the printed page: on a phone it keeps a readable size and
     scrolls sideways in its own box. */
  figure.figuur { overflow-x: auto; }
  figure.figuur img { max-width: none; width: 720px; }
  figure.liggend img { width: 1060px; }
  figcaption { max-width: calc(100vw - 1.5rem); position: sticky; left: 0; }
}
"""
    + """
@media print {
  @page {
    size: A4; margin: """
    + " ".join(f"{m}mm" for m in MARGINS_MM)
    + """;
    @top-left { content: element(kop); vertical-align: bottom; padding-bottom: 3mm; }
    @bottom-left { content: element(letop); vertical-align: top; padding-top: 3mm; width: 75%; }
    @bottom-right { content: "pagina " counter(page) " van " counter(pages);
                    font-size: 8pt; color: #4f5f69; vertical-align: top; padding-top: 3mm; }
  }
  body { font-size: 9pt; line-height: 1.35; }
  header, main, nav, footer { max-width: none; padding: 0; margin: 0; }
  header { padding-top: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 15pt; margin-top: 1.6em; }
  #samenvatting > h2, #bijlage > h2 { break-before: page; margin-top: 0; }
  nav.inhoud h2 { font-size: 13pt; }
  h2, h3, h4, caption, summary { break-after: avoid; }
  h3 { font-size: 12pt; margin-top: 1.2em; }
  h4 { font-size: 10.5pt; }
  .afdruk { display: block; font-size: 7.5pt; color: #4f5f69; }
  .afdruk-kop { position: running(kop); }
  .afdruk-letop { position: running(letop); color: #7a4100; font-weight: 700; }
  nav.inhoud { background: none; padding: 0; }
  nav.inhoud a { color: var(--inkt); text-decoration: none; }
  nav.inhoud a::after { content: leader(". ") target-counter(attr(href), page); }
  table.tabel { width: 100%; font-size: 7.2pt; line-height: 1.2; }
  table.tabel th, table.tabel td { padding: 1.5pt 3pt; overflow-wrap: normal; hyphens: manual; }
  table.tabel thead { display: table-header-group; }
  @page breed { size: A4 landscape; }
  table.breed, .tabelvak.breed { page: breed; }
  .tabelvak { overflow: visible; }
  table.tabel tr { break-inside: avoid; }
  figure.figuur { break-inside: avoid; margin: .6em 0; }
  figure.figuur img { width: 100%; height: auto; max-width: none; }
  figure.liggend { page: breed; }
  figcaption { font-size: .9em; }
  details > summary { color: var(--accent); }
  footer { margin-top: 2em; }
}
"""
)


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _heading_levels(fragment: str, top: int) -> str:
    """The fragment's headings moved so that its highest is ``top`` (no level skipped).

    Examples
    --------
    >>> _heading_levels('<h4 id="a">A</h4><p>x</p><h5>B</h5>', 3)
    '<h3 id="a">A</h3><p>x</p><h4>B</h4>'
    """
    levels = [int(m.group(2)) for m in _HEADING.finditer(fragment)]
    if not levels:
        return fragment
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", fragment)


@functools.lru_cache(maxsize=1)
def _exporter():
    """nbconvert's HTML exporter for :func:`_fragment`, made once (its templates load in
    about 0.1 s, for each of the report's twenty fragments otherwise)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def _fragment(cells: list, prefix: str, top: int = 4) -> str:
    """The cells' HTML without input, prompts, page frame, script or style; its
    headings start at level ``top``."""
    from nbformat import v4

    for i, cell in enumerate(cells):
        cell.id = f"{prefix}-{i}"  # stable ids: the same run gives the same page
    nb = v4.new_notebook(cells=cells)
    body, _ = _exporter().from_notebook_node(nb)
    return _heading_levels(_breakable_code(sanitize(body)), top)


CSP = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"
_TAGS = {
    *("a", "b", "blockquote", "br", "caption", "code", "div", "em", "figcaption", "figure"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span"),
    *("strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    *("details", "summary", "section", "del", "s", "wbr"),
}
_ATTRIBUTES = {
    "*": {"class", "id", "role", "aria-label", "title", "lang"},
    "div": {"tabindex"},
    "figure": {"tabindex"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


def _allowed_url(element: str, attribute: str, value: str) -> str | None:
    # Links stay inside the page; images are embedded data. Nothing reaches the network.
    if attribute == "href":
        return value if value.startswith("#") else None
    if attribute == "src":
        return value if value.startswith("data:image/") else None
    return value


def sanitize(fragment: str) -> str:
    """An HTML fragment with only the report's own kinds of elements left.

    An allow-list (``nh3``, the Python binding of the Ammonia sanitizer): no
    script or style element, no event attribute, links only to ``#`` anchors
    in the page and images only as ``data:image/`` URLs. Text is kept.

    Examples
    --------
    >>> sanitize('<p onclick="x()">a<script>b()</script><a href="https://x">c</a></p>')
    '<p>a<a>c</a></p>'
    """
    import nh3

    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_allowed_url,
        url_schemes={"data"},
        link_rel=None,
        strip_comments=True,
    )


def render_html(
    report: Report,
    *,
    subtitle: str = "",
    banner: str | None = None,
    footer: str = "",
    running_head: str = "",
    running_warning: str = "",
) -> str:
    """The report as one HTML page: inline style, no script, images embedded.

    Parameters
    ----------
    report : Report
        From :func:`assemble`.
    subtitle : str
        Shown under the title.
    banner : str, optional
        A warning shown at the top, e.g. that synthetic demo data was used.
    footer : str
        Plain text for the foot of the page.
    running_head, running_warning : str
        In print, at the top and the foot of every page (the programme and year;
        a short form of ``banner``). Not shown on screen.
    """
    toc, body = [], []
    number = sub = 0
    for key, heading, level, cells in report.sections:
        anchor = _slug(key)
        if level == 1:
            number, sub = number + 1, 0
            label = f"{number}. {heading}" if key != APPENDIX else heading
            toc.append(f'<li><a href="#{anchor}">{html.escape(label)}</a></li>')
            body.append(f'<section id="{anchor}"><h2>{html.escape(label)}</h2>')
        else:
            sub += 1
            label = f"{number}.{sub} {heading}"
            entry = f'<li><a href="#{anchor}">{html.escape(label)}</a></li>'
            if sub == 1:  # open a nested list inside the chapter's item
                toc[-1] = toc[-1].removesuffix("</li>") + "<ol>" + entry + "</ol></li>"
            else:
                toc[-1] = toc[-1].removesuffix("</ol></li>") + entry + "</ol></li>"
            body.append(f'<h3 id="{anchor}">{html.escape(label)}</h3>')
        if cells:
            body.append(_fragment(cells, anchor, top=level + 2))
    html_body = _close_sections(body)
    banner_html = f'<div class="banner" role="alert">{html.escape(banner)}</div>' if banner else ""
    running = "".join(
        f'<div class="afdruk {cls}" aria-hidden="true">{html.escape(text)}</div>'
        for cls, text in (("afdruk-kop", running_head), ("afdruk-letop", running_warning))
        if text
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>{font_face_css()}\n{STYLE}</style>\n"
        "</head>\n<body>\n"
        f"{running}\n"
        f"<header><h1>{html.escape(report.title)}</h1>"
        f'<p class="ondertitel">{html.escape(subtitle)}</p>{banner_html}</header>\n'
        '<nav class="inhoud" aria-label="Inhoud"><h2>Inhoud</h2><ol>'
        + "".join(toc)
        + "</ol></nav>\n<main>\n"
        + html_body
        + f"\n</main>\n<footer>{html.escape(footer)}</footer>\n</body>\n</html>\n"
    )


def _close_sections(parts: list[str]) -> str:
    out, open_section = [], False
    for part in parts:
        if part.startswith("<section "):
            if open_section:
                out.append("</section>")
            open_section = True
        out.append(part)
    if open_section:
        out.append("</section>")
    return "\n".join(out)
