"""Ctrl-C: one Dutch line, exit 130, the earlier output untouched, no build folder left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from npdw_learning import cli
from npdw_learning.kern.outdir import BUILD_PID, remove_stale_builds

NPDW = Path(sys.executable).with_name("npdw")


def test_ctrl_c_in_a_command_is_one_line_and_exit_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    from npdw_learning.tellen import cli as tellen_cli

    monkeypatch.setattr(tellen_cli, "cli_validate", interrupted)
    assert cli.main(["validate"]) == cli.EXIT_INTERRUPTED == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["Gestopt (Ctrl-C): npdw validate is afgebroken; er is niets veranderd."]


def test_interrupted_message_names_what_stopped_and_what_stayed(tmp_path):
    parser = cli.build_parser()
    args = parser.parse_args(["evaluate", "--year", "2026", "--out", str(tmp_path / "uit")])
    message = cli.interrupted_message(args)
    assert message.startswith("Gestopt (Ctrl-C): npdw evaluate:")
    assert f"de eerdere uitvoer in {tmp_path / 'uit'} is niet veranderd" in message
    args = parser.parse_args(["stories", "import", "x.csv"])
    assert "importeer opnieuw" in cli.interrupted_message(args)


def test_a_killed_runs_build_folder_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "2026"
    out.mkdir()
    (out / "rapport.html").write_text("oud", encoding="utf-8")
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / ".2026.bouw-dood"
    dead.mkdir()
    (dead / BUILD_PID).write_text(finished.stdout.strip(), encoding="ascii")
    no_pid = tmp_path / ".2026.bouw-zonderpid"
    no_pid.mkdir()
    other = tmp_path / ".2027.bouw-anderjaar"
    other.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = tmp_path / ".2026.bouw-loopt"
        busy.mkdir()
        (busy / BUILD_PID).write_text(str(sleeper.pid), encoding="ascii")
        removed = remove_stale_builds(out)
        assert sorted(p.name for p in removed) == [".2026.bouw-dood", ".2026.bouw-zonderpid"]
        assert busy.is_dir() and other.is_dir()
        assert (out / "rapport.html").read_text(encoding="utf-8") == "oud"
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.slow
def test_ctrl_c_during_evaluate_keeps_the_earlier_report(tmp_path, earlier_output):
    out = earlier_output(
        tmp_path / "uit", {"manifest.json": "{}", "rapport.html": "het rapport van vorig jaar"}
    )
    env = {**os.environ, "MPLBACKEND": "agg", "JUPYTER_PLATFORM_DIRS": "1"}
    proc = subprocess.Popen(
        [str(NPDW), "evaluate", "--year", "2026", "--demo", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 240
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("[1/"):
            break
        assert time.monotonic() < deadline, seen
    time.sleep(3)  # the first notebook's kernel is running (it takes about 20 s)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    rest, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (seen, rest, err)
    assert "Traceback" not in err and "Error" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [
        f"Gestopt (Ctrl-C): npdw evaluate: de evaluatie is afgebroken; de eerdere uitvoer in "
        f"{out} is niet veranderd."
    ]
    assert (out / "rapport.html").read_text(encoding="utf-8") == "het rapport van vorig jaar"
    assert not list(tmp_path.glob(".uit.bouw-*"))
    assert not (tmp_path / "uit.mislukt").exists()


def test_a_ctrl_c_that_a_library_swallows_still_stops_the_run(tmp_path, monkeypatch):
    """The kernel client waits inside asyncio, where a Ctrl-C can get lost: the run
    must stop before the next notebook all the same."""
    from contextlib import nullcontext

    from npdw_learning.evaluatie import runner

    ran = []

    def execute_and_swallow(spec, *args, **kwargs):
        ran.append(spec.file)
        try:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the notebook runs ...
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # ... caught and dropped by the library that was running

    monkeypatch.setattr(runner, "_execute", execute_and_swallow)
    monkeypatch.setattr(
        runner, "_kernels", lambda cwd, count, timeout=0: nullcontext([None] * count)
    )
    monkeypatch.setattr(runner, "_reset", lambda km, timeout: None)
    specs = runner.load_notebook_list()
    build = tmp_path / "bouw"
    build.mkdir()
    before = signal.getsignal(signal.SIGINT)  # a pytest-xdist worker ignores SIGINT
    with pytest.raises(KeyboardInterrupt):
        runner._run_notebooks(specs, runner.NOTEBOOKS_DIR, build, {}, 60, lambda m: None)
    # Only what could start at once (01, and 02 beside it, which reads nothing of 01) ran,
    # if that: the Ctrl-C may come before the second lane starts; nothing after them.
    at_once = [s.file for s in specs if not s.after]
    assert len(at_once) == 2 and ran and set(ran) <= set(at_once)
    assert signal.getsignal(signal.SIGINT) == before  # our handler is gone again
