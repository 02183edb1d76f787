"""Over-asking: research activities and story moments per area and quarter, counted by hand.

The fixtures (``agenda`` and ``collection``: ``tests/data/agenda``) are in ``conftest.py``.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from npdw_learning.leeragenda.overasking import OVERASKING_COLUMNS, overasking, overasking_findings

# Counted by hand from tests/data/agenda (threshold 3):
# r-enquete   bewoners, wielwijk+crabbehof, 2025-03 .. 2025-07-15  -> Q1, Q2, Q3
# r-actieonderzoek ouders, oud-krispijn, 2025 .. 2025               -> Q1 .. Q4
# r-netwerk   professionals only                                    -> not counted
# r-citizen   jongeren, dordt-west (= the four), 2025-08-01 .. ?    -> Q3 only (warning)
# r-pilot     sleutelfiguren, start onbekend                         -> not placed (warning)
# stories: wielwijk 2025-07-03 buurtbakkie (x2 = 1 moment), 2025-07-03 interview,
#          2025-09-10 buurtbakkie -> 3 moments in Q3; crabbehof 2025-05-01 enquete -> Q2
EXPECTED = [
    ("oud-krispijn", "2025Q1", 1, 0),
    ("oud-krispijn", "2025Q2", 1, 0),
    ("oud-krispijn", "2025Q3", 2, 0),
    ("oud-krispijn", "2025Q4", 1, 0),
    ("nieuw-krispijn", "2025Q3", 1, 0),
    ("wielwijk", "2025Q1", 1, 0),
    ("wielwijk", "2025Q2", 1, 0),
    ("wielwijk", "2025Q3", 2, 3),
    ("crabbehof", "2025Q1", 1, 0),
    ("crabbehof", "2025Q2", 1, 1),
    ("crabbehof", "2025Q3", 2, 0),
]


def test_overasking_hand_counted(agenda, collection):
    table = overasking(agenda, collection.frame())
    assert list(table.columns) == OVERASKING_COLUMNS
    expected = pd.DataFrame(EXPECTED, columns=["area", "quarter", "research", "story_moments"])
    expected["total"] = expected["research"] + expected["story_moments"]
    expected["threshold"] = 3
    expected["flagged"] = expected["total"] > 3
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert table.loc[table["flagged"], ["area", "quarter"]].values.tolist() == [
        ["wielwijk", "2025Q3"]
    ]


def test_overasking_threshold_override_and_no_stories(agenda):
    table = overasking(agenda, None, threshold=1)
    assert set(table["story_moments"]) == {0}
    flagged = table.loc[table["flagged"], ["area", "quarter"]].values.tolist()
    assert flagged == [
        ["oud-krispijn", "2025Q3"],
        ["wielwijk", "2025Q3"],
        ["crabbehof", "2025Q3"],
    ]
    assert set(table["threshold"]) == {1}


def test_overasking_counts_an_activity_once_per_area(agenda):
    # listing Dordt West and one of its neighbourhoods does not count twice there
    research = agenda.research.copy()
    citizen = research.index[research["id"] == "r-citizen"][0]
    research.at[citizen, "areas"] = ["dordt-west", "wielwijk"]
    table = overasking(dataclasses.replace(agenda, research=research), None)
    table = table.set_index(["area", "quarter"])
    assert table.loc[("wielwijk", "2025Q3"), "research"] == 2


def test_overasking_stories_frame_checks(agenda):
    empty = pd.DataFrame(columns=["id", "date", "area", "channel"])
    assert overasking(agenda, empty)["story_moments"].sum() == 0
    with pytest.raises(ValueError, match="channel"):
        overasking(agenda, pd.DataFrame({"id": ["a"], "date": ["2025-01-01"], "area": ["x"]}))


def test_overasking_findings(agenda, collection):
    findings = overasking_findings(agenda, collection.frame())
    assert all(f.severity == "warning" for f in findings)
    assert len(findings) == 3
    unknown_end, unknown_start, flag = findings
    assert "r-citizen" in unknown_end.message and "startkwartaal 2025Q3" in unknown_end.message
    assert unknown_end.column == "end"
    assert "r-pilot" in unknown_start.message and "telt niet mee" in unknown_start.message
    assert flag.area == "wielwijk" and flag.year == 2025
    assert flag.message.startswith("Wielwijk 2025Q3: bewoners worden 5 keer gevraagd")
    for counted in ("r-enquete", "r-citizen", "2025-07-03 buurtbakkie", "2025-07-03 interview"):
        assert counted in flag.message
    assert "r-netwerk" not in flag.message
    assert flag.file.endswith("research.yaml")
