"""The named steps of the story import: the cache, writing, the report (the mapping file:
test_mapping.py)."""

from __future__ import annotations

import sqlite3

import pytest

from npdw_learning.kern.errors import Finding, InputError
from npdw_learning.vertellen import cache as import_cache
from npdw_learning.vertellen import importer as imp
from npdw_learning.vertellen.pillar_review import Proposal
from npdw_learning.vertellen.placement import Placed
from npdw_learning.vertellen.pseudonymise import PLACEHOLDER_TYPES

# -- the cache, writing and the report ---------------------------------------------------


def test_require_file(tmp_path):
    for missing in (tmp_path / "geen.csv", tmp_path):  # a folder is not an export either
        with pytest.raises(InputError, match="bestand niet gevonden") as info:
            imp._require_file(missing)
        assert info.value.findings[0].file == str(missing)
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    imp._require_file(tmp_path / "a.csv")


def test_open_cache_where_and_whether(tmp_path):
    assert (
        import_cache.open_cache(tmp_path, use_cache=True).path == tmp_path / "pseudonymise.sqlite3"
    )
    assert (
        import_cache.open_cache(None, use_cache=True).path.parent == import_cache.DEFAULT_CACHE_DIR
    )
    off = import_cache.open_cache(tmp_path, use_cache=False)
    assert off.path is None
    off.put("k", {"parts": ["a"], "counts": {}})
    off.save()
    assert list(tmp_path.iterdir()) == []  # stores nothing


def test_write_placed_writes_the_stories_then_the_cache(tmp_path):
    cache = import_cache.open_cache(tmp_path / "cache", use_cache=True)
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
