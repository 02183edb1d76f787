"""Story files: front matter validation names file, field and the allowed values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from npdw_learning.cli import main
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.stories import (
    Story,
    load_stories,
    may_quote,
    parse_story,
    render_story,
    stories_in,
    vocabulary_in,
    write_story,
)

VOCAB = vocabulary_in(ProgrammeFolder.bundled())

GOOD = """---
id: vt-901
date: 2025-03-14
area: wielwijk
teller: bewoner
channel: buurtbakkie
pillars: [gezond, veilig]
change: beter
consent: citeren
synthetic: true
---
Sinds de buurtbakkie op het plein staat, praat ik weer met mijn buren.
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_story(tmp_path):
    story, findings = parse_story(write(tmp_path, "vt-901.md", GOOD), VOCAB)
    assert findings == []
    assert story is not None
    assert (story.id, story.area, story.pillars, story.date) == (
        "vt-901",
        "wielwijk",
        ("gezond", "veilig"),
        dt.date(2025, 3, 14),
    )
    assert story.synthetic
    assert story.text.startswith("Sinds de buurtbakkie")


@pytest.mark.parametrize(
    ("old", "new", "column", "expected"),
    [
        ("area: wielwijk", "area: zwijndrecht", "area", "oud-krispijn"),
        ("teller: bewoner", "teller: buurman", "teller", "professional"),
        ("channel: buurtbakkie", "channel: facebook", "channel", "wijkbijeenkomst"),
        ("change: beter", "change: top", "change", "gemengd"),
        ("consent: citeren", "consent: ja", "consent", "publiceren"),
        ("pillars: [gezond, veilig]", "pillars: [sport]", "pillars", "wonen"),
        ("date: 2025-03-14", "date: gisteren", "date", "JJJJ-MM-DD"),
    ],
)
def test_bad_field_names_file_field_and_allowed_values(tmp_path, old, new, column, expected):
    path = write(tmp_path, "vt-901.md", GOOD.replace(old, new))
    story, findings = parse_story(path, VOCAB)
    assert story is None
    errors = [f for f in findings if f.severity == "error"]
    assert [f.column for f in errors] == [column]
    assert str(path) == errors[0].file
    assert expected in errors[0].message


def test_story_without_consent_is_rejected(tmp_path):
    path = write(tmp_path, "vt-901.md", GOOD.replace("consent: citeren\n", ""))
    story, findings = parse_story(path, VOCAB)
    assert story is None
    assert any(f.column == "consent" and "toestemming" in f.message for f in findings)
    collection = load_stories(tmp_path, VOCAB)
    assert collection.stories == []  # never analysed silently
    assert collection.errors


def test_missing_front_matter_and_empty_text(tmp_path):
    _, f1 = parse_story(write(tmp_path, "a.md", "Alleen tekst.\n"), VOCAB)
    assert "---" in f1[0].message
    _, f2 = parse_story(
        write(
            tmp_path,
            "vt-901.md",
            GOOD.split("---\n", 2)[0] + "---\n" + GOOD.split("---\n")[1] + "---\n\n",
        ),
        VOCAB,
    )
    assert any(f.column == "text" for f in f2)


def test_duplicate_ids_and_readme_skipped(tmp_path):
    write(tmp_path, "vt-901.md", GOOD)
    write(tmp_path, "kopie.md", GOOD)
    write(tmp_path, "README.md", "# uitleg\n")
    collection = load_stories(tmp_path, VOCAB)
    assert len(collection.stories) == 1
    assert any("staat ook in" in f.message for f in collection.errors)


def test_render_and_write_roundtrip(tmp_path):
    story = Story(
        id="vt-902",
        date=dt.date(2026, 1, 5),
        area="crabbehof",
        teller="professional",
        channel="interview",
        pillars=("wonen",),
        change="gemengd",
        consent="analyse",
        text="De woningen worden aangepakt, maar de overlast blijft.",
        title="Renovatie",
    )
    path = write_story(story, tmp_path)
    again, findings = parse_story(path, VOCAB)
    assert findings == []
    assert again is not None
    assert render_story(again) == render_story(story)
    assert path.read_text(encoding="utf-8") == render_story(story)


def test_frame_columns(tmp_path):
    write(tmp_path, "vt-901.md", GOOD)
    frame = load_stories(tmp_path, VOCAB).frame()
    assert frame.loc[0, "year"] == 2025
    assert list(frame.columns)[:3] == ["id", "date", "year"]


def test_may_quote():
    assert not may_quote("analyse", VOCAB)
    assert may_quote("citeren", VOCAB)
    assert may_quote("publiceren", VOCAB)
    assert not may_quote("nee", VOCAB)


def test_allowlist_keeps_areas_and_organisations():
    assert {"Wielwijk", "Oud-Krispijn", "Dordrecht", "Dordt West", "GGD"} <= set(VOCAB.allowlist)


