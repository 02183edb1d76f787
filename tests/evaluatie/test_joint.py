"""The joint display: every meta-inference label on a constructed case, and the numbers
read from every reading of the status matrix (progress, trend, change, break)."""

from __future__ import annotations

import pandas as pd
import pytest

from npdw_learning.evaluatie.joint import (
    JOINT_COLUMNS,
    META_INFERENCES,
    SERIES_DIRECTIONS,
    _goal_row,
    _programme_areas,
    _stories_by_goal,
    add_quotes,
    joint_display,
    meta_inference,
    numbers_direction,
    proposed_learning_questions,
    publishable,
    reading_counts,
    series_directions,
    stories_direction,
)
from npdw_learning.evaluatie.status import CELL_STYLES, status_cells
from npdw_learning.kern.programme import ProgrammeFolder

REG = ProgrammeFolder.bundled().registry
# og37 is measured by indicators; og39 has none. Themes are made up for the test.
GOAL = "og37-misdrijven"
LINKS = pd.DataFrame({"theme": ["t-veilig", "t-ander"], "goal": [GOAL, "og01-woonomgeving"]})
INDICATORS = list(REG.operational_goals.set_index("id").loc[GOAL, "indicators"])
# The status matrix's areas as a run has them, with the reference for the tests that
# check it never counts.
MATRIX_AREAS = [*_programme_areas(REG), REG.aggregate_id, REG.reference]


def cells_for(trends=None, progress=None, changes=None, breaks=None) -> pd.DataFrame:
    """The status matrix of the given tables, every indicator x area."""
    return status_cells(REG.indicators, MATRIX_AREAS, progress, trends, changes, breaks)


def trends_for(verdicts: list[str], area: str = "wielwijk") -> pd.DataFrame:
    """One row per verdict on the goal's indicators, each its own series: in ``area``
    first, then in the next neighbourhoods; or, with ``"spread"``, over four."""
    areas = ["oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof"]
    order = [area, *(a for a in areas if a != area)] if area in areas else [area]
    n = len(INDICATORS)
    rows = [
        {
            "indicator": INDICATORS[i % n],
            "area": areas[i % 4] if area == "spread" else order[i // n],
            "verdict": v,
        }
        for i, v in enumerate(verdicts)
    ]
    return pd.DataFrame(rows, columns=["indicator", "area", "verdict"])


def stories_for(changes: list[str], area: str = "wielwijk") -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"s{i}" for i in range(len(changes))]
    stories = pd.DataFrame({"id": ids, "area": area, "change": changes})
    codes = pd.DataFrame({"story_id": ids, "theme": "t-veilig"})
    return stories, codes


def row_for(verdicts, changes, **kw) -> pd.Series:
    trends = trends_for(verdicts) if verdicts else trends_for([])
    stories, codes = stories_for(changes)
    table = joint_display(REG, cells_for(trends), stories, codes, LINKS, **kw)
    return table.set_index("goal").loc[GOAL]


@pytest.mark.parametrize(
    ("verdicts", "changes", "expected"),
    [
        (
            ["improving", "improving", "no_significant_trend"],
            ["beter"] * 3 + ["slechter"],
            "convergent",
        ),
        (["worsening"], ["slechter"] * 4, "convergent"),
        (["no_significant_trend"] * 2, ["gelijk"] * 3, "convergent"),
        (["improving"], ["slechter"] * 3 + ["beter"], "discordant"),
        (["worsening", "worsening", "improving"], ["beter"] * 5, "discordant"),
        (["no_significant_trend"], ["beter"] * 3, "expansion"),
        (["improving", "worsening"], ["beter"] * 3, "expansion"),
        (["improving"], ["beter", "slechter", "gelijk"], "expansion"),
        (["improving"], ["slechter"], "expansion"),  # one story gives no direction
        (["improving"], [], "numbers_only"),
        (["insufficient_data"], ["slechter"] * 3, "stories_only"),
        ([], ["beter"] * 3, "stories_only"),
        ([], [], "no_evidence"),
        (["insufficient_data"], [], "no_evidence"),
    ],
)
def test_every_meta_inference_on_a_constructed_goal(verdicts, changes, expected):
    assert row_for(verdicts, changes)["meta_inference"] == expected


def test_all_labels_are_covered_by_the_cases_above():
    cases = test_every_meta_inference_on_a_constructed_goal.pytestmark[0].args[1]
    assert {c[2] for c in cases} == set(META_INFERENCES)


