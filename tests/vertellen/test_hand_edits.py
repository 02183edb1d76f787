"""Hand corrections survive a new import (issue 21, item 2).

The intern's day: import a form export, correct a leftover detail in a story
file by hand, import the same export again with new rows added. The
correction stays (no conflict, exit 0); a row that changed in the export
since is a conflict naming the export's row and the file, which
``--overwrite-hand-edits ID`` resolves. Files of earlier versions (without
``source_hash``/``written_hash``), the bundled ones among them, keep working.

Every name and number in the exports is fictional.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from importrun import VOCAB, run

from npdw_learning.vertellen import cache as import_cache
from npdw_learning.vertellen.provenance import changed_by_hand, written_hash
from npdw_learning.vertellen.pseudonymise import Pseudonymiser
from npdw_learning.vertellen.stories import (
    STORIES_DIR,
    load_stories,
    parse_story,
    render_story,
)

DATA = Path(__file__).parents[1] / "data"
FORM = DATA / "import_formulier_zonder_id.csv"  # no id column, no pillars: Dutch Excel CSV
WITH_IDS = DATA / "import_verhalen.csv"
NEW_FIRST = ["2-3-2025 08:00:00", "Oud-Krispijn", "bewoner", "enquete", "beter", "citeren"]
NEW_LAST = ["9-3-2025 19:45:10", "Wielwijk", "professional", "enquete", "gelijk", "analyse"]


def read_form(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def write_form(path: Path, rows: list[list[str]]) -> Path:
    """As Dutch Excel saves it: semicolons, CRLF, a byte-order mark."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return path


def grown(tmp_path: Path) -> Path:
    """The form export with a new row before the first and one after the last."""
    header, *rows = read_form(FORM)
    first = [*NEW_FIRST, "Op het plein staan nieuwe bankjes en er is meer groen gekomen."]
    last = [*NEW_LAST, "De wachtlijst voor schuldhulp is nog steeds lang."]
    return write_form(tmp_path / "export" / "formulier.csv", [header, first, *rows, last])


@pytest.fixture
def form(tmp_path: Path) -> Path:
    (tmp_path / "export").mkdir()
    return write_form(tmp_path / "export" / "formulier.csv", read_form(FORM))


