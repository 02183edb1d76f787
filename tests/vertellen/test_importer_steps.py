"""The named steps of the story import: the mapping file, the cache, writing, the report."""

from __future__ import annotations

import sqlite3

import pytest

from npdw_learning.kern.errors import Finding, InputError
from npdw_learning.vertellen import importer as imp
from npdw_learning.vertellen.pillar_review import Proposal
from npdw_learning.vertellen.placement import Placed
from npdw_learning.vertellen.pseudonymise import PLACEHOLDER_TYPES

# -- the mapping file ------------------------------------------------------------------


def mapping_error(path) -> Finding:
    with pytest.raises(InputError) as info:
        imp._read_mapping_yaml(path)
    (finding,) = info.value.findings
    assert finding.file == str(path) and finding.severity == "error"
    assert "het mappingbestand is ongeldig" in str(info.value)
    return finding


def test_mapping_yaml_that_cannot_be_read(tmp_path):
    assert "bestaat niet" in mapping_error(tmp_path / "geen.yaml").message
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("columns:\n  Wijk: wijk\n  Caf\xe9: tekst\n".encode("latin-1"))
    assert "UTF-8" in mapping_error(latin1).message
    broken = tmp_path / "kapot.yaml"
    broken.write_text("columns:\n  Datum: datum\n  - tekst\n", encoding="utf-8")
    finding = mapping_error(broken)
    assert finding.message.startswith("geen geldige YAML") and finding.row == 3
    a_list = tmp_path / "lijst.yaml"
    a_list.write_text("- datum\n- wijk\n", encoding="utf-8")
    assert "'columns:'" in mapping_error(a_list).message


