"""The report's one typeface, Fira Sans, the same on every machine.

Everything a reader sees (the HTML page in a browser, the PDF that WeasyPrint
lays out, page numbers and running header included, and every figure) is set
in **Fira Sans** (regular, bold, italic and bold italic), from the PyPI
package ``fontpkg-fira-sans``: the upstream Google Fonts files, unmodified,
under the SIL Open Font License 1.1 (its ``LICENSE`` lies beside them,
:func:`licence_file`). So the look, the line breaks and the page count of a report
do not depend on the fonts a machine happens to have installed.

* The report embeds the four faces in its own style sheet
  (:func:`font_face_css`): ``@font-face`` rules with ``data:`` URLs (the page
  fetches nothing), as WOFF2 subsets of the characters a Dutch or other
  European text needs (:data:`CHARACTERS`), about 70 kB. The family is
  declared under a name of its own (:data:`CSS_FAMILY`), so no installed font
  of the same name can take its place.
* Matplotlib gets the same files (:func:`figure_fonts`, registered with
  ``font_manager.addfont``); a glyph Fira Sans lacks (the status matrix's
  ★ ▲ ▽ ...) comes from DejaVu Sans, which matplotlib itself ships.

The report uses no monospace type: code and file names are set in Fira Sans.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "FAMILY",
    "CSS_FAMILY",
    "FACES",
    "CHARACTERS",
    "licence_file",
    "font_files",
    "font_face_css",
    "register_matplotlib",
    "figure_fonts",
]

#: The family name in the font files (what matplotlib and a PDF's font list show).
FAMILY = "Fira Sans"
#: The family as the report's style sheet declares it: a name no installed font has.
CSS_FAMILY = "Fira Sans Rapport"
#: ``(CSS weight, CSS style, file stem)`` of the faces the report uses.
FACES: tuple[tuple[int, str, str], ...] = (
    (400, "normal", "FiraSans-Regular"),
    (700, "normal", "FiraSans-Bold"),
    (400, "italic", "FiraSans-Italic"),
    (700, "italic", "FiraSans-BoldItalic"),
)
# Latin (Basic, Latin-1, Extended-A, the Romanian comma letters), the punctuation,
# arrows and signs a report or a story uses; Fira Sans has them all.
_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x100, 0x17F),
    (0x218, 0x21B),
    (0x2013, 0x2014),  # – —
    (0x2018, 0x201A),  # ‘ ’ ‚
    (0x201C, 0x201E),  # “ ” „
    (0x2020, 0x2022),  # † ‡ •
    (0x2026, 0x2026),  # …
    (0x2030, 0x2030),  # ‰
    (0x2039, 0x203A),  # ‹ ›
    (0x20AC, 0x20AC),  # €
    (0x2190, 0x2193),  # ← ↑ → ↓
    (0x2212, 0x2212),  # −
    (0x2248, 0x2248),  # ≈
    (0x2260, 0x2260),  # ≠
    (0x2264, 0x2265),  # ≤ ≥
)
#: The characters the report's embedded fonts hold.
CHARACTERS: frozenset[str] = frozenset(chr(c) for a, b in _RANGES for c in range(a, b + 1))
# OpenType features the report uses: kerning, ligatures, tabular figures (table columns).
_FEATURES = ["kern", "liga", "tnum"]
_FALLBACK = "DejaVu Sans"  # ships with matplotlib: the glyphs Fira Sans lacks


def _package_dir() -> Path:
    import fontpkg_fira_sans

    return Path(fontpkg_fira_sans.__file__).resolve().parent


def licence_file() -> Path:
    """The font licence (SIL Open Font License 1.1), as the font package ships it."""
    return _package_dir() / "LICENSE"


def font_files() -> dict[tuple[int, str], Path]:
    """The TrueType file of each face, by ``(weight, style)``.

    Examples
    --------
    >>> sorted(p.name for p in font_files().values())[0]
    'FiraSans-Bold.ttf'
    """
    folder = _package_dir() / "files"
    return {(weight, style): folder / f"{stem}.ttf" for weight, style, stem in FACES}


def _woff2(path: Path) -> bytes:
    """``path`` as WOFF2, cut down to :data:`CHARACTERS`; the same bytes every time, so
    made once per font file and kept (:mod:`~npdw_learning.kern.filecache`): the
    compression takes about half a second a face, in every run."""
    from .filecache import digest, made_once_bytes

    key = digest("woff2", path.read_bytes(), sorted(CHARACTERS), list(_FEATURES))
    return made_once_bytes(key, ".woff2", lambda: _subset_woff2(path))


def _subset_woff2(path: Path) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = _FEATURES
    options.hinting = False  # a PDF and a screen at print size do without
    font = TTFont(path, recalcTimestamp=False)  # no clock in the file
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in CHARACTERS))
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def font_face_css() -> str:
    """The ``@font-face`` rules of the four faces, each font a ``data:`` URL.

    Computed once per process (about 2 s, unless the faces are in the file cache);
    the page's Content-Security-Policy
    must allow ``font-src data:``.

    Examples
    --------
    >>> font_face_css().count("@font-face")
    4
    """
    rules = []
    files = font_files()
    for weight, style, _stem in FACES:
        data = base64.b64encode(_woff2(files[(weight, style)])).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{CSS_FAMILY}"; font-weight: {weight}; '
            f"font-style: {style}; "
            f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}'
        )
    return "\n".join(rules)


def register_matplotlib() -> None:
    """Make the bundled faces matplotlib's only ``Fira Sans``; safe to call again.

    An installed Fira Sans of another version would otherwise tie with ours
    and, found first, win: it is taken out of matplotlib's list.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    ours = {str(p) for p in font_files().values()}
    present = {entry.fname for entry in manager.ttflist if entry.name == FAMILY}
    if present == ours:
        return
    manager.ttflist = [e for e in manager.ttflist if e.name != FAMILY]
    for path in sorted(ours):
        manager.addfont(path)  # also clears matplotlib's lookup cache


@contextlib.contextmanager
def figure_fonts() -> Iterator[None]:
    """Matplotlib draws in Fira Sans inside this block (also as a decorator).

    Text takes its font when it is made and tick labels when the figure is
    drawn, so a figure is made and saved inside the block. Matplotlib's global
    settings are as before afterwards.

    Examples
    --------
    >>> import matplotlib
    >>> with figure_fonts():
    ...     matplotlib.rcParams["font.family"]
    ['Fira Sans', 'DejaVu Sans']
    """
    import matplotlib

    register_matplotlib()
    with matplotlib.rc_context({"font.family": [FAMILY, _FALLBACK]}):
        yield
