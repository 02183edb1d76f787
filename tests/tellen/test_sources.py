"""The sources of ``npdw fetch``: the registry, and what ``npdw fetch`` does for every source.

A source only returns figures (:mod:`npdw_learning.tellen.sources`); checking,
writing, the manifest, the delivery register and the report of replaced values
are the command's, the same for each source. These tests run them with a made-up
source (``proef``) put in the registry for the test, and check every registered
source's place in the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from npdw_learning.cli import interrupted_message, main
from npdw_learning.kern.atomic import read_csv
from npdw_learning.kern.errors import InputError
from npdw_learning.tellen import sources
from npdw_learning.tellen.measurements import MEASUREMENT_COLUMNS
from npdw_learning.tellen.sources import Fetched, IndicatorSource, indicator_sources

NAMES = sorted(indicator_sources())


@pytest.fixture
def data(programme_copy) -> Path:
    return programme_copy()


def _frame(value: float = 5.5) -> pd.DataFrame:
    rows = [
        ("ses-woa", "dordrecht", 2023, value, None, None, "proef", "=SUM(A1)"),
        ("ses-woa", "dordrecht", 2024, value + 0.5, None, None, "proef", ""),
    ]
    return pd.DataFrame(rows, columns=MEASUREMENT_COLUMNS)


@pytest.fixture
def proef(monkeypatch):
    """A made-up source in the registry; ``proef.answer`` is what its fetch does."""
    seen = {}

    def fetch(request):
        seen["request"] = request
        request.say("Ophalen: proef ...")
        return seen["answer"](request)

    def add_arguments(parser):
        parser.add_argument("--sleutel", dest="proef_sleutel", default="geen")

    source = IndicatorSource(
        name="proef",
        label="Proef",
        help="een proefbron",
        description="Een bron voor de tests.",
        default_file="proef.csv",
        supplier="Proefleverancier",
        fetch=fetch,
        add_arguments=add_arguments,
    )
    registry = {**indicator_sources(), "proef": source}
    monkeypatch.setattr(sources, "indicator_sources", lambda: registry)
    seen["answer"] = lambda request: Fetched(_frame(), {"bron": "proef"}, [], ["Een notitie."])
    return seen


@pytest.mark.parametrize("name", NAMES)
def test_every_source_is_offered_with_the_common_options(name, capsys):
    with pytest.raises(SystemExit) as info:
        main(["fetch", name, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    for option in ("--from", "--to", "--out", "--offline", "--data"):
        assert option in out
    source = indicator_sources()[name]
    assert source.help and source.description and source.label and source.supplier
    if isinstance(source.default_file, str):
        assert source.default_file in out


def test_a_fetch_writes_the_file_its_manifest_and_the_register(data, proef, capsys):
    assert main(["fetch", "proef", "--data", str(data), "--sleutel", "abc", "--from", "2023"]) == 0
    out = data / "measurements" / "proef.csv"
    written = read_csv(out)
    assert list(written.columns) == MEASUREMENT_COLUMNS and len(written) == 2
    assert "'=SUM(A1)" in out.read_text(encoding="utf-8")  # text from outside stays inert
    request = proef["request"]
    assert (request.first, request.last, request.offline) == (2023, None, None)
    assert request.options == {"proef_sleutel": "abc"} and request.out == out
    manifest = json.loads((data / "measurements" / "proef.manifest.json").read_text("utf-8"))
    assert manifest["command"] == "npdw fetch proef" and manifest["bron"] == "proef"
    assert manifest["output"]["rows"] == 2 and manifest["mode"] == "online"
    register = (data / "measurements" / "deliveries.yaml").read_text(encoding="utf-8")
    assert "file: proef.csv" in register and "Proefleverancier" in register
    printed = capsys.readouterr().out
    assert "Ophalen: proef ..." in printed and "Een notitie." in printed
    assert "2 cijfers, 2 jaren 2023-2024, 1 indicatoren" in printed
    # Again, with a revised figure: the command says what the source changed.
    proef["answer"] = lambda request: Fetched(_frame(6.0))
    assert main(["fetch", "proef", "--data", str(data)]) == 0
    printed = capsys.readouterr().out
    assert "Door Proef herzien sinds de vorige keer ophalen (2):" in printed
    assert "  ses-woa, dordrecht, 2023: 5.5 -> 6" in printed


def test_a_source_error_writes_nothing_and_says_fout(data, proef, capsys):
    before = sorted(p.name for p in (data / "measurements").iterdir())

    def refuse(request):
        raise InputError("proefbestand.csv, rij 3, kolom value: 'veel' is geen getal")

    proef["answer"] = refuse
    assert main(["fetch", "proef", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("FOUT: proefbestand.csv, rij 3, kolom value") and "Traceback" not in err
    assert sorted(p.name for p in (data / "measurements").iterdir()) == before


def test_figures_that_break_the_rules_or_are_none_are_not_written(data, proef, capsys):
    before = sorted(p.name for p in (data / "measurements").iterdir())
    unknown = _frame().assign(indicator="bestaat-niet")
    proef["answer"] = lambda request: Fetched(unknown)
    assert main(["fetch", "proef", "--data", str(data)]) == 1
    assert "De opgehaalde cijfers breken de regels" in capsys.readouterr().err
    proef["answer"] = lambda request: Fetched(_frame().iloc[0:0])
    assert main(["fetch", "proef", "--data", str(data)]) == 1
    assert "geen enkel cijfer gevonden" in capsys.readouterr().err
    assert sorted(p.name for p in (data / "measurements").iterdir()) == before


def test_a_fetch_outside_measurements_leaves_the_register_alone(data, proef, tmp_path, capsys):
    register = (data / "measurements" / "deliveries.yaml").read_bytes()
    out = tmp_path / "elders.csv"
    assert main(["fetch", "proef", "--data", str(data), "--out", str(out)]) == 0
    assert out.exists() and (data / "measurements" / "deliveries.yaml").read_bytes() == register
    assert f"--measurements {out}" in capsys.readouterr().out


def test_every_source_shares_the_ctrl_c_line():
    import argparse

    for name in NAMES:
        message = interrupted_message(argparse.Namespace(command="fetch", fetch_command=name))
        assert "het meetbestand en het leveringsregister zijn heel" in message


def test_a_source_is_refused_with_a_bad_name_or_file():
    common = dict(label="X", help="h", description="d", supplier="s", fetch=lambda r: r)
    with pytest.raises(ValueError, match="lowercase"):
        IndicatorSource(name="Mijn Bron", default_file="x.csv", **common)
    with pytest.raises(ValueError, match=r"\.csv"):
        IndicatorSource(name="mijn", default_file="x.xlsx", **common)


def test_a_source_may_name_the_file_by_its_options_and_the_supplier_by_what_it_read(
    data, proef, monkeypatch
):
    import dataclasses

    registry = dict(sources.indicator_sources())
    registry["proef"] = dataclasses.replace(
        registry["proef"], default_file=lambda options: f"proef_{options['proef_sleutel']}.csv"
    )
    monkeypatch.setattr(sources, "indicator_sources", lambda: registry)
    proef["answer"] = lambda request: Fetched(_frame(), supplier="Partner X")
    assert main(["fetch", "proef", "--data", str(data), "--sleutel", "ggd"]) == 0
    assert (data / "measurements" / "proef_ggd.csv").exists()
    register = (data / "measurements" / "deliveries.yaml").read_text(encoding="utf-8")
    assert "file: proef_ggd.csv" in register and "Partner X" in register
    assert "Proefleverancier" not in register
