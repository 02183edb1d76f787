"""``make check-report``: the report as a reader sees it, as pictures to look at.

Before the report goes out, a person looks at it as a browser shows it and as
it prints. :func:`screenshots` opens ``rapport.html`` in headless Chromium once
per chapter (the page scrolled to the chapter's anchor, a 1200 x 1600 window);
:func:`pdf_pages` turns every page of ``rapport.pdf`` into a small PNG
(``pdftoppm``, 50 dpi). Both write into ``outputs/<year>/check/``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..kern.errors import InputError

__all__ = ["CHECK_DIR", "chapter_anchors", "screenshots", "pdf_pages", "main"]

CHECK_DIR = "check"
WINDOW = "1200,1600"


def chapter_anchors(page: str) -> list[str]:
    """The ids of the report's chapters (``<section id=...>``), in order.

    Examples
    --------
    >>> chapter_anchors('<section id="samenvatting"><h2>1.</h2></section><section id="b">')
    ['samenvatting', 'b']
    """
    return re.findall(r'<section id="([a-z0-9-]+)">', page)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InputError(
            f"{name} is niet gevonden; installeer het (Debian: apt-get install "
            f"{'chromium' if name == 'chromium' else 'poppler-utils'})"
        )
    return found


def screenshots(report: Path, out: Path, chromium: str = "chromium") -> list[Path]:
    """One screenshot of the top of the report and one per chapter; their paths."""
    program = _program(chromium)
    anchors = ["", *chapter_anchors(report.read_text(encoding="utf-8"))]
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory(prefix="npdw-chromium-") as profile:
        for i, anchor in enumerate(anchors):
            target = out / f"scherm-{i:02d}-{anchor or 'begin'}.png"
            url = report.resolve().as_uri() + (f"#{anchor}" if anchor else "")
            subprocess.run(
                [
                    program,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    f"--user-data-dir={profile}",
                    f"--screenshot={target}",
                    f"--window-size={WINDOW}",
                    url,
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            shots.append(target)
    return shots


def pdf_pages(pdf: Path, out: Path) -> list[Path]:
    """Every page of ``pdf`` as a 50 dpi PNG in ``out``; their paths."""
    program = _program("pdftoppm")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("pdf-*.png"):
        old.unlink()
    subprocess.run(
        [program, "-png", "-r", "50", str(pdf), str(out / "pdf")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(out.glob("pdf-*.png"))


def main(argv: list[str] | None = None) -> int:
    """``python -m npdw_learning.evaluatie.check OUTPUT_DIR``: screenshots, and say where."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("gebruik: python -m npdw_learning.evaluatie.check outputs/<jaar>", file=sys.stderr)
        return 2
    folder = Path(args[0])
    report = folder / "rapport.html"
    if not report.is_file():
        print(f"FOUT: {report} bestaat niet; maak het eerst met `make evaluate`", file=sys.stderr)
        return 1
    check = folder / CHECK_DIR
    try:
        shots = screenshots(report, check)
        pages = (
            pdf_pages(folder / "rapport.pdf", check) if (folder / "rapport.pdf").is_file() else []
        )
    except (InputError, subprocess.SubprocessError) as exc:
        print(f"FOUT: {exc}", file=sys.stderr)
        return 1
    print(
        f"{len(shots)} schermafdrukken van rapport.html (Chromium, venster {WINDOW}) en "
        f"{len(pages)} pagina's van rapport.pdf (50 dpi) staan in {check.resolve()}"
    )
    print("Bekijk ze voordat het rapport de deur uit gaat: is niets afgesneden of onleesbaar?")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
