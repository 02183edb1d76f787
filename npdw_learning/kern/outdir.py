"""Output folders the toolkit owns: it replaces or adds to a folder only when it wrote all of it.

A command that writes a folder (``npdw evaluate``, ``trends``, ``validate
--out``, ``make check-report``) never touches a file it did not write. The
rule is checked, not guessed from a file name:

- every folder npdw writes carries :data:`MARKER`, a list of every file it
  wrote there with its SHA-256 (``{"tool": "npdw-learning", "files": {...}}``);
- a folder may be written when it does not exist, is empty, or carries the
  marker and holds nothing else: every file in it is listed, with the same
  hash. One file it does not list (``thesis.docx``), or a listed file someone
  changed since, and the command refuses, naming that file;
- the command builds in a fresh folder next to the output (:func:`new_build`)
  and only then moves the result in: :func:`replace_with` swaps a whole
  evaluation in (the earlier one is moved aside and removed after the new one
  is in place), :func:`add_into` moves files into the folder one by one. The
  marker names the files about to arrive before they do, so an interrupted
  move leaves a folder the next run still recognises.

A build folder is ``.<name>.bouw-XXXX`` with the process id in
:data:`BUILD_PID`; a later run removes one whose process is gone
(:func:`remove_stale_builds`) and refuses to start while one is alive.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError
from .version import __version__

__all__ = [
    "MARKER",
    "BUILD_MARK",
    "BUILD_PID",
    "OutputFolderError",
    "check_output_dir",
    "check_output_file",
    "new_build",
    "seal",
    "replace_with",
    "add_into",
    "remove_stale_builds",
    "busy_build",
    "owned_output",
    "starts_with",
    "file_sha256",
]

MARKER = ".npdw-uitvoer.json"
TOOL = "npdw-learning"
BUILD_MARK = ".bouw-"
BUILD_PID = ".pid"


class OutputFolderError(InputError):
    """An output folder (or file) holds something npdw did not write; nothing was changed."""


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, read in blocks (the one checksum of every manifest and list)."""
    digest = hashlib.sha256()
    path = Path(path)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_marker(folder: Path) -> dict | None:
    """The marker of ``folder`` when it is one npdw wrote, else None."""
    path = folder / MARKER
    try:
        if not stat.S_ISREG(path.lstat().st_mode) or path.stat().st_size > 10_000_000:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        return None
    files, pending = data.get("files"), data.get("pending", {})
    if not isinstance(files, dict) or not isinstance(pending, dict):
        return None
    return data


def _entries(folder: Path) -> Iterable[tuple[str, Path]]:
    """Every entry below ``folder`` that is not a folder, as ``(relative posix path, path)``.

    Symbolic links are entries themselves (never followed), as are devices
    and pipes: none of them is a file npdw writes.
    """
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        dirs.sort()
        for name in [*sorted(files), *(d for d in dirs if (base / d).is_symlink())]:
            path = base / name
            yield path.relative_to(folder).as_posix(), path


def _first_stranger(folder: Path, data: dict | None) -> tuple[str, str] | None:
    """The first entry of ``folder`` npdw did not write, with why; None when all are its own."""
    files = data.get("files", {}) if data else {}
    pending = data.get("pending", {}) if data else {}
    for rel, path in _entries(folder):
        if rel == MARKER and data is not None:
            continue
        known = [h for h in (files.get(rel), pending.get(rel)) if isinstance(h, str)]
        if not known:
            return rel, "staat niet in de lijst van wat npdw daar schreef"
        if not stat.S_ISREG(path.lstat().st_mode):
            return rel, "is geen gewoon bestand"
        if file_sha256(path) not in known:
            return rel, "is veranderd nadat npdw het schreef"
    return None


