"""Output folders npdw owns: it adds to or replaces a folder only when it wrote all of it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_files import web_app

from npdw_learning.kern import outdir
from npdw_learning.kern.outdir import (
    MARKER,
    OutputFolderError,
    add_into,
    check_output_dir,
    new_build,
    owned_output,
    remove_stale_builds,
    replace_with,
    seal,
)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_new_or_empty_folder_may_be_written(tmp_path):
    check_output_dir(tmp_path / "nieuw")
    (tmp_path / "leeg").mkdir()
    check_output_dir(tmp_path / "leeg")


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (web_app, "index.html"),
        (lambda f: (f / "scriptie.docx").write_text("hoofdstuk 1") and f, "scriptie.docx"),
        (lambda f: (f / "run.json").write_text("{}") and f, "run.json"),
    ],
    ids=["web-app", "scriptie", "alleen-run-json"],
)
def test_a_folder_npdw_did_not_write_is_refused_naming_the_first_file(tmp_path, make, named):
    folder = tmp_path / "map"
    folder.mkdir()
    make(folder)
    before = tree(folder)
    with pytest.raises(OutputFolderError, match=f"{named} staat niet in de lijst"):
        check_output_dir(folder)
    assert tree(folder) == before


def test_an_earlier_output_with_one_added_user_file_is_refused(tmp_path, earlier_output):
    out = earlier_output(tmp_path / "2026", {"rapport.html": "r", "tables/a.csv": "x\n"})
    (out / "tables" / "mijn_analyse.xlsx").write_bytes(b"PK")
    with pytest.raises(OutputFolderError, match="tables/mijn_analyse.xlsx staat niet in"):
        check_output_dir(out)


def test_a_listed_file_someone_changed_is_refused(tmp_path, earlier_output):
    out = earlier_output(tmp_path / "2026", {"tables/a.csv": "x\n1\n"})
    (out / "tables" / "a.csv").write_text("x\n1\nmijn aantekening\n", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="tables/a.csv is veranderd nadat npdw"):
        check_output_dir(out)


def test_a_symlink_in_an_earlier_output_is_refused_not_followed(tmp_path, earlier_output):
    out = earlier_output(tmp_path / "2026", {"rapport.html": "r"})
    (out / "naar-home").symlink_to(tmp_path)
    with pytest.raises(OutputFolderError, match="naar-home staat niet in de lijst"):
        check_output_dir(out)


def test_a_forged_marker_does_not_make_a_folder_npdws(tmp_path):
    folder = web_app(tmp_path / "app")
    (folder / MARKER).write_text('{"tool": "iets anders", "files": {}}', encoding="utf-8")
    with pytest.raises(OutputFolderError, match="staat niet in de lijst"):
        check_output_dir(folder)
    (folder / MARKER).write_text(
        json.dumps({"tool": "npdw-learning", "files": {"index.html": "0" * 64}}), encoding="utf-8"
    )
    with pytest.raises(OutputFolderError, match="index.html is veranderd"):
        check_output_dir(folder)


def test_a_file_given_as_output_folder_is_called_a_file(tmp_path):
    a_file = tmp_path / "rapport.docx"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="dit is een bestand, geen map"):
        check_output_dir(a_file)


def test_an_older_output_without_a_list_gets_a_hint(tmp_path):
    old = tmp_path / "2025"
    old.mkdir()
    (old / "manifest.json").write_text('{"npdw_learning": "0.1.0"}', encoding="utf-8")
    with pytest.raises(OutputFolderError, match="oudere versie van npdw"):
        check_output_dir(old)


def test_replace_with_swaps_a_whole_output_and_lists_every_file(tmp_path, earlier_output):
    out = earlier_output(tmp_path / "2026", {"rapport.html": "oud", "tables/weg.csv": "x"})
    build = new_build(out)
    (build / "tables").mkdir()
    (build / "rapport.html").write_text("nieuw", encoding="utf-8")
    (build / "tables" / "a.csv").write_text("a\n", encoding="utf-8")
    seal(build)
    replace_with(build, out)
    assert tree(out).keys() == {MARKER, "rapport.html", "tables/a.csv"}
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert listed["tool"] == "npdw-learning" and set(listed["files"]) == {
        "rapport.html",
        "tables/a.csv",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026"]  # nothing left beside it


def test_replace_with_refuses_when_a_user_file_appeared_during_the_run(tmp_path, earlier_output):
    out = earlier_output(tmp_path / "2026", {"rapport.html": "oud"})
    build = new_build(out)
    (build / "rapport.html").write_text("nieuw", encoding="utf-8")
    seal(build)
    (out / "notities.txt").write_text("tijdens de run geschreven", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="notities.txt"):
        replace_with(build, out)
    assert (out / "notities.txt").read_text(encoding="utf-8") == "tijdens de run geschreven"
    assert (out / "rapport.html").read_text(encoding="utf-8") == "oud"


def test_owned_output_adds_files_and_keeps_the_earlier_ones(tmp_path, earlier_output):
    out = earlier_output(tmp_path / "2026", {"rapport.html": "r", "LET_OP.txt": "demo"})
    with owned_output(out, remove=["LET_OP.txt", "niet-van-ons.txt"]) as build:
        (build / "data_quality.csv").write_text("a\n", encoding="utf-8")
    assert tree(out).keys() == {MARKER, "rapport.html", "data_quality.csv"}
    check_output_dir(out)  # still npdw's own, with the new file listed
    assert not list(tmp_path.glob(".2026.bouw-*"))


def test_owned_output_writes_nothing_when_the_block_fails(tmp_path):
    out = tmp_path / "uit"
    with pytest.raises(ZeroDivisionError), owned_output(out) as build:
        (build / "half.csv").write_text("a\n", encoding="utf-8")
        1 / 0  # noqa: B018
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_move_interrupted_halfway_leaves_a_folder_the_next_run_recognises(
    tmp_path, earlier_output, monkeypatch
):
    out = earlier_output(tmp_path / "2026", {"a.csv": "oud a", "b.csv": "oud b"})
    build = new_build(out)
    (build / "a.csv").write_text("nieuw a", encoding="utf-8")
    (build / "b.csv").write_text("nieuw b", encoding="utf-8")
    real_replace = os.replace

    def stop_before_b(src, dst):
        if Path(dst) == out / "b.csv":  # Ctrl-C after a.csv moved in, before b.csv
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", stop_before_b)
    with pytest.raises(KeyboardInterrupt):
        add_into(build, out)
    monkeypatch.undo()
    assert (out / "a.csv").read_text(encoding="utf-8") == "nieuw a"
    assert (out / "b.csv").read_text(encoding="utf-8") == "oud b"
    check_output_dir(out)  # one file new, one old: both are npdw's


def test_a_second_run_refuses_while_the_first_builds(tmp_path):
    out = tmp_path / "2026"
    first = new_build(out)
    (first / outdir.BUILD_PID).write_text("1", encoding="ascii")  # init: always alive
    with pytest.raises(OutputFolderError, match=r"andere npdw-opdracht \(proces 1\)"):
        new_build(out)


def test_stale_builds_are_removed_but_a_look_alike_folder_of_someone_else_stays(tmp_path):
    out = tmp_path / "2026"
    dead = tmp_path / ".2026.bouw-dood"
    dead.mkdir()
    (dead / outdir.BUILD_PID).write_text("999999999", encoding="ascii")
    (dead / "half.csv").write_text("x", encoding="utf-8")
    foreign = tmp_path / ".2026.bouw-van-iemand"
    foreign.mkdir()
    (foreign / "belangrijk.txt").write_text("x", encoding="utf-8")
    assert remove_stale_builds(out) == [dead]
    assert (foreign / "belangrijk.txt").exists()
