"""Tests for npdw_learning.tellen.figures: panels, targets, banner, deterministic PNG files."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")  # headless: must precede pyplot, also when run outside `make test`

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

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
    assert (dordt_west.get_marker(), dordt_west.get_linewidth()) == ("D", 2.6)
    assert dordt_west.get_linestyle() == "-"
    crabbehof = by_colour[AREA_PALETTE["crabbehof"].lower()]
    assert (crabbehof.get_marker(), crabbehof.get_linewidth()) == ("v", 1.5)
    dordrecht = by_colour["#000000"]
    assert (dordrecht.get_marker(), dordrecht.get_linewidth()) == ("o", 1.6)
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
