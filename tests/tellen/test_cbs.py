"""npdw fetch cbs: CBS Kerncijfers wijken en buurten into the long format, offline.

No test touches the network: the tables are the invented recorded responses
in ``tests/data/cbs/`` (see its README), and the one test of a real fetch runs
the real ``cbsodata`` against a fake CBS server built from those files.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
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
from npdw_learning.kern.registry import load_registry
from npdw_learning.tellen.cbs import (
    CbsError,
    build_measurements,
    fetch_table,
    load_cbs_mapping,
    read_recorded,
    resolve_topic,
)
from npdw_learning.tellen.deliveries import DELIVERIES_FILE, register_delivery
from npdw_learning.tellen.measurements import MEASUREMENT_COLUMNS, load_measurements

FIXTURES = Path(__file__).parents[1] / "data" / "cbs"
TABLES = {2021: "85039NED", 2022: "85318NED"}
REG = load_registry()


@pytest.fixture
def data(tmp_path) -> Path:
    """The bundled registry, baseline and register, with the test mapping as cbs.yaml."""
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR / "registry", d / "registry")
    shutil.copytree(DATA_DIR / "measurements", d / "measurements")
    shutil.copy(FIXTURES / "cbs.yaml", d / "registry" / "cbs.yaml")
    return d


@pytest.fixture
def recorded(tmp_path) -> Path:
    """A copy of the recorded responses a test may change."""
    d = tmp_path / "recorded"
    shutil.copytree(FIXTURES, d, ignore=shutil.ignore_patterns("*.py", "*.md", "*.yaml"))
    return d


def mapping(data: Path):
    return load_cbs_mapping(data / "registry" / "cbs.yaml", REG)


def tables(directory: Path = FIXTURES) -> dict:
    return {year: read_recorded(directory, tid) for year, tid in TABLES.items()}


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
    frame, _ = build_measurements(tables(), mapping(data))
    woz = frame[(frame.indicator == "woz-waarde") & (frame.area == "dordrecht")]
    assert woz["note"].tolist() == [
        "GemiddeldeWOZWaardeVanWoningen_35",
        "GemiddeldeWOZWaardeVanWoningen_39",
    ]
    assert woz["source"].tolist() == ["CBS 85039NED", "CBS 85318NED"]
    # the fixture's Dordrecht WOZ is 250 in 2021 and round(250 * 1.1) in 2022
    assert woz["value"].tolist() == [250, 275]


def test_the_frame_has_the_long_format_and_one_row_per_figure(data):
    frame, missing = build_measurements(tables(), mapping(data))
    assert list(frame.columns) == MEASUREMENT_COLUMNS
    assert not frame.duplicated(["indicator", "area", "year"]).any()
    assert frame["n"].isna().all() and frame["se"].isna().all()
    # 4 indicators x 5 areas x 2 years, less the jeugdzorg cell CBS left empty (null)
    assert len(frame) == 4 * 5 * 2 - 2
    assert missing == [
        "jeugdzorg, crabbehof, 2021 (85039NED)",
        "jeugdzorg, crabbehof, 2022 (85318NED)",
    ]


def test_rows_are_chosen_by_municipality_level_and_name(data):
    frame, _ = build_measurements(tables(), mapping(data))
    # Wijk 06 Crabbehof has WOZ 170; the buurt Crabbehof 165; Zwijndrecht's wijk Crabbehof 260
    assert value(frame, "woz-waarde", "crabbehof", 2021) == 170
    # 2022 spells the wijk "Oud Krispijn" without "Wijk 03" and without the hyphen
    assert value(frame, "woz-waarde", "oud-krispijn", 2022) == round(200 * 1.1)


def test_unit_conversions_match_a_hand_computation(data):
    frame, _ = build_measurements(tables(), mapping(data))
    # Oud-Krispijn in the fixture: 10 800 inhabitants, 4 700 dwellings, 59% owner-occupied,
    # 400 people on bijstand.
    assert value(frame, "woningvoorraad-koop", "oud-krispijn", 2021) == pytest.approx(2773.0)
    assert value(frame, "bijstand", "oud-krispijn", 2021) == pytest.approx(37.037037, rel=1e-6)
    note = frame[(frame.indicator == "bijstand") & (frame.year == 2022)]["note"].iloc[0]
    assert note == "PersonenPerSoortUitkeringBijstand_87 / AantalInwoners_5 * 1000"


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
    assert "Wijk 05 Wielwijk" in err  # what the table does have, so the fix is obvious
    assert snapshot(data) == before


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


def test_a_missing_recorded_response_is_an_error(data, recorded, capsys):
    (recorded / "85039NED.json").unlink()
    assert fetch(data, offline=recorded) == 1
    assert "opgenomen antwoord voor tabel 85039NED ontbreekt" in capsys.readouterr().err


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
    assert by_message["jaar 2022: 85318 is geen tabel-id als 84583NED"] == 7
    assert any(m.startswith("gebied 'krabbehof' staat niet in areas.yaml") for m in by_message)
    assert by_message["indicator 'jeugdhulp' staat niet in indicators.yaml"] == 28


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
    assert [t["table_id"] for t in manifest["tables"]] == ["85039NED", "85318NED"]
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
def test_an_unreadable_earlier_fetch_is_replaced_without_a_revision_list(data, capsys, content):
    out = data / "measurements" / "cbs_kerncijfers.csv"
    out.write_bytes(content)
    assert fetch(data) == 0
    assert "herzien" not in capsys.readouterr().out
    assert len(read_csv(out)) == 38


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


class FakeCbs:
    """Answers cbsodata's requests from a recorded table, as the CBS OData feed would.

    The data rows get region *codes* as the dimension (what the server sends);
    cbsodata.get_data replaces them by the codes' Titles, which must give back
    exactly the recorded rows.
    """

    def __init__(self, recorded: dict):
        self.props = recorded["DataProperties"]
        self.codes, self.rows = [], []
        for i, row in enumerate(recorded["data"]):
            code = f"R{i:04d}"
            self.codes.append({"Key": code, "Title": row["WijkenEnBuurten"], "Description": None})
            self.rows.append({**row, "WijkenEnBuurten": code})
        self.queries: list[dict] = []

    def answer(self, url: str) -> dict:
        parts = urlsplit(url)
        self.queries.append(parse_qs(parts.query))
        name = parts.path.rstrip("/").split("/")[-1]
        listing = ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties"]
        listing += ["CategoryGroups", "WijkenEnBuurten"]
        values = {
            "TableInfos": [{"ID": 0, "Title": "Kerncijfers wijken en buurten (verzonnen)"}],
            "TypedDataSet": self.rows,
            "DataProperties": self.props,
            "CategoryGroups": [],
            "WijkenEnBuurten": self.codes,
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


def test_the_recorded_fixture_has_exactly_the_shapes_cbsodata_returns(fake_cbs):
    import cbsodata

    for tid in TABLES.values():
        recorded = json.loads((FIXTURES / f"{tid}.json").read_text(encoding="utf-8"))
        assert cbsodata.get_meta(tid, "DataProperties") == recorded["DataProperties"]
        assert cbsodata.get_data(tid) == recorded["data"]


def test_a_real_fetch_caches_the_response_in_the_recorded_shape(data, fake_cbs, tmp_path):
    m = mapping(data)
    fetched = {
        year: fetch_table(tid, tmp_path / "cache", municipality_code="GM0505")
        for year, tid in TABLES.items()
    }
    for tid in TABLES.values():
        cached = read_recorded(tmp_path / "cache", tid)
        recorded = read_recorded(FIXTURES, tid)
        assert (cached.properties, cached.data) == (recorded.properties, recorded.data)
    online, _ = build_measurements(fetched, m)
    offline, _ = build_measurements(tables(), m)
    assert online.equals(offline)
    # only Dordrecht's rows are asked for: the dimension key comes from DataProperties
    filters = [q["$filter"][0] for q in fake_cbs["85039NED"].queries if "$filter" in q]
    assert filters == [
        "startswith(WijkenEnBuurten,'GM0505') or startswith(WijkenEnBuurten,'WK0505') "
        "or startswith(WijkenEnBuurten,'BU0505')"
    ]


def test_the_command_fetches_online_into_the_cache(data, fake_cbs, tmp_path, monkeypatch):
    monkeypatch.setattr("npdw_learning.kern.paths.CBS_CACHE_DIR", tmp_path / "cache")
    assert main(["fetch", "cbs", "--data", str(data)]) == 0
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "85039NED.json",
        "85318NED.json",
    ]
    manifest = json.loads(
        (data / "measurements" / "cbs_kerncijfers.manifest.json").read_text(encoding="utf-8")
    )
    assert manifest["mode"] == "online"
    assert manifest["tables"][0]["file"] == str(tmp_path / "cache" / "85039NED.json")


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
    assert next(i for i in m.indicators if i.id == "arbeidsparticipatie").title_in(2018) == (
        "Netto arbeidsparticipatie"
    )


def test_ctrl_c_says_what_the_fetch_left_behind():
    import argparse

    from npdw_learning.cli import interrupted_message

    message = interrupted_message(argparse.Namespace(command="fetch", fetch_command="cbs"))
    assert message.startswith("Gestopt (Ctrl-C): npdw fetch cbs: het ophalen is afgebroken")
    assert "nooit een half" in message
