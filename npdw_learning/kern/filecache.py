"""Made once: a file drawn from the same inputs by the same code is copied, not drawn again.

The yearly run draws figures (a chart per pillar, the status matrix, the
network) whose inputs change less often than the run is repeated: a
coordinator who corrects a story or a lesson and runs again has the same
measurements. :func:`made_once` keeps each such file under ``.cache/npdw/files/``
(git-ignored, beside the import's cache; ``NPDW_CACHE_DIR`` moves both) by a
key: a hash of everything the file is made from (:func:`digest`) and of the
code that makes it (:func:`code_stamp`: the package's source and the versions
of the drawing libraries and the fonts). A hit is the file a draw would give, byte for byte,
because drawing is deterministic (the tests check both). Figures are made of
aggregate numbers, never of story text, so the cache holds nothing private.

``NPDW_FILE_CACHE=off`` turns this cache off, as the test suite does (a test
that breaks the drawing must see it break, not a copy).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from .atomic import write_atomic
from .paths import PROJ_ROOT

__all__ = ["CACHE_DIR", "cache_dir", "code_stamp", "digest", "made_once", "made_once_bytes"]

#: The toolkit's cache folder (the import's pseudonymisations and the files here).
CACHE_DIR = PROJ_ROOT / ".cache" / "npdw"
#: At most this many files are kept; the least recently used go first.
MAX_FILES = 400
_LIBRARIES = (
    "matplotlib",
    "numpy",
    "pandas",
    "pillow",
    "networkx",
    "fontpkg-fira-sans",
    "fonttools",
)


def cache_dir() -> Path | None:
    """The cache folder: ``NPDW_CACHE_DIR`` when set, else :data:`CACHE_DIR`; ``None``
    (no cache) when ``NPDW_FILE_CACHE`` is ``off``."""
    if os.environ.get("NPDW_FILE_CACHE", "").strip().lower() in ("off", "0", "uit"):
        return None
    return Path(os.environ.get("NPDW_CACHE_DIR") or CACHE_DIR)


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """A hash of the package's source files and of the versions of the drawing libraries
    and the figures' font package: any change to the code that draws makes every
    earlier file in the cache a miss."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"\0{name}={version}".encode())
    return h.hexdigest()


def _feed(h, value: object) -> None:
    """Add ``value`` to the hash ``h``, with its kind, so different values never meet."""
    if isinstance(value, pd.DataFrame):
        h.update(b"F" + repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        h.update(_hashed(value.index.to_series()))
        for column in value.columns:
            h.update(_hashed(value[column]))
    elif isinstance(value, pd.Series):
        h.update(b"S" + repr((value.name, str(value.dtype))).encode())
        h.update(_hashed(value.index.to_series()) + _hashed(value))
    elif isinstance(value, np.ndarray):
        h.update(b"A" + repr((value.dtype.str, value.shape)).encode() + value.tobytes())
    elif isinstance(value, bytes):
        h.update(b"B%d:" % len(value) + value)
    elif isinstance(value, Mapping):
        h.update(b"M%d" % len(value))
        for key in sorted(value, key=repr):
            _feed(h, key)
            _feed(h, value[key])
    elif isinstance(value, list | tuple):
        h.update(b"L%d" % len(value))
        for item in value:
            _feed(h, item)
    elif value is None or isinstance(value, str | int | float | bool | Path):
        h.update(b"V" + repr(value).encode() + b"\0")
    else:
        raise TypeError(f"digest: geen vaste waarde voor {type(value).__name__}")


def _hashed(column: pd.Series) -> bytes:
    """pandas' hash of each value of ``column``; a column of lists (an indicator's goals)
    by each value's ``repr``, since a list has no hash of its own."""
    try:
        return pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes()
    except TypeError:
        return pd.util.hash_pandas_object(column.map(repr), index=False).to_numpy().tobytes()


def digest(*parts: object) -> str:
    """A hash of ``parts``: tables (by their values, columns and types), arrays, bytes,
    mappings, sequences and plain values; anything else is a programming error (``TypeError``),
    never a key that could match a different input.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"x": [1.0, 2.0]})
    >>> digest(a, "wonen") == digest(a.copy(), "wonen")
    True
    >>> digest(a, "wonen") == digest(a * 2, "wonen")
    False
    """
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        _feed(h, part)
    return h.hexdigest()


def made_once(path: str | os.PathLike[str], key: str, make: Callable[[Path], object]) -> Path:
    """Write ``path``: a copy of the file cached under ``key`` (with :func:`code_stamp`),
    else ``make(tmp)`` writes it and the cache keeps a copy. Atomic either way.

    ``key`` must come from everything the file is made from (:func:`digest`).
    A cache that cannot be read or written is no cache: the file is made.
    """
    path = Path(path)
    folder = cache_dir()
    if folder is None:
        write_atomic(path, make)
        return path
    kept = folder / "files" / f"{digest(key, code_stamp(), path.suffix)}{path.suffix}"
    try:
        write_atomic(path, lambda tmp: shutil.copyfile(kept, tmp))
        os.utime(kept)  # recently used
        return path
    except OSError:
        pass
    write_atomic(path, make)
    try:
        write_atomic(kept, lambda tmp: shutil.copyfile(path, tmp))
        _prune(kept.parent)
    except OSError:
        pass  # a read-only or full cache folder: the file itself is written
    return path


def made_once_bytes(key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, or the bytes it gave before for ``key`` (:func:`made_once` for what is
    not a file of the run itself, such as a figure as the report embeds it)."""
    folder = cache_dir()
    if folder is None:
        return make()
    kept = folder / "files" / f"{digest(key, code_stamp(), suffix)}{suffix}"
    try:
        data = kept.read_bytes()
        os.utime(kept)
        return data
    except OSError:
        pass
    data = make()
    try:
        write_atomic(kept, lambda tmp: tmp.write_bytes(data))
        _prune(kept.parent)
    except OSError:
        pass
    return data


def _prune(folder: Path, keep: int = MAX_FILES) -> None:
    """Remove the least recently used files beyond ``keep``."""
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    if len(files) <= keep:
        return
    files.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in files[: len(files) - keep]:
        old.unlink(missing_ok=True)
