"""Reading partner deliveries: every bad-input rule with a real bad file in tests/data/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.measurements import (
    MEASUREMENT_COLUMNS,
    aggregate,
    is_synthetic,
    load_measurements,
    read_measurement_file,
)

DATA = Path(__file__).parents[1] / "data"
REG = ProgrammeFolder.bundled().registry


def read(name: str):
    rows, findings = read_measurement_file(DATA / name, REG)
    errors = [f for f in findings if f.severity == "error"]
    return rows, errors, findings


def test_dutch_excel_semicolon_decimal_comma_cp1252():
    rows, errors, _ = read("levering_excel_nl.csv")
    assert errors == []
    got = rows.set_index(["indicator", "area"])["value"]
    assert got[("stress", "oud-krispijn")] == pytest.approx(26.5)
    assert got[("ses-woa", "wielwijk")] == pytest.approx(-0.35)
    assert got[("e33-meldingen", "dordrecht")] == pytest.approx(1402)  # Dutch thousands dot
    n = rows.set_index(["indicator", "area"])["n"]
    assert n[("stress", "dordrecht")] == pytest.approx(3215)
    assert rows["note"].iloc[0] == "voorlopig cijfer, é"
    assert list(rows["row"]) == [2, 3, 4, 5]


def test_utf8_bom_comma_with_se():
    rows, errors, _ = read("levering_utf8_bom.csv")
    assert errors == []
    assert list(rows["se"]) == pytest.approx([0.12, 0.05])
    assert set(rows["source"]) == {"veiligheidsmonitor-2025"}


def test_latin1():
    rows, errors, _ = read("levering_latin1.csv")
    assert errors == []
    assert "één" in rows["note"].iloc[0]
    assert rows["source"].iloc[0] == "levering_latin1"  # the file name stands in for a source


def test_xlsx(tmp_path):
    path = tmp_path / "levering.xlsx"
    pd.DataFrame(
        {
            "Indicator": ["stress", "stress", "stress"],
            "Wijk": ["wielwijk", "crabbehof", "zwijndrecht"],
            "Jaar": [2024, 2024, 2024],
            "Waarde": [25.5, "26,5", 20],
        }
    ).to_excel(path, index=False)
    rows, findings = read_measurement_file(path, REG)
    errors = [f for f in findings if f.severity == "error"]
    assert list(rows["value"]) == pytest.approx([25.5, 26.5])
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (4, "area")


def test_broken_xlsx_is_a_finding(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 dit is geen werkmap")
    rows, findings = read_measurement_file(path, REG)
    assert rows.empty
    assert findings[0].severity == "error"
    assert "XLSX" in findings[0].message


def test_text_value_names_row_and_column():
    rows, errors, _ = read("fout_tekstwaarde.csv")
    assert len(errors) == 1
    e = errors[0]
    assert (e.row, e.column, e.area) == (3, "value", "wielwijk")
    assert "onbekend" in e.message and "getal" in e.message
    assert len(rows) == 1  # the good row still loads


def test_unknown_area():
    _, errors, _ = read("fout_onbekend_gebied.csv")
    assert [(e.row, e.column) for e in errors] == [(2, "area")]
    assert "zwijndrecht" in errors[0].message
    assert "oud-krispijn" in errors[0].message  # says what is expected


def test_percentage_of_140():
    rows, errors, _ = read("fout_percentage_140.csv")
    assert [(e.row, e.column) for e in errors] == [(3, "value")]
    assert "140" in errors[0].message and "0 en 100" in errors[0].message
    assert len(rows) == 1


def test_unknown_indicator_suggests_close_match():
    _, errors, _ = read("fout_onbekende_indicator.csv")
    assert [(e.row, e.column) for e in errors] == [(2, "indicator")]
    assert "stress" in errors[0].message


def test_duplicate_row():
    rows, errors, _ = read("fout_dubbele_rij.csv")
    assert [(e.row, e.column) for e in errors] == [(4, "indicator")]
    assert "rij 2" in errors[0].message
    assert len(rows) == 2


def test_missing_column():
    rows, errors, _ = read("fout_kolom_ontbreekt.csv")
    assert rows.empty
    assert [(e.row, e.column) for e in errors] == [(1, "value")]


def test_bad_years():
    rows, errors, _ = read("fout_jaar.csv")
    assert rows.empty
    assert [(e.row, e.column) for e in errors] == [(2, "year"), (3, "year"), (4, "year")]


def test_wrong_number_of_fields():
    _, errors, _ = read("fout_velden.csv")
    assert [(e.row, e.column) for e in errors] == [(2, None)]
    assert "5 velden" in errors[0].message


def test_negative_se_and_zero_n():
    _, errors, _ = read("fout_negatieve_se.csv")
    assert sorted(e.column for e in errors) == ["n", "se"]


def test_missing_file(tmp_path):
    rows, findings = read_measurement_file(tmp_path / "weg.csv", REG)
    assert rows.empty and findings[0].severity == "error"


def test_shares_must_add_to_100(tmp_path):
    result = load_measurements(REG, tmp_path, [DATA / "fout_aandelen.csv"])
    shares = [f for f in result.findings if "tellen" in f.message and "100" in f.message]
    by_area = {f.area: f for f in shares}
    assert by_area["wielwijk"].severity == "error"  # 120%: impossible
    assert "120" in by_area["wielwijk"].message
    assert by_area["crabbehof"].severity == "warning"  # 80%: a category is missing?
    assert by_area["crabbehof"].row == 5
    assert "2024: 80%" in by_area["crabbehof"].message


def test_share_warnings_are_one_per_area_not_per_year(tmp_path):
    lines = ["indicator,area,year,value"]
    for year in (2021, 2022, 2023):
        lines += [
            f"schooladvies-mavo,wielwijk,{year},50",
            f"schooladvies-havo,wielwijk,{year},20",
            f"schooladvies-vwo,wielwijk,{year},10",
        ]
    path = tmp_path / "reeks.csv"
    path.write_text("\n".join(lines) + "\n")
    result = load_measurements(REG, tmp_path, [path])
    shares = [f for f in result.findings if "schooladvies" in f.message]
    assert len(shares) == 1
    assert "2021: 80%, 2022: 80%, 2023: 80%" in shares[0].message
    assert shares[0].row == 2


def test_identical_series_under_two_indicators(tmp_path):
    result = load_measurements(REG, tmp_path, [DATA / "waarschuwing_zelfde_reeks.csv"])
    same = [f for f in result.findings if "dezelfde reeks" in f.message]
    assert len(same) == 1
    assert same[0].severity == "warning"
    assert "bijstand" in same[0].message and "werkloosheid" in same[0].message


# -- combining files ------------------------------------------------------------------


def test_later_file_wins_and_says_so(tmp_path):
    first = tmp_path / "a.csv"
    second = tmp_path / "b.csv"
    first.write_text(
        "indicator,area,year,value\nstress,wielwijk,2024,25\nstress,crabbehof,2024,26\n"
    )
    second.write_text("indicator,area,year,value\nstress,wielwijk,2024,24\n")
    result = load_measurements(REG, tmp_path, [first, second])
    m = result.measurements.set_index(["indicator", "area", "year"])["value"]
    assert m[("stress", "wielwijk", 2024)] == 24
    assert m[("stress", "crabbehof", 2024)] == 26
    replaced = [f for f in result.findings if "vervangt" in f.message]
    assert len(replaced) == 1
    assert replaced[0].file == str(second) and "25" in replaced[0].message


def test_bundled_baseline_disagreements_are_warnings_and_priority_decides():
    result = load_measurements(REG, DATA_DIR)
    assert result.errors == []
    disagreements = [f for f in result.findings if "spreken elkaar tegen" in f.message]
    # Bijlage 3 prints seven figures twice in reversed neighbourhood order, and more.
    assert len(disagreements) >= 20
    assert all(f.severity == "warning" for f in disagreements)
    top = REG.source_priority[0]
    # the used value is the one of the first-ranked source
    for f in disagreements:
        used = result.measurements.set_index(["indicator", "area", "year"]).loc[
            (f.indicator, f.area, f.year)
        ]
        assert used["source"] == top
        assert f"{top}: {used['value']:g} (gebruikt)" in f.message
    assert not result.synthetic


def test_until_year_drops_later_measurements(tmp_path):
    extra = tmp_path / "later.csv"
    extra.write_text("indicator,area,year,value\nstress,wielwijk,2030,20\n")
    result = load_measurements(REG, DATA_DIR, [extra], until_year=2026)
    assert result.measurements["year"].max() <= 2026


def test_demo_is_marked_and_only_with_flag():
    plain = load_measurements(REG, DATA_DIR)
    demo = load_measurements(REG, DATA_DIR, demo=True)
    assert not plain.measurements["synthetic"].any()
    assert demo.synthetic
    assert demo.measurements["year"].min() == 2015
    assert is_synthetic(demo.raw["source"]).sum() > 1000
    # real figures replace synthetic ones for the same key, and the run says how many
    real = plain.measurements.set_index(["indicator", "area", "year"])
    mixed = demo.measurements.set_index(["indicator", "area", "year"])
    common = real.index.intersection(mixed.index)
    assert len(common) == len(real)
    assert (mixed.loc[common, "synthetic"] == real.loc[common, "synthetic"]).all()


def test_real_figure_replaces_synthetic_one(tmp_path):
    (tmp_path / "measurements").mkdir()
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "demo_synthetisch.csv").write_text(
        "indicator,area,year,value,source\n"
        "stress,wielwijk,2023,30,synthetisch\n"
        "stress,wielwijk,2024,31,synthetisch\n"
    )
    (tmp_path / "measurements" / "echt.csv").write_text(
        "indicator,area,year,value,source\nstress,wielwijk,2023,25,ggd\n"
    )
    result = load_measurements(REG, tmp_path, demo=True)
    m = result.measurements.set_index("year")
    assert m.loc[2023, "value"] == 25 and not m.loc[2023, "synthetic"]
    assert m.loc[2024, "synthetic"]
    assert [f.message for f in result.findings] == [
        "1 synthetische waarden zijn vervangen door geleverde cijfers voor hetzelfde jaar"
    ]


# -- the Dordt West aggregate -----------------------------------------------------


def _frame(rows):
    df = pd.DataFrame(rows, columns=["indicator", "area", "year", "value", "n", "se"])
    df["source"], df["note"], df["file"], df["synthetic"] = "t", None, "t.csv", False
    return df


def test_aggregate_weighted_rate_and_summed_count():
    w = REG.aggregate_weights
    members = list(w)
    vals = [10.0, 20.0, 30.0, 40.0]
    rows = [("stress", a, 2024, v, 100.0, 1.0) for a, v in zip(members, vals, strict=True)]
    rows += [("energielabel-e", a, 2024, v, None, None) for a, v in zip(members, vals, strict=True)]
    frame = _frame(rows)
    frame.loc[1, "synthetic"] = True
    agg = aggregate(frame, REG).set_index("indicator")
    total = sum(w.values())
    expected = sum(w[a] * v for a, v in zip(members, vals, strict=True)) / total
    assert agg.at["stress", "value"] == pytest.approx(expected)
    # independent samples: se = sqrt(sum (w_i / W)^2 se_i^2)
    assert agg.at["stress", "se"] == pytest.approx(sum((w[a] / total) ** 2 for a in w) ** 0.5)
    assert agg.at["energielabel-e", "value"] == pytest.approx(100.0)
    assert set(agg["area"]) == {"dordt-west"}
    # n adds up where every member has one; an unknown se or n stays unknown.
    assert agg.at["stress", "n"] == 400.0
    assert np.isnan(agg.at["energielabel-e", "n"]) and np.isnan(agg.at["energielabel-e", "se"])
    assert bool(agg.at["stress", "synthetic"]) and not bool(agg.at["energielabel-e", "synthetic"])
    assert list(agg.reset_index().columns) == [*MEASUREMENT_COLUMNS, "file", "synthetic"]


def test_aggregate_needs_all_four_and_respects_a_measured_value():
    members = list(REG.aggregate_weights)
    rows = [("stress", a, 2024, 10.0, None, None) for a in members[:3]]
    rows += [("beweegrichtlijn", a, 2024, 40.0, None, None) for a in members]
    rows += [("beweegrichtlijn", "dordt-west", 2024, 41.0, None, None)]
    agg = aggregate(_frame(rows), REG)
    assert agg.empty
