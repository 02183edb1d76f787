"""Reviewing the proposed pillars by row, in Excel (issue 21, item 5).

The import lists each proposal with the export's row and the first words of the
story, and writes ``<export>.pijlers.csv`` (Dutch Excel's CSV: semicolons, UTF-8
with a byte-order mark, formula-inert); ``npdw stories pijlers FILE`` applies the
decisions, or writes nothing when one is wrong.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from importrun import VOCAB, run

from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.tables import read_sheets
from npdw_learning.vertellen import cache as import_cache
from npdw_learning.vertellen.pillar_review import (
    REVIEW_COLUMNS,
    apply_review,
    first_words,
    is_review_file,
    review_path,
)
from npdw_learning.vertellen.stories import parse_story

DATA = Path(__file__).parents[1] / "data"
FORM = DATA / "import_formulier_zonder_id.csv"
PROPOSED = {  # what the codebook proposes for the six rows of FORM
    "vt-001": "leren, veilig",
    "vt-002": "wonen",
    "vt-003": "werk",
    "vt-004": "wonen",
    "vt-005": "leren",
    "vt-006": "geen",
}


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "export" / "formulier.csv"
    path.parent.mkdir()
    shutil.copyfile(FORM, path)
    return path


def lines_of(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def decide(path: Path, decisions: dict[str, str], *, encoding: str = "utf-8-sig") -> None:
    """Fill in 'nagekeken' as Excel would save it (in ``encoding``, no BOM unless utf-8-sig)."""
    rows = lines_of(path)
    for r in rows[2:]:
        if r[1] in decisions:
            r[4] = decisions[r[1]]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def stories_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


# -- the listing and the review file ------------------------------------------------------


def test_proposals_are_listed_by_row_with_their_first_words(form, tmp_path, ps):
    report = run(form, tmp_path, ps)
    listed = [line for line in report.lines() if line.startswith("  rij ")]
    assert listed[0] == (
        '  rij 2, vt-001: leren, veilig; begint met "Elke avond hangen er jongeren rond bij de '
        'flat van …"'
    )
    assert listed[5].startswith("  rij 7, vt-006: geen (nog niet ingedeeld); begint met")
    assert [p.row for p in report.proposed] == [2, 3, 4, 5, 6, 7]
    shown = "\n".join(report.lines())
    assert "06-11223344" not in shown and "[TELEFOON-1]" in shown  # the story's words
    assert f"npdw stories pijlers {review_path(form)} --stories {tmp_path / 'stories'}" in shown


def test_the_suggested_command_names_the_programme_the_stories_belong_to(form, tmp_path, ps):
    """Into another programme's own stories folder: the next command reads that programme
    (--data), not Dordt West's vocabulary with those stories."""

    report = run(form, tmp_path, ps)
    other = ProgrammeFolder(tmp_path, tmp_path / "stories")
    [line] = [x for x in report.lines(other) if "stories pijlers" in x]
    assert line.endswith(f"stories pijlers {review_path(form)} --data {tmp_path}")


def test_the_review_file_opens_in_dutch_excel(form, tmp_path, ps):
    report = run(form, tmp_path, ps)
    path = review_path(form)
    assert path == form.parent / "formulier.pijlers.csv" and report.review_file == str(path)
    data = path.read_bytes()
    assert (
        data.startswith(b"\xef\xbb\xbf")
        and b"\r\n" in data
        and b"\n" not in data.replace(b"\r\n", b"")
    )
    title, header, *rows = lines_of(path)
    assert (
        "Pijlers nakijken" in title[0] and "npdw stories pijlers formulier.pijlers.csv" in title[0]
    )
    assert tuple(header) == REVIEW_COLUMNS
    assert {r[1]: r[3] for r in rows} == PROPOSED
    assert [r[0] for r in rows] == ["2", "3", "4", "5", "6", "7"] and {r[4] for r in rows} == {""}
    by_id = {r[1]: r[2] for r in rows}
    # First words of the written (pseudonymised) story, never of the export.
    assert (
        by_id["vt-002"]
        == "Naast de containers staat steeds grofvuil. Bel gerust: [TELEFOON-1] of …"
    )
    assert b"06-11223344" not in data and b"Jansen" not in data
    assert by_id["vt-005"].startswith("'=1+1 zei")  # formula-inert
    [sheet] = read_sheets(path, expected=REVIEW_COLUMNS)  # how the tool reads it back
    assert sheet.header_row == 2 and list(sheet.columns) == list(REVIEW_COLUMNS)
    assert is_review_file(path)


def test_no_review_file_when_nothing_is_proposed(tmp_path, ps):
    export = tmp_path / "verhalen.csv"
    shutil.copyfile(DATA / "import_verhalen.csv", export)
    report = run(export, tmp_path, ps)
    assert report.review == () and report.review_file is None
    assert not review_path(export).exists()


