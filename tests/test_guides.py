"""Every command in the guides runs as written, in a fresh shell, after ``make evaluate``.

The intern typed ``npdw stories import ...`` from the guide and got "command not
found": nothing had activated the venv. The rule of the guides (README.md says
it once): a command is a ``make`` target or a program in ``.venv/bin/`` written
with that path. This module reads every guide the user follows (each ``*.md``
at the top of the project, each ``README.md`` below it, and the two READMEs
``npdw init`` writes) and checks each command in it:

* every shell line of a fenced ``sh``/``bash`` block: ``make`` targets exist
  (``make -n``), ``.venv/bin/npdw`` lines parse with the real parser,
  ``.venv/bin/papermill`` lines are prepared by papermill itself
  (``--prepare-only``, into a temporary file), any other ``.venv/bin/`` program
  exists; a bare ``npdw`` or another program fails;
* every inline ``.venv/bin/npdw ...`` (a reference in the text, often with
  ``[--option VALUE]`` placeholders): its subcommand exists and each
  ``--option`` it names belongs to that subcommand; a bare ``npdw <command>``
  fails;
* the ``npdw`` commands that only read, and whose files exist, run in a
  subprocess with a fresh shell's environment, ``--out`` sent to a temporary
  folder: exit 0, no ``FOUT:``.

Commands added to a guide later are checked the same way, without a list here.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from npdw_learning.cli import build_parser
from npdw_learning.kern.paths import PROJ_ROOT
from npdw_learning.kern.programme import ProgrammeFolder

# The programs as the guides name them: relative to the project folder, where they run.
VENV_BIN = PROJ_ROOT / ".venv" / "bin"
pytestmark = pytest.mark.skipif(
    not (VENV_BIN / "npdw").is_file(), reason="geen .venv/ in de projectmap (make evaluate)"
)
# Folders that hold no guide: the venv, tools, outputs, caches and test fixtures' notes.
NOT_GUIDES = {".venv", ".lock-tools", "outputs", ".git", "build", "dist", ".cache", "tests"}
SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
# Programs a guide may name without .venv/bin/: make itself, and the Python that builds the venv.
SYSTEM_PROGRAMS = {"make", "python3"}
# npdw commands that only read (and write only to --out, sent to a temporary folder).
READ_ONLY = {
    ("indicators",),
    ("validate",),
    ("agenda", "check"),
    ("efforts", "status"),
    ("stories", "validate"),
    ("stories", "agreement"),
}


def _guides() -> dict[str, str]:
    """Guide name -> text: the project's ``*.md`` files and every ``README.md`` below it
    (story files are data, not guides), and the READMEs of a new programme folder."""
    found = sorted(PROJ_ROOT.glob("*.md")) + [
        p
        for p in sorted(PROJ_ROOT.rglob("README.md"))
        if p.parent != PROJ_ROOT and not NOT_GUIDES & set(p.relative_to(PROJ_ROOT).parts)
    ]
    guides = {p.relative_to(PROJ_ROOT).as_posix(): p.read_text(encoding="utf-8") for p in found}
    guides |= {f"(npdw init) {name}": text for name, text in _init_readmes().items()}
    return guides


def _init_readmes() -> dict[str, str]:
    from npdw_learning.kern.scaffold import ProgrammeSpec, programme_files

    spec = ProgrammeSpec(
        name="Programma Zuiderhaven Vooruit",
        short_name="PZV",
        neighbourhoods=(("oostkade", "Oostkade"), ("westkade", "Westkade")),
        reference=("havenstad", "Havenstad"),
        aggregate=("zuiderhaven", "Zuiderhaven"),
    )
    files = programme_files(spec, folder="zuiderhaven")
    return {name: text for name, text in files.items() if name.endswith(".md")}


@dataclass(frozen=True)
class Command:
    guide: str
    line: int
    text: str

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.text, comments=True)

    def __str__(self) -> str:
        return f"{self.guide}:{self.line}: {shlex.join(self.argv)}"


_FENCE = re.compile(r"^\s*```\s*([\w-]*)")


def fenced_commands(guide: str, text: str) -> list[Command]:
    """Every shell line of the fenced ``sh``/``bash`` blocks, continuation lines joined."""
    commands, language, pending, start = [], None, "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(line)
        if fence:
            language = None if language is not None else fence[1] or ""
            continue
        if language not in SHELL_LANGUAGES:
            continue
        body = line.strip()
        if not pending and (not body or body.startswith("#")):
            continue
        start = start if pending else number
        if body.endswith("\\"):
            pending += body[:-1] + " "
            continue
        commands.append(Command(guide, start, (pending + body).strip()))
        pending = ""
    return commands


_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")


def inline_commands(guide: str, text: str) -> list[Command]:
    """Every inline code span that names an npdw command (outside fenced blocks)."""
    outside, inside = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            inside = not inside
            outside.append("")
        else:
            outside.append("" if inside else line)
    prose = "\n".join(outside)
    found = []
    for match in _SPAN.finditer(prose):
        span = " ".join(match[1].split())
        if re.match(r"(\.venv/bin/)?npdw\s", span):
            found.append(Command(guide, prose.count("\n", 0, match.start()) + 1, span))
    return found


GUIDES = _guides()
FENCED = [c for name, text in GUIDES.items() for c in fenced_commands(name, text)]
INLINE = [c for name, text in GUIDES.items() for c in inline_commands(name, text)]


SAMPLE = """\
Tekst met `npdw stories validate` en `.venv/bin/npdw evaluate --year 2026`.