def test_counts_in_the_row_are_the_constructed_ones():
    row = row_for(
        ["improving", "worsening", "no_significant_trend", "insufficient_data"],
        ["beter", "beter", "slechter", "gemengd"],
    )
    assert (row["series"], row["improving"], row["worsening"], row["no_trend"]) == (3, 1, 1, 1)
    assert row["readings"] == "trend=3"
    assert row["numbers_direction"] == "gemengd"
    assert (row["stories"], row["beter"], row["slechter"], row["gelijk"], row["gemengd"]) == (
        4,
        2,
        1,
        0,
        1,
    )
    assert row["stories_direction"] == "beter"
    assert row["themes"] == "t-veilig"
    assert row["indicators"] == ";".join(INDICATORS)


def test_a_story_with_two_themes_of_one_goal_counts_once():
    stories = pd.DataFrame({"id": ["a"], "area": ["wielwijk"], "change": ["beter"]})
    codes = pd.DataFrame({"story_id": ["a", "a"], "theme": ["t-veilig", "t-veilig2"]})
    links = pd.concat([LINKS, pd.DataFrame({"theme": ["t-veilig2"], "goal": [GOAL]})])
    table = joint_display(REG, cells_for(), stories, codes, links).set_index("goal")
    assert table.loc[GOAL, "stories"] == 1
    assert table.loc[GOAL, "themes"] == "t-veilig;t-veilig2"


def test_areas_outside_the_selection_do_not_count():
    trends = trends_for(["worsening"], area="wielwijk")
    stories, codes = stories_for(["beter"] * 3, area="wielwijk")
    table = joint_display(REG, cells_for(trends), stories, codes, LINKS, areas=["crabbehof"])
    assert table.set_index("goal").loc[GOAL, "meta_inference"] == "no_evidence"
    # The reference and the aggregate never count by default (no double counting).
    ref = trends_for(["worsening"], area="dordrecht")
    agg = trends_for(["worsening"], area="dordt-west")
    table = joint_display(REG, cells_for(pd.concat([ref, agg])), stories, codes, LINKS)
    assert table.set_index("goal").loc[GOAL, "numbers_direction"] == "geen_cijfers"


def test_joint_display_has_one_row_per_goal_in_registry_order():
    stories, codes = stories_for([])
    table = joint_display(REG, cells_for(), stories, codes, LINKS)
    assert list(table.columns) == JOINT_COLUMNS
    assert table["goal"].tolist() == REG.operational_goals["id"].tolist()
    assert set(table["meta_inference"]) == {"no_evidence"}


def test_progress_statuses_are_counted():
    trends = trends_for(["improving", "improving"], area="spread")
    progress = trends.assign(status=["on_track", "moving_away"]).drop(columns="verdict")
    stories, codes = stories_for([])
    cells = cells_for(trends, progress)
    row = joint_display(REG, cells, stories, codes, LINKS).set_index("goal").loc[GOAL]
    assert (row["n_on_track"], row["n_moving_away"], row["n_target_reached"]) == (1, 1, 0)
    # The progress status is the reading these two series count with (it comes first).
    assert (row["improving"], row["worsening"], row["readings"]) == (1, 1, "progress=2")


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([], "geen_cijfers"),
        (["insufficient_data"] * 3, "geen_cijfers"),
        (["no_significant_trend"], "geen_trend"),
        (["improving", "worsening"], "gemengd"),
        (["improving", "improving", "worsening"], "verbetering"),
        (["worsening", "no_significant_trend"], "verslechtering"),
    ],
)
def test_numbers_direction(verdicts, expected):
    assert numbers_direction(verdicts) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([], "geen_verhalen"),
        (["beter", "beter"], "te_weinig"),
        (["beter", "beter", "slechter"], "beter"),
        (["gelijk", "gelijk", "beter"], "gelijk"),
        (["beter", "slechter", "gemengd", "gemengd"], "gemengd"),
        (["gemengd"] * 4, "gemengd"),
        (["slechter", "slechter", "beter", "beter", "gelijk"], "gemengd"),
    ],
)
def test_stories_direction(changes, expected):
    assert stories_direction(changes) == expected


def test_stories_direction_threshold_is_a_parameter():
    assert stories_direction(["beter"], min_stories=1) == "beter"


