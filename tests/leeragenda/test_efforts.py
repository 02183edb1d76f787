"""Efforts status (Bijlage 2): the state of every effort in a year, on the fixture agenda.

The fixtures (``agenda``: ``tests/data/agenda``) are in ``conftest.py``.
"""

from __future__ import annotations

import dataclasses

from npdw_learning.leeragenda.efforts import EFFORTS_STATUS_COLUMNS, NOT_RECORDED, efforts_status


def test_efforts_status_latest_year(agenda):
    table = efforts_status(agenda)
    assert list(table.columns) == EFFORTS_STATUS_COLUMNS
    assert table[["id", "year", "status"]].values.tolist() == [
        ["e-buurtbakkies", 2025, "gerealiseerd"],
        ["e-energiecoaches", 2025, "vertraagd"],
        ["e-schoolpleinen", 2025, NOT_RECORDED],
    ]
    assert table["contributes_to"].tolist() == ["gezond;veilig", "wonen;werk", ""]
    assert table["n_results_2026"].tolist() == [2, 1, 0]
    assert table["n_stories"].tolist() == [2, 0, 0]
    assert table["n_indicators"].tolist() == [1, 0, 0]
    assert table["n_research"].tolist() == [1, 0, 0]


def test_efforts_status_given_year(agenda):
    assert efforts_status(agenda, 2024)["status"].tolist() == [
        "in_uitvoering",
        "niet_gestart",
        "in_uitvoering",
    ]
    assert set(efforts_status(agenda, 2023)["status"]) == {NOT_RECORDED}


def test_efforts_status_without_any_status(agenda):
    # loading efforts without any status: test_agenda.py::test_efforts_without_any_status_load
    none_recorded = dataclasses.replace(agenda, efforts_status=agenda.efforts_status.iloc[0:0])
    table = efforts_status(none_recorded)
    assert table["id"].tolist() == agenda.efforts["id"].tolist()
    assert table["year"].isna().all()
    assert set(table["status"]) == {NOT_RECORDED}