def test_first_words():
    assert first_words("een twee drie") == "een twee drie"
    assert first_words("een\ntwee  drie vier", words=2) == "een twee …"
    long = "Zeer" + "lang" * 30
    assert first_words(f"{long} woord", chars=20) == long[:20] + " …"


# -- applying the decisions ----------------------------------------------------------------


def test_applying_sets_the_pillars_and_removes_auto(form, tmp_path, ps):
    run(form, tmp_path, ps)
    stories = tmp_path / "stories"
    path = review_path(form)
    decide(
        path, {"vt-001": "ok", "vt-002": "Wonen; veilig", "vt-003": "werk, leren", "vt-006": "geen"}
    )
    result = apply_review(path, stories, VOCAB)
    assert result.applied == ("vt-001", "vt-002", "vt-003", "vt-006")
    assert result.open == ("vt-004", "vt-005") and result.done == ()
    got = {i: parse_story(stories / f"{i}.md", VOCAB)[0] for i in PROPOSED}
    assert got["vt-001"].pillars == ("leren", "veilig") and got["vt-001"].pillars_source is None
    assert got["vt-002"].pillars == ("wonen", "veilig")
    assert got["vt-003"].pillars == ("leren", "werk")  # the registry's order
    assert got["vt-006"].pillars == () and got["vt-006"].pillars_source is None
    assert got["vt-004"].pillars_source == "auto" and got["vt-005"].pillars_source == "auto"
    assert "pillars_source" not in (stories / "vt-001.md").read_text(encoding="utf-8")
    # Applying again changes nothing: the decided stories are done.
    again = apply_review(path, stories, VOCAB)
    assert again.applied == () and again.done == ("vt-001", "vt-002", "vt-003", "vt-006")
    # A new import keeps the reviews (a change by hand) and lists only what is left.
    report = run(form, tmp_path, ps)
    assert sorted(report.kept) == ["vt-001", "vt-002", "vt-003", "vt-006"] and report.ok
    assert [r[1] for r in lines_of(path)[2:]] == ["vt-004", "vt-005"]


@pytest.mark.parametrize("saved_as", ["cp1252", "xlsx"])
def test_a_file_excel_saved_again_is_applied(form, tmp_path, ps, saved_as):
    run(form, tmp_path, ps)
    path = review_path(form)
    decide(path, {"vt-004": "ok", "vt-005": "gezond"}, encoding="cp1252")
    if saved_as == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        for row in lines_of(path, "cp1252"):
            workbook.active.append(row)
        path = path.with_suffix(".xlsx")
        workbook.save(path)
    result = apply_review(path, tmp_path / "stories", VOCAB)
    assert result.applied == ("vt-004", "vt-005")
    assert parse_story(tmp_path / "stories" / "vt-005.md", VOCAB)[0].pillars == ("gezond",)


def test_any_wrong_line_writes_nothing_and_names_file_row_and_column(form, tmp_path, ps):
    run(form, tmp_path, ps)
    stories = tmp_path / "stories"
    (stories / "vt-003.md").write_text(  # reviewed by hand since
        (stories / "vt-003.md").read_text(encoding="utf-8").replace("pillars_source: auto\n", ""),
        encoding="utf-8",
    )
    path = review_path(form)
    rows = lines_of(path)
    rows[2][4] = "ok"  # vt-001: fine on its own
    rows[3][4] = "sport"  # vt-002: no pillar
    rows[4][4] = "leren"  # vt-003: reviewed by hand as werk
    rows[5][3] = "gezond"  # vt-004: 'ok' on a proposal the story no longer has
    rows[5][4] = "ok"
    rows[6][1], rows[6][4] = "vt-099", "wonen"  # no such story
    rows[7][1], rows[7][4] = "../geheim", "wonen"  # not an id
    rows.append(["2", "vt-001", "", "", "wonen"])  # twice
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    before = stories_bytes(stories)
    with pytest.raises(InputError) as info:
        apply_review(path, stories, VOCAB)
    assert stories_bytes(stories) == before
    found = {(f.row, f.column): f.message for f in info.value.findings}
    assert all(f.file == str(path) for f in info.value.findings)
    assert sorted(found) == [
        (4, "nagekeken"),
        (5, "nagekeken"),
        (6, "nagekeken"),
        (7, "id"),
        (8, "id"),
        (9, "id"),
    ]
    assert (
        "'sport' is geen keuze; toegestaan: ok, geen of pijlers uit: wonen"
        in found[(4, "nagekeken")]
    )
    assert "vt-003 is al nagekeken (pijlers: werk)" in found[(5, "nagekeken")]
    assert "heeft nu 'wonen' als voorstel" in found[(6, "nagekeken")]
    assert "vt-099" in found[(7, "id")] and "ontbreekt" in found[(7, "id")]
    assert "'../geheim' is geen id" in found[(8, "id")]
    assert "vt-001 staat ook op rij 3" in found[(9, "id")]


