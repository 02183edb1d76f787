"""Checks on a page laid out for print, shared by the tests of the report and the
wijkberichten."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from npdw_learning.evaluatie.pdf import _boxes, layout, overflowing_boxes
from npdw_learning.evaluatie.wijkopmaak import MIN_PRINT_PT

A4_WIDTH_PX = 210 / 25.4 * 96  # CSS px


def check_print(page: str, *, max_pages: int, min_pt: float = MIN_PRINT_PT) -> int:
    """Lay ``page`` out: at most ``max_pages`` A4 pages, nothing wider than the page, no
    text under ``min_pt`` points; the number of pages."""
    document = layout(page)
    assert 1 <= len(document.pages) <= max_pages
    assert overflowing_boxes(document) == []
    for number, p in enumerate(document.pages, start=1):
        assert p.width == pytest.approx(A4_WIDTH_PX, abs=1)  # A4 portrait
        for box in _boxes(p._page_box):
            if isinstance(getattr(box, "text", None), str) and box.text.strip():
                points = box.style["font_size"] * 0.75  # CSS px to pt
                assert points >= min_pt - 0.01, (number, box.text, points)
    return len(document.pages)


def pdf_with_streams(path: Path) -> bytes:
    """The PDF's bytes with its compressed streams inflated after them: the catalog, the
    structure tree and the metadata sit in such streams."""
    raw = path.read_bytes()
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            streams.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return raw + b"".join(streams)
