"""Slides for the wijkavond: the wijkbericht's material as a 16:9 deck.

One deck per wijk and one for the programme as a whole, from the same
:class:`.wijkbericht.Bericht` as the wijkbericht: an opening slide (the wijk,
the year, the date of the run, where the full report is, and the demo-data
warning when it applies), one slide per pillar with the wijk's own readings
(at most :data:`READINGS_PER_SLIDE`, the strongest first) and one quote of a
published story of that wijk about that pillar, and a closing slide with the
invitation.

The slides are CSS only: one HTML page, no script, nothing fetched, under the
report's Content-Security-Policy; on screen each slide is a 16:9 box, one
under the other, and in print (WeasyPrint, :mod:`.pdf`) each slide is one page
of 254 x 142.9 mm (16:9, the size of a presentation program's wide slide).
"""

from __future__ import annotations

from . import wijktaal as taal
from .wijkbericht import Bericht
from .wijkopmaak import (
    BASE_STYLE,
    banner_html,
    esc,
    invitation_lines,
    line_html,
    meta_sentences,
    page_html,
)

__all__ = ["SLIDE_MM", "READINGS_PER_SLIDE", "slides_html", "slide_count"]

#: Width and height of a slide in print, in mm (16:9).
SLIDE_MM = (254.0, 142.875)
READINGS_PER_SLIDE = 2

STYLE = (
    BASE_STYLE
    + f"""
.dia {{ background: #fff; width: min(100% - 2rem, 64rem); aspect-ratio: 16 / 9; overflow: hidden;
        margin: 1rem auto; padding: 3.5% 5%; container-type: inline-size;
        border: 2px solid var(--accent); display: flex; flex-direction: column; }}
.dia h1 {{ font-size: 5.5cqw; }}
.dia h2 {{ font-size: 3.6cqw; border-bottom: 3px solid var(--accent); margin: 0 0 .6em; }}
.dia p, .dia li, .dia figcaption {{ font-size: 2.3cqw; }}
.dia .groot {{ font-size: 3cqw; }}
.dia .banner {{ font-size: 2cqw; }}
.dia figure.citaat blockquote p {{ font-size: 2.5cqw; }}
.dia .voet {{ margin-top: auto; color: var(--grijs); font-size: 1.6cqw; }}
@media print {{
  @page {{ size: {SLIDE_MM[0]}mm {SLIDE_MM[1]}mm; margin: 0; }}
  .dia {{ width: {SLIDE_MM[0]}mm; height: {SLIDE_MM[1]}mm; margin: 0; padding: 10mm 16mm 14mm;
          border: none; break-after: page; aspect-ratio: auto; display: block;
          position: relative; }}
  .dia h1 {{ font-size: 40pt; }}
  .dia h2 {{ font-size: 28pt; }}
  .dia p, .dia li, .dia figcaption {{ font-size: 18pt; }}
  .dia ul.regels li {{ margin-bottom: 6pt; }}
  .dia .groot {{ font-size: 22pt; margin: 0 0 8pt; }}
  .dia .banner {{ font-size: 16pt; }}
  .dia figure.citaat blockquote p {{ font-size: 19pt; }}
  .dia .voet {{ font-size: 12pt; position: absolute; left: 16mm; bottom: 6mm; margin: 0; }}
}}
"""
)


def _slide(label: str, inner: str, foot: str) -> str:
    return (
        f'<section class="dia" aria-label="{esc(label)}">{inner}'
        f'<p class="voet">{esc(foot)}</p></section>'
    )


def _pillar_slide(b: Bericht, pillar: str, title: str) -> str:
    lines = b.by_pillar.get(pillar, [])[:READINGS_PER_SLIDE]
    items = "".join(
        line_html(x, "better" if x.grade > 0 else "attention", compare=False) for x in lines
    )
    inner = f"<h2>{esc(title)}</h2>"
    if items:
        inner += f'<ul class="regels">{items}</ul>'
    quote = b.quote_by_pillar.get(pillar)
    if quote is not None:
        inner += (
            f'<figure class="citaat"><blockquote><p>“{esc(quote.text)}”</p></blockquote>'
            f"<figcaption>{esc(quote.who)}</figcaption></figure>"
        )
    if not items and quote is None:
        said = taal.text("slide_pillar_none", pillar=title, area=b.name)
        inner += f'<p class="groot">{esc(said)}</p>'
    elif quote is None:
        inner += f"<p>{esc(taal.text('slide_no_quote', area=b.name))}</p>"
    return inner


def slides_html(b: Bericht) -> str:
    """The deck of ``b`` as one page of CSS-only slides."""
    title = taal.text("slide_open", area=b.name)
    foot = f"{b.programme} · {b.name} · {b.year}"
    slides = [
        _slide(
            title,
            f'<p class="programma">{esc(b.programme)}</p><h1>{esc(title)}</h1>'
            f'<p class="groot">{esc(taal.text("slide_open_sub", year=b.year))}</p>'
            f"<p>{esc(' '.join(meta_sentences(b)))}</p>{banner_html(b)}",
            foot,
        )
    ]
    for pillar, label in b.pillars:
        slides.append(_slide(label, _pillar_slide(b, pillar, label), foot))
    invitation = "".join(f'<p class="groot">{esc(s)}</p>' for s in invitation_lines(b))
    closing = f"<h2>{esc(taal.text('slide_close'))}</h2>{invitation}"
    closing += f"<p>{esc(taal.text('slide_thanks'))} {esc(meta_sentences(b)[-1])}</p>"
    slides.append(_slide(taal.text("slide_close"), closing, foot))
    return page_html(f"{title} ({b.year})", "".join(slides), STYLE)


def slide_count(b: Bericht) -> int:
    """Slides in the deck of ``b``: opening, one per pillar, closing."""
    return len(b.pillars) + 2
