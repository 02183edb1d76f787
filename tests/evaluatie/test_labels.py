"""Every result code the engines can emit has exactly one Dutch label, and the glossary
lists the same labels (so the report, the matrix legend and the docs cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from npdw_learning.evaluatie import (
    comparison,
    evidence,
    joint,
    labels,
    status,
    views,
    vorigjaar,
    wijktaal,
)
from npdw_learning.leeragenda import agenda
from npdw_learning.leeragenda.efforts import NOT_RECORDED
from npdw_learning.tellen import breaks, changes, progress, trends

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

# Each family's codes, taken from the engine that emits them.
ENGINE_CODES = {
    "trend": trends.VERDICTS,
    "progress": progress.STATUSES,
    "change": changes.CHANGE_VERDICTS,
    "break": breaks.BREAK_VERDICTS,
    # The engine's codes (tellen.comparison), as the report imports them.
    "comparison": comparison.VERDICTS,
    "comparison_method": comparison.METHODS,
    "balance_measure": comparison.MEASURES,
    "no_reading": tuple(o for r, o in status.CELL_STYLES if r == "none"),
    "meta_inference": joint.META_INFERENCES,
    "numbers_direction": joint.NUMBERS_DIRECTIONS,
    "stories_direction": joint.STORIES_DIRECTIONS,
    "evidence": evidence.EVIDENCE,
    "effort_status": (*agenda.EFFORT_STATUSES, NOT_RECORDED),
    "question_status": agenda.QUESTION_STATUSES,
    "change_kind": vorigjaar.KINDS,
}


def test_every_family_of_codes_has_a_label_table():
    assert set(labels.FAMILIES) == set(ENGINE_CODES)


@pytest.mark.parametrize("family", sorted(ENGINE_CODES))
def test_every_code_an_engine_emits_has_exactly_one_label(family):
    codes, named = ENGINE_CODES[family], labels.FAMILIES[family]
    assert len(set(codes)) == len(codes)
    assert set(named) == set(codes)  # no code without a label, no label without a code
    assert all(isinstance(v, str) and v.strip() == v and v for v in named.values())
    # within a family two codes never read the same
    assert len(set(named.values())) == len(named)


def test_the_report_and_the_status_matrix_use_the_same_labels():
    for (reading, outcome), style in status.CELL_STYLES.items():
        family = "no_reading" if reading == "none" else reading
        assert style.label == labels.FAMILIES[family][outcome]
    assert views.cijfers.BREAK_NL is labels.BREAK_NL and views.cijfers.CHANGE_NL is labels.CHANGE_NL


def test_the_residents_wording_keys_off_the_same_codes():
    assert set(wijktaal._READING) <= set(status.CELL_STYLES)
    assert set(wijktaal.STATUS_NL) <= set(agenda.EFFORT_STATUSES)
    assert set(joint._NUMBERS_NL) <= set(joint.NUMBERS_DIRECTIONS)
    assert set(joint._STORIES_NL) <= set(joint.STORIES_DIRECTIONS)


def _glossary_codes() -> set[tuple[str, str, str]]:
    """``(family, code, label)`` of every row of the glossary's result-code table."""
    row = re.compile(r"^\|\s*`(\w+)`\s*\|\s*`(\w+)`\s*\|\s*([^|]+?)\s*\|", re.MULTILINE)
    return set(row.findall(GLOSSARY.read_text(encoding="utf-8")))


def test_the_glossary_lists_every_code_with_its_label():
    expected = {(f, c, label) for f, named in labels.FAMILIES.items() for c, label in named.items()}
    assert _glossary_codes() == expected
