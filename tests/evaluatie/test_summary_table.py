"""The Samenvatting's story table: stories per pillar, and those not yet sorted into one."""

from __future__ import annotations

import pandas as pd

from npdw_learning.evaluatie.views import PROPOSED, UNSORTED, stories_by_pillar
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.analysis import CHANGES, TOTAL, suppress
from npdw_learning.vertellen.stories import STORY_COLUMNS, stories_in

PILLARS = ProgrammeFolder.bundled().registry.pillars


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
    stories = stories_in(ProgrammeFolder.bundled()).frame()
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


# -- proposed pillars nobody reviewed yet (pillars_source: auto) ----------------------------


def with_source(*groups: tuple[int, tuple[str, ...], str, str | None]) -> pd.DataFrame:
    rows = [
        {"pillars": p, "change": c, "pillars_source": s} for n, p, c, s in groups for _ in range(n)
    ]
    return pd.DataFrame(rows, columns=["pillars", "change", "pillars_source"])


def test_proposed_pillars_count_apart_not_at_their_pillar():
    stories = with_source(
        (12, ("wonen",), "beter", None),
        (7, ("wonen",), "slechter", "auto"),  # proposed, not reviewed
        (5, ("wonen", "veilig"), "beter", "auto"),  # two proposed pillars: counted once
        (5, (), "gelijk", "auto"),  # nothing proposed: not yet sorted
        (6, ("veilig",), "gelijk", None),
    )
    table = stories_by_pillar(stories, PILLARS)
    assert list(table["Pijler"]) == [*PILLARS["label"], PROPOSED, UNSORTED]
    index = [*PILLARS["id"], "~", ""]
    hand = pd.DataFrame(0, index=index, columns=list(CHANGES), dtype="int64")
    hand.loc["wonen", "beter"] = 12
    hand.loc["veilig", "gelijk"] = 6
    hand.loc["~", "slechter"] = 7
    hand.loc["~", "beter"] = 5
    hand.loc["", "gelijk"] = 5
    hand[TOTAL] = hand.sum(axis=1)
    assert table[[*CHANGES, TOTAL]].values.tolist() == suppress(hand).values.tolist()
    shown = table.set_index("Pijler")
    assert shown.loc["Wonen en fysieke leefomgeving", TOTAL] == 12  # the 12 proposals not in it
    assert shown.loc[PROPOSED, TOTAL] == 12 and shown.loc[UNSORTED, TOTAL] == 5


def test_reviewed_pillars_count_at_their_pillar_again():
    before = with_source((9, ("werk",), "beter", "auto"), (6, ("werk",), "slechter", None))
    after = before.assign(pillars_source=None)
    werk = PILLARS.loc[PILLARS["id"] == "werk", "label"].item()
    assert stories_by_pillar(before, PILLARS).set_index("Pijler").loc[werk, TOTAL] == 6
    table = stories_by_pillar(after, PILLARS)
    assert PROPOSED not in set(table["Pijler"])
    assert table.set_index("Pijler").loc[werk, TOTAL] == 15


def test_the_bundled_stories_have_no_unreviewed_proposals_so_the_table_is_as_before():
    stories = stories_in(ProgrammeFolder.bundled()).frame()
    assert set(stories["pillars_source"].dropna()) == set()
    table = stories_by_pillar(stories, PILLARS)
    assert PROPOSED not in set(table["Pijler"])
    assert table.equals(stories_by_pillar(stories.drop(columns="pillars_source"), PILLARS))