def check_output_dir(out: Path, *, option: str = "--out") -> None:
    """Refuse ``out`` unless it is absent, an empty folder, or a folder npdw wrote whole.

    Raises
    ------
    OutputFolderError
        ``out`` is a file, or holds a file npdw did not write (or that was
        changed since); the message names the first such file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_output_dir(folder)  # empty: fine
    >>> _ = (folder / "scriptie.docx").write_text("mijn werk")
    >>> check_output_dir(folder)
    Traceback (most recent call last):
    npdw_learning.kern.outdir.OutputFolderError: ...scriptie.docx staat niet in de lijst...
    """
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise OutputFolderError(
            f"{option} {out}: dit is een bestand, geen map; geef een map op (die npdw maakt)"
        )
    data = _read_marker(out)
    stranger = _first_stranger(out, data)
    if stranger is None:
        return
    rel, why = stranger
    raise OutputFolderError(
        f"{option} {out}: npdw schrijft alleen in een nieuwe of lege map, of in een map die het "
        f"zelf schreef. {rel} {why} ({MARKER}); er is niets veranderd. Kies een andere map "
        "met --out, of haal weg of verplaats wat u wilt bewaren." + _older_hint(out, data)
    )


def _older_hint(out: Path, data: dict | None) -> str:
    if data is None and ((out / "manifest.json").is_file() or (out / "run.json").is_file()):
        return (
            " (Een uitvoermap van een oudere versie van npdw heeft nog geen lijst: verwijder of "
            "hernoem hem zelf als u hem niet meer nodig hebt.)"
        )
    return ""


def check_output_file(path: Path, *, mine: bool, what: str, option: str = "--out") -> None:
    """Refuse to write ``path`` over a file npdw did not write (``mine`` says whether it did).

    A single-file output (a table, a project) may replace an earlier one of
    its own kind, never another file. ``what`` names that kind (``"meetbestand
    van npdw fetch cbs"``); ``option`` the argument that named the path ("" for
    a positional one).
    """
    named = f"{option} {path}" if option else str(path)
    if path.is_dir():
        raise OutputFolderError(f"{named}: dit is een map; geef een bestandsnaam op")
    if (path.exists() or path.is_symlink()) and not mine:
        raise OutputFolderError(
            f"{named}: dit bestand bestaat al en is geen {what}; er is niets geschreven. "
            "Kies een andere bestandsnaam."
        )


def starts_with(path: Path, prefix: bytes) -> bool:
    """Whether ``path`` is a regular file that begins with ``prefix`` (read no further).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("theme,n\\nx,1\\n")
    >>> starts_with(f, b"theme,n\\n"), starts_with(f.parent, b"theme")
    (True, False)
    """
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        with path.open("rb") as fh:
            return fh.read(len(prefix)) == prefix
    except OSError:
        return False


# -- building and moving in ----------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:  # pragma: no cover - Windows: no such process
        return False
    return True