def test_mapping_yaml_returns_the_top_level_mapping(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("columns:\n  Datum: datum\nvalues: {}\n", encoding="utf-8")
    assert imp._read_mapping_yaml(path) == {"columns": {"Datum": "datum"}, "values": {}}


def test_mapping_columns_accept_dutch_and_english_targets():
    findings: list[Finding] = []
    columns = imp._mapping_columns(
        {" Datum gesprek ": "date", "In welke wijk woont U?": "wijk"}, "m.yaml", findings
    )
    assert findings == []
    assert columns == {"datum gesprek": "datum", "in welke wijk woont u?": "wijk"}


def test_mapping_columns_name_every_bad_header():
    findings: list[Finding] = []
    raw = {"Dag": "dag", "Datum": "datum", "Datum 2": "date", "Lijst": ["tekst"], "Wijk": "wijk"}
    columns = imp._mapping_columns(raw, "m.yaml", findings)
    assert columns == {"datum": "datum", "wijk": "wijk"}  # the good ones are still read
    assert [(f.column, f.file) for f in findings] == [
        ("Dag", "m.yaml"),
        ("Datum 2", "m.yaml"),
        ("Lijst", "m.yaml"),
    ]
    assert "onbekend veld 'dag'" in findings[0].message
    assert findings[1].message == "'Datum 2' en 'Datum' verwijzen allebei naar 'datum'"
    assert "onbekend veld ['tekst']" in findings[2].message


@pytest.mark.parametrize("raw", [None, {}, ["datum"], "datum"])
def test_mapping_columns_missing_or_not_a_mapping(raw):
    findings: list[Finding] = []
    assert imp._mapping_columns(raw, "m.yaml", findings) == {}
    (finding,) = findings
    assert "'columns' moet kopjes aan velden koppelen" in finding.message


def test_mapping_values_normalise_the_answers():
    findings: list[Finding] = []
    values = imp._mapping_values(
        {"wijk": {"Krispijn  Oost": "oud-krispijn"}, "consent": {"Ja": "citeren", "Nee": 0}},
        "m.yaml",
        findings,
    )
    assert findings == []
    assert values == {
        "area": {"krispijn-oost": "oud-krispijn"},
        "consent": {"ja": "citeren", "nee": "0"},
    }


def test_mapping_values_name_every_problem():
    findings: list[Finding] = []
    values = imp._mapping_values(
        {"buurt": {"a": "b"}, "wijk": ["oud-krispijn"], "kanaal": {"x": {"y": 1}}, "tekst": {}},
        "m.yaml",
        findings,
    )
    assert values == {"text": {}}
    messages = [f.message for f in findings]
    assert "onbekend veld 'buurt'" in messages[0]
    assert messages[1].startswith("'values.wijk' moet antwoorden aan waarden koppelen")
    assert messages[2].startswith("'values.kanaal' moet antwoorden aan waarden koppelen")
    findings.clear()
    assert imp._mapping_values(["wijk"], "m.yaml", findings) == {}
    assert [f.message for f in findings] == ["'values' moet per veld antwoorden omzetten"]


def test_load_mapping_collects_the_problems_of_every_part(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        "kolommen: {}\ncolumns:\n  Dag: dag\nvalues:\n  buurt: {a: b}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        imp._load_mapping(path)
    messages = [f.message for f in info.value.findings]
    assert len(messages) == 3
    assert "onbekende sleutel 'kolommen'" in messages[0]
    assert "onbekend veld 'dag'" in messages[1]
    assert "onbekend veld 'buurt'" in messages[2]
    assert imp._load_mapping(None) == imp._Mapping({}, {})


# -- the cache, writing and the report ---------------------------------------------------


def test_require_file(tmp_path):
    for missing in (tmp_path / "geen.csv", tmp_path):  # a folder is not an export either
        with pytest.raises(InputError, match="bestand niet gevonden") as info:
            imp._require_file(missing)
        assert info.value.findings[0].file == str(missing)
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    imp._require_file(tmp_path / "a.csv")


def test_open_cache_where_and_whether(tmp_path):
    assert imp._open_cache(tmp_path, use_cache=True).path == tmp_path / "pseudonymise.sqlite3"
    assert imp._open_cache(None, use_cache=True).path.parent == imp.DEFAULT_CACHE_DIR
    off = imp._open_cache(tmp_path, use_cache=False)
    assert off.path is None
    off.put("k", {"parts": ["a"], "counts": {}})
    off.save()
    assert list(tmp_path.iterdir()) == []  # stores nothing


def test_write_placed_writes_the_stories_then_the_cache(tmp_path):
    cache = imp._open_cache(tmp_path / "cache", use_cache=True)
    cache.put("k1", {"file": "abc"})
    placed = Placed(to_write=[(tmp_path / "out" / "vt-1.md", "---\nid: vt-1\n---\ntekst\n")])
    imp._write_placed(placed, cache, None)
    assert (tmp_path / "out" / "vt-1.md").read_text(encoding="utf-8").endswith("tekst\n")
    with sqlite3.connect(tmp_path / "cache" / "pseudonymise.sqlite3") as con:
        assert con.execute("SELECT key FROM entries").fetchall() == [("k1",)]


def test_import_report_orders_the_replacements_known_types_first(tmp_path):
    skipped = [Finding("error", "f.csv", "geen toestemming", row=3)]
    warned = [Finding("warning", "f.csv", "kolom genegeerd")]
    placed = Placed(
        imported=["vt-1"],
        unchanged=["vt-2"],
        warnings=[Finding("warning", "f.csv", "geen pijler", row=2)],
        proposed=[Proposal("vt-1", ("veilig",), 2, "Het plein …")],
        totals={"ZZZ": 1, "AAA": 2, PLACEHOLDER_TYPES[1]: 3, PLACEHOLDER_TYPES[0]: 4},
    )
    report = imp._import_report("f.csv", tmp_path, 4, skipped, warned, placed, hits=2)
    assert list(report.replacements) == [PLACEHOLDER_TYPES[0], PLACEHOLDER_TYPES[1], "AAA", "ZZZ"]
    assert report.replacements[PLACEHOLDER_TYPES[0]] == 4
    assert report.imported == ("vt-1",) and report.unchanged == ("vt-2",)
    assert report.skipped == tuple(skipped) and report.skipped_rows == 1
    assert [f.message for f in report.warnings] == ["kolom genegeerd", "geen pijler"]
    assert report.cache_hits == 2 and report.rows_read == 4
    assert report.out_dir == str(tmp_path)
    assert report.proposed == (Proposal("vt-1", ("veilig",), 2, "Het plein …"),)
