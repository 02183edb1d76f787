"""Every hand-edited YAML file, broken on purpose: one checker, the same wording, line and column.

Each case writes a real bad file of one kind (registry, programme, codebook,
MSC register, leeragenda, delivery register, CBS mapping) and asserts the
finding's line, character column (of the key or value that is wrong), field
and wording, as ``npdw`` prints it. The columns are counted by hand from the
texts below (1-based, as an editor shows them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from npdw_learning.evaluatie.wijkbericht import load_invitation
from npdw_learning.kern.errors import Finding, InputError
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.registry import load_registry
from npdw_learning.leeragenda.agenda import LESSONS_FILE, RESEARCH_FILE, load_agenda
from npdw_learning.tellen.cbs import load_cbs_mapping
from npdw_learning.tellen.deliveries import plan_deliveries
from npdw_learning.vertellen.coding import codebook_in, load_codebook
from npdw_learning.vertellen.msc import load_msc
from npdw_learning.vertellen.stories import StoryCollection

AGENDA = Path(__file__).parent / "data" / "agenda"
HOSTILE = '=HYPERLINK("x")\x1b[31m<b>\n'  # a formula, a terminal escape, markup, a newline


@pytest.fixture(scope="module")
def registry():
    return ProgrammeFolder.bundled().registry


@pytest.fixture(scope="module")
def codebook(registry):
    return codebook_in(ProgrammeFolder.bundled())


def _registry_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    shutil.copytree(DATA_DIR / "registry", folder)
    return folder


def _registry_errors(tmp_path: Path, name: str, text: str) -> list[Finding]:
    folder = _registry_copy(tmp_path)
    (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_registry(folder)
    return exc.value.findings


def _codebook_errors(tmp_path: Path, registry, text: str) -> list[Finding]:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_codebook(path, registry)
    return exc.value.findings


def _msc_errors(tmp_path: Path, text: str) -> list[Finding]:
    path = tmp_path / "msc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_msc(path, StoryCollection([]))
    return exc.value.findings


def _agenda_findings(tmp_path: Path, registry, codebook, rel: Path, text: str) -> list[Finding]:
    data = tmp_path / "data"
    shutil.copytree(AGENDA / "agenda", data / "agenda")
    shutil.copytree(AGENDA / "registry", data / "registry")
    (data / rel).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_agenda(data, registry, codebook=codebook)
    return exc.value.findings


def _delivery_findings(tmp_path: Path, text: str) -> list[Finding]:
    folder = tmp_path / "data" / "measurements"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text("indicator,area,year,value\n", encoding="utf-8")
    (folder / "deliveries.yaml").write_text(text, encoding="utf-8")
    _, findings = plan_deliveries(tmp_path / "data")
    return [f for f in findings if f.file.endswith("deliveries.yaml")]


def _located(findings: list[Finding]) -> list[tuple]:
    return [(f.row, f.char, f.column, f.message) for f in findings]


# -- wrong type ----------------------------------------------------------------------------


def test_registry_wrong_type_points_at_the_value(tmp_path):
    text = "units:\n  - id: percent\n    label: [Procent]\n    kind: rate\n"
    findings = _registry_errors(tmp_path, "units.yaml", text)
    mine = [f for f in findings if f.file.endswith("registry/units.yaml")]
    assert (3, 12, "label") in [(f.row, f.char, f.column) for f in mine]
    (label,) = [f for f in mine if f.column == "label"]
    assert label.message == "eenheid 'percent': 'label' moet tekst zijn, niet ['Procent']"
    assert str(label).startswith("FOUT: ") and ", rij 3, kolom 12, veld 'label': " in str(label)


def test_programme_wrong_type_points_at_the_value(tmp_path):
    text = "name: Programma\nshort_name: P\nstart_year: 'twee'\n"
    findings = _registry_errors(tmp_path, "programme.yaml", text)
    assert _located([f for f in findings if f.file.endswith("programme.yaml")]) == [
        (3, 13, "start_year", "'start_year' is 'twee': geen jaartal (zoals 2024)")
    ]


def test_codebook_wrong_type_points_at_the_value(tmp_path, registry):
    text = (
        "themes:\n"
        "  - id: buurt\n"
        "    label: Buurt\n"
        "    description: Over de buurt.\n"
        "    pillar: 12\n"
        "    goals: [og01-woonomgeving]\n"
        "    lemmas: [buurt]\n"
        "    example: De buurt.\n"
    )
    findings = _codebook_errors(tmp_path, registry, text)
    pillar = [f for f in findings if f.column == "pillar"]
    assert [(f.row, f.char) for f in pillar] == [(5, 13)]
    assert pillar[0].message.startswith("thema 'buurt': 'pillar' is 12; toegestaan: ")


def test_invitation_wrong_type_points_at_the_value(tmp_path, registry):
    folder = _registry_copy(tmp_path)
    text = "name: P\nshort_name: P\nwijkbericht:\n  datum: [1, 2]\n"
    (folder / "programme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_invitation(ProgrammeFolder(tmp_path))
    assert _located(exc.value.findings) == [
        (4, 10, "datum", "wijkbericht.datum: verwacht tekst, niet [1, 2]")
    ]


# -- unknown key -----------------------------------------------------------------------


def test_msc_unknown_key_points_at_the_key(tmp_path):
    text = "domains:\n  - id: samen\n    label: Samen\n    kleur: rood\nrounds: []\n"
    register = load_msc(_write(tmp_path / "msc.yaml", text), StoryCollection([]))
    assert _located(list(register.warnings)) == [
        (4, 5, "kleur", "domein 'samen': onbekend veld 'kleur'")
    ]
    assert str(register.warnings[0]).startswith("WAARSCHUWING: ")


def test_codebook_unknown_key_is_an_error_at_the_key(tmp_path, registry):
    text = (
        "themes:\n"
        "  - id: buurt\n"
        "    label: Buurt\n"
        "    description: Over de buurt.\n"
        "    pillar: veilig\n"
        "    goals: [og01-woonomgeving]\n"
        "    lemmas: [buurt]\n"
        "    example: De buurt.\n"
        "    kleur: rood\n"
    )
    findings = _codebook_errors(tmp_path, registry, text)
    assert (9, 5, "kleur", "thema 'buurt': onbekend veld 'kleur'") in _located(findings)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- bad date -------------------------------------------------------------------------------


def test_agenda_bad_partial_date_points_at_the_value(tmp_path, registry, codebook):
    text = (AGENDA / RESEARCH_FILE).read_text(encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.strip().startswith("start:"))
    column = text.splitlines()[line - 1].index("start:") + len("start: ") + 1
    first = text.splitlines()[line - 1].split("start:")[1].strip()
    broken = text.replace(f"start: {first}", "start: 2025-13", 1)
    findings = _agenda_findings(tmp_path, registry, codebook, RESEARCH_FILE, broken)
    (bad,) = [f for f in findings if f.column == "start"]
    assert (bad.row, bad.char) == (line, column)
    assert bad.message.endswith(
        "'start' is '2025-13': maand 13 bestaat niet; schrijf JJJJ-MM-DD, JJJJ-MM, JJJJ of onbekend"
    )


def test_msc_bad_date_points_at_the_value(tmp_path):
    text = (
        "domains:\n  - id: samen\n    label: Samen\n"
        "rounds:\n  - id: r1\n    panel: Panel\n    date: 20 november\n"
        "    domain: samen\n    selected: []\n"
    )
    findings = _msc_errors(tmp_path, text)
    expected = "ronde 'r1': 'date' is '20 november': geen datum; schrijf JJJJ-MM-DD"
    assert (7, 11, "date", expected) in _located(findings)


def test_a_date_yaml_cannot_build_is_a_finding_at_its_value_not_a_traceback(tmp_path):
    text = "domains:\n  - id: samen\n    label: Samen\nrounds:\n  - id: r1\n    date: 2025-02-30\n"
    (finding,) = _msc_errors(tmp_path, text)
    assert (finding.row, finding.char) == (6, 11)
    assert finding.message == "geen geldige YAML: '2025-02-30' is geen bestaande datum"


def test_delivery_bad_date_points_at_the_value(tmp_path):
    text = "deliveries:\n  - file: a.csv\n    delivered: gisteren\n    supplier: CBS\n"
    assert _located(_delivery_findings(tmp_path, text)) == [
        (
            3,
            16,
            "delivered",
            "levering 'a.csv': 'delivered' is 'gisteren': geen datum; schrijf JJJJ-MM-DD",
        )
    ]


# -- duplicate id ----------------------------------------------------------------------------


def test_codebook_duplicate_id_points_at_the_second_id(tmp_path, registry):
    theme = (
        "  - id: buurt\n"
        "    label: Buurt\n"
        "    description: Over de buurt.\n"
        "    pillar: veilig\n"
        "    goals: [og01-woonomgeving]\n"
        "    lemmas: [buurt]\n"
        "    example: De buurt.\n"
    )
    findings = _codebook_errors(tmp_path, registry, "themes:\n" + theme + theme)
    assert _located(findings) == [
        (9, 9, "id", "thema 'buurt': id komt twee keer voor (ook op rij 2)")
    ]


def test_agenda_duplicate_id_points_at_the_second_id(tmp_path, registry, codebook):
    text = (AGENDA / LESSONS_FILE).read_text(encoding="utf-8")
    ids = [s for s in text.splitlines() if s.startswith("  - id: ")]
    broken = text.replace(ids[1], ids[0], 1)
    findings = _agenda_findings(tmp_path, registry, codebook, LESSONS_FILE, broken)
    lines = broken.splitlines()
    second = [i for i, s in enumerate(lines, 1) if s == ids[0]][1]
    dup = [f for f in findings if "twee keer" in f.message]
    assert [(f.row, f.char, f.column) for f in dup] == [(second, 9, "id")]


def test_delivery_duplicate_file_points_at_the_second_one(tmp_path):
    entry = "  - file: a.csv\n    delivered: 2026-03-01\n    supplier: CBS\n"
    assert _located(_delivery_findings(tmp_path, "deliveries:\n" + entry + entry)) == [
        (5, 11, "file", "levering 'a.csv': staat twee keer in het register (ook op rij 2)")
    ]


def test_cbs_mapping_unknown_area_points_at_the_key(tmp_path, registry):
    text = (
        "municipality: Dordrecht\n"
        "tables:\n  2024: 85984NED\n"
        "areas:\n  nergens: {code: WK050501}\n"
        "indicators:\n  - id: nope\n    title: X\n"
    )
    with pytest.raises(InputError) as exc:
        load_cbs_mapping(_write(tmp_path / "cbs.yaml", text), registry)
    located = _located(exc.value.findings)
    assert (
        located[0][:3] == (5, 3, "areas")
        and "'nergens' staat niet in registry/areas.yaml" in located[0][3]
    )
    assert located[1] == (7, 9, "id", "indicator 'nope' staat niet in registry/indicators.yaml")


# -- hostile text --------------------------------------------------------------------------


def test_hostile_text_in_a_value_is_reported_as_literal_text(tmp_path):
    # Written as a YAML double-quoted scalar, so the value holds the real control characters.
    hostile_yaml = (
        HOSTILE.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\x1b", "\\e")
        .replace("\n", "\\n")
    )
    text = (
        "domains:\n  - id: samen\n    label: Samen\n"
        "rounds:\n  - id: r1\n    panel: Panel\n    date: 2025-11-20\n"
        f'    domain: "{hostile_yaml}"\n'
        "    selected: []\n"
    )
    findings = _msc_errors(tmp_path, text)
    (domain,) = [f for f in findings if f.column == "domain"]
    shown = str(domain)
    assert "\n" not in shown and "\x1b" not in shown
    assert repr(HOSTILE) in shown  # the value, quoted and escaped: visible, inert
    assert (domain.row, domain.char) == (8, 13)


def test_a_hostile_key_is_named_escaped(tmp_path):
    text = 'domains:\n  - id: samen\n    label: Samen\n    "k\\e[2J\\nx": 1\n'
    register = load_msc(_write(tmp_path / "msc.yaml", text), StoryCollection([]))
    (warning,) = register.warnings
    assert "\x1b" not in str(warning) and "\n" not in str(warning)
    assert warning.column == "k\\x1b[2J\\nx" and (warning.row, warning.char) == (4, 5)


# -- the story vocabulary and the street list ---------------------------------------------


def test_vocabulary_wrong_type_and_missing_list_point_at_line_and_column(tmp_path, registry):
    from npdw_learning.kern.errors import RegistryError
    from npdw_learning.vertellen.stories import load_story_vocabulary

    text = (
        "tellers: [bewoner, professional]\n"
        "channels: [gesprek, 12]\n"
        "changes: beter\n"
        "allowlist:\n  organisaties: [Wijkteam]\n"
    )
    with pytest.raises(RegistryError) as exc:
        load_story_vocabulary(registry, _write(tmp_path / "stories.yaml", text))
    assert _located(exc.value.findings) == [
        (2, 21, "channels", "'channels' bevat 12; verwacht tekst"),
        (3, 10, "changes", "'changes' moet een lijst zijn ([a, b]), niet 'beter'"),
        (1, 1, "consent_levels", "de lijst 'consent_levels' ontbreekt of is leeg"),
    ]
    assert all(f.file.endswith("stories.yaml") for f in exc.value.findings)


def test_street_list_entry_that_is_no_text_points_at_it(tmp_path, registry):
    from npdw_learning.kern.errors import RegistryError
    from npdw_learning.vertellen.stories import load_story_vocabulary

    streets = _write(tmp_path / "streets.yaml", "streets:\n  - Bosweg\n  - [Dijk]\n")
    vocabulary = DATA_DIR / "registry" / "stories.yaml"
    with pytest.raises(RegistryError) as exc:
        load_story_vocabulary(registry, vocabulary, streets)
    assert _located(exc.value.findings) == [
        (3, 5, "streets", "'streets' bevat ['Dijk']; verwacht tekst")
    ]
