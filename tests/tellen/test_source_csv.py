"""``npdw fetch csv FILE``: a partner's long file, checked, written and registered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npdw_learning.cli import main
from npdw_learning.kern.atomic import read_csv

LINES = [
    "indicator,area,year,value,n,se,source,note",
    "ses-woa,dordrecht,2021,-0.06,,,GGD,",
    "ses-woa,dordrecht,2023,-0.05,,,GGD,",
    "ses-woa,dordrecht,2024,-0.04,,,GGD,=HYPERLINK(1)",
]


@pytest.fixture
def data(programme_copy) -> Path:
    return programme_copy()


def partner_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "ggd_levering.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_partner_file_is_written_under_its_name_and_registered(data, tmp_path, capsys):
    path = partner_file(tmp_path, LINES)
    argv = ["fetch", "csv", str(path), "--data", str(data), "--supplier", "GGD Proef"]
    assert main([*argv, "--from", "2022"]) == 0
    out = data / "measurements" / "ggd_levering.csv"
    written = read_csv(out)
    assert written["year"].tolist() == [2023, 2024]  # --from 2022 leaves 2021 out
    assert "'=HYPERLINK(1)" in out.read_text(encoding="utf-8")
    register = (data / "measurements" / "deliveries.yaml").read_text(encoding="utf-8")
    assert "file: ggd_levering.csv" in register and "supplier: GGD Proef" in register
    manifest = json.loads(out.with_name("ggd_levering.manifest.json").read_text("utf-8"))
    assert manifest["command"] == "npdw fetch csv" and manifest["input"]["file"] == str(path)
    assert "3 cijfers; 2 in de gevraagde jaren" in capsys.readouterr().out
    assert main(["validate", "--data", str(data)]) == 0


def test_an_error_in_the_partner_file_writes_nothing(data, tmp_path, capsys):
    before = sorted(p.name for p in (data / "measurements").iterdir())
    path = partner_file(tmp_path, [*LINES, "ses-woa,dordrecht,2025,veel,,,GGD,"])
    assert main(["fetch", "csv", str(path), "--data", str(data), "--supplier", "GGD"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"FOUT: {path}: 1 fout(en); er is niets geschreven")
    assert "rij 5" in err and "value" in err and "Traceback" not in err
    assert sorted(p.name for p in (data / "measurements").iterdir()) == before
