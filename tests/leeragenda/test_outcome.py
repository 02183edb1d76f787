"""The learning session's outcome back into the agenda: ``npdw agenda sheet`` and ``apply``.

Round trips on a copy of the bundled programme (registry and agenda); every bad
line with its message; comments kept (a diff shows only the intended lines);
the sheet as Dutch Excel saves it (semicolons, Windows-1252).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import shutil
from pathlib import Path

import pytest

from npdw_learning.cli import main
from npdw_learning.kern.errors import InputError
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.leeragenda.agenda import agenda_in
from npdw_learning.leeragenda.outcome import (
    SHEET_COLUMNS,
    apply_outcome,
    next_lesson_id,
    read_sheet,
    write_sheet,
)

QUESTIONS = Path(ProgrammeFolder.learning_questions_file)
LESSONS = Path(ProgrammeFolder.lessons_file)
DAY = dt.date(2027, 3, 10)


@pytest.fixture
def programme(tmp_path) -> ProgrammeFolder:
    """The bundled registry and agenda copied to ``tmp_path/data`` (no stories folder)."""
    data = tmp_path / "data"
    for part in ("registry", "agenda"):
        shutil.copytree(DATA_DIR / part, data / part)
    return ProgrammeFolder(data, tmp_path / "geen-verhalen")


def fresh(folder: ProgrammeFolder):
    """The agenda read again from disk (``agenda_in`` keeps one per folder object)."""
    return agenda_in(ProgrammeFolder(folder.root, folder.stories_dir))


def sheet_rows(folder: ProgrammeFolder, tmp_path: Path) -> tuple[str, list[list[str]]]:
    """The sheet as written: its instruction line and its lines (header first)."""
    path = write_sheet(folder, 2026, tmp_path / "leersessie.csv")
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    return rows[0][0], rows[1:]


def fill(rows: list[list[str]], changes: dict[str, dict[str, str]]) -> list[list[str]]:
    """``rows`` with the cells of ``changes`` (question id -> column -> value) filled in."""
    header = rows[0]
    out = [header]
    for row in rows[1:]:
        row = list(row)
        for column, value in changes.get(row[0], {}).items():
            row[header.index(column)] = value
        out.append(row)
    return out


def save(rows: list[list[str]], path: Path, *, encoding="utf-8-sig", delimiter=";") -> Path:
    """``rows`` (header first) under an instruction line, as Excel saves the sheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["Leersessie: vul in en sla op"], *rows])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def snapshot(folder: ProgrammeFolder) -> dict[Path, bytes]:
    return {rel: (folder.root / rel).read_bytes() for rel in (QUESTIONS, LESSONS)}


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from and added to ``before`` (a line diff)."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_next_lesson_id_never_reuses_a_number():
    assert next_lesson_id(["les-02", "les-09"]) == "les-10"
    assert next_lesson_id(["les-99"]) == "les-100"


def test_sheet_has_one_line_per_question(programme, tmp_path):
    instruction, rows = sheet_rows(programme, tmp_path)
    agenda = agenda_in(programme)
    assert "npdw agenda apply leersessie.csv" in instruction
    assert tuple(rows[0]) == SHEET_COLUMNS
    assert [r[0] for r in rows[1:]] == list(agenda.learning_questions["id"])
    lq02 = next(r for r in rows if r[0] == "lq-02")
    # The new status starts as the status now; the linked lessons are shown.
    assert lq02[3] == lq02[5] == "open" and lq02[4] == "les-07" and lq02[8] == "2026"


def test_unchanged_sheet_writes_nothing(programme, tmp_path):
    _, rows = sheet_rows(programme, tmp_path)
    before = snapshot(programme)
    outcome = apply_outcome(save(rows, tmp_path / "blad.csv"), programme, today=DAY)
    assert outcome.empty and snapshot(programme) == before


