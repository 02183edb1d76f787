"""The pages for residents and the board: a wijkbericht, and the one-page summary.

Both are one self-contained HTML page each, like the report: the bundled fonts
and every picture embedded (:mod:`npdw_learning.kern.fonts`), no script, the
report's Content-Security-Policy (:data:`.report.CSP`), and the same allow-list
sanitizer behind the escaping (:func:`.report.sanitize`). Every text, from the
templates of :mod:`.wijktaal` or from outside (a quote, an effort, the
invitation, a name), is HTML-escaped where it enters the page, so ``<script>``
or ``[link](x)`` in a story shows as those characters.

For print (WeasyPrint, :mod:`.pdf`) a wijkbericht is A4 with text of at least
:data:`MIN_PRINT_PT` points; the summary is one A4 page: the status matrix
(``figures/statusoverzicht.png``) and the Samenvatting's sentences.
:func:`visible_text` gives the text a reader sees, block by block, for the
readability score and the word checks.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from ..kern.fonts import CSS_FAMILY, font_face_css
from . import wijktaal as taal
from .report import CSP, sanitize
from .wijkbericht import Bericht, Line, Quote

__all__ = [
    "MIN_PRINT_PT",
    "INK",
    "COLOURS",
    "BASE_STYLE",
    "esc",
    "page_html",
    "banner_html",
    "line_html",
    "bericht_html",
    "samenvatting_html",
    "visible_text",
    "meta_sentences",
    "invitation_lines",
]

#: The smallest text of a printed wijkbericht, in points.
MIN_PRINT_PT = 11
INK = "#1d2a33"
#: Colours and the backgrounds they sit on (tests check the contrast of each pair).
COLOURS = {
    "inkt": INK,
    "accent": "#0b6e69",
    "beter": "#0b5394",
    "aandacht": "#a3001b",
    "zacht": "#eef4f3",
    "waarschuwing": "#fff3cd",
    "waarschuwingrand": "#c58a00",
    "grijs": "#4f5f69",
}
_ICON = {"better": ("↑", "gaat beter"), "attention": ("!", "vraagt aandacht")}

BASE_STYLE = (
    ":root { "
    + " ".join(f"--{k}: {v};" for k, v in COLOURS.items())
    + " }\n"
    + f'html {{ font-family: "{CSS_FAMILY}", sans-serif; }}'
    + """
