"""The printed page the figures are drawn for: A4, its margins and the smallest text.

The report's print style sheet (:data:`npdw_learning.evaluatie.report.STYLE`)
sets these margins, and prints every figure at the full width of the text
block; the figures (pillars, status matrix, network) are drawn at exactly that
width, so a font size in a figure is its size on paper. Nothing in a figure is
smaller than :data:`MIN_TEXT_PT`.
"""

from __future__ import annotations

__all__ = [
    "MM_PER_INCH",
    "MARGINS_MM",
    "TEXT_WIDTH_MM",
    "TEXT_HEIGHT_MM",
    "LANDSCAPE_WIDTH_MM",
    "LANDSCAPE_HEIGHT_MM",
    "FIGURE_MAX_HEIGHT_MM",
    "MIN_TEXT_PT",
    "FIGURE_DPI",
    "inches",
]

MM_PER_INCH = 25.4
A4_MM = (210, 297)
#: top, right, bottom, left (left = right) of every printed page, in mm.
MARGINS_MM = (15, 12, 14, 12)
#: The text block of a portrait page: the width every figure is drawn at.
TEXT_WIDTH_MM = A4_MM[0] - 2 * MARGINS_MM[1]
TEXT_HEIGHT_MM = A4_MM[1] - MARGINS_MM[0] - MARGINS_MM[2]
#: The text block of a landscape page (the network figure, tables of many columns).
LANDSCAPE_WIDTH_MM = A4_MM[1] - 2 * MARGINS_MM[1]
LANDSCAPE_HEIGHT_MM = A4_MM[0] - MARGINS_MM[0] - MARGINS_MM[2]
#: The tallest a figure may be drawn: its page also holds its caption.
FIGURE_MAX_HEIGHT_MM = 235
#: The smallest text in a figure, in points on paper.
MIN_TEXT_PT = 7.0
#: Pixels per inch of the report's figures: sharp on paper and on a dense screen.
FIGURE_DPI = 200


def inches(mm: float) -> float:
    """``mm`` in inches (matplotlib's unit of figure size).

    Examples
    --------
    >>> round(inches(TEXT_WIDTH_MM), 3)
    7.323
    """
    return mm / MM_PER_INCH