def test_round_trip_changes_only_the_intended_lines(programme, tmp_path):
    _, rows = sheet_rows(programme, tmp_path)
    before = {
        rel: (programme.root / rel).read_text(encoding="utf-8") for rel in (QUESTIONS, LESSONS)
    }
    taken = list(agenda_in(programme).lessons["id"])
    new_id = next_lesson_id(taken)
    lesson = 'Wijkconciërges werken het best samen met bewoners: "schoon is samen".'
    filled = fill(
        rows,
        {
            "lq-01": {"nieuwe status": "beantwoord", "nieuwe les": lesson},
            "lq-05": {"nieuwe status": "in onderzoek"},  # written as Excel users write it
            "lq-04": {"bestaande les": "les-03"},
        },
    )
    outcome = apply_outcome(save(filled, tmp_path / "blad.csv"), programme, today=DAY)
    assert outcome.statuses == {"lq-01": "beantwoord", "lq-05": "in_onderzoek"}
    agenda = fresh(programme)
    q = agenda.learning_questions.set_index("id")
    assert q.loc["lq-01", "status"] == "beantwoord" and q.loc["lq-01", "lessons"] == [new_id]
    assert q.loc["lq-05", "status"] == "in_onderzoek"
    assert q.loc["lq-04", "lessons"] == ["les-03"]
    les = agenda.lessons.set_index("id")
    assert les.loc[new_id, "lesson"] == lesson
    assert les.loc[new_id, "evaluation_years"] == [2026]
    assert les.loc[new_id, "learning_questions"] == ["lq-01"]
    assert (
        les.loc[new_id, "status"] == "voorgesteld" and str(les.loc[new_id, "date"]) == "2027-03-10"
    )
    assert "lq-04" in les.loc["les-03", "learning_questions"]
    # No new warning: both sides of every new link are written.
    assert not [f for f in agenda.findings if "lq-04" in f.message or new_id in f.message]

    after = (programme.root / QUESTIONS).read_text(encoding="utf-8")
    removed, added = changed_lines(before[QUESTIONS], after)
    assert sorted(removed) == sorted(
        ["    status: open", "    lessons: []", "    status: open", "    lessons: []"]
    )
    assert sorted(added) == sorted(
        [
            "    status: beantwoord",
            f"    lessons: [{new_id}]",
            "    status: in_onderzoek",
            "    lessons: [les-03]",
        ]
    )
    after = (programme.root / LESSONS).read_text(encoding="utf-8")
    removed, added = changed_lines(before[LESSONS], after)
    assert len(removed) == 1 and removed[0].strip().startswith("learning_questions:")
    assert f"  - id: {new_id}" in added
    # The comment header and every comment line of both files are still there.
    for rel in (QUESTIONS, LESSONS):
        comments = [line for line in before[rel].splitlines() if line.lstrip().startswith("#")]
        now = (programme.root / rel).read_text(encoding="utf-8").splitlines()
        assert comments and all(line in now for line in comments)


def test_formula_cell_is_stored_as_literal_text(programme, tmp_path):
    _, rows = sheet_rows(programme, tmp_path)
    text = '=HYPERLINK("https://example.org/x","klik")'
    filled = fill(rows, {"lq-09": {"nieuwe les": text}})
    outcome = apply_outcome(save(filled, tmp_path / "blad.csv"), programme, today=DAY)
    [warning] = outcome.warnings
    assert warning.severity == "warning" and warning.column == "nieuwe les"
    # The instruction is row 1 and the header row 2 of the spreadsheet.
    row = 2 + [r[0] for r in rows].index("lq-09")
    assert str(warning).startswith("WAARSCHUWING: ") and warning.row == row
    [(new_id, *_)] = outcome.new_lessons
    assert fresh(programme).lessons.set_index("id").loc[new_id, "lesson"] == text
    # The sheet made again links the new lesson to the question.
    _, again = sheet_rows(programme, tmp_path)
    assert next(r for r in again if r[0] == "lq-09")[4].endswith(new_id)