* { box-sizing: border-box; }
body { color: var(--inkt); background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
h1 { color: var(--accent); font-size: 1.9rem; margin: .2rem 0 .4rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin: 1.4rem 0 .5rem; border-bottom: 2px solid var(--accent);
     padding-bottom: .15rem; }
.programma { color: var(--grijs); margin: 0; font-weight: 700; }
.meta { margin: .2rem 0 .6rem; }
.banner { background: var(--waarschuwing); border: 2px solid var(--waarschuwingrand);
          padding: .5rem .8rem; font-weight: 700; margin: .6rem 0; }
.teken { display: inline-block; width: 1.5em; height: 1.5em; line-height: 1.5em;
         border-radius: 50%; text-align: center; font-weight: 700; color: #fff;
         margin-right: .4em; flex: none; }
.teken.better { background: var(--beter); }
.teken.attention { background: var(--aandacht); }
ul.regels { list-style: none; padding: 0; margin: 0; }
ul.regels li { display: flex; align-items: flex-start; margin: 0 0 .55rem; }
ul.regels li p { margin: 0; }
.regelkop { font-weight: 700; }
figure.citaat { margin: .5rem 0 .8rem; }
figure.citaat blockquote { margin: 0; border-left: 4px solid var(--accent);
                           background: var(--zacht); padding: .35rem .8rem; font-style: italic; }
figure.citaat blockquote p { margin: 0; }
figure.citaat figcaption { margin: .2rem 0 0 .9rem; }
ul.plannen { margin: 0; padding-left: 1.2rem; }
.doemee { border: 2px solid var(--accent); padding: .4rem 1rem .6rem; margin-top: 1rem; }
.doemee h2 { border: none; margin-top: .4rem; }
.doemee p { margin: .25rem 0; }
"""
)

BERICHT_STYLE = (
    BASE_STYLE
    + f"""
@media print {{
  @page {{ size: A4; margin: 13mm 16mm 15mm 16mm;
          @bottom-right {{ content: "pagina " counter(page) " van " counter(pages);
                          font-size: {MIN_PRINT_PT}pt; color: {COLOURS["grijs"]}; }} }}
  body {{ font-size: 11.5pt; line-height: 1.32; }}
  main {{ max-width: none; padding: 0; }}
  h1 {{ font-size: 21pt; }}
  h2 {{ font-size: 14pt; margin: 9pt 0 4pt; break-after: avoid; }}
  ul.regels li, figure.citaat, .doemee, .kort {{ break-inside: avoid; }}
  ul.regels li {{ margin-bottom: 4pt; }}
}}
"""
)

SAMENVATTING_STYLE = (
    BASE_STYLE
    + """
main { max-width: 60rem; }
figure.matrix { margin: .5rem 0; }
figure.matrix img { max-width: 100%; height: auto; border: 1px solid #c9d6d4; }
ul.zinnen { padding-left: 1.1rem; margin: .4rem 0; }
ul.zinnen li { margin-bottom: .25rem; }
@media print {
  @page { size: A4; margin: 10mm 12mm 10mm 12mm; }
  body { font-size: 8.6pt; line-height: 1.28; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 15pt; margin: 0 0 2pt; }
  .meta, .programma { font-size: 8.6pt; margin: 0; }
  .banner { padding: 2pt 6pt; margin: 3pt 0; }
  figure.matrix { margin: 3pt 0; text-align: center; }
  figure.matrix img { width: auto; max-width: 100%; max-height: 178mm; border: none; }
  ul.zinnen { margin: 2pt 0 0; }
  ul.zinnen li { margin-bottom: 1.5pt; }
}
"""
)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def page_html(title: str, body: str, style: str) -> str:
    """A whole page: its title, the style, and ``body`` after the sanitizer."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        f"<title>{esc(title)}</title>\n<style>{font_face_css()}\n{style}</style>\n"
        "</head>\n<body>\n"
        f"{sanitize(body)}\n"
        "</body>\n</html>\n"
    )


def meta_sentences(b: Bericht) -> list[str]:
    """The year, the date of the run and where the full report is (every output says them)."""
    where = b.invitation.rapport or taal.text("full_report_default", year=b.year)
    return [
        taal.text("made", year=b.year),
        taal.text("run_date", date=b.run_date),
        taal.text("full_report", where=where),
    ]


def banner_html(b: Bericht) -> str:
    if not b.synthetic:
        return ""
    said = f"{taal.text('synthetic')} {taal.text('synthetic_more')}"
    return f'<div class="banner" role="note">{esc(said)}</div>'


def line_html(line: Line, kind: str, *, compare: bool = True) -> str:
    sign, name = _ICON[kind]
    said = line.sentences if compare else line.sentences[:1]
    return (
        f'<li><span class="teken {kind}" role="img" aria-label="{esc(name)}">{esc(sign)}</span>'
        f'<div><p class="regelkop">{esc(line.title)}</p><p>{esc(" ".join(said))}</p></div></li>'
    )


def _readings_html(b: Bericht, kind: str) -> str:
    lines = b.better if kind == "better" else b.attention
    sign, name = _ICON[kind]
    head = (
        f'<h2><span class="teken {kind}" role="img" aria-label="{esc(name)}">{esc(sign)}</span>'
        f"{esc(taal.text(kind))}</h2>"
    )
    if lines:
        return head + '<ul class="regels">' + "".join(line_html(x, kind) for x in lines) + "</ul>"
    if not b.measured:
        said = [taal.text("too_little"), taal.text("no_measurement", area=b.name)]
    elif not b.judged:
        said = [taal.text("too_little"), taal.text("too_little_numbers")]
    else:
        said = [taal.text("better_none" if kind == "better" else "attention_none")]
    return head + f"<p>{esc(' '.join(said))}</p>"


def _quote_html(q: Quote) -> str:
    return (
        f'<figure class="citaat"><blockquote><p>“{esc(q.text)}”</p></blockquote>'
        f"<figcaption>{esc(q.who)}</figcaption></figure>"
    )


def _quotes_html(b: Bericht) -> str:
    head = f"<h2>{esc(taal.text('told'))}</h2>"
    if not b.stories:
        said = f"{taal.text('too_little')} {taal.text('quotes_few', area=b.name)}"
        return head + f"<p>{esc(said)}</p>"
    counted = taal.count_words(b.stories, "verhaal", "verhalen")
    intro = f"<p>{esc(taal.text('quotes_intro', stories=counted, area=b.name))}</p>"
    if not b.quotes:
        return head + intro + f"<p>{esc(taal.text('quotes_none'))}</p>"
    return head + intro + "".join(_quote_html(q) for q in b.quotes)


def _efforts_html(b: Bericht) -> str:
    head = f"<h2>{esc(taal.text('happening'))}</h2>"
    if not b.efforts:
        return head + f"<p>{esc(taal.text('too_little'))} {esc(taal.text('efforts_none'))}</p>"
    if b.efforts_year is not None and b.efforts_year < b.year:
        intro = taal.text("efforts_intro_earlier", year=b.efforts_year)
    else:
        intro = taal.text("efforts_intro", year=b.year)
    items = "".join(
        f'<li><span class="regelkop">{esc(x.label)}</span> ({esc(x.status)})</li>'
        for x in b.efforts
    )
    more = esc(taal.text("efforts_more"))
    return head + f'<p>{esc(intro)}</p><ul class="plannen">{items}</ul><p>{more}</p>'


def invitation_lines(b: Bericht) -> list[str]:
    """The invitation in sentences: its text, when, where, and where a story can go."""
    inv = b.invitation
    return [
        inv.uitnodiging or taal.text("invitation_default"),
        taal.text("when", date=inv.datum) if inv.datum else taal.text("when_open"),
        taal.text("where", place=inv.plaats) if inv.plaats else taal.text("where_open"),
        taal.text("story_send", how=inv.verhaal_insturen)
        if inv.verhaal_insturen
        else taal.text("story_send_open"),
    ]


def _join_html(b: Bericht) -> str:
    lines = "".join(f"<p>{esc(s)}</p>" for s in invitation_lines(b))
    return f'<section class="doemee"><h2>{esc(taal.text("join"))}</h2>{lines}</section>'


def bericht_html(b: Bericht) -> str:
    """The wijkbericht of ``b`` as a whole page."""
    title = taal.text("title", area=b.name, year=b.year)
    intro = " ".join([taal.text("intro", area=b.name), taal.text("intro_how")])
    body = (
        f'<main><header><p class="programma">{esc(b.programme)}</p><h1>{esc(title)}</h1>'
        f'<p class="meta">{esc(" ".join(meta_sentences(b)))}</p>{banner_html(b)}</header>'
        f"<p>{esc(intro)}</p>"
        + _readings_html(b, "better")
        + _readings_html(b, "attention")
        + f'<section class="kort">{_quotes_html(b)}</section>'
        + f'<section class="kort">{_efforts_html(b)}</section>'
        + _join_html(b)
        + "</main>"
    )
    return page_html(title, body, BERICHT_STYLE)


def samenvatting_html(
    *,
    programme: str,
    year: int,
    run_date: str,
    sentences: Sequence[str],
    matrix_png: Path | None,
    alt: str,
    banner: str | None,
) -> str:
    """The one-page summary for the board: the status matrix and the Samenvatting's sentences."""
    from .report import embedded_png
    from .status import MATRIX_COLOURS

    title = f"Samenvatting {programme} {year}"
    figure = ""
    if matrix_png is not None and matrix_png.is_file():
        data = base64.b64encode(embedded_png(matrix_png, MATRIX_COLOURS)).decode("ascii")
        figure = (
            f'<figure class="matrix"><img src="data:image/png;base64,{data}" alt="{esc(alt)}">'
            "</figure>"
        )
    said = "".join(f"<li>{esc(s)}</li>" for s in sentences)
    warn = f'<div class="banner" role="note">{esc(banner)}</div>' if banner else ""
    body = (
        f'<main><p class="programma">{esc(programme)}</p><h1>{esc(title)}</h1>'
        f'<p class="meta">Vertellen en tellen {year}, gemaakt op {esc(run_date)}. '
        "Het hele rapport staat in rapport.pdf; de tabellen achter dit overzicht in tables/."
        f'</p>{warn}{figure}<ul class="zinnen">{said}</ul></main>'
    )
    return page_html(title, body, SAMENVATTING_STYLE)


# -- what a reader sees ----------------------------------------------------------------

_BLOCKS = frozenset(
    ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "div")
    + ("section", "header", "main", "ul", "ol", "figure")
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "script"):
            self.skip += 1
        elif tag in _BLOCKS:
            self._flush()
        elif dict(attrs).get("role") == "img":
            self.skip += 1  # an icon: its name is for a screen reader, not a sentence

    def handle_endtag(self, tag):
        if tag in ("style", "title", "script"):
            self.skip -= 1
        elif tag in _BLOCKS:
            self._flush()
        elif tag == "span" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)


def visible_text(page: str) -> str:
    """The text a reader sees on ``page``, one block (paragraph, item, heading) a line,
    each ending in a full stop when it had none (a heading is read as a sentence).

    >>> visible_text('<h2><span role="img" aria-label="x">!</span>Doe mee</h2><p>Kom ook.</p>')
    'Doe mee.\\nKom ook.'
    """
    parser = _Text()
    parser.feed(page)
    parser.close()
    parser._flush()
    ends = (".", "!", "?")
    return "\n".join(b if b.rstrip("”’\"')")[-1:] in ends else b + "." for b in parser.blocks)
