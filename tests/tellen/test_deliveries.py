"""Which value wins: the delivery register, never the file name; overrides and future years."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from npdw_learning.cli import main
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.deliveries import DELIVERIES_FILE, plan_deliveries
from npdw_learning.tellen.measurements import load_measurements

FIXTURES = Path(__file__).parents[1] / "data"
REG = ProgrammeFolder.bundled().registry
BASELINE = "bijlage3.csv"
REGISTER = """deliveries:
  - file: bijlage3.csv
    delivered: 2024-01-01
    supplier: Gemeente (nulmeting)
"""


@pytest.fixture
def data(tmp_path) -> Path:
    """A data folder with the bundled registry and baseline (and its register)."""
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR / "registry", d / "registry")
    (d / "measurements").mkdir()
    shutil.copy(DATA_DIR / "measurements" / BASELINE, d / "measurements" / BASELINE)
    (d / "measurements" / DELIVERIES_FILE).write_text(REGISTER, encoding="utf-8")
    return d


def deliver(data: Path, name: str = "2026_levering.csv") -> Path:
    target = data / "measurements" / name
    shutil.copy(FIXTURES / "2026_levering.csv", target)
    return target


def register(data: Path, *entries: tuple[str, str, str]) -> None:
    text = REGISTER + "".join(
        f"  - file: {f}\n    delivered: {d}\n    supplier: {s}\n" for f, d, s in entries
    )
    (data / "measurements" / DELIVERIES_FILE).write_text(text, encoding="utf-8")


def shown(path: Path) -> str:
    """How findings and tables name a file in the data folder: relative to it."""
    return f"measurements/{path.name}"


def value(result, area: str) -> float:
    m = result.measurements
    return float(m[(m.indicator == "stress") & (m.area == area) & (m.year == 2022)].value.iloc[0])


def test_the_bundled_register_lists_every_bundled_file():
    deliveries, findings = plan_deliveries(DATA_DIR)
    assert findings == []
    assert [d.origin for d in deliveries] == ["register"]


def test_a_delivery_that_sorts_first_still_wins_and_is_an_override(data):
    new = deliver(data)  # "2026_levering.csv" sorts before "bijlage3.csv"
    register(data, (new.name, "2026-03-01", "GGD Zuid-Holland Zuid"))
    result = load_measurements(REG, data)
    assert result.errors == []
    assert value(result, "oud-krispijn") == 29  # the baseline says 27
    [o] = result.overrides.to_dict("records")
    assert (o["replaced_value"], o["value"]) == (27, 29)
    assert (o["replaced_file"], o["file"]) == (f"measurements/{BASELINE}", shown(new))
    assert (o["delivered"], o["replaced_delivered"]) == ("2026-03-01", "2024-01-01")
    [w] = [f for f in result.findings if "vervangt" in f.message]
    assert w.file == shown(new) and w.row == 2 and w.column == "value"
    assert "vervangt de waarde 27 uit" in w.message and "door 29 uit" in w.message


def test_an_equal_value_delivered_again_is_not_an_override(data):
    register(data, (deliver(data).name, "2026-03-01", "GGD"))
    result = load_measurements(REG, data)
    assert value(result, "nieuw-krispijn") == 26
    assert "nieuw-krispijn" not in set(result.overrides["area"])
    assert not any("vervangt" in f.message and f.area == "nieuw-krispijn" for f in result.findings)


def test_the_delivery_date_decides_not_the_name(data):
    # Registered as delivered before the baseline: the baseline is the later delivery.
    old = deliver(data, "zz_oude_levering.csv")
    register(data, (old.name, "2020-05-01", "oud bureau"))
    result = load_measurements(REG, data)
    assert value(result, "oud-krispijn") == 27
    [o] = result.overrides.to_dict("records")
    assert o["file"].endswith(BASELINE) and o["replaced_value"] == 29


def test_same_date_the_entry_lower_in_the_register_wins(data):
    a, b = deliver(data, "b.csv"), deliver(data, "a.csv")
    b.write_text(b.read_text().replace(",29,", ",31,"))
    register(data, (a.name, "2026-03-01", "x"), (b.name, "2026-03-01", "y"))
    assert value(load_measurements(REG, data), "oud-krispijn") == 31
    register(data, (b.name, "2026-03-01", "y"), (a.name, "2026-03-01", "x"))
    assert value(load_measurements(REG, data), "oud-krispijn") == 29


def test_an_unregistered_file_counts_as_newest_and_is_reported(data):
    new = deliver(data)
    result = load_measurements(REG, data)
    assert value(result, "oud-krispijn") == 29
    [w] = [f for f in result.findings if f.file == shown(new) and "staat niet in" in f.message]
    assert w.severity == "warning" and f"staat niet in measurements/{DELIVERIES_FILE}:" in w.message


def test_two_unregistered_files_that_disagree_are_an_error(data):
    a, b = deliver(data, "a.csv"), deliver(data, "b.csv")
    b.write_text(b.read_text().replace(",29,", ",31,"))
    result = load_measurements(REG, data)
    [error] = result.errors
    assert "zonder vaste volgorde" in error.message
    assert shown(a) in error.message and shown(b) in error.message
    assert "29" in error.message and "31" in error.message


def test_extra_files_are_newest_in_the_order_given(data, tmp_path):
    register(data, (deliver(data).name, "2026-03-01", "GGD"))
    extra = tmp_path / "correctie.csv"
    extra.write_text("indicator,area,year,value,source\nstress,oud-krispijn,2022,33,x\n")
    result = load_measurements(REG, data, [extra])
    assert value(result, "oud-krispijn") == 33
    assert result.deliveries["origin"].tolist() == ["register", "register", "extra"]
    # A file from outside the data folder is named as given, the others relative to it.
    assert result.deliveries["file"].tolist() == [
        f"measurements/{BASELINE}",
        "measurements/2026_levering.csv",
        str(extra),
    ]


@pytest.mark.parametrize(
    ("entry", "line", "expected"),
    [
        ("  - file: x.csv\n    delivered: gisteren\n    supplier: a\n", 6, "geen datum; schrijf"),
        ("  - file: x.csv\n    delivered: 2026-01-01\n", 5, "veld 'supplier' ontbreekt"),
        ("  - file: bijlage3.csv\n    delivered: 2026-01-01\n    supplier: a\n", 5, "twee keer"),
        ("  - delivered: 2026-01-01\n", 5, "'file' ontbreekt"),
    ],
)
def test_register_errors_name_file_and_line(data, entry, line, expected):
    (data / "measurements" / "x.csv").write_text("indicator,area,year,value\n")
    (data / "measurements" / DELIVERIES_FILE).write_text(REGISTER + entry, encoding="utf-8")
    result = load_measurements(REG, data)
    [error] = [e for e in result.errors if e.file.endswith(DELIVERIES_FILE)]
    assert expected in error.message and error.row == line and error.char is not None


def test_a_registered_file_that_is_missing_is_a_warning(data):
    register(data, ("weg.csv", "2026-01-01", "a"))
    [w] = [f for f in load_measurements(REG, data).findings if "weg.csv" in f.message]
    assert w.severity == "warning" and w.row == 5
    assert w.file == f"measurements/{DELIVERIES_FILE}"
    assert w.message == "levering 'weg.csv': staat in het register maar niet in measurements/"


def test_future_years_are_a_warning_with_file_rows_and_years(data):
    late = data / "measurements" / "toekomst.csv"
    late.write_text(
        "indicator,area,year,value\nstress,wielwijk,2025,20\n"
        "stress,wielwijk,2030,19\nstress,crabbehof,2100,18\n"
    )
    register(data, (late.name, "2026-02-01", "x"))
    result = load_measurements(REG, data, until_year=2026)
    [w] = [f for f in result.findings if f.file == shown(late)]
    assert w.severity == "warning" and (w.row, w.year, w.column) == (3, 2030, "year")
    assert "2 cijfer(s) uit een jaar na het evaluatiejaar 2026" in w.message
    assert "rij 3 (2030), rij 4 (2100)" in w.message
    assert result.future == 2
    assert result.measurements["year"].max() <= 2026


def test_cli_validate_prints_every_override_with_both_files_and_values(data, capsys):
    new = deliver(data)
    register(data, (new.name, "2026-03-01", "GGD"))
    assert main(["validate", "--data", str(data), "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert f"Bestandsnamen zijn ten opzichte van de datamap {data}." in out
    [line] = [ln for ln in out.splitlines() if ln.startswith("  stress, oud-krispijn, 2022")]
    assert f"27 uit measurements/{BASELINE} (rij" in line
    assert f"-> 29 uit {shown(new)} (rij 2, levering 2026-03-01)" in line
    assert "Vervangen waarden (1)" in out


def test_cli_validate_year_reports_future_rows(data, capsys):
    late = data / "measurements" / "toekomst.csv"
    late.write_text("indicator,area,year,value\nstress,wielwijk,2030,19\n")
    assert main(["validate", "--data", str(data), "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert f"WAARSCHUWING: {shown(late)}, rij 2, kolom 'year': 1 cijfer(s) uit een jaar na" in out


def test_a_workbook_and_a_broken_file_are_named_relative_to_the_data_folder(data):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "2025"
    wb.active.append(["indicator", "area", "year", "value"])
    wb.active.append(["stress", "wielwijk", 2023, 20])
    wb.create_sheet("Toelichting").append(["tekst"])
    wb.save(data / "measurements" / "levering.xlsx")
    (data / "measurements" / "kapot.csv").write_bytes(b"\x00\x01\x02binair\x00")
    register(data, ("levering.xlsx", "2026-01-01", "a"), ("kapot.csv", "2026-01-02", "b"))
    result = load_measurements(REG, data)
    [skipped] = [f for f in result.findings if "overgeslagen" in f.message]
    assert skipped.file == "measurements/levering.xlsx [Toelichting]"
    assert "measurements/levering.xlsx [2025]" in set(result.raw["file"])
    [broken] = result.errors
    assert broken.file == "measurements/kapot.csv" and "geen tekstbestand" in broken.message