def test_meta_inference_rejects_unknown_directions():
    with pytest.raises(ValueError, match="richting"):
        meta_inference("omhoog", "beter")
    with pytest.raises(ValueError, match="richting"):
        meta_inference("verbetering", "prima")


def test_discordant_goals_become_proposed_learning_questions():
    row = row_for(["improving"], ["slechter"] * 3)
    joint = pd.DataFrame([row.to_dict() | {"goal": GOAL}])
    labels = {INDICATORS[0]: "Geregistreerde misdrijven"}
    asked = proposed_learning_questions(joint, labels)
    assert asked["goal"].tolist() == [GOAL]
    question = asked.loc[0, "question"]
    assert "Geregistreerde misdrijven" in question
    assert "een verbetering" in question and "verslechtering" in question
    assert question.endswith("?")
    convergent = joint.assign(meta_inference="convergent")
    assert proposed_learning_questions(convergent).empty


def test_publishable_hides_small_story_counts():
    row = row_for(["improving"], ["beter"] * 6 + ["slechter"] * 2)
    shown = publishable(pd.DataFrame([row.to_dict() | {"goal": GOAL}])).iloc[0]
    assert shown["beter"] == "x"  # complementary: would reveal slechter = 8 - 6
    assert shown["slechter"] == "<5"
    assert shown["stories"] == 8
    assert shown["meta_inference"] == "convergent"  # derived from the raw counts


def test_add_quotes_prefers_the_stories_direction():
    joint = pd.DataFrame(
        {
            "goal": ["g1", "g2", "g3"],
            "themes": ["a", "a;b", "c"],
            "stories_direction": ["slechter", "beter", "beter"],
        }
    )
    quotes = pd.DataFrame(
        {
            "theme": ["a", "a", "b"],
            "story_id": ["s1", "s2", "s3"],
            "change": ["beter", "slechter", "beter"],
            "sentence": ["Het gaat beter.", "Het gaat slechter.", "Ook beter."],
        }
    )
    out = add_quotes(joint, quotes).set_index("goal")
    assert out.loc["g1", "quote_story"] == "s2"
    assert out.loc["g2", "quote_story"] == "s1"
    assert pd.isna(out.loc["g3", "quote"])


# -- the named steps of joint_display ------------------------------------------------


def test_programme_areas_leave_out_the_reference_and_the_aggregate():
    areas = _programme_areas(REG)
    assert areas == ["oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof"]
    assert REG.reference not in areas and REG.aggregate_id not in areas


def test_stories_by_goal_counts_a_story_once_per_theme_and_only_in_the_areas():
    stories = pd.DataFrame(
        {"id": ["s1", "s2", "s3"], "area": ["wielwijk", "dordrecht", "crabbehof"]}
    ).assign(change=["beter", "slechter", "gelijk"])
    codes = pd.DataFrame(
        {
            "story_id": ["s1", "s1", "s2", "s3", "s3", None],
            "theme": ["t-veilig", "t-veilig", "t-veilig", "t-ander", "t-onbekend", "t-veilig"],
        }
    )
    by_goal = _stories_by_goal(stories, codes, LINKS, ["wielwijk", "crabbehof"])
    pairs = sorted(zip(by_goal["story_id"], by_goal["goal"], strict=True))
    # s1 once despite two codes; s2 is outside the areas; s3's unknown theme links to nothing
    assert pairs == [("s1", GOAL), ("s3", "og01-woonomgeving")]
    assert set(by_goal.columns) >= {"story_id", "theme", "change", "goal"}


