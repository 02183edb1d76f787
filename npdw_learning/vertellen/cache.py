"""The import's cache: earlier pseudonymisations and story-file hashes, in SQLite.

Pseudonymising is the slow part of an import (deduce). The cache under
``.cache/npdw/`` (git-ignored; ``NPDW_CACHE_DIR`` or ``cache_dir=`` move it)
maps the sha256 of the raw title and text plus the pseudonymiser version to the
pseudonymised output, so a second run over unchanged rows skips deduce. It holds
no raw text. Used by :mod:`.importer` and :mod:`.placement`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from ..kern.paths import PROJ_ROOT
from .language import DUTCH

__all__ = ["DEFAULT_CACHE_DIR", "Cache", "open_cache"]

DEFAULT_CACHE_DIR = Path(os.environ.get("NPDW_CACHE_DIR", PROJ_ROOT / ".cache" / "npdw"))


class Cache:
    """Content hash -> earlier work, in SQLite. Holds no raw text.

    Two kinds of entries: sha256(version, raw title, raw text) -> the
    pseudonymised parts and counts; and sha256(that key, story fields, file
    format) -> sha256 of the story file, so an unchanged file is recognised
    without rendering it again.
    """

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / "pseudonymise.sqlite3" if directory is not None else None
        self._memory: dict[str, Any] = {}
        self._new: dict[str, Any] = {}

    @staticmethod
    def key(version: str, parts: Sequence[str]) -> str:
        h = hashlib.sha256(version.encode("utf-8"))
        for part in parts:
            h.update(b"\x1e" + part.encode("utf-8"))
        return h.hexdigest()

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        con.execute(
            "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        return con

    def load(self, keys: Sequence[str]) -> None:
        if self.path is None or not self.path.exists() or not keys:
            return
        try:
            with closing(self._connect()) as con:
                wanted = list(dict.fromkeys(keys))
                for i in range(0, len(wanted), 500):
                    chunk = wanted[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT key, value FROM entries WHERE key IN ({marks})"
                    for key, value in con.execute(query, chunk):
                        self._memory[key] = json.loads(value)
        except (sqlite3.Error, ValueError):
            # A damaged cache only costs time: do the work again.
            self._memory.clear()

    def pseudonymised(self, key: str) -> tuple[tuple[str, ...], dict[str, int]] | None:
        value = self._memory.get(key)
        try:
            parts, counts = tuple(value["parts"]), dict(value["counts"])
        except (TypeError, KeyError):
            return None
        return (parts, counts) if all(isinstance(p, str) for p in parts) else None

    def language(self, key: str) -> str:
        """The language a cached pseudonymisation was made for (Dutch when not stored)."""
        value = self._memory.get(key)
        language = value.get("language") if isinstance(value, dict) else None
        return language if isinstance(language, str) and language else DUTCH

    def file_hash(self, key: str) -> str | None:
        value = self._memory.get(key)
        return value.get("file") if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self._memory[key] = value
        self._new[key] = value

    def save(self) -> None:
        if self.path is None or not self._new:
            return
        rows = [(k, json.dumps(v, ensure_ascii=False)) for k, v in self._new.items()]
        try:
            with closing(self._connect()) as con, con:
                con.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            print(f"WAARSCHUWING: cache niet bijgewerkt ({exc})", file=sys.stderr)
        self._new.clear()


def open_cache(cache_dir: str | Path | None, *, use_cache: bool) -> Cache:
    """The pseudonymisation cache (default :data:`DEFAULT_CACHE_DIR`); one that stores
    nothing and finds nothing when ``use_cache`` is false."""
    cache = Cache(Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR)
    if not use_cache:
        cache.path = None
    return cache