def test_dutch_excel_csv_in_windows_1252(programme, tmp_path):
    _, rows = sheet_rows(programme, tmp_path)
    lesson = "Een café als ontmoetingsplek kost € 40 per week en werkt “beter dan verwacht”."
    filled = fill(rows, {"lq-12": {"nieuwe les": lesson, "nieuwe status": "in_onderzoek"}})
    path = save(filled, tmp_path / "blad.csv", encoding="cp1252")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    apply_outcome(path, programme, today=DAY)
    agenda = fresh(programme)
    q = agenda.learning_questions.set_index("id")
    assert q.loc["lq-12", "status"] == "in_onderzoek"
    assert agenda.lessons.set_index("id").loc[q.loc["lq-12", "lessons"][-1], "lesson"] == lesson


def test_sheet_saved_with_commas_also_reads(programme, tmp_path):
    _, rows = sheet_rows(programme, tmp_path)
    filled = fill(rows, {"lq-13": {"nieuwe status": "in_onderzoek"}})
    apply_outcome(save(filled, tmp_path / "blad.csv", delimiter=","), programme, today=DAY)
    assert fresh(programme).learning_questions.set_index("id").loc["lq-13", "status"] == (
        "in_onderzoek"
    )


BAD_ROWS = [
    ({"leervraag": "lq-99"}, "leervraag", "onbekende leervraag 'lq-99'"),
    ({"leervraag": ""}, "leervraag", "lege cel"),
    ({"nieuwe status": "klaar"}, "nieuwe status", "'klaar' is geen status"),
    ({"nieuwe status": ""}, "nieuwe status", "lege cel"),
    ({"nieuwe status": "beantwoord"}, "nieuwe les", "status 'beantwoord' zonder les"),
    ({"bestaande les": "les-77"}, "bestaande les", "onbekende les 'les-77'"),
    ({"nieuwe les": "Een les.", "evaluatiejaar": "vorig jaar"}, "evaluatiejaar", "geen jaartal"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS)
def test_bad_line_is_refused_and_nothing_written(programme, tmp_path, cells, column, message):
    _, rows = sheet_rows(programme, tmp_path)
    # lq-01 has no lesson; a good change on another line must not be written either.
    filled = fill(rows, {"lq-01": cells, "lq-03": {"nieuwe status": "open"}})
    before = snapshot(programme)
    path = save(filled, tmp_path / "blad.csv")
    with pytest.raises(InputError) as caught:
        apply_outcome(path, programme, today=DAY)
    [finding] = caught.value.findings
    assert (finding.file, finding.row, finding.column) == (str(path), 3, column)
    assert message in finding.message
    assert str(finding).startswith(f"FOUT: {path}, rij 3, kolom '{column}': ")
    assert snapshot(programme) == before


def test_duplicate_line_and_missing_column(programme, tmp_path):
    _, rows = sheet_rows(programme, tmp_path)
    path = save([*rows, rows[1]], tmp_path / "dubbel.csv")
    with pytest.raises(InputError) as caught:
        apply_outcome(path, programme, today=DAY)
    assert "lq-01 staat ook op rij 3" in str(caught.value)
    narrow = [r[:5] for r in rows]
    with pytest.raises(InputError) as caught:
        apply_outcome(save(narrow, tmp_path / "smal.csv"), programme, today=DAY)
    assert {f.column for f in caught.value.findings} >= {"nieuwe status", "nieuwe les"}


@pytest.mark.parametrize("written", ["lessons:\n      - les-07", "lessons: [\n      les-07]"])
def test_list_over_two_lines_is_not_edited_and_nothing_written(programme, tmp_path, written):
    """A ``lessons:`` value over several lines cannot be edited on its line: refused, named."""
    path = programme.root / QUESTIONS
    text = path.read_text(encoding="utf-8")
    at = text.index("lessons: [les-07]")
    path.write_text(text[:at] + written + text[at + 17 :], encoding="utf-8")
    line = text[:at].count("\n") + 1
    _, rows = sheet_rows(programme, tmp_path)
    filled = fill(rows, {"lq-02": {"bestaande les": "les-03"}})
    before = snapshot(programme)
    with pytest.raises(InputError) as caught:
        apply_outcome(save(filled, tmp_path / "blad.csv"), programme, today=DAY)
    [finding] = caught.value.findings
    assert finding.row == line and finding.column == "lessons"
    assert "er is niets geschreven" in str(caught.value)
    assert snapshot(programme) == before


def test_result_that_would_not_load_is_refused(programme, tmp_path, monkeypatch):
    """The edited files go through the agenda's loader first; an error there writes nothing."""
    from npdw_learning.leeragenda import outcome as module

    _, rows = sheet_rows(programme, tmp_path)
    filled = fill(rows, {"lq-06": {"nieuwe status": "in_onderzoek"}})
    broken = module._question_edits

    def edits(text, outcome):
        new, errors = broken(text, outcome)
        return new.replace("status: in_onderzoek", "status: half", 1), errors

    monkeypatch.setattr(module, "_question_edits", edits)
    before = snapshot(programme)
    with pytest.raises(InputError) as caught:
        apply_outcome(save(filled, tmp_path / "blad.csv"), programme, today=DAY)
    assert "zou zo niet meer te laden zijn" in str(caught.value)
    assert any(
        f.file.endswith(str(QUESTIONS)) and "half" in f.message for f in caught.value.findings
    )
    assert snapshot(programme) == before


def test_cli_sheet_and_apply(programme, tmp_path, capsys):
    sheet = tmp_path / "uit" / "leersessie.csv"
    data = str(programme.root)
    assert main(["agenda", "sheet", "--data", data, "--year", "2026", "--out", str(sheet)]) == 0
    # The command to copy names this programme's folder, not only the sheet.
    assert f"npdw agenda apply {sheet} --data {data}`" in capsys.readouterr().out
    _, rows = read_sheet(sheet)
    assert len(rows) == len(agenda_in(programme).learning_questions)
    raw = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig")), delimiter=";"))[1:]
    assert raw[0][0] == "leervraag"
    save(fill(raw, {"lq-07": {"nieuwe status": "beantwoord"}}), sheet)
    assert main(["agenda", "apply", str(sheet), "--data", data]) == 0
    out = capsys.readouterr().out
    assert "1 status(sen) gewijzigd" in out and "lq-07: status beantwoord" in out
    save(fill(raw, {"lq-07": {"nieuwe status": "misschien"}}), sheet)
    assert main(["agenda", "apply", str(sheet), "--data", data]) != 0
    err = capsys.readouterr().err
    assert "FOUT:" in err and "kolom 'nieuwe status'" in err and "Traceback" not in err


def test_sheet_replaces_its_own_kind_only(programme, tmp_path):
    path = tmp_path / "leersessie.csv"
    write_sheet(programme, 2026, path)
    write_sheet(programme, 2027, path)  # an earlier sheet is replaced
    assert read_sheet(path)[1][0].year == "2027"
    own = tmp_path / "begroting.csv"
    own.write_text("post;bedrag\nkoffie;12\n", encoding="utf-8")
    with pytest.raises(InputError, match="bestaat al en is geen leersessieblad"):
        write_sheet(programme, 2026, own)
    assert own.read_text(encoding="utf-8") == "post;bedrag\nkoffie;12\n"


def test_sheet_saved_as_xlsx_also_reads(programme, tmp_path):
    from openpyxl import Workbook

    _, rows = sheet_rows(programme, tmp_path)
    book = Workbook()
    for row in [["Leersessie"], *fill(rows, {"lq-16": {"nieuwe status": "in_onderzoek"}})]:
        book.active.append(row)
    book.save(tmp_path / "blad.xlsx")
    apply_outcome(tmp_path / "blad.xlsx", programme, today=DAY)
    assert fresh(programme).learning_questions.set_index("id").loc["lq-16", "status"] == (
        "in_onderzoek"
    )


def test_a_file_saved_on_windows_keeps_its_line_ends(programme, tmp_path):
    path = programme.root / QUESTIONS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    _, rows = sheet_rows(programme, tmp_path)
    apply_outcome(
        save(fill(rows, {"lq-17": {"nieuwe status": "in_onderzoek"}}), tmp_path / "b.csv"),
        programme,
        today=DAY,
    )
    after = path.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n") and b"\n" not in after.replace(
        b"\r\n", b""
    )
    assert len(after.splitlines()) == len(before.splitlines())
