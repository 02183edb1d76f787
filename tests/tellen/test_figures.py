"""Tests for npdw_learning.tellen.figures: panels, targets, banner, deterministic PNG files."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")  # headless: must precede pyplot, also when run outside `make test`

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen import figures
from npdw_learning.tellen.figures import (
    AREA_PALETTE,
    SYNTHETIC_BANNER,
    plot_pillar,
    save_pillar_figures,
)

AREAS = ["oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof", "dordt-west", "dordrecht"]
AREA_LABELS = {
    "oud-krispijn": "Oud-Krispijn",
    "nieuw-krispijn": "Nieuw-Krispijn",
    "wielwijk": "Wielwijk",
    "crabbehof": "Crabbehof",
    "dordt-west": "Dordt West",
    "dordrecht": "Dordrecht",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["gezondheid", "overgewicht", "zonder-cijfers", "beweegnorm"],
            "label": [
                "Ervaren gezondheid goed of zeer goed (18 jaar en ouder)",
                "Kinderen met overgewicht",
                "Bewoners die zich thuis voelen",
                "Voldoet aan de beweegrichtlijn",
            ],
            "pillar": ["gezond", "gezond", "gezond", "wonen"],
            "unit_label": ["%", "per 1.000 inwoners", "%", "%"],
            "higher_is_better": [True, False, True, True],
        }
    )


@pytest.fixture
def measurements() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for indicator, base, slope in [
        ("gezondheid", 60, 0.4),
        ("overgewicht", 180, -2),
        ("beweegnorm", 45, 0.5),
    ]:
        for i, area in enumerate(AREAS):
            offset = 8.0 if area == "dordrecht" else (i - 2) * 2.0
            for year in range(2015, 2027):
                rows.append(
                    {
                        "indicator": indicator,
                        "area": area,
                        "year": year,
                        "value": base + offset + slope * (year - 2015) + rng.normal(0, 1),
                        # Only the survey indicator carries a sampling error.
                        "se": 1.5 if indicator == "gezondheid" else np.nan,
                        "source": "synthetisch",
                    }
                )
    frame = pd.DataFrame(rows)
    # Wielwijk has only the nulmeting for overgewicht: a one-point series.
    drop = (frame["indicator"] == "overgewicht") & (frame["area"] == "wielwijk")
    return frame[~drop | (frame["year"] == 2015)].reset_index(drop=True)


@pytest.fixture
def progress() -> pd.DataFrame:
    base = {"baseline_year": 2015, "target_year": 2043, "latest_year": 2026, "status": "x"}
    return pd.DataFrame(
        [
            {
                **base,
                "indicator": "gezondheid",
                "area": "dordt-west",
                "target_type": "parity",
                "target_value": 0.0,
                "baseline_value": -8.0,
            },
            {
                **base,
                "indicator": "overgewicht",
                "area": "dordt-west",
                "target_type": "relative",
                "target_value": 180 * 0.3,
                "baseline_value": 180.0,
            },
            {
                **base,
                "indicator": "beweegnorm",
                "area": "dordt-west",
                "target_type": "absolute",
                "target_value": 75.0,
                "baseline_value": 45.0,
            },
            {
                **base,
                "indicator": "beweegnorm",
                "area": "wielwijk",
                "target_type": "absolute",
                "target_value": 75.0,
                "baseline_value": 47.0,
            },
        ]
    )


@pytest.fixture
def pillars() -> pd.DataFrame:
    return pd.DataFrame({"id": ["gezond", "wonen"], "label": ["Gezond", "Wonen"]})


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _titles(fig: Figure) -> list[str]:
    return [ax.get_title().replace("\n", " ") for ax in fig.axes]


def _fig_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts]


def _line_ending_at(ax, year: float, value: float):
    for line in ax.get_lines():
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) >= 2 and x[-1] == pytest.approx(year) and y[-1] == pytest.approx(value):
            return line
    return None


def test_public_names():
    assert set(figures.__all__) >= {"plot_pillar", "save_pillar_figures", "AREA_PALETTE"}


def test_one_panel_per_indicator_with_data(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    assert isinstance(fig, Figure)
    assert _titles(fig) == [
        "Ervaren gezondheid goed of zeer goed (18 jaar en ouder)",
        "Kinderen met overgewicht",
    ]
    assert [ax.get_ylabel() for ax in fig.axes] == ["%", "per 1.000 inwoners"]
    notes = [[t.get_text() for t in ax.texts] for ax in fig.axes]
    assert "↑ hoger is beter" in notes[0]
    assert "↓ lager is beter" in notes[1]
    assert "Geen cijfers voor: Bewoners die zich thuis voelen" in _fig_texts(fig)
    assert fig.get_suptitle() == "Gezond"
    for ax in fig.axes:
        left, right = ax.get_xlim()
        assert left <= 2015 and right >= 2043
        assert 2043 in ax.get_xticks()


def test_other_pillar_and_no_missing_note(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "wonen", pillar_label="Wonen", area_labels=AREA_LABELS
    )
    assert _titles(fig) == ["Voldoet aan de beweegrichtlijn"]
    assert not any(t.startswith("Geen cijfers") for t in _fig_texts(fig))


def test_shared_legend_and_fixed_colours(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    assert all(ax.get_legend() is None for ax in fig.axes)
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert labels[:6] == list(AREA_LABELS.values())
    assert "doel 2043" in labels
    assert any(label.startswith("95%-interval") for label in labels)
    colours = {matplotlib.colors.to_hex(line.get_color()) for line in fig.axes[0].get_lines()}
    assert {c.lower() for c in AREA_PALETTE.values()} <= colours
    dordrecht = [ln for ln in fig.axes[0].get_lines() if ln.get_linestyle() == "--"]
    assert dordrecht and all(
        matplotlib.colors.to_hex(ln.get_color()) == "#000000" for ln in dordrecht
    )


def test_error_bars_only_where_se_is_known(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    with_se, without_se = fig.axes
    assert len(with_se.containers) == 6  # one errorbar container per area
    assert len(without_se.containers) == 0
    segments = with_se.containers[0].lines[2][0].get_segments()
    first = measurements.query("indicator == 'gezondheid' and area == 'oud-krispijn'").iloc[0]
    assert segments[0][1][1] - segments[0][0][1] == pytest.approx(2 * 1.96 * 1.5)
    assert segments[0][0][1] == pytest.approx(first["value"] - 1.96 * 1.5)


def test_each_area_has_its_own_line_style(measurements, indicators, progress):
    fig = plot_pillar(
        measurements,
        indicators,
        progress,
        "gezond",
        pillar_label="Gezond",
        area_labels=AREA_LABELS,
        aggregate="dordt-west",
    )
    by_colour = {
        matplotlib.colors.to_hex(ln.get_color()): ln
        for ln in fig.axes[0].get_lines()
        if len(ln.get_xdata()) == 12  # the data lines, not the target path
    }
    dordt_west = by_colour[AREA_PALETTE["dordt-west"].lower()]
    assert (dordt_west.get_marker(), dordt_west.get_linewidth()) == ("D", 1.8)
    assert dordt_west.get_linestyle() == "-"
    crabbehof = by_colour[AREA_PALETTE["crabbehof"].lower()]
    assert (crabbehof.get_marker(), crabbehof.get_linewidth()) == ("v", 1.0)
    dordrecht = by_colour["#000000"]
    assert (dordrecht.get_marker(), dordrecht.get_linewidth()) == ("o", 1.1)
    assert dordrecht.get_linestyle() == "--"
    # Drawn in legend order, so where lines cross the reference ends up on top.
    assert list(by_colour)[-1] == "#000000"


def test_single_point_series_is_a_marker(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    wielwijk = AREA_PALETTE["wielwijk"].lower()
    lines = [
        ln for ln in fig.axes[1].get_lines() if matplotlib.colors.to_hex(ln.get_color()) == wielwijk
    ]
    assert len(lines) == 1
    assert len(lines[0].get_xdata()) == 1
    assert lines[0].get_marker() not in (None, "None", "", " ")


def test_parity_target_is_dordrecht_carried_forward(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    ax = fig.axes[0]
    latest = measurements.query("indicator == 'gezondheid' and area == 'dordrecht'")
    level = latest.sort_values("year")["value"].iloc[-1]
    line = _line_ending_at(ax, 2043, level)
    assert line is not None and line.get_linestyle() == ":"
    assert list(line.get_ydata()) == pytest.approx([level, level])
    assert "doel: gelijk aan Dordrecht" in [t.get_text() for t in ax.texts]


def test_relative_target_path_runs_from_baseline_to_target_level(
    measurements, indicators, progress
):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    line = _line_ending_at(fig.axes[1], 2043, 54.0)
    assert line is not None and line.get_linestyle() == ":"
    assert (line.get_xdata()[0], line.get_ydata()[0]) == pytest.approx((2015, 180.0))
    # Constant yearly rate: halfway in time, the geometric mean of start and target.
    mid = len(line.get_xdata()) // 2
    assert line.get_ydata()[mid] == pytest.approx(np.sqrt(180.0 * 54.0))


def test_absolute_target_path_prefers_the_aggregate(measurements, indicators, progress):
    fig = plot_pillar(
        measurements,
        indicators,
        progress,
        "wonen",
        pillar_label="Wonen",
        area_labels=AREA_LABELS,
        aggregate="dordt-west",
    )
    line = _line_ending_at(fig.axes[0], 2043, 75.0)
    assert list(line.get_xdata()) == [2015, 2043]
    assert list(line.get_ydata()) == pytest.approx([45.0, 75.0])


def test_absolute_target_path_falls_back_to_first_neighbourhood(measurements, indicators, progress):
    fig = plot_pillar(
        measurements,
        indicators,
        progress,
        "wonen",
        pillar_label="Wonen",
        area_labels=AREA_LABELS,
        areas=["wielwijk", "crabbehof"],
    )
    line = _line_ending_at(fig.axes[0], 2043, 75.0)
    assert list(line.get_ydata()) == pytest.approx([47.0, 75.0])
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert labels[:3] == ["Wielwijk", "Crabbehof", "Dordrecht"]


def test_without_progress_no_target_is_drawn(measurements, indicators):
    fig = plot_pillar(
        measurements, indicators, None, "wonen", pillar_label="Wonen", area_labels=AREA_LABELS
    )
    assert all(ln.get_linestyle() != ":" for ln in fig.axes[0].get_lines())
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert "doel 2043" not in labels


@pytest.mark.parametrize("synthetic", [True, False])
def test_synthetic_banner(measurements, indicators, progress, synthetic):
    fig = plot_pillar(
        measurements,
        indicators,
        progress,
        "gezond",
        pillar_label="Gezond",
        area_labels=AREA_LABELS,
        synthetic=synthetic,
    )
    banners = [t for t in fig.texts if t.get_text() == SYNTHETIC_BANNER]
    assert SYNTHETIC_BANNER == "SYNTHETISCHE DEMODATA — geen echte cijfers"
    assert len(banners) == (1 if synthetic else 0)
    if synthetic:
        assert matplotlib.colors.to_hex(banners[0].get_color()).startswith("#c0")


def test_pillar_without_data_gives_a_message(measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "leren", pillar_label="Leren", area_labels=AREA_LABELS
    )
    assert fig.axes == []
    assert "Geen cijfers voor deze pijler" in _fig_texts(fig)


def test_missing_column_is_a_clear_error(measurements, indicators, progress):
    with pytest.raises(ValueError, match="value"):
        plot_pillar(
            measurements.drop(columns="value"),
            indicators,
            progress,
            "gezond",
            pillar_label="Gezond",
            area_labels=AREA_LABELS,
        )


def test_save_writes_pngs_in_pillar_order(tmp_path, measurements, indicators, progress, pillars):
    open_before = plt.get_fignums()
    paths = save_pillar_figures(
        measurements,
        indicators,
        progress,
        pillars,
        tmp_path / "fig",
        area_labels=AREA_LABELS,
        synthetic=True,
        dpi=50,
    )
    assert [p.name for p in paths] == ["tellen_gezond.png", "tellen_wonen.png"]
    for path in paths:
        assert path.read_bytes()[:8] == PNG_SIGNATURE
    # No temporary files left behind, and every figure closed.
    assert sorted(p.name for p in (tmp_path / "fig").iterdir()) == [p.name for p in paths]
    assert plt.get_fignums() == open_before


def test_save_is_byte_for_byte_reproducible(tmp_path, measurements, indicators, progress, pillars):
    kwargs = {"area_labels": AREA_LABELS, "dpi": 50}
    first = save_pillar_figures(
        measurements, indicators, progress, pillars, tmp_path / "a", **kwargs
    )
    second = save_pillar_figures(
        measurements, indicators, progress, pillars, tmp_path / "b", **kwargs
    )
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert b"Software" not in first[0].read_bytes()


def test_saved_layout_is_the_constrained_layout(
    tmp_path, measurements, indicators, progress, pillars
):
    # save_pillar_figures runs the layout itself, once; the file must be what a
    # plain savefig, which lays the figure out while drawing it, would write.
    (saved, _) = save_pillar_figures(
        measurements,
        indicators,
        progress,
        pillars,
        tmp_path / "fig",
        area_labels=AREA_LABELS,
        dpi=50,
    )
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    fig.savefig(
        tmp_path / "plain.png",
        dpi=50,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 1},
    )
    assert saved.read_bytes() == (tmp_path / "plain.png").read_bytes()


def test_save_pillar_without_data(tmp_path, measurements, indicators, progress, recwarn):
    pillars = pd.DataFrame({"id": ["leren"], "label": ["Leren"]})
    (path,) = save_pillar_figures(
        measurements, indicators, progress, pillars, tmp_path, area_labels=AREA_LABELS, dpi=50
    )
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert not [w for w in recwarn if "layout" in str(w.message)]


def test_failed_save_leaves_nothing_behind(
    tmp_path, monkeypatch, measurements, indicators, progress, pillars
):
    def broken_savefig(self, *args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    with pytest.raises(OSError, match="schijf vol"):
        save_pillar_figures(
            measurements, indicators, progress, pillars, tmp_path, area_labels=AREA_LABELS, dpi=50
        )
    assert list(tmp_path.iterdir()) == []
    assert plt.get_fignums() == []


# -- the steps of plot_pillar and save_pillar_figures ------------------------------------


def test_pillar_measurements_keeps_the_pillars_values_typed():
    raw = pd.DataFrame(
        {
            "indicator": ["a", "a", "b", "a"],
            "area": "wielwijk",
            "year": ["2015", "2016", "2015", "2017"],
            "value": [1, None, 3, 4],
        }
    )
    data = figures._pillar_measurements(raw, pd.Series(["a"]))
    assert data["year"].tolist() == [2015, 2017]  # b is another pillar, 2016 has no value
    assert data["value"].dtype == float and data["year"].dtype.kind == "i"
    assert data["se"].isna().all()  # added when missing
    # Text from a delivery: a number is read, anything else is an unknown se.
    with_se = raw.assign(se=["0.5", None, None, "x"])
    se = figures._pillar_measurements(with_se, pd.Series(["a"]))["se"].tolist()
    assert se[0] == 0.5 and np.isnan(se[1])


def test_drawn_areas_order_and_reference_last():
    present = {"dordrecht", "wielwijk", "oud-krispijn", "zuid", "noord"}
    # Known areas in AREA_ORDER, then the others alphabetically, the reference last.
    assert figures._drawn_areas(present, "dordrecht", None) == [
        "oud-krispijn",
        "wielwijk",
        "noord",
        "zuid",
        "dordrecht",
    ]
    # Chosen areas keep their order; the reference is moved to the end, also without data.
    assert figures._drawn_areas(present, "ref", ["wielwijk", "ref", "crabbehof"]) == [
        "wielwijk",
        "crabbehof",
        "ref",
    ]


def test_page_layout_rows_strips_and_note():
    width = figures._WIDTH  # the A4 text width: the figure prints at the size it is drawn
    one = figures._page_layout(1, 3, [], synthetic=False)
    assert (one.nrows, one.ncols, one.width) == (1, 1, width)
    assert one.banner == 0 and one.note_lines == ()
    nine = figures._page_layout(9, 6, ["Zonder cijfers"], synthetic=True)
    assert (nine.nrows, nine.ncols, nine.width) == (3, 4, width)  # four panels a row
    assert nine.banner > 0 and nine.note_lines == ("Geen cijfers voor: Zonder cijfers",)
    # The height is the panels plus the fixed strips (title, banner, footer).
    rows = 3 * figures._PANEL_SIZE[1]
    assert nine.height == pytest.approx(rows + figures._TITLE_IN + nine.banner + nine.footer)
    # Both have two legend rows (areas, extras); the note line adds its own.
    assert nine.footer == pytest.approx(one.footer + figures._NOTE_LINE_IN)
    long = figures._page_layout(3, 6, [f"Indicator nummer {i}" for i in range(40)], False)
    assert len(long.note_lines) > 1
    assert all(len(line) <= int(long.width / 0.055) for line in long.note_lines)


def test_new_figure_has_a_slot_per_panel_position():
    layout = figures._page_layout(5, 3, [], synthetic=False)
    fig, flat = figures._new_figure(layout)
    assert len(flat) == 8 == len(fig.axes)  # two rows of four, the spare slots still there
    assert tuple(fig.get_size_inches()) == pytest.approx((layout.width, layout.height))


def test_pillar_content_splits_panels_and_missing(measurements, indicators):
    content = figures._pillar_content(measurements, indicators, "gezond", "dordrecht", None)
    assert content.panels["id"].tolist() == ["gezondheid", "overgewicht"]
    assert content.missing == ["Bewoners die zich thuis voelen"]
    assert content.drawn[-1] == "dordrecht" and len(content.drawn) == 6
    assert set(content.by_indicator) == {"gezondheid", "overgewicht"}
    assert content.data["year"].is_monotonic_increasing
    chosen = figures._pillar_content(measurements, indicators, "gezond", "dordrecht", ["wielwijk"])
    assert set(chosen.data["area"]) == {"wielwijk", "dordrecht"}


def test_draw_panels_reports_extras_and_the_last_target_year(measurements, indicators, progress):
    content = figures._pillar_content(measurements, indicators, "gezond", "dordrecht", None)
    layout = figures._page_layout(len(content.panels), len(content.drawn), [], False)
    _, flat = figures._new_figure(layout)
    styles = figures._area_styles(content.drawn, "dordrecht", "dordt-west")
    later = progress.assign(target_year=[2043, 2050, 2043, 2043])
    used, end = figures._draw_panels(
        flat,
        content,
        figures._targets_by_indicator(later),
        styles,
        "dordrecht",
        2043,
        ("Dordrecht", "dordt-west"),
    )
    # gezondheid has se (error bars) and a parity target; overgewicht a relative one.
    assert used == {"se", "parity", "path"}
    assert end == 2050
    used, end = figures._draw_panels(
        flat, content, {}, styles, "dordrecht", 2043, ("Dordrecht", None)
    )
    assert (used, end) == ({"se"}, 2043)


def test_draw_error_bars_only_for_positive_se():
    fig, ax = plt.subplots()
    by_area = {
        "wielwijk": pd.DataFrame({"year": [2015, 2016], "value": [1.0, 2.0], "se": [0.5, 0.0]}),
        "crabbehof": pd.DataFrame({"year": [2015], "value": [1.0], "se": [np.nan]}),
    }
    styles = figures._area_styles(list(by_area), "dordrecht")
    assert figures._draw_error_bars(ax, by_area, list(by_area), styles) is True
    assert len(ax.containers) == 1  # one errorbar call, for wielwijk
    (bars,) = ax.containers[0].lines[2]
    assert len(bars.get_segments()) == 1  # only the point with se > 0
    fig2, ax2 = plt.subplots()
    assert figures._draw_error_bars(ax2, by_area, ["crabbehof"], styles) is False
    assert not ax2.containers


def test_draw_lines_styles_each_area():
    _, ax = plt.subplots()
    series = pd.DataFrame(
        {
            "year": [2015, 2016, 2015, 2016],
            "value": [1.0, 2.0, 3.0, 4.0],
            "area": ["wielwijk", "wielwijk", "dordrecht", "dordrecht"],
        }
    )
    styles = figures._area_styles(["wielwijk", "dordrecht"], "dordrecht")
    figures._draw_lines(ax, series, ["wielwijk", "dordrecht"], styles)
    wielwijk, reference = ax.get_lines()
    assert wielwijk.get_marker() == figures.AREA_MARKERS["wielwijk"]
    assert matplotlib.colors.to_hex(wielwijk.get_color()) == AREA_PALETTE["wielwijk"].lower()
    assert reference.get_linestyle() == "--"
    assert list(reference.get_ydata()) == [3.0, 4.0]
    _, empty = plt.subplots()
    figures._draw_lines(empty, series.iloc[:0], [], styles)
    assert empty.get_lines() == []


def test_draw_target_prefers_a_level_path_over_parity(measurements, progress):
    series = measurements[measurements["indicator"] == "beweegnorm"].sort_values("year")
    by_area = {a: rows for a, rows in series.groupby("area", sort=False)}
    drawn = [*by_area]
    both = progress[progress["indicator"] == "beweegnorm"]
    both = pd.concat([both, both.iloc[:1].assign(target_type="parity", area="wielwijk")])
    args = (by_area, drawn, "dordrecht", 2043, "dordt-west", "Dordrecht")
    _, ax = plt.subplots()
    assert figures._draw_target(ax, both, *args) == "path"
    _, ax = plt.subplots()
    assert figures._draw_target(ax, both[both["target_type"] == "parity"], *args) == "parity"
    _, ax = plt.subplots()
    assert figures._draw_target(ax, figures._NO_TARGETS, *args) is None
    assert ax.get_lines() == []


def test_decorate_panel_title_note_unit_and_hidden_x_label():
    _, ax = plt.subplots()
    meta = pd.Series(
        {"label": "Een heel lange titel " * 4, "higher_is_better": False, "unit_label": "%"}
    )
    figures._decorate_panel(ax, meta, x_visible=False)
    assert "\n" in ax.get_title()  # wrapped to the panel width
    assert [t.get_text() for t in ax.texts] == ["↓ lager is beter"]
    assert ax.get_ylabel() == "%"
    assert not ax.xaxis.label.get_visible()
    assert ax.yaxis.get_major_formatter()(1234.5, None) == "1234,5"
    _, ax = plt.subplots()
    unknown = pd.Series({"label": "x", "higher_is_better": None, "unit_label": None})
    figures._decorate_panel(ax, unknown, x_visible=True)
    assert len(ax.texts) == 0 and ax.get_ylabel() == "" and ax.xaxis.label.get_visible()


def test_share_year_axis_removes_spare_slots_and_labels_every_panel():
    fig, flat = figures._new_figure(figures._page_layout(4, 3, [], False))
    figures._share_year_axis(fig, flat, 4, 2015, 2043)
    assert len(fig.axes) == 4
    assert flat[0].get_xlim() == pytest.approx((2014.2, 2043.8))
    assert list(flat[3].get_xticks()) == figures._year_ticks(2015, 2043)
    assert all(ax.xaxis.get_tick_params()["labelbottom"] for ax in fig.axes)


@pytest.mark.parametrize("synthetic", [True, False])
def test_draw_heading_title_and_banner(synthetic):
    layout = figures._page_layout(1, 2, [], synthetic)
    fig, _ = figures._new_figure(layout)
    figures._draw_heading(fig, "Gezond", layout, synthetic)
    assert fig.get_suptitle() == "Gezond"
    assert (SYNTHETIC_BANNER in _fig_texts(fig)) is synthetic


def test_draw_footer_legends_note_or_empty_message():
    styles = figures._area_styles(["wielwijk", "dordrecht"], "dordrecht")
    handles = figures._legend_handles(
        ["wielwijk", "dordrecht"], styles, AREA_LABELS, {"se"}, 2043, "Dordrecht"
    )
    layout = figures._page_layout(1, 2, ["Zonder cijfers"], False)
    fig, _ = figures._new_figure(layout)
    figures._draw_footer(fig, layout, handles)
    assert len(fig.legends) == 2  # the areas, then the extras
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Wielwijk", "Dordrecht"]
    assert _fig_texts(fig) == ["Geen cijfers voor: Zonder cijfers"]
    empty = figures._page_layout(0, 1, [], False)
    fig, _ = figures._new_figure(empty)
    figures._draw_footer(fig, empty, handles)
    assert fig.legends == [] and _fig_texts(fig) == ["Geen cijfers voor deze pijler"]


def test_save_png_writes_and_closes(tmp_path, measurements, indicators, progress):
    fig = plot_pillar(
        measurements, indicators, progress, "gezond", pillar_label="Gezond", area_labels=AREA_LABELS
    )
    path = figures._save_png(fig, tmp_path / "x.png", 40)
    assert path == tmp_path / "x.png"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert not plt.fignum_exists(fig.number)


def test_a_full_pillar_is_drawn_at_print_size_with_no_text_under_7_pt():
    """The demo's largest pillar (16 indicators): the A4 text width, within one page, and
    every text (titles, ticks, legend, notes, banner) at least 7 pt on paper."""
    from matplotlib.text import Text

    from npdw_learning import load_measurements, run_tellen
    from npdw_learning.kern.page import FIGURE_MAX_HEIGHT_MM, MIN_TEXT_PT, TEXT_WIDTH_MM

    reg = ProgrammeFolder.bundled().registry
    result = run_tellen(
        reg, load_measurements(reg, ProgrammeFolder.bundled().root, demo=True, until_year=2026)
    )
    fig = plot_pillar(
        result.measurements,
        reg.indicators,
        result.progress,
        "gezond",
        pillar_label="Gezond en samen leven",
        area_labels=reg.area_labels(),
        aggregate=reg.aggregate_id,
        synthetic=True,
        start_year=reg.start_year,
    )
    try:
        fig.canvas.draw()  # tick labels exist once drawn
        width, height = (25.4 * v for v in fig.get_size_inches())
        assert width == pytest.approx(TEXT_WIDTH_MM, abs=0.5)
        assert height <= FIGURE_MAX_HEIGHT_MM
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert len(texts) > 100
        assert min(t.get_fontsize() for t in texts) >= MIN_TEXT_PT
        assert {t.get_fontname() for t in texts} == {"Fira Sans"}
    finally:
        plt.close(fig)
