"""The programme registry: integrity of the bundled data and clear errors for bad YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from npdw_learning.kern import registry
from npdw_learning.kern.errors import RegistryError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.registry import TARGET_TYPES, load_registry
from npdw_learning.kern.yamlfile import YamlChecker
from npdw_learning.tellen.measurements import read_measurement_file


@pytest.fixture(scope="module")
def reg():
    return ProgrammeFolder.bundled().registry


def test_areas_are_the_programme_areas(reg):
    assert set(reg.areas["id"]) == {
        "oud-krispijn",
        "nieuw-krispijn",
        "wielwijk",
        "crabbehof",
        "dordrecht",
        "dordt-west",
    }
    assert reg.reference == "dordrecht"
    assert reg.aggregate_id == "dordt-west"
    assert set(reg.aggregate_weights) == {"oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof"}
    assert all(w > 0 for w in reg.aggregate_weights.values())
    assert reg.aggregate_weight_source


def test_five_pillars(reg):
    assert list(reg.pillars["id"]) == ["wonen", "gezond", "leren", "werk", "veilig"]


def test_goals_of_bijlage_1(reg):
    # Bijlage 1: 10 strategic goals, 43 operational goals, two per pillar.
    assert len(reg.strategic_goals) == 10
    assert len(reg.operational_goals) == 43
    assert reg.strategic_goals.groupby("pillar").size().eq(2).all()
    assert set(reg.operational_goals["target_type"]) <= set(TARGET_TYPES)
    assert (reg.operational_goals["target_type"] != "none").sum() > 20
    # The two relative poverty/debt goals and the violence goal keep their base years.
    rel = reg.operational_goals[reg.operational_goals["target_type"] == "relative"]
    assert sorted(zip(rel["target_value"], rel["base_year"], strict=True)) == [
        (-0.7, 2015),
        (-0.7, 2015),
        (-0.5, 2015),
        (-0.25, 2022),
    ]


def test_every_indicator_has_pillar_unit_and_direction(reg):
    ind = reg.indicators
    assert ind["pillar"].isin(reg.pillars["id"]).all()
    assert ind["unit"].isin(reg.units["id"]).all()
    assert ind["higher_is_better"].map(type).eq(bool).all()
    assert ind["id"].is_unique
    assert ind["core"].any(), "the Kernindicatoren Rijk are flagged"


def test_every_goal_target_references_existing_indicators(reg):
    for g in reg.operational_goals.itertuples():
        assert set(g.indicators) <= reg.indicator_ids
        assert set(g.context_indicators) <= reg.indicator_ids
    targets = reg.targets()
    assert targets["indicator"].is_unique, "an indicator measures at most one goal"


def test_goals_without_indicator_exist(reg):
    # The programme says it has no indicator yet for several goals; the data must show that.
    empty = reg.operational_goals[reg.operational_goals["indicators"].map(len) == 0]
    assert len(empty) >= 5


def test_every_baseline_figure_maps_to_a_registered_indicator(reg):
    raw = pd.read_csv(ProgrammeFolder.bundled().measurements_dir / "bijlage3.csv")
    assert set(raw["indicator"]) <= reg.indicator_ids
    assert set(raw["area"]) <= reg.area_ids
    # and every registered indicator has a baseline figure
    assert reg.indicator_ids == set(raw["indicator"])
    rows, findings = read_measurement_file(
        ProgrammeFolder.bundled().measurements_dir / "bijlage3.csv", reg
    )
    assert [f for f in findings if f.severity == "error"] == []
    assert len(rows) == len(raw)


def test_parts_of_a_figure_are_separate_indicators(reg):
    groups = reg.indicators.dropna(subset=["share_group"]).groupby("share_group")["id"].count()
    assert groups.min() >= 2
    assert "schooladvies" in groups.index


def test_indicator_table_columns(reg):
    table = reg.indicator_table()
    assert list(table.columns) == [
        "id",
        "label",
        "pillar",
        "unit",
        "higher_is_better",
        "source",
        "core",
        "goals",
        "scope",
    ]
    assert len(table) == len(reg.indicators)


# -- bad registry files ---------------------------------------------------------


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(ProgrammeFolder.bundled().registry_dir, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_unknown_indicator_in_goal_names_file_and_entry(registry_copy):
    def change(d):
        d["operational_goals"][0]["indicators"].append("bestaat-niet")

    _edit(registry_copy / "goals.yaml", change)
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    text = str(err.value)
    assert "goals.yaml" in text
    assert "operationeel doel 'og01-woonomgeving'" in text  # the first goal, by its id
    assert "bestaat-niet" in text


def test_unknown_pillar_and_unit_are_both_reported(registry_copy):
    def change(d):
        d["indicators"][0]["pillar"] = "sport"
        d["indicators"][1]["unit"] = "procent"

    _edit(registry_copy / "indicators.yaml", change)
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    messages = [f.message for f in err.value.findings]
    assert any("sport" in m for m in messages)
    assert any("procent" in m for m in messages)
    assert {f.column for f in err.value.findings} >= {"pillar", "unit"}


def test_indicator_measuring_two_goals_is_an_error(registry_copy):
    reg = load_registry(registry_copy)
    taken = reg.targets()["indicator"].iloc[0]

    def change(d):
        for g in d["operational_goals"]:
            if taken not in g.get("indicators", []):
                g.setdefault("indicators", []).append(taken)
                break

    _edit(registry_copy / "goals.yaml", change)
    with pytest.raises(RegistryError, match="hoogstens één doel"):
        load_registry(registry_copy)


def test_duplicate_id_and_bad_slug(registry_copy):
    def change(d):
        d["indicators"].append(dict(d["indicators"][0]))
        d["indicators"].append({**d["indicators"][1], "id": "Met Hoofdletters"})

    _edit(registry_copy / "indicators.yaml", change)
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    text = str(err.value)
    assert "twee keer" in text
    assert "Met Hoofdletters" in text


def test_relative_target_needs_base_year(registry_copy):
    def change(d):
        for g in d["operational_goals"]:
            if g["target"]["type"] == "relative":
                g["target"]["base_year"] = None
                break

    _edit(registry_copy / "goals.yaml", change)
    with pytest.raises(RegistryError, match="basisjaar"):
        load_registry(registry_copy)


def test_broken_yaml_names_the_line(registry_copy):
    (registry_copy / "pillars.yaml").write_text("pillars:\n  - id: wonen\n   label: [\n")
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    finding = err.value.findings[0]
    assert finding.file.endswith("pillars.yaml")
    assert finding.row is not None


def test_missing_file(registry_copy):
    (registry_copy / "national" / "units.yaml").unlink()
    with pytest.raises(RegistryError, match="ontbreekt"):
        load_registry(registry_copy)


def test_the_programme_name_comes_from_programme_yaml(reg):
    assert (reg.programme_name, reg.programme_short_name) == (
        "Nationaal Programma Dordt West",
        "NPDW",
    )
    assert (reg.reference_label, reg.aggregate_label) == ("Dordrecht", "Dordt West")


def test_programme_without_a_name_is_an_error_naming_file_and_field(registry_copy):
    (registry_copy / "programme.yaml").write_text("short_name: 12\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    found = {(f.file.rsplit("/", 1)[-1], f.column) for f in err.value.findings}
    assert found == {("programme.yaml", "name"), ("programme.yaml", "short_name")}


def test_findings_name_the_line_to_edit(registry_copy):
    path = registry_copy / "national" / "units.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    kind_line = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("kind:"))
    lines[kind_line - 1] = lines[kind_line - 1].split(":")[0] + ": ratio"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    (finding,) = err.value.findings
    assert (finding.row, finding.column) == (kind_line, "kind")
    assert Path(finding.file).parts[-2:] == ("national", "units.yaml")
    assert f"rij {kind_line}" in str(err.value)


# -- the steps of load_registry, each on its own file --------------------------------


def _file(text: str) -> tuple[YamlChecker, dict, list]:
    chk, data = YamlChecker.from_text(text, "f.yaml")
    return chk, data or {}, chk.findings


def _messages(findings) -> list[tuple[int | None, str | None, str]]:
    return [(f.row, f.column, f.message) for f in findings]


def test_check_programme_strips_names_and_reports_each_missing_one():
    chk, data, findings = _file("name: '  Programma  '\nshort_name: ''\n")
    assert registry._check_programme(chk, data) == {
        "name": "Programma",
        "short_name": "",
        "start_year": registry.DEFAULT_START_YEAR,
    }
    assert _messages(findings) == [(2, "short_name", "veld 'short_name' ontbreekt of is leeg")]


def test_check_programme_reads_the_start_year_and_refuses_a_non_year():
    chk, data, findings = _file("name: P\nshort_name: P\nstart_year: 2019\n")
    assert registry._check_programme(chk, data)["start_year"] == 2019
    assert findings == []
    chk, data, findings = _file("name: P\nshort_name: P\nstart_year: 'vorig jaar'\n")
    assert registry._check_programme(chk, data)["start_year"] == registry.DEFAULT_START_YEAR
    assert [m[1] for m in _messages(findings)] == ["start_year"]


def test_check_units_numbers_and_range():
    chk, data, findings = _file(
        "units:\n"
        "  - {id: percent, label: '%', kind: rate, min: 0, max: 100}\n"
        "  - {id: count, label: aantal, kind: count}\n"
        "  - {id: bad, label: x, kind: rate, min: laag, max: 5}\n"
        "  - {id: upside, label: x, kind: rate, min: 9, max: 9}\n"
    )
    units = registry._check_units(chk, data)
    assert units[0] == {"id": "percent", "label": "%", "min": 0.0, "max": 100.0, "kind": "rate"}
    assert (units[1]["min"], units[1]["max"]) == (None, None)
    assert _messages(findings) == [
        (4, "min", "eenheid 'bad': 'min' moet een getal zijn of weggelaten worden"),
        (5, "max", "eenheid 'upside': max moet groter zijn dan min"),
    ]


AREAS = """\
areas:
  - {id: wielwijk, label: Wielwijk, kind: neighbourhood}
  - {id: crabbehof, label: Crabbehof, kind: neighbourhood}
  - {id: west, label: West, kind: aggregate}
  - {id: stad, label: Stad, kind: reference}
