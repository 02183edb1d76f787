"""The joint display: every meta-inference label on a constructed case."""

from __future__ import annotations

import pandas as pd
import pytest

from npdw_learning.evaluatie.joint import (
    JOINT_COLUMNS,
    META_INFERENCES,
    _goal_row,
    _programme_areas,
    _stories_by_goal,
    add_quotes,
    joint_display,
    meta_inference,
    numbers_direction,
    proposed_learning_questions,
    publishable,
    stories_direction,
)
from npdw_learning.kern.programme import ProgrammeFolder

REG = ProgrammeFolder.bundled().registry
# og37 is measured by indicators; og39 has none. Themes are made up for the test.
GOAL = "og37-misdrijven"
LINKS = pd.DataFrame({"theme": ["t-veilig", "t-ander"], "goal": [GOAL, "og01-woonomgeving"]})
INDICATORS = list(REG.operational_goals.set_index("id").loc[GOAL, "indicators"])


def trends_for(verdicts: list[str], area: str = "wielwijk") -> pd.DataFrame:
    """One row per verdict on the goal's indicators, in one area or spread over four."""
    areas = ["oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof"]
    rows = [
        {
            "indicator": INDICATORS[i % len(INDICATORS)],
            "area": areas[i % 4] if area == "spread" else area,
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
    progress = pd.DataFrame(columns=["indicator", "area", "status"])
    table = joint_display(REG, trends, progress, stories, codes, LINKS, **kw)
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
        ["improving", "improving", "worsening", "no_significant_trend", "insufficient_data"],
        ["beter", "beter", "slechter", "gemengd"],
    )
    assert (row["series"], row["improving"], row["worsening"], row["no_trend"]) == (4, 2, 1, 1)
    assert row["numbers_direction"] == "verbetering"
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
    empty = pd.DataFrame(columns=["indicator", "area", "verdict", "status"])
    table = joint_display(REG, empty, empty, stories, codes, links).set_index("goal")
    assert table.loc[GOAL, "stories"] == 1
    assert table.loc[GOAL, "themes"] == "t-veilig;t-veilig2"


def test_areas_outside_the_selection_do_not_count():
    trends = trends_for(["worsening"], area="wielwijk")
    stories, codes = stories_for(["beter"] * 3, area="wielwijk")
    empty = pd.DataFrame(columns=["indicator", "area", "status"])
    table = joint_display(REG, trends, empty, stories, codes, LINKS, areas=["crabbehof"])
    assert table.set_index("goal").loc[GOAL, "meta_inference"] == "no_evidence"
    # The reference and the aggregate never count by default (no double counting).
    ref = trends_for(["worsening"], area="dordrecht")
    agg = trends_for(["worsening"], area="dordt-west")
    table = joint_display(REG, pd.concat([ref, agg]), empty, stories, codes, LINKS)
    assert table.set_index("goal").loc[GOAL, "numbers_direction"] == "geen_cijfers"


def test_joint_display_has_one_row_per_goal_in_registry_order():
    empty = pd.DataFrame(columns=["indicator", "area", "verdict", "status"])
    stories, codes = stories_for([])
    table = joint_display(REG, empty, empty, stories, codes, LINKS)
    assert list(table.columns) == JOINT_COLUMNS
    assert table["goal"].tolist() == REG.operational_goals["id"].tolist()
    assert set(table["meta_inference"]) == {"no_evidence"}


def test_progress_statuses_are_counted():
    trends = trends_for(["improving", "improving"], area="spread")
    progress = trends.assign(status=["on_track", "moving_away"]).drop(columns="verdict")
    stories, codes = stories_for([])
    row = joint_display(REG, trends, progress, stories, codes, LINKS).set_index("goal").loc[GOAL]
    assert (row["n_on_track"], row["n_moving_away"], row["n_target_reached"]) == (1, 1, 0)


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
    trends = trends_for(["improving", "improving", "worsening", "insufficient_data"])
    trends = pd.concat(
        [
            trends,
            pd.DataFrame({"indicator": ["elders"], "area": ["wielwijk"], "verdict": ["worsening"]}),
        ]
    )
    progress = pd.DataFrame(
        {"indicator": [INDICATORS[0], INDICATORS[0]], "area": "wielwijk"}
    ).assign(status=["on_track", "not_assessable"])
    stories, codes = stories_for(["beter", "beter", "beter", "slechter"])
    by_goal = _stories_by_goal(stories, codes, LINKS, ["wielwijk"])
    row = _goal_row(goal, trends, progress, by_goal, min_stories=3)
    assert set(row) == set(JOINT_COLUMNS)
    assert (row["series"], row["improving"], row["worsening"], row["no_trend"]) == (3, 2, 1, 0)
    assert row["n_on_track"] == 1
    assert (row["stories"], row["beter"], row["slechter"]) == (4, 3, 1)
    assert row["themes"] == "t-veilig"
    assert row["numbers_direction"] == numbers_direction(["improving", "improving", "worsening"])
    assert row["stories_direction"] == stories_direction(["beter", "beter", "beter", "slechter"])
    assert row["meta_inference"] == meta_inference(
        row["numbers_direction"], row["stories_direction"]
    )
    empty = _goal_row(goal, trends.iloc[0:0], progress.iloc[0:0], by_goal.iloc[0:0], 3)
    assert (empty["series"], empty["stories"], empty["themes"]) == (0, 0, "")
    assert empty["meta_inference"] == "no_evidence"
