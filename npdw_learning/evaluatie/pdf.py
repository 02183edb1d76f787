"""``rapport.pdf``: the report's own HTML laid out for print by WeasyPrint.

The PDF is made from exactly the page :func:`.report.render_html` wrote; the
print rules (A4, running header, page numbers, the synthetic-data warning on
every page, tables and figures kept within the page, figures at their drawn
size) are in that page's own style sheet (:data:`.report.STYLE`, ``@media
print``). They are CSS for paged media, which WeasyPrint follows and a
browser's "print" only in part: a browser prints no running header or page
numbers in the contents, and leaves the appendix's folded tables folded. The
PDF, not a browser's print, is the printed report. It is tagged (PDF/UA-1),
with the report's title and language in its metadata, and set in the bundled
fonts only (:mod:`npdw_learning.kern.fonts`). WeasyPrint fetches nothing: its
URL fetcher answers only ``data:`` URLs (the embedded figures and fonts) and
refuses everything else, in line with the page's Content-Security-Policy.

:func:`layout` returns WeasyPrint's laid-out document, which the tests inspect
(:func:`overflowing_boxes`: no table or image wider than the page's content
box).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..kern.atomic import write_atomic

__all__ = [
    "PDF_VARIANT",
    "RefusedURL",
    "box_texts",
    "pages_per_element",
    "refuse_network",
    "data_only_fetcher",
    "layout",
    "shared_fonts",
    "write_pdf",
    "Overflow",
    "overflowing_boxes",
    "embedded_fonts",
]


class RefusedURL(ValueError):
    """The report asked for something outside itself (only ``data:`` URLs are served)."""


def refuse_network(url: str) -> str:
    """``url`` when it is a ``data:`` URL (the embedded figures); anything else is refused.

    Examples
    --------
    >>> refuse_network("https://example.org/x.png")
    Traceback (most recent call last):
    ...
    npdw_learning.evaluatie.pdf.RefusedURL: het rapport haalt niets op: https://example.org/x.png
    """
    if not url.startswith("data:"):
        raise RefusedURL(f"het rapport haalt niets op: {url}")
    return url


def _weasyprint():
    """The ``weasyprint`` module, without its warning that fontconfig finds no installed font.

    The report brings its own fonts (:mod:`npdw_learning.kern.fonts`), so it lays
    out the same on a machine without any; WeasyPrint says so once, on import.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)
        import weasyprint
        import weasyprint.text.fonts
        import weasyprint.urls
    return weasyprint


def data_only_fetcher():
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses every other URL."""
    URLFetcher = _weasyprint().urls.URLFetcher

    class DataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            return super().fetch(refuse_network(url), headers)

    return DataOnly(allowed_protocols={"data"}, allow_redirects=False)


def shared_fonts():
    """A WeasyPrint font configuration to lay out several pages with (:func:`layout`).

    The fonts a page embeds (``@font-face``) are unpacked once per configuration,
    not once per page: for pages with the same fonts (the wijkberichten) that is
    half the time of each layout.
    """
    return _weasyprint().text.fonts.FontConfiguration()


def layout(page: str, font_config=None):
    """The HTML page laid out for print (a ``weasyprint.Document``); ``font_config``
    from :func:`shared_fonts` when several pages are laid out."""
    import logging

    HTML = _weasyprint().HTML
    # WeasyPrint logs every CSS property it does not know (the screen style has a few
    # modern ones); the layout itself is what the tests check, not its log.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = HTML(string=page, url_fetcher=data_only_fetcher(), media_type="print")
    return html.render(font_config=font_config)


#: The PDF is tagged for accessibility (PDF/UA-1: structure tags, reading order, the
#: document's title and language in its metadata), as far as WeasyPrint supports it.
PDF_VARIANT = "pdf/ua-1"


def write_pdf(page: str, path: str | Path, font_config=None) -> int:
    """Write ``page`` as a tagged PDF (:data:`PDF_VARIANT`) to ``path`` atomically; return
    the number of pages. Its title and language come from the page's ``<title>`` and
    ``lang``; ``font_config`` as for :func:`layout`."""
    document = layout(page, font_config)
    write_atomic(path, lambda tmp: document.write_pdf(tmp, pdf_variant=PDF_VARIANT))
    return len(document.pages)


@dataclass(frozen=True)
class Overflow:
    """A table or image box that reaches past the content box of its page."""

    page: int  # 1-based
    element: str
    right: float  # CSS px, the box's right edge
    limit: float  # CSS px, the content box's right edge


def _boxes(box) -> Iterator:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def box_texts(box) -> list[str]:
    """The text of every box inside ``box`` (a page's ``_page_box``, say), in reading order."""
    return [b.text for b in _boxes(box) if isinstance(getattr(b, "text", None), str)]


def pages_per_element(document, tag: str) -> dict[int, set[int]]:
    """For each element with ``tag`` (by identity), the page numbers it has a box on."""
    pages: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for box in _boxes(page._page_box):
            if getattr(box, "element_tag", None) == tag:
                pages.setdefault(id(box.element), set()).add(number)
    return pages


def overflowing_boxes(document, tolerance: float = 0.5) -> list[Overflow]:
    """Every table or image box of ``document`` whose right edge passes the page's content box.

    Parameters
    ----------
    document : weasyprint.Document
        From :func:`layout`.
    tolerance : float
        CSS px allowed for rounding.
    """
    out = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        limit = root.content_box_x() + root.width
        seen = set()  # a table is two boxes (wrapper and grid): count it once a page
        for box in _boxes(root):
            tag = getattr(box, "element_tag", None)
            if tag not in ("table", "img") or id(box.element) in seen:
                continue
            right = box.border_box_x() + box.border_width()
            if right > limit + tolerance:
                seen.add(id(box.element))
                out.append(Overflow(number, tag, round(right, 1), round(limit, 1)))
    return out


def embedded_fonts(document) -> set[str]:
    """The PostScript names of the fonts a PDF of ``document`` embeds (``FiraSans-Bold``, ...).

    The PDF is made (in memory) to find them: WeasyPrint collects the fonts
    while it draws the pages.
    """
    import io

    from fontTools.ttLib import TTFont

    document.write_pdf()
    names = set()
    for font in document.fonts.values():
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        names.add(ttfont["name"].getDebugName(6))
    return names
