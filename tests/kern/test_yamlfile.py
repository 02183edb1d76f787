"""The shared YAML checker: findings that name file, line and field, on real bad files."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest
import yaml

from npdw_learning.kern import yamlfile
from npdw_learning.kern.errors import Finding
from npdw_learning.kern.yamlfile import (
    ID_PATTERN,
    Spot,
    YamlChecker,
    display_name,
    literal,
    positions,
)

UNITS = """\
units:
  - id: percent
    label: Procent
    kind: rate
  - id: Procent
    label: 5
  - tekst
  - id: percent
    kind: ratio
"""


def _checker(text: str) -> tuple[YamlChecker, dict, list[Finding]]:
    findings: list[Finding] = []
    return (
        YamlChecker("units.yaml", findings, positions(yaml.compose(text))),
        yaml.safe_load(text),
        findings,
    )


def test_doctest_of_the_module():
    failures, attempted = doctest.testmod(yamlfile)
    assert attempted > 0 and failures == 0


def test_entries_keeps_valid_unique_ids_and_reports_the_rest_at_their_line():
    chk, data, findings = _checker(UNITS)
    entries = chk.entries(data, "units", "eenheid")
    assert [(path, where) for path, where, _ in entries] == [(("units", 0), "eenheid 'percent'")]
    assert [(f.row, f.char, f.column, f.message) for f in findings] == [
        (
            5,
            9,
            "id",
            "eenheid nummer 2: id 'Procent' ontbreekt of heeft niet de vorm een slug "
            "(kleine letters, cijfers, - of _)",
        ),
        (7, 5, "units", "eenheid nummer 3: verwacht velden (id, ...)"),
        (8, 9, "id", "eenheid 'percent': id komt twee keer voor (ook op rij 2)"),
    ]
    assert {f.file for f in findings} == {"units.yaml"}
    assert {f.severity for f in findings} == {"error"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("andere: []\n", "de lijst 'units' ontbreekt"),
        ("units: 3\n", "'units' moet een lijst zijn, niet 3"),
        ("units:\n", "de lijst 'units' is leeg; geef minstens één eenheid"),
    ],
)
def test_entries_without_a_list(text, message):
    chk, data, findings = _checker(text)
    assert chk.entries(data, "units", "eenheid", empty=False) == []
    assert [f.message for f in findings] == [message]
    assert findings[0].column == "units"


def test_a_missing_field_is_reported_at_its_entry_a_wrong_one_at_its_own_line():
    chk, data, findings = _checker(UNITS)
    (path, where, unit), *_ = chk.entries(data, "units", "eenheid")
    assert chk.require(unit, path, where, "label", str) == "Procent"
    assert chk.require(unit, path, where, "order", int) is None  # absent: the entry's line
    assert chk.one_of(unit, path, where, "kind", ("rate", "count")) == "rate"
    assert chk.one_of({"kind": "x"}, ("units", 3), "u", "kind", ("rate", "count")) is None
    located = [(f.row, f.char, f.column, f.message) for f in findings[3:]]
    assert located == [
        (2, 5, "order", "eenheid 'percent': veld 'order' ontbreekt"),  # the entry's first key
        (9, 11, "kind", "u: 'kind' is 'x'; toegestaan: rate, count"),  # the value
    ]


@pytest.mark.parametrize(
    ("value", "kind", "ok"),
    [
        (True, bool, True),
        (1, bool, False),
        (True, int, False),  # YAML's true is an int to Python: not accepted as a number
        (3, int, True),
        ("3", int, False),
        ("", str, True),
        (None, str, False),
    ],
)
def test_require_checks_the_type_strictly(value, kind, ok):
    findings: list[Finding] = []
    chk = YamlChecker("f.yaml", findings)
    got = chk.require({"v": value}, ("e", 0), "e[0]", "v", kind)
    assert (got == value if ok else got is None) and (not findings) is ok
    if not ok:
        assert findings[0].row is None  # no line index: still a finding, without a line


def test_line_falls_back_to_the_nearest_enclosing_place():
    chk = YamlChecker("f.yaml", [], positions(yaml.compose("a:\n  b:\n    - 1\n    - 2\n")))
    assert chk.line(("a", "b", 1)) == 4
    assert chk.line(("a", "b", 7, "x")) == 2  # b's line
    assert chk.line(("zz",)) == 1  # the top of the file
    assert YamlChecker("f.yaml", []).line(("a",)) is None


def test_a_value_is_located_at_the_value_a_key_at_the_key():
    text = "a:\n  naam:   'waarde'\n  lijst: [x,  y]\n"
    chk = YamlChecker("f.yaml", [], positions(yaml.compose(text)))
    assert chk.spot(("a", "naam")) == Spot(2, 11)
    assert chk.spot(("a", "naam"), "key") == Spot(2, 3)
    assert chk.spot(("a", "lijst", 1)) == Spot(3, 15)
    assert chk.spot(("a", "ontbreekt")) == Spot(1, 1)  # the key of the mapping around it


def test_columns_count_characters_not_bytes():
    # libyaml (what read_yaml uses) as well as PyYAML: é is two bytes, one column.
    chk, _ = YamlChecker.from_text("a: 'café'\nb: [é, x]\n", "f.yaml")
    assert chk.spot(("b", 1)) == Spot(2, 8)
    assert chk.spot(("a",)) == Spot(1, 4)


def test_literal_shows_outside_text_inert():
    assert literal("=1+1") == "'=1+1'"
    assert literal("a\nb\x1b[2J") == "'a\\nb\\x1b[2J'"
    assert len(literal("x" * 1000)) == 80


def test_error_puts_where_before_the_message():
    findings: list[Finding] = []
    YamlChecker("f.yaml", findings).error(("x",), "aggregate.members", "members", "geen leden")
    assert findings == [
        Finding("error", "f.yaml", "aggregate.members: geen leden", None, "members")
    ]
    assert str(findings[0]) == "FOUT: f.yaml, kolom 'members': aggregate.members: geen leden"


@pytest.mark.parametrize(
    ("content", "message", "row"),
    [
        (None, "bestand ontbreekt", None),
        (b"units:\n  - id: caf\xe9\n", "bestand is niet in UTF-8 opgeslagen", None),
        (b"units:\n  - id: a\n   label: [\n", "geen geldige YAML", 3),
        (b"- a\n- b\n", "verwacht een YAML-mapping bovenaan het bestand", 1),
    ],
)
def test_read_turns_a_bad_file_into_one_finding(tmp_path, content, message, row):
    path = tmp_path / "units.yaml"
    if content is not None:
        path.write_bytes(content)
    findings: list[Finding] = []
    chk, data = YamlChecker.read(path, findings)
    assert data is None
    (finding,) = findings
    assert message in finding.message and finding.row == row
    assert finding.file == chk.file == display_name(path)


def test_read_gives_data_and_lines(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(UNITS, encoding="utf-8")
    findings: list[Finding] = []
    chk, data = YamlChecker.read(path, findings)
    assert findings == [] and data["units"][0]["id"] == "percent"
    assert chk.line(("units", 3, "kind")) == 9


def test_display_name_is_relative_inside_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_name(tmp_path / "data" / "x.yaml") == os.path.join("data", "x.yaml")
    outside = Path("/") / "elders" / "x.yaml"
    assert display_name(outside) == str(outside)


@pytest.mark.parametrize("ident", ["wielwijk", "dordt-west", "per_1000", "og01-woonomgeving"])
def test_id_pattern_accepts_slugs(ident):
    assert ID_PATTERN.match(ident)


@pytest.mark.parametrize("ident", ["Wielwijk", "-a", "a-", "a--b", "a b", "", "é"])
def test_id_pattern_refuses_the_rest(ident):
    assert not ID_PATTERN.match(ident)