def correct(path: Path, old: str, new: str) -> bytes:
    """What the intern does in an editor: replace a leftover detail, save."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path.read_bytes()


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


# -- the record --------------------------------------------------------------------------


def test_every_imported_file_records_its_row_and_what_was_written(form, tmp_path, ps):
    report = run(form, tmp_path, ps)
    assert report.imported == tuple(f"vt-{n:03d}" for n in range(1, 7))
    for path in sorted((tmp_path / "stories").glob("*.md")):
        story = parse_story(path, VOCAB)[0]
        assert re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]{12}", story.source_hash)
        assert story.written_hash == written_hash(story) and changed_by_hand(story) is False
        head = path.read_text(encoding="utf-8").split("\n---\n")[0]
        assert head.endswith(
            f"source_hash: {story.source_hash}\nwritten_hash: {story.written_hash}"
        )
    # The record holds no text of the export: nothing of a raw answer is in any file.
    for data in files(tmp_path / "stories").values():
        assert b"06-11223344" not in data and b"Jansen" not in data
        assert b"k.devries@voorbeeld.example" not in data


def test_a_changed_word_is_a_change_by_hand_a_line_end_or_yaml_layout_is_not(form, tmp_path, ps):
    run(form, tmp_path, ps)
    path = tmp_path / "stories" / "vt-004.md"
    story = parse_story(path, VOCAB)[0]
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    flow = crlf.replace(b"pillars:\r\n- wonen\r\n", b"pillars: [wonen]\r\n")
    assert flow != crlf
    path.write_bytes(flow)
    assert changed_by_hand(parse_story(path, VOCAB)[0]) is False
    again = run(form, tmp_path, ps, use_cache=False)
    assert "vt-004" in again.unchanged and again.kept == () and path.read_bytes() == flow
    path.write_bytes(flow.replace(b"schimmel", b"vocht"))
    assert changed_by_hand(parse_story(path, VOCAB)[0]) is True
    assert changed_by_hand(dataclasses.replace(story, source_hash=None)) is None


# -- the intern's day ----------------------------------------------------------------------


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_hand_corrected_story_survives_a_second_import_with_new_rows(
    form, tmp_path, ps, use_cache
):
    run(form, tmp_path, ps)
    target = tmp_path / "stories" / "vt-001.md"
    corrected = correct(target, "bij de flat van mevrouw [PERSOON-1] en", "bij de flat en")
    before = files(tmp_path / "stories")
    if not use_cache:
        shutil.rmtree(tmp_path / "cache")
    again = run(grown(tmp_path), tmp_path, ps, use_cache=use_cache)
    assert again.ok and again.conflicts == ()
    assert target.read_bytes() == corrected
    assert again.kept == ("vt-001",)
    assert sorted(again.unchanged) == [f"vt-{n:03d}" for n in range(2, 7)]
    assert again.imported == ("vt-007", "vt-008")  # the new rows: the next numbers
    after = files(tmp_path / "stories")
    assert {k: v for k, v in after.items() if k in before} == before
    lines = again.lines()
    assert any(line.startswith("Aangepast sinds de import") and "vt-001" in line for line in lines)
    assert "1 aangepast sinds de import en bewaard" in lines[-2]


def test_a_changed_row_against_a_hand_corrected_file_is_a_conflict_naming_both(tmp_path, ps):
    export = tmp_path / "export" / "verhalen.csv"
    export.parent.mkdir()
    shutil.copyfile(WITH_IDS, export)
    run(export, tmp_path, ps)
    target = tmp_path / "stories" / "vt-102.md"
    corrected = correct(target, "[PERSOON-1] van Trivire", "iemand van Trivire")
    text = export.read_text(encoding="utf-8").replace(
        "14-04-2025,Oud-Krispijn,professional,wijkbijeenkomst,wonen,gemengd,analyse",
        "14-04-2025,Oud-Krispijn,professional,wijkbijeenkomst,wonen,slechter,analyse",
    )
    export.write_text(text, encoding="utf-8")
    again = run(export, tmp_path, ps)
    assert not again.ok and target.read_bytes() == corrected
    [conflict] = again.conflicts
    assert (conflict.file, conflict.row, conflict.column) == (str(export), 3, "id")
    assert str(target) in conflict.message
    assert "met de hand aangepast" in conflict.message
    assert "verandering: in de export 'slechter', in het bestand 'gemengd'" in conflict.message
    assert "--overwrite-hand-edits vt-102" in conflict.message
    assert len(again.unchanged) == 4  # the other rows are fine


def test_overwrite_hand_edits_replaces_only_the_named_files(tmp_path, form, ps):
    run(form, tmp_path, ps)
    stories = tmp_path / "stories"
    fresh = files(stories)
    correct(stories / "vt-001.md", "mevrouw [PERSOON-1]", "een buurvrouw")
    kept = correct(stories / "vt-003.md", "leerwerkplek", "werkplek")
    rows = read_form(form)
    rows[1][5] = "analyse"  # vt-001's consent changed in the export
    write_form(form, rows)
    refused = run(form, tmp_path, ps)
    assert [f.row for f in refused.conflicts] == [2] and refused.conflicts[0].column is None
    assert "toestemming: in de export 'analyse', in het bestand 'citeren'" in (
        refused.conflicts[0].message
    )
    again = run(form, tmp_path, ps, overwrite_hand_edits=["vt-001", "vt-099"])
    assert again.ok and again.overwritten == ("vt-001",) and again.kept == ("vt-003",)
    story = parse_story(stories / "vt-001.md", VOCAB)[0]
    assert story.consent == "analyse" and "mevrouw [PERSOON-1]" in story.text
    assert (stories / "vt-003.md").read_bytes() == kept
    assert files(stories)["vt-002.md"] == fresh["vt-002.md"]
    [unused] = [w for w in again.warnings if "--overwrite-hand-edits" in w.message]
    assert "vt-099" in unused.message and "vt-001" not in unused.message
    # The same row again, corrected by hand, named: the import's text comes back.
    correct(stories / "vt-001.md", "mevrouw [PERSOON-1]", "een buurvrouw")
    back = run(form, tmp_path, ps, overwrite_hand_edits=["vt-001"])
    assert back.overwritten == ("vt-001",) and "mevrouw [PERSOON-1]" in (
        stories / "vt-001.md"
    ).read_text(encoding="utf-8")


def test_a_changed_row_against_a_file_not_changed_by_hand_is_still_a_conflict(tmp_path, ps):
    export = tmp_path / "export" / "verhalen.csv"
    export.parent.mkdir()
    shutil.copyfile(WITH_IDS, export)
    run(export, tmp_path, ps)
    target = tmp_path / "stories" / "vt-104.md"
    before = target.read_bytes()
    text = export.read_text(encoding="utf-8").replace(
        ",gezond,slechter,citeren,", ",gezond,slechter,analyse,"
    )
    export.write_text(text, encoding="utf-8")
    for overwrite in ([], ["vt-104"]):  # not changed by hand: the option does not apply
        again = run(export, tmp_path, ps, overwrite_hand_edits=overwrite)
        [conflict] = again.conflicts
        assert conflict.row == 5 and target.read_bytes() == before
        assert "komt uit een andere rij: deze rij, maar met andere gegevens" in conflict.message
        assert "verwijder dan vt-104.md" in conflict.message


class _Upper(Pseudonymiser):
    """A pseudonymiser of another version that writes another text."""

    def __init__(self, allowlist) -> None:
        super().__init__(allowlist)
        self.version += "+anders"

    def pseudonymise_parts(self, parts, language="nl"):
        out, counts = super().pseudonymise_parts(parts, language)
        return tuple(p.replace("lawaai", "herrie") for p in out), counts


def test_a_better_pseudonymiser_updates_the_files_nobody_changed(form, tmp_path, ps):
    run(form, tmp_path, ps)
    corrected = correct(tmp_path / "stories" / "vt-004.md", "schimmel", "vocht")
    again = run(form, tmp_path, _Upper(VOCAB.allowlist))
    assert again.updated == ("vt-001",) and again.kept == ("vt-004",)
    assert "herrie" in (tmp_path / "stories" / "vt-001.md").read_text(encoding="utf-8")
    assert (tmp_path / "stories" / "vt-004.md").read_bytes() == corrected
    assert "1 bijgewerkt" in again.lines()[-2]


def test_a_broken_story_file_is_a_conflict_and_can_be_replaced(form, tmp_path, ps):
    run(form, tmp_path, ps)
    target = tmp_path / "stories" / "vt-002.md"
    broken = correct(target, "consent: analyse", "consent: misschien")
    again = run(form, tmp_path, ps)
    [conflict] = again.conflicts
    assert "bestaat al maar is geen geldig verhaal" in conflict.message
    assert "'misschien'" in conflict.message and target.read_bytes() == broken
    fixed = run(form, tmp_path, ps, overwrite_hand_edits=["vt-002"])
    assert fixed.overwritten == ("vt-002",) and parse_story(target, VOCAB)[0] is not None


# -- files of earlier versions -------------------------------------------------------------


def without_record(data: bytes) -> bytes:
    return re.sub(rb"source_hash: .*\n|written_hash: .*\n", b"", data)


@pytest.mark.slow
def test_the_bundled_stories_carry_the_record_and_old_copies_still_reimport(tmp_path, ps):
    shipped = {p.name: p.read_bytes() for p in STORIES_DIR.glob("vt-*.md")}
    assert len(shipped) == 60
    assert all(b"\nsource_hash: " in d and b"\nwritten_hash: " in d for d in shipped.values())
    assert all(changed_by_hand(s) is False for s in load_stories(STORIES_DIR, VOCAB).stories)
    old = tmp_path / "oud"
    old.mkdir()
    for name, data in shipped.items():  # as an earlier version wrote them
        (old / name).write_bytes(without_record(data))
    before = files(old)
    export = tmp_path / "verhalen_synthetisch_fictief.csv"
    shutil.copyfile(DATA / export.name, export)
    again = run(export, tmp_path, ps, out_dir=old)
    assert len(again.unchanged) == 60 and again.conflicts == () and again.warnings == ()
    assert files(old) == before  # left alone: no record added behind the user's back


def test_an_old_file_corrected_by_hand_is_kept_with_a_warning(tmp_path, ps):
    export = tmp_path / "export" / "verhalen.csv"
    export.parent.mkdir()
    shutil.copyfile(WITH_IDS, export)
    run(export, tmp_path, ps)
    for path in (tmp_path / "stories").glob("*.md"):
        path.write_bytes(without_record(path.read_bytes()))
    target = tmp_path / "stories" / "vt-103.md"
    corrected = correct(target, "[PERSOON-1] ([LEEFTIJD-1] jaar) vertelt", "Een jongere vertelt")
    other = tmp_path / "stories" / "vt-104.md"
    correct(other, "change: slechter", "change: beter")
    again = run(export, tmp_path, ps)
    assert again.kept == ("vt-103",) and target.read_bytes() == corrected
    [note] = [w for w in again.warnings if "vt-103.md" in w.message]
    assert note.row == 4 and "eerdere versie van de import" in note.message
    [conflict] = again.conflicts
    assert conflict.row == 5 and "verandering: in de export 'slechter', in het bestand 'beter'" in (
        conflict.message
    )
    assert "--overwrite-hand-edits vt-104" in conflict.message


def test_an_old_hash_id_is_found_again_for_a_row_without_an_id(tmp_path, ps):
    export = tmp_path / "export" / "verhalen.csv"
    export.parent.mkdir()
    shutil.copyfile(WITH_IDS, export)
    first = run(export, tmp_path, ps)
    assert "vt-105" in first.imported  # the row without an id
    old = tmp_path / "oud"
    old.mkdir()
    story = parse_story(tmp_path / "stories" / "vt-105.md", VOCAB)[0]
    legacy = dataclasses.replace(story, id="vt-663ae06900", source_hash=None, written_hash=None)
    (old / "vt-663ae06900.md").write_text(render_story(legacy), encoding="utf-8")
    again = run(export, tmp_path, ps, out_dir=old)
    assert "vt-663ae06900" in again.unchanged and not (old / "vt-105.md").exists()


# -- the command -----------------------------------------------------------------------------


@pytest.fixture
def npdw(npdw_here, monkeypatch, tmp_path):
    def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
        monkeypatch.setattr(import_cache, "DEFAULT_CACHE_DIR", tmp_path / "cache")
        return npdw_here("stories", "import", *args)

    return run_cli


def test_the_command_keeps_the_correction_then_names_the_conflict_and_overwrites(
    form, tmp_path, npdw
):
    out = tmp_path / "stories"
    assert npdw(form, "--out", out).returncode == 0
    correct(out / "vt-001.md", "mevrouw [PERSOON-1]", "een buurvrouw")
    kept = npdw(grown(tmp_path), "--out", out)
    assert kept.returncode == 0, kept.stdout
    assert (
        "Aangepast sinds de import (met de hand, of de pijlers nagekeken), bewaard" in kept.stdout
    )
    rows = read_form(form)
    assert rows[2][4] == "slechter"
    rows[2][4] = "beter"  # vt-001's change: row 3 now that a row came before it
    write_form(form, rows)
    refused = npdw(form, "--out", out)
    assert refused.returncode == 1
    assert f"FOUT: {form}, rij 3: {out / 'vt-001.md'} is na de import met de hand" in refused.stdout
    done = npdw(form, "--out", out, "--overwrite-hand-edits", "vt-001")
    assert done.returncode == 0, done.stdout
    assert "vervangen door de import (--overwrite-hand-edits) (1): vt-001" in done.stdout
    assert "Traceback" not in refused.stdout + refused.stderr + done.stderr
