"""Hostile and careless input against every command that reads it, under a memory watch.

Each case builds its input at test time (small on disk: the bombs are deflate
streams and sparse files), runs the command in a fresh process as a user
would, and checks what issue 19 asks of it: the command ends within its time
limit, its peak memory stays under the ceiling, it exits 1 with one line that
names the input and no traceback, and no file in the workspace (programme
folder, stories, the user's own folders) changed.

The memory of the process is its peak resident set (``ru_maxrss`` of
``wait4``); an address-space limit of 4 GiB is a safety net, so a regression
fails here instead of taking the machine (the alias bomb once reached 16 GB).
The time limit is a guard against a hang (the bombs ran for minutes, the FIFO
for ever), not a speed test: ``benchmarks/bench_hostile.py`` prints how long
each case takes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_files import (
    alias_bomb,
    fifo,
    qdpx_lying,
    sparse_file,
    thesis,
    web_app,
    xlsx_cell_bomb,
    xlsx_whitespace_bomb,
)

from npdw_learning.kern.paths import DATA_DIR, PROJ_ROOT

STORIES = PROJ_ROOT / "stories"
MB = 1_000_000
CEILING = 1_000 * MB  # peak resident memory of one command
YAML_CEILING = 300 * MB
SAFETY_NET = 4 * 2**30  # address space: a runaway case fails instead of eating the machine


@dataclass(frozen=True)
class Watched:
    code: int
    out: str
    err: str
    seconds: float
    peak: int  # bytes


# A small launcher forks the command and reports its peak memory. A process's ru_maxrss
# starts at the memory of whatever it was forked (or vforked) from: straight from a
# pytest worker of 400 MB, `npdw --version` would "take" 400 MB. Forked from the fresh
# launcher, the command starts from a few MB; the address-space limit is set in it too.
_LAUNCHER = """
import os, resource, sys
limit, report = int(sys.argv[1]), int(sys.argv[2])
pid = os.fork()
if pid == 0:
    os.close(report)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, "-m", "npdw_learning.cli", *sys.argv[3:]])
_, status, usage = os.wait4(pid, 0)
os.write(report, str(usage.ru_maxrss * 1024).encode())
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_watched(*args: str | Path, timeout: float = 30, cwd: Path | None = None) -> Watched:
    """``npdw *args`` in a fresh process; its exit code, output, wall time and peak memory."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "MPLBACKEND": "agg",
        "JUPYTER_PLATFORM_DIRS": "1",
        **{k: v for k, v in os.environ.items() if k.startswith("FONTCONFIG")},
    }
    read, write = os.pipe()
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, str(SAFETY_NET), str(write), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=cwd,
        pass_fds=(write,),
        start_new_session=True,  # on a timeout the whole group goes, the command too
    )
    os.close(write)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    seconds = time.monotonic() - start
    with os.fdopen(read, "rb") as fh:
        peak = int(fh.read() or 0)
    return Watched(proc.returncode, out, err, seconds, peak)


def snapshot(*folders: Path) -> dict[str, str]:
    """Every entry below ``folders``: a file's SHA-256, a link's target, a folder's name."""
    seen = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                seen[str(path)] = "-> " + os.readlink(path)
            elif path.is_file():
                seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                seen[str(path)] = "dir" if path.is_dir() else "special"
    return seen


