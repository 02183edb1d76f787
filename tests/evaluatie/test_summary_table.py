"""The Samenvatting's story table: stories per pillar, and those not yet sorted into one."""

from __future__ import annotations

import pandas as pd

from npdw_learning.evaluatie.views import UNSORTED, stories_by_pillar
from npdw_learning.kern.registry import load_registry
from npdw_learning.vertellen.analysis import CHANGES, TOTAL, suppress
from npdw_learning.vertellen.stories import STORY_COLUMNS, load_stories

PILLARS = load_registry().pillars


def frame(*groups: tuple[int, tuple[str, ...], str]) -> pd.DataFrame:
    rows = [{"pillars": p, "change": c} for n, p, c in groups for _ in range(n)]
    return pd.DataFrame(rows, columns=["pillars", "change"])


def expected(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Hand counts (pillar id or "" -> change -> n), suppressed like the report does."""
    index = [*PILLARS["id"], ""]
    table = pd.DataFrame(0, index=index, columns=list(CHANGES), dtype="int64")
    for key, row in counts.items():
        for change, n in row.items():
            table.loc[key, change] = n
    table[TOTAL] = table.sum(axis=1)
    return suppress(table)


def test_stories_without_a_pillar_are_counted_as_not_yet_sorted():
    stories = frame(
        (12, ("wonen",), "beter"),
        (6, ("veilig", "wonen"), "slechter"),
        (5, (), "gelijk"),
        (2, (), "beter"),
    )
    table = stories_by_pillar(stories, PILLARS)
    assert list(table["Pijler"]) == [*PILLARS["label"], UNSORTED]
    want = expected(
        {
            "wonen": {"beter": 12, "slechter": 6},
            "veilig": {"slechter": 6},
            "": {"gelijk": 5, "beter": 2},
        }
    )
    assert table[[*CHANGES, TOTAL]].values.tolist() == want.values.tolist()
    last = table.iloc[-1]
    assert last["Pijler"] == UNSORTED and last["beter"] == "<5"  # 2 stories: hidden


def test_a_large_unsorted_group_is_shown_in_full():
    stories = frame((20, ("werk",), "beter"), (9, (), "beter"), (11, (), "slechter"))
    last = stories_by_pillar(stories, PILLARS).iloc[-1]
    assert (last["beter"], last["slechter"], last["gelijk"], last[TOTAL]) == (9, 11, 0, 20)


def test_without_unsorted_stories_the_row_is_zero_and_the_pillars_unchanged():
    stories = load_stories().frame()
    table = stories_by_pillar(stories, PILLARS)
    assert table.iloc[-1][[*CHANGES, TOTAL]].tolist() == [0, 0, 0, 0, 0]
    # The pillar rows count as before: one per (story, pillar).
    exploded = stories.explode("pillars")
    for pillar_id, label in zip(PILLARS["id"], PILLARS["label"], strict=True):
        n = int((exploded["pillars"] == pillar_id).sum())
        shown = table.loc[table["Pijler"] == label, TOTAL].item()
        assert shown == n or (0 < n < 5 and shown == "<5") or shown == "x"


def test_no_stories_at_all():
    table = stories_by_pillar(pd.DataFrame(columns=STORY_COLUMNS), PILLARS)
    assert len(table) == len(PILLARS) + 1
    assert (table[[*CHANGES, TOTAL]] == 0).all().all()


def test_stories_not_in_dutch_without_a_pillar_get_their_own_row():
    from npdw_learning.evaluatie.views import NOT_DUTCH

    stories = frame((6, ("wonen",), "beter"), (5, (), "gelijk"), (6, (), "beter"))
    stories["language"] = ["nl"] * 11 + ["en"] * 6
    table = stories_by_pillar(stories, PILLARS)
    assert list(table["Pijler"]) == [*PILLARS["label"], UNSORTED, NOT_DUTCH]
    assert table.iloc[-2]["gelijk"] == 5 and table.iloc[-1]["beter"] == 6
    # Without a story in another language the table is as before.
    stories["language"] = "nl"
    assert list(stories_by_pillar(stories, PILLARS)["Pijler"]) == [*PILLARS["label"], UNSORTED]
