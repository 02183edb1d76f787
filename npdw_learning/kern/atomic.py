"""Atomic file writes: a failed run never leaves a half-written output behind.

Tables are also written *formula-safe* (the usual CSV-injection defence): a
text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return and is not a number gets a leading apostrophe, so a spreadsheet opens
it as text, never as a formula. :func:`read_csv` undoes exactly that, so a
table handed from one notebook to the next reads back as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

__all__ = [
    "write_atomic",
    "write_csv",
    "write_text",
    "create_text",
    "read_csv",
    "formula_safe",
    "formula_safe_text",
    "unformula_text",
]

FLOAT_FORMAT = "%.6g"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def _needs_guard(text: str) -> bool:
    """Whether ``text`` would start a formula, ignoring apostrophes already in front.

    Looking past leading apostrophes makes the guard reversible: a text that
    already starts with ``'=`` gets one more, and reading back removes one.
    """
    rest = text.lstrip("'")
    return rest.startswith(FORMULA_START) and not _NUMBER.match(rest.strip())


def formula_safe_text(value: object) -> object:
    """One cell made formula-safe; anything that is not a string is returned as is.

    Examples
    --------
    >>> formula_safe_text("=cmd|' /C calc'!A0"), formula_safe_text("-3"), formula_safe_text(-3.5)
    ("'=cmd|' /C calc'!A0", '-3', -3.5)
    >>> formula_safe_text("'s Avonds")
    "'s Avonds"
    """
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def unformula_text(value: object) -> object:
    """Undo :func:`formula_safe_text` (``unformula_text(formula_safe_text(x)) == x``).

    Examples
    --------
    >>> unformula_text("'=1+1"), unformula_text("'s Avonds")
    ('=1+1', "'s Avonds")
    """
    if isinstance(value, str) and value.startswith("'") and _needs_guard(value):
        return value[1:]
    return value


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def formula_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell made formula-safe; number columns are untouched."""
    out = df.copy()
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = out[column].map(formula_safe_text)
    return out


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it.

    The rename is atomic on one file system, so readers see the old file or
    the new one, never a partial one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # A full disk is seen on the temporary file (or by no name at all): name the file.
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV, formula-safe, with a stable float format.

    The same frame always gives the same bytes. Text cells are guarded by
    :func:`formula_safe`; read the file back with :func:`read_csv`.
    """
    safe = formula_safe(df)
    return write_atomic(
        path,
        lambda tmp: safe.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n"),
    )


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a table :func:`write_csv` wrote: ids and text stay text, guards removed."""
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in df.columns:
        if _is_text(df[column]):
            df[column] = df[column].map(unformula_text)
    return df


def write_text(text: str, path: str | Path) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def create_text(text: str, path: str | Path) -> bool:
    """Write ``text`` to ``path`` only if no file of that name exists; ``False`` if one does.

    Never replaces a file, not even one made in the meantime: the text is
    written to a temporary file next to ``path`` and then hard-linked to its
    name, which fails when the name is taken. Where the file system has no
    hard links, the name is claimed with an exclusive create instead.
    Other problems (a read-only folder, a full disk) raise :class:`OSError`.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (some network and FAT file systems)
            return _create_exclusive(text, path)
        return True
    finally:
        Path(tmp).unlink(missing_ok=True)


def _create_exclusive(text: str, path: Path) -> bool:
    try:
        with open(path, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True
