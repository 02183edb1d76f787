"""What changed since last year (:mod:`npdw_learning.evaluatie.vorigjaar`): which earlier
evaluation is used, the comparison of two runs' tables, and two demo runs end to end."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from npdw_learning.evaluatie.vorigjaar import (
    CHANGE_COLUMNS,
    choose_previous,
    compare,
    read_tables,
)
from npdw_learning.kern.errors import InputError

HOSTILE_AREA = "<script>alert(1)</script>"
HOSTILE_LESSON = "=cmd|' /C calc'!A0"


def _manifest(folder: Path, year: int, version: str = "0.1.0", areas=("wielwijk",)) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"npdw_learning": version, "parameters": {"year": year, "areas": list(areas)}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    with open(folder / "tables" / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


# -- which earlier evaluation ----------------------------------------------------------


def test_the_sibling_of_last_year_is_used_when_it_holds_an_evaluation(tmp_path):
    _manifest(tmp_path / "2025", 2025)
    choice = choose_previous(2026, tmp_path / "2026")
    assert choice.previous is not None and choice.previous.year == 2025
    expected = hashlib.sha256((tmp_path / "2025" / "manifest.json").read_bytes()).hexdigest()
    assert choice.manifest_entry()["manifest_sha256"] == expected
    assert "2025" in choice.reason and not choice.warning


def test_without_a_sibling_there_is_no_comparison_and_the_reason_says_why(tmp_path):
    choice = choose_previous(2026, tmp_path / "2026")
    assert choice.previous is None
    assert choice.reason.startswith("Geen vergelijking met vorig jaar")
    assert str(tmp_path / "2025") in choice.reason and not choice.warning
    assert choice.manifest_entry()["path"] is None


@pytest.mark.parametrize(
    "manifest", ["{}", "niet eens json", '{"npdw_learning": "0.1.0", "parameters": []}']
)
def test_a_sibling_with_a_garbled_manifest_is_named_and_not_used(tmp_path, manifest):
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "manifest.json").write_text(manifest, encoding="utf-8")
    choice = choose_previous(2026, tmp_path / "2026")
    assert choice.previous is None and choice.warning
    assert "geen manifest van npdw evaluate" in choice.reason


def test_a_sibling_of_another_year_is_not_used(tmp_path):
    _manifest(tmp_path / "2025", 2023)
    choice = choose_previous(2026, tmp_path / "2026")
    assert choice.previous is None and "2023" in choice.reason


def test_no_previous_skips_even_a_good_sibling(tmp_path):
    _manifest(tmp_path / "2025", 2025)
    assert choose_previous(2026, tmp_path / "2026", skip=True).previous is None


@pytest.mark.parametrize("what", ["missing", "no_manifest", "same_year", "a_file"])
def test_a_given_previous_that_is_no_earlier_evaluation_is_refused(tmp_path, what):
    given = tmp_path / "elders"
    if what == "no_manifest":
        given.mkdir()
    elif what == "same_year":
        _manifest(given, 2026)
    elif what == "a_file":
        given.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(str(given))):
        choose_previous(2026, tmp_path / "2026", given)


def test_npdw_evaluate_with_a_missing_previous_is_a_fout_and_writes_nothing(npdw_here, tmp_path):
    out = tmp_path / "outputs" / "2026"
    missing = tmp_path / "bestaat_niet"
    proc = npdw_here("evaluate", "--year", "2026", "--out", out, "--previous", missing, "--no-pdf")
    assert proc.returncode != 0
    assert proc.stderr.startswith("FOUT:") and str(missing) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "outputs").exists()


def test_previous_and_no_previous_exclude_each_other(npdw_here, tmp_path):
    proc = npdw_here("evaluate", "--year", "2026", "--previous", tmp_path, "--no-previous")
    assert proc.returncode != 0 and "--no-previous" in proc.stderr


# -- comparing two sets of tables ------------------------------------------------------


def _status(rows):
    return pd.DataFrame(rows, columns=["indicator", "area", "reading", "outcome"])


def test_compare_finds_changed_cells_questions_lessons_efforts_and_themes():
    before = {
        "statusoverzicht": _status([["a", "w", "trend", "improving"], ["b", "w", "none", "x"]]),
        "leervragen": pd.DataFrame({"id": ["lq-01", "lq-02"], "status": ["open", "open"]}),
        "lessen": pd.DataFrame({"id": ["les-01"], "lesson": ["Oud"], "status": ["voorgesteld"]}),
        "inspanningen": pd.DataFrame({"id": ["e-1"], "status": ["in_uitvoering"]}),
        "thema_per_wijk": pd.DataFrame({"theme": ["t"], "w": ["<5"], "totaal": ["6"]}),
    }
    after = {
        "statusoverzicht": _status([["a", "w", "trend", "worsening"], ["b", "w", "none", "x"]]),
        "leervragen": pd.DataFrame({"id": ["lq-01", "lq-02"], "status": ["beantwoord", "open"]}),
        "lessen": pd.DataFrame(
            {"id": ["les-01", "les-02"], "lesson": ["Nieuw", "Les"], "status": ["voorgesteld"] * 2}
        ),
        "inspanningen": pd.DataFrame({"id": ["e-1"], "status": ["gerealiseerd"]}),
        "thema_per_wijk": pd.DataFrame({"theme": ["t"], "w": ["7"], "totaal": ["9"]}),
    }
    got = compare(before, after, year="2025")
    rows = {tuple(r) for r in got.changes[CHANGE_COLUMNS].itertuples(index=False)}
    assert rows == {
        ("cell", "a", "w", "trend:improving", "trend:worsening"),
        ("question_status", "lq-01", "", "open", "beantwoord"),
        ("lesson_new", "les-02", "", "", "Les"),
        ("lesson_changed", "les-01", "", "Oud", "Nieuw"),
        ("effort_status", "e-1", "", "in_uitvoering", "gerealiseerd"),
        ("theme_stories", "t", "w", "<5", "7"),
        ("theme_stories", "t", "", "6", "9"),
    }
    assert got.counts()["cell"] == 1
    assert any("leervragen_bewijs.csv ontbreekt in beide jaren" in n for n in got.notes)


def test_an_older_garbled_previous_folder_is_compared_where_it_can_and_the_rest_named(tmp_path):
    old, new = tmp_path / "2025", tmp_path / "2026"
    _write(
        old,
        "statusoverzicht",
        [
            ["indicator", "pillar", "area", "reading", "outcome"],
            ["a", "p", "w", "trend", "improving"],
            ["a", "p", HOSTILE_AREA, "trend", "improving"],
            ["oud", "p", "w", "trend", "improving"],
        ],
    )
    _write(old, "lessen", [["id", "lesson", "status"], ["les-01", HOSTILE_LESSON, "voorgesteld"]])
    _write(old, "inspanningen", [["id", "label"], ["e-1", "zonder status"]])
    (old / "tables" / "leervragen.csv").write_bytes(b"id,status\n\xff\xfe\x00garbage\n")
    _write(
        new,
        "statusoverzicht",
        [
            ["indicator", "pillar", "area", "reading", "outcome", "has_target"],
            ["a", "p", "w", "progress", "on_track", "True"],
        ],
    )
    _write(new, "lessen", [["id", "lesson", "status"], ["les-01", "Veilig", "voorgesteld"]])
    _write(new, "inspanningen", [["id", "status"], ["e-1", "vertraagd"]])
    _write(new, "leervragen", [["id", "status"], ["lq-01", "open"]])
    before, before_notes = read_tables(old / "tables")
    after, after_notes = read_tables(new / "tables")
    got = compare(before, after, year="2025")
    notes = " ".join(before_notes + got.notes)
    assert ("cell", "a", "w", "trend:improving", "progress:on_track") in {
        tuple(r) for r in got.changes.itertuples(index=False)
    }
    assert HOSTILE_AREA in notes and "Indicatoren alleen in 2025: oud" in notes
    assert "leervragen.csv is niet te lezen" in notes
    assert "inspanningen.csv mist de kolom(men) status" in notes
    assert "thema_per_wijk.csv ontbreekt in beide jaren" in notes
    assert after_notes == []
    lesson = got.changes[got.changes["kind"] == "lesson_changed"].iloc[0]
    assert lesson["before"] == HOSTILE_LESSON  # kept as text; the CSV writer makes it inert


# -- two demo runs, end to end ----------------------------------------------------------


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, npdw):
    """``npdw evaluate --demo`` for 2025, then 2026, into sibling folders of one outputs/."""
    outputs = tmp_path_factory.mktemp("outputs")
    runs = {}
    for year in (2025, 2026):
        out = outputs / str(year)
        runs[year] = npdw("evaluate", "--year", str(year), "--demo", "--no-pdf", "--out", out)
        assert runs[year].returncode == 0, runs[year].stderr[-3000:]
    return outputs, runs


def _changed_cells_by_merge(old: Path, new: Path) -> set[tuple[str, str, str, str]]:
    """The reference: a plain inner merge of the two status tables on indicator and area."""
    before = pd.read_csv(old, dtype=str, keep_default_na=False)
    after = pd.read_csv(new, dtype=str, keep_default_na=False)
    both = before.merge(after, on=["indicator", "area"], suffixes=("_old", "_new"))
    out = set()
    for row in both.itertuples(index=False):
        if (row.reading_old, row.outcome_old) != (row.reading_new, row.outcome_new):
            out.add(
                (
                    row.indicator,
                    row.area,
                    f"{row.reading_old}:{row.outcome_old}",
                    f"{row.reading_new}:{row.outcome_new}",
                )
            )
    return out


@pytest.mark.slow
def test_two_demo_runs_give_the_difference_of_their_status_tables(two_years):
    outputs, runs = two_years
    old, new = outputs / "2025" / "tables", outputs / "2026" / "tables"
    with open(new / "veranderd_sinds_vorig_jaar.csv", encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert list(written[0]) == CHANGE_COLUMNS
    cells = {(r["id"], r["area"], r["before"], r["after"]) for r in written if r["kind"] == "cell"}
    expected = _changed_cells_by_merge(old / "statusoverzicht.csv", new / "statusoverzicht.csv")
    assert expected, "the demo's two years differ in some cells"
    assert cells == expected


@pytest.mark.slow
def test_the_second_run_says_which_evaluation_it_compared_and_records_it(two_years):
    outputs, runs = two_years
    assert f"Vergeleken met de evaluatie van 2025 in {outputs / '2025'}" in runs[2026].stdout
    manifest = json.loads((outputs / "2026" / "manifest.json").read_text(encoding="utf-8"))
    earlier = (outputs / "2025" / "manifest.json").read_bytes()
    assert manifest["previous"]["path"] == str(outputs / "2025")
    assert manifest["previous"]["manifest_sha256"] == hashlib.sha256(earlier).hexdigest()
    assert manifest["parameters"]["previous"] == str(outputs / "2025")
    page = (outputs / "2026" / "rapport.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>\d+\. ([^<]+)</h2>", page)
    assert headings[:3] == [
        "Samenvatting",
        "Wat is er veranderd sinds vorig jaar",
        "Zo leest u dit rapport",
    ]
    section = page[page.index('<section id="veranderd">') : page.index('<section id="leeswijzer">')]
    assert "vakken van het statusoverzicht" in section and "Wat het meest telt" in section
    assert "veranderd_<wbr>sinds_<wbr>vorig_<wbr>jaar.csv" in section  # the pointer to the list
    appendix = page[page.index('<section id="bijlage">') :]
    assert "Alles wat veranderde sinds de evaluatie van 2025" in appendix


@pytest.mark.slow
def test_a_run_without_last_years_output_has_no_such_section_and_says_why(two_years):
    """The 2025 run had no 2024 beside it: the same case as a 2026 run without 2025."""
    outputs, runs = two_years
    assert (
        f"Geen vergelijking met vorig jaar: er is geen evaluatie in {outputs / '2024'}."
        in runs[2025].stdout
    )
    page = (outputs / "2025" / "rapport.html").read_text(encoding="utf-8")
    assert "Wat is er veranderd sinds vorig jaar" not in page
    assert "Geen vergelijking met vorig jaar" in page  # the Verantwoording says why
    assert not (outputs / "2025" / "tables" / "veranderd_sinds_vorig_jaar.csv").exists()


@pytest.mark.slow
def test_a_garbled_previous_folder_reaches_report_and_csv_only_as_text(
    two_years, tmp_path, monkeypatch
):
    """The step and its view on a copy of the 2026 run, against a garbled older 2025."""
    from npdw_learning.evaluatie import report
    from npdw_learning.evaluatie.steps import Run
    from npdw_learning.evaluatie.views import show_changes
    from npdw_learning.evaluatie.vorigjaar import changes_step

    outputs, _ = two_years
    old, new = tmp_path / "2025", tmp_path / "2026"
    shutil.copytree(outputs / "2025", old)
    shutil.copytree(outputs / "2026", new)
    _manifest(old, 2025, version="0.0.1", areas=("wielwijk", "vroeger"))
    (old / "tables" / "inspanningen.csv").unlink()
    lessons = pd.read_csv(old / "tables" / "lessen.csv", dtype=str, keep_default_na=False)
    lessons.loc[0, "lesson"] = HOSTILE_LESSON
    lessons.to_csv(old / "tables" / "lessen.csv", index=False)
    status = pd.read_csv(old / "tables" / "statusoverzicht.csv", dtype=str, keep_default_na=False)
    status.loc[0, "area"] = HOSTILE_AREA
    status.to_csv(old / "tables" / "statusoverzicht.csv", index=False)
    run = Run.from_parameters(2026, out_dir=new, demo=True, previous=old)
    step = changes_step(run)
    notes = " ".join(step.notes)
    assert "0.0.1" in notes and "inspanningen.csv ontbreekt vorig jaar" in notes
    assert HOSTILE_AREA in notes
    raw = (new / "tables" / "veranderd_sinds_vorig_jaar.csv").read_text(encoding="utf-8")
    assert ",'=cmd|' /C calc'!A0," in raw  # formula-inert, as every CSV writer does it
    assert ",=cmd" not in raw
    shown: list[str] = []  # what the report would get (the plain-text twin stays out of it)
    monkeypatch.setattr(
        report,
        "_display",
        lambda bundle, section, **_: shown.extend(
            v for k, v in bundle.items() if k != "text/plain"
        ),
    )
    show_changes(run, step)
    text = " ".join(shown)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_the_section_opens_with_cells_turned_the_wrong_way_then_the_right_way():
    from npdw_learning.evaluatie.views.veranderd import MAX_HIGHLIGHTS, highlights

    rows = [
        ["cell", "a", "w", "trend:improving", "trend:no_significant_trend"],  # not a turn
        ["cell", "b", "w", "progress:moderate_progress", "progress:insufficient_progress"],
        ["cell", "c", "w", "trend:worsening", "trend:improving"],
        ["cell", "d", "w", "progress:on_track", "progress:moving_away"],
        ["cell", "f", "w", "progress:on_track", "progress:insufficient_progress"],
        ["cell", "e", "w", "oud:onbekend", "trend:worsening"],  # an older tool's code
        ["question_status", "lq-01", "", "open", "beantwoord"],
    ]
    changes = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    top = highlights(changes, {"d": "Indicator D"}, {"w": "Wielwijk"})
    assert top[0].startswith("Indicator D in Wielwijk: van 'op koers' naar 'van het doel af'")
    assert top[1].startswith("f in Wielwijk: van 'op koers' naar 'onvoldoende")  # larger step
    assert top[2].startswith("b in Wielwijk: van 'matige voortgang' naar 'onvoldoende")
    assert top[3].startswith("c in Wielwijk") and "de goede kant op" in top[3]
    assert top[4] == "Leervraag lq-01: van 'open' naar 'beantwoord'."
    assert len(top) == 5
    many = pd.DataFrame([rows[3]] * 20, columns=CHANGE_COLUMNS)
    assert len(highlights(many, {}, {})) == MAX_HIGHLIGHTS


def test_a_value_of_the_changes_table_reads_as_the_report_shows_it():
    from npdw_learning.evaluatie.vorigjaar import value_label

    assert value_label("cell", "trend:improving") == "verbetert"
    assert value_label("cell", "progress:moving_away") == "van het doel af"
    assert value_label("question_evidence", "converging") == "eensgezind"
    assert value_label("question_status", "in_onderzoek") == "in onderzoek"
    assert value_label("effort_status", "in_uitvoering") == "in uitvoering"
    # What an older tool wrote, or another kind, stays as it is; nothing is empty.
    assert value_label("cell", "trend:oud_oordeel") == "trend:oud_oordeel"
    assert value_label("theme_stories", "<5") == "<5"
    assert value_label("cell", float("nan")) == value_label("cell", None) == ""
