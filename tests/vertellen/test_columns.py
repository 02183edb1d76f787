"""Which header of an export is which field; a missing required column; the mapping template."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from npdw_learning.kern import atomic
from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.tables import ROW, Sheet, read_sheets
from npdw_learning.vertellen import columns as col
from npdw_learning.vertellen.columns import (
    MissingColumnsError,
    guess_fields,
    is_personal,
    resolve_columns,
    template_path,
    template_text,
    write_template,
)
from npdw_learning.vertellen.mapping import (
    COLUMN_FIELDS,
    REQUIRED_COLUMNS,
    ColumnMapping,
    load_mapping,
)
from npdw_learning.vertellen.stories import vocabulary_in

VOCAB = vocabulary_in(ProgrammeFolder.bundled())
DATA = Path(__file__).parents[1] / "data"
FORM = DATA / "import_formulier_18.csv"
FORM_HEADERS = [
    "Tijdstempel",
    "E-mailadres",
    "Wat is uw naam? (mag leeg blijven)",
    "In welke wijk woont u?",
    "Wie bent u?",
    "Wat wilt u ons vertellen over uw buurt?",
    "Is het in uw buurt beter of slechter geworden?",
    "Mogen wij uw verhaal gebruiken?",
    "Telefoonnummer (als we mogen terugbellen)",
]
# Every name, address and number in the form export, none of which a template may hold.
FORM_PERSONAL = ["Verschoor", "Kuijpers", "Demir", "06-19283746", "0612873465", "@voorbeeld"]


def sheet(headers, rows=(), file="export.csv") -> Sheet:
    frame = pd.DataFrame([list(r) for r in rows] or None, columns=list(headers), dtype=object)
    frame[ROW] = range(2, 2 + len(frame))
    return Sheet(frame=frame, decimal=",", file=file)


def form_error() -> MissingColumnsError:
    [form] = read_sheets(FORM)
    with pytest.raises(MissingColumnsError) as info:
        resolve_columns(form, ColumnMapping(), VOCAB)
    return info.value


# -- resolving ---------------------------------------------------------------------------


def test_the_default_headers_are_read_in_any_case():
    headers = ["ID", " Datum ", "wijk", "Verteller", "KANAAL", "verandering", "toestemming"]
    found = resolve_columns(sheet([*headers, "Tekst", "Opmerking"]), ColumnMapping(), VOCAB)
    assert found["datum"] == " Datum " and found["tekst"] == "Tekst" and found["id"] == "ID"
    assert "Opmerking" not in found.values()


def test_a_fixed_value_stands_in_for_a_missing_column(tmp_path):
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text("fixed: {kanaal: enquete}\nabsent: [id]\n", encoding="utf-8")
    mapping = load_mapping(mapping_file, VOCAB)
    headers = [c for c in REQUIRED_COLUMNS if c != "kanaal"] + ["id", "kanaal"]
    found = resolve_columns(sheet(headers), mapping, VOCAB)
    # The fixed field and the absent one are not read from the headers with their name.
    assert "kanaal" not in found and "id" not in found
    assert set(found) == set(REQUIRED_COLUMNS) - {"kanaal"}


def test_two_headers_for_one_field_are_refused():
    with pytest.raises(InputError) as info:
        resolve_columns(sheet([*REQUIRED_COLUMNS, "Wijk "]), ColumnMapping(), VOCAB)
    [finding] = info.value.findings
    assert not isinstance(info.value, MissingColumnsError)
    assert finding.column == "Wijk " and "zijn allebei 'wijk'" in finding.message


# -- the message ---------------------------------------------------------------------------


def test_a_form_without_mapping_gets_one_message_with_headers_and_nearest():
    exc = form_error()
    [finding] = exc.findings
    assert exc.missing == list(REQUIRED_COLUMNS) and exc.headers == FORM_HEADERS
    assert (finding.row, finding.column) == (1, None)
    lines = str(finding).splitlines()
    assert lines[0] == (
        f"FOUT: {FORM}, rij 1: 7 verplichte kolommen ontbreken: "
        "datum, wijk, verteller, kanaal, verandering, toestemming, tekst"
    )
    assert lines[1] == "  Gevonden kolomkoppen (9): " + ", ".join(f"'{h}'" for h in FORM_HEADERS)
    assert exc.nearest == {
        "datum": "Tijdstempel",
        "wijk": "In welke wijk woont u?",
        "verteller": "Wie bent u?",
        "kanaal": None,
        "verandering": "Is het in uw buurt beter of slechter geworden?",
        "toestemming": "Mogen wij uw verhaal gebruiken?",
        "tekst": "Wat wilt u ons vertellen over uw buurt?",
    }
    assert "    wijk         'In welke wijk woont u?'" in lines
    assert "    kanaal       geen kopje lijkt erop" in lines
    assert "--mapping" in lines[-1]


def test_one_missing_column_names_it_and_the_nearest_header_by_difflib():
    headers = [c for c in REQUIRED_COLUMNS if c != "toestemming"] + ["Toestemmnig"]
    with pytest.raises(MissingColumnsError) as info:
        resolve_columns(sheet(headers), ColumnMapping(), VOCAB)
    [finding] = info.value.findings
    assert finding.column == "toestemming"
    assert "verplichte kolom 'toestemming' ontbreekt" in finding.message
    assert info.value.nearest == {"toestemming": "Toestemmnig"}  # a typo, found all the same


def test_with_a_mapping_the_nearest_is_the_header_most_like_the_mapped_one(tmp_path):
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text('columns:\n  "Mag dit verhaal gebruikt worden?": toestemming\n')
    mapping = load_mapping(mapping_file, VOCAB)
    headers = [c for c in REQUIRED_COLUMNS if c != "toestemming"]
    headers += ["Mag dit verhaal gebruikt worden ?", "Opmerking"]
    with pytest.raises(MissingColumnsError) as info:
        resolve_columns(sheet(headers), mapping, VOCAB)
    exc = info.value
    assert exc.nearest == {"toestemming": "Mag dit verhaal gebruikt worden ?"}
    message = exc.findings[0].message
    assert f"(volgens {mapping_file}: kopje 'Mag dit verhaal gebruikt worden?')" in message
    assert f"Pas de kopjes aan in {mapping_file}" in message
    assert exc.answers == {}  # a template is only offered without a mapping


def test_headers_already_read_are_not_offered_as_nearest():
    headers = ["datum", "wijk", "verteller", "verandering", "toestemming", "tekst", "Wijk 2"]
    with pytest.raises(MissingColumnsError) as info:
        resolve_columns(sheet(headers), ColumnMapping(), VOCAB)
    assert info.value.nearest == {"kanaal": None}


# -- guessing ------------------------------------------------------------------------------


def test_guesses_use_each_header_once_and_never_a_personal_one():
    guessed = guess_fields(FORM_HEADERS, list(COLUMN_FIELDS))
    assert guessed == {
        "datum": "Tijdstempel",
        "wijk": "In welke wijk woont u?",
        "verteller": "Wie bent u?",
        "verandering": "Is het in uw buurt beter of slechter geworden?",
        "toestemming": "Mogen wij uw verhaal gebruiken?",
        "tekst": "Wat wilt u ons vertellen over uw buurt?",
    }
    assert guess_fields(["Uw naam", "Straatnaam en huisnummer"], ["verteller", "wijk"]) == {}


@pytest.mark.parametrize(
    ("header", "personal"),
    [
        ("Voornaam", True),
        ("E-mailadres", True),
        ("Telefoonnummer (06)", True),
        ("Postcode", True),
        ("Your name", True),
        ("Deelname aan de bijeenkomst", False),
        ("In welke wijk woont u?", False),
        ("Mogen wij uw verhaal gebruiken?", False),
    ],
)
def test_personal_headers(header, personal):
    assert is_personal(header) is personal


def test_choice_answers_list_only_choice_questions_and_no_free_text():
    long_text = "Mijn buurvrouw Anouk Verschoor heeft de buurtbarbecue georganiseerd, bel 06-1."
    rows = [
        ["Beter geworden", "Bewoner", long_text, "Wielwijk"],
        ["Slechter geworden", "Anders", "Kort", "Sterrenburg"],
        ["beter", "Bewoner", "Ook kort", "Wielwijk"],
    ]
    form = sheet(["Beter of slechter?", "Wie bent u?", "Uw verhaal", "Wijk"], rows)
    answers = col.choice_answers(form, ColumnMapping(), VOCAB)
    # Answers that already are an allowed word are left out; the story column never appears.
    assert answers == {
        "wijk": ["Sterrenburg"],
        "verteller": ["Anders"],
        "verandering": ["Beter geworden", "Slechter geworden"],
    }
    many = sheet(["Wijk"], [[f"Buurt {i}"] for i in range(col.MAX_CHOICES + 1)])
    assert col.choice_answers(many, ColumnMapping(), VOCAB) == {}


# -- the template --------------------------------------------------------------------------


def test_the_template_lists_every_header_and_loads_once_filled(tmp_path):
    exc = form_error()
    text = template_text(FORM.name, exc.headers, VOCAB, exc.answers)
    assert text.startswith('# Mappingbestand voor de export "import_formulier_18.csv"')
    data = yaml.safe_load(text)
    assert list(data["columns"]) == FORM_HEADERS  # every header, in the export's order
    assert data["columns"]["Tijdstempel"] == "datum"
    assert data["columns"]["Wat is uw naam? (mag leeg blijven)"] is None
    assert data["fixed"] == {"kanaal": None}
    assert data["absent"] == ["id", "pijlers", "titel", "msc_domein", "synthetisch"]
    assert data["values"]["toestemming"] == {
        "Ja, anoniem citeren mag": None,
        "Ja, alleen voor onderzoek": None,
        "Ja, ook publiceren": None,
        "Nee, liever niet": None,
    }
    assert data["values"]["wijk"] == {"Sterrenburg": None}
    assert '  "E-mailadres":' in text and "# persoonsgegevens: leeg laten" in text
    assert "enquete" in text  # the allowed channels are named next to the empty fixed value
    for planted in FORM_PERSONAL:
        assert planted not in text
    # Unfilled, it says what to fill in; filled, it loads.
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(path, VOCAB)
    [finding] = info.value.findings
    assert finding.column == "kanaal" and "geen waarde ingevuld" in finding.message
    path.write_text(text.replace("  kanaal:", "  kanaal: enquete", 1), encoding="utf-8")
    mapping = load_mapping(path, VOCAB)
    assert mapping.fixed == {"kanaal": "enquete"} and mapping.values == {}
    assert len(mapping.columns) == 6


def test_a_template_key_holds_any_header(tmp_path):
    odd = ['Mag "dit": ja # of nee', "Twee\nregels", "'s Avonds", "- streepje", "Één ☕", "a" * 200]
    text = template_text("x.csv", odd, VOCAB)
    assert list(yaml.safe_load(text)["columns"]) == odd
    # The export's name is in a comment: a quote or a line break in it stays there.
    named = template_text('x"\ny.csv', ["Wijk"], VOCAB)
    assert named.startswith('# Mappingbestand voor de export "x\' y.csv"')
    assert yaml.safe_load(named)["columns"] == {"Wijk": "wijk"}


def test_the_template_goes_next_to_the_export_and_is_not_written_twice(tmp_path):
    export = tmp_path / "export.csv"
    assert template_path(export) == tmp_path / "export.csv.mapping.yaml"
    first = write_template(export, form_error(), VOCAB)
    assert first.status == "written" and first.path.is_file()
    again = write_template(export, form_error(), VOCAB)
    assert again.status == "same"
    assert "stond al klaar" in again.lines(["npdw", "stories", "import", "export.csv"])[0]


def test_a_file_the_user_made_is_never_overwritten(tmp_path):
    export = tmp_path / "export.csv"
    own = template_path(export)
    own.write_text("columns:\n  Tijdstempel: datum  # mijn eigen\n", encoding="utf-8")
    result = write_template(export, form_error(), VOCAB)
    assert result.status == "exists"
    assert own.read_text(encoding="utf-8").endswith("# mijn eigen\n")
    lines = result.lines(["npdw", "stories", "import", "my export.csv"])
    assert "bestaat al en is niet overschreven" in lines[0]
    assert lines[1] == f"    npdw stories import 'my export.csv' --mapping {own}"


def test_a_read_only_folder_is_said_and_nothing_else_happens(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    export = tmp_path / "export.csv"
    result = write_template(export, form_error(), VOCAB)
    assert (result.status, result.reason) == ("failed", "de map is alleen-lezen")
    assert "de map is alleen-lezen" in result.lines([])[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_really_read_only_folder(tmp_path):
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = write_template(folder / "export.csv", form_error(), VOCAB)
    finally:
        folder.chmod(0o755)
    assert result.status == "failed" and list(folder.iterdir()) == []
