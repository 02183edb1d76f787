"""The ``npdw`` command as a user runs it: exit codes, messages, files written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from npdw_learning.cli import main
from npdw_learning.tellen.progress import PROGRESS_COLUMNS, STATUSES
from npdw_learning.tellen.trends import TREND_COLUMNS, VERDICTS

DATA = Path(__file__).parent / "data"


def test_indicators_prints_registry_csv(capsys):
    assert main(["indicators"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0]
    assert header == "id,label,pillar,unit,higher_is_better,source,core,goals,scope"
    assert "\nstress," in out


def test_validate_bundled_lists_disagreements_as_warnings_and_exits_0(npdw, tmp_path):
    proc = npdw("validate", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WAARSCHUWING" in proc.stdout and "spreken elkaar tegen" in proc.stdout
    dq = pd.read_csv(tmp_path / "data_quality.csv")
    assert list(dq.columns) == [
        "severity",
        "file",
        "row",
        "column",
        "indicator",
        "area",
        "year",
        "message",
    ]
    assert set(dq["severity"]) == {"warning"}
    assert dq["message"].str.contains("spreken elkaar tegen").sum() >= 20


@pytest.mark.parametrize(
    ("name", "row", "column"),
    [
        ("fout_tekstwaarde.csv", 3, "value"),
        ("fout_onbekend_gebied.csv", 2, "area"),
        ("fout_percentage_140.csv", 3, "value"),
    ],
)
def test_bad_file_clear_error_exit_1_no_traceback(npdw, tmp_path, name, row, column):
    proc = npdw("validate", "--measurements", str(DATA / name), "--out", str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("FOUT"))
    assert name in line and f"rij {row}" in line and f"kolom '{column}'" in line
    dq = pd.read_csv(tmp_path / "data_quality.csv")
    err = dq[dq["severity"] == "error"]
    assert list(zip(err["row"], err["column"], strict=True)) == [(row, column)]


def test_trends_refuses_bad_input_and_writes_nothing(npdw, tmp_path):
    out = tmp_path / "out"
    proc = npdw(
        "trends", "--measurements", str(DATA / "fout_percentage_140.csv"), "--out", str(out)
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "niets geschreven" in proc.stdout
    assert not out.exists()


def test_semicolon_excel_delivery_loads(npdw, tmp_path):
    proc = npdw("validate", "--measurements", str(DATA / "levering_excel_nl.csv"))
    assert proc.returncode == 0, proc.stdout


def test_broken_registry_is_an_input_error(npdw, tmp_path):
    (tmp_path / "registry").mkdir()
    proc = npdw("indicators", "--data", str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "units.yaml" in proc.stderr and "ontbreekt" in proc.stderr


def test_unwritable_output_is_an_input_error(npdw, tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    proc = npdw("validate", "--out", str(blocker / "sub"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("command", "year", "range_"),
    [
        (("trends", "--demo"), 1900, "de metingen lopen van 2015 tot en met 2026; kies een jaar "),
        (("trends", "--demo"), 2028, "van 2015 tot en met 2027"),
        (("trends",), 2026, "de metingen lopen van 2018 tot en met 2023; kies een jaar van 2018 "),
        (("evaluate", "--demo"), 1900, "en de verhalen lopen van 2024 tot en met 2026; kies "),
        (("evaluate",), 2030, "kies een jaar van 2018 tot en met 2027"),
    ],
)
def test_a_year_outside_the_data_is_an_error_and_writes_nothing(
    npdw_here, tmp_path, command, year, range_
):
    """`--year 1900` gave empty tables and exit 0; now the range of the data is named."""
    out = tmp_path / "uit"
    proc = npdw_here(*command, "--year", str(year), "--out", out)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"FOUT: jaar {year} ligt buiten de gegevens: ")
    assert range_ in proc.stderr
    assert not out.exists()


DEMO_ARGS = ("trends", "--demo", "--year", "2026")


@pytest.fixture(scope="module")
def correction(tmp_path_factory):
    extra = tmp_path_factory.mktemp("extra") / "correctie.csv"
    extra.write_text("indicator,area,year,value\nstress,wielwijk,2022,24.5\n")
    return extra


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, correction, npdw):
    out = tmp_path_factory.mktemp("run")
    proc = npdw(*DEMO_ARGS, "--measurements", str(correction), "--out", str(out))
    return proc, out


def test_trends_demo_writes_tables_and_figures(demo_run):
    proc, out = demo_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    trends = pd.read_csv(out / "trends.csv")
    progress = pd.read_csv(out / "progress.csv")
    assert list(trends.columns) == TREND_COLUMNS
    assert list(progress.columns) == PROGRESS_COLUMNS
    assert set(trends["verdict"]) <= set(VERDICTS)
    assert set(progress["status"]) <= set(STATUSES)
    # the demo shows every verdict, and more than one progress status
    assert set(trends["verdict"]) == set(VERDICTS)
    assert progress["status"].nunique() >= 4
    assert "dordt-west" in set(trends["area"])
    pngs = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert pngs == [
        f"tellen_{p}.png" for p in sorted(["wonen", "gezond", "leren", "werk", "veilig"])
    ]


def test_trends_demo_says_synthetic_everywhere(demo_run):
    proc, out = demo_run
    assert "SYNTHETISCHE DEMODATA" in proc.stdout
    assert (out / "LET_OP_SYNTHETISCHE_DEMODATA.txt").exists()
    assert json.loads((out / "run.json").read_text())["synthetic"] is True


def test_trends_says_which_value_a_later_file_replaced(demo_run):
    proc, _ = demo_run
    line = next(ln for ln in proc.stdout.splitlines() if "stress, wielwijk, 2022" in ln)
    assert "25 uit" in line and "correctie.csv" in line and "Vervangen waarden (1)" in proc.stdout


def test_trends_real_data_only_is_not_marked_synthetic(npdw, tmp_path):
    proc = npdw("trends", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SYNTHETISCHE" not in proc.stdout
    assert not (tmp_path / "LET_OP_SYNTHETISCHE_DEMODATA.txt").exists()
    trends = pd.read_csv(tmp_path / "trends.csv")
    # one baseline year: nothing can be tested, and the table says so
    assert set(trends["verdict"]) == {"insufficient_data"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["stories", "import"], "FOUT: npdw stories import: verplicht, maar niet gegeven: FILE"),
        (["evaluate", "--year", "x"], "FOUT: npdw evaluate: --year: 'x' is geen geheel getal"),
        (["indicators", "--foo"], "FOUT: npdw: onbekende optie of waarde: --foo"),
        (["fetch", "xyz"], "FOUT: npdw fetch: BRON: 'xyz' is geen keuze; kies uit 'cbs'"),
        (["evaluate", "--year"], "FOUT: npdw evaluate: --year vraagt één waarde"),
    ],
)
def test_argument_errors_speak_dutch_like_every_other_message(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert err.splitlines()[-1].startswith(message), err
    assert "error:" not in err and "usage:" not in err and err.startswith("gebruik: npdw")


# -- one name per concept ----------------------------------------------------------------


def _options(parser, path=()):
    """Every (command path, action) of the parser tree, subcommands included."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, (*path, name))
        elif action.option_strings:
            yield path, action