@dataclass
class Workspace:
    """A copy of the programme folder and the stories, and the user's own folders."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def stories(self) -> Path:
        return self.root / "stories"

    def state(self) -> dict[str, str]:
        return snapshot(self.root)


@pytest.fixture
def ws(tmp_path) -> Workspace:
    shutil.copytree(DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("demo"))
    shutil.copytree(STORIES, tmp_path / "stories")
    return Workspace(tmp_path)


def refused(ws: Workspace, named: str, *args, timeout: float = 30, ceiling: int = CEILING):
    """Run ``args``; assert the refusal issue 19 asks for. Returns what ran."""
    before = ws.state()
    ran = run_watched(*args, timeout=timeout, cwd=ws.root)
    said = (ran.out + ran.err).strip()
    assert ran.seconds < timeout, f"still running after {timeout} s: {args}"
    assert ran.peak < ceiling, f"{ran.peak / MB:.0f} MB: {args}"
    assert ran.code == 1, (args, said)
    assert "Traceback" not in said and "Error:" not in said, said
    naming = [line for line in said.splitlines() if named in line]
    assert naming, f"no line names {named}: {said}"
    assert ws.state() == before, "a file in the workspace changed"
    return ran


# -- YAML with an alias bomb, in every kind of YAML file the tool reads -----------------


def _bombed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + alias_bomb(key="bom"), encoding="utf-8")


def _bombed_story(ws: Workspace) -> str:
    story = ws.stories / "vt-001.md"
    head, body = story.read_text(encoding="utf-8").split("\n---\n", 1)
    anchors = alias_bomb(key="bom")
    story.write_text(f"{head}\n{anchors}title: *bom9\n---\n{body}", encoding="utf-8")
    return "vt-001.md"


YAML_CASES = {
    "registry": ("data/registry/goals.yaml", ["validate", "--data", "{data}"]),
    "programme": ("data/registry/programme.yaml", ["validate", "--data", "{data}"]),
    "deliveries": ("data/measurements/deliveries.yaml", ["validate", "--data", "{data}"]),
    "agenda": (
        "data/agenda/lessons.yaml",
        ["agenda", "check", "--data", "{data}", "--stories", "{stories}"],
    ),
    "msc": (
        "stories/msc.yaml",
        ["stories", "validate", "--data", "{data}", "--stories", "{stories}"],
    ),
    "codebook": (
        "data/registry/codebook.yaml",
        ["stories", "agreement", "auto", "anouk", "--data", "{data}", "--stories", "{stories}"],
    ),
    "stories-vocabulary": (
        "data/registry/stories.yaml",
        ["stories", "validate", "--data", "{data}", "--stories", "{stories}"],
    ),
    "cbs": ("data/registry/cbs.yaml", ["fetch", "cbs", "--offline", "{root}", "--data", "{data}"]),
}


def _args(ws: Workspace, template: list[str]) -> list[str]:
    return [
        a.format(data=ws.data, stories=ws.stories, root=ws.root) if "{" in a else a
        for a in template
    ]


@pytest.mark.parametrize("kind", sorted(YAML_CASES))
def test_an_alias_bomb_in_any_yaml_file_is_refused_at_once(ws, kind):
    file, command = YAML_CASES[kind]
    _bombed(ws.root / file)
    ran = refused(ws, Path(file).name, *_args(ws, command), ceiling=YAML_CEILING)
    assert "te veel verwijzingen (aliases)" in ran.out + ran.err


def test_an_alias_bomb_in_a_storys_title_is_refused_at_once(ws):
    named = _bombed_story(ws)
    ran = refused(
        ws,
        named,
        "stories",
        "validate",
        "--data",
        ws.data,
        "--stories",
        ws.stories,
        ceiling=YAML_CEILING,
    )
    assert "te veel verwijzingen (aliases)" in ran.out


def test_an_alias_that_contains_itself_is_refused(ws):
    path = ws.data / "agenda" / "lessons.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "lus: &lus [*lus]\n", encoding="utf-8")
    ran = refused(ws, "lessons.yaml", "agenda", "check", "--data", ws.data)
    assert "bevat zichzelf" in ran.out + ran.err


# -- story files that are not stories ----------------------------------------------------

STORY_MAKERS: dict[str, Callable[[Path], Path]] = {
    "dev-zero": lambda d: _link(d / "nul.md", "/dev/zero"),
    "etc-passwd": lambda d: _link(d / "wachtwoorden.md", "/etc/passwd"),
    "fifo": lambda d: fifo(d / "pijp.md"),
    "50-mb": lambda d: sparse_file(d / "groot.md", 50 * MB, b"---\nid: groot\n---\n"),
    "just-over-1-mb": lambda d: _story_of(d / "lang.md", 1_000_001),
}


def _link(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


def _story_of(path: Path, size: int) -> Path:
    head = (STORIES / "vt-001.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    head = head.replace("id: vt-001", f"id: {path.stem}") + "\n---\n"
    path.write_text(head + "a" * (size - len(head)), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(STORY_MAKERS))
def test_a_story_file_that_is_not_a_readable_story_is_refused_by_name(ws, kind):
    path = STORY_MAKERS[kind](ws.stories)
    ran = refused(ws, path.name, "stories", "validate", "--data", ws.data, "--stories", ws.stories)
    assert "root:" not in ran.out + ran.err  # nothing of /etc/passwd is shown


@pytest.mark.parametrize("kind", ["dev-zero", "50-mb"])
def test_the_evaluation_refuses_in_its_input_check_what_a_notebook_would_meet(ws, kind):
    path = STORY_MAKERS[kind](ws.stories)
    ran = refused(
        ws,
        path.name,
        "evaluate",
        "--year",
        "2026",
        "--data",
        ws.data,
        "--stories",
        ws.stories,
        "--out",
        ws.root / "uit",
        "--no-pdf",
    )
    assert "[1/" not in ran.out  # no notebook started


# -- spreadsheets and projects that inflate -----------------------------------------------

BOMBS: dict[str, Callable[[Path], Path]] = {
    "cells": lambda d: xlsx_cell_bomb(d / "cellen.xlsx"),
    "whitespace": lambda d: xlsx_whitespace_bomb(d / "lucht.xlsx"),
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_an_xlsx_bomb_is_refused_while_it_inflates(ws, kind):
    path = BOMBS[kind](ws.root)
    assert path.stat().st_size < 5 * MB
    refused(ws, path.name, "validate", "--data", ws.data, "--measurements", path)
    refused(ws, path.name, "stories", "import", path, "--data", ws.data, "--out", ws.stories)
    refused(ws, path.name, "fetch", "csv", path, "--supplier", "X", "--data", ws.data)


def test_a_qdpx_that_understates_its_size_is_stopped_at_the_limit(ws):
    path = qdpx_lying(ws.root / "codeur.qdpx")
    ran = refused(
        ws,
        "codeur.qdpx",
        "stories",
        "import-codings",
        path,
        "--coder",
        "carla",
        "--data",
        ws.data,
        "--stories",
        ws.stories,
    )
    assert "project.qde is groter dan" in ran.err


def test_deeply_nested_json_in_a_recorded_cbs_answer_is_one_line(ws):
    recorded = ws.root / "cbs"
    recorded.mkdir()
    mapping = (ws.data / "registry" / "cbs.yaml").read_text(encoding="utf-8")
    year, table = re.search(r"^\s+(\d{4}): (\w+NED)", mapping, re.MULTILINE).groups()
    (recorded / f"{table}.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    ran = refused(
        ws,
        f"{table}.json",
        "fetch",
        "cbs",
        "--offline",
        recorded,
        "--data",
        ws.data,
        "--from",
        year,
        "--to",
        year,
    )
    assert "te diep genest" in ran.err


def test_a_header_with_100000_unknown_columns_prints_a_count_not_100000_lines(ws):
    path = ws.root / "breed.csv"
    extra = [f"kolom{i}" for i in range(100_000)]
    row = "stress,wielwijk,2025,23,ggd"
    path.write_text(
        ",".join(["indicator", "area", "year", "value", "source", *extra])
        + "\n"
        + row
        + ","
        + ",".join([""] * len(extra))
        + "\n",
        encoding="utf-8",
    )
    ran = run_watched("validate", "--data", ws.data, "--measurements", path, cwd=ws.root)
    lines = [line for line in (ran.out + ran.err).splitlines() if "breed.csv" in line]
    assert len(lines) == 21, lines[:3]
    assert "nog 99980 waarschuwing(en) van deze soort in" in lines[-1]
    assert ran.peak < CEILING


# -- output folders that are someone else's -------------------------------------------------


@pytest.mark.parametrize("make", [web_app, thesis], ids=["web-app", "scriptie"])
def test_a_users_folder_survives_every_command_that_writes_a_folder(ws, make):
    folder = make(ws.root / "map")
    mine = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    commands = [
        ["trends", "--data", ws.data, "--out", folder],
        ["validate", "--data", ws.data, "--out", folder],
        ["evaluate", "--year", "2026", "--data", ws.data, "--stories", ws.stories],
    ]
    commands[2] += ["--out", folder, "--no-pdf"]
    for command in commands:
        ran = refused(ws, "staat niet in de lijst", *command)
        assert any(f"{name} staat niet in de lijst" in ran.err for name in mine)


def test_a_users_file_survives_every_command_that_writes_a_file(ws):
    folder = web_app(ws.root / "app")
    target = folder / "manifest.json"
    refused(
        ws,
        "manifest.json",
        "stories",
        "agreement",
        "anouk",
        "bram",
        "--data",
        ws.data,
        "--stories",
        ws.stories,
        "--out",
        target,
    )
    own_project = folder / "mijn-project.qdpx"  # an ATLAS.ti project of the intern's own
    own_project.write_bytes(b"PK\x05\x06" + bytes(18))
    refused(
        ws,
        "mijn-project.qdpx",
        "stories",
        "export",
        own_project,
        "--data",
        ws.data,
        "--stories",
        ws.stories,
    )
    csv_target = folder / "index.csv"
    csv_target.write_text("mijn,tabel\n", encoding="utf-8")
    refused(
        ws,
        "index.csv",
        "fetch",
        "cbs",
        "--offline",
        ws.root,
        "--data",
        ws.data,
        "--out",
        csv_target,
    )


def test_an_output_folder_given_as_a_file_is_called_a_file(ws):
    a_file = ws.root / "rapport.docx"
    a_file.write_bytes(b"PK")
    ran = refused(ws, "rapport.docx", "trends", "--data", ws.data, "--out", a_file)
    assert "dit is een bestand, geen map" in ran.err


def test_a_second_run_into_the_same_folder_says_another_is_busy(ws):
    out = ws.root / "uit"
    busy = ws.root / ".uit.bouw-bezig"
    busy.mkdir()
    (busy / ".pid").write_text(str(os.getpid()), encoding="ascii")  # this test: alive
    ran = refused(ws, "uit", "trends", "--data", ws.data, "--out", out)
    assert f"andere npdw-opdracht (proces {os.getpid()})" in ran.err


def test_sigterm_stops_a_command_like_ctrl_c(ws, earlier_output):
    out = earlier_output(ws.root / "uit", {"trends.csv": "vorig jaar\n"})
    before = snapshot(out)
    args = [sys.executable, "-m", "npdw_learning.cli", "trends", "--demo"]
    proc = subprocess.Popen(
        [*args, "--data", DATA_DIR, "--out", out],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ws.root,
        env={**os.environ, "MPLBACKEND": "agg"},
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the run has started
    proc.terminate()  # SIGTERM
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.strip().startswith("Gestopt (SIGTERM): npdw trends"), err
    assert "Traceback" not in err
    assert snapshot(out) == before
    assert not list(ws.root.glob(".uit.bouw-*"))


def test_a_full_disk_names_the_file_and_the_step(ws, npdw_here, monkeypatch):
    import errno

    from npdw_learning.kern import atomic

    real = atomic.os.replace

    def full(src, dst):
        if str(dst).endswith("data_quality.csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    out = ws.root / "uit"
    monkeypatch.setattr(atomic.os, "replace", full)
    ran = npdw_here("validate", "--data", ws.data, "--out", out)
    assert ran.returncode == 1
    assert "de schijf is vol bij het schrijven van" in ran.stderr
    assert "data_quality.csv" in ran.stderr and "npdw validate" in ran.stderr
    assert not out.exists() and not list(ws.root.glob(".uit.bouw-*"))


def test_the_hostile_suite_measures_memory_for_real(ws):
    """The watch itself: a process that takes 300 MB is seen taking it, and a command is
    not charged with the memory of the test process that started it."""
    ballast = bytearray(400 * MB)
    ballast[:: 1 << 12] = b"1" * len(ballast[:: 1 << 12])  # really resident
    ran = run_watched("--version")
    del ballast
    assert ran.code == 0 and ran.out.startswith("npdw ") and 20 * MB < ran.peak < 200 * MB
    script = "x = bytearray(300_000_000); x[::4096] = b'1' * len(x[::4096])"
    proc = subprocess.Popen([sys.executable, "-c", script])
    _, _, usage = os.wait4(proc.pid, 0)
    assert usage.ru_maxrss * 1024 > 300 * MB
