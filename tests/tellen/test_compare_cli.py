"""``npdw compare --national FILE`` as a user runs it, on a simulated national file.

The national file holds a simulated pool (:func:`~npdw_learning.tellen.comparison_sim.
simulate_panel`) and Dordt West's four wijken under the names ``cbs.yaml`` gives them,
found there exactly as in a real CBS file. An effect is planted in one wijk from the
start year on; the command must find it with the right direction (by the registry's
``higher_is_better``) and size, with both methods, and call the rest as the comparison.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from simulated_national import INDICATORS, PLANTED_SD
from simulated_national import national_file as _national_file

from npdw_learning.cli import main
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.national import read_national, write_national
from npdw_learning.tellen.national_run import COMPARISON_TABLES


def _compare(tmp_path: Path, national: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "vergelijking"
    code = main(["compare", "--national", str(national), "--out", str(out), *extra])
    return code, out


def test_a_planted_effect_is_found_with_its_direction_and_size_by_both_methods(tmp_path, capsys):
    code, out = _compare(tmp_path, _national_file(tmp_path))
    assert code == 0
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["method"]) == {"matched", "synthetic"}
    hib = ProgrammeFolder.bundled().registry.higher_is_better
    wielwijk = table[table["area"] == "wielwijk"]
    for row in wielwijk.itertuples():
        # Planted upwards: better where higher is better, worse where lower is.
        expected = "better_than_comparison" if hib[row.indicator] else "worse_than_comparison"
        assert row.verdict == expected, row
        assert row.effect_low <= PLANTED_SD <= row.effect_high, row  # noise sd is 1
        assert abs(row.effect - PLANTED_SD) < 1.5, row
    others = table[~table["area"].isin(["wielwijk", "dordt-west"])]
    called = others["verdict"].isin(["better_than_comparison", "worse_than_comparison"])
    assert called.sum() <= 1, others[called]  # 12 tests without an effect: at most a stray one
    assert (others["verdict"] != "insufficient_data").all()
    printed = capsys.readouterr().out
    assert "wielwijk / arbeidsparticipatie (matched): better_than_comparison" in printed


def test_it_writes_every_table_and_a_record_with_the_files_hash(tmp_path):
    national = _national_file(tmp_path, effect=0.0)
    code, out = _compare(tmp_path, national, "--method", "matched", "--year", "2026")
    assert code == 0
    for name, columns in COMPARISON_TABLES.items():
        assert list(pd.read_csv(out / f"{name}.csv").columns) == columns, name
    members = pd.read_csv(out / "comparison_members.csv")
    assert set(members["method"]) == {"matched"}
    # No region of Dordrecht (spill-over) or of an NPLV focus area is in a comparison.
    assert not members["region_code"].str.startswith("WK0505").any()
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))["national"]
    import hashlib

    assert record["sha256"] == hashlib.sha256(national.read_bytes()).hexdigest()
    assert record["synthetic"] is False and record["level"] == "wijk"
    assert record["pool_regions"] == 600


def test_a_later_year_is_left_out_with_year(tmp_path):
    code, out = _compare(
        tmp_path, _national_file(tmp_path), "--year", "2025", "--method", "matched"
    )
    assert code == 0
    paths = pd.read_csv(out / "comparison_paths.csv")
    assert paths["year"].max() == 2025
    assert set(pd.read_csv(out / "comparison.csv")["post_years"]) == {2}


def test_a_bad_national_file_is_refused_naming_row_and_column_and_nothing_is_written(
    tmp_path, capsys
):
    national = _national_file(tmp_path, suffix=".csv")
    lines = national.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(lines[0][len("region_code")])
    value_col = header.index("value")
    sep = lines[0][len("region_code")]
    cells = lines[5].split(sep)
    cells[value_col] = "veel"
    lines[5] = sep.join(cells)
    national.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _compare(tmp_path, national)
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("FOUT:") and "landelijk.csv" in err
    assert "value" in err and "6" in err  # the file's line 6: the fifth row under the header
    assert "Traceback" not in err
    assert not out.exists()


def test_a_file_without_the_programmes_wijken_is_refused(tmp_path, capsys):
    national = _national_file(tmp_path)
    frame = read_national(national)
    write_national(frame[frame["municipality_code"] != "GM0505"], national)
    code, out = _compare(tmp_path, national)
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("FOUT:") and "Oud-Krispijn" in err
    assert not out.exists()


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x.example")', "<script>x</script>"])
def test_a_hostile_region_name_stays_inert_in_the_members_table(tmp_path, hostile):
    national = _national_file(tmp_path, effect=0.0)
    frame = read_national(national)
    pool = frame["municipality_code"] != "GM0505"
    frame.loc[pool, "region_name"] = hostile + " " + frame.loc[pool, "region_code"]
    write_national(frame, national)
    code, out = _compare(tmp_path, national, "--method", "matched")
    assert code == 0
    members = pd.read_csv(out / "comparison_members.csv", dtype=str)
    assert len(members) == 5 * len(INDICATORS) * 20  # every member carries a hostile name
    expected = ("'" if hostile.startswith("=") else "") + hostile  # a formula is quoted
    assert (members["region_name"] == expected + " " + members["region_code"]).all()


def test_a_file_too_short_for_any_verdict_says_what_is_needed(tmp_path, capsys):
    national = _national_file(tmp_path)
    frame = read_national(national)
    write_national(frame[frame["year"] >= 2022], national)  # 2 years before the start
    code, out = _compare(tmp_path, national, "--method", "matched")
    assert code == 0
    assert set(pd.read_csv(out / "comparison.csv")["verdict"]) == {"insufficient_data"}
    printed = capsys.readouterr().out
    assert "WAARSCHUWING: geen enkele reeks te beoordelen" in printed
    assert "minstens 4 jaren vóór 2024" in printed and "2 jaar/jaren vóór de start" in printed