def test_a_file_that_is_no_review_file_is_refused(tmp_path):
    other = tmp_path / "lijst.pijlers.csv"
    other.write_text("naam;telefoon\nAnna;06-00000000\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        apply_review(other, tmp_path, VOCAB)
    assert {f.column for f in info.value.findings} == {"id", "voorgestelde pijlers", "nagekeken"}
    link = tmp_path / "nul.pijlers.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="geen gewoon bestand|buiten"):
        apply_review(link, tmp_path, VOCAB)


# -- the review file is never overwritten when it is not ours, or not yet applied ---------


def test_a_foreign_file_at_the_review_path_stops_the_import_before_anything_is_written(
    form, tmp_path, ps
):
    review_path(form).write_text("mijn eigen aantekeningen\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        run(form, tmp_path, ps)
    assert "is geen nakijkbestand van de pijlers; er is niets geschreven" in str(info.value)
    assert not (tmp_path / "stories").exists()
    assert review_path(form).read_text(encoding="utf-8") == "mijn eigen aantekeningen\n"


def test_decisions_not_yet_applied_are_not_overwritten(form, tmp_path, ps):
    run(form, tmp_path, ps)
    path = review_path(form)
    decide(path, {"vt-002": "wonen"})
    filled = path.read_bytes()
    report = run(form, tmp_path, ps)
    assert path.read_bytes() == filled and report.review_file is None and report.ok
    [warning] = [w for w in report.warnings if w.file == str(path)]
    assert "keuzes in die nog niet zijn toegepast (vt-002)" in warning.message
    apply_review(path, tmp_path / "stories", VOCAB)
    refreshed = run(form, tmp_path, ps)
    assert refreshed.review_file == str(path)
    assert "vt-002" not in [r[1] for r in lines_of(path)[2:]]


# -- the command ---------------------------------------------------------------------------


@pytest.fixture
def npdw(npdw_here, monkeypatch, tmp_path):
    def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
        monkeypatch.setattr(import_cache, "DEFAULT_CACHE_DIR", tmp_path / "cache")
        return npdw_here("stories", *args)

    return run_cli


def test_the_commands(form, tmp_path, npdw):
    out = tmp_path / "stories"
    imported = npdw("import", form, "--out", out)
    assert imported.returncode == 0, imported.stdout
    path = review_path(form)
    assert f"ze staan in {path}" in imported.stdout
    decide(path, {"vt-001": "ok", "vt-006": "sport"})
    wrong = npdw("pijlers", path, "--stories", out)
    assert wrong.returncode == 1
    assert f"FOUT: {path}, rij 8, kolom 'nagekeken': 'sport' is geen keuze" in wrong.stderr
    assert "er is niets geschreven" in wrong.stdout + wrong.stderr
    assert "Traceback" not in wrong.stdout + wrong.stderr
    decide(path, {"vt-006": "geen"})
    done = npdw("pijlers", path, "--stories", out)
    assert done.returncode == 0, done.stdout
    assert f"{path}: 2 verhalen nagekeken" in done.stdout
    assert "Nog na te kijken: vt-002, vt-003, vt-004, vt-005" in done.stdout


def test_rows_of_a_workbook_with_several_sheets_name_their_sheet(tmp_path, ps):
    import openpyxl

    header, *rows = lines_of(FORM)
    workbook = openpyxl.Workbook()
    workbook.active.title = "Maart"
    for row in [header, *rows[:2]]:
        workbook["Maart"].append(row)
    april = workbook.create_sheet("April")
    for row in [header, rows[2]]:
        april.append(row)
    export = tmp_path / "export.xlsx"
    workbook.save(export)
    report = run(export, tmp_path, ps)
    assert [p.where() for p in report.proposed] == ["Maart, rij 2", "Maart, rij 3", "April, rij 2"]
    assert [r[0] for r in lines_of(review_path(export))[2:]] == [
        "Maart, rij 2",
        "Maart, rij 3",
        "April, rij 2",
    ]


def test_the_review_file_follows_the_story_files(form, tmp_path, ps):
    run(form, tmp_path, ps)
    stories = tmp_path / "stories"
    path = review_path(form)
    # A correction by hand shows in the review file: its words are the story file's.
    target = stories / "vt-001.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("de flat van mevrouw [PERSOON-1] en", "de flat en"), "utf-8")
    run(form, tmp_path, ps)
    assert lines_of(path)[2][2] == "Elke avond hangen er jongeren rond bij de flat en …"
    # Reviewed in the story files instead: the review file's empty lines are done, not open.
    for story_file in stories.glob("*.md"):
        text = story_file.read_text(encoding="utf-8").replace("pillars_source: auto\n", "")
        story_file.write_text(text, encoding="utf-8")
    result = apply_review(path, stories, VOCAB)
    assert result.open == () and len(result.done) == 6 and result.applied == ()
    # Nothing left to review: the next import empties the review file.
    again = run(form, tmp_path, ps)
    assert again.review == () and again.review_file == str(path)
    assert [r[1] for r in lines_of(path)[1:]] == ["id"]
