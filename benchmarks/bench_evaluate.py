"""Benchmark of ``make evaluate``: the wall time of the whole yearly evaluation.

Runs ``make evaluate`` (venv in place, so no install) in a temporary copy of
the repository, so the user's ``outputs/`` is left alone, and prints the
total wall time and each notebook's time from ``manifest.json``. The budget
is 60 s on the 2-core reference machine.

Run with ``python benchmarks/bench_evaluate.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 60.0
COPY = ("Makefile", "pyproject.toml", "README.md", "data", "stories", "notebooks")


def one_run(workdir: Path) -> tuple[float, dict]:
    shutil.rmtree(workdir / "outputs", ignore_errors=True)
    (workdir / "outputs").mkdir()
    t = time.perf_counter()
    proc = subprocess.run(
        ["make", "--no-print-directory", "evaluate"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "NPDW_ROOT": str(workdir)},
    )
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"make evaluate failed:\n{proc.stdout}\n{proc.stderr}")
    manifest = json.loads((workdir / "outputs" / "2026" / "manifest.json").read_text())
    return seconds, manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="npdw-bench-") as tmp:
        work = Path(tmp)
        for name in COPY:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, work / name)
            else:
                shutil.copy2(src, work / name)
        # The venv is "in place": link it, and keep make from rebuilding it.
        (work / ".venv").symlink_to(ROOT / ".venv")
        os.utime(work / "pyproject.toml", (0, 0))
        times = []
        for i in range(args.repeat):
            seconds, manifest = one_run(work)
            times.append(seconds)
            parts = ", ".join(f"{n['file']} {n['seconds']:.1f} s" for n in manifest["notebooks"])
            print(f"run {i + 1}: {seconds:.1f} s  ({parts})")
    median = statistics.median(times)
    verdict = "within" if median < BUDGET_S else "OVER"
    print(
        f"make evaluate: median {median:.1f} s over {len(times)} runs "
        f"(min {min(times):.1f}, max {max(times):.1f}); budget {BUDGET_S:.0f} s: {verdict}"
    )


if __name__ == "__main__":
    main()