def test_goal_row_counts_series_statuses_and_stories_of_one_goal():
    goal = next(g for g in REG.operational_goals.itertuples(index=False) if g.id == GOAL)
    # wielwijk, oud-krispijn, nieuw-krispijn, crabbehof in that order; "elders" is no indicator
    trends = trends_for(["improving", "improving", "worsening", "insufficient_data"])
    trends = pd.concat(
        [
            trends,
            pd.DataFrame({"indicator": ["elders"], "area": ["wielwijk"], "verdict": ["worsening"]}),
        ]
    )
    progress = pd.DataFrame({"indicator": INDICATORS[0], "area": ["wielwijk", "crabbehof"]}).assign(
        status=["moving_away", "not_assessable"]
    )
    cells = cells_for(trends, progress)
    series = series_directions(cells[cells["area"].isin(_programme_areas(REG))])
    stories, codes = stories_for(["beter", "beter", "beter", "slechter"])
    by_goal = _stories_by_goal(stories, codes, LINKS, ["wielwijk"])
    row = _goal_row(goal, series, by_goal, min_stories=3)
    assert set(row) == set(JOINT_COLUMNS)
    # wielwijk: moving away (progress comes before its improving trend); two trends; none
    directions = ["worsening", "improving", "worsening"]
    assert (row["series"], row["improving"], row["worsening"], row["no_trend"]) == (3, 1, 2, 0)
    assert row["readings"] == "progress=1;trend=2"
    assert (row["n_moving_away"], row["n_on_track"]) == (1, 0)
    assert (row["stories"], row["beter"], row["slechter"]) == (4, 3, 1)
    assert row["themes"] == "t-veilig"
    assert row["numbers_direction"] == numbers_direction(directions)
    assert row["stories_direction"] == stories_direction(["beter", "beter", "beter", "slechter"])
    assert row["meta_inference"] == meta_inference(
        row["numbers_direction"], row["stories_direction"]
    )
    empty = _goal_row(goal, series.iloc[0:0], by_goal.iloc[0:0], 3)
    assert (empty["series"], empty["stories"], empty["themes"]) == (0, 0, "")
    assert empty["meta_inference"] == "no_evidence"


# -- every reading gives a direction (issue 25) ----------------------------------------


def test_every_outcome_of_the_status_matrix_has_a_direction():
    assert set(SERIES_DIRECTIONS) == set(CELL_STYLES)
    for (reading, outcome), direction in SERIES_DIRECTIONS.items():
        grade = CELL_STYLES[(reading, outcome)].grade
        if grade is None or (reading, outcome) == ("progress", "target_reached"):
            # a target reached is a level, not a change: reached and still worsening happens
            assert direction == "insufficient_data", (reading, outcome)
        elif (reading, outcome) == ("progress", "insufficient_progress"):
            assert direction == "improving"  # the right way, too slowly for the target
        else:
            expected = {1: "improving", 2: "improving", 0: "no_significant_trend"}
            assert direction == expected.get(grade, "worsening"), (reading, outcome)


def first_year_tables(indicator: str) -> dict[str, pd.DataFrame]:
    """A programme's first years: every series of the goal too short for a trend
    (``insufficient_data``), one with a change since the baseline, one with a break."""
    areas = ["wielwijk", "crabbehof"]
    trends = pd.DataFrame({"indicator": indicator, "area": areas, "verdict": "insufficient_data"})
    changes = pd.DataFrame({"indicator": [indicator], "area": ["wielwijk"], "verdict": "improving"})
    breaks = pd.DataFrame(
        {
            "indicator": indicator,
            "area": ["crabbehof", "crabbehof"],
            "reading": ["level", "gap"],
            "verdict": ["better_than_trend", "worse_than_trend"],
        }
    )
    return {"trends": trends, "changes": changes, "breaks": breaks}


def test_first_year_the_numbers_rest_on_the_change_and_the_break_not_on_geen_cijfers():
    """Baseline plus one or two measurements: no trend yet, but a change since the
    baseline and a break after the start give the goal its direction, and the row
    names the readings it rests on."""
    tables = first_year_tables(INDICATORS[0])
    stories, codes = stories_for(["beter"] * 4)
    # Before issue 25 only the trend verdicts counted: this goal read "geen cijfers".
    assert numbers_direction(tables["trends"]["verdict"]) == "geen_cijfers"
    cells = cells_for(**tables)
    row = joint_display(REG, cells, stories, codes, LINKS).set_index("goal").loc[GOAL]
    assert row["numbers_direction"] == "verbetering"
    assert (row["series"], row["improving"], row["worsening"]) == (2, 2, 0)
    assert row["readings"] == "change=1;break=1"  # the gap reading of a break never counts
    assert row["meta_inference"] == "convergent"
    worse = tables | {"changes": tables["changes"].assign(verdict="worsening")}
    row = joint_display(REG, cells_for(**worse), stories, codes, LINKS).set_index("goal").loc[GOAL]
    assert (row["numbers_direction"], row["meta_inference"]) == ("gemengd", "expansion")


def test_reading_counts_follow_the_order_of_precedence():
    assert reading_counts([]) == ""
    assert reading_counts(["break", "progress", "break"]) == "progress=1;break=2"
