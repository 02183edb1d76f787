"""Most Significant Change register: validation names file, line, round and field."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.msc import SELECTED_COLUMNS, load_msc, selected_stories
from npdw_learning.vertellen.stories import Story, load_stories, vocabulary_in, write_story

DATA = Path(__file__).parents[1] / "data"
VOCAB = vocabulary_in(ProgrammeFolder.bundled())


def make_stories(folder: Path, msc_domain: str | None = None) -> None:
    """Six synthetic stories vt-801 .. vt-806 (no identifying text)."""
    areas = ["wielwijk", "crabbehof", "oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof"]
    for i, area in enumerate(areas, start=1):
        write_story(
            Story(
                id=f"vt-80{i}",
                date=dt.date(2025, 9, i),
                area=area,
                teller="bewoner",
                channel="buurtbakkie",
                pillars=("gezond",),
                change="beter",
                consent="citeren",
                text="Sinds de koffieochtend groet ik mijn buren weer.",
                title=f"Verhaal {i}",
                msc_domain=msc_domain if i == 1 else None,
                synthetic=True,
            ),
            folder,
        )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    make_stories(tmp_path)
    return tmp_path


def load(folder: Path, fixture: str):
    target = folder / "msc.yaml"
    shutil.copy(DATA / fixture, target)
    return load_msc(target, load_stories(folder, VOCAB))


def errors_of(folder: Path, fixture: str):
    with pytest.raises(InputError) as info:
        load(folder, fixture)
    return info.value.findings


def test_good_register(folder):
    register = load(folder, "msc_goed.yaml")
    assert register.domain_ids == ("samenleven", "meedoen")
    assert [r.id for r in register.rounds] == ["msc-2025-najaar", "msc-2026-voorjaar"]
    first = register.rounds[0]
    assert first.date == dt.date(2025, 11, 20)
    assert first.selected == ("vt-801", "vt-803")
    assert set(first.reasons) == {"vt-801", "vt-803"}
    assert register.warnings == ()


def test_default_collection_is_the_folder_of_the_register(folder):
    shutil.copy(DATA / "msc_goed.yaml", folder / "msc.yaml")
    assert len(load_msc(folder / "msc.yaml", load_stories(folder, VOCAB)).rounds) == 2


def test_selected_stories(folder):
    register = load(folder, "msc_goed.yaml")
    table = selected_stories(register, load_stories(folder, VOCAB))
    assert list(table.columns) == SELECTED_COLUMNS
    assert table["story_id"].tolist() == ["vt-801", "vt-803", "vt-804"]
    assert table["round"].tolist() == ["msc-2025-najaar"] * 2 + ["msc-2026-voorjaar"]
    row = table.iloc[1]
    assert (row["area"], row["teller"], row["change"], row["title"], row["domain"]) == (
        "oud-krispijn",
        "bewoner",
        "beter",
        "Verhaal 3",
        "samenleven",
    )
    assert row["reason"].startswith("Dit verhaal laat zien")
    assert table.iloc[2]["date"] == dt.date(2026, 4, 2)


@pytest.mark.parametrize(
    ("fixture", "column", "row", "char", "expected"),
    [
        # The column (char) is of the value that is wrong (the second id in a list, the
        # value after "domain: "), of the entry when a field is missing, and of the key
        # when the value is a block mapping written on the next lines.
        ("msc_fout_onbekend_verhaal.yaml", "selected", 13, 24, "'vt-899' bestaat niet"),
        ("msc_fout_onbekend_domein.yaml", "domain", 20, 13, "onbekend domein 'werkgelegenheid'"),
        ("msc_fout_korte_reden.yaml", "reasons", 23, 15, "volledige zin"),
        ("msc_fout_veld_ontbreekt.yaml", "panel", 17, 5, "veld 'panel' ontbreekt"),
        ("msc_fout_dubbel_domein.yaml", "id", 6, 9, "komt twee keer voor"),
        ("msc_fout_datum.yaml", "date", 19, 11, "geen datum"),
        (
            "msc_fout_reden_ontbreekt.yaml",
            "reasons",
            14,
            5,
            "geen reden voor gekozen verhaal 'vt-803'",
        ),
    ],
)
def test_bad_register_names_file_line_round_and_field(folder, fixture, column, row, char, expected):
    findings = errors_of(folder, fixture)
    hits = [f for f in findings if f.column == column and expected in f.message]
    assert hits, [str(f) for f in findings]
    hit = hits[0]
    assert hit.file == str(folder / "msc.yaml")
    assert (hit.row, hit.char) == (row, char)
    assert hit.severity == "error"
    assert "ronde '" in hit.message or "domein" in hit.message


def test_unknown_story_finding_names_the_round(folder):
    findings = errors_of(folder, "msc_fout_onbekend_verhaal.yaml")
    assert [f.column for f in findings] == ["selected"]
    assert "ronde 'msc-2025-najaar'" in findings[0].message
    assert str(findings[0]).startswith(
        f"FOUT: {folder / 'msc.yaml'}, rij 13, kolom 24, veld 'selected': "
    )


@pytest.mark.parametrize(
    "reason",
    [
        "Mooi verhaal.",  # too short
        "Het panel koos dit verhaal omdat het over samen leven gaat",  # no end punctuation
        "Omdat",
    ],
)
def test_reason_must_be_a_full_sentence(folder, reason):
    text = (DATA / "msc_goed.yaml").read_text(encoding="utf-8")
    start = text.index('      vt-804: "') + len("      vt-804: ")
    bad = text[:start] + f'"{reason}"\n'
    (folder / "msc.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_msc(folder / "msc.yaml", load_stories(folder, VOCAB))
    assert [f.column for f in info.value.findings] == ["reasons"]


def test_reason_may_end_in_a_quote(folder):
    text = (DATA / "msc_goed.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'de kern van het programma."',
        "de kern van het programma: 'eindelijk gezien!'\"",
    )
    (folder / "msc.yaml").write_text(text, encoding="utf-8")
    assert len(load_msc(folder / "msc.yaml", load_stories(folder, VOCAB)).rounds) == 2


def test_story_with_unknown_msc_domain(tmp_path):
    make_stories(tmp_path, msc_domain="buurtgevoel")
    findings = errors_of(tmp_path, "msc_goed.yaml")
    assert [(Path(f.file).name, f.column) for f in findings] == [("vt-801.md", "msc_domain")]
    assert "'buurtgevoel'" in findings[0].message


def test_story_with_known_msc_domain(tmp_path):
    make_stories(tmp_path, msc_domain="samenleven")
    assert load(tmp_path, "msc_goed.yaml").domain_ids == ("samenleven", "meedoen")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="ontbreekt"):
        load_msc(tmp_path / "msc.yaml", load_stories(tmp_path, VOCAB))


def test_invalid_yaml_names_the_line(folder):
    (folder / "msc.yaml").write_text("domains:\n  - id: [samenleven\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_msc(folder / "msc.yaml", load_stories(folder, VOCAB))
    assert info.value.findings[0].row is not None


def test_domain_id_must_be_a_slug(folder):
    text = (DATA / "msc_goed.yaml").read_text(encoding="utf-8")
    (folder / "msc.yaml").write_text(text.replace("id: meedoen", "id: Meedoen En Werk"), "utf-8")
    with pytest.raises(InputError) as info:
        load_msc(folder / "msc.yaml", load_stories(folder, VOCAB))
    assert ("id", 6) in [(f.column, f.row) for f in info.value.findings]


def test_unknown_field_is_a_warning(folder):
    text = (DATA / "msc_goed.yaml").read_text(encoding="utf-8")
    text = text.replace("    domain: meedoen\n", "    domain: meedoen\n    notulist: x\n")
    (folder / "msc.yaml").write_text(text, encoding="utf-8")
    register = load_msc(folder / "msc.yaml", load_stories(folder, VOCAB))
    assert [(w.severity, w.column) for w in register.warnings] == [("warning", "notulist")]