```bash
npdw stories import export.csv   # zo niet
.venv/bin/npdw evaluate --year 2026 \\
    --demo
```

```yaml
npdw: geen opdracht
```
"""


def test_commands_are_read_from_fenced_shell_blocks_and_inline_spans():
    fenced = fenced_commands("voorbeeld.md", SAMPLE)
    assert [(c.line, c.argv) for c in fenced] == [
        (4, ["npdw", "stories", "import", "export.csv"]),
        (5, [".venv/bin/npdw", "evaluate", "--year", "2026", "--demo"]),
    ]
    inline = inline_commands("voorbeeld.md", SAMPLE)
    assert [c.text for c in inline] == [
        "npdw stories validate",
        ".venv/bin/npdw evaluate --year 2026",
    ]
    with pytest.raises(AssertionError, match="schrijf .venv/bin/npdw"):
        test_every_fenced_command_is_a_make_target_or_a_venv_program(fenced[0])
    with pytest.raises(AssertionError, match="schrijf .venv/bin/npdw"):
        test_every_inline_npdw_command_names_a_real_subcommand_and_options(inline[0])
    test_every_inline_npdw_command_names_a_real_subcommand_and_options(inline[1])
    wrong = Command("voorbeeld.md", 1, ".venv/bin/npdw evaluate [--wijken WIJK ...]")
    with pytest.raises(AssertionError, match=r"onbekende optie\(s\) \['--wijken'\]"):
        test_every_inline_npdw_command_names_a_real_subcommand_and_options(wrong)


def test_the_guides_are_found_and_hold_commands():
    assert {"README.md", "CONTRIBUTING.md", "stories/README.md", "data/README.md"} <= set(GUIDES)
    assert any(name.startswith("(npdw init)") for name in GUIDES)
    assert len([c for c in FENCED if c.argv[0] == ".venv/bin/npdw"]) >= 15
    assert any(c.argv[0] == ".venv/bin/papermill" for c in FENCED)
    assert len(INLINE) >= 30


# -- the npdw parser ------------------------------------------------------------------------


class _Refused(Exception):
    pass


def _parse(argv: list[str]) -> argparse.Namespace:
    """The real parser, which exits on a wrong command; here that is an exception with the
    parser's own message."""
    parser = build_parser()

    def refuse(message: str) -> None:
        raise _Refused(message)

    _on_every_parser(parser, refuse)  # a subcommand reports through its own parser's .error
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:  # --help
        raise _Refused(f"exit {exc.code}") from None


def _on_every_parser(parser: argparse.ArgumentParser, refuse) -> None:
    parser.error = refuse  # type: ignore[method-assign]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _on_every_parser(sub, refuse)


def _subparser(words: list[str]) -> tuple[argparse.ArgumentParser, list[str]]:
    """The parser of the subcommand ``words`` start with, and the subcommand's words."""
    parser, path = build_parser(), []
    for word in words:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            break
        if word not in subs[0].choices:
            raise _Refused(f"onbekende opdracht {' '.join([*path, word])!r}")
        parser, path = subs[0].choices[word], [*path, word]
    if any(isinstance(a, argparse._SubParsersAction) for a in parser._actions):
        raise _Refused(f"onvolledige opdracht {' '.join(path)!r}")
    return parser, path


def test_the_parse_check_refuses_what_the_cli_refuses():
    """The checks below can fail: an unknown option, subcommand or value is refused."""
    for wrong in (
        ["stories", "importeer", "x.csv"],
        ["evaluate", "--year", "2026", "--wijken", "wielwijk"],
        ["trends", "--year", "JJJJ", "--out", "x"],
        ["stories"],
    ):
        with pytest.raises(_Refused):
            _parse(wrong)
    with pytest.raises(_Refused, match="onbekende opdracht 'stories importeer'"):
        _subparser(["stories", "importeer"])


# -- fenced commands --------------------------------------------------------------------------