def test_one_option_name_per_concept():
    """The same destination is always spelled by the same option, in English."""
    from npdw_learning.cli import OLD_OPTION_NAMES, build_parser

    first_name: dict[str, tuple[str, tuple]] = {}
    for path, action in _options(build_parser()):
        long_names = [o for o in action.option_strings if o.startswith("--")]
        if not long_names or action.dest in {"help", "version"}:
            continue
        primary, aliases = long_names[0], long_names[1:]
        seen = first_name.setdefault(action.dest, (primary, path))
        assert seen[0] == primary, (action.dest, seen, (primary, path))
        assert primary not in OLD_OPTION_NAMES, (path, primary)
        for alias in aliases:
            assert OLD_OPTION_NAMES.get(alias) == primary, (path, alias)


@pytest.mark.parametrize(
    "old, new",
    [
        (
            ["init", "x", "--naam", "P Z", "--korte-naam", "PZ", "--wijken", "a=A", "b=B"]
            + ["--referentie", "h=H", "--aggregaat", "t=T"],
            ["init", "x", "--name", "P Z", "--short-name", "PZ", "--areas", "a=A", "b=B"]
            + ["--reference", "h=H", "--aggregate", "t=T"],
        ),
        (
            ["wijkbericht", "--year", "2026", "--wijk", "wielwijk"],
            ["wijkbericht", "--year", "2026", "--area", "wielwijk"],
        ),
    ],
)
def test_old_option_names_still_work_as_aliases(old, new):
    from npdw_learning.cli import build_parser

    parser = build_parser()
    assert vars(parser.parse_args(old)) == vars(parser.parse_args(new))