def test_cli_validate(tmp_path, capsys):
    write(tmp_path, "vt-901.md", GOOD.replace("area: wielwijk", "area: zwijndrecht"))
    assert main(["stories", "validate", "--stories", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    # at the line and column of the value, as an editor counts them (line 1 is '---')
    assert "vt-901.md, rij 4, kolom 7, veld 'area'" in out and "zwijndrecht" in out


def test_a_field_of_the_wrong_shape_is_one_error_at_its_line(tmp_path, capsys):
    """A list where one value belongs is refused at its place, and not also called missing."""
    write(tmp_path, "vt-901.md", GOOD.replace("teller: bewoner", "teller: [bewoner]"))
    assert main(["stories", "validate", "--stories", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "vt-901.md, rij 5, kolom 9, veld 'teller'" in out
    assert "ontbreekt" not in out and "1 fout(en)" in out


def test_a_missing_field_is_named_without_a_place_to_point_at(tmp_path, capsys):
    write(tmp_path, "vt-901.md", GOOD.replace("channel: buurtbakkie\n", ""))
    assert main(["stories", "validate", "--stories", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "veld 'channel' ontbreekt" in out


# --- stories without pillars, or with proposed pillars ----------------------------------


def test_validate_accepts_proposed_pillars_and_stories_without_pillars(tmp_path, capsys):
    write(tmp_path, "vt-901.md", GOOD)  # pillars given
    proposed = GOOD.replace("id: vt-901", "id: vt-902").replace(
        "pillars: [gezond, veilig]\n", "pillars: [veilig]\npillars_source: auto\n"
    )
    write(tmp_path, "vt-902.md", proposed)
    empty = GOOD.replace("id: vt-901", "id: vt-903").replace(
        "pillars: [gezond, veilig]\n", "pillars: []\npillars_source: auto\n"
    )
    write(tmp_path, "vt-903.md", empty)
    absent = GOOD.replace("id: vt-901", "id: vt-904").replace("pillars: [gezond, veilig]\n", "")
    write(tmp_path, "vt-904.md", absent)
    assert main(["stories", "validate", "--stories", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "4 geldige verhalen" in out
    assert "2 nog niet ingedeeld (zonder pijler); 2 met voorgestelde pijlers" in out
    stories = {s.id: s for s in load_stories(tmp_path, VOCAB).stories}
    assert stories["vt-902"].pillars == ("veilig",)
    assert stories["vt-902"].pillars_source == "auto"
    assert stories["vt-903"].pillars == stories["vt-904"].pillars == ()
    assert stories["vt-901"].pillars_source is None and stories["vt-904"].pillars_source is None
    frame = load_stories(tmp_path, VOCAB).frame().set_index("id")
    assert frame.loc["vt-902", "pillars_source"] == "auto"
    assert frame.loc["vt-904", "pillars"] == ()


def test_an_unknown_pillars_source_is_an_error_naming_the_field(tmp_path, capsys):
    text = GOOD.replace("pillars: [gezond, veilig]\n", "pillars: [veilig]\npillars_source: hand\n")
    path = write(tmp_path, "vt-901.md", text)
    story, findings = parse_story(path, VOCAB)
    assert story is None
    [error] = [f for f in findings if f.severity == "error"]
    assert error.column == "pillars_source" and "'hand'" in error.message
    assert "auto" in error.message
    assert main(["stories", "validate", "--stories", str(tmp_path)]) != 0


def test_a_story_with_given_pillars_renders_as_before_and_a_proposed_one_says_so():
    story = Story(
        id="vt-905",
        date=dt.date(2026, 1, 5),
        area="crabbehof",
        teller="bewoner",
        channel="interview",
        pillars=("wonen",),
        change="beter",
        consent="citeren",
        text="Tekst.",
    )
    given = render_story(story)
    assert "pillars_source" not in given
    assert given.startswith(
        "---\nid: vt-905\ndate: 2026-01-05\narea: crabbehof\nteller: bewoner\n"
        "channel: interview\npillars:\n- wonen\nchange: beter\n"
    )
    proposed = render_story(dataclasses.replace(story, pillars=(), pillars_source="auto"))
    assert "pillars: []\npillars_source: auto\nchange: beter\n" in proposed


def test_every_bundled_story_renders_to_its_own_bytes():
    collection = stories_in(ProgrammeFolder.bundled())
    assert len(collection.stories) == 60 and collection.errors == []
    for story in collection.stories:
        assert story.pillars and story.pillars_source is None
        assert render_story(story).encode("utf-8") == Path(story.file).read_bytes(), story.id


def test_a_story_in_another_language_keeps_its_language_and_dutch_is_not_written(tmp_path):
    path = write(tmp_path, "vt-901.md", GOOD.replace("synthetic: true", "language: en"))
    story, findings = parse_story(path, VOCAB)
    assert findings == [] and story.language == "en"
    assert "language: en\n" in render_story(story)
    dutch = dataclasses.replace(story, language="nl")
    assert "language" not in render_story(dutch)
    assert Story(**{**vars(dutch), "language": "nl"}).language == "nl"


@pytest.mark.parametrize("value", ["Engels", "e", "english", "[en]"])
def test_a_language_that_is_no_language_code_is_an_error(tmp_path, value):
    path = write(tmp_path, "vt-901.md", GOOD.replace("synthetic: true", f"language: {value}"))
    story, findings = parse_story(path, VOCAB)
    assert story is None
    assert [(f.severity, f.column) for f in findings] == [("error", "language")]


def test_the_streets_of_the_registry_are_read_and_optional(tmp_path):
    import shutil

    assert "Admiraalsplein" in VOCAB.streets
    copy = ProgrammeFolder(tmp_path)
    shutil.copytree(ProgrammeFolder.bundled().registry_dir, copy.registry_dir)
    copy.streets_file.unlink()
    assert vocabulary_in(copy).streets == ()