@pytest.mark.parametrize("command", FENCED, ids=str)
def test_every_fenced_command_is_a_make_target_or_a_venv_program(command):
    program = command.argv[0]
    assert program != "npdw", (
        f"{command}: schrijf .venv/bin/npdw (in een nieuwe shell is npdw onbekend)"
    )
    if program in SYSTEM_PROGRAMS:
        return
    assert program.startswith(".venv/bin/"), f"{command}: een programma uit .venv/bin/ of make"
    assert (VENV_BIN / program.removeprefix(".venv/bin/")).is_file(), f"{command}: ontbreekt"


def _fenced(program: str) -> list[Command]:
    return [c for c in FENCED if c.argv[0] == program]


@pytest.mark.parametrize("command", _fenced(".venv/bin/npdw"), ids=str)
def test_every_fenced_npdw_command_parses(command):
    try:
        _parse(command.argv[1:])
    except _Refused as refused:
        pytest.fail(f"{command}: {refused}")


@pytest.mark.parametrize("command", _fenced("make"), ids=str)
def test_every_fenced_make_command_names_a_target(command):
    proc = subprocess.run(
        ["make", "-n", *command.argv[1:]],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, f"{command}: {proc.stderr}"


@pytest.mark.parametrize("command", _fenced(".venv/bin/papermill"), ids=str)
def test_every_fenced_papermill_command_is_accepted_by_papermill(command, tmp_path):
    """Papermill reads the notebook and injects the parameters as written, without running
    it (``--prepare-only``); the output goes to a temporary file."""
    args = command.argv[1:]
    positional = [i for i, a in enumerate(args) if not a.startswith("-")][:2]
    assert len(positional) == 2 and args[positional[0]].endswith(".ipynb"), str(command)
    args[positional[1]] = str(tmp_path / "voorbereid.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "papermill", *args, "--prepare-only"],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"{command}: {proc.stderr[-2000:]}"


# -- inline commands --------------------------------------------------------------------------


@pytest.mark.parametrize("command", INLINE, ids=str)
def test_every_inline_npdw_command_names_a_real_subcommand_and_options(command):
    words = command.text.split()
    assert words[0] == ".venv/bin/npdw", (
        f"{command}: schrijf .venv/bin/npdw (in een nieuwe shell is npdw onbekend)"
    )
    subcommand = []
    for word in words[1:]:
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        subcommand.append(word)
    try:
        parser, path = _subparser(subcommand)
    except _Refused as refused:
        pytest.fail(f"{command}: {refused}")
    known = {s for a in parser._actions for s in a.option_strings}
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", command.text))
    assert named <= known, f"{command}: onbekende optie(s) {sorted(named - known)} van {path}"


# -- the commands that only read, run ----------------------------------------------------------


def _runnable(command: Command) -> tuple[list[str], Path | None] | None:
    """The argv to run a read-only npdw command with its --out in a temporary folder, or None
    when it writes elsewhere or names a file that does not exist (an example name)."""
    argv = command.argv[1:]
    args = _parse(argv)
    path = tuple(w for w in argv[:2] if not w.startswith("-"))
    if path not in READ_ONLY and path[:1] not in READ_ONLY:
        return None
    values = [v for k, v in vars(args).items() if k != "out" and v is not None]
    files = [p for v in values for p in (v if isinstance(v, list) else [v])]
    if not all((PROJ_ROOT / p).exists() for p in files if isinstance(p, Path)):
        return None
    coders = [c for c in getattr(args, "coders", None) or [] if c != "auto"]
    coding = ProgrammeFolder.chosen(args.data, args.stories).coding_dir
    if not all((coding / f"{c}.csv").exists() for c in coders):
        return None  # a coder of the example, whose file comes later
    if "--out" in argv:
        i = argv.index("--out")
        return [*argv[: i + 1], "{out}", *argv[i + 2 :]], Path(argv[i + 1]).name
    return argv, None


RUNNABLE = [c for c in _fenced(".venv/bin/npdw") if _runnable(c) is not None]


def test_some_commands_of_the_guides_are_run():
    assert len(RUNNABLE) >= 3, [str(c) for c in RUNNABLE]


@pytest.mark.slow
@pytest.mark.parametrize("command", RUNNABLE, ids=str)
def test_a_read_only_command_runs_as_written_in_a_fresh_shell(command, tmp_path):
    """As typed in a new terminal in the project folder: only PATH of the system and HOME,
    no activated venv; the program is the guide's own .venv/bin/npdw."""
    argv, out_name = _runnable(command)
    out = tmp_path / (out_name or "uit")
    argv = [str(out) if a == "{out}" else a for a in argv]
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "MPLBACKEND": "agg"}
    env["FONTCONFIG_FILE"] = os.environ.get("FONTCONFIG_FILE", "")
    proc = subprocess.run(
        [command.argv[0], *argv],  # .venv/bin/npdw, found from the project folder
        cwd=PROJ_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"{command}: {proc.stdout[-1500:]}{proc.stderr[-1500:]}"
    assert "FOUT:" not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
