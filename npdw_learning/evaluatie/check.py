"""``make check-report``: the report as a reader sees it, as pictures to look at.

Before the report goes out, a person looks at it as a browser shows it and as
it prints. :func:`screenshots` opens ``rapport.html`` in headless Chromium, as
a phone shows it (390 pixels wide) and as a laptop does (1280), and cuts the
page into screens;
:func:`pdf_pages` turns every page of ``rapport.pdf`` into a small PNG
(``pdftoppm``, 50 dpi). Both write into ``outputs/<year>/check/``. The same is
done for the wijkberichten, the slides and the one-page summary
(``wijkbericht-<wijk>-scherm-*``, ``-pdf-*``; the slides at a laptop's width only).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..kern.errors import InputError
from ..kern.outdir import owned_output

__all__ = ["CHECK_DIR", "SCREEN", "WIDTHS", "tiles", "screenshots", "pdf_pages", "main"]

CHECK_DIR = "check"
SCREEN = (1280, 1600)  # px: one screen of a laptop, upright
WIDTHS = (390, SCREEN[0])  # px: a phone and a laptop
TALL = 48_000  # px: a window taller than the report, cut into screens afterwards


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InputError(
            f"{name} is niet gevonden; installeer het (Debian: apt-get install "
            f"{'chromium' if name == 'chromium' else 'poppler-utils'})"
        )
    return found


def tiles(picture: Path, out: Path, height: int = SCREEN[1], prefix: str = "scherm") -> list[Path]:
    """Cut a tall screenshot into screens of ``height`` pixels (``<prefix>-NN.png``); blank
    screens at the end (below the page) are left out."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # our own screenshot, not a file from outside
    paths = []
    with Image.open(picture) as tall:
        grey = tall.convert("L")
        last = 0
        for top in range(0, tall.height, height):
            if (
                grey.crop((0, top, tall.width, min(top + height, tall.height))).getextrema()[0]
                < 255
            ):
                last = top
        for i, top in enumerate(range(0, last + 1, height), start=1):
            target = out / f"{prefix}-{i:02d}.png"
            tall.crop((0, top, tall.width, min(top + height, tall.height))).save(target)
            paths.append(target)
    return paths


def screenshots(
    report: Path,
    out: Path,
    chromium: str = "chromium",
    width: int = SCREEN[0],
    prefix: str = "scherm",
) -> list[Path]:
    """The report in headless Chromium, ``width`` pixels wide, screen by screen
    (``<prefix>-<width>-NN.png``, 1600 high); their paths.

    Chromium takes one screenshot of a very tall window (a screenshot of a page
    scrolled to an anchor comes out blank), which is then cut into screens.
    """
    program = _program(chromium)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{prefix}-{width}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="npdw-chromium-") as tmp:
        tall = Path(tmp) / "rapport.png"
        subprocess.run(
            [
                program,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={Path(tmp) / 'profiel'}",
                f"--screenshot={tall}",
                f"--window-size={width},{TALL}",
                report.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return tiles(tall, out, prefix=f"{prefix}-{width}")


def pdf_pages(pdf: Path, out: Path, prefix: str = "pdf") -> list[Path]:
    """Every page of ``pdf`` as a 50 dpi PNG in ``out`` (``<prefix>-N.png``); their paths."""
    program = _program("pdftoppm")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(
        [program, "-png", "-r", "50", str(pdf), str(out / prefix)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(out.glob(f"{prefix}-*.png"))


def _resident_pages(folder: Path) -> list[tuple[Path, str, tuple[int, ...]]]:
    """The wijkberichten, the slides and the summary of an evaluation: ``(page, prefix,
    widths)``, the slides only as on a laptop (they are made for a screen in a hall)."""
    found = [
        (p, f"wijkbericht-{p.stem}", WIDTHS) for p in sorted(folder.glob("wijkberichten/*.html"))
    ]
    if (folder / "presentatie.html").is_file():
        found.append((folder / "presentatie.html", "presentatie", (SCREEN[0],)))
    found += [
        (p, f"presentatie-{p.stem}", (SCREEN[0],))
        for p in sorted(folder.glob("presentatie/*.html"))
    ]
    if (folder / "samenvatting.html").is_file():
        found.append((folder / "samenvatting.html", "samenvatting", WIDTHS))
    return found


def _check_resident_pages(folder: Path, made: Path) -> tuple[int, int]:
    """Screens and PDF pages of :func:`_resident_pages` into ``made``: ``(screens, pages)``."""
    screens = pages = 0
    for page, prefix, widths in _resident_pages(folder):
        for width in widths:
            screens += len(screenshots(page, made, width=width, prefix=f"{prefix}-scherm"))
        pdf = page.with_suffix(".pdf")
        if pdf.is_file():
            pages += len(pdf_pages(pdf, made, prefix=f"{prefix}-pdf"))
    return screens, pages


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
    # The pictures go into the report's folder as npdw's own files (kern.outdir): made in a
    # build folder, moved in whole; the pictures of an earlier check are replaced.
    earlier = [f"{CHECK_DIR}/{p.name}" for p in check.glob("*.png")] if check.is_dir() else []
    try:
        with owned_output(folder, remove=earlier) as build:
            made = build / CHECK_DIR
            shots = [shot for width in WIDTHS for shot in screenshots(report, made, width=width)]
            pdf = folder / "rapport.pdf"
            pages = pdf_pages(pdf, made) if pdf.is_file() else []
            resident = _check_resident_pages(folder, made)
    except (InputError, subprocess.SubprocessError) as exc:
        print(f"FOUT: {exc}", file=sys.stderr)
        return 1
    print(
        f"{len(shots)} schermafdrukken van rapport.html (Chromium, "
        f"{' en '.join(str(w) for w in WIDTHS)} pixels breed) en "
        f"{len(pages)} pagina's van rapport.pdf (50 dpi) staan in {check.resolve()}"
    )
    print(
        f"Van de wijkberichten, de presentaties en de samenvatting: {resident[0]} "
        f"schermafdrukken en {resident[1]} pagina's, ook in {check.resolve()}"
    )
    print("Bekijk ze voordat het rapport de deur uit gaat: is niets afgesneden of onleesbaar?")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
