"""``npdw evaluate --national FILE``: the comparison with comparable wijken in a whole run.

A bad or missing national file is refused before anything is written; a good one
(simulated, with Dordt West's wijken under their ``cbs.yaml`` names) is hashed in
the manifest, its tables are in ``tables/``, its verdicts open the status matrix and
the report has its chapter. The demo run without a national file uses the synthetic
demo panel, and says so.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from simulated_national import national_file as _national_file

from npdw_learning.tellen.national import read_national, write_national


def _refused(npdw_here, tmp_path: Path, national: Path) -> str:
    out = tmp_path / "outputs" / "2026"
    proc = npdw_here("evaluate", "--year", "2026", "--out", out, "--national", national, "--no-pdf")
    assert proc.returncode != 0
    assert proc.stderr.startswith("FOUT:") and "Traceback" not in proc.stderr
    assert not (tmp_path / "outputs").exists()
    return proc.stderr


def test_a_missing_national_file_is_a_fout_and_nothing_is_written(npdw_here, tmp_path):
    missing = tmp_path / "bestaat_niet.parquet"
    err = _refused(npdw_here, tmp_path, missing)
    assert f"{missing}: het landelijke bestand voor de vergelijking bestaat niet" in err


def test_a_national_file_with_a_bad_cell_is_refused_naming_row_and_column(npdw_here, tmp_path):
    national = _national_file(tmp_path)
    frame = read_national(national).astype({"year": object})
    frame.loc[3, "year"] = "twintig"
    frame.to_csv(national, index=False)
    err = _refused(npdw_here, tmp_path, national)
    assert "landelijk.csv" in err and "rij 5" in err and "'year'" in err


def test_a_national_file_without_the_programmes_wijken_is_refused(npdw_here, tmp_path):
    national = _national_file(tmp_path)
    frame = read_national(national)
    write_national(frame[frame["region_name"] != "Wielwijk"], national)
    assert "Wielwijk" in _refused(npdw_here, tmp_path, national)


@pytest.mark.slow
def test_evaluate_with_a_national_file_shows_the_comparison(npdw, tmp_path):
    national = _national_file(tmp_path)
    out = tmp_path / "uit"
    proc = npdw(
        "evaluate", "--year", "2026", "--demo", "--out", out, "--national", national, "--no-pdf"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"landelijke bestand {national.name}" in proc.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sha = hashlib.sha256(national.read_bytes()).hexdigest()
    assert manifest["national"]["sha256"] == sha and not manifest["national"]["synthetic"]
    assert sha in {i["sha256"] for i in manifest["inputs"]}
    assert "comparison" not in manifest["synthetic"]  # a real file: no synthetic panel
    table = pd.read_csv(out / "tables" / "comparison.csv")
    wielwijk = table[(table["area"] == "wielwijk") & (table["method"] == "matched")]
    assert set(wielwijk["verdict"]) <= {"better_than_comparison", "worse_than_comparison"}
    matrix = pd.read_csv(out / "tables" / "statusoverzicht.csv")
    cells = matrix[(matrix["area"] == "wielwijk") & matrix["indicator"].isin(wielwijk["indicator"])]
    assert (cells["reading"] == "comparison").all() and len(cells) == 2
    page = (out / "rapport.html").read_text(encoding="utf-8")
    assert "vergeleken met vergelijkbare wijken" in page.lower()
    assert list((out / "figures").glob("vergelijking_*.png"))
