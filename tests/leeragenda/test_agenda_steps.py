"""The named steps of ``load_agenda``: opening the files, known ids, order, the tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from npdw_learning.kern.errors import Finding
from npdw_learning.leeragenda import agenda as ag

FIXTURE = Path(__file__).parents[1] / "data" / "agenda"
FILES = (ag.EFFORTS_FILE, ag.LEARNING_QUESTIONS_FILE, ag.RESEARCH_FILE, ag.LESSONS_FILE)


def copy_fixture(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for rel in FILES:
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURE / rel, data / rel)
    return data


def test_open_files_reads_the_four_files_in_order(tmp_path):
    data = copy_fixture(tmp_path)
    findings: list[Finding] = []
    files = ag._open_files(data, findings)
    assert [Path(f.file).name for f in files] == [Path(rel).name for rel in FILES]
    assert all(f.readable for f in files) and findings == []
    assert set(files[0].data) == {"efforts"}


def test_open_files_reports_a_missing_file_and_goes_on(tmp_path):
    data = copy_fixture(tmp_path)
    (data / ag.LESSONS_FILE).unlink()
    findings: list[Finding] = []
    files = ag._open_files(data, findings)
    assert [f.readable for f in files] == [True, True, True, False]
    assert len(findings) == 1 and findings[0].severity == "error"
    assert findings[0].file.endswith("lessons.yaml")


def test_top_level_fields_warn_about_unknown_keys_only_in_readable_files(tmp_path):
    data = copy_fixture(tmp_path)
    path = data / ag.EFFORTS_FILE
    path.write_text(path.read_text(encoding="utf-8") + "budget: 1000\n", encoding="utf-8")
    (data / ag.LESSONS_FILE).write_text("lessons: [niet gesloten\n", encoding="utf-8")
    findings: list[Finding] = []
    files = ag._open_files(data, findings)
    before = list(findings)
    ag._check_top_level_fields(files)
    new = findings[len(before) :]
    assert len(new) == 1
    assert new[0].severity == "warning" and new[0].file.endswith("efforts.yaml")
    assert "budget" in new[0].message


def test_known_ids_per_kind(tmp_path, registry, codebook):
    data = copy_fixture(tmp_path)
    files = ag._open_files(data, [])
    entries = {
        "effort": [{"id": "e-a"}, {"id": "e-b"}],
        "learning_question": [{"id": "lq-01"}],
        "research": [],
        "lesson": [{"id": "les-01"}],
    }
    known = ag._known_ids(registry, codebook, None, entries, files)
    assert known["effort"] == {"e-a", "e-b"}
    assert known["research"] == set()  # readable and empty: every reference is unknown
    assert known["story"] is None  # story ids not given: not checked
    assert known["theme"] == set(codebook.ids)
    assert known["goal"] == set(registry.operational_goals["id"]) | set(
        registry.strategic_goals["id"]
    )
    assert ag._known_ids(registry, codebook, ["vt-1"], entries, files)["story"] == {"vt-1"}


def test_known_ids_of_an_unreadable_file_are_not_checked(tmp_path, registry, codebook):
    data = copy_fixture(tmp_path)
    (data / ag.RESEARCH_FILE).unlink()
    files = ag._open_files(data, [])
    entries = {"effort": [], "learning_question": [], "research": [], "lesson": []}
    known = ag._known_ids(registry, codebook, None, entries, files)
    assert known["research"] is None
    assert known["effort"] == set()


def test_sort_findings_by_file_order_then_line(tmp_path):
    files = ag._open_files(copy_fixture(tmp_path), [])
    efforts, questions = files[0].file, files[1].file
    findings = [
        Finding("error", "elders.yaml", "x", row=1),
        Finding("error", questions, "b", row=3),
        Finding("warning", efforts, "c", row=9),
        Finding("error", questions, "d", row=None),
        Finding("error", efforts, "e", row=2),
    ]
    ag._sort_findings(findings, files)
    assert [f.message for f in findings] == ["e", "c", "d", "b", "x"]


def test_status_table_follows_the_effort_file_not_the_alphabet():
    efforts = [{"id": "e-zon"}, {"id": "e-appel"}]
    rows = [
        {"effort": "e-appel", "year": 2025, "status": "gestopt"},
        {"effort": "e-zon", "year": 2025, "status": "vertraagd"},
        {"effort": "e-zon", "year": 2024, "status": "in_uitvoering"},
    ]
    table = ag._status_table(rows, efforts)
    assert list(table.columns) == ag.EFFORT_STATUS_LONG_COLUMNS
    assert table[["effort", "year"]].values.tolist() == [
        ["e-zon", 2024],
        ["e-zon", 2025],
        ["e-appel", 2025],
    ]
    assert table["year"].dtype == "int64"
    assert list(table.index) == [0, 1, 2]
    assert ag._status_table([], efforts).empty


def test_research_table_keeps_unknown_respondents_as_missing():
    row = dict.fromkeys(ag.RESEARCH_COLUMNS)
    table = ag._research_table([{**row, "id": "r-a", "expected_respondents": 40}, row])
    assert list(table.columns) == ag.RESEARCH_COLUMNS
    assert str(table["expected_respondents"].dtype) == "Int64"
    assert table.loc[0, "expected_respondents"] == 40
    assert table.loc[1, "expected_respondents"] is pd.NA


def test_effort_status_words_cover_every_status_the_files_allow():
    from npdw_learning.evaluatie import views
    from npdw_learning.leeragenda import cli
    from npdw_learning.leeragenda.efforts import EFFORT_STATUS_NL, NOT_RECORDED

    assert set(EFFORT_STATUS_NL) == set(ag.EFFORT_STATUSES) | {NOT_RECORDED}
    assert EFFORT_STATUS_NL[NOT_RECORDED] == "niet vastgelegd"
    # one table, used by the command and the report
    assert cli.EFFORT_STATUS_NL is EFFORT_STATUS_NL
    assert views.leeragenda.EFFORT_STATUS_NL is EFFORT_STATUS_NL


def test_check_entries_gives_the_valid_entries_per_kind(tmp_path):
    files = ag._open_files(copy_fixture(tmp_path), [])
    entries, status_rows, settings = ag._check_entries(files)
    assert set(entries) == {"effort", "learning_question", "research", "lesson"}
    assert [e["id"] for e in entries["effort"]] == [
        "e-buurtbakkies",
        "e-energiecoaches",
        "e-schoolpleinen",
    ]
    assert [q["id"] for q in entries["learning_question"]] == ["lq-01", "lq-02", "lq-03"]
    assert len(entries["research"]) == 5 and len(entries["lesson"]) == 2
    assert {row["effort"] for row in status_rows} <= {e["id"] for e in entries["effort"]}
    assert settings["overasking_threshold"] == 3


def test_links_written_on_one_side_are_warnings(tmp_path):
    findings: list[Finding] = []
    files = ag._open_files(copy_fixture(tmp_path), findings)
    entries, _, _ = ag._check_entries(files)
    assert findings == []
    ag._check_links_both_ways(files, entries)
    assert findings == []  # the fixture is consistent
    # lq-01 no longer names r-enquete, which still names lq-01
    question = next(q for q in entries["learning_question"] if q["id"] == "lq-01")
    research = next(r for r in entries["research"] if "lq-01" in r["learning_questions"])
    question["research"] = [r for r in question["research"] if r != research["id"]]
    ag._check_links_both_ways(files, entries)
    assert len(findings) == 1 and findings[0].severity == "warning"
    assert f"onderzoek '{research['id']}' noemt leervraag 'lq-01'" in findings[0].message
    assert findings[0].file.endswith("research.yaml")