reference: stad
aggregate:
  id: west
  members: [wielwijk, crabbehof]
  weights: {wielwijk: 2, crabbehof: 3}
  weight_source: CBS
"""


def test_check_areas_reference_and_aggregate():
    chk, data, findings = _file(AREAS)
    areas, reference, aggregate = registry._check_areas(chk, data)
    assert [a["id"] for a in areas] == ["wielwijk", "crabbehof", "west", "stad"]
    assert reference == "stad" and findings == []
    assert aggregate == {
        "id": "west",
        "weights": {"wielwijk": 2.0, "crabbehof": 3.0},
        "weight_source": "CBS",
    }


def test_check_aggregate_members_and_weights():
    chk, data, findings = _file(
        "aggregate:\n"
        "  id: oost\n"
        "  members: [wielwijk, nergens]\n"
        "  weights:\n"
        "    wielwijk: -1\n"
        "    vreemd: 2\n"
    )
    aggregate = registry._check_aggregate(chk, data["aggregate"], {"wielwijk", "west"})
    assert aggregate["weights"] == {}
    assert _messages(findings) == [
        (2, "id", "aggregate: aggregaat 'oost' staat niet in areas"),
        (5, "wielwijk", "aggregate.weights: gewicht voor 'wielwijk' ontbreekt of is niet positief"),
        (3, "members", "aggregate.members: onbekend gebied 'nergens'"),
        # No weight line for 'nergens': the line of 'weights'.
        (4, "nergens", "aggregate.weights: gewicht voor 'nergens' ontbreekt of is niet positief"),
        (6, "vreemd", "aggregate.weights: gewicht voor 'vreemd', dat geen lid is"),
    ]
    chk, _, findings = _file("x: 1\n")
    registry._check_aggregate(chk, {"id": "west"}, {"west"})
    assert [f.message for f in findings] == ["aggregate.members: het aggregaat heeft geen leden"]


def test_check_pillars_share_groups_and_sources():
    chk, data, findings = _file(
        "pillars:\n"
        "  - {id: wonen, label: Wonen, order: 2}\n"
        "  - {id: werk, label: Werk, order: true}\n"
    )
    assert registry._check_pillars(chk, data)[0] == {"id": "wonen", "label": "Wonen", "order": 2}
    assert _messages(findings) == [
        (3, "order", "pijler 'werk': 'order' moet een geheel getal zijn, niet True")
    ]
    chk, data, findings = _file(
        "share_groups:\n  - {id: a, label: A, exhaustive: true}\n"
        "  - {id: b, label: B, exhaustive: true, tolerance: -1}\n"
    )
    groups = registry._check_share_groups(chk, data)
    assert groups[0]["tolerance"] == 0.5  # the default
    assert _messages(findings) == [
        (3, "tolerance", "aandelengroep 'b': tolerantie moet een getal >= 0 zijn")
    ]
    chk, data, findings = _file("priority: [cbs, gemeente]\n")
    assert registry._check_sources(chk, data) == ["cbs", "gemeente"] and findings == []
    chk, data, findings = _file("priority: [cbs, 3]\n")
    assert registry._check_sources(chk, data) == []
    assert _messages(findings) == [(1, "priority", "priority: verwacht een lijst van bron-id's")]


def test_check_indicators_refers_to_known_pillar_unit_and_group():
    chk, data, findings = _file(
        "indicators:\n"
        "  - id: a\n"
        "    label: A\n"
        "    pillar: wonen\n"
        "    unit: percent\n"
        "    higher_is_better: true\n"
        "    source: cbs\n"
        "    core: false\n"
        "  - {id: b, label: B, pillar: sport, unit: percent, share_group: g2,\n"
        "     higher_is_better: 1, source: cbs, core: true}\n"
    )
    rows = registry._check_indicators(
        chk, data, pillar_ids={"wonen"}, unit_ids={"percent"}, group_ids={"g1"}
    )
    assert rows[0]["higher_is_better"] is True and rows[0]["share_group"] is None
    assert [(row, col) for row, col, _ in _messages(findings)] == [
        (9, "pillar"),
        (9, "share_group"),
        (10, "higher_is_better"),  # 1 is not true/false
    ]
    assert "onbekende pijler 'sport'; bekend: ['wonen']" in findings[0].message


GOALS = """\
strategic_goals:
  - {id: s1, pillar: wonen, label: S1}
  - {id: s2, pillar: sport, label: S2}
