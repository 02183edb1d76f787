"""Short sequential ids for exports without an id column, stable across imports (issue 21,
item 5): ``vt-061`` after the highest number in the folder, and the same row gets the
same id again wherever it stands in the export, without any cache."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import shutil
from pathlib import Path

import pytest
from importrun import VOCAB, run_import

from npdw_learning.vertellen.provenance import FolderIndex, identity, legacy_id, source_hash
from npdw_learning.vertellen.stories import (
    STORIES_DIR,
    parse_story,
)

DATA = Path(__file__).parents[1] / "data"
FORM = DATA / "import_formulier_zonder_id.csv"


def rows_of(path: Path) -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";")
    )


def write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return path


def run(export: Path, out: Path, ps, **kwargs):
    kwargs.setdefault("use_cache", False)  # the ids must not depend on a cache
    return run_import(export, out, ps, **kwargs)


def ids_by_text(out: Path) -> dict[str, str]:
    """Story text (its first 30 characters) -> id, for every story in ``out``."""
    found = {}
    for path in sorted(out.glob("vt-*.md")):
        story = parse_story(path, VOCAB)[0]
        found[story.text[:30]] = story.id
    return found


def test_rows_without_an_id_follow_the_highest_number_in_the_folder(tmp_path, ps):
    out = tmp_path / "stories"
    shutil.copytree(
        STORIES_DIR, out, ignore=shutil.ignore_patterns("coding", "*.yaml", "README.md")
    )
    assert max(p.stem for p in out.glob("vt-*.md")) == "vt-060"
    report = run(write(tmp_path / "e" / "formulier.csv", rows_of(FORM)), out, ps)
    assert report.imported == ("vt-061", "vt-062", "vt-063", "vt-064", "vt-065", "vt-066")
    # in the export's order
    header, *rows = rows_of(FORM)
    for (text, ident), row in zip(
        [(k, v) for k, v in ids_by_text(out).items() if v > "vt-060"], rows, strict=True
    ):
        assert text.split()[0] in row[-1], (ident, text, row)


def test_the_same_row_gets_the_same_id_wherever_it_stands_and_without_the_cache(tmp_path, ps):
    out = tmp_path / "stories"
    header, *rows = rows_of(FORM)
    run(write(tmp_path / "a" / "export.csv", [header, *rows]), out, ps)
    first = ids_by_text(out)
    assert sorted(first.values()) == [f"vt-{n:03d}" for n in range(1, 7)]
    new_a = [
        "1-3-2025 09:00:00",
        "Wielwijk",
        "bewoner",
        "enquete",
        "beter",
        "citeren",
        "Er is een nieuwe speeltuin.",
    ]
    new_b = [
        "10-3-2025 09:00:00",
        "Crabbehof",
        "bewoner",
        "enquete",
        "gelijk",
        "analyse",
        "De bus rijdt minder vaak.",
    ]
    shuffled = rows[:]
    random.Random(21).shuffle(shuffled)
    assert shuffled != rows
    # Another order, a row before, a row in between and after: another file name too.
    again = run(
        write(tmp_path / "b" / "later.csv", [header, new_a, *shuffled[:3], new_b, *shuffled[3:]]),
        out,
        ps,
    )
    assert again.conflicts == () and len(again.unchanged) == 6
    after = ids_by_text(out)
    assert {t: after[t] for t in first} == first
    assert sorted(again.imported) == ["vt-007", "vt-008"]
    assert after["Er is een nieuwe speeltuin."] == "vt-007"  # new rows in the export's order
    # A third time, the story files alone (the cache was never used): nothing changes.
    third = run(write(tmp_path / "b" / "later.csv", [header, new_b, *rows, new_a]), out, ps)
    assert third.imported == () and len(third.unchanged) == 8 and ids_by_text(out) == after


def test_a_second_row_with_the_same_date_area_and_text_is_skipped(tmp_path, ps):
    header, *rows = rows_of(FORM)
    twice = [*rows[0][:4], "beter", *rows[0][5:]]  # another answer, the same story
    report = run(write(tmp_path / "e" / "x.csv", [header, *rows, twice]), tmp_path / "s", ps)
    assert len(report.imported) == 6
    [dup] = report.skipped
    assert (dup.row, dup.column) == (8, "tekst")
    assert "hetzelfde verhaal (datum, wijk en tekst) als" in dup.message and "rij 2" in dup.message


def test_ids_from_an_id_column_raise_the_next_number(tmp_path, ps):
    header, *rows = rows_of(FORM)
    with_ids = [["id", *header], ["70", *rows[0]], ["", *rows[1]], ["abc", *rows[2]]]
    report = run(write(tmp_path / "e" / "x.csv", with_ids), tmp_path / "s", ps)
    assert sorted(report.imported) == ["vt-071", "vt-70", "vt-abc"]


def test_the_folder_index():
    index = FolderIndex()
    for ident in ("vt-009", "vt-1234567890", "vt-abc", "vt-12", "vt-013"):
        index.take(ident)
    # A digits-only hash id of an earlier version is no sequence number.
    assert index.highest == 13 and index.next_id() == "vt-014"
    index.take("vt-015")
    assert index.next_id() == "vt-016"
    index = FolderIndex()
    index.take("vt-999")
    assert index.next_id() == "vt-1000"


def test_the_folder_index_reads_the_record_and_takes_unreadable_files(tmp_path):
    (tmp_path / "vt-004.md").write_text(
        "---\nid: vt-004\nsource_hash: abcdef012345-0123456789ab\n---\ntekst\n", encoding="utf-8"
    )
    (tmp_path / "vt-007.md").write_bytes(b"\xff\xfe kapot")
    (tmp_path / "README.md").write_text("vt-999", encoding="utf-8")
    index = FolderIndex.scan(tmp_path)
    assert index.stories == {"abcdef012345": "vt-004"}
    assert index.highest == 7 and index.next_id() == "vt-008"
    assert FolderIndex.scan(tmp_path / "nog-niet").next_id() == "vt-001"


def test_source_hash_halves():
    import datetime as dt

    row = {"id": "vt-1", "date": dt.date(2025, 3, 3), "area": "wielwijk", "change": "beter"}
    a = source_hash(row, "", "Tekst")
    # The first half is the key of the old hash ids: sha256 of "date|area|raw text".
    assert identity(a) == hashlib.sha256(b"2025-03-03|wielwijk|Tekst").hexdigest()[:12]
    assert legacy_id(a) == "vt-" + identity(a)[:10]
    assert source_hash({**row, "id": "vt-2"}, "", "Tekst") == a  # the id is no content
    for other in (
        source_hash({**row, "change": "slechter"}, "", "Tekst"),
        source_hash(row, "Een titel", "Tekst"),
    ):
        assert identity(other) == identity(a) and other != a
    assert identity(source_hash(row, "", "Tekst.")) != identity(a)


@pytest.mark.parametrize("sep", [";", ","])
def test_ids_do_not_depend_on_the_export_s_layout(tmp_path, ps, sep):
    header, *rows = rows_of(FORM)
    out = io.StringIO()
    csv.writer(out, delimiter=sep).writerows([header, *rows])
    path = tmp_path / "e" / "x.csv"
    path.parent.mkdir()
    path.write_text(out.getvalue(), encoding="cp1252", errors="strict")
    first = run(path, tmp_path / "s", ps)
    assert len(first.imported) == 6
    again = run(write(tmp_path / "e" / "y.csv", [header, *rows]), tmp_path / "s", ps)
    assert len(again.unchanged) == 6 and again.imported == ()
