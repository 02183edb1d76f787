"""The run's comparison: the synthetic demo panel and what the aggregate is compared on."""

from __future__ import annotations

import pandas as pd
import pytest

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.measurements import measurements_in
from npdw_learning.tellen.national_run import (
    DEMO_FILE,
    DEMO_NAME,
    DEMO_POOL_REGIONS,
    demo_national,
    national_comparison,
    national_file_for,
    run_comparison,
)


@pytest.fixture(scope="module")
def demo():
    folder = ProgrammeFolder.bundled()
    measurements = measurements_in(folder, demo=True, until_year=2026).measurements
    return folder, measurements, demo_national(folder, measurements)


def test_the_demo_panel_carries_the_demo_series_of_the_programme_wijken(demo):
    folder, measurements, panel = demo
    own = panel[panel["municipality_code"] == "GM0505"]
    assert sorted(own["region_name"].unique()) == sorted(
        ["Oud-Krispijn", "Nieuw-Krispijn", "Wielwijk", "Crabbehof"]
    )
    wielwijk = own[(own["region_name"] == "Wielwijk") & (own["indicator"] == "woz-waarde")]
    series = measurements[
        (measurements["area"] == "wielwijk") & (measurements["indicator"] == "woz-waarde")
    ]
    merged = wielwijk.merge(series, on="year", suffixes=("", "_demo"))
    assert len(merged) == len(series) > 4
    assert (merged["value"] == merged["value_demo"]).all()


def test_every_other_region_of_the_demo_panel_says_it_is_synthetic(demo):
    _, _, panel = demo
    pool = panel[panel["municipality_code"] != "GM0505"]
    assert pool["region_code"].nunique() == DEMO_POOL_REGIONS
    assert pool["region_name"].str.startswith(DEMO_NAME + " ").all()


def test_the_demo_panel_is_the_same_every_run(demo):
    folder, measurements, panel = demo
    assert demo_national(folder, measurements).equals(panel)


def test_the_demo_comparison_is_marked_synthetic_and_leaves_out_summed_counts(demo):
    folder, measurements, panel = demo
    compared = run_comparison(
        folder, None, demo=True, measurements=measurements, until_year=2026, say=lambda s: None
    )
    assert compared.synthetic and compared.record["file"] == DEMO_FILE
    assert compared.record["sha256"] is None
    table = compared.result.comparison
    counts = compared.record["left_out"]["aggregate_counts"]
    assert "woningvoorraad-koop" in counts  # a count: the aggregate is a sum of four wijken
    agg = table[table["area"] == "dordt-west"]
    assert not agg["indicator"].isin(counts).any()
    assert table[table["area"] == "wielwijk"]["indicator"].isin(counts).any()
    assert set(agg["indicator"]) == set(table["indicator"]) - set(counts)


def test_without_a_national_file_or_demo_series_there_is_no_comparison(demo):
    folder, measurements, _ = demo
    assert (
        run_comparison(folder, None, demo=False, measurements=measurements, until_year=2026) is None
    )


def test_the_national_file_is_the_given_one_else_the_one_cbs_yaml_names(programme_copy):
    data = programme_copy()
    folder = ProgrammeFolder(data)
    assert national_file_for(folder, None) is None
    assert national_file_for(folder, "x.parquet").name == "x.parquet"
    cbs = folder.cbs_mapping_file
    cbs.write_text(
        cbs.read_text(encoding="utf-8") + "\nnational_file: landelijk/wijken.parquet\n",
        encoding="utf-8",
    )
    folder = ProgrammeFolder(data)
    assert national_file_for(folder, None) == data / "landelijk" / "wijken.parquet"


def test_a_later_year_never_enters_the_comparison(demo):
    folder, _, panel = demo
    compared = national_comparison(
        folder, panel, file="x", sha256="0", until_year=2025, say=lambda s: None
    )
    assert compared.result.paths["year"].max() == 2025
    assert isinstance(compared.ranking, pd.DataFrame)


def test_a_national_file_in_cbs_yaml_that_is_no_name_is_an_error_naming_file_and_line(
    programme_copy,
):
    from npdw_learning.tellen.cbs import CbsError

    data = programme_copy()
    folder = ProgrammeFolder(data)
    cbs = folder.cbs_mapping_file
    cbs.write_text(cbs.read_text(encoding="utf-8") + "\nnational_file: [1, 2]\n", "utf-8")
    with pytest.raises(CbsError) as caught:
        national_file_for(ProgrammeFolder(data), None)
    (finding,) = caught.value.findings
    assert finding.file.endswith("cbs.yaml") and finding.row is not None
    assert "national_file" in finding.message
