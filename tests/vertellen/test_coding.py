"""Codebook, automatic coding and coders' files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npdw_learning.kern.errors import InputError, RegistryError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.yamlfile import YamlChecker, display_name
from npdw_learning.vertellen.coding import (
    CODE_COLUMNS,
    _check_theme,
    _theme_goals,
    auto_code,
    codebook_in,
    coding_matrix,
    load_codebook,
    read_coder_file,
)

DATA = Path(__file__).parents[1] / "data"
THEMES = [
    "overlast",
    "onveiligheid",
    "afval-verloedering",
    "eenzaamheid",
    "rondkomen-schulden",
    "woning-energie",
    "werk",
    "school-taal",
    "gezondheid-bewegen",
    "vertrouwen-instanties",
    "jongeren",
    "ontmoeting",
    "groen-buitenruimte",
    "zorg-ondersteuning",
]


@pytest.fixture(scope="module")
def book():
    return codebook_in(ProgrammeFolder.bundled())


def _code(texts: list[str], book) -> pd.DataFrame:
    stories = pd.DataFrame({"id": [f"s{i}" for i in range(len(texts))], "text": texts})
    return auto_code(stories, book)


# -- the shipped codebook ------------------------------------------------------------


def test_shipped_codebook_has_the_fixed_themes(book):
    assert sorted(book.ids) == sorted(THEMES)


def test_shipped_codebook_covers_every_pillar_and_only_known_goals(book):
    reg = ProgrammeFolder.bundled().registry
    assert set(book.frame()["pillar"]) == set(reg.pillars["id"])
    assert set(book.goal_links()["goal"]) <= set(reg.operational_goals["id"])
    for theme in book.themes:
        assert theme.label and theme.description and theme.example, theme.id
        assert theme.goals, theme.id


def test_every_example_is_coded_with_its_own_theme(book):
    codes = _code([t.example for t in book.themes], book)
    for i, theme in enumerate(book.themes):
        found = set(codes.loc[codes["story_id"] == f"s{i}", "theme"])
        assert theme.id in found, (theme.id, theme.example)


# -- automatic coding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "theme", "evidence"),
    [
        (
            "De bovenburen draaien elke nacht harde muziek, die geluidsoverlast is niet te doen.",
            "overlast",
            "harde muziek | geluidsoverlast",
        ),
        (
            "Wij kwamen niet rond en de schulden liepen op.",
            "rondkomen-schulden",
            "kwamen niet rond | schulden",
        ),
        (
            "Via het wijkteam kreeg mijn moeder eindelijk thuiszorg.",
            "zorg-ondersteuning",
            "wijkteam | thuiszorg",
        ),
        ("De jongeren hangen rond bij het winkelcentrum.", "overlast", "hangen rond"),
        ("De jongeren hangen rond bij het winkelcentrum.", "jongeren", "jongeren"),
        (
            "Mijn dochter volgt taallessen in de bibliotheek.",
            "school-taal",
            "taallessen | bibliotheek",
        ),
        (
            "We werden van het kastje naar de muur gestuurd, de gemeente luistert niet.",
            "vertrouwen-instanties",
            "kastje naar de muur | de gemeente luistert niet",
        ),
        ("In de badkamer zit schimmel en het tocht overal.", "woning-energie", "schimmel | tocht"),
        ("Er staan nieuwe bankjes op het plein.", "groen-buitenruimte", "bankjes | plein"),
    ],
)
def test_auto_code_finds_theme_with_evidence_in_text_order(book, text, theme, evidence):
    codes = _code([text], book)
    row = codes[codes["theme"] == theme]
    assert len(row) == 1, codes
    assert row["evidence"].iloc[0] == evidence
    assert row["n_matches"].iloc[0] == evidence.count(" | ") + 1


@pytest.mark.parametrize(
    "text",
    [
        "Het weer was mooi en we hebben een ijsje gegeten.",
        "Gisteren was mijn verjaardag en de taart was lekker.",
        "Ik zit de hele avond thuis op de bank te lezen.",  # "bankje" is matched as written only
        "",
    ],
)
def test_auto_code_leaves_unrelated_text_alone(book, text):
    assert _code([text], book).empty


def test_auto_code_frame_shape_and_order(book):
    codes = _code(
        ["Er ligt grofvuil naast de container.", "Niets bijzonders.", "Ik ben eenzaam."], book
    )
    assert list(codes.columns) == CODE_COLUMNS
    assert codes["story_id"].tolist() == ["s0", "s2"]
    assert codes["n_matches"].dtype == "int64"


def test_overlapping_matches_of_a_theme_join_into_one_span(book):
    # The phrase "naast de container" contains the lemma "container": one match.
    codes = _code(["Er ligt troep naast de container."], book)
    assert codes["evidence"].tolist() == ["troep | naast de container"]
    assert codes["n_matches"].tolist() == [2]
    # "de gemeente luistert" and "luistert niet" overlap: joined.
    codes = _code(["Ik denk: de gemeente luistert niet."], book)
    assert codes["evidence"].tolist() == ["de gemeente luistert niet"]
    assert codes["n_matches"].tolist() == [1]


def test_auto_code_needs_id_and_text(book):
    with pytest.raises(ValueError, match="text"):
        auto_code(pd.DataFrame({"id": ["a"]}), book)


# -- codebook validation -------------------------------------------------------------


def _errors(name: str) -> list:
    with pytest.raises(RegistryError) as info:
        load_codebook(DATA / name, ProgrammeFolder.bundled().registry)
    # named as a person in the project folder types it (relative to the working folder)
    assert all(display_name(DATA / name) == f.file for f in info.value.findings)
    return info.value.findings


def test_unknown_pillar_names_file_theme_line_and_allowed_values():
    (finding,) = _errors("coding_codebook_onbekende_pijler.yaml")
    assert finding.column == "pillar"
    assert finding.row == 6
    assert "thema 'bewegen'" in finding.message
    assert "'sport'" in finding.message and "wonen, gezond, leren, werk, veilig" in finding.message
    assert finding.char == 13  # "    pillar: sport": the value


def test_unknown_goal_with_a_hint_for_the_short_id():
    findings = _errors("coding_codebook_onbekend_doel.yaml")
    messages = [f.message for f in findings]
    assert len(findings) == 2
    assert all(f.column == "goals" and f.row == 7 for f in findings)
    assert any("'og12'" in m and "og12-beweegrichtlijn" in m for m in messages)
    assert any("'og99-vliegen'" in m for m in messages)


def test_duplicate_theme_id():
    (finding,) = _errors("coding_codebook_dubbel_id.yaml")
    assert finding.column == "id"
    assert finding.row == 10
    assert "twee keer" in finding.message and "rij 3" in finding.message


def test_theme_without_patterns():
    findings = _errors("coding_codebook_geen_patronen.yaml")
    messages = " ".join(f.message for f in findings)
    assert "geen patronen" in messages
    assert "leeg of ongeldig patroon" in messages
    assert all("thema 'bewegen'" in f.message for f in findings)


def test_pattern_mistakes():
    findings = _errors("coding_codebook_patroonfouten.yaml")
    messages = " ".join(f.message for f in findings)
    assert "'samen sporten' bestaat uit meer woorden" in messages
    assert "'*les': na * moeten minstens 4 letters" in messages
    assert "'sp*rt': * of = mag alleen vooraan" in messages
    assert "'wandelen' is één woord" in messages


def test_broken_yaml_gives_line():
    (finding,) = _errors("coding_codebook_geen_yaml.yaml")
    assert "geen geldige YAML" in finding.message
    assert finding.row is not None


def test_missing_codebook(tmp_path):
    with pytest.raises(RegistryError, match="ontbreekt"):
        load_codebook(tmp_path / "codebook.yaml", ProgrammeFolder.bundled().registry)


def test_codebook_without_themes_list(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("thema:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_codebook(path, ProgrammeFolder.bundled().registry)
    assert info.value.findings[0].column == "themes"


# -- coders' files and the coding matrix ------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "anna.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_read_coder_file(tmp_path, book):
    path = _write(
        tmp_path,
        "Story_ID,Theme,opmerking\nvt-001,werk,\nvt-001, Overlast ,twijfel\nvt-001,werk,\n"
        "vt-002,,\nvt-003,,\nvt-003,jongeren,\n",
    )
    codes = read_coder_file(path, book)
    assert codes.to_dict("records") == [
        {"story_id": "vt-001", "theme": "werk"},
        {"story_id": "vt-001", "theme": "overlast"},
        {"story_id": "vt-002", "theme": ""},
        {"story_id": "vt-003", "theme": "jongeren"},
    ]


def test_read_coder_file_semicolon_and_bom(tmp_path, book):
    path = _write(tmp_path, "\ufeffstory_id;theme\r\nvt-001;werk\r\n")
    assert read_coder_file(path, book).to_dict("records") == [
        {"story_id": "vt-001", "theme": "werk"}
    ]


def test_coder_file_bad_header(tmp_path, book):
    path = _write(tmp_path, "verhaal;code\nvt-001;werk\n")
    with pytest.raises(InputError) as info:
        read_coder_file(path, book)
    findings = info.value.findings
    assert [(f.file, f.row, f.column) for f in findings] == [
        (str(path), 1, "story_id"),
        (str(path), 1, "theme"),
    ]
    assert "story_id,theme" in findings[0].message


def test_coder_file_unknown_theme_names_row_and_column(tmp_path, book):
    path = _write(tmp_path, "story_id,theme\nvt-001,werk\nvt-002,overlst\n")
    with pytest.raises(InputError) as info:
        read_coder_file(path, book)
    (finding,) = info.value.findings
    assert (finding.row, finding.column) == (3, "theme")
    assert "onbekend thema 'overlst'" in finding.message
    assert str(finding).startswith(f"FOUT: {path}, rij 3, kolom 'theme'")


def test_coder_file_empty_or_unknown_story(tmp_path, book):
    path = _write(tmp_path, "story_id,theme\n,werk\nvt-009,werk\nvt-001,werk\n")
    with pytest.raises(InputError) as info:
        read_coder_file(path, book, story_ids=["vt-001"])
    assert [(f.row, f.column) for f in info.value.findings] == [(2, "story_id"), (3, "story_id")]


def test_coder_file_missing_or_empty(tmp_path, book):
    with pytest.raises(InputError, match="ontbreekt"):
        read_coder_file(tmp_path / "bram.csv", book)
    with pytest.raises(InputError, match="geen codes"):
        read_coder_file(_write(tmp_path, "story_id,theme\n"), book)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_any_coder_file_loads_or_raises_input_error(tmp_path, book, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b"story_id,theme\n" + data)
    try:
        codes = read_coder_file(path, book)
    except InputError:
        return
    assert list(codes.columns) == ["story_id", "theme"]
    assert set(codes["theme"]) <= {*book.ids, ""}


def test_coding_matrix():
    codes = pd.DataFrame(
        {
            "story_id": ["a", "a", "b", "c", "z"],
            "theme": ["werk", "jongeren", None, "werk", "werk"],
        }
    )
    matrix = coding_matrix(codes, ["c", "b", "a"], ["werk", "jongeren", "overlast"])
    assert matrix.index.tolist() == ["c", "b", "a"]
    assert matrix.to_numpy().tolist() == [[1, 0, 0], [0, 0, 0], [1, 1, 0]]
    with pytest.raises(ValueError, match="jongeren"):
        coding_matrix(codes, ["a"], ["werk"])


def test_the_codebook_of_a_folder_is_under_its_registry(tmp_path):
    assert ProgrammeFolder(tmp_path).codebook_file == tmp_path / "registry" / "codebook.yaml"
    assert ProgrammeFolder.bundled().codebook_file.is_file()  # the bundled one is there


# -- the named steps of checking a codebook ------------------------------------------


GOOD_THEME = {
    "id": "groen",
    "label": "Groen",
    "description": "Parken en bomen.",
    "example": "Het park is mooier.",
    "pillar": "wonen",
    "goals": ["og02-gezonde-leefomgeving"],
    "lemmas": ["park", "*boom"],
    "phrases": ["groene  straat"],
}
PILLARS = ["wonen", "werk"]
GOALS = ["og02-gezonde-leefomgeving", "og17-betrokkenheid"]
PATH, WHERE = ("themes", 0), "thema 'groen'"


def _checker(text: str = "") -> YamlChecker:
    return YamlChecker.from_text(text, "codebook.yaml")[0]


def test_theme_entries_report_a_non_mapping_and_a_bad_slug_at_their_place():
    text = "themes:\n  - id: groen\n  - [groen]\n  - id: Groen Thema\n  - label: x\n"
    chk, data = YamlChecker.from_text(text, "codebook.yaml")
    assert [where for _, where, _ in chk.entries(data, "themes", "thema")] == ["thema 'groen'"]
    assert [(f.row, f.char, f.column, f.message) for f in chk.findings] == [
        (3, 5, "themes", "thema nummer 2: verwacht velden (id, ...)"),
        (
            4,
            9,
            "id",
            "thema nummer 3: id 'Groen Thema' ontbreekt of heeft niet de vorm een slug "
            "(kleine letters, cijfers, - of _)",
        ),
        (
            5,
            5,  # no id: the entry
            "id",
            "thema nummer 4: id None ontbreekt of heeft niet de vorm een slug "
            "(kleine letters, cijfers, - of _)",
        ),
    ]


def test_check_theme_reads_a_good_entry_without_complaint():
    chk = _checker()
    theme = _check_theme(chk, PATH, WHERE, dict(GOOD_THEME), PILLARS, GOALS)
    assert chk.findings == []
    assert theme.goals == ("og02-gezonde-leefomgeving",)
    assert theme.lemmas == ("park", "*boom")
    assert theme.phrases == ("groene straat",)  # spaces normalised
    assert theme.label == "Groen" and theme.pillar == "wonen"


def test_check_theme_reports_every_bad_field_and_still_returns_the_theme():
    chk = _checker()
    item = {
        **GOOD_THEME,
        "label": " ",
        "pillar": "sport",
        "goals": ["og1", "og99-niets"],
        "lemmas": ["twee woorden"],
        "phrases": [],
        "kleur": "groen",
    }
    del item["example"]
    theme = _check_theme(chk, PATH, WHERE, item, PILLARS, GOALS)
    fields = [f.column for f in chk.findings]
    assert fields == ["label", "example", "pillar", "goals", "goals", "lemmas", "kleur"]
    messages = [f.message.removeprefix(f"{WHERE}: ") for f in chk.findings]
    assert "'pillar' is 'sport'; toegestaan: wonen, werk" in messages
    assert "onbekend operationeel doel 'og99-niets'" in messages
    assert "bestaat uit meer woorden" in messages[5]
    assert "onbekend veld 'kleur'" in messages
    assert theme.label == "" and theme.example == ""


def test_theme_goals_suggest_the_one_goal_a_short_id_means():
    chk = _checker()
    assert _theme_goals(chk, PATH, WHERE, {"goals": ["og17"]}, GOALS) == []
    assert [f.message for f in chk.findings] == [
        "thema 'groen': onbekend operationeel doel 'og17' (bedoel je og17-betrokkenheid?)"
    ]
    chk = _checker()
    _theme_goals(chk, PATH, WHERE, {"goals": ["og"]}, GOALS)  # two goals start with it
    assert [f.message for f in chk.findings] == ["thema 'groen': onbekend operationeel doel 'og'"]
    for missing in (None, [], "og17-betrokkenheid"):
        chk = _checker()
        assert _theme_goals(chk, PATH, WHERE, {"goals": missing}, GOALS) == []
        assert [f.column for f in chk.findings] == ["goals"]


def test_a_story_in_another_language_is_not_coded_and_listed(book):
    from npdw_learning.vertellen.coding import not_coded

    text = "Er ligt grofvuil naast de container."
    stories = pd.DataFrame(
        {"id": ["vt-1", "vt-2", "vt-3"], "text": [text] * 3, "language": ["nl", "en", None]}
    )
    assert list(auto_code(stories, book)["story_id"]) == ["vt-1", "vt-3"]
    assert not_coded(stories).to_dict("records") == [{"id": "vt-2", "language": "en"}]
    assert not_coded(stories.drop(columns="language")).empty
