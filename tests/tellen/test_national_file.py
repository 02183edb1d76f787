"""The national file (tellen.national) and the NPLV focus areas (tellen.nplv).

Reading and writing in both formats, hostile names and bad files (every problem
named by file, row and column), the programme's units found in the file by the
rules of ``npdw fetch cbs``, the comparison pool and the ranking among the NPLV
focus areas against a hand-worked case. The figures are invented.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.cbs import load_cbs_mapping
from npdw_learning.tellen.measurements import aggregate
from npdw_learning.tellen.national import (
    COVARIATES,
    NATIONAL_COLUMNS,
    comparison_pool,
    programme_units,
    read_national,
    write_national,
)
from npdw_learning.tellen.nplv import RANKING_COLUMNS, load_nplv, nplv_in, nplv_ranking

FIXTURES = Path(__file__).parents[1] / "data" / "cbs"
REG = ProgrammeFolder.bundled().registry
HOSTILE = [
    '=HYPERLINK("http://x.example")',
    "+31 6 12345678",
    "@SUM(A1)",
    "-2 Oost",
    "'s-Hertogenbosch",
]


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=NATIONAL_COLUMNS).astype({"year": "int64", "value": float})


def small() -> pd.DataFrame:
    rows = []
    for i, name in enumerate(HOSTILE):
        code = f"WK9901{i:02d}"
        rows += [
            (code, name, "GM9901", "wijk", "woz-waarde", y, 200.0 + i + y / 7) for y in (2021, 2022)
        ]
    rows.append(("GM9901", "Verzonnenstad", "GM9901", "gemeente", "inwoners", 2022, 81234567.0))
    return frame(rows)


# -- reading and writing ----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_written_file_reads_back_the_same_with_hostile_names(tmp_path, suffix):
    original = small()
    path = write_national(original, tmp_path / f"landelijk{suffix}")
    back = read_national(path)
    expected = original.sort_values(["level", "region_code", "indicator", "year"]).reset_index(
        drop=True
    )
    assert list(back.columns) == NATIONAL_COLUMNS
    assert back["year"].dtype == np.int64 and back["value"].dtype == np.float64
    pd.testing.assert_frame_equal(
        back.astype({c: object for c in NATIONAL_COLUMNS[:5]}),
        expected.astype({c: object for c in NATIONAL_COLUMNS[:5]}),
    )
    assert not list(tmp_path.glob(".*tmp"))  # the atomic write left nothing behind


def test_formula_names_are_inert_text_in_the_csv(tmp_path):
    path = write_national(small(), tmp_path / "landelijk.csv")
    text = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'+31 6" in text and "'@SUM" in text and "'-2 Oost" in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text
    assert "81234567" in text  # every digit kept, no %.6g rounding


def test_a_semicolon_file_with_decimal_commas_and_padding_reads(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_text(
        "\ufeffRegion_Code;region_name;municipality_code;LEVEL;indicator;year;value;extra\n"
        "wk050505  ;Wielwijk;gm0505;Wijk;woz-waarde;2021;201,5;x\n"
        "WK050505;Wielwijk;GM0505;wijk;jeugdzorg;2021;;x\n",
        encoding="utf-8",
    )
    back = read_national(path)
    assert back.to_dict("records") == [
        {
            "region_code": "WK050505",
            "region_name": "Wielwijk",
            "municipality_code": "GM0505",
            "level": "wijk",
            "indicator": "woz-waarde",
            "year": 2021,
            "value": 201.5,
        }
    ]  # the empty value is no row


BAD = (
    "region_code,region_name,municipality_code,level,indicator,year,value\n"
    "WK05050,A,GM0505,wijk,woz-waarde,2021,1\n"  # row 2: bad code
    "WK050505,B,GM0505,stad,woz-waarde,2021,1\n"  # row 3: unknown level
    "WK050505,C,GM0505,buurt,woz-waarde,2022,1\n"  # row 4: a wijk code at buurt level
    "WK050505,D,GM0505,wijk,woz-waarde,2023,veel\n"  # row 5: no number
    "WK050505,E,GM0505,wijk,woz-waarde,2021.5,1\n"  # row 6: year not whole
    "WK050506,F,GM0505,wijk,woz-waarde,2021,1\n"
    "WK050506,F,GM0505,wijk,woz-waarde,2021,2\n"  # row 8: twice
    "WK050507,G,GM0642,wijk,woz-waarde,2021,1\n"  # row 9: outside its municipality
    "WK050508,H,GM0505,wijk,Woz Waarde!,2021,1\n"  # row 10: no id
)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_every_problem_is_named_by_file_row_and_column(tmp_path, suffix):
    path = tmp_path / f"fout{suffix}"
    if suffix == ".csv":
        path.write_text(BAD, encoding="utf-8")
    else:
        raw = pd.read_csv(io.StringIO(BAD), dtype=str)
        raw.to_parquet(path, index=False)
    with pytest.raises(InputError) as exc:
        read_national(path)
    shift = 0 if suffix == ".csv" else -1  # a Parquet file has no header row
    found = {(f.row, f.column) for f in exc.value.findings}
    assert found == {
        (2 + shift, "region_code"),
        (3 + shift, "level"),
        (4 + shift, "level"),
        (5 + shift, "value"),
        (6 + shift, "year"),
        (8 + shift, "year"),
        (9 + shift, "municipality_code"),
        (10 + shift, "indicator"),
    }
    assert all(f.file == str(path) for f in exc.value.findings)
    messages = " | ".join(f.message for f in exc.value.findings)
    assert "WK050505 is een wijk, niveau zegt buurt" in messages
    assert f"staat twee keer in het bestand (ook op rij {7 + shift})" in messages


def test_a_missing_column_names_it(tmp_path):
    path = tmp_path / "kort.csv"
    path.write_text("region_code,level,indicator,year,value\nWK050505,wijk,x,2021,1\n")
    with pytest.raises(InputError) as exc:
        read_national(path)
    assert "region_name, municipality_code ontbreken" in str(exc.value)
    assert exc.value.findings[0].column == "region_name"


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("leeg.parquet", b"PAR1 dit is geen parquet", "geen leesbaar Parquet-bestand"),
        ("plaatje.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "geen tekstbestand"),
        ("landelijk.xlsx", b"PK\x03\x04", "onbekend bestandstype '.xlsx'"),
    ],
)
def test_hostile_files_are_one_input_error(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        read_national(path)


def test_a_named_pipe_or_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    from hostile_files import fifo, sparse_file

    from npdw_learning.kern.inputfile import LIMITS

    with pytest.raises(InputError, match="named pipe"):
        read_national(fifo(tmp_path / "pijp.csv"))
    big = sparse_file(tmp_path / "groot.parquet", LIMITS["national"] + 1, head=b"PAR1")
    with pytest.raises(InputError, match="landelijk bestand mag hoogstens 600 MB"):
        read_national(big)


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    link = tmp_path / "apparaat.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="symbolische koppeling"):
        read_national(link)


# -- the programme's units, the pool, the NPLV list ---------------------------------------


@pytest.fixture
def folder(programme_copy) -> ProgrammeFolder:
    d = programme_copy()
    shutil.copy(FIXTURES / "cbs.yaml", d / "registry" / "cbs.yaml")
    return ProgrammeFolder(d)


MEMBERS = {  # code, name, inwoners, stedelijkheid, woz 2021, woz 2022
    "oud-krispijn": ("WK050503", "Wijk 03 Oud Krispijn", 11000, 1, 200.0, 210.0),
    "nieuw-krispijn": ("WK050504", "Wijk 04 Nieuw-krispijn", 5000, 2, 180.0, 190.0),
    "wielwijk": ("WK050507", "Wijk 07 Wielwijk", 6500, 2, 170.0, 175.0),
    "crabbehof": ("WK050508", "Wijk 08 Crabbehof", 8500, 3, 160.0, 170.0),
}


def dordrecht() -> pd.DataFrame:
    rows = [("GM0505", "Dordrecht", "GM0505", "gemeente", "inwoners", 2022, 122070.0)]
    for code, name, people, urban, woz21, woz22 in MEMBERS.values():
        for year, woz in ((2021, woz21), (2022, woz22)):
            rows += [
                (code, name, "GM0505", "wijk", "woz-waarde", year, woz),
                (code, name, "GM0505", "wijk", "inwoners", year, float(people)),
                (code, name, "GM0505", "wijk", "stedelijkheid", year, float(urban)),
            ]
    rows += [("WK050509", "Wijk 09 Sterrenburg", "GM0505", "wijk", "woz-waarde", 2021, 250.0)]
    rows += [("WK064201", "Wijk 01 Walburg", "GM0642", "wijk", "woz-waarde", 2021, 260.0)]
    return frame(rows)


def test_the_units_are_found_by_name_and_the_aggregate_is_the_registry_one(folder):
    mapping = load_cbs_mapping(folder.cbs_mapping_file, folder.registry)
    units = programme_units(dordrecht(), mapping, folder.registry)
    woz = units[units["indicator"] == "woz-waarde"].set_index(["area", "year"])["value"]
    assert woz["wielwijk", 2021] == 170.0 and woz["crabbehof", 2022] == 170.0
    members = units[units["area"].isin(MEMBERS)].assign(n=np.nan, se=np.nan, synthetic=False)
    expected = aggregate(members[members["indicator"] == "woz-waarde"], folder.registry)
    assert woz["dordt-west", 2021] == pytest.approx(expected.set_index("year")["value"][2021])
    w = pd.Series(folder.registry.aggregate_weights)
    hand = sum(w[a] * MEMBERS[a][4] for a in MEMBERS) / w.sum()  # registry weights, by hand
    assert woz["dordt-west", 2021] == pytest.approx(hand)
    cov = units[units["area"] == "dordt-west"].set_index(["indicator", "year"])["value"]
    assert cov["inwoners", 2022] == 11000 + 5000 + 6500 + 8500
    assert cov["stedelijkheid", 2022] == pytest.approx(
        (11000 * 1 + 5000 * 2 + 6500 * 2 + 8500 * 3) / 31000
    )
    assert set(units["indicator"]) == {"woz-waarde", *COVARIATES}
    assert "dordrecht" not in set(units["area"])


def test_an_area_given_by_code_is_found_by_its_code(folder):
    path = folder.cbs_mapping_file
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "wielwijk: {name: Wielwijk, level: Wijk}", "wielwijk: {code: WK050507}"
        ),
        encoding="utf-8",
    )
    mapping = load_cbs_mapping(path, folder.registry)
    national = dordrecht()
    national.loc[national["region_code"] == "WK050507", "region_name"] = "Heel Anders"
    units = programme_units(national, mapping, folder.registry)
    assert (units["area"] == "wielwijk").sum() == 6


def test_an_area_not_in_the_file_lists_the_municipalitys_regions(folder):
    mapping = load_cbs_mapping(folder.cbs_mapping_file, folder.registry)
    national = dordrecht()
    national = national[national["region_code"] != "WK050504"]
    with pytest.raises(InputError) as exc:
        programme_units(national, mapping, folder.registry, file="landelijk.parquet")
    text = str(exc.value)
    assert "gebied 'nieuw-krispijn' niet gevonden" in text
    assert "WK050503 Wijk 03 Oud Krispijn" in text and "WK050509 Wijk 09 Sterrenburg" in text
    assert "WK064201" not in text  # another municipality's wijk is not listed
    assert "landelijk bestand landelijk.parquet" in text


def pool_frame() -> pd.DataFrame:
    codes = [
        ("WK050509", "GM0505"),  # own municipality
        ("WK059910", "GM0599"),  # NPLV Rotterdam-Zuid
        ("BU05991001", "GM0599"),  # a buurt inside it
        ("WK059914", "GM0599"),  # another Rotterdam wijk
        ("WK0363TA", "GM0363"),  # NPLV by the stadsdeel prefix WK0363T
        ("WK0363KA", "GM0363"),
        ("WK085543", "GM0855"),  # Tilburg: the whole municipality stands in
        ("WK020204", "GM0202"),  # NPLV Arnhem-Oost (Presikhaaf-West)
        ("WK020201", "GM0202"),  # Arnhem Centrum: not in the focus area
        ("WK036393", "GM0363"),  # Amsterdam Zuidoost in the older numbering
        ("WK064201", "GM0642"),
    ]
    level = {"WK": "wijk", "BU": "buurt"}
    return frame([(c, c, m, level[c[:2]], "woz-waarde", 2021, 1.0) for c, m in codes])


def test_the_pool_leaves_out_nplv_areas_and_the_own_municipality():
    nplv = load_nplv(ProgrammeFolder.bundled().nplv_file)
    pool = comparison_pool(
        pool_frame(), level="wijk", exclude_codes=nplv.codes, municipality_code="GM0505"
    )
    assert sorted(pool["region_code"]) == ["WK020201", "WK0363KA", "WK059914", "WK064201"]
    kept = comparison_pool(
        pool_frame(),
        level="wijk",
        exclude_codes=nplv.codes,
        municipality_code="GM0505",
        exclude_municipality=False,
    )
    assert "WK050509" in set(kept["region_code"])
    buurten = comparison_pool(
        pool_frame(), level="buurt", exclude_codes=nplv.codes, municipality_code="GM0505"
    )
    assert buurten.empty  # its only buurt lies in Rotterdam-Zuid


def test_the_bundled_nplv_list_has_20_areas_in_19_municipalities_with_sources():
    nplv = nplv_in(ProgrammeFolder.bundled())
    assert len(nplv.areas) == 20
    assert len({a.municipality_code for a in nplv.areas}) == 19
    assert nplv.own("GM0505") == "dordrecht-west" and nplv.own("GM0363") is None
    assert len(nplv.sources) >= 2
    assert all(a.codes for a in nplv.areas)


def test_a_wrong_nplv_entry_names_file_line_and_field(tmp_path):
    path = tmp_path / "nplv.yaml"
    path.write_text(
        "sources: [bron]\n"
        "areas:\n"
        "  - id: x\n"
        "    label: X\n"
        "    municipality: X\n"
        "    municipality_code: GM0505\n"
        "    codes: [WK059910, kapot]\n"
        "    verified: nee\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_nplv(path)
    found = {(f.row, f.column) for f in exc.value.findings}
    assert (7, "codes") in found and (8, "verified") in found
    messages = " ".join(f.message for f in exc.value.findings)
    assert "WK059910 ligt niet in GM0505" in messages and "'kapot' is geen CBS-code" in messages


def test_the_ranking_matches_a_hand_worked_case(tmp_path):
    """Two focus areas against Dordt West on woz-waarde (higher is better) and bijstand
    (lower is better): values are the inwoners-weighted means of their wijken."""
    rows = []
    for code, gm, people, woz, bij in (
        ("WK059910", "GM0599", 1000, 100.0, 50.0),  # Rotterdam-Zuid: two wijken
        ("WK059912", "GM0599", 3000, 200.0, 30.0),  # -> woz 175, bijstand 35
        ("WK034403", "GM0344", 2000, 180.0, 40.0),  # Overvecht -> woz 180, bijstand 40
        ("WK034401", "GM0344", 9000, 999.0, 1.0),  # not in the focus area
    ):
        for ind, v in (("woz-waarde", woz), ("bijstand", bij), ("inwoners", people)):
            rows.append((code, code, gm, "wijk", ind, 2023, float(v)))
    nplv_path = tmp_path / "nplv.yaml"
    nplv_path.write_text(
        "sources: [bron]\nareas:\n"
        "  - {id: rotterdam-zuid, label: Rotterdam-Zuid, municipality: Rotterdam,\n"
        "     municipality_code: GM0599, codes: [WK059910, WK059912], verified: false}\n"
        "  - {id: utrecht-overvecht, label: Utrecht Overvecht, municipality: Utrecht,\n"
        "     municipality_code: GM0344, codes: [WK034403], verified: true}\n"
        "  - {id: dordrecht-west, label: Dordrecht West, municipality: Dordrecht,\n"
        "     municipality_code: GM0505, codes: [WK050503], verified: false}\n",
        encoding="utf-8",
    )
    units = pd.DataFrame(
        [
            ("dordt-west", "woz-waarde", 2023, 178.0),
            ("wielwijk", "woz-waarde", 2023, 190.0),
            ("dordt-west", "bijstand", 2023, 35.0),
            ("crabbehof", "bijstand", 2023, 45.0),
            ("dordt-west", "woz-waarde", 2024, 1.0),  # no focus area has 2024
        ],
        columns=["area", "indicator", "year", "value"],
    )
    table = nplv_ranking(
        frame(rows), load_nplv(nplv_path), units, registry=REG, municipality_code="GM0505"
    )
    assert list(table.columns) == RANKING_COLUMNS
    got = {
        (r.indicator, r.area): (r.year, round(r.value, 6), r.rank, r.n_areas)
        for r in table.itertuples()
    }
    assert got == {
        ("woz-waarde", "utrecht-overvecht"): (2023, 180.0, 1, 3),
        ("woz-waarde", "dordt-west"): (2023, 178.0, 2, 3),
        ("woz-waarde", "rotterdam-zuid"): (2023, 175.0, 3, 3),
        ("woz-waarde", "wielwijk"): (2023, 190.0, 1, 3),  # in Dordt West's place: first
        ("bijstand", "dordt-west"): (2023, 35.0, 1, 3),  # a tie shares the better rank
        ("bijstand", "rotterdam-zuid"): (2023, 35.0, 1, 3),
        ("bijstand", "utrecht-overvecht"): (2023, 40.0, 3, 3),
        ("bijstand", "crabbehof"): (2023, 45.0, 3, 3),
    }
    assert set(table.loc[table["indicator"] == "bijstand", "better_is"]) == {"lager"}
    assert "dordrecht-west" not in set(table["area"])  # the units stand in for it
