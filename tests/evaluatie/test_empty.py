"""Empty is a valid state: a first year with no stories, no agenda, no later measurements.

Each empty input on its own goes through its step and its view, and the view
says in Dutch what is missing; all of them together give a report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from npdw_learning.evaluatie import report, steps, views
from npdw_learning.evaluatie import runner as evaluate
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.vertellen.stories import STORIES_DIR as BUNDLED_STORIES

# With no story and nothing after the baseline (2023), the programme's first year is the
# latest an evaluation may take: one year after the last data (kern.years.check_year).
FIRST_YEAR = 2024

EMPTY_AGENDA = {
    "agenda/learning_questions.yaml": "learning_questions: []\n",
    "agenda/lessons.yaml": "lessons: []\n",
    "agenda/research.yaml": "settings:\n  overasking_threshold: 3\nresearch: []\n",
    "registry/efforts.yaml": "efforts: []\n",
}


@pytest.fixture
def shown(monkeypatch):
    """Every Markdown text a view shows, in order."""
    texts: list[str] = []

    def collect(bundle, section, **extra):
        if "text/markdown" in bundle:
            texts.append(bundle["text/markdown"])

    monkeypatch.setattr(report, "_display", collect)
    return texts


def _data(tmp: Path, *, empty_agenda: bool) -> Path:
    data = tmp / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("README.md", "demo"))
    if empty_agenda:
        for name, text in EMPTY_AGENDA.items():
            (data / name).write_text(text, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def baseline_only(tmp_path_factory):
    """Tellen on the bundled baseline alone (no later measurement, no demo series)."""
    tmp = tmp_path_factory.mktemp("leeg")
    data = _data(tmp, empty_agenda=False)
    run = steps.Run.from_parameters(2026, data, BUNDLED_STORIES, tmp / "uit", None, False)
    step = steps.tellen_step(run)
    return run, step


def test_baseline_only_has_no_trend_and_says_so(baseline_only, shown):
    run, step = baseline_only
    assert set(step.trends["verdict"]) == {"insufficient_data"}
    views.show_tellen(run, step)
    assert any("te weinig metingen" in t for t in shown)


def test_no_stories(baseline_only, tmp_path, shown):
    run, _ = baseline_only
    empty = tmp_path / "verhalen"
    empty.mkdir()
    run = steps.Run.from_parameters(FIRST_YEAR, run.data_dir, empty, run.out_dir, None, False)
    told = steps.vertellen_step(run)
    assert told.stories.empty and told.codes.empty and told.theme_quotes.empty
    joint = steps.joint_step(run)
    assert (joint.joint["stories"] == 0).all()
    assert set(joint.joint["meta_inference"]) <= {"numbers_only", "no_evidence"}
    views.show_vertellen(run, told)
    views.show_vertellen_per_pillar(run, told)
    views.show_summary(run, joint)
    views.show_joint(run, joint)
    assert views.verhalen.NO_STORIES_NL.format(year=FIRST_YEAR) in shown
    assert views.verhalen.NO_STORIES_NL.startswith("Er zijn nog geen verhalen voor {year}")
    assert sum("nog geen verhalen (zie" in t for t in shown) == len(run.registry.pillars)


def test_no_msc_register(baseline_only, tmp_path):
    run, _ = baseline_only
    stories = tmp_path / "verhalen"
    shutil.copytree(BUNDLED_STORIES, stories, ignore=shutil.ignore_patterns("msc.yaml"))
    run = steps.Run.from_parameters(2026, run.data_dir, stories, run.out_dir, None, False)
    told = steps.vertellen_step(run)
    assert len(told.stories) > 0 and told.msc.empty
    assert (run.tables_dir / "msc_selecties.csv").exists()


def test_empty_agenda_and_efforts(baseline_only, tmp_path, shown):
    run, _ = baseline_only
    data = _data(tmp_path, empty_agenda=True)
    run = steps.Run.from_parameters(2026, data, BUNDLED_STORIES, run.out_dir, None, False)
    steps.vertellen_step(run)
    steps.joint_step(run)
    step = steps.leeragenda_step(run)
    assert step.questions.empty and step.research.empty and step.lessons.empty
    assert step.efforts.empty and step.year is None
    views.show_leeragenda(run, step)
    for what, file in (
        ("leervragen", "data/agenda/learning_questions.yaml"),
        ("onderzoeksactiviteiten", "data/agenda/research.yaml"),
        ("lessen", "data/agenda/lessons.yaml"),
        ("inspanningen", "data/registry/efforts.yaml"),
    ):
        assert any(f"nog geen {what} in `{file}`" in t for t in shown), what
    assert not any("heeft 0 " in t for t in shown)


@pytest.mark.slow
def test_everything_empty_gives_a_report(tmp_path):
    data = _data(tmp_path, empty_agenda=True)
    stories = tmp_path / "verhalen"
    stories.mkdir()
    path = evaluate.evaluate(
        FIRST_YEAR,
        data_dir=data,
        stories_dir=stories,
        out_dir=tmp_path / "uit",
        echo=lambda m: None,
        pdf=False,
    )
    text = path.read_text(encoding="utf-8")
    assert f"Er zijn nog geen verhalen voor {FIRST_YEAR} uit deze wijken" in text
    assert "Nog leeg: er staan nog geen leervragen" in text
    assert "SYNTHETISCHE" not in text


def test_summary_states_the_minimum_the_engine_uses(baseline_only, tmp_path, shown, monkeypatch):
    from npdw_learning.evaluatie import summary
    from npdw_learning.tellen.trends import MIN_POINTS

    run, _ = baseline_only
    empty = tmp_path / "verhalen"
    empty.mkdir()
    run = steps.Run.from_parameters(FIRST_YEAR, run.data_dir, empty, run.out_dir, None, False)
    steps.vertellen_step(run)
    joint = steps.joint_step(run)
    views.show_summary(run, joint)
    assert any(f"minder dan {MIN_POINTS} metingen" in t for t in shown)
    # Only a baseline: no trend and no change anywhere; a target can already be reached.
    assert not joint.matrix["reading"].isin(["trend", "change", "break"]).any()
    monkeypatch.setattr(summary, "MIN_POINTS", 7)
    shown.clear()
    views.show_summary(run, joint)
    assert any("minder dan 7 metingen" in t for t in shown)
