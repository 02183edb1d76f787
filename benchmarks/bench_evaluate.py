"""Benchmark of ``make evaluate``: the wall time of the whole yearly evaluation and its parts.

Runs ``make evaluate`` (venv in place, so no install) in a temporary copy of
the repository, so the user's ``outputs/`` is left alone: once to warm up
(caches, compiled files), then ``--repeat`` times (default 3), and prints the
median of the whole run and of each part. The parts come from the run's own
progress lines, each stamped with the time it arrived, and from
``manifest.json``:

* before the first notebook: the input checks, with the kernel starting and
  importing the package beside them;
* the notebooks from the first start to the last end, and each notebook
  (``manifest.json``): 02 runs beside 01 in a second kernel, so their sum is
  more than the wall time;
* the report assembled (``rapport.html``) and ``rapport.pdf`` laid out;
* the residents' outputs (wijkberichten, slides, summary): made beside
  ``rapport.pdf``, in a process of their own, so their time overlaps it;
* the rest: waiting for those outputs, the manifest and the folder swap.

The goal is 20 s on the 2-core reference machine; measure on a quiet machine.
"Warm" includes the figure cache (:mod:`npdw_learning.kern.filecache`), which the
warm-up run fills; ``--cold`` times the runs with it off (``NPDW_FILE_CACHE=off``),
as after a change to the measurements.

Run with ``python benchmarks/bench_evaluate.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 20.0
COPY = (
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
    "README.md",
    "data",
    "stories",
    "notebooks",
)
_SECONDS = re.compile(r"gemaakt in (\d+,\d) s")


def _timed_lines(workdir: Path, cold: bool = False) -> tuple[float, list[tuple[float, str]]]:
    """Run ``make evaluate``; its wall time and each stdout line with its arrival time."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "evaluate"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "NPDW_ROOT": str(workdir),
            **({"NPDW_FILE_CACHE": "off"} if cold else {}),
        },
    )
    assert proc.stdout is not None
    lines = [(time.perf_counter() - t, line.rstrip("\n")) for line in proc.stdout]
    err = proc.stderr.read() if proc.stderr else ""
    seconds = time.perf_counter() - t
    if proc.wait() != 0:
        raise SystemExit(f"make evaluate failed:\n{[s for _, s in lines]}\n{err}")
    return seconds, lines


def _seconds_in(line: str) -> float:
    found = _SECONDS.search(line)
    return float(found.group(1).replace(",", ".")) if found else float("nan")


def one_run(workdir: Path, cold: bool = False) -> dict[str, float]:
    """One ``make evaluate`` in ``workdir``: its parts in seconds (see the module's text)."""
    shutil.rmtree(workdir / "outputs", ignore_errors=True)
    (workdir / "outputs").mkdir()
    total, lines = _timed_lines(workdir, cold)
    manifest = json.loads((workdir / "outputs" / "2026" / "manifest.json").read_text())

    def first(prefix: str) -> tuple[float, str]:
        return next((t, s) for t, s in lines if s.startswith(prefix))

    start = first("[1/")[0]
    last_done = [t for t, s in lines if s.strip().startswith("klaar in")][-1]
    pdf_at, pdf_line = first("rapport.pdf:")
    residents_at, residents_line = next(
        (t, s) for t, s in lines if "wijkberichten, de presentaties" in s
    )
    pdf = _seconds_in(pdf_line)
    parts = {"total": total, "before the first notebook": start}
    parts["the notebooks, first start to last end"] = last_done - start
    parts.update({n["file"]: n["seconds"] for n in manifest["notebooks"]})
    parts["rapport.html"] = pdf_at - last_done - pdf
    parts["rapport.pdf"] = pdf
    parts["residents' outputs (beside the PDF)"] = _seconds_in(residents_line)
    parts["the rest (wait, manifest, swap)"] = total - residents_at
    return parts


def _copy(work: Path) -> None:
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name)
        else:
            shutil.copy2(src, work / name)
    # The venv is "in place": link it, and keep make from rebuilding it.
    (work / ".venv").symlink_to(ROOT / ".venv")
    for name in ("pyproject.toml", "requirements.lock"):
        os.utime(work / name, (0, 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="without the figure cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="npdw-bench-") as tmp:
        work = Path(tmp)
        _copy(work)
        one_run(work)  # warm: compiled files, font caches, deduce's tables
        runs = []
        for i in range(args.repeat):
            runs.append(one_run(work, args.cold))
            print(f"run {i + 1}: {runs[-1]['total']:.1f} s", flush=True)
    kind = "cold (no figure cache)" if args.cold else "warm"
    print(f"median of {len(runs)} {kind} runs of make evaluate:")
    for part in runs[0]:
        values = [r[part] for r in runs]
        print(f"  {part:<40} {statistics.median(values):6.1f} s")
    median = statistics.median(r["total"] for r in runs)
    verdict = "within" if median < BUDGET_S else "OVER"
    print(f"make evaluate: median {median:.1f} s; goal {BUDGET_S:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