operational_goals:
  - id: og1
    strategic_goal: s1
    label: OG1
    target: {type: relative, value: -0.5, base_year: 2020, target_year: 2043}
    indicators: [a]
    context_indicators: [b]
  - id: og2
    strategic_goal: s9
    label: OG2
    target: {type: none}
    indicators: [a, zz]
"""


def test_check_strategic_goals():
    chk, data, findings = _file(GOALS)
    strategic = registry._check_strategic_goals(chk, data, {"wonen"})
    assert [s["pillar"] for s in strategic] == ["wonen", "sport"]
    assert _messages(findings) == [(3, "pillar", "strategisch doel 's2': onbekende pijler 'sport'")]


def test_check_operational_goals_links_indicators_to_goals():
    chk, data, findings = _file(GOALS)
    strategic = registry._check_strategic_goals(chk, data, {"wonen", "sport"})
    operational, goals_of = registry._check_operational_goals(chk, data, strategic, {"a", "b"})
    assert goals_of == {"a": ["og1", "og2"], "b": ["og1"]}
    first = operational[0]
    assert (first["pillar"], first["target_type"], first["target_value"]) == (
        "wonen",
        "relative",
        -0.5,
    )
    assert (first["indicators"], first["context_indicators"]) == (["a"], ["b"])
    assert operational[1]["pillar"] is None and operational[1]["indicators"] == ["a"]
    assert [(row, col) for row, col, _ in _messages(findings)] == [
        (12, "strategic_goal"),
        (15, "indicators"),  # zz is unknown
        (15, "indicators"),  # a already measures og1
    ]
    assert "hoogstens één doel" in findings[2].message


@pytest.mark.parametrize(
    ("target", "columns"),
    [
        ({"type": "absolute", "value": 75, "target_year": 2043}, []),
        ({"type": "none"}, []),
        (None, ["target", "type", "target.target_year"]),
        ({"type": "absolute", "target_year": 2043}, ["target.value"]),
        (
            {"type": "relative", "value": -1.2, "target_year": 2043},
            ["target.base_year", "target.value"],
        ),
        ({"type": "parity", "value": 0}, ["target.target_year"]),
    ],
)
def test_check_target(target, columns):
    findings: list = []
    chk = YamlChecker("goals.yaml", findings)
    checked = registry._check_target(chk, ("operational_goals", 0), "og", target)
    assert [f.column for f in findings] == columns
    assert set(checked) == {"target_type", "target_value", "base_year", "target_year"}
    if not columns:
        assert checked["target_type"] == target["type"]


def test_check_goal_indicators_keeps_known_ids_only():
    chk, _, findings = _file("x: 1\n")
    goal = {"indicators": ["a", "nope"], "context_indicators": "a"}
    lists = registry._check_goal_indicators(chk, ("g", 0), "og", goal, {"a"})
    assert lists == {"indicators": ["a"], "context_indicators": []}
    assert [f.message for f in findings] == [
        "og: verwijst naar onbekende indicator 'nope'",
        "og: verwacht een lijst van indicator-id's",
    ]


def test_build_registry_orders_areas_and_pillars(reg):
    findings: list = []
    checked = registry._check_files(
        registry._read_registry_files(ProgrammeFolder.bundled().registry_dir, findings)
    )
    assert findings == []  # the bundled registry has none
    built = registry._build_registry(checked, ProgrammeFolder.bundled().registry_dir)
    assert built.areas["kind"].tolist() == sorted(
        built.areas["kind"], key=["neighbourhood", "aggregate", "reference"].index
    )
    assert built.pillars["order"].is_monotonic_increasing
    assert built.indicators["unit_label"].notna().all()
    assert built.indicators.equals(reg.indicators) and built.areas.equals(reg.areas)


@pytest.mark.parametrize(
    ("aggregate", "column", "message"),
    [
        (["dordt-west"], "aggregate", "aggregate: verwacht velden id, members en weights"),
        (
            {"id": "dordt-west", "members": "wielwijk", "weights": {"wielwijk": 1}},
            "members",
            "aggregate.members: verwacht een lijst",
        ),
        (
            {"id": "dordt-west", "members": ["wielwijk"], "weights": [1]},
            "weights",
            "aggregate.weights: verwacht per lid een gewicht (lid: gewicht)",
        ),
    ],
)
def test_an_aggregate_of_the_wrong_shape_is_a_finding_not_a_crash(
    registry_copy, aggregate, column, message
):
    _edit(registry_copy / "areas.yaml", lambda d: d.update(aggregate=aggregate))
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    first = err.value.findings[0]
    assert (first.column, first.message) == (column, message)
    assert first.file.endswith("areas.yaml") and first.row is not None


# -- national and local ------------------------------------------------------------


def test_the_national_part_is_the_core_indicators_and_the_pillars(reg):
    national = reg.indicators[reg.indicators["scope"] == "national"]
    assert set(reg.indicators["scope"]) == {"national", "local"}
    assert national["core"].all() and not reg.indicators.loc[~reg.indicators["core"]].empty
    assert (reg.indicators["scope"] == "national").eq(reg.indicators["core"]).all()
    assert set(reg.pillars["scope"]) == {"national"}
    on_disk = yaml.safe_load(
        (ProgrammeFolder.bundled().registry_dir / "national" / "indicators.yaml").read_text()
    )
    assert set(national["id"]) == {i["id"] for i in on_disk["indicators"]}
    # Local goals measure national indicators: the link lives in the local goals.yaml.
    assert set(reg.targets()["indicator"]) & set(national["id"])


def _add_local(registry_copy: Path, name: str, key: str, entry: dict) -> None:
    path = registry_copy / name
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {key: []}
    data[key].append(entry)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_local_file_may_not_redefine_a_national_id(registry_copy):
    national = yaml.safe_load((registry_copy / "national" / "indicators.yaml").read_text())
    first = dict(national["indicators"][0], label="Eigen versie", core=False)
    _add_local(registry_copy, "indicators.yaml", "indicators", first)
    _add_local(registry_copy, "pillars.yaml", "pillars", {"id": "wonen", "label": "W", "order": 9})
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    found = {(Path(f.file).name, f.column) for f in err.value.findings}
    assert found == {("indicators.yaml", "id"), ("pillars.yaml", "id")}
    for f in err.value.findings:
        assert "national" not in Path(f.file).parts  # the local file is named
        assert "landelijk vastgelegd in" in f.message and "national" in f.message
    assert any(f"indicator '{first['id']}'" in f.message for f in err.value.findings)


def test_core_indicators_live_only_in_the_national_part(registry_copy):
    def local_core(d):
        d["indicators"][0]["core"] = True

    def national_not_core(d):
        d["indicators"][1]["core"] = False

    _edit(registry_copy / "indicators.yaml", local_core)
    _edit(registry_copy / "national" / "indicators.yaml", national_not_core)
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    by_file = {Path(f.file).parent.name: f for f in err.value.findings}
    assert set(by_file) == {"registry", "national"}
    assert "alleen in" in by_file["registry"].message
    assert by_file["national"].message.startswith("indicator '")
    assert {f.column for f in err.value.findings} == {"core"}


def test_an_error_in_the_national_part_names_its_own_file_and_entry(registry_copy):
    def change(d):
        d["indicators"][2]["unit"] = "procent"

    _edit(registry_copy / "national" / "indicators.yaml", change)
    with pytest.raises(RegistryError) as err:
        load_registry(registry_copy)
    [finding] = err.value.findings
    assert Path(finding.file).parts[-2:] == ("national", "indicators.yaml")
    assert finding.message.startswith("indicator '") and "procent" in finding.message
    assert finding.column == "unit" and finding.char is not None  # at the value


def test_a_file_that_is_not_national_is_refused_in_the_national_folder(registry_copy):
    shutil.copy(registry_copy / "goals.yaml", registry_copy / "national" / "goals.yaml")
    with pytest.raises(RegistryError, match="hoort niet in het landelijke deel"):
        load_registry(registry_copy)


def test_a_programme_adds_its_own_unit_and_pillar_beside_the_national_ones(registry_copy):
    _add_local(registry_copy, "units.yaml", "units", {"id": "uren", "label": "uur", "kind": "rate"})
    _add_local(
        registry_copy, "pillars.yaml", "pillars", {"id": "cultuur", "label": "Cultuur", "order": 6}
    )
    reg = load_registry(registry_copy)
    assert reg.units["id"].iloc[-1] == "uren"
    assert dict(zip(reg.pillars["id"], reg.pillars["scope"], strict=True))["cultuur"] == "local"


def test_a_national_update_replaces_the_folder_and_leaves_local_files_alone(registry_copy):
    local = {p.name: p.read_bytes() for p in registry_copy.glob("*.yaml")}

    def update(d):  # a newer national part: a relabelled and an added core indicator
        d["indicators"][0]["label"] = "Leefbaarometer woningvoorraad (definitie 2027)"
        d["indicators"].append(
            {**d["indicators"][1], "id": "nieuwe-kernindicator", "label": "Nieuw"}
        )

    _edit(registry_copy / "national" / "indicators.yaml", update)
    reg = load_registry(registry_copy)
    assert {p.name: p.read_bytes() for p in registry_copy.glob("*.yaml")} == local
    labels = dict(zip(reg.indicators["id"], reg.indicators["label"], strict=True))
    assert labels["nieuwe-kernindicator"] == "Nieuw"
    assert labels["leefbaarometer-woningvoorraad"].endswith("(definitie 2027)")
    # A goal of the programme still measures the national indicators it measured.
    assert set(ProgrammeFolder.bundled().registry.targets()["indicator"]) == set(
        reg.targets()["indicator"]
    )


def test_a_registry_without_a_national_part_still_names_the_missing_file(tmp_path):
    shutil.copytree(
        ProgrammeFolder.bundled().registry_dir,
        tmp_path / "registry",
        ignore=shutil.ignore_patterns("national"),
    )
    with pytest.raises(RegistryError) as err:
        load_registry(tmp_path / "registry")
    missing = sorted(Path(f.file).name for f in err.value.findings)
    assert missing == ["pillars.yaml", "units.yaml"]
    assert all("ontbreekt" in f.message for f in err.value.findings)
