"""Benchmark of the refusals: how long each hostile input takes to be refused, and at what memory.

The cases of ``tests/test_hostile.py`` (issue 19), each run as a user runs a
command: a fresh process, its wall time and its peak resident memory
(``wait4``). Before the bounds these cases ran for minutes to 16-24 GB or for
ever; the targets are the issue's: a YAML bomb refused within 5 s under
300 MB, every other case within 30 s under 1 GB, exit code 1.

Run with ``python benchmarks/bench_hostile.py``; it prints one line per case
and exits 1 when a case misses its target.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_files import (  # noqa: E402
    alias_bomb,
    fifo,
    qdpx_lying,
    sparse_file,
    xlsx_cell_bomb,
    xlsx_whitespace_bomb,
)
from test_hostile import MB, run_watched  # noqa: E402

YAML_TARGET = (5.0, 300 * MB)
TARGET = (30.0, 1_000 * MB)


def _workspace(root: Path) -> tuple[Path, Path]:
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("demo"))
    shutil.copytree(ROOT / "stories", root / "stories")
    return root / "data", root / "stories"


def _bomb(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + alias_bomb(key="bom"), encoding="utf-8")


def cases(root: Path) -> list[tuple[str, tuple[float, int], list]]:
    """(name, (seconds, bytes) target, command) for each hostile input, made in ``root``."""
    data, stories = _workspace(root)
    _bomb(data / "agenda" / "lessons.yaml")
    agenda = ["agenda", "check", "--data", data, "--stories", stories]
    bombed_stories = root / "bomverhalen"
    shutil.copytree(stories, bombed_stories)
    story = bombed_stories / "vt-001.md"
    head, body = story.read_text(encoding="utf-8").split("\n---\n", 1)
    story.write_text(f"{head}\n{alias_bomb(key='t')}title: *t9\n---\n{body}", encoding="utf-8")
    odd = {}
    for name, make in (
        ("/dev/zero-koppeling", lambda d: (d / "nul.md").symlink_to("/dev/zero")),
        ("FIFO", lambda d: fifo(d / "pijp.md")),
        ("verhaal van 50 MB", lambda d: sparse_file(d / "groot.md", 50 * MB, b"---\n")),
    ):
        folder = root / name.replace("/", "")
        shutil.copytree(stories, folder)
        make(folder)
        odd[name] = ["stories", "validate", "--data", data, "--stories", folder]
    cells, air = xlsx_cell_bomb(root / "cellen.xlsx"), xlsx_whitespace_bomb(root / "lucht.xlsx")
    qdpx = qdpx_lying(root / "liegt.qdpx")
    return [
        ("alias-bom in lessons.yaml: agenda check", YAML_TARGET, agenda),
        (
            "alias-bom in een titel: stories validate",
            YAML_TARGET,
            ["stories", "validate", "--data", data, "--stories", bombed_stories],
        ),
        *((f"{n}: stories validate", TARGET, c) for n, c in odd.items()),
        ("xlsx celbom: validate", TARGET, ["validate", "--data", data, "--measurements", cells]),
        ("xlsx celbom: stories import", TARGET, ["stories", "import", cells, "--data", data]),
        (
            "xlsx 2 GB spaties: validate",
            TARGET,
            ["validate", "--data", data, "--measurements", air],
        ),
        (
            "qdpx die liegt over zijn grootte: import-codings",
            TARGET,
            ["stories", "import-codings", qdpx, "--coder", "c", "--stories", stories],
        ),
    ]


def main() -> int:
    missed = 0
    with tempfile.TemporaryDirectory(prefix="npdw-bench-hostile-") as tmp:
        print(f"{'geval':52} {'s':>6} {'MB':>7}  exit  doel")
        for name, (seconds, memory), command in cases(Path(tmp)):
            ran = run_watched(*command, timeout=120, cwd=Path(tmp))
            ok = ran.code == 1 and ran.seconds < seconds and ran.peak < memory
            missed += not ok
            target = f"< {seconds:.0f} s, < {memory // MB} MB"
            print(
                f"{name:52} {ran.seconds:6.1f} {ran.peak / MB:7.0f}  {ran.code:4}  "
                f"{target}{'' if ok else '  GEMIST'}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