def _builds(out: Path) -> list[tuple[Path, int | None]]:
    """The build folders of ``out`` with the process id each holds (None when it has none)."""
    found = []
    for folder in sorted(out.parent.glob(f".{out.name}{BUILD_MARK}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            pid = int((folder / BUILD_PID).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = None
        found.append((folder, pid))
    return found


def busy_build(out: Path) -> tuple[Path, int] | None:
    """A build folder of ``out`` whose process still runs (another run is busy), if any."""
    for folder, pid in _builds(out):
        if pid is not None and pid != os.getpid() and _alive(pid):
            return folder, pid
    return None


def remove_stale_builds(out: Path) -> list[Path]:
    """Remove build folders of ``out`` that a killed run left behind; return them.

    Only a folder that holds a process id (npdw writes it first) whose process
    is gone, or an empty one, is removed; a folder of a run still going, and
    anything else with that name, is left alone.
    """
    removed = []
    for folder, pid in _builds(out):
        if pid is None and any(folder.iterdir()):
            continue
        if pid is not None and (pid == os.getpid() or _alive(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def new_build(out: Path) -> Path:
    """A fresh build folder next to ``out``, marked with this process's id.

    Build folders of runs that were killed are removed first; while another
    run builds the same output, this one refuses to start. The folder gets
    the mode a plain ``mkdir`` would give (``mkdtemp`` makes it private).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(out)
    busy = busy_build(out)
    if busy is not None:
        raise OutputFolderError(
            f"{out}: een andere npdw-opdracht (proces {busy[1]}) schrijft deze map nu; wacht tot "
            f"die klaar is (het resultaat komt in {out}) of kies een andere map met --out"
        )
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}{BUILD_MARK}", dir=out.parent))
    (build / BUILD_PID).write_text(str(os.getpid()), encoding="ascii")
    umask = os.umask(0)
    os.umask(umask)
    build.chmod(0o777 & ~umask)
    return build


def _write_marker(folder: Path, files: dict[str, str], pending: dict[str, str]) -> None:
    from .atomic import write_text

    data = {"tool": TOOL, "version": __version__, "files": dict(sorted(files.items()))}
    if pending:
        data["pending"] = dict(sorted(pending.items()))
    write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", folder / MARKER)


def _listing(build: Path) -> dict[str, str]:
    return {
        rel: file_sha256(path)
        for rel, path in _entries(build)
        if rel not in (MARKER, BUILD_PID) and path.is_file() and not path.is_symlink()
    }


def seal(build: Path) -> None:
    """Write the marker of ``build``: every file in it, with its hash."""
    _write_marker(build, _listing(build), {})


def replace_with(build: Path, out: Path) -> None:
    """Make the sealed ``build`` the folder ``out``; an earlier output there is replaced whole.

    ``out`` is checked again first (a file may have been added while the run
    went on). The earlier folder is moved aside under a fresh name and
    removed only once the new one is in place.
    """
    check_output_dir(out)
    (build / BUILD_PID).unlink(missing_ok=True)
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        build.rename(out)
        return
    old = out.with_name(f".{out.name}.oud-{uuid.uuid4().hex[:8]}")
    out.rename(old)
    try:
        build.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def add_into(build: Path, out: Path, *, remove: Iterable[str] = ()) -> list[Path]:
    """Move every file of ``build`` into ``out`` (which npdw owns or that is new); the paths.

    ``remove`` names files of an earlier run that this one no longer writes
    (the demo-data warning of a run without demo data); they are removed
    only when the marker lists them. The marker names the arriving files
    (``pending``) before any moves, so after an interruption the folder is
    still recognised; ``build`` is removed at the end.
    """
    check_output_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    data = _read_marker(out) or {"files": {}}
    files = {k: v for k, v in data["files"].items() if isinstance(v, str)}
    arriving = _listing(build)
    _write_marker(out, files, arriving)
    moved = []
    for rel in arriving:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(build / rel, target)
        moved.append(target)
    files.update(arriving)
    for rel in remove:
        if rel in files and rel not in arriving:
            (out / rel).unlink(missing_ok=True)
            del files[rel]
    _write_marker(out, files, {})
    shutil.rmtree(build, ignore_errors=True)
    return moved


@contextmanager
def owned_output(out: Path, *, remove: Iterable[str] = ()) -> Iterator[Path]:
    """Write files for ``out`` into the yielded build folder; they move in when the block ends.

    ``out`` is checked first (:func:`check_output_dir`); nothing reaches it
    when the block raises (the build folder is removed). See :func:`add_into`
    for ``remove``.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "uit"
    >>> with owned_output(out) as build:
    ...     _ = (build / "tabel.csv").write_text("a\\n1\\n")
    >>> sorted(p.name for p in out.iterdir())
    ['.npdw-uitvoer.json', 'tabel.csv']
    """
    check_output_dir(out)
    build = new_build(out)
    try:
        yield build
        add_into(build, out, remove=remove)
    finally:
        shutil.rmtree(build, ignore_errors=True)
