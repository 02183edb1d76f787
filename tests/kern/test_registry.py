"""The programme registry: integrity of the bundled data and clear errors for bad YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from npdw_learning.kern.errors import RegistryError
from npdw_learning.kern.paths import MEASUREMENTS_DIR, REGISTRY_DIR
from npdw_learning.kern.registry import TARGET_TYPES, load_registry
from npdw_learning.tellen.measurements import read_measurement_file


@pytest.fixture(scope="module")
def reg():
    return load_registry()


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
    raw = pd.read_csv(MEASUREMENTS_DIR / "bijlage3.csv")
    assert set(raw["indicator"]) <= reg.indicator_ids
    assert set(raw["area"]) <= reg.area_ids
    # and every registered indicator has a baseline figure
    assert reg.indicator_ids == set(raw["indicator"])
    rows, findings = read_measurement_file(MEASUREMENTS_DIR / "bijlage3.csv", reg)
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
    shutil.copytree(REGISTRY_DIR, target)
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
    assert "operational_goals[0]" in text
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
