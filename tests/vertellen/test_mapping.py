"""The mapping file of a form export: columns, values, fixed values, absent fields.

Every problem names the mapping file, the line to edit and the key.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npdw_learning.kern.errors import Finding, InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.mapping import (
    ABSENT_COLUMNS,
    COLUMN_FIELDS,
    FIXABLE_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnMapping,
    load_mapping,
)
from npdw_learning.vertellen.stories import REQUIRED_FIELDS, vocabulary_in

VOCAB = vocabulary_in(ProgrammeFolder.bundled())
DATA = Path(__file__).parents[1] / "data"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[Finding]:
    """The findings of a mapping file that must not load; each names the file."""
    with pytest.raises(InputError) as info:
        load_mapping(path, VOCAB)
    assert "het mappingbestand is ongeldig" in str(info.value)
    assert all(f.file == str(path) and f.severity == "error" for f in info.value.findings)
    return info.value.findings


def where(findings: list[Finding]) -> list[tuple[int | None, str | None]]:
    return [(f.row, f.column) for f in findings]


# -- what the data model allows --------------------------------------------------------


def test_fixed_and_absent_split_the_fields_as_the_data_model_says():
    # Every required story field except id (derived) has a required column, and back.
    assert {COLUMN_FIELDS[c] for c in REQUIRED_COLUMNS} == set(REQUIRED_FIELDS) - {"id"} | {"text"}
    # Optional fields may be absent; nothing required may be.
    assert set(ABSENT_COLUMNS) == set(COLUMN_FIELDS) - set(REQUIRED_COLUMNS)
    # What a teller answers and free text can never be fixed.
    assert not {"toestemming", "verandering", "tekst", "titel", "id", "pijlers"} & set(
        FIXABLE_COLUMNS
    )


# -- reading the file -------------------------------------------------------------------


def mapping_error(path: Path) -> Finding:
    (finding,) = problems(path)
    return finding


def test_mapping_yaml_that_cannot_be_read(tmp_path):
    assert "bestaat niet" in mapping_error(tmp_path / "geen.yaml").message
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("columns:\n  Wijk: wijk\n  Caf\xe9: tekst\n".encode("latin-1"))
    assert "UTF-8" in mapping_error(latin1).message
    broken = tmp_path / "kapot.yaml"
    broken.write_text("columns:\n  Datum: datum\n  - tekst\n", encoding="utf-8")
    finding = mapping_error(broken)
    assert finding.message.startswith("geen geldige YAML") and finding.row == 3
    for text in ("- datum\n- wijk\n", "", "{}\n"):
        other = tmp_path / "lijst.yaml"
        other.write_text(text, encoding="utf-8")
        finding = mapping_error(other)
        assert "columns:" in finding.message and "fixed:" in finding.message
        assert finding.row == 1


def test_no_mapping_is_the_default_headers():
    assert load_mapping(None, VOCAB) == ColumnMapping()


def test_columns_accept_dutch_and_english_targets_and_empty_ones(tmp_path):
    path = write(
        tmp_path,
        """
        columns:
          " Datum gesprek ": date
          "In welke wijk woont U?": wijk
          "Wat is uw naam?":
          "E-mail": ""
        """,
    )
    mapping = load_mapping(path, VOCAB)
    assert mapping.columns == {"datum gesprek": "datum", "in welke wijk woont u?": "wijk"}
    assert mapping.headers == {"datum": " Datum gesprek ", "wijk": "In welke wijk woont U?"}
    assert mapping.file == str(path)


def test_every_bad_column_is_named_with_its_line(tmp_path):
    path = write(
        tmp_path,
        """
        columns:
          Dag: dag
          Datum: datum
          Datum 2: date
          Lijst: [tekst]
          Wijk: wijk
        """,
    )
    findings = problems(path)
    assert where(findings) == [(2, "Dag"), (4, "Datum 2"), (5, "Lijst")]
    assert "onbekend veld 'dag'" in findings[0].message
    assert findings[1].message == "'Datum 2' en 'Datum' verwijzen allebei naar 'datum'"
    assert "onbekend veld ['tekst']" in findings[2].message
    assert str(findings[0]).startswith(f"FOUT: {path}, rij 2, kolom 8, veld 'Dag': ")


@pytest.mark.parametrize("raw", ["[datum]", "datum"])
def test_columns_that_are_not_a_mapping(tmp_path, raw):
    (finding,) = problems(write(tmp_path, f"columns: {raw}\n"))
    assert "'columns' moet kopjes aan velden koppelen" in finding.message
    assert (finding.row, finding.column) == (1, "columns")


def test_values_normalise_the_answers_and_skip_empty_ones(tmp_path):
    path = write(
        tmp_path,
        """
        columns: {"Uw verhaal": tekst}
        values:
          wijk: {"Krispijn  Oost": oud-krispijn}
          consent: {"Ja": citeren, "Nee": 0, "Weet niet":}
        """,
    )
    assert load_mapping(path, VOCAB).values == {
        "area": {"krispijn-oost": "oud-krispijn"},
        "consent": {"ja": "citeren", "nee": "0"},
    }


def test_values_name_every_problem_with_its_line(tmp_path):
    path = write(
        tmp_path,
        """
        columns: {"Uw verhaal": tekst}
        values:
          buurt: {a: b}
          wijk: [oud-krispijn]
          kanaal:
            x: {y: 1}
        """,
    )
    findings = problems(path)
    assert where(findings) == [(3, "buurt"), (4, "wijk"), (5, "kanaal")]
    assert "onbekend veld 'buurt'" in findings[0].message
    assert findings[1].message.startswith("'values.wijk' moet antwoorden aan waarden koppelen")
    (finding,) = problems(write(tmp_path, "columns: {a: tekst}\nvalues: [wijk]\n"))
    assert finding.message == "'values' moet per veld antwoorden omzetten" and finding.row == 2


def test_every_problem_of_every_part_at_once(tmp_path):
    path = write(
        tmp_path,
        """
        kolommen: {}
        columns:
          Dag: dag
        values:
          buurt: {a: b}
        fixed:
          kanaal: fietstocht
        absent: [verandering]
        """,
    )
    findings = problems(path)
    assert where(findings) == [
        (1, "kolommen"),
        (3, "Dag"),
        (5, "buurt"),
        (7, "kanaal"),
        (8, "verandering"),
    ]
    assert "onbekende sleutel 'kolommen'; toegestaan: columns, values, fixed, absent" in (
        findings[0].message
    )


# -- fixed values ----------------------------------------------------------------------------


def test_a_fixed_value_is_read_like_a_cell_of_its_column(tmp_path):
    path = write(
        tmp_path,
        """
        columns: {"Uw verhaal": tekst}
        fixed:
          kanaal: Enquête            # accents and case as a form answer would have them
          wijk: Krispijn-Oost        # translated by values, as a cell would be
          verteller: bewoner
          datum: 2025-03-14
          msc_domein: Samenleven
          synthetisch: ja
        values:
          wijk: {"Krispijn-Oost": oud-krispijn}
        """,
    )
    mapping = load_mapping(path, VOCAB)
    assert mapping.fixed == {
        "kanaal": "enquete",
        "wijk": "oud-krispijn",
        "verteller": "bewoner",
        "datum": dt.date(2025, 3, 14),
        "msc_domein": "samenleven",
        "synthetisch": "ja",
    }
    # Every row gets them, whatever its own cells say.
    cells = mapping.cells({"text": "x", "channel": "interview"})
    assert cells["channel"] == "enquete" and cells["area"] == "oud-krispijn"
    assert mapping.row_values(cells) == {
        "date": dt.date(2025, 3, 14),
        "area": "oud-krispijn",
        "teller": "bewoner",
        "channel": "enquete",
        "msc_domain": "samenleven",
    }


def test_a_fixed_value_outside_the_vocabulary_names_file_line_key_and_allowed(tmp_path):
    path = write(
        tmp_path,
        """
        columns:
          "Uw verhaal": tekst
        fixed:
          kanaal: fietstocht
          wijk: Sterrenburg
          datum: 14 maart
          synthetisch: misschien
        """,
    )
    findings = problems(path)
    assert where(findings) == [(4, "kanaal"), (5, "wijk"), (6, "datum"), (7, "synthetisch")]
    channels = ", ".join(VOCAB.channels)
    assert findings[0].message == f"'kanaal' is 'fietstocht'; toegestaan: {channels}"
    assert str(findings[0]) == (
        f"FOUT: {path}, rij 4, kolom 11, veld 'kanaal': "
        f"'kanaal' is 'fietstocht'; toegestaan: {channels}"
    )
    assert "'sterrenburg'; toegestaan: oud-krispijn" in findings[1].message
    assert "geen datum" in findings[2].message
    assert "verwacht ja of nee" in findings[3].message


def test_an_unfilled_fixed_value_says_what_to_fill_in(tmp_path):
    (finding,) = problems(write(tmp_path, "columns: {a: tekst}\nfixed:\n  kanaal:\n"))
    assert (finding.row, finding.column) == (3, "kanaal")
    assert finding.message == (
        f"geen waarde ingevuld voor 'kanaal'; kies uit: {', '.join(VOCAB.channels)}"
    )


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("toestemming", "toestemming geeft elke verteller zelf"),
        ("verandering", "zegt elke verteller zelf"),
        ("tekst", "per verhaal anders"),
        ("id", "zet 'id' onder absent"),
        ("pijlers", "zet 'pijlers' onder absent"),
    ],
)
def test_what_a_teller_answers_cannot_be_fixed(tmp_path, key, reason):
    (finding,) = problems(write(tmp_path, f"columns: {{a: tekst}}\nfixed:\n  {key}: ja\n"))
    assert finding.message.startswith(f"'{key}' kan geen vaste waarde krijgen: ")
    assert reason in finding.message and (finding.row, finding.column) == (3, key)


def test_fixed_must_map_fields_to_one_value(tmp_path):
    findings = problems(write(tmp_path, "fixed: [kanaal]\n"))
    assert where(findings) == [(1, "fixed")]
    findings = problems(write(tmp_path, "fixed:\n  kanaal: [enquete, interview]\n  buurt: x\n"))
    assert where(findings) == [(2, "kanaal"), (3, "buurt")]
    assert "één waarde" in findings[0].message and "onbekend veld 'buurt'" in findings[1].message


def test_a_mapping_may_only_fix_a_value(tmp_path):
    mapping = load_mapping(write(tmp_path, "fixed: {kanaal: interview}\n"), VOCAB)
    assert mapping.columns == {} and mapping.fixed == {"kanaal": "interview"}


# -- absent fields ---------------------------------------------------------------------------


def test_optional_fields_may_be_absent(tmp_path):
    mapping = load_mapping(write(tmp_path, "absent: [id, pijlers, title]\n"), VOCAB)
    assert mapping.absent == {"id", "pijlers", "titel"}


def test_a_required_field_cannot_be_absent_and_says_why(tmp_path):
    findings = problems(write(tmp_path, "absent:\n  - verandering\n  - kanaal\n  - buurt\n"))
    assert where(findings) == [(2, "verandering"), (3, "kanaal"), (4, "buurt")]
    assert findings[0].message.startswith("'verandering' is verplicht en kan niet ontbreken: ")
    assert "kent geen 'onbekend'" in findings[0].message
    assert "vaste waarde onder 'fixed'" in findings[1].message
    assert "onbekend veld 'buurt'" in findings[2].message
    (finding,) = problems(write(tmp_path, "absent: pijlers\n"))
    assert "moet een lijst" in finding.message and finding.row == 1


def test_a_field_is_read_fixed_or_absent_not_two_of_them(tmp_path):
    path = write(
        tmp_path,
        """
        columns:
          "Hoe opgehaald": kanaal
          "Nummer": id
        fixed:
          kanaal: enquete
        absent: [id]
        """,
    )
    findings = problems(path)
    assert where(findings) == [(5, "kanaal"), (6, "id")]
    assert "kopje 'Hoe opgehaald'" in findings[0].message and "kies één" in findings[0].message
    assert findings[1].message == "'id' staat onder absent en onder columns"


# -- any file --------------------------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=8), inner, max_size=3)
            ),
            max_leaves=10,
        ).flatmap(
            lambda v: st.sampled_from(["columns", "values", "fixed", "absent"]).map(
                lambda key: yaml.safe_dump({key: v})
            )
        ),
    )
)
def test_any_mapping_file_loads_or_raises_input_error(tmp_path, text):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_mapping(path, VOCAB)
    except InputError as exc:
        assert exc.findings and all(f.file == str(path) for f in exc.findings)
        return
    # what loads maps headers only to known columns, and names its file
    assert set(loaded.columns.values()) <= set(COLUMN_FIELDS)
    assert set(loaded.fixed) <= set(FIXABLE_COLUMNS)
    assert loaded.absent <= set(ABSENT_COLUMNS)
    assert loaded.file == str(path)
    for answers in loaded.values.values():
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())


def test_the_mappings_in_the_test_data_load():
    form = load_mapping(DATA / "import_formulier_18_mapping.yaml", VOCAB)
    assert form.fixed == {"kanaal": "enquete"} and form.absent == {"id", "pijlers"}
    assert set(form.columns.values()) == set(REQUIRED_COLUMNS) - {"kanaal"}
    assert load_mapping(DATA / "import_mapping.yaml", VOCAB).fixed == {}


# -- the guide says what the code does -------------------------------------------------------

GUIDE = Path(__file__).parents[2] / "stories" / "README.md"


def test_the_guides_column_table_is_the_importers():
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Verhalen importeren") :]
    rows = re.findall(r"^\| `([a-z_]+)` +\| (ja|nee) ", section, flags=re.MULTILINE)
    assert dict(rows) == {c: "ja" if c in REQUIRED_COLUMNS else "nee" for c in COLUMN_FIELDS}


def test_the_guides_example_mapping_loads(tmp_path):
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    examples = [b for b in blocks if "fixed:" in b]
    assert examples
    for block in examples:
        mapping = load_mapping(write(tmp_path, block), VOCAB)
        assert mapping.fixed == {"kanaal": "enquete"} and mapping.absent == {"id", "pijlers"}
    # The guide's example is the mapping of the test form, without the comments.
    fixture = yaml.safe_load((DATA / "import_formulier_18_mapping.yaml").read_text("utf-8"))
    assert yaml.safe_load(examples[0]) == fixture
