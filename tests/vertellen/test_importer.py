"""Story import: privacy (nothing identifying is written), bad inputs, idempotency, CLI.

Every name, address and number in ``tests/data/import_*`` is fictional; the
first test proves none of them survives the import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import importrun
import pandas as pd
import pytest
import yaml
from importrun import VOCAB

from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.coding import codebook_in
from npdw_learning.vertellen.columns import MissingColumnsError
from npdw_learning.vertellen.importer import (
    _FORMAT_PROBE,
    COLUMN_FIELDS,
    story_id,
)
from npdw_learning.vertellen.pseudonymise import Pseudonymiser
from npdw_learning.vertellen.stories import (
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    STORIES_DIR,
    load_stories,
    parse_story,
)

DATA = Path(__file__).parents[1] / "data"

# Every identifier planted in import_verhalen.csv, by type.
PLANTED = {
    "PERSOON": [
        "Fatima el Amrani",
        "Amrani",
        "Mehmet Yılmaz",
        "Yılmaz",
        "Jan van der Berg",
        "J.P. de Vries",
        "Vries",
        "Rajesh Ramdin",
        "Ramdin",
        "Shurandy",
        "Martina",
        "Agnieszka Kowalczyk",
        "Kowalczyk",
        "Khadija Bouzid",
        "Bouzid",
        "Yusuf Demir",
        "Demir",
        "Elif",
        "Vasile",
        "Popescu",
        "Sunita Jagessar",
        "Jagessar",
        "Dimitar Petrov",
        "Petrov",
    ],
    "ADRES": [
        "Bosboom Toussaintstraat 12",
        "Toussaintstraat",
        "Karel Doormanstraat 45a",
        "Vrieseweg 101",
    ],
    "POSTCODE": ["3317 AB", "3312AB", "3311 XZ"],
    "TELEFOON": [
        "06-12345678",
        "06 1234 5679",
        "+31 6 12345670",
        "078-6123456",
        "0612345671",
        "+31612345672",
        "(078) 6123457",
        "078 612 34 58",
        "0031 6 12345673",
        "078-6123459",
    ],
    "EMAIL": ["fatima.elamrani@voorbeeld.example", "shurandy.m@voorbeeld.example", "elamrani"],
    "URL": ["www.huurders-voorbeeld.nl", "huurders-voorbeeld", "https://www.voorbeeld.org/buurt"],
    "BSN": ["111222333"],
    "IBAN": ["NL91ABNA0417164300", "0417164300"],
    "DATUM": ["14-02-2006", "3 maart 1958"],
    "LEEFTIJD": ["67 jaar", "45-jarige", "19 jaar", "72-jarige", "58 jaar"],
}
# National digits of every planted phone number (after the trunk 0 or +31).
PHONE_DIGITS = [
    "612345678",
    "612345679",
    "612345670",
    "786123456",
    "612345671",
    "612345672",
    "786123457",
    "786123458",
    "612345673",
    "786123459",
]
# Names the analysis needs: they must still be there.
KEPT = [
    "Wielwijk",
    "Dordrecht",
    "Oud-Krispijn",
    "Crabbehof",
    "Nieuw-Krispijn",
    "Dordt West",
    "Trivire",
    "Sociale Dienst Drechtsteden",
    "GGD",
    "gemeente Dordrecht",
    "Humanitas",
    "Voedselbank",
    "wijkagent",
    "Politie",
]


def exported(path: Path, tmp_path: Path) -> Path:
    """A copy of a test export in ``tmp_path``: the import writes its review file next to
    the export, and never into tests/data."""
    path = Path(path)
    if path.parent != DATA:
        return path
    copy = tmp_path / "export" / path.name
    if not copy.exists():
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return copy


def run(path, tmp_path, ps=None, **kwargs):
    """The import of a copy of ``path`` (:func:`exported`), as :func:`importrun.run`."""
    return importrun.run(exported(path, tmp_path), tmp_path, ps, **kwargs)


def written(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# --- privacy ------------------------------------------------------------------------


def test_planted_identifiers_of_every_type_never_reach_a_written_file(tmp_path, ps):
    report = run(DATA / "import_verhalen.csv", tmp_path, ps)
    assert report.rows_read == 6
    assert len(report.imported) == 5
    files = {**written(tmp_path / "stories"), **written(tmp_path / "cache")}
    assert len(files) == 6  # five stories and the cache
    for kind, strings in PLANTED.items():
        for planted in strings:
            for name, data in files.items():
                assert planted.encode() not in data, (kind, planted, name)
        assert report.replacements.get(kind, 0) > 0, kind
    for name, data in files.items():
        digits = re.sub(rb"\D", b"", data)
        for phone in PHONE_DIGITS:
            assert phone.encode() not in digits, (phone, name)
    text = "\n".join(d.decode() for n, d in files.items() if n.endswith(".md"))
    for keep in KEPT:
        assert keep in text, keep
    assert "[POSTCODE-1] Dordrecht" in text


def test_skipped_rows_are_not_written_and_not_cached(tmp_path, ps):
    report = run(DATA / "import_verhalen.csv", tmp_path, ps)
    assert [(f.row, f.column) for f in report.skipped] == [(7, "toestemming")]
    for data in {**written(tmp_path / "stories"), **written(tmp_path / "cache")}.values():
        assert b"Nowakowski" not in data
        assert b"98765432" not in re.sub(rb"\D", b"", data)


def test_imported_stories_load_and_keep_their_neighbourhood(tmp_path, ps):
    run(DATA / "import_verhalen.csv", tmp_path, ps)
    collection = load_stories(tmp_path / "stories", VOCAB)
    assert collection.errors == []
    frame = collection.frame().set_index("id")
    assert frame.loc["vt-101", "area"] == "wielwijk"
    assert frame.loc["vt-101", "pillars"] == ("veilig", "gezond")
    assert frame.loc["vt-101", "title"] == "[PERSOON-1] over het plein"
    assert frame.loc["vt-101", "text"].startswith("Mevrouw [PERSOON-1] ([LEEFTIJD-1] jaar)")
    assert frame.loc["vt-102", "date"] == dt.date(2025, 4, 14)
    assert "vt-105" in frame.index  # no source id: the number after the highest, vt-104
    assert set(frame["area"]) == {
        "wielwijk",
        "oud-krispijn",
        "crabbehof",
        "nieuw-krispijn",
        "dordt-west",
    }


def test_report_counts_replacements_per_type(tmp_path, ps):
    report = run(DATA / "import_verhalen.csv", tmp_path, ps)
    assert report.replacements["TELEFOON"] == 10
    assert report.replacements["BSN"] == 1
    assert report.replacements["IBAN"] == 1
    lines = report.lines()
    assert lines[-1].startswith("Vervangingen: PERSOON ")
    assert "6 rijen gelezen" in lines[-2] and "5 geïmporteerd" in lines[-2]
    assert "1 overgeslagen" in lines[-2]


# --- idempotency and the cache ------------------------------------------------------


def test_importing_twice_gives_the_same_files_byte_for_byte(tmp_path, ps):
    first = run(DATA / "import_verhalen.csv", tmp_path, ps)
    before = written(tmp_path / "stories")
    second = run(DATA / "import_verhalen.csv", tmp_path, ps)
    assert written(tmp_path / "stories") == before
    assert second.imported == ()
    assert sorted(second.unchanged) == sorted(first.imported)
    assert second.cache_hits == 5
    assert second.replacements == first.replacements
    # Without the cache, into a fresh folder: the same ids and bytes again.
    third = run(DATA / "import_verhalen.csv", tmp_path, ps, out_dir=tmp_path / "b", use_cache=False)
    assert third.imported == first.imported
    assert written(tmp_path / "b") == before


class _Refuses(Pseudonymiser):
    def pseudonymise_parts(self, parts, language="nl"):
        raise AssertionError("the cache should have answered")


def test_a_second_run_over_unchanged_rows_skips_pseudonymisation(tmp_path, ps):
    run(DATA / "import_verhalen.csv", tmp_path, ps)
    refuses = _Refuses(VOCAB.allowlist, streets=VOCAB.streets)
    assert refuses.version == ps.version
    report = run(DATA / "import_verhalen.csv", tmp_path, refuses, out_dir=tmp_path / "again")
    assert len(report.imported) == 5 and report.cache_hits == 5


def test_the_cache_is_keyed_on_the_pseudonymiser_version(tmp_path, ps):
    run(DATA / "import_verhalen.csv", tmp_path, ps)
    other = _Refuses(["Wielwijk"])  # another allowlist: another version
    with pytest.raises(AssertionError, match="cache should have answered"):
        run(DATA / "import_verhalen.csv", tmp_path, other, out_dir=tmp_path / "again")


def test_a_different_story_under_an_existing_id_is_reported_not_overwritten(tmp_path, ps):
    run(DATA / "import_verhalen.csv", tmp_path, ps)
    target = tmp_path / "stories" / "vt-101.md"
    before = target.read_bytes()
    other = tmp_path / "andere_export.csv"
    rows = pd.read_csv(DATA / "import_verhalen.csv", dtype=str, keep_default_na=False)
    rows.loc[rows["id"] == "101", "tekst"] = "Een heel ander verhaal over de markt."
    rows.to_csv(other, index=False)
    report = run(other, tmp_path, ps)
    assert target.read_bytes() == before
    assert [(f.row, f.column) for f in report.conflicts] == [(2, "id")]
    message = report.conflicts[0].message
    assert "vt-101.md komt uit een andere rij: een ander verhaal" in message
    assert "geef de rij dan een ander id" in message
    assert len(report.unchanged) == 4
    assert not report.ok


def test_a_duplicate_id_within_the_file_is_skipped(tmp_path, ps):
    src = tmp_path / "dubbel.csv"
    src.write_text(
        "id,datum,wijk,verteller,kanaal,pijlers,verandering,toestemming,tekst\n"
        "7,2025-03-14,Wielwijk,bewoner,buurtbakkie,veilig,beter,citeren,Eerste verhaal.\n"
        "7,2025-03-15,Wielwijk,bewoner,buurtbakkie,veilig,beter,citeren,Tweede verhaal.\n",
        encoding="utf-8",
    )
    report = run(src, tmp_path, ps)
    assert report.imported == ("vt-7",)
    assert [(f.row, f.column) for f in report.skipped] == [(3, "id")]
    assert "rij 2" in report.skipped[0].message


def test_two_workers_give_the_same_bytes_as_one(tmp_path, ps):
    rows = pd.read_csv(DATA / "import_verhalen.csv", dtype=str, keep_default_na=False)
    big = pd.concat([rows.iloc[:5]] * 6, ignore_index=True)
    big["id"] = [f"r{i}" for i in range(len(big))]
    src = tmp_path / "groot.csv"
    big.to_csv(src, index=False)
    run(src, tmp_path, ps, out_dir=tmp_path / "one", workers=1, use_cache=False)
    run(src, tmp_path, ps, out_dir=tmp_path / "two", workers=2, use_cache=False)
    assert written(tmp_path / "one") == written(tmp_path / "two")
    assert len(written(tmp_path / "two")) == 30


def test_progress_bar_on_stderr_for_large_files_only(tmp_path, ps, capsys):
    header = "id,datum,wijk,verteller,kanaal,pijlers,verandering,toestemming,tekst\n"
    line = "{},2025-03-14,Wielwijk,bewoner,buurtbakkie,veilig,beter,citeren,Verhaal {}.\n"
    big = tmp_path / "groot.csv"
    big.write_text(header + "".join(line.format(i, i) for i in range(201)), encoding="utf-8")
    run(big, tmp_path, ps, progress=True, use_cache=False)
    captured = capsys.readouterr()
    assert "pseudonimiseren" in captured.err and captured.out == ""
    small = tmp_path / "klein.csv"
    small.write_text(header + line.format(1, 1), encoding="utf-8")
    run(small, tmp_path, ps, progress=True, use_cache=False, out_dir=tmp_path / "k")
    assert capsys.readouterr().err == ""


# --- bad input ------------------------------------------------------------------------


def test_missing_column_is_an_input_error_and_nothing_is_written(tmp_path, ps):
    with pytest.raises(InputError) as info:
        run(DATA / "import_kolom_ontbreekt.csv", tmp_path, ps)
    [finding] = info.value.findings
    assert finding.column == "toestemming" and finding.row == 1
    assert "import_kolom_ontbreekt.csv" in finding.file
    assert "verplichte kolom 'toestemming' ontbreekt" in str(finding)
    assert not (tmp_path / "stories").exists()
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("name", "rows", "column", "message"),
    [
        ("import_onbekende_wijk.csv", [3], "wijk", "'sterrenburg'; toegestaan: oud-krispijn"),
        ("import_lege_tekst.csv", [3], "tekst", "het verhaal heeft geen tekst"),
        ("import_geen_toestemming.csv", [3, 4, 5], "toestemming", "geen toestemming"),
    ],
)
def test_bad_rows_are_skipped_with_reason_and_the_rest_imports(
    tmp_path, ps, name, rows, column, message
):
    report = run(DATA / name, tmp_path, ps)
    assert report.imported == ("vt-1",)
    assert [f.row for f in report.skipped] == rows
    for f in report.skipped:
        assert f.column == column and message in f.message and name in f.file
    assert [p.name for p in (tmp_path / "stories").iterdir()] == ["vt-1.md"]
    assert report.ok


def test_latin1_csv(tmp_path, ps):
    report = run(DATA / "import_latin1.csv", tmp_path, ps)
    assert report.imported == ("vt-1",)
    text = (tmp_path / "stories" / "vt-1.md").read_text(encoding="utf-8")
    assert "Het café in Crabbehof is gezellig; ook de crèche doet mee." in text
    assert "Zoë" not in text and "Verbeek" not in text


def test_semicolon_csv_from_dutch_excel(tmp_path, ps):
    report = run(DATA / "import_puntkomma.csv", tmp_path, ps)
    assert report.imported == ("vt-1", "vt-2")
    text = (tmp_path / "stories" / "vt-1.md").read_text(encoding="utf-8")
    assert "Öztürk" not in text and "Hakan" not in text
    assert "de kinderen spelen er weer" in text


def test_xlsx_export(tmp_path, ps):
    frame = pd.DataFrame(
        {
            "ID": [1, 2],
            "Datum": [dt.datetime(2025, 3, 14, 10, 22), dt.datetime(2025, 3, 15)],
            "Wijk": ["Crabbehof", "Dordt West"],
            "Verteller": ["Bewoner", "jongere"],
            "Kanaal": ["Doe Mee Dordrecht", "Enquête"],
            "Pijlers": ["werk, leren", "gezond"],
            "Verandering": ["beter", "gemengd"],
            "Toestemming": ["citeren", "analyse"],
            "Tekst": ["Mijn buurvrouw Gülşen Aydın vond werk via de SDD.", "Het gaat beter."],
            "Synthetisch": ["ja", "nee"],
        }
    )
    src = tmp_path / "export.xlsx"
    frame.to_excel(src, sheet_name="Verhalen", index=False)
    report = run(src, tmp_path, ps, sheet="Verhalen")
    assert report.imported == ("vt-1", "vt-2")
    stories = {s.id: s for s in load_stories(tmp_path / "stories", VOCAB).stories}
    one = stories["vt-1"]
    assert (one.date, one.area, one.channel) == (
        dt.date(2025, 3, 14),
        "crabbehof",
        "doe-mee-dordrecht",
    )
    assert one.pillars == ("werk", "leren") and one.synthetic is True
    assert one.text == "Mijn buurvrouw [PERSOON-1] vond werk via de SDD."
    assert stories["vt-2"].channel == "enquete" and stories["vt-2"].area == "dordt-west"


def test_mapping_file_renames_columns_and_values(tmp_path, ps):
    report = run(DATA / "import_formulier.csv", tmp_path, ps, mapping=DATA / "import_mapping.yaml")
    assert len(report.imported) == 2 and report.skipped == ()
    stories = load_stories(tmp_path / "stories", VOCAB).stories
    by_area = {s.area: s for s in stories}
    assert set(by_area) == {"oud-krispijn", "wielwijk"}
    first = by_area["oud-krispijn"]
    assert (first.date, first.consent, first.pillars) == (
        dt.date(2025, 3, 14),
        "citeren",
        ("veilig", "gezond"),
    )
    assert first.text == (
        "Mijn buurvrouw [PERSOON-1] organiseert een koffieochtend. Bel haar op [TELEFOON-1]."
    )
    assert by_area["wielwijk"].consent == "analyse"
    # The form's e-mail column is ignored (and named), never written.
    assert "E-mailadres (optioneel)" in report.warnings[0].message
    for name, data in written(tmp_path).items():
        if name != "export/import_formulier.csv":  # the copy of the export itself
            assert b"noura.h@" not in data and b"Haddouchi" not in data


def test_invalid_mapping_file_names_every_problem(tmp_path, ps):
    with pytest.raises(InputError) as info:
        run(DATA / "import_formulier.csv", tmp_path, ps, mapping=DATA / "import_mapping_fout.yaml")
    messages = [f.message for f in info.value.findings]
    assert any("onbekende sleutel 'kolommen'" in m for m in messages)
    assert any("onbekend veld 'dag'" in m for m in messages)
    assert any("onbekend veld 'buurt'" in m for m in messages)
    assert all("import_mapping_fout.yaml" in f.file for f in info.value.findings)
    assert not (tmp_path / "stories").exists()


def test_export_that_does_not_exist_or_has_an_unknown_type(tmp_path, ps):
    with pytest.raises(InputError, match="bestand niet gevonden"):
        run(tmp_path / "geen.csv", tmp_path, ps)
    odd = tmp_path / "export.ods"
    odd.write_bytes(b"PK")
    with pytest.raises(InputError, match="onbekend bestandstype"):
        run(odd, tmp_path, ps)


def test_mapping_file_that_does_not_exist(tmp_path, ps):
    with pytest.raises(InputError, match="mappingbestand"):
        run(DATA / "import_formulier.csv", tmp_path, ps, mapping=tmp_path / "geen.yaml")


def test_form_without_mapping_names_the_missing_columns(tmp_path, ps):
    with pytest.raises(MissingColumnsError) as info:
        run(DATA / "import_formulier.csv", tmp_path, ps)
    assert len(info.value.findings) == 1  # one message, not one per column
    missing = set(info.value.missing)
    assert missing == {  # not "pijlers": without it the pillars are proposed
        "datum",
        "wijk",
        "verteller",
        "kanaal",
        "verandering",
        "toestemming",
        "tekst",
    }


def test_story_id_rules():
    assert story_id("001") == "vt-001"
    assert story_id(12.0) == "vt-12"
    assert story_id("VT-007") == "vt-007"
    assert story_id("Rij 3 / Formulier") == "vt-rij-3-formulier"
    # Without a source id the row gets a number in the folder (tests/vertellen/test_ids.py).
    assert story_id("") is None and story_id(None) is None and story_id(" / ") is None


# --- the command ------------------------------------------------------------------------


@pytest.fixture
def npdw(npdw_here, monkeypatch):
    """``npdw(*args, cache=folder)``: ``npdw stories import *args`` in this process, with
    its pseudonymisation cache in ``folder``."""
    from npdw_learning.vertellen import cache as import_cache

    def run(*args: str, cache: Path) -> subprocess.CompletedProcess:
        monkeypatch.setattr(import_cache, "DEFAULT_CACHE_DIR", Path(cache))
        return npdw_here("stories", "import", *args)

    return run


def test_cli_on_a_bad_file_exits_1_without_traceback(npdw, tmp_path):
    export = tmp_path / "export" / "import_kolom_ontbreekt.csv"
    export.parent.mkdir()
    export.write_bytes((DATA / export.name).read_bytes())
    proc = npdw(str(export), "--out", str(tmp_path / "s"), cache=tmp_path / "c")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "import_kolom_ontbreekt.csv, rij 1, kolom 'toestemming'" in proc.stdout
    assert proc.stdout.count("FOUT:") == 1  # one message
    assert "Er is geen verhaal geïmporteerd" in proc.stdout
    # Nothing but the mapping file to fill in, next to the export.
    assert sorted(p.name for p in export.parent.iterdir()) == [
        "import_kolom_ontbreekt.csv",
        "import_kolom_ontbreekt.csv.mapping.yaml",
    ]
    assert not (tmp_path / "s").exists() and not (tmp_path / "c").exists()


def test_cli_on_a_bad_mapping_exits_1_without_traceback(npdw, tmp_path):
    proc = npdw(
        str(DATA / "import_formulier.csv"),
        "--mapping",
        str(DATA / "import_mapping_fout.yaml"),
        "--out",
        str(tmp_path / "s"),
        cache=tmp_path,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "onbekend veld 'dag'" in proc.stdout


def test_cli_imports_skips_and_reports(npdw, tmp_path):
    out = tmp_path / "s"
    proc = npdw(str(DATA / "import_verhalen.csv"), "--out", str(out), cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "import_verhalen.csv, rij 7, kolom 'toestemming'" in proc.stdout
    assert "5 geïmporteerd, 0 ongewijzigd, 1 overgeslagen" in proc.stdout
    assert "Vervangingen: PERSOON" in proc.stdout and "TELEFOON 10" in proc.stdout
    for planted in ("Amrani", "06-12345678", "111222333"):
        assert planted not in proc.stdout + proc.stderr
    again = npdw(str(DATA / "import_verhalen.csv"), "--out", str(out), cache=tmp_path / "c")
    assert again.returncode == 0
    assert "0 geïmporteerd, 5 ongewijzigd" in again.stdout


def test_cli_exits_1_when_no_row_could_be_imported(npdw, tmp_path):
    src = tmp_path / "alles_fout.csv"
    src.write_text(
        "id,datum,wijk,verteller,kanaal,pijlers,verandering,toestemming,tekst\n"
        "1,2025-03-14,Wielwijk,bewoner,buurtbakkie,veilig,beter,nee,Tekst.\n",
        encoding="utf-8",
    )
    proc = npdw(str(src), "--out", str(tmp_path / "s"), cache=tmp_path)
    assert proc.returncode == 1
    assert "geen enkel verhaal geïmporteerd" in proc.stdout
    assert "Traceback" not in proc.stderr


# -- partner files as they really arrive (sheets, long ids and stories) ---------------

EXPORT_HEADER = [
    "id",
    "datum",
    "wijk",
    "verteller",
    "kanaal",
    "pijlers",
    "verandering",
    "toestemming",
    "tekst",
]


def _export(tmp_path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path = tmp_path / "export.xlsx"
    wb.save(path)
    return path


def _story(ident: str, text: str = "Het plein is veiliger.") -> list:
    return [ident, "2025-03-14", "Wielwijk", "bewoner", "buurtbakkie", "veilig", "beter"] + [
        "citeren",
        text,
    ]


def test_every_sheet_of_an_export_is_imported_and_others_are_listed(tmp_path, ps):
    src = _export(
        tmp_path,
        {
            "Uitleg": [["Formulier buurtbakkie, export maart"]],
            "Maart": [EXPORT_HEADER, _story("1")],
            "April": [["Export april"], EXPORT_HEADER, _story("2"), _story("1", "Anders.")],
        },
    )
    report = run(src, tmp_path, ps)
    assert report.imported == ("vt-1", "vt-2")
    [dup] = report.skipped
    assert dup.file == f"{src} [April]" and dup.row == 4
    assert f"komt al voor in {src} [Maart], rij 2" in dup.message
    shown = [w.message for w in report.warnings]
    assert any(m.startswith("werkblad 'Uitleg' overgeslagen") for m in shown)
    assert any(m.startswith("kopregel gevonden op rij 2") for m in shown)


def test_a_wrong_sheet_lists_the_sheets_and_writes_nothing(tmp_path, ps):
    src = _export(tmp_path, {"Verhalen": [EXPORT_HEADER, _story("1")], "Uitleg": [["x"]]})
    with pytest.raises(InputError) as exc:
        run(src, tmp_path, ps, sheet="Antwoord")
    assert "'Verhalen', 'Uitleg'" in exc.value.findings[0].message
    assert not (tmp_path / "stories").exists()


def test_a_300_character_id_is_a_row_finding_not_an_os_error(tmp_path, ps):
    src = tmp_path / "export.csv"
    long_id = "a" * 300
    rows = [EXPORT_HEADER, _story(long_id), _story("2")]
    src.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    report = run(src, tmp_path, ps)
    assert report.imported == ("vt-2",)
    [finding] = report.skipped
    assert (finding.row, finding.column) == (2, "id")
    assert "303 tekens lang" in finding.message and "hoogstens 100" in finding.message


def test_a_merged_header_cell_refuses_the_export_with_row_and_column(tmp_path, ps):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Antwoorden"
    ws.append([*EXPORT_HEADER[:-1], "tekst", None])
    ws.append([*_story("1"), "tweede deel van het verhaal"])
    ws.merge_cells("I1:J1")
    src = tmp_path / "export.xlsx"
    wb.save(src)
    with pytest.raises(InputError) as exc:
        run(src, tmp_path, ps)
    [finding] = exc.value.findings
    assert finding.file == f"{src} [Antwoorden]" and (finding.row, finding.column) == (1, "tekst")
    assert "samengevoegd over de cellen I1:J1" in finding.message
    assert not (tmp_path / "stories").exists()


# --- forms without pillars ----------------------------------------------------------------

# tests/data/import_zonder_pijlers.csv: 10 consented rows in the default Dutch
# headers, an empty pijlers column, fictional texts. Rows 9 and 11 (vt-208,
# vt-210) name no theme of the codebook.
NO_PILLARS = DATA / "import_zonder_pijlers.csv"
PROPOSED = {
    "vt-201": ("leren", "veilig"),  # jongeren (leren), lawaai (veilig)
    "vt-202": ("wonen",),
    "vt-203": ("werk",),
    "vt-204": ("wonen",),
    "vt-205": ("gezond",),
    "vt-206": ("leren",),
    "vt-207": ("veilig",),
    "vt-208": (),
    "vt-209": ("werk",),
    "vt-210": (),
}
INTERNAL = [f for d, f in COLUMN_FIELDS.items() if d != f]  # date, area, ..., pillars, ...


def proposed(report) -> dict[str, tuple[str, ...]]:
    return {p.id: p.pillars for p in report.proposed}


def assert_proposed(report, out: Path, pillars_column: str) -> None:
    assert sorted(report.imported) == sorted(PROPOSED) and report.skipped == ()
    stories = {s.id: s for s in load_stories(out, VOCAB).stories}
    assert {i: s.pillars for i, s in stories.items()} == PROPOSED
    assert {s.pillars_source for s in stories.values()} == {"auto"}
    assert proposed(report) == PROPOSED
    lines = report.lines()
    assert any(line.startswith("  rij 4, vt-203: werk; begint met") for line in lines)
    assert any(line.startswith("  rij 2, vt-201: leren, veilig; begint met") for line in lines)
    assert any(line.startswith("  rij 9, vt-208: geen (nog niet ingedeeld);") for line in lines)
    warned = {(f.row, f.column) for f in report.warnings if "geen pijler" in f.message}
    assert warned == {(9, pillars_column), (11, pillars_column)}


def test_a_form_with_an_empty_pillars_column_imports_every_consented_row(tmp_path, ps):
    report = run(NO_PILLARS, tmp_path, ps)
    assert_proposed(report, tmp_path / "stories", "pijlers")
    assert report.ok


def test_a_form_without_a_pillars_column_imports_every_consented_row(tmp_path, ps):
    src = tmp_path / "export.csv"
    pd.read_csv(NO_PILLARS, dtype=str).drop(columns="pijlers").to_csv(src, index=False)
    assert "pijlers" not in src.read_text(encoding="utf-8")
    assert_proposed(run(src, tmp_path, ps), tmp_path / "stories", "pijlers")


def test_a_mapping_that_renames_the_pillars_column_names_it_in_the_warnings(tmp_path, ps):
    src = tmp_path / "export.csv"
    frame = pd.read_csv(NO_PILLARS, dtype=str).rename(columns={"pijlers": "Programmapijler"})
    frame.to_csv(src, index=False)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('columns:\n  "Programmapijler": pijlers\n', encoding="utf-8")
    report = run(src, tmp_path, ps, mapping=mapping)
    assert_proposed(report, tmp_path / "stories", "Programmapijler")


def test_pillars_given_in_some_rows_are_kept_and_only_the_empty_ones_proposed(tmp_path, ps):
    src = tmp_path / "export.csv"
    frame = pd.read_csv(NO_PILLARS, dtype=str)
    frame.loc[frame["id"] == "208", "pijlers"] = "Wonen; werk"
    frame.to_csv(src, index=False)
    report = run(src, tmp_path, ps)
    one = parse(tmp_path / "stories" / "vt-208.md")
    assert one.pillars == ("wonen", "werk") and one.pillars_source is None
    assert "pillars_source" not in (tmp_path / "stories" / "vt-208.md").read_text()
    assert "vt-208" not in proposed(report)
    assert [f.row for f in report.warnings if "geen pijler" in f.message] == [11]


def test_blank_looking_pillar_cells_in_an_xlsx_export_are_proposed(tmp_path, ps):
    frame = pd.read_csv(NO_PILLARS, dtype=str).rename(columns={"pijlers": "Pijlers "})
    frame["Pijlers "] = frame["Pijlers "].astype(object)
    frame.loc[0, "Pijlers "] = " ; "  # only separators
    frame.loc[1, "Pijlers "] = "   "
    frame.loc[2, "Pijlers "] = None
    src = tmp_path / "export.xlsx"
    frame.to_excel(src, sheet_name="Antwoorden", index=False)
    report = run(src, tmp_path, ps)
    assert_proposed(report, tmp_path / "stories", "Pijlers")  # the header as read, trimmed


def parse(path: Path):
    story, findings = parse_story(path, VOCAB)
    assert story is not None, findings
    return story


def test_reimporting_a_form_without_pillars_changes_nothing(tmp_path, ps):
    run(NO_PILLARS, tmp_path, ps)
    before = written(tmp_path / "stories")
    again = run(NO_PILLARS, tmp_path, ps)
    assert again.imported == () and len(again.unchanged) == 10 and again.conflicts == ()
    assert again.proposed == ()  # listed once, when written
    assert written(tmp_path / "stories") == before
    fresh = run(NO_PILLARS, tmp_path, ps, use_cache=False)  # without the file-hash cache
    assert len(fresh.unchanged) == 10 and fresh.conflicts == ()


def test_a_reviewed_proposal_is_kept_on_reimport(tmp_path, ps):
    run(NO_PILLARS, tmp_path, ps)
    for ident, new in (("vt-201", "- veilig\n"), ("vt-208", "- gezond\n")):
        path = tmp_path / "stories" / f"{ident}.md"
        text = path.read_text(encoding="utf-8")
        head, body = text.split("change:", 1)
        head = head.split("pillars:", 1)[0] + "pillars:\n" + new
        path.write_text(head + "change:" + body, encoding="utf-8")
    before = written(tmp_path / "stories")
    for use_cache in (True, True, False):
        again = run(NO_PILLARS, tmp_path, ps, use_cache=use_cache)
        assert again.conflicts == () and len(again.unchanged) == 8
        assert sorted(again.kept) == ["vt-201", "vt-208"]  # a review is a change by hand
        assert written(tmp_path / "stories") == before
        assert [f.row for f in again.warnings if "geen pijler" in f.message] == [11]
    assert parse(tmp_path / "stories" / "vt-201.md").pillars == ("veilig",)
    assert parse(tmp_path / "stories" / "vt-208.md").pillars_source is None


def test_a_changed_row_is_still_a_conflict_when_pillars_were_proposed(tmp_path, ps):
    run(NO_PILLARS, tmp_path, ps)
    path = tmp_path / "stories" / "vt-203.md"
    path.write_text(path.read_text().replace("pillars_source: auto\n", ""))  # reviewed
    changed = tmp_path / "export.csv"
    frame = pd.read_csv(NO_PILLARS, dtype=str)
    frame.loc[frame["id"] == "203", "verandering"] = "slechter"
    frame.to_csv(changed, index=False)
    again = run(changed, tmp_path, ps)
    assert [f.row for f in again.conflicts] == [4]
    [conflict] = again.conflicts
    assert "verandering: in de export 'slechter', in het bestand 'beter'" in conflict.message
    assert "pillars_source" not in path.read_text()


def test_the_codebook_of_the_data_folder_proposes_the_pillars(tmp_path, ps):
    book = codebook_in(ProgrammeFolder.bundled())
    only = [t for t in book.themes if t.id == "werk"]
    report = run(NO_PILLARS, tmp_path, ps, codebook=dataclasses.replace(book, themes=tuple(only)))
    assert {p.id for p in report.proposed if p.pillars} == {"vt-203"}
    # A programme folder whose codebook is broken: its own codebook is read, and refused.
    broken = ProgrammeFolder(tmp_path / "programma")
    shutil.copytree(ProgrammeFolder.bundled().registry_dir, broken.registry_dir)
    broken.codebook_file.write_text("themes: niets\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run(NO_PILLARS, tmp_path / "b", ps, codebook=broken)
    assert str(broken.codebook_file) in str(caught.value)
    assert not (tmp_path / "b" / "stories").exists()


def test_the_file_format_probe_sets_every_field_of_a_story_file():
    front = _FORMAT_PROBE.front_matter()
    assert set(front) == set(REQUIRED_FIELDS) | set(OPTIONAL_FIELDS)


# Per field: a bad cell (by the Dutch column) and what the message must name.
BAD_CELLS = [
    ("datum", "gisteren"),
    ("datum", ""),
    ("wijk", "Zwijndrecht"),
    ("wijk", ""),
    ("verteller", "buurman"),
    ("verteller", ""),
    ("kanaal", "facebook"),
    ("kanaal", ""),
    ("pijlers", "sport"),
    ("verandering", "top"),
    ("verandering", ""),
    ("toestemming", "misschien"),
    ("toestemming", "nee"),
    ("tekst", ""),
    ("synthetisch", "misschien"),
]
RENAMED = {
    "datum": "Datum gesprek",
    "wijk": "In welke wijk woont u?",
    "verteller": "Wie vertelt",
    "kanaal": "Hoe opgehaald",
    "pijlers": "Programmapijler",
    "verandering": "Wat is er veranderd",
    "toestemming": "Mag dit gebruikt worden",
    "tekst": "Uw verhaal",
    "synthetisch": "Verzonnen",
    "id": "Nummer",
}


def bad_export(tmp_path: Path, renamed: bool) -> tuple[Path, dict[str, str]]:
    good = {
        "id": "1",
        "datum": "2025-05-02",
        "wijk": "Wielwijk",
        "verteller": "bewoner",
        "kanaal": "buurtbakkie",
        "pijlers": "",
        "verandering": "beter",
        "toestemming": "citeren",
        "tekst": "Het plein is opgeknapt.",
        "synthetisch": "ja",
    }
    rows = [
        {**good, "id": str(i + 1), column: value} for i, (column, value) in enumerate(BAD_CELLS)
    ]
    frame = pd.DataFrame(rows)
    header = {d: RENAMED[d] if renamed else d for d in good}
    src = tmp_path / ("hernoemd.csv" if renamed else "standaard.csv")
    frame.rename(columns=header).to_csv(src, index=False)
    return src, header


@pytest.mark.parametrize("renamed", [False, True])
def test_every_message_names_the_column_as_the_file_has_it(tmp_path, ps, renamed):
    src, header = bad_export(tmp_path, renamed)
    mapping = None
    if renamed:
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text(
            yaml.safe_dump({"columns": {v: k for k, v in RENAMED.items()}}), encoding="utf-8"
        )
    report = run(src, tmp_path, ps, mapping=mapping)
    assert report.imported == () and report.skipped_rows == len(BAD_CELLS)
    by_row = {}
    for f in report.skipped:
        by_row.setdefault(f.row, []).append(f)
    for i, (column, value) in enumerate(BAD_CELLS):
        findings = by_row[i + 2]  # the header is row 1
        assert [f.column for f in findings] == [header[column]], (column, value, findings)
        [f] = findings
        if column not in ("tekst", "toestemming") or value == "misschien":
            assert f"'{header[column]}'" in f.message, f.message
    for f in (*report.skipped, *report.warnings):
        for name in INTERNAL:
            assert not re.search(rf"\b{name}\b", f.message + (f.column or "")), (name, f)


def test_cli_lists_the_proposed_pillars(npdw, tmp_path):
    out = tmp_path / "s"
    proc = npdw(str(exported(NO_PILLARS, tmp_path)), "--out", str(out), cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "10 geïmporteerd" in proc.stdout
    assert "Voorgestelde pijlers (10 verhalen zonder pijlers" in proc.stdout
    assert "  rij 10, vt-209: werk; begint met" in proc.stdout
    assert "rij 11, kolom 'pijlers'" in proc.stdout


@pytest.mark.slow
def test_the_bundled_stories_reimport_unchanged_byte_for_byte(tmp_path, ps):
    # test_example_collection checks a fresh import gives the shipped bytes;
    # this one imports the same export over a copy of the shipped folder.
    originals = {p.name: p.read_bytes() for p in STORIES_DIR.glob("vt-*.md")}
    assert len(originals) == 60
    copy = tmp_path / "kopie"
    copy.mkdir()
    for name, data in originals.items():
        (copy / name).write_bytes(data)
    export = DATA / "verhalen_synthetisch_fictief.csv"
    for _ in range(2):  # without, then with the file hashes in the cache
        again = run(export, tmp_path, ps, out_dir=copy)
        assert len(again.unchanged) == 60 and again.conflicts == () and again.imported == ()
        assert again.proposed == () and again.warnings == ()
        assert {p.name: p.read_bytes() for p in copy.iterdir()} == originals


# -- a form export as it is: 18 rows from a form without a channel question -------------------

FORM = DATA / "import_formulier_18.csv"
FORM_MAPPING = DATA / "import_formulier_18_mapping.yaml"
# Rows of the form that must be skipped, each with the column that says why.
FORM_SKIPPED = {
    7: ("Mogen wij uw verhaal gebruiken?", "geen toestemming"),
    8: ("In welke wijk woont u?", "'sterrenburg'; toegestaan:"),
    14: ("Wat wilt u ons vertellen over uw buurt?", "het verhaal heeft geen tekst"),
}
# In the form's name, e-mail and phone columns (not read) and in its answers (pseudonymised).
FORM_PLANTED = [
    "Anouk Verschoor",
    "Verschoor",
    "Wendy Kuijpers",
    "Kuijpers",
    "Hatice Demir",
    "Rianne Bakker",
    "Samir Ouali",
    "Kees van Rijswijk",
    "06-19283746",
    "06-28374651",
    "0612873465",
    "06 2345 6781",
    "06-37465128",  # the phone column (dropped) and a row without consent
    "06-46512837",
    "@voorbeeld.example",
    "voorbeeld.example",
    "Beukenhaag 31a",
    "3317 ZZ",
]


# What looks like a phone number or an e-mail address anywhere in a fixture.
CONTACT = re.compile(rb"\b06[- ]?\d{4} ?\d{4}\b|\b06[- ]?\d{8}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.mark.parametrize(
    ("fixture", "promised"),
    [
        (FORM, FORM_PLANTED),
        (DATA / "import_formulier_zonder_id.csv", ["06-11223344", "k.devries@voorbeeld.example"]),
    ],
)
def test_every_contact_detail_in_a_form_fixture_is_invented_and_promised_gone(fixture, promised):
    """Each phone number and e-mail address in the fixture is invented (e-mail on the reserved
    .example domain) and listed among what the import tests assert absent from the stories."""
    found = {m.decode().rstrip(".") for m in CONTACT.findall(fixture.read_bytes())}
    assert found, fixture  # the pattern finds them: the check below is not empty
    for item in found:
        if "@" in item:
            assert item.endswith(".example"), item
        assert any(p in item for p in promised), item


def test_the_form_export_is_as_it_arrives_from_windows():
    raw = FORM.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
    header = raw.split(b"\r\n", 1)[0].decode("utf-8-sig")
    assert header.count(";") == 8 and "kanaal" not in header.lower()
    assert raw.count(b"\r\n") >= 19 and b"\n\n" in raw  # CRLF rows, a multi-line answer
    assert b"Since last summer" in raw  # one answer in English


def test_the_form_imports_with_its_mapping_and_no_hand_made_column(tmp_path, ps):
    report = run(FORM, tmp_path, ps, mapping=FORM_MAPPING)
    assert report.rows_read == 18 and report.ok
    assert len(report.imported) == 15 and report.skipped_rows == 3
    # Each skipped row once, named with its column as the form has it, and why.
    assert {f.row: f.column for f in report.skipped} == {r: c for r, (c, _) in FORM_SKIPPED.items()}
    for f in report.skipped:
        column, reason = FORM_SKIPPED[f.row]
        assert reason in f.message and f.file == str(tmp_path / "export" / FORM.name)
    stories = load_stories(tmp_path / "stories", VOCAB).stories
    assert len(stories) == 15
    assert {s.channel for s in stories} == {"enquete"}  # the fixed value, in every story
    assert {s.consent for s in stories} == {"analyse", "citeren", "publiceren"}
    assert {s.teller for s in stories} == {"bewoner", "professional", "jongere", "ondernemer"}
    assert {s.change for s in stories} == {"beter", "slechter", "gelijk", "gemengd"}
    multi = [s for s in stories if s.date == dt.date(2025, 3, 31)]
    assert multi[0].text.count("\n") == 3  # the multi-line answer keeps its lines, without \r
    assert not any("\r" in s.text for s in stories)
    # The name, e-mail and phone columns are not read, and named as ignored.
    assert "'E-mailadres', 'Wat is uw naam? (mag leeg blijven)'" in report.warnings[0].message
    for data in written(tmp_path / "stories").values():
        for planted in FORM_PLANTED:
            assert planted.encode() not in data, planted


def test_cli_imports_the_form_with_its_mapping(npdw, tmp_path):
    out = tmp_path / "s"
    form = exported(FORM, tmp_path)
    proc = npdw(str(form), "--mapping", str(FORM_MAPPING), "--out", str(out), cache=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "18 rijen gelezen" in proc.stdout and "15 geïmporteerd" in proc.stdout
    assert "3 overgeslagen" in proc.stdout
    for row, (column, reason) in FORM_SKIPPED.items():
        assert f"FOUT: {form}, rij {row}, kolom '{column}': " in proc.stdout
        assert reason in proc.stdout
    assert len(list(out.glob("vt-*.md"))) == 15
    for planted in FORM_PLANTED:
        assert planted not in proc.stdout + proc.stderr


def test_cli_without_mapping_says_it_once_and_writes_a_mapping_to_fill(npdw, tmp_path):
    export = tmp_path / "export" / "formulier.csv"
    export.parent.mkdir()
    export.write_bytes(FORM.read_bytes())
    proc = npdw(str(export), "--out", str(tmp_path / "s"), cache=tmp_path / "c")
    assert proc.returncode == 1
    assert proc.stdout.count("FOUT:") == 1 and "WAARSCHUWING" not in proc.stdout
    assert f"FOUT: {export}, rij 1: 7 verplichte kolommen ontbreken: datum, wijk" in proc.stdout
    assert "Gevonden kolomkoppen (9): 'Tijdstempel', 'E-mailadres'" in proc.stdout
    assert "    wijk         'In welke wijk woont u?'" in proc.stdout
    assert "--mapping" in proc.stdout
    template = export.parent / "formulier.csv.mapping.yaml"
    assert f"Een mappingbestand om in te vullen staat klaar: {template}" in proc.stdout
    assert (
        f"    npdw stories import {export} --out {tmp_path / 's'} --mapping {template}"
        in proc.stdout
    )
    assert sorted(p.name for p in export.parent.iterdir()) == [
        "formulier.csv",
        "formulier.csv.mapping.yaml",
    ]
    assert not (tmp_path / "s").exists() and not (tmp_path / "c").exists()
    # Filled in as the guide says, the same export imports.
    text = template.read_text(encoding="utf-8")
    filled = yaml.safe_load(text)
    answers = {
        "Ja, anoniem citeren mag": "citeren",
        "Ja, alleen voor onderzoek": "analyse",
        "Ja, ook publiceren": "publiceren",
        "Nee, liever niet": "nee",
        "Professional (ik werk in de wijk)": "professional",
        "Jongere (tot 23 jaar)": "jongere",
        "Beter geworden": "beter",
        "Slechter geworden": "slechter",
        "Gelijk gebleven": "gelijk",
        "Een beetje van allebei": "gemengd",
    }
    filled["fixed"]["kanaal"] = "enquete"
    for table in filled["values"].values():
        table.update({k: answers[k] for k in table if k in answers})
    template.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    again = npdw(
        str(export), "--mapping", str(template), "--out", str(tmp_path / "s"), cache=tmp_path / "c"
    )
    assert again.returncode == 0, again.stdout
    assert "15 geïmporteerd" in again.stdout and "3 overgeslagen" in again.stdout


def test_cli_leaves_a_mapping_the_user_made_alone(npdw, tmp_path):
    export = tmp_path / "formulier.csv"
    export.write_bytes(FORM.read_bytes())
    own = tmp_path / "formulier.csv.mapping.yaml"
    own.write_text("columns:\n  Tijdstempel: datum   # half af\n", encoding="utf-8")
    proc = npdw(str(export), "--out", str(tmp_path / "s"), cache=tmp_path / "c")
    assert proc.returncode == 1
    assert f"{own} bestaat al en is niet overschreven" in proc.stdout
    assert own.read_text(encoding="utf-8") == "columns:\n  Tijdstempel: datum   # half af\n"


def test_cli_in_a_read_only_place_gives_the_message_without_the_file(npdw, tmp_path, monkeypatch):
    from npdw_learning.kern import atomic

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    export = tmp_path / "formulier.csv"
    export.write_bytes(FORM.read_bytes())
    proc = npdw(str(export), "--out", str(tmp_path / "s"), cache=tmp_path / "c")
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "Gevonden kolomkoppen (9)" in proc.stdout
    assert "Er kon geen mappingbestand naast de export worden gezet (de map is alleen-lezen)" in (
        proc.stdout
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["formulier.csv"]


def test_cli_with_a_mapping_that_misses_a_column_writes_no_template(npdw, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        FORM_MAPPING.read_text(encoding="utf-8").replace('"Wie bent u?"', '"Wie ben jij?"'),
        encoding="utf-8",
    )
    form = exported(FORM, tmp_path)
    proc = npdw(str(form), "--mapping", str(mapping), "--out", str(tmp_path / "s"), cache=tmp_path)
    assert proc.returncode == 1
    assert f"verplichte kolom 'verteller' ontbreekt (volgens {mapping}: kopje 'Wie ben jij?')" in (
        proc.stdout
    )
    assert "    verteller  'Wie bent u?'" in proc.stdout
    assert not (form.parent / "import_formulier_18.csv.mapping.yaml").exists()


def test_a_workbook_without_any_usable_sheet_offers_the_mapping_of_the_form_sheet(npdw, tmp_path):
    import csv

    with FORM.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    src = _export(
        tmp_path, {"Uitleg": [["Formulier buurtbakkie, export maart"]], "Antwoorden": rows}
    )
    with pytest.raises(MissingColumnsError) as info:
        run(src, tmp_path, None)
    exc = info.value
    assert exc.file == f"{src} [Antwoorden]" and exc.nearest["wijk"] == "In welke wijk woont u?"
    assert [f.file for f in exc.findings] == [f"{src} [Uitleg]", f"{src} [Antwoorden]"]
    proc = npdw(str(src), "--out", str(tmp_path / "s"), cache=tmp_path / "c")
    assert proc.returncode == 1 and proc.stdout.count("FOUT:") == 2  # one per sheet
    template = yaml.safe_load((tmp_path / "export.xlsx.mapping.yaml").read_text(encoding="utf-8"))
    assert list(template["columns"])[:2] == ["Tijdstempel", "E-mailadres"]


ENGLISH = (
    "Since last summer the street has become very noisy at night. My neighbour Mrs "
    "Kowalczyk at number 14 called the police twice, but nothing changed."
)


def test_a_story_in_english_is_imported_marked_and_named_with_its_row(tmp_path, ps):
    export = tmp_path / "export.csv"
    export.write_text(
        "id,datum,wijk,verteller,kanaal,verandering,toestemming,tekst\n"
        "1,2025-05-02,Wielwijk,bewoner,enquete,slechter,analyse,"
        "Elke avond hangen er jongeren rond bij de flat en dat geeft veel lawaai.\n"
        f'2,2025-05-03,Wielwijk,bewoner,enquete,slechter,analyse,"{ENGLISH}"\n',
        encoding="utf-8",
    )
    for _ in range(2):  # the second time from the cache: the language comes with it
        report = run(export, tmp_path, ps, out_dir=tmp_path / f"out{_}")
        text = (tmp_path / f"out{_}" / "vt-2.md").read_text(encoding="utf-8")
        assert "\nlanguage: en\n" in text
        assert "Since last summer the street has become very noisy at night." in text
        assert "Kowalczyk" not in text and "number 14" not in text
        assert "language" not in (tmp_path / f"out{_}" / "vt-1.md").read_text(encoding="utf-8")
        foreign = [f for f in report.warnings if "niet in het Nederlands" in f.message]
        assert [(f.row, f.column) for f in foreign] == [(3, "tekst")]
        assert "Engels" in foreign[0].message and "lees het verhaal na" in foreign[0].message
        # The Dutch codebook proposes nothing for it, and says so once, not as "no theme".
        assert {p.id: p.pillars for p in report.proposed}.get("vt-2", ()) == ()
        assert not any("vt-2: geen thema" in f.message for f in report.warnings)
    assert report.cache_hits == 2
