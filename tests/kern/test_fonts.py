"""The bundled typeface: the files, the report's @font-face rules, matplotlib's fonts."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from npdw_learning.kern import fonts

DUTCH = "ëïéèóöüáàĳĲ€–—‘’“”…·"


def faces_in_css() -> dict[tuple[str, str], TTFont]:
    """The fonts of :func:`fonts.font_face_css`, decoded, by (weight, style)."""
    found = {}
    for rule in re.findall(r"@font-face \{[^}]*\}", fonts.font_face_css()):
        weight = re.search(r"font-weight: (\d+)", rule).group(1)
        style = re.search(r"font-style: (\w+)", rule).group(1)
        data = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", rule).group(1)
        found[(weight, style)] = TTFont(io.BytesIO(base64.b64decode(data)))
    return found


def test_four_faces_of_one_family_from_the_font_package_with_its_licence():
    files = fonts.font_files()
    assert sorted(files) == [(400, "italic"), (400, "normal"), (700, "italic"), (700, "normal")]
    for path in files.values():
        assert path.is_file() and path.suffix == ".ttf"
        assert TTFont(path)["name"].getDebugName(1) == fonts.FAMILY
    licence = fonts.licence_file().read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in licence
    # No Reserved Font Name in the copyright line: a subset may keep the name.
    assert "Reserved Font Name" not in licence.splitlines()[0]


def test_the_report_embeds_each_face_with_dutch_letters_and_nothing_to_fetch():
    css = fonts.font_face_css()
    assert css.count("@font-face") == 4
    assert css.count(f'font-family: "{fonts.CSS_FAMILY}"') == 4
    assert set(re.findall(r"url\(([a-z]+):", css)) == {"data"}
    faces = faces_in_css()
    assert sorted(faces) == [
        ("400", "italic"),
        ("400", "normal"),
        ("700", "italic"),
        ("700", "normal"),
    ]
    for face in faces.values():
        cmap = face.getBestCmap()
        assert all(ord(c) in cmap for c in DUTCH), [c for c in DUTCH if ord(c) not in cmap]
        assert set(map(ord, fonts.CHARACTERS)) <= set(cmap)
        assert face["name"].getDebugName(1) == fonts.FAMILY
    assert len(css) < 120_000  # subset: the whole family would be about 2.6 MB


def test_the_embedded_fonts_are_the_same_bytes_every_time():
    path = fonts.font_files()[(400, "normal")]
    assert fonts._woff2(path) == fonts._woff2(path)  # no clock in the file


def test_matplotlib_finds_only_the_bundled_faces(monkeypatch):
    from matplotlib import font_manager

    manager = font_manager.fontManager
    # A Fira Sans of another version installed on the machine: taken out of the list.
    foreign = font_manager.FontEntry(
        fname="/usr/share/fonts/FiraSans-Regular.ttf", name="Fira Sans"
    )
    monkeypatch.setattr(manager, "ttflist", [foreign, *manager.ttflist])
    fonts.register_matplotlib()
    files = fonts.font_files()
    for (weight, style), path in files.items():
        prop = font_manager.FontProperties(family=fonts.FAMILY, weight=weight, style=style)
        assert manager.findfont(prop, fallback_to_default=False) == str(path)
    assert foreign not in manager.ttflist
    fonts.register_matplotlib()  # again: nothing added twice
    assert sum(e.name == fonts.FAMILY for e in manager.ttflist) == len(
        [e for e in manager.ttflist if e.fname in {str(p) for p in files.values()}]
    )


def test_figures_are_drawn_in_the_bundled_family_and_the_settings_come_back():
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    before = list(matplotlib.rcParams["font.family"])
    with fonts.figure_fonts():
        fig = Figure()
        FigureCanvasAgg(fig)
        text = fig.text(0.1, 0.5, "Crabbehof ë ↑", fontweight="bold")
        fig.canvas.draw()
        assert text.get_fontname() == fonts.FAMILY
        ax = fig.add_subplot()
        fig.canvas.draw()
        assert {t.get_fontname() for t in ax.get_xticklabels()} == {fonts.FAMILY}
    assert list(matplotlib.rcParams["font.family"]) == before


@pytest.mark.parametrize("symbol", ["★", "▲", "▽", "∼"])
def test_a_symbol_fira_sans_lacks_comes_from_matplotlibs_own_dejavu(symbol, recwarn):
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    assert ord(symbol) not in TTFont(fonts.font_files()[(400, "normal")]).getBestCmap()
    dejavu = font_manager.findfont(
        font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=False
    )
    assert dejavu.startswith(matplotlib.get_data_path())  # the venv's, not the machine's
    assert ord(symbol) in TTFont(dejavu).getBestCmap()
    with fonts.figure_fonts():
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, f"a {symbol} b")
        fig.canvas.draw()
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
