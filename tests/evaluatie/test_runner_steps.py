"""The named steps of ``evaluate``: the build folder, the parameters, the manifest, a failure."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat

import pytest

from npdw_learning.evaluatie import manifest as manifest_module
from npdw_learning.evaluatie import runner
from npdw_learning.evaluatie.preflight import check_inputs
from npdw_learning.evaluatie.steps import Run
from npdw_learning.kern import errors
from npdw_learning.kern.paths import PROJ_ROOT
from npdw_learning.kern.synthetic import DataOrigin


def test_evaluation_error_lives_with_the_other_errors_and_is_not_an_input_error():
    assert runner.EvaluationError is errors.EvaluationError
    assert "EvaluationError" in errors.__all__ and "EvaluationError" in runner.__all__
    assert not issubclass(errors.EvaluationError, errors.InputError)


def test_make_build_dir_next_to_out_with_pid_and_plain_mode(tmp_path):
    from npdw_learning.kern.outdir import BUILD_MARK, new_build

    out = tmp_path / "outputs" / "2026"
    stale = tmp_path / "outputs" / f".2026{BUILD_MARK}oud"
    stale.mkdir(parents=True)
    (stale / runner.BUILD_PID).write_text("999999999", encoding="ascii")  # no such process
    build = new_build(out)
    assert build.parent == out.parent and build.name.startswith(f".2026{BUILD_MARK}")
    assert (build / runner.BUILD_PID).read_text(encoding="ascii") == str(os.getpid())
    assert not stale.exists()  # a killed run's build folder is removed first
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(build.stat().st_mode) == 0o777 & ~umask
    assert not out.exists()  # only the build folder is made


def test_notebook_parameters_are_absolute_and_point_into_the_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "verhalen").mkdir()
    run = Run.from_parameters(2024, None, "verhalen", tmp_path / "uit", ["wielwijk"], False)
    params = runner._notebook_parameters(run, tmp_path / "bouw")
    assert params == {
        "year": 2024,
        "data_dir": str(run.data_dir.resolve()),
        "stories_dir": str(tmp_path / "verhalen"),
        "out_dir": str(tmp_path / "bouw"),
        "areas": ["wielwijk"],
        "demo": False,
        "previous": None,
        "national": None,
    }
    json.dumps(params)
    (tmp_path / "landelijk.csv").write_text("", encoding="utf-8")
    given = Run.from_parameters(
        2024, None, "verhalen", tmp_path / "uit", ["wielwijk"], False, None, "landelijk.csv"
    )
    assert runner._notebook_parameters(given, tmp_path / "bouw")["national"] == str(
        tmp_path / "landelijk.csv"
    )  # papermill hands them over as JSON


def test_finish_manifest_stamps_end_and_duration(tmp_path):
    manifest = {"year": 2026, "started": "2026-01-01T00:00:00+00:00"}
    manifest_module.finish_manifest(tmp_path, manifest, seconds=12.345)
    written = json.loads((tmp_path / manifest_module.MANIFEST).read_text(encoding="utf-8"))
    assert written == manifest
    assert written["seconds"] == 12.3
    assert written["finished"] >= written["started"] and written["finished"].endswith("+00:00")


def test_keep_failed_build_replaces_an_earlier_failure(tmp_path, earlier_output):
    out = tmp_path / "2026"
    earlier = earlier_output(tmp_path / "2026.mislukt", {"oud.txt": "x"})
    build = tmp_path / ".2026.bouw-x"
    (build / "notebooks").mkdir(parents=True)
    (build / runner.BUILD_PID).write_text("1", encoding="ascii")
    (build / "notebooks" / "01.ipynb").write_text("{}", encoding="utf-8")
    assert runner._keep_failed_build(build, out) == earlier
    assert not build.exists()
    assert sorted(p.name for p in earlier.rglob("*")) == [
        ".npdw-uitvoer.json",
        "01.ipynb",
        "notebooks",
    ]


def test_keep_failed_build_leaves_a_folder_npdw_did_not_write(tmp_path):
    mine = tmp_path / "2026.mislukt"
    mine.mkdir()
    (mine / "aantekeningen.txt").write_text("van mij", encoding="utf-8")
    build = tmp_path / ".2026.bouw-z"
    (build / "notebooks").mkdir(parents=True)
    (build / "notebooks" / "01.ipynb").write_text("{}", encoding="utf-8")
    assert runner._keep_failed_build(build, tmp_path / "2026") == build
    assert (mine / "aantekeningen.txt").read_text(encoding="utf-8") == "van mij"
    assert (build / "notebooks" / "01.ipynb").exists()


def test_keep_failed_build_without_a_pid_file(tmp_path):
    build = tmp_path / ".2026.bouw-y"
    build.mkdir()
    failed = runner._keep_failed_build(build, tmp_path / "2026")
    assert failed.is_dir() and [p.name for p in failed.iterdir()] == [".npdw-uitvoer.json"]


def test_the_evaluate_command_catches_the_same_error_type():
    from npdw_learning.evaluatie import cli

    assert cli.EvaluationError is errors.EvaluationError


@pytest.mark.parametrize(("flag", "pdf"), [((), True), (("--no-pdf",), False)])
def test_no_pdf_flag_reaches_the_run(monkeypatch, tmp_path, capsys, flag, pdf):
    from npdw_learning import cli
    from npdw_learning.evaluatie import cli as evaluatie_cli

    seen = {}

    def fake_evaluate(year, **kwargs):
        seen.update(kwargs)
        kwargs["out_dir"].mkdir(parents=True)
        (kwargs["out_dir"] / "manifest.json").write_text('{"synthetic": []}', encoding="utf-8")
        return kwargs["out_dir"] / "rapport.html"

    monkeypatch.setattr(evaluatie_cli, "evaluate", fake_evaluate)
    out = tmp_path / "2026"
    assert cli.main(["evaluate", "--year", "2026", "--out", str(out), *flag]) == 0
    assert seen["pdf"] is pdf
    assert f"Het rapport staat in {out / 'rapport.html'}" in capsys.readouterr().out


def test_the_evaluate_command_prints_the_banner_of_the_report(monkeypatch, tmp_path, capsys):
    """What the console says after the run is the report's banner, from the manifest."""
    from npdw_learning import cli
    from npdw_learning.evaluatie import cli as evaluatie_cli

    banner = DataOrigin(False, 3, 2).banner()

    def fake_evaluate(year, **kwargs):
        kwargs["out_dir"].mkdir(parents=True)
        manifest = {"synthetic": ["stories"], "banner": banner}
        (kwargs["out_dir"] / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return kwargs["out_dir"] / "rapport.html"

    monkeypatch.setattr(evaluatie_cli, "evaluate", fake_evaluate)
    assert cli.main(["evaluate", "--year", "2026", "--out", str(tmp_path / "2026")]) == 0
    out = capsys.readouterr().out
    assert banner in out and "3 van de 5 verhalen" in out and "2 geïmporteerde verhalen" in out


def test_preflight_counts_invented_and_imported_stories_of_the_chosen_areas(tmp_path):
    """The intern's case: real stories imported next to the invented ones."""
    stories = tmp_path / "verhalen"
    shutil.copytree(PROJ_ROOT / "stories", stories)
    made_real = 0
    for path in sorted(stories.glob("vt-*.md"))[:15]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nsynthetic: true\n", "\n", 1), encoding="utf-8")
        made_real += "\narea: wielwijk\n" in text
    run = Run.from_parameters(2026, None, stories, tmp_path / "uit", ["wielwijk"], True)
    origin = check_inputs(run)
    in_wielwijk = [p for p in stories.glob("vt-*.md") if "area: wielwijk\n" in p.read_text("utf-8")]
    assert origin.real_stories == made_real > 0
    assert origin.synthetic_stories == len(in_wielwijk) - made_real
    assert origin.demo_series and origin.parts == ["measurements", "stories", "comparison"]
    assert "de vergelijkingswijken uit het hele land (een synthetisch demopanel)" in origin.banner()
    assert f"{origin.real_stories} geïmporteerde verhalen" in origin.banner()
    without = check_inputs(Run.from_parameters(2026, None, stories, None, ["wielwijk"], False))
    assert not without.demo_series and "alle cijfers (uit data/measurements/)" in without.banner()


def test_the_same_inputs_elsewhere_give_the_same_manifest_names_and_fingerprint(tmp_path):
    """Two copies of a programme (its folders named otherwise than data/ and stories/) in
    different places: the manifest names each input after its folder, so the report's
    reproducibility paragraph, fingerprint included, is the same text."""
    started = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    summaries, names = [], []
    for place in ("hier", "daar/dieper"):
        root = tmp_path / place
        shutil.copytree(PROJ_ROOT / "data", root / "programma")
        shutil.copytree(PROJ_ROOT / "stories", root / "programma" / "verhalen")
        shutil.copytree(runner.NOTEBOOKS_DIR, root / "nb")
        run = Run.from_parameters(2026, root / "programma", root / "programma" / "verhalen")
        inputs = runner.input_files(run, root / "nb")
        params = {"year": 2026, "areas": run.areas, "demo": True}
        origin = DataOrigin(True, 60, 0)
        manifest = manifest_module.build_manifest(
            run, root, params, origin, started, [], inputs, root / "nb"
        )
        names.append([i["path"] for i in manifest["inputs"]])
        summaries.append(manifest_module.manifest_summary(manifest))
    assert names[0] == names[1]
    assert {"data/measurements/bijlage3.csv", "stories/msc.yaml", "notebooks/01_tellen.ipynb"} <= {
        *names[0]
    }
    assert summaries[0] == summaries[1] and "vingerafdruk" in summaries[0][0]


def test_an_input_outside_the_run_folders_keeps_its_absolute_path(tmp_path):
    elsewhere = tmp_path / "los.csv"
    roots = {"data": tmp_path / "data"}
    assert manifest_module.shown_path(elsewhere, roots) == str(elsewhere.resolve())
