"""npdw fetch cbs --national: every region of the country into one national file, offline.

The recorded answers are in ``tests/data/cbs_national/`` (see its make_national_fixtures.py): the
municipal answers of ``tests/data/cbs/`` (2024 with the REAL metadata of 85984NED: a
``GeoDetail`` region column, ``SoortRegio_2`` padded to 10 characters) plus a handful of
invented regions elsewhere, one named like a spreadsheet formula. No test touches the
network: the online fetch runs against a stand-in for cbsodata that records what it was asked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from npdw_learning.cli import main
from npdw_learning.kern.outdir import file_sha256
from npdw_learning.tellen.cbs import (
    CbsError,
    build_national,
    fetch_national_table,
    load_cbs_mapping,
    national_filter,
    read_recorded,
)
from npdw_learning.tellen.national import NATIONAL_COLUMNS, read_national

FIXTURES = Path(__file__).parents[1] / "data" / "cbs"
NATIONAL = Path(__file__).parents[1] / "data" / "cbs_national"
TABLES = {2021: "85039NED", 2022: "85318NED", 2024: "85984NED"}


@pytest.fixture
def data(programme_copy) -> Path:
    d = programme_copy()
    shutil.copy(FIXTURES / "cbs.yaml", d / "registry" / "cbs.yaml")
    return d


def fetch(data: Path, out: Path, *extra: str, offline: Path = NATIONAL) -> int:
    return main(
        [
            "fetch",
            "cbs",
            "--national",
            "--data",
            str(data),
            "--offline",
            str(offline),
            "--out",
            str(out),
            *extra,
        ]
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_recorded_answers_have_the_real_shapes():
    table = read_recorded(NATIONAL, "85984NED", suffix="_wijk")
    real = json.loads((FIXTURES / "85984NED_DataProperties.json").read_text(encoding="utf-8"))
    assert table.properties == real  # the real metadata, unchanged
    region = next(p for p in table.properties if p["Key"] == "WijkenEnBuurten")
    assert region["Type"] == "GeoDetail"
    kinds = {r["SoortRegio_2"] for r in table.data}
    assert kinds == {"Gemeente  ", "Wijk      "}  # padded to 10, as CBS gives them


@pytest.mark.parametrize(
    "level, kinds", [("wijk", {"gemeente", "wijk"}), ("buurt", {"gemeente", "wijk", "buurt"})]
)
def test_the_fetch_writes_every_region_of_the_level_with_covariates(data, tmp_path, level, kinds):
    out = tmp_path / f"landelijk_{level}.parquet"
    assert fetch(data, out, "--level", level) == 0
    frame = read_national(out)
    assert set(frame["level"]) == kinds
    assert {"inwoners", "stedelijkheid", "woz-waarde", "bijstand"} <= set(frame["indicator"])
    assert "NL00" not in set(frame["region_code"])
    assert sorted(frame["year"].unique()) == [2021, 2022, 2024]
    inw = frame[(frame.indicator == "inwoners") & (frame.region_code == "WK050505")]
    assert inw.set_index("year")["value"][2024] == 11610  # the real 2024 figure
    # the mapping's conversion: bijstand per 1,000 inhabitants, as npdw fetch cbs gives it
    raw = next(
        r
        for r in read_recorded(NATIONAL, "85984NED", suffix=f"_{level}").data
        if r["Codering_3"].strip() == "WK990102"
    )
    got = frame[
        (frame.indicator == "bijstand") & (frame.region_code == "WK990102") & (frame.year == 2024)
    ]
    assert got["value"].iloc[0] == pytest.approx(
        raw["PersonenPerSoortUitkeringBijstand_94"] / raw["AantalInwoners_5"] * 1000
    )
    manifest = json.loads(out.with_name(out.stem + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["output"]["sha256"] == file_sha256(out)
    assert manifest["command"] == "npdw fetch cbs --national" and manifest["level"] == level
    assert [t["table_id"] for t in manifest["tables"]] == list(TABLES.values())


def test_the_national_fetch_leaves_the_measurements_and_register_alone(data, tmp_path, capsys):
    before = snapshot(data / "measurements")
    out = tmp_path / "landelijk.csv"
    assert fetch(data, out) == 0
    assert snapshot(data / "measurements") == before
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text  # a formula-like name stays text
    assert read_national(out)["region_name"].str.startswith("=HYPERLINK").any()
    assert "geen levering" in capsys.readouterr().out


def test_csv_and_parquet_hold_the_same_figures(data, tmp_path):
    assert fetch(data, tmp_path / "a.csv") == 0
    assert fetch(data, tmp_path / "a.parquet") == 0
    a, b = read_national(tmp_path / "a.csv"), read_national(tmp_path / "a.parquet")
    assert a.drop(columns="value").equals(b.drop(columns="value"))
    assert (a["value"] - b["value"]).abs().max() == 0


def test_a_bad_answer_is_fout_exit_1_and_writes_nothing(data, tmp_path, capsys):
    recorded = tmp_path / "recorded"
    shutil.copytree(NATIONAL, recorded, ignore=shutil.ignore_patterns("*.py"))
    path = recorded / "85984NED_wijk.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["data"].append(dict(payload["data"][3]))  # one wijk twice
    path.write_text(json.dumps(payload), encoding="utf-8")
    out = tmp_path / "landelijk.parquet"
    assert fetch(data, out, offline=recorded) == 1
    err = capsys.readouterr().err
    assert err.startswith("FOUT:")
    assert "(opgehaalde CBS-cijfers), rij" in err and "kolom 'year'" in err
    assert "staat twee keer" in err
    assert not out.exists() and not out.with_name(out.stem + ".manifest.json").exists()


@pytest.mark.parametrize("name", ["landelijk.txt", "landelijk.xlsx"])
def test_the_output_must_be_parquet_or_csv(data, tmp_path, capsys, name):
    assert fetch(data, tmp_path / name) == 1
    assert "FOUT: --out" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def test_a_file_the_fetch_did_not_write_is_never_replaced(data, tmp_path, capsys):
    out = tmp_path / "eigen.parquet"
    out.write_bytes(b"van iemand anders")
    assert fetch(data, out) == 1
    assert out.read_bytes() == b"van iemand anders"
    assert "bestaat al" in capsys.readouterr().err


def test_no_recorded_national_answer_is_an_error(data, tmp_path, capsys):
    assert fetch(data, tmp_path / "x.parquet", offline=FIXTURES) == 1  # only municipal answers
    assert "geen enkel opgenomen landelijk antwoord" in capsys.readouterr().err


def test_the_filter_asks_for_the_level_by_the_padded_region_codes():
    assert national_filter("wijk") == (
        "substringof('GM',WijkenEnBuurten) or substringof('WK',WijkenEnBuurten)"
    )
    assert "substringof('BU',WijkenEnBuurten)" in national_filter("buurt")
    codes = [r["Codering_3"] for r in read_recorded(FIXTURES, "85984NED").data]
    terms = [t.split("'")[1] for t in national_filter("wijk").split(" or ")]
    kept = {c.strip() for c in codes if any(t in c for t in terms)}
    assert {c[:2] for c in kept} == {"GM", "WK"} and len(kept) == 1 + 13 + 1


def test_a_real_fetch_asks_for_the_level_and_the_columns_and_caches(data, tmp_path, monkeypatch):
    import cbsodata

    from npdw_learning.kern.programme import ProgrammeFolder

    recorded = json.loads((NATIONAL / "85984NED_wijk.json").read_text(encoding="utf-8"))
    asked = {}

    def get_data(table_id, filters=None, select=None, **kwargs):
        asked.update(table_id=table_id, filters=filters, select=select)
        return recorded["data"]

    monkeypatch.setattr(cbsodata, "get_meta", lambda table_id, name: recorded["DataProperties"])
    monkeypatch.setattr(cbsodata, "get_data", get_data)
    mapping = load_cbs_mapping(data / "registry" / "cbs.yaml", ProgrammeFolder(data).registry)
    table = fetch_national_table("85984NED", tmp_path, mapping=mapping, level="wijk", year=2024)
    assert asked["filters"] == national_filter("wijk")
    assert {
        "WijkenEnBuurten",
        "SoortRegio_2",
        "Codering_3",
        "AantalInwoners_5",
        "MateVanStedelijkheid_127",
        "GemiddeldeWOZWaardeVanWoningen_39",
    } <= set(asked["select"])
    assert len(asked["select"]) < 20  # not the 170 columns of the table
    assert read_recorded(tmp_path, "85984NED", suffix="_wijk").data == table.data
    frame, _ = build_national({2024: table}, mapping, "wijk")
    assert list(frame.columns) == NATIONAL_COLUMNS


def test_a_missing_covariate_column_is_an_error_naming_the_table(data, tmp_path):
    from npdw_learning.kern.programme import ProgrammeFolder

    table = read_recorded(NATIONAL, "85984NED", suffix="_wijk")
    props = [p for p in table.properties if p.get("Title") != "Mate van stedelijkheid"]
    broken = type(table)(table.table_id, props, table.data, table.file)
    mapping = load_cbs_mapping(data / "registry" / "cbs.yaml", ProgrammeFolder(data).registry)
    with pytest.raises(CbsError) as exc:
        build_national({2024: broken}, mapping, "wijk")
    assert "CBS-tabel 85984NED (2024): geen kolom met de titel 'Mate van stedelijkheid'" in str(
        exc.value
    )
