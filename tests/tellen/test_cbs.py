"""npdw fetch cbs: CBS Kerncijfers wijken en buurten into the long format, offline.

No test touches the network. The tables are the recorded responses in
``tests/data/cbs/`` (see its README): 2024 (85984NED) carries the REAL
metadata of that table with rows in cbsodata's shape (real Dordrecht wijk
codes, inhabitants and dwellings; invented names and other figures), 2021 and
2022 are invented. The tests of a real fetch run the real ``cbsodata``
against a fake CBS server built from those files, which applies the
municipality filter to the padded region codes as the data set holds them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npdw_learning.cli import main
from npdw_learning.kern.atomic import read_csv
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.cbs import (
    CbsError,
    build_measurements,
    fetch_table,
    load_cbs_mapping,
    municipality_filter,
    read_recorded,
    region_key,
    resolve_topic,
)
from npdw_learning.tellen.deliveries import DELIVERIES_FILE, register_delivery
from npdw_learning.tellen.measurements import MEASUREMENT_COLUMNS, load_measurements

FIXTURES = Path(__file__).parents[1] / "data" / "cbs"
TABLES = {2021: "85039NED", 2022: "85318NED", 2024: "85984NED"}
REAL_2024 = "85984NED"
REG = ProgrammeFolder.bundled().registry


@pytest.fixture
def data(programme_copy) -> Path:
    """The bundled registry, baseline and register, with the test mapping as cbs.yaml."""
    d = programme_copy()
    shutil.copy(FIXTURES / "cbs.yaml", d / "registry" / "cbs.yaml")
    return d


@pytest.fixture
def recorded(tmp_path) -> Path:
    """A copy of the recorded responses a test may change."""
    d = tmp_path / "recorded"
    shutil.copytree(
        FIXTURES,
        d,
        ignore=shutil.ignore_patterns("*.py", "*.md", "*.yaml", "*_DataProperties.json"),
    )
    return d


def mapping(data: Path):
    return load_cbs_mapping(data / "registry" / "cbs.yaml", REG)


def tables(directory: Path = FIXTURES) -> dict:
    return {year: read_recorded(directory, tid) for year, tid in TABLES.items()}


def real_2024() -> dict:
    """Only the table with the real 2024 metadata."""
    return {2024: read_recorded(FIXTURES, REAL_2024)}


def edit_mapping(data: Path, old: str, new: str) -> None:
    path = data / "registry" / "cbs.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_table(directory: Path, table_id: str, change) -> None:
    path = directory / f"{table_id}.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    change(payload)
    path.write_text(json.dumps(payload), encoding="utf-8")


def fetch(data: Path, *extra: str, offline: Path = FIXTURES) -> int:
    return main(["fetch", "cbs", "--data", str(data), "--offline", str(offline), *extra])


def value(frame, indicator: str, area: str, year: int) -> float:
    hit = frame[(frame.indicator == indicator) & (frame.area == area) & (frame.year == year)]
    assert len(hit) == 1, (indicator, area, year)
    return float(hit["value"].iloc[0])


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "measurements").iterdir())}


# -- resolving columns and rows ------------------------------------------------------


def test_keys_are_resolved_by_title_when_their_suffixes_differ_between_years(data):
    frame, _, _ = build_measurements(tables(), mapping(data))
    woz = frame[(frame.indicator == "woz-waarde") & (frame.area == "dordrecht")]
    assert woz["note"].tolist() == [
        "GemiddeldeWOZWaardeVanWoningen_35",
        "GemiddeldeWOZWaardeVanWoningen_39",
        "GemiddeldeWOZWaardeVanWoningen_39",  # the real key in 85984NED
    ]
    assert woz["source"].tolist() == ["CBS 85039NED", "CBS 85318NED", "CBS 85984NED"]
    # the fixture's Dordrecht WOZ: 250 in 2021, round(250 * 1.1) in 2022, 213 in 2024
    assert woz["value"].tolist() == [250, 275, 213]


def test_the_frame_has_the_long_format_and_one_row_per_figure(data):
    frame, missing, warnings = build_measurements(tables(), mapping(data))
    assert list(frame.columns) == MEASUREMENT_COLUMNS
    assert not frame.duplicated(["indicator", "area", "year"]).any()
    assert frame["n"].isna().all() and frame["se"].isna().all()
    # 4 indicators x 5 areas x 3 years, less the jeugdzorg cells CBS left empty (null)
    assert len(frame) == 4 * 5 * 3 - 3
    assert missing == [
        "jeugdzorg, crabbehof, 2021 (85039NED)",
        "jeugdzorg, crabbehof, 2022 (85318NED)",
        "jeugdzorg, crabbehof, 2024 (85984NED)",
    ]
    assert warnings == []  # areas by name: no name to compare


def test_rows_are_chosen_by_municipality_level_and_name(data):
    frame, _, _ = build_measurements(tables(), mapping(data))
    # Wijk 06 Crabbehof has WOZ 170; the buurt Crabbehof 165; Zwijndrecht's wijk Crabbehof 260
    assert value(frame, "woz-waarde", "crabbehof", 2021) == 170
    # 2022 spells the wijk "Oud Krispijn" without "Wijk 03" and without the hyphen
    assert value(frame, "woz-waarde", "oud-krispijn", 2022) == round(200 * 1.1)
    # 2024: "Wijk 06 Crabbehof" (WK050506) has WOZ 291, the buurt Crabbehof 245 and
    # Zwijndrecht's "Wijk 01 Crabbehof" 271
    assert value(frame, "woz-waarde", "crabbehof", 2024) == 291


def test_unit_conversions_match_a_hand_computation(data):
    frame, _, _ = build_measurements(tables(), mapping(data))
    # Oud-Krispijn in the fixture: 10 800 inhabitants, 4 700 dwellings, 59% owner-occupied,
    # 400 people on bijstand.
    assert value(frame, "woningvoorraad-koop", "oud-krispijn", 2021) == pytest.approx(2773.0)
    assert value(frame, "bijstand", "oud-krispijn", 2021) == pytest.approx(37.037037, rel=1e-6)
    note = frame[(frame.indicator == "bijstand") & (frame.year == 2022)]["note"].iloc[0]
    assert note == "PersonenPerSoortUitkeringBijstand_87 / AantalInwoners_5 * 1000"
    # 2024, WK050503: the real 4 713 dwellings and 11 005 inhabitants; invented 58% owner-
    # occupied and 110 people on bijstand.
    assert value(frame, "woningvoorraad-koop", "oud-krispijn", 2024) == pytest.approx(2733.54)
    assert value(frame, "bijstand", "oud-krispijn", 2024) == pytest.approx(9.995457, rel=1e-6)
    note = frame[(frame.indicator == "bijstand") & (frame.year == 2024)]["note"].iloc[0]
    assert note == "PersonenPerSoortUitkeringBijstand_94 / AantalInwoners_5 * 1000"


# -- the real 2024 metadata ------------------------------------------------------------------


def test_the_recorded_2024_answer_carries_the_real_metadata_unchanged():
    real = json.loads((FIXTURES / "85984NED_DataProperties.json").read_text(encoding="utf-8"))
    assert len(real) == 172
    assert read_recorded(FIXTURES, REAL_2024).properties == real


def test_the_real_region_column_is_a_geodetail_and_is_found():
    props = read_recorded(FIXTURES, REAL_2024).properties
    region = next(p for p in props if p["Key"] == "WijkenEnBuurten")
    assert region["Type"] == "GeoDetail" and region["MapYear"] == 2024
    assert region_key(props, table_id=REAL_2024, year=2024) == "WijkenEnBuurten"


@pytest.mark.parametrize(
    "entries, expected",
    [
        # by key, whatever its type
        ([{"Type": "Dimension", "Key": "WijkenEnBuurten"}], "WijkenEnBuurten"),
        # by type, under another key
        ([{"Type": "GeoDimension", "Key": "RegioS"}], "RegioS"),
        (
            [{"Type": "GeoDetail", "Key": "Regios"}, {"Type": "Dimension", "Key": "Perioden"}],
            "Regios",
        ),
        # the key wins over another geographical column
        (
            [
                {"Type": "GeoDimension", "Key": "RegioS"},
                {"Type": "GeoDetail", "Key": "WijkenEnBuurten"},
            ],
            "WijkenEnBuurten",
        ),
    ],
)
def test_the_region_column_is_found_by_key_or_by_type(entries, expected):
    assert region_key(entries, table_id="85984NED", year=2024) == expected


@pytest.mark.parametrize(
    "entries, expected",
    [
        ([{"Type": "Dimension", "Key": "Perioden"}], "wel Types: Dimension"),
        (
            [{"Type": "GeoDimension", "Key": "RegioS"}, {"Type": "GeoDetail", "Key": "Gebied"}],
            "meer dan één kolom met regio's (RegioS, Gebied)",
        ),
        # a Topic called WijkenEnBuurten is a number column, not the regions
        ([{"Type": "Topic", "Key": "WijkenEnBuurten"}], "geen Key 'WijkenEnBuurten'"),
    ],
)
def test_a_table_without_one_region_column_is_an_error(entries, expected):
    with pytest.raises(CbsError) as exc:
        region_key(entries, table_id="85984NED", year=2024)
    assert str(exc.value).startswith("CBS-tabel 85984NED (2024): ")
    assert expected in str(exc.value)


def test_every_title_and_unit_of_the_bundled_mapping_is_in_the_real_2024_table():
    m = load_cbs_mapping(DATA_DIR / "registry" / "cbs.yaml", REG)
    props = read_recorded(FIXTURES, REAL_2024).properties
    keys = {}
    for ind in m.indicators:
        main = resolve_topic(props, ind.title_in(2024), table_id=REAL_2024, year=2024)
        assert main["Unit"] == ind.unit, ind.id
        keys[ind.id] = main["Key"]
        for extra in (ind.times, ind.per):
            if extra:
                resolve_topic(props, extra, table_id=REAL_2024, year=2024)
    assert len(keys) == 11
    assert keys["arbeidsparticipatie"] == "Nettoarbeidsparticipatie_78"
    assert keys["woz-waarde"] == "GemiddeldeWOZWaardeVanWoningen_39"


def test_a_title_that_occurs_twice_needs_its_group():
    props = read_recorded(FIXTURES, "85039NED").properties
    with pytest.raises(CbsError) as exc:
        resolve_topic(props, "Appartement", table_id="85039NED", year=2021)
    assert "Appartement_48" in str(exc.value) and "Appartement_56" in str(exc.value)
    hit = resolve_topic(
        props, "Gemiddeld aardgasverbruik/Appartement", table_id="85039NED", year=2021
    )
    assert hit["Key"] == "Appartement_56"


def test_an_unknown_title_suggests_the_closest_one():
    props = read_recorded(FIXTURES, "85039NED").properties
    with pytest.raises(CbsError) as exc:
        resolve_topic(props, "Gemiddelde WOZ waarde woningen", table_id="85039NED", year=2021)
    message = str(exc.value)
    assert "CBS-tabel 85039NED (2021)" in message
    assert "'Gemiddelde WOZ-waarde van woningen'" in message


# -- areas by CBS code, and name matching ------------------------------------------------------

BY_CODE = {
    "{name: Dordrecht, level: Gemeente}": "{code: GM0505}",
    "{name: Oud-Krispijn, level: Wijk}": "{code: WK050503}",
    "{name: Nieuw-Krispijn, level: Wijk}": "{code: wk050504, name: Nieuw-Krispijn}",
    "{name: Wielwijk, level: Wijk}": "{code: WK050505, name: wielwijk, level: Wijk}",
    "{name: Crabbehof, level: Wijk}": "{code: WK050506, name: Crabbehof}",
}


CODE_EXPECTED = "verwacht een CBS-code als WK050505 (GM + 4 cijfers, WK + 6 of BU + 8)"


def by_code(data: Path) -> None:
    for old, new in BY_CODE.items():
        edit_mapping(data, old, new)


def test_areas_given_by_code_give_the_same_figures_as_by_name(data):
    by_name, _, _ = build_measurements(tables(), mapping(data))
    by_code(data)
    m = mapping(data)
    assert [(a.id, a.code, a.level) for a in m.areas] == [
        ("dordrecht", "GM0505", "Gemeente"),
        ("oud-krispijn", "WK050503", "Wijk"),
        ("nieuw-krispijn", "WK050504", "Wijk"),
        ("wielwijk", "WK050505", "Wijk"),
        ("crabbehof", "WK050506", "Wijk"),
    ]
    frame, _, warnings = build_measurements(tables(), m)
    assert frame.equals(by_name)
    assert warnings == []  # "Oud Krispijn" (2022) and "wielwijk" are the same names


def test_the_code_wins_over_the_name_with_a_warning_naming_both(data, capsys):
    by_code(data)
    edit_mapping(
        data,
        "{code: WK050505, name: wielwijk, level: Wijk}",
        "{code: WK050505, name: Westwijk}",
    )
    assert fetch(data, "--from", "2024") == 0
    out = capsys.readouterr().out
    assert (
        f"WAARSCHUWING: {data / 'registry' / 'cbs.yaml'}: CBS-tabel 85984NED (2024): gebied "
        "'wielwijk' (WK050505) heet bij CBS 'Wijk 05 Wielwijk', in cbs.yaml 'Westwijk'; "
        "de code telt"
    ) in out
    written = read_csv(data / "measurements" / "cbs_kerncijfers.csv")
    # the figure of WK050505, whatever the name (its invented WOZ in the fixture: 278)
    wielwijk = written[(written.area == "wielwijk") & (written.indicator == "woz-waarde")]
    assert wielwijk["value"].tolist() == [278]


def test_a_code_that_is_not_in_the_table_lists_every_region_at_its_level(data):
    by_code(data)
    edit_mapping(data, "{code: WK050506, name: Crabbehof}", "{code: WK050512, name: Crabbehof}")
    with pytest.raises(CbsError) as exc:
        build_measurements(real_2024(), mapping(data))
    (finding,) = exc.value.findings
    assert finding.message.startswith(
        "CBS-tabel 85984NED (2024): gebied 'crabbehof' (WK050512) niet gevonden: geen wijk "
        "met code WK050512 in Dordrecht. Wel aanwezig (wijk, code en naam): WK050501 Wijk 01 "
        "Verzonnen, "
    )
    assert finding.message.endswith("WK050519 Wijk 19 Verzonnen, WK050598 Wijk 98 Verzonnen")


def test_a_buurt_is_found_by_its_code_too(data):
    edit_mapping(data, "{name: Crabbehof, level: Wijk}", "{code: BU05050601}")
    frame, _, _ = build_measurements(real_2024(), mapping(data))
    assert value(frame, "woz-waarde", "crabbehof", 2024) == 245  # the buurt, not the wijk


@pytest.mark.parametrize(
    "name",
    ["Wielwijk", "wielwijk", "  WIELWIJK ", "Wijk 05 Wielwijk", "wijk 05 wielwijk"],
)
def test_a_name_matches_without_regard_to_prefix_case_and_padding(data, name):
    edit_mapping(data, "{name: Wielwijk, level: Wijk}", f"{{name: '{name}', level: Wijk}}")
    frame, _, _ = build_measurements(real_2024(), mapping(data))
    assert value(frame, "woz-waarde", "wielwijk", 2024) == 278  # WK050505


@pytest.mark.parametrize("name", ["Wielwijk Noord", "wielwijk-noord", "WIELWIJK - NOORD"])
def test_hyphen_and_space_are_the_same_in_a_name(data, name):
    edit_mapping(data, "{name: Wielwijk, level: Wijk}", f"{{name: '{name}', level: Buurt}}")
    frame, _, _ = build_measurements(real_2024(), mapping(data))
    assert value(frame, "woz-waarde", "wielwijk", 2024) == 258  # the buurt Wielwijk-Noord


def test_two_regions_with_one_name_ask_for_the_code(data, recorded):
    def twin(payload):
        row = next(r for r in payload["data"] if r["Codering_3"].strip() == "WK050507")
        row["WijkenEnBuurten"] = "Wijk 07 Wielwijk"

    edit_table(recorded, REAL_2024, twin)
    with pytest.raises(CbsError) as exc:
        build_measurements({2024: read_recorded(recorded, REAL_2024)}, mapping(data))
    (finding,) = exc.value.findings
    assert finding.message == (
        "CBS-tabel 85984NED (2024): gebied 'wielwijk': 2 rijen (wijk 'Wielwijk' in Dordrecht): "
        "WK050505 Wijk 05 Wielwijk, WK050507 Wijk 07 Wielwijk; geef het gebied met zijn code "
        "(code: ...) in cbs.yaml"
    )


@pytest.mark.parametrize(
    "spec, message, column",
    [
        ("{code: WK0505}", f"wielwijk: code 'WK0505': {CODE_EXPECTED}", "code"),
        ("{code: 50505}", f"wielwijk: code 50505: {CODE_EXPECTED}", "code"),
        (
            "{code: WK064201}",
            "wielwijk: code WK064201 ligt niet in gemeente GM0505 (municipality_code)",
            "code",
        ),
        (
            "{code: WK050505, level: Buurt}",
            "wielwijk: code WK050505 is een wijk, niveau zegt Buurt",
            "level",
        ),
        ("{level: Wijk}", "wielwijk: 'code' of 'name' ontbreekt", "name"),
        ("{code: WK050505, name: ''}", "wielwijk: 'name' moet een naam zijn", "name"),
        (
            "{name: Wielwijk}",
            "wielwijk: niveau None; verwacht een van Gemeente, Wijk, Buurt",
            "level",
        ),
    ],
)
def test_a_wrong_area_entry_names_file_line_and_field(data, spec, message, column):
    edit_mapping(data, "{name: Wielwijk, level: Wijk}", spec)
    with pytest.raises(CbsError) as exc:
        mapping(data)
    (finding,) = exc.value.findings
    assert (finding.message, finding.row, finding.column) == (message, 14, column)


# -- errors: nothing is written -------------------------------------------------------


def test_an_unknown_title_is_an_error_naming_table_year_and_title(data, capsys):
    edit_mapping(data, "title: Koopwoningen", "title: Eigen woningen")
    before = snapshot(data)
    assert fetch(data) == 1
    err = capsys.readouterr().err
    assert "CBS-tabel 85039NED (2021): geen kolom met de titel 'Eigen woningen'" in err
    assert "CBS-tabel 85318NED (2022): geen kolom met de titel 'Eigen woningen'" in err
    assert "Traceback" not in err
    assert snapshot(data) == before  # no measurement file, no manifest, register unchanged


def test_a_title_renamed_in_one_year_is_an_error_for_that_year_only(data, capsys):
    edit_mapping(
        data,
        "title: Percentage jongeren met jeugdzorg",
        "title: Percentage jongeren met jeugdzorg\n    titles: {2022: Jongeren met jeugdhulp}",
    )
    assert fetch(data) == 1
    err = capsys.readouterr().err
    assert "85318NED (2022): geen kolom met de titel 'Jongeren met jeugdhulp'" in err
    assert "85039NED" not in err


def test_an_unknown_area_is_an_error_and_lists_the_names_cbs_has(data, capsys):
    edit_mapping(data, "{name: Wielwijk, level: Wijk}", "{name: Westwijk, level: Wijk}")
    before = snapshot(data)
    assert fetch(data) == 1
    err = capsys.readouterr().err
    assert "CBS-tabel 85039NED (2021): gebied 'wielwijk' niet gevonden" in err
    assert "geen wijk 'Westwijk' in Dordrecht" in err
    assert "WK050505 Wijk 05 Wielwijk" in err  # what the table does have, so the fix is obvious
    assert snapshot(data) == before


def test_an_area_not_found_lists_code_and_name_of_every_region_at_its_level(data):
    edit_mapping(data, "{name: Wielwijk, level: Wijk}", "{name: Westwijk, level: Wijk}")
    with pytest.raises(CbsError) as exc:
        build_measurements(real_2024(), mapping(data))
    (finding,) = exc.value.findings
    listed = finding.message.split("Wel aanwezig (wijk, code en naam): ")[1]
    # the 13 real wijk codes of Dordrecht in 2024, each with its (here invented) name;
    # not the gemeente, not a buurt, not Zwijndrecht's wijk
    assert re.findall(r"WK\d{6}", listed) == [f"WK0505{n:02d}" for n in (*range(1, 12), 19, 98)]
    assert listed.startswith("WK050501 Wijk 01 Verzonnen, WK050502 Wijk 02 Verzonnen, ")
    assert "WK050505 Wijk 05 Wielwijk" in listed
    assert "WK064201" not in listed and "BU0505" not in listed and "GM0505" not in listed


def test_an_area_at_the_wrong_level_is_not_found(data, capsys):
    edit_mapping(data, "{name: Wielwijk, level: Wijk}", "{name: Wielwijk, level: Buurt}")
    assert fetch(data) == 1
    assert "geen buurt 'Wielwijk' in Dordrecht" in capsys.readouterr().err


def test_a_missing_region_column_is_reported_once_per_table(data, recorded, capsys):
    def drop_level(payload):
        payload["DataProperties"] = [
            p for p in payload["DataProperties"] if p["Title"] != "Soort regio"
        ]

    edit_table(recorded, "85039NED", drop_level)
    assert fetch(data, offline=recorded) == 1
    err = capsys.readouterr().err
    assert err.count("CBS-tabel 85039NED (2021): geen kolom met de titel 'Soort regio'") == 1
    assert "85318NED" not in err
    assert err.startswith("FOUT: 1 probleem/problemen met de CBS-tabellen")


def test_a_different_unit_is_an_error(data, capsys):
    edit_mapping(data, "unit: x 1 000 euro", "unit: euro")
    before = snapshot(data)
    assert fetch(data) == 1
    err = capsys.readouterr().err
    assert "heeft eenheid 'x 1 000 euro'; het koppelbestand verwacht 'euro'" in err
    assert snapshot(data) == before


def test_a_conversion_that_breaks_the_unit_range_writes_nothing(data, capsys):
    # a wrong factor: jeugdzorg x 10 gives 90-140 %, above the unit's maximum of 100
    edit_mapping(
        data,
        'title: Percentage jongeren met jeugdzorg\n    unit: "%"\n',
        'title: Percentage jongeren met jeugdzorg\n    unit: "%"\n    factor: 10\n',
    )
    before = snapshot(data)
    assert fetch(data) == 1
    err = capsys.readouterr().err
    assert "De opgehaalde cijfers breken de regels; er is niets geschreven" in err
    assert snapshot(data) == before


@pytest.mark.parametrize(
    "content, expected",
    [
        ("{not json", "geen geldige JSON"),
        ('{"DataProperties": [], "value": []}', "precies 'DataProperties' en 'data'"),
        ('{"DataProperties": [{"Key": 1}], "data": []}', "Key, Title en Type"),
        ('{"DataProperties": [], "data": [1, 2]}', "'data' moet een lijst van objecten zijn"),
    ],
)
def test_a_broken_recorded_response_names_the_file(data, recorded, capsys, content, expected):
    (recorded / "85318NED.json").write_text(content, encoding="utf-8")
    before = snapshot(data)
    assert fetch(data, offline=recorded) == 1
    err = capsys.readouterr().err
    assert "85318NED.json" in err and expected in err
    assert snapshot(data) == before


def add_year(data: Path, line: str = "  2023: 85618NED\n") -> None:
    edit_mapping(data, "  2024: 85984NED\n", "  2024: 85984NED\n" + line)


def test_a_configured_year_without_recorded_answer_is_listed_and_skipped(data, capsys):
    add_year(data)  # configured, but tests/data/cbs has no 85618NED.json
    assert fetch(data) == 0
    out = capsys.readouterr().out
    assert f"Geen opgenomen antwoord in {FIXTURES} voor 2023 (85618NED): overgeslagen" in out
    assert "3 jaren 2021-2024" in out
    written = read_csv(data / "measurements" / "cbs_kerncijfers.csv")
    assert sorted(set(written["year"])) == [2021, 2022, 2024]
    manifest = json.loads(
        (data / "measurements" / "cbs_kerncijfers.manifest.json").read_text(encoding="utf-8")
    )
    assert manifest["skipped"] == [{"year": 2023, "table_id": "85618NED"}]


@pytest.mark.parametrize("years", [["--from", "2023"], ["--to", "2023"], ["--from", "2022"]])
def test_a_year_asked_for_without_recorded_answer_is_an_error(data, capsys, years):
    add_year(data)
    before = snapshot(data)
    assert fetch(data, *years) == 1
    err = capsys.readouterr().err
    assert "85618NED.json: opgenomen antwoord voor tabel 85618NED ontbreekt" in err
    assert snapshot(data) == before  # nothing written, register unchanged


def test_no_recorded_answer_at_all_is_an_error(data, tmp_path, capsys):
    empty = tmp_path / "leeg"
    empty.mkdir()
    before = snapshot(data)
    assert fetch(data, offline=empty) == 1
    assert f"FOUT: {empty}: geen enkel opgenomen antwoord" in capsys.readouterr().err
    assert snapshot(data) == before


def test_deeply_nested_json_is_one_line_naming_the_file(data, recorded, capsys):
    (recorded / "85318NED.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = snapshot(data)
    assert fetch(data, offline=recorded) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"FOUT: {recorded / '85318NED.json'}: de JSON is te diep genest om te lezen"
    ]
    assert snapshot(data) == before


def test_a_memory_error_reading_a_recorded_answer_is_one_line(data, recorded, capsys, monkeypatch):
    import npdw_learning.tellen.cbs as cbs

    def exhausted(text):
        raise MemoryError

    monkeypatch.setattr(cbs.json, "loads", exhausted)
    assert fetch(data, offline=recorded) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"FOUT: {recorded / '85039NED.json'}: te groot om in het geheugen te lezen"
    ]


def test_a_recursion_error_while_working_through_a_table_names_the_file(
    data, recorded, capsys, monkeypatch
):
    import npdw_learning.tellen.cbs as cbs

    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cbs, "table_measurements", too_deep)
    assert fetch(data, offline=recorded) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"FOUT: {recorded / '85039NED.json'}: het antwoord van CBS-tabel 85039NED is te diep "
        "genest om te verwerken; haal de tabel opnieuw op"
    ]


def test_nesting_inside_a_cell_is_no_text_and_no_crash(data, recorded, capsys):
    def nest(payload):
        deep: list = []
        for _ in range(500):
            deep = [deep]
        row = next(r for r in payload["data"] if r["WijkenEnBuurten"] == "Nederland")
        row["SoortRegio_2"] = deep  # a list, not a level: the row is simply not a region
        row["Gemeentenaam_1"] = {"x": deep}

    edit_table(recorded, REAL_2024, nest)
    assert fetch(data, offline=recorded) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_a_recorded_answer_that_is_not_a_regular_file_or_too_large_is_refused(
    data, recorded, capsys, monkeypatch
):
    from npdw_learning.kern import inputfile

    (recorded / "85318NED.json").unlink()
    (recorded / "85318NED.json").mkdir()
    assert fetch(data, offline=recorded) == 1
    assert "85318NED.json: is geen gewoon bestand maar een map" in capsys.readouterr().err
    (recorded / "85318NED.json").rmdir()
    (recorded / "85318NED.json").symlink_to("/dev/zero")
    assert fetch(data, offline=recorded) == 1
    assert "85318NED.json: is een symbolische koppeling naar /dev/zero" in capsys.readouterr().err
    (recorded / "85318NED.json").unlink()
    shutil.copy(FIXTURES / "85318NED.json", recorded / "85318NED.json")
    monkeypatch.setitem(inputfile.LIMITS, "json", 1024)
    assert fetch(data, offline=recorded) == 1
    err = capsys.readouterr().err
    assert "een opgenomen antwoord mag hoogstens 1 kB zijn" in err


def test_mapping_errors_name_file_and_line(data):
    path = data / "registry" / "cbs.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("2022: 85318NED", "2022: 85318")
    text = text.replace("- id: jeugdzorg", "- id: jeugdhulp")
    text = text.replace("crabbehof: {name: Crabbehof", "krabbehof: {name: Crabbehof")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CbsError) as exc:
        mapping(data)
    by_message = {f.message: f.row for f in exc.value.findings}
    assert by_message["jaar 2022: 85318 is geen tabel-id als 84583NED"] == 8
    assert any(
        m.startswith("gebied 'krabbehof' staat niet in registry/areas.yaml") for m in by_message
    )
    assert by_message["indicator 'jeugdhulp' staat niet in registry/indicators.yaml"] == 30


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=12,
    )
)
def test_any_recorded_response_loads_or_is_an_input_error(data, tmp_path, payload):
    (tmp_path / "85039NED.json").write_text(json.dumps(payload), encoding="utf-8")
    try:
        table = read_recorded(tmp_path, "85039NED")
        build_measurements({2021: table}, mapping(data))
    except CbsError:
        pass


# -- the output and what it replaces -------------------------------------------------------


def test_the_output_is_read_by_npdw_validate(data, tmp_path, capsys):
    out = tmp_path / "elders" / "cbs.csv"
    register_before = (data / "measurements" / DELIVERIES_FILE).read_bytes()
    assert fetch(data, "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert f"--measurements {out}" in printed  # outside measurements/: not registered
    assert (data / "measurements" / DELIVERIES_FILE).read_bytes() == register_before
    assert main(["validate", "--data", str(data), "--measurements", str(out)]) == 0
    assert "0 fout(en)" in capsys.readouterr().out
    manifest = json.loads((out.parent / "cbs.manifest.json").read_text(encoding="utf-8"))
    assert manifest["fetched"] == dt.datetime.now(dt.UTC).date().isoformat()
    assert manifest["mode"] == "offline"
    assert [t["table_id"] for t in manifest["tables"]] == ["85039NED", "85318NED", "85984NED"]
    assert manifest["skipped"] == []
    assert manifest["tables"][1]["columns"]["woz-waarde"] == "GemiddeldeWOZWaardeVanWoningen_39"
    assert manifest["output"]["rows"] == len(read_csv(out))


def test_from_and_to_choose_the_years(data):
    assert fetch(data, "--from", "2022", "--to", "2022") == 0
    written = read_csv(data / "measurements" / "cbs_kerncijfers.csv")
    assert set(written["year"]) == {2022}


def test_a_year_range_without_tables_is_an_error(data, capsys):
    assert fetch(data, "--from", "2030") == 1
    assert "geen CBS-tabel tussen --from en --to" in capsys.readouterr().err


def test_the_fetch_is_registered_and_reports_the_baseline_values_it_replaces(data, capsys):
    register = data / "measurements" / DELIVERIES_FILE
    before = register.read_text(encoding="utf-8")
    assert fetch(data) == 0
    printed = capsys.readouterr().out
    today = dt.datetime.now(dt.UTC).date()
    # the register keeps every line it had, and gains the fetch with its date
    after = register.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert f"  - file: cbs_kerncijfers.csv\n    delivered: {today.isoformat()}" in after
    # Bijlage 3 gives WOZ 297 for Dordrecht in 2022; the fixture 275: the later delivery wins
    assert "Vervangen waarden (" in printed
    line = next(x for x in printed.splitlines() if x.startswith("  woz-waarde, dordrecht, 2022"))
    assert "297 uit" in line and "bijlage3.csv" in line and line.endswith("-> 275")
    result = load_measurements(REG, data)
    assert value(result.measurements, "woz-waarde", "dordrecht", 2022) == 275
    # an equal value is no override: Bijlage 3 and the fixture both give jeugdzorg 11
    assert not any(x.startswith("  jeugdzorg, dordrecht, 2022") for x in printed.splitlines())


def test_a_later_delivery_keeps_its_values_and_the_report_says_so(data, capsys):
    register = data / "measurements" / DELIVERIES_FILE
    later = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    shutil.copy(data / "measurements" / "bijlage3.csv", data / "measurements" / "later.csv")
    register.write_text(
        register.read_text(encoding="utf-8")
        + f"  - file: later.csv\n    delivered: {later}\n    supplier: Gemeente\n",
        encoding="utf-8",
    )
    assert fetch(data) == 0
    printed = capsys.readouterr().out
    assert "Niet gebruikt (" in printed
    assert "  woz-waarde, dordrecht, 2022: 275 -> 297 uit" in printed


def test_fetching_again_updates_the_date_and_reports_what_cbs_revised(data, recorded, capsys):
    register = data / "measurements" / DELIVERIES_FILE
    assert fetch(data, offline=recorded) == 0
    text = register.read_text(encoding="utf-8").replace(
        dt.datetime.now(dt.UTC).date().isoformat(), "2025-01-31"
    )
    register.write_text(text, encoding="utf-8")

    def revise(payload):
        row = next(r for r in payload["data"] if r["WijkenEnBuurten"] == "Dordrecht")
        row["GemiddeldeWOZWaardeVanWoningen_39"] = 280

    edit_table(recorded, "85318NED", revise)
    capsys.readouterr()
    assert fetch(data, offline=recorded) == 0
    printed = capsys.readouterr().out
    assert "Door CBS herzien sinds de vorige keer ophalen (1):" in printed
    assert "  woz-waarde, dordrecht, 2022: 275 -> 280" in printed
    after = register.read_text(encoding="utf-8")
    assert after.count("cbs_kerncijfers.csv") == 1
    assert "2025-01-31" not in after


@pytest.mark.parametrize(
    "content", [b"\x00\xff\xfe binary", b"indicator,area\nx,y\n", b'a,b\n1,"2\n']
)
def test_a_file_an_earlier_fetch_did_not_write_is_never_replaced(data, capsys, content):
    out = data / "measurements" / "cbs_kerncijfers.csv"
    out.write_bytes(content)
    assert fetch(data) == 1
    assert "dit bestand bestaat al en is geen meetbestand van npdw fetch cbs" in (
        capsys.readouterr().err
    )
    assert out.read_bytes() == content
    assert not out.with_name("cbs_kerncijfers.manifest.json").exists()


def test_an_earlier_fetch_changed_by_hand_is_not_replaced(data, capsys):
    out = data / "measurements" / "cbs_kerncijfers.csv"
    assert fetch(data) == 0
    edited = out.read_bytes() + b"mijn,eigen,regel\n"
    out.write_bytes(edited)
    capsys.readouterr()
    assert fetch(data) == 1
    assert "geen meetbestand van npdw fetch cbs" in capsys.readouterr().err
    assert out.read_bytes() == edited


def test_the_output_must_be_a_csv_file(data, tmp_path, capsys):
    assert fetch(data, "--out", str(tmp_path / "cbs.xlsx")) == 1
    assert "het meetbestand wordt een .csv-bestand" in capsys.readouterr().err
    assert not (tmp_path / "cbs.xlsx").exists()


def test_register_delivery_changes_only_the_date_line(tmp_path):
    original = (
        "# kop\ndeliveries:\n"
        "  - file: a.csv\n    delivered: 2024-01-01   # nulmeting\n    supplier: Gemeente\n"
        "  - file: cbs.csv\n    delivered: 2025-02-03   # opgehaald\n    supplier: CBS\n"
    )
    (tmp_path / DELIVERIES_FILE).write_text(original, encoding="utf-8")
    status = register_delivery(tmp_path, "cbs.csv", dt.date(2026, 5, 6), "CBS")
    assert status == "updated"
    assert (tmp_path / DELIVERIES_FILE).read_text(encoding="utf-8") == original.replace(
        "2025-02-03", "2026-05-06"
    )
    assert register_delivery(tmp_path, "cbs.csv", dt.date(2026, 5, 6), "CBS") == "unchanged"


def test_register_delivery_refuses_a_file_listed_twice(tmp_path):
    text = "deliveries:\n" + "  - file: cbs.csv\n    delivered: 2025-01-01\n    supplier: x\n" * 2
    (tmp_path / DELIVERIES_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(CbsError.__mro__[1]) as exc:  # InputError
        register_delivery(tmp_path, "cbs.csv", dt.date(2026, 1, 1), "CBS")
    assert "staat er 2 keer in" in str(exc.value)


def test_text_from_cbs_reaches_the_csv_formula_safe(data, recorded):
    def poison(payload):
        for p in payload["DataProperties"]:
            if p["Key"] == "PercentageJongerenMetJeugdzorg_88":
                p["Key"] = "=HYPERLINK(1)_88"
        for row in payload["data"]:
            row["=HYPERLINK(1)_88"] = row.pop("PercentageJongerenMetJeugdzorg_88")

    edit_table(recorded, "85039NED", poison)
    assert fetch(data, offline=recorded) == 0
    out = data / "measurements" / "cbs_kerncijfers.csv"
    assert "\n" + "jeugdzorg,dordrecht,2021,11,,,CBS 85039NED,'=HYPERLINK(1)_88\n" in (
        "\n" + out.read_text(encoding="utf-8")
    )
    assert "=HYPERLINK(1)_88" in set(read_csv(out)["note"])


# -- the network: the real cbsodata against a fake CBS, and no network -----------------------


_SUBSTRINGOF = re.compile(r"^substringof\('([^']*)',(\w+)\)$")


class FakeCbs:
    """Answers cbsodata's requests from a recorded table, as the CBS OData feed would.

    The data rows get region *codes* as the region column, padded with spaces
    to 10 characters as in CBS's data sets (``'GM0505    '``); cbsodata.get_data
    replaces them by the codes' Titles, which must give back exactly the
    recorded rows. A ``$filter`` is applied as OData would: only the
    ``substringof('...',Column) or ...`` form npdw sends is understood, anything
    else fails the test.
    """

    def __init__(self, recorded: dict):
        self.props = recorded["DataProperties"]
        self.region = region_key(self.props, table_id="fake")
        self.codes, self.rows = [], []
        for row in recorded["data"]:
            code = row["Codering_3"].strip().ljust(10)
            self.codes.append({"Key": code, "Title": row[self.region], "Description": None})
            self.rows.append({**row, self.region: code})
        self.queries: list[dict] = []

    def _filtered(self, rows: list[dict], query: dict) -> list[dict]:
        if "$filter" not in query:
            return rows
        terms = [_SUBSTRINGOF.match(t) for t in query["$filter"][0].split(" or ")]
        assert all(terms), f"filter CBS would not be sent: {query['$filter'][0]}"
        return [r for r in rows if any(t[1] in r[t[2]] for t in terms)]

    def answer(self, url: str) -> dict:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.queries.append(query)
        name = parts.path.rstrip("/").split("/")[-1]
        # the parts the real 85984NED lists (its cbsodata.download_data folder in the
        # repository named in tests/data/cbs/README.md), plus the untyped data set
        listing = ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties"]
        listing += ["CategoryGroups", self.region]
        values = {
            "TableInfos": [{"ID": 0, "Title": "Kerncijfers wijken en buurten (nagebootst)"}],
            "TypedDataSet": self._filtered(self.rows, query),
            "DataProperties": self.props,
            "CategoryGroups": [],
            self.region: self.codes,
        }
        if name not in values:  # the table's root: the list of its parts
            return {"value": [{"name": n, "url": f"{url}{n}"} for n in listing]}
        return {"value": copy.deepcopy(values[name])}


@pytest.fixture
def fake_cbs(monkeypatch):
    servers: dict[str, FakeCbs] = {}
    for tid in TABLES.values():
        payload = json.loads((FIXTURES / f"{tid}.json").read_text(encoding="utf-8"))
        servers[tid] = FakeCbs(payload)

    def send(self, request, **kwargs):
        tid = next(t for t in servers if f"/{t}/" in request.url)
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(servers[tid].answer(request.url)).encode("utf-8")
        response.url = request.url
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    return servers


def dordrecht_rows(table_id: str) -> list[dict]:
    """The recorded rows of Dordrecht, its wijken and buurten (by code)."""
    rows = read_recorded(FIXTURES, table_id).data
    return [r for r in rows if r["Codering_3"].strip()[2:6] == "0505"]


def test_the_recorded_fixture_has_exactly_the_shapes_cbsodata_returns(fake_cbs):
    import cbsodata

    for tid in TABLES.values():
        recorded = json.loads((FIXTURES / f"{tid}.json").read_text(encoding="utf-8"))
        assert cbsodata.get_meta(tid, "DataProperties") == recorded["DataProperties"]
        assert cbsodata.get_data(tid) == recorded["data"]


def test_a_real_fetch_asks_for_one_municipality_and_caches_it(data, fake_cbs, tmp_path):
    m = mapping(data)
    fetched = {
        year: fetch_table(tid, tmp_path / "cache", municipality_code="GM0505", year=year)
        for year, tid in TABLES.items()
    }
    for tid in TABLES.values():
        cached = read_recorded(tmp_path / "cache", tid)
        recorded = read_recorded(FIXTURES, tid)
        assert cached.properties == recorded.properties
        # Dordrecht, its 13 wijken and its buurten; not Nederland, not Zwijndrecht
        assert cached.data == dordrecht_rows(tid)
        assert len(cached.data) < len(recorded.data)
        filters = [q["$filter"][0] for q in fake_cbs[tid].queries if "$filter" in q]
        assert filters == [
            "substringof('GM0505',WijkenEnBuurten) or substringof('WK0505',WijkenEnBuurten) "
            "or substringof('BU0505',WijkenEnBuurten)"
        ]
    assert len(fetched[2024].data) == 1 + 13 + 2
    online, _, _ = build_measurements(fetched, m)
    offline, _, _ = build_measurements(tables(), m)
    assert online.equals(offline)


def test_the_filter_finds_the_padded_codes_and_nothing_of_another_municipality():
    codes = [r["Codering_3"] for r in read_recorded(FIXTURES, REAL_2024).data]
    assert "GM0505    " in codes and "WK050505  " in codes  # padded to 10, as in the data set
    terms = [_SUBSTRINGOF.match(t) for t in municipality_filter("GM0505").split(" or ")]
    kept = [c.strip() for c in codes if any(t[1] in c for t in terms)]
    assert kept[0] == "GM0505" and len(kept) == 16
    assert not any(c.startswith(("NL", "WK0642")) for c in kept)
    # the letters come first, so a code containing 0505 elsewhere is not taken
    assert not any(t[1] in "BU06420505" for t in terms)


def test_an_online_fetch_without_municipality_code_asks_cbs_nothing(data, fake_cbs, capsys):
    edit_mapping(data, "municipality_code: GM0505\n", "")
    before = snapshot(data)
    assert main(["fetch", "cbs", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "CBS-tabel 85039NED (2021): 'municipality_code' (bijv. GM0505) ontbreekt" in err
    assert "zou npdw fetch cbs de tabel van heel Nederland ophalen" in err
    assert all(not server.queries for server in fake_cbs.values())
    assert snapshot(data) == before


def test_an_online_table_without_region_column_downloads_no_data(data, fake_cbs, tmp_path):
    server = fake_cbs[REAL_2024]
    server.props = [p for p in server.props if p["Key"] != "WijkenEnBuurten"]
    with pytest.raises(CbsError) as exc:
        fetch_table(REAL_2024, tmp_path, municipality_code="GM0505", year=2024)
    assert "CBS-tabel 85984NED (2024): geen kolom met wijken en buurten" in str(exc.value)
    assert len(server.queries) == 1  # DataProperties only: no data set, no region list
    assert not (tmp_path / f"{REAL_2024}.json").exists()


def test_the_command_fetches_online_into_the_cache(data, fake_cbs, tmp_path, monkeypatch):
    monkeypatch.setattr("npdw_learning.kern.paths.CBS_CACHE_DIR", tmp_path / "cache")
    assert main(["fetch", "cbs", "--data", str(data)]) == 0
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "85039NED.json",
        "85318NED.json",
        "85984NED.json",
    ]
    manifest = json.loads(
        (data / "measurements" / "cbs_kerncijfers.manifest.json").read_text(encoding="utf-8")
    )
    assert manifest["mode"] == "online"
    assert manifest["tables"][0]["file"] == str(tmp_path / "cache" / "85039NED.json")
    # the cache replays offline to the same file
    first = (data / "measurements" / "cbs_kerncijfers.csv").read_bytes()
    assert fetch(data, offline=tmp_path / "cache") == 0
    assert (data / "measurements" / "cbs_kerncijfers.csv").read_bytes() == first


def test_without_network_and_without_offline_one_dutch_line(data, monkeypatch, capsys):
    import cbsodata

    def unreachable(*args, **kwargs):
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(cbsodata, "get_meta", unreachable)
    before = snapshot(data)
    assert main(["fetch", "cbs", "--data", str(data)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "FOUT: npdw fetch cbs heeft internet nodig: opendata.cbs.nl is niet bereikbaar. "
        "Zonder internet: gebruik --offline MAP met opgenomen antwoorden (<tabel>.json)."
    ]
    assert snapshot(data) == before


# -- the bundled mapping -------------------------------------------------------------------


def test_the_bundled_mapping_loads_and_covers_every_programme_area():
    m = load_cbs_mapping(DATA_DIR / "registry" / "cbs.yaml", REG)
    assert m.tables == {
        2016: "83487NED",
        2017: "83765NED",
        2018: "84286NED",
        2019: "84583NED",
        2020: "84799NED",
        2021: "85039NED",
        2022: "85318NED",
        2023: "85618NED",
        2024: "85984NED",
    }
    assert {a.id for a in m.areas} == REG.area_ids - {REG.aggregate_id}
    assert len({i.id for i in m.indicators}) == len(m.indicators)
    participation = next(i for i in m.indicators if i.id == "arbeidsparticipatie")
    assert participation.title_in(2018) == "Netto arbeidsparticipatie"
    assert participation.title_in(2024) == "Nettoarbeidsparticipatie"  # as in the real 85984NED


@pytest.fixture
def bundled(programme_copy) -> Path:
    """The bundled registry and measurements, with the bundled cbs.yaml."""
    return programme_copy("bundled")


@pytest.mark.parametrize("areas", ["by name", "by code"])
def test_the_bundled_mapping_reads_the_real_2024_table(bundled, capsys, areas):
    if areas == "by code":  # how a coordinator fills in the codes (these pairings are invented)
        for area, code in [("oud-krispijn", "WK050503"), ("wielwijk", "WK050505")]:
            edit_mapping(bundled, f"  {area}: {{name: ", f"  {area}: {{code: {code}, name: ")
    assert fetch(bundled, "--from", "2024", "--to", "2024") == 0
    captured = capsys.readouterr()
    assert "WAARSCHUWING" not in captured.out and captured.err == ""
    written = read_csv(bundled / "measurements" / "cbs_kerncijfers.csv")
    # 11 indicators x 5 areas, less Crabbehof's jeugdzorg (null in the fixture)
    assert len(written) == 11 * 5 - 1 and set(written["year"]) == {2024}
    notes = dict(zip(written["indicator"], written["note"], strict=False))
    assert notes["arbeidsparticipatie"] == "Nettoarbeidsparticipatie_78"
    assert notes["wmo-gebruik"] == "WmoClientenRelatief_101"
    # the real 5 495 dwellings of WK050505 times its invented 32% owner-occupied
    assert value(written, "woningvoorraad-koop", "wielwijk", 2024) == pytest.approx(1758.4)


def test_ctrl_c_says_what_the_fetch_left_behind():
    import argparse

    from npdw_learning.cli import interrupted_message

    message = interrupted_message(argparse.Namespace(command="fetch", fetch_command="cbs"))
    assert message.startswith("Gestopt (Ctrl-C): npdw fetch cbs: het ophalen is afgebroken")
    assert "nooit een half" in message
