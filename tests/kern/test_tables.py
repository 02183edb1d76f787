"""Reading partner files as they really arrive: encodings, binary files, sheets, headers."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.tables import HEADER_SEARCH, NotText, decode, read_sheets
from npdw_learning.tellen.measurements import read_measurement_file

DATA = Path(__file__).parents[1] / "data"
REG = ProgrammeFolder.bundled().registry
HEADER = ["indicator", "area", "year", "value", "source"]


def workbook(path: Path, sheets: dict[str, list[list]], merge: dict[str, str] | None = None):
    """Write an xlsx with openpyxl (as a partner's tool would) and return its path."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if merge and name in merge:
            ws.merge_cells(merge[name])
    wb.save(path)
    return path


def errors(findings):
    return [f for f in findings if f.severity == "error"]


# -- encodings and binary content ---------------------------------------------------


@pytest.mark.parametrize(
    "name", ["levering_utf16.csv", "levering_utf16_zonder_bom.csv", "levering_unicode_tekst.txt"]
)
def test_utf16_deliveries_load_like_any_other(name):
    rows, findings = read_measurement_file(DATA / name, REG)
    assert errors(findings) == []
    assert rows[["indicator", "area", "year", "value"]].to_dict("records") == [
        {"indicator": "stress", "area": "wielwijk", "year": 2024, "value": 24.5},
        {"indicator": "stress", "area": "crabbehof", "year": 2024, "value": 23.0},
    ]
    assert rows["row"].tolist() == [2, 3]


def test_excel_unicode_text_is_tab_separated_utf16_with_decimal_commas():
    raw = (DATA / "levering_unicode_tekst.txt").read_bytes()
    assert raw[:2] == b"\xff\xfe" and b"\t\x00" in raw
    [sheet] = read_sheets(DATA / "levering_unicode_tekst.txt")
    assert sheet.frame.loc[0, "waarde"] == "24,5"


def test_binary_file_renamed_csv_is_one_finding_geen_tekstbestand():
    rows, findings = read_measurement_file(DATA / "levering_png_hernoemd.csv", REG)
    assert rows.empty
    [finding] = findings
    assert finding.severity == "error"
    assert finding.message.startswith("geen tekstbestand")
    assert "PNG" in finding.message


def test_a_workbook_renamed_csv_says_rename_it(tmp_path):
    src = workbook(tmp_path / "x.xlsx", {"Blad1": [HEADER]})
    renamed = tmp_path / "levering.csv"
    renamed.write_bytes(src.read_bytes())
    [finding] = read_measurement_file(renamed, REG)[1]
    assert "geen tekstbestand" in finding.message and ".xlsx" in finding.message


def test_nul_bytes_in_a_csv_are_binary_not_garbage():
    with pytest.raises(NotText):
        decode(b"indicator,area\x00\x01\x02\xff\x00\x00\x00\x10\x00\x00")


def test_decode_keeps_the_old_encodings():
    text = "indicator;waarde\nstress;€ 3,5\n"
    for enc in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        assert decode(text.encode(enc)) == text


def test_a_story_longer_than_the_csv_field_limit_is_read(tmp_path):
    story = "woord " * 30_000  # 180,000 characters > csv's default 131,072
    f = tmp_path / "export.csv"
    f.write_text(f'id,tekst\n1,"{story}"\n', encoding="utf-8")
    [sheet] = read_sheets(f)
    assert len(sheet.frame.loc[0, "tekst"]) == len(story)
    assert csv.field_size_limit() >= min(sys.maxsize, 2**31 - 1)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_any_bytes_either_load_or_raise_the_input_error(tmp_path, data):
    f = tmp_path / "willekeurig.csv"
    f.write_bytes(data)
    rows, findings = read_measurement_file(f, REG)
    assert rows.empty or not errors(findings)
    for finding in findings:
        assert finding.file == str(f) and finding.message


# -- sheets ------------------------------------------------------------------------


def test_every_sheet_with_the_columns_is_part_of_the_delivery(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {
            "2024": [HEADER, ["stress", "wielwijk", 2024, 24, "ggd"]],
            "2025": [HEADER, ["stress", "wielwijk", 2025, 23, "ggd"], ["stress", "x", 2025, 1]],
        },
    )
    rows, findings = read_measurement_file(f, REG)
    assert rows["year"].tolist() == [2024, 2025]
    assert rows["file"].tolist() == [f"{f} [2024]", f"{f} [2025]"]
    [error] = errors(findings)
    assert error.file == f"{f} [2025]" and error.row == 3 and error.column == "area"


def test_a_notes_sheet_is_skipped_with_its_reason(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {
            "Toelichting": [["Levering van de GGD, maart 2026"], ["Zie tabblad Cijfers"]],
            "Cijfers": [HEADER, ["stress", "wielwijk", 2025, 23, "ggd"]],
        },
    )
    rows, findings = read_measurement_file(f, REG)
    assert len(rows) == 1 and errors(findings) == []
    [skipped] = findings
    assert skipped.file == f"{f} [Toelichting]"
    assert "werkblad 'Toelichting' overgeslagen" in skipped.message
    assert "indicator" in skipped.message and "'Cijfers'" in skipped.message


def test_no_sheet_with_the_columns_names_each_sheet(tmp_path):
    f = workbook(tmp_path / "levering.xlsx", {"A": [["x", "y"], [1, 2]], "B": [["foo"], [1]]})
    rows, findings = read_measurement_file(f, REG)
    assert rows.empty
    assert {e.file for e in errors(findings)} == {f"{f} [A]", f"{f} [B]"}


def test_a_wrong_sheet_lists_the_sheets_there_are(tmp_path):
    f = workbook(tmp_path / "export.xlsx", {"Verhalen": [["id"]], "Toelichting": [["x"]]})
    with pytest.raises(InputError) as exc:
        read_sheets(f, sheet="Antwoord")
    [finding] = exc.value.findings
    assert "werkblad 'Antwoord' bestaat niet" in finding.message
    assert "'Verhalen', 'Toelichting'" in finding.message


# -- the header ----------------------------------------------------------------------


def test_header_below_a_title_row_is_found_and_reported(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {"Blad1": [["GGD Monitor 2025"], [], HEADER, ["stress", "wielwijk", 2025, 23, "ggd"]]},
    )
    rows, findings = read_measurement_file(f, REG)
    assert rows["row"].tolist() == [4]
    [note] = findings
    assert note.severity == "warning" and note.row == 3
    assert note.message.startswith("kopregel gevonden op rij 3")


def test_header_below_a_title_row_in_csv(tmp_path):
    f = tmp_path / "levering.csv"
    f.write_text(
        "Levering GGD;;;\n\nindicator;gebied;jaar;waarde\nstress;wielwijk;2025;23,5\n",
        encoding="utf-8",
    )
    rows, findings = read_measurement_file(f, REG)
    assert rows[["row", "value"]].to_dict("records") == [{"row": 4, "value": 23.5}]
    assert [x.row for x in findings] == [3]


def test_no_header_in_the_first_rows_says_where_it_looked(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {"Blad1": [[f"toelichting {i}"] for i in range(HEADER_SEARCH)] + [HEADER]},
    )
    rows, findings = read_measurement_file(f, REG)
    assert rows.empty
    assert all(f"eerste {HEADER_SEARCH} rijen" in e.message for e in errors(findings))


def test_merged_header_cell_is_an_error_not_a_dropped_column(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {
            "Blad1": [
                ["indicator", "area", "year", "value", None],
                ["stress", "wielwijk", 2025, 23, 4],
            ]
        },
        merge={"Blad1": "D1:E1"},
    )
    rows, findings = read_measurement_file(f, REG)
    assert rows.empty
    [error] = errors(findings)
    assert "kopcel 'value' is samengevoegd over de cellen D1:E1" in error.message
    assert error.row == 1 and error.column == "value"


def test_merged_group_header_above_the_header_is_skipped(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {"Blad1": [["Cijfers 2025"], HEADER, ["stress", "wielwijk", 2025, 23, "ggd"]]},
        merge={"Blad1": "A1:E1"},
    )
    rows, findings = read_measurement_file(f, REG)
    assert len(rows) == 1 and errors(findings) == []


def test_a_column_with_data_but_no_header_is_an_error(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {"Blad1": [[*HEADER, None], ["stress", "wielwijk", 2025, 23, "ggd", "??"]]},
    )
    [error] = errors(read_measurement_file(f, REG)[1])
    assert error.column == "F" and "geen kop" in error.message


def test_formula_without_a_saved_value_names_row_and_column(tmp_path):
    f = workbook(
        tmp_path / "levering.xlsx",
        {"Blad1": [HEADER, ["stress", "wielwijk", 2025, "=20+3", "ggd"]]},
    )
    rows, findings = read_measurement_file(f, REG)
    assert rows.empty
    [error] = errors(findings)
    assert error.message.startswith(
        "formule zonder opgeslagen waarde: open het bestand in Excel en sla het op"
    )
    assert (error.file, error.row, error.column) == (f"{f} [Blad1]", 2, "value")


def test_cli_validate_a_binary_delivery_says_it_once_and_exits_1(capsys):
    from npdw_learning.cli import main

    assert main(["validate", "--measurements", str(DATA / "levering_png_hernoemd.csv")]) == 1
    out = capsys.readouterr().out
    assert out.count("geen tekstbestand") == 1
    assert "Traceback" not in out
