"""The leeragenda files: loading, clear errors for bad YAML, the commands, the bundled data.

The shared fixtures (registry, codebook, the fixture agenda and its stories) are in
``conftest.py``; efforts status and over-asking have their own test files.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npdw_learning.cli import main
from npdw_learning.kern.dates import parse_partial_date
from npdw_learning.kern.errors import InputError
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.leeragenda.agenda import (
    EFFORTS_FILE,
    LEARNING_QUESTIONS_FILE,
    LESSONS_FILE,
    RESEARCH_FILE,
    load_agenda,
)
from npdw_learning.leeragenda.efforts import NOT_RECORDED, efforts_status
from npdw_learning.vertellen.stories import stories_in

FIXTURE = Path(__file__).parents[1] / "data" / "agenda"
STORIES = FIXTURE / "stories"
FILES = {
    "efforts": EFFORTS_FILE,
    "learning_questions": LEARNING_QUESTIONS_FILE,
    "research": RESEARCH_FILE,
    "lessons": LESSONS_FILE,
}


def variant(tmp_path: Path, edit=None) -> Path:
    """A copy of the fixture set; ``edit(raw)`` may change the parsed YAML of each file."""
    data = tmp_path / "data"
    for rel in FILES.values():
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURE / rel, data / rel)
    if edit is not None:
        raw = {
            k: yaml.safe_load((data / rel).read_text(encoding="utf-8")) for k, rel in FILES.items()
        }
        edit(raw)
        for key, rel in FILES.items():
            text = yaml.safe_dump(raw[key], allow_unicode=True, sort_keys=False)
            (data / rel).write_text(text, encoding="utf-8")
    return data


def errors_of(load, data_dir: Path, **kwargs):
    with pytest.raises(InputError) as exc:
        load(data_dir, **kwargs)
    assert all(f.severity == "error" for f in exc.value.findings)
    return exc.value.findings


def entry(raw, key: str, ident: str) -> dict:
    return next(e for e in raw[key][key] if e["id"] == ident)


# -- the valid fixture set ---------------------------------------------------------------


def test_fixture_loads_without_findings(agenda):
    assert agenda.findings == ()
    assert list(agenda.efforts["id"]) == ["e-buurtbakkies", "e-energiecoaches", "e-schoolpleinen"]
    assert list(agenda.learning_questions["id"]) == ["lq-01", "lq-02", "lq-03"]
    assert list(agenda.lessons["id"]) == ["les-01", "les-02"]
    assert agenda.overasking_threshold == 3
    assert agenda.area_groups == {
        "dordt-west": ("oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof")
    }


def test_research_dates_and_types(agenda):
    r = agenda.research.set_index("id")
    assert list(r["start"]) == ["2025-03", "2025", "2025-01-01", "2025-08-01", "onbekend"]
    assert list(r["end"]) == ["2025-07-15", "2025", "2025-12-31", "onbekend", "2025-12"]
    assert r.loc["r-enquete", "start_date"] == dt.date(2025, 3, 1)
    assert r.loc["r-actieonderzoek", "end_date"] == dt.date(2025, 12, 31)
    assert r.loc["r-pilot", "start_date"] is None
    assert r.loc["r-pilot", "end_date"] == dt.date(2025, 12, 31)
    assert r.loc["r-citizen", "end_date"] is None
    assert str(r["expected_respondents"].dtype) == "Int64"
    assert pd.isna(r.loc["r-actieonderzoek", "expected_respondents"])
    assert r.loc["r-enquete", "expected_respondents"] == 400
    assert r["resident_facing"].to_dict() == {
        "r-enquete": True,
        "r-actieonderzoek": True,  # ouders count, even next to professionals
        "r-netwerk": False,
        "r-citizen": True,
        "r-pilot": True,
    }
    assert agenda.lessons.set_index("id").loc["les-01", "date"] == dt.date(2025, 11, 20)


def test_efforts_without_any_status_load(tmp_path, load):
    def edit(raw):
        for e in raw["efforts"]["efforts"]:
            e.pop("status", None)

    agenda = load(variant(tmp_path, edit))
    assert agenda.findings == ()
    assert agenda.efforts_status.empty
    assert list(agenda.efforts_status.columns) == ["effort", "year", "status"]
    assert len(agenda.efforts) == 3


def test_efforts_status_long_table(agenda):
    assert agenda.efforts_status.to_dict("records") == [
        {"effort": "e-buurtbakkies", "year": 2024, "status": "in_uitvoering"},
        {"effort": "e-buurtbakkies", "year": 2025, "status": "gerealiseerd"},
        {"effort": "e-energiecoaches", "year": 2024, "status": "niet_gestart"},
        {"effort": "e-energiecoaches", "year": 2025, "status": "vertraagd"},
        {"effort": "e-schoolpleinen", "year": 2024, "status": "in_uitvoering"},
    ]


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2025-03", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (2025, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2025, 7, 15), dt.date(2025, 7, 15), dt.date(2025, 7, 15)),
        ("2025-07-15", dt.date(2025, 7, 15), dt.date(2025, 7, 15)),
    ],
)
def test_partial_dates(value, first, last):
    parsed = parse_partial_date(value)
    assert (parsed.first, parsed.last) == (first, last)


@pytest.mark.parametrize("value", ["onbekend", "Onbekend "])
def test_unknown_date(value):
    assert parse_partial_date(value) is None


@pytest.mark.parametrize(
    "value", ["2025-13", "2025-02-30", "maart 2025", "15-03-2025", 1999, True, 3.5, None, [2025]]
)
def test_bad_partial_dates(value):
    with pytest.raises(ValueError):
        parse_partial_date(value)


# -- errors: every rule with a real bad file ------------------------------------------------


def _set(key, ident, field, value):
    def edit(raw):
        target = entry(raw, key, ident)
        *parents, last = field.split(".")
        for name in parents:
            target = target.setdefault(name, {})
        target[last] = value

    return edit


UNKNOWN_IDS = [
    # (edit, file key, entry, column, message part, bad value on the reported line)
    (
        _set("learning_questions", "lq-03", "goals", ["og99"]),
        "learning_questions",
        "leervraag 'lq-03'",
        "goals",
        "onbekend doel 'og99'",
        "og99",
    ),
    (
        _set("learning_questions", "lq-01", "themes", ["parkeren"]),
        "learning_questions",
        "leervraag 'lq-01'",
        "themes",
        "onbekend thema 'parkeren'",
        "parkeren",
    ),
    (
        _set("learning_questions", "lq-02", "indicators", ["geluk"]),
        "learning_questions",
        "leervraag 'lq-02'",
        "indicators",
        "onbekende indicator 'geluk'",
        "geluk",
    ),
    (
        _set("learning_questions", "lq-02", "pillars", ["sport"]),
        "learning_questions",
        "leervraag 'lq-02'",
        "pillars",
        "onbekende pijler 'sport'",
        "sport",
    ),
    (
        _set("learning_questions", "lq-03", "lessons", ["les-99"]),
        "learning_questions",
        "leervraag 'lq-03'",
        "lessons",
        "onbekende les 'les-99'",
        "les-99",
    ),
    (
        _set("learning_questions", "lq-03", "research", ["r-bestaat-niet"]),
        "learning_questions",
        "leervraag 'lq-03'",
        "research",
        "onbekend onderzoek 'r-bestaat-niet'",
        "r-bestaat-niet",
    ),
    (
        _set("research", "r-enquete", "areas", ["wielwijk", "zuidhoven"]),
        "research",
        "onderzoek 'r-enquete'",
        "areas",
        "onbekend gebied 'zuidhoven'",
        "zuidhoven",
    ),
    (
        _set("research", "r-netwerk", "learning_questions", ["lq-99"]),
        "research",
        "onderzoek 'r-netwerk'",
        "learning_questions",
        "onbekende leervraag 'lq-99'",
        "lq-99",
    ),
    (
        _set("efforts", "e-energiecoaches", "pillar", "sport"),
        "efforts",
        "inspanning 'e-energiecoaches'",
        "pillar",
        "onbekende pijler 'sport'",
        "sport",
    ),
    (
        _set("efforts", "e-energiecoaches", "goals", ["s2-wonen"]),
        "efforts",
        "inspanning 'e-energiecoaches'",
        "goals",
        "onbekend operationeel doel 's2-wonen'",
        "s2-wonen",
    ),
    (
        _set("efforts", "e-buurtbakkies", "contributes_to", ["gezond", "cultuur"]),
        "efforts",
        "inspanning 'e-buurtbakkies'",
        "contributes_to",
        "onbekende pijler 'cultuur'",
        "cultuur",
    ),
    (
        _set("efforts", "e-buurtbakkies", "evidence.stories", ["vt-f01", "vt-zz"]),
        "efforts",
        "inspanning 'e-buurtbakkies'",
        "evidence.stories",
        "onbekend verhaal 'vt-zz'",
        "vt-zz",
    ),
    (
        _set("efforts", "e-buurtbakkies", "evidence.indicators", ["geluk"]),
        "efforts",
        "inspanning 'e-buurtbakkies'",
        "evidence.indicators",
        "onbekende indicator 'geluk'",
        "geluk",
    ),
    (
        _set("efforts", "e-buurtbakkies", "evidence.research", ["r-zz"]),
        "efforts",
        "inspanning 'e-buurtbakkies'",
        "evidence.research",
        "onbekend onderzoek 'r-zz'",
        "r-zz",
    ),
    (
        _set("lessons", "les-01", "applied_in", ["e-bestaat-niet"]),
        "lessons",
        "les 'les-01'",
        "applied_in",
        "onbekende inspanning 'e-bestaat-niet'",
        "e-bestaat-niet",
    ),
    (
        _set("lessons", "les-01", "sources.stories", ["vt-zz"]),
        "lessons",
        "les 'les-01'",
        "sources.stories",
        "onbekend verhaal 'vt-zz'",
        "vt-zz",
    ),
    (
        _set("lessons", "les-01", "sources.research", ["r-zz"]),
        "lessons",
        "les 'les-01'",
        "sources.research",
        "onbekend onderzoek 'r-zz'",
        "r-zz",
    ),
    (
        _set("lessons", "les-02", "learning_questions", ["lq-42"]),
        "lessons",
        "les 'les-02'",
        "learning_questions",
        "onbekende leervraag 'lq-42'",
        "lq-42",
    ),
]


@pytest.mark.parametrize(
    ("edit", "key", "where", "column", "message", "bad"),
    UNKNOWN_IDS,
    ids=[f"{u[1]}-{u[3]}" for u in UNKNOWN_IDS],
)
def test_unknown_id_names_file_entry_field_and_line(
    tmp_path, load, edit, key, where, column, message, bad
):
    data = variant(tmp_path, edit)
    [finding] = errors_of(load, data)
    assert finding.file.endswith(FILES[key].name)
    assert finding.column == column
    assert where in finding.message and message in finding.message
    line = (data / FILES[key]).read_text(encoding="utf-8").splitlines()[finding.row - 1]
    assert bad in line
    text = str(finding)
    assert FILES[key].name in text and f"rij {finding.row}" in text


def test_short_goal_id_gets_a_suggestion(tmp_path, load):
    data = variant(tmp_path, _set("learning_questions", "lq-03", "goals", ["og30"]))
    [finding] = errors_of(load, data)
    assert "bedoel je og30-jongeren-arbeidsmarkt?" in finding.message


def test_story_ids_are_only_checked_when_given(tmp_path, load):
    data = variant(tmp_path, _set("efforts", "e-buurtbakkies", "evidence.stories", ["vt-zz"]))
    agenda = load(data, story_ids=None)
    assert agenda.efforts.loc[0, "evidence_stories"] == ["vt-zz"]


@pytest.mark.parametrize(
    ("key", "ident", "field", "value"),
    [
        ("efforts", "e-energiecoaches", "status.2025", "klaar"),
        ("learning_questions", "lq-01", "status", "bezig"),
        ("research", "r-enquete", "status", "lopende"),
        ("lessons", "les-02", "status", "klaar"),
    ],
)
def test_unknown_status(tmp_path, load, key, ident, field, value):
    [finding] = errors_of(load, variant(tmp_path, _set(key, ident, field, value)))
    assert finding.file.endswith(FILES[key].name)
    assert finding.column == field
    assert repr(value) in finding.message and "toegestaan" in finding.message


@pytest.mark.parametrize(
    ("edit", "key", "column", "part"),
    [
        (_set("research", "r-enquete", "start", "2025-13"), "research", "start", "maand 13"),
        (_set("research", "r-enquete", "end", "volgend jaar"), "research", "end", "geen datum"),
        (_set("research", "r-enquete", "start", "2026-01"), "research", "end", "ligt voor start"),
        (_set("research", "r-netwerk", "start", None), "research", "start", "ontbreekt"),
        (_set("lessons", "les-01", "date", "gisteren"), "lessons", "date", "geen datum"),
        (_set("lessons", "les-01", "date", "2025-02-30"), "lessons", "date", "geen bestaande dag"),
        (_set("lessons", "les-01", "date", "2025-11"), "lessons", "date", "geen datum"),
        (_set("lessons", "les-02", "date", None), "lessons", "date", "ontbreekt"),
    ],
)
def test_bad_dates(tmp_path, load, edit, key, column, part):
    [finding] = errors_of(load, variant(tmp_path, edit))
    assert finding.file.endswith(FILES[key].name)
    assert finding.column == column
    assert part in finding.message


def test_bad_status_year(tmp_path, load):
    def edit(raw):
        entry(raw, "efforts", "e-schoolpleinen")["status"]["vorig jaar"] = "gerealiseerd"

    [finding] = errors_of(load, variant(tmp_path, edit))
    assert finding.column == "status.vorig jaar"
    assert "inspanning 'e-schoolpleinen'" in finding.message and "jaartal" in finding.message


@pytest.mark.parametrize("key", list(FILES))
def test_duplicate_id(tmp_path, load, key):
    def edit(raw):
        raw[key][key].append(dict(raw[key][key][0]))

    data = variant(tmp_path, edit)
    findings = errors_of(load, data)
    dup = [f for f in findings if "twee keer" in f.message]
    assert len(dup) == 1
    assert dup[0].file.endswith(FILES[key].name) and dup[0].column == "id"
    first_id = yaml.safe_load((data / FILES[key]).read_text())[key][0]["id"]
    assert f"'{first_id}'" in dup[0].message
    lines = (data / FILES[key]).read_text(encoding="utf-8").splitlines()
    # the second occurrence is reported, and the message names the first one's line
    assert dup[0].row > max(i for i, x in enumerate(lines, 1) if f"id: {first_id}" in x) - 1
    assert "ook op rij" in dup[0].message


@pytest.mark.parametrize(
    ("key", "ident", "field", "value", "part"),
    [
        ("learning_questions", "lq-02", "question", None, "ontbreekt"),
        ("learning_questions", "lq-02", "owner", 42, "tekst"),
        ("learning_questions", "lq-02", "goals", "s2-wonen", "lijst"),
        ("research", "r-enquete", "expected_respondents", "veel", "geheel getal"),
        ("research", "r-enquete", "expected_respondents", True, "geheel getal"),
        ("research", "r-enquete", "expected_respondents", -3, "geheel getal"),
        ("research", "r-enquete", "target_groups", ["bewoners", "toeristen"], "'toeristen'"),
        ("research", "r-enquete", "target_groups", [], "ontbreekt of is leeg"),
        ("research", "r-enquete", "areas", [], "ontbreekt of is leeg"),
        ("research", "r-enquete", "partner", "", "ontbreekt"),
        ("efforts", "e-energiecoaches", "results_2026", "twee", "lijst"),
        ("efforts", "e-energiecoaches", "label", None, "ontbreekt"),
        ("efforts", "e-energiecoaches", "status", ["vertraagd"], "mapping"),
        ("efforts", "e-energiecoaches", "source", None, "ontbreekt"),
        ("lessons", "les-01", "sources.evaluation_years", ["2025x"], "jaartal"),
        ("lessons", "les-01", "lesson", "", "ontbreekt"),
        ("lessons", "les-01", "id", "les-1a", "les-NN"),
        ("efforts", "e-schoolpleinen", "id", "e_school", "e-<slug>"),
    ],
)
def test_missing_field_or_wrong_type(tmp_path, load, key, ident, field, value, part):
    findings = errors_of(load, variant(tmp_path, _set(key, ident, field, value)))
    hits = [f for f in findings if f.column == field and part in f.message]
    assert hits, [str(f) for f in findings]
    assert all(f.file.endswith(FILES[key].name) for f in hits)


def test_settings_are_required(tmp_path, load):
    def edit(raw):
        raw["research"]["settings"] = {"overasking_threshold": "drie"}

    [finding] = errors_of(load, variant(tmp_path, edit))
    assert finding.column == "settings.overasking_threshold"

    def drop(raw):
        del raw["research"]["settings"]

    [finding] = errors_of(load, variant(tmp_path / "b", drop))
    assert finding.column == "settings"


def test_all_errors_are_collected_at_once(tmp_path, load):
    def edit(raw):
        _set("efforts", "e-energiecoaches", "pillar", "sport")(raw)
        _set("learning_questions", "lq-01", "status", "bezig")(raw)
        _set("research", "r-enquete", "start", "2025-13")(raw)
        _set("lessons", "les-01", "applied_in", ["e-zz"])(raw)
        raw["lessons"]["lessons"].append("geen mapping")

    findings = errors_of(load, variant(tmp_path, edit))
    assert len(findings) == 5
    # in file order: efforts, learning questions, research, lessons
    files = [Path(f.file).name for f in findings]
    assert files == [
        "efforts.yaml",
        "learning_questions.yaml",
        "research.yaml",
        "lessons.yaml",
        "lessons.yaml",
    ]


def test_missing_file_and_invalid_yaml_are_reported_with_the_rest(tmp_path, load):
    data = variant(tmp_path, _set("research", "r-enquete", "status", "lopende"))
    (data / LESSONS_FILE).unlink()
    (data / EFFORTS_FILE).write_text("efforts:\n  - id: e-x\n    label: [niet gesloten\n")
    findings = errors_of(load, data)
    by_file = {Path(f.file).name: f for f in findings}
    assert "ontbreekt" in by_file["lessons.yaml"].message
    assert "geen geldige YAML" in by_file["efforts.yaml"].message
    assert by_file["efforts.yaml"].row is not None
    assert "lopende" in by_file["research.yaml"].message


def test_top_level_list_missing(tmp_path, load):
    data = variant(tmp_path)
    (data / LEARNING_QUESTIONS_FILE).write_text("vragen: []\n", encoding="utf-8")
    findings = errors_of(load, data)
    assert any(f.column == "learning_questions" and "ontbreekt" in f.message for f in findings), (
        findings
    )


def test_empty_lists_are_fine(tmp_path, load):
    def edit(raw):
        raw["lessons"]["lessons"] = []
        for q in raw["learning_questions"]["learning_questions"]:
            q["lessons"] = []

    agenda = load(variant(tmp_path, edit))
    assert agenda.lessons.empty and list(agenda.lessons.columns)[0] == "id"
    # a list key with nothing under it yet is an empty list too
    data = variant(tmp_path / "leeg", edit)
    (data / LESSONS_FILE).write_text("lessons:\n", encoding="utf-8")
    assert load(data).lessons.empty


# -- warnings ------------------------------------------------------------------------------


def test_one_sided_links_are_warnings(tmp_path, load):
    def edit(raw):
        entry(raw, "research", "r-netwerk")["learning_questions"] = ["lq-03"]
        entry(raw, "learning_questions", "lq-03")["research"] = ["r-pilot"]
        entry(raw, "learning_questions", "lq-02")["lessons"] = ["les-01"]
        entry(raw, "lessons", "les-02")["learning_questions"] = ["lq-03"]

    agenda = load(variant(tmp_path, edit))
    messages = {(Path(f.file).name, f.column, f.message) for f in agenda.findings}
    assert all(f.severity == "warning" for f in agenda.findings)
    assert len(agenda.findings) == 4, messages
    texts = " | ".join(m for _, _, m in messages)
    assert "onderzoek 'r-netwerk' noemt leervraag 'lq-03'" in texts
    assert "leervraag 'lq-03' noemt onderzoek 'r-pilot'" in texts
    assert "leervraag 'lq-02' noemt les 'les-01'" in texts
    assert "les 'les-02' noemt leervraag 'lq-03'" in texts
    files = {(name, column) for name, column, _ in messages}
    assert files == {
        ("research.yaml", "learning_questions"),
        ("learning_questions.yaml", "research"),
        ("learning_questions.yaml", "lessons"),
        ("lessons.yaml", "learning_questions"),
    }


def test_lesson_without_own_question_list_does_not_contradict(tmp_path, load):
    # les-02 keeps no list of questions: lq-03 naming it is not one-sided.
    agenda = load(variant(tmp_path, _set("learning_questions", "lq-03", "lessons", ["les-02"])))
    assert agenda.findings == ()


def test_other_warnings(tmp_path, load):
    def edit(raw):
        entry(raw, "learning_questions", "lq-03")["status"] = "beantwoord"
        entry(raw, "lessons", "les-02")["status"] = "toegepast"
        entry(raw, "lessons", "les-02")["sources"] = {}
        entry(raw, "efforts", "e-schoolpleinen")["budget"] = 1000

    agenda = load(variant(tmp_path, edit))
    texts = [f.message for f in agenda.findings]
    assert len(texts) == 4, texts
    assert any("lq-03' is beantwoord" in t for t in texts)
    assert any("status 'toegepast'" in t for t in texts)
    assert any("geen bron" in t for t in texts)
    assert any("onbekend veld 'budget'" in t for t in texts)


# -- property: any bad value loads or raises the project's input error ------------------

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.dates(),
    st.lists(st.one_of(st.text(max_size=8), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(list(FILES)),
    index=st.integers(0, 4),
    field=st.sampled_from(
        [
            "id",
            "label",
            "pillar",
            "goals",
            "status",
            "evidence",
            "question",
            "research",
            "areas",
            "start",
            "end",
            "target_groups",
            "expected_respondents",
            "date",
            "sources",
            "applied_in",
            "learning_questions",
        ]
    ),
    value=_VALUES,
)
def test_any_value_loads_or_raises_input_error(registry, codebook, key, index, field, value):
    with tempfile.TemporaryDirectory() as tmp:

        def edit(raw):
            items = raw[key][key]
            items[index % len(items)][field] = value

        data = variant(Path(tmp), edit)
        try:
            load_agenda(data, registry, codebook=codebook, story_ids=["vt-f01", "vt-f02"])
        except InputError as exc:
            assert exc.findings and all(f.file for f in exc.findings)


# -- command line -------------------------------------------------------------------------------


def cli_data(tmp_path: Path, edit=None) -> Path:
    """A full data folder: the bundled registry with the fixture efforts and agenda."""
    data = tmp_path / "cli"
    shutil.copytree(DATA_DIR / "registry", data / "registry")
    src = variant(tmp_path / "src", edit)
    shutil.copy(src / EFFORTS_FILE, data / EFFORTS_FILE)
    shutil.copytree(src / "agenda", data / "agenda")
    return data


def test_cli_agenda_check_warnings_exit_0(tmp_path, capsys):
    data = cli_data(tmp_path)
    assert main(["agenda", "check", "--data", str(data), "--stories", str(STORIES)]) == 0
    out = capsys.readouterr().out
    assert "3 leervragen, 5 onderzoeksactiviteiten, 2 lessen, 3 inspanningen" in out
    assert "Wielwijk 2025Q3" in out
    assert "16 x geen indicator" in out
    assert "e-schoolpleinen" in out and "lq-03" in out
    assert "3 waarschuwing(en)" in out
    # Five short fixture stories speak to few goals: the rest are gaps, og01 among them.
    line = next(x for x in out.splitlines() if "geen gecodeerde verhalen over dit doel" in x)
    assert "og01-woonomgeving" in line


def test_cli_agenda_check_strict_exit_1(tmp_path, capsys):
    data = cli_data(tmp_path)
    args = ["agenda", "check", "--data", str(data), "--stories", str(STORIES), "--strict"]
    assert main(args) == 1
    assert "--strict" in capsys.readouterr().out


def test_cli_agenda_check_strict_clean_exit_0(tmp_path, capsys):
    def edit(raw):
        raw["research"]["settings"]["overasking_threshold"] = 10
        entry(raw, "research", "r-citizen")["end"] = "2025-12"
        entry(raw, "research", "r-pilot")["start"] = "2025-10"

    data = cli_data(tmp_path, edit)
    args = ["agenda", "check", "--data", str(data), "--stories", str(STORIES), "--strict"]
    assert main(args) == 0, capsys.readouterr().out
    assert "0 waarschuwing(en)" in capsys.readouterr().out


def test_cli_agenda_check_broken_file_exit_1_no_traceback(tmp_path, capsys):
    data = cli_data(tmp_path, _set("learning_questions", "lq-03", "goals", ["og99"]))
    assert main(["agenda", "check", "--data", str(data), "--stories", str(STORIES)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "learning_questions.yaml" in err and "lq-03" in err and "veld 'goals'" in err


def test_cli_agenda_check_unknown_story_and_missing_story_folder(tmp_path, capsys):
    data = cli_data(tmp_path, _set("lessons", "les-01", "sources.stories", ["vt-zz"]))
    assert main(["agenda", "check", "--data", str(data), "--stories", str(STORIES)]) == 1
    assert "onbekend verhaal 'vt-zz'" in capsys.readouterr().err
    # without a story folder story ids are not checked and the run goes on
    missing = tmp_path / "geen-verhalen"
    assert main(["agenda", "check", "--data", str(data), "--stories", str(missing)]) == 0
    assert "Geen verhalenmap gevonden" in capsys.readouterr().out


def test_cli_efforts_status(tmp_path, capsys):
    data = cli_data(tmp_path)
    assert main(["efforts", "status", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "Status van de inspanningen in 2025" in out
    assert "niet vastgelegd" in out and "vertraagd" in out
    assert main(["efforts", "status", "--data", str(data), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "in 2024" in out and "niet gestart" in out


def test_cli_efforts_status_broken_file(tmp_path, capsys):
    data = cli_data(tmp_path, _set("efforts", "e-energiecoaches", "status.2025", "klaar"))
    assert main(["efforts", "status", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "efforts.yaml" in err and "status.2025" in err


# -- the bundled data --------------------------------------------------------------------------


def test_bundled_agenda_loads_without_errors(bundled, registry, codebook):
    stories = stories_in(bundled)
    agenda = load_agenda(
        DATA_DIR, registry, codebook=codebook, story_ids=[s.id for s in stories.stories]
    )
    assert len(agenda.efforts) > 0
    assert len(agenda.learning_questions) > 0
    assert len(agenda.research) > 0
    written = yaml.safe_load((DATA_DIR / RESEARCH_FILE).read_text(encoding="utf-8"))
    assert agenda.overasking_threshold == written["settings"]["overasking_threshold"]
    assert set(efforts_status(agenda)["status"]) <= {
        "niet_gestart",
        "in_uitvoering",
        "gerealiseerd",
        "vertraagd",
        "gestopt",
        NOT_RECORDED,
    }


def test_missing_file_is_reported_once(tmp_path, load):
    # Ids pointing into a missing file are not repeated as unknown ids.
    data = variant(tmp_path)
    (data / LESSONS_FILE).unlink()
    [finding] = errors_of(load, data)
    assert finding.file.endswith("lessons.yaml") and "ontbreekt" in finding.message


def test_cli_agenda_check_refuses_story_files_evaluate_refuses(tmp_path, capsys):
    # `npdw evaluate` refuses a broken story file; `agenda check` must agree (exit 1).
    stories = tmp_path / "verhalen"
    shutil.copytree(STORIES, stories)
    (stories / "vt-kapot.md").write_text("geen kop\n", encoding="utf-8")
    data = cli_data(tmp_path)
    args = ["agenda", "check", "--data", str(data), "--stories", str(stories)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "1 verhaalbestand(en) met fouten; `npdw evaluate` weigert ze ook" in out
    assert "FOUT: " in out and "vt-kapot.md" in out
    assert "Samenvatting: 1 fout(en)" in out
    from npdw_learning.evaluatie.preflight import check_inputs
    from npdw_learning.evaluatie.steps import Run

    shutil.copytree(DATA_DIR / "measurements", data / "measurements")
    run = Run.from_parameters(2026, data, stories, tmp_path / "uit")
    with pytest.raises(InputError) as refused:
        check_inputs(run)
    refused_files = {f.file for f in refused.value.findings}
    assert refused_files == {str(stories / "vt-kapot.md")}
    assert all(str(f) in out for f in refused.value.findings)
