"""Where a story file came from, and whether a person changed it since the import.

The import ends a story's front matter with its record::

    source_hash: 6f1c0a9e2b7d-41d8e3a0c55f
    written_hash: 9b2e4c7a1f30d8e6

``source_hash`` is the fingerprint of the export row. Its first half comes
from the row's date, area and text as the form gave them (*which* story: a
row without an id is recognised by it, the same key the hash ids of earlier
versions were made of); its second half from everything else in the row as
well (the answers, the title). ``written_hash`` is the fingerprint of the
file as the import wrote it: every field and the pseudonymised text, this
line left out. Both are truncated SHA-256 hashes: they hold no text and
cannot be turned back into it.

With them a later import, without any cache, knows:

- whether a row is the same as the one the file came from, or was changed
  in the export since (:func:`source_hash`);
- whether the file is still as the import wrote it, or was changed by hand
  since (:func:`changed_by_hand`). The file is compared as a story (its fields
  and text), so line ends or YAML layout an editor changes do not count, a
  changed word or field does;
- for a row without an id, which story in the folder it is, and otherwise the
  next free number after the highest ``vt-NNN`` there (:class:`FolderIndex`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kern.errors import InputError
from ..kern.inputfile import read_input_text
from .stories import Story, render_story

__all__ = [
    "source_hash",
    "identity",
    "legacy_id",
    "with_record",
    "written_hash",
    "changed_by_hand",
    "FolderIndex",
    "MAX_NUMBER_DIGITS",
]

# A sequential id has at most this many digits. The hash ids of earlier versions
# (``vt-`` + 10 hex digits) sometimes hold digits only; they are no sequence number.
MAX_NUMBER_DIGITS = 6
_NUMBERED = re.compile(rf"vt-(\d{{1,{MAX_NUMBER_DIGITS}}})")
_SOURCE_LINE = re.compile(r"^source_hash:\s*['\"]?([0-9a-f]{12})-[0-9a-f]{12}", re.MULTILINE)


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\x1e")
    return h.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def source_hash(fields: Mapping[str, Any], raw_title: str, raw_text: str) -> str:
    """The fingerprint of an export row: ``<which story>-<everything in the row>``.

    ``fields`` are the row's checked values (``date``, ``area``, ``teller``, ...;
    an ``id`` is left out: it names the file, it is no content).

    Examples
    --------
    >>> row = {"date": dt.date(2025, 3, 14), "area": "wielwijk", "change": "beter"}
    >>> a = source_hash(row, "", "Het plein is veiliger.")
    >>> b = source_hash({**row, "change": "slechter"}, "", "Het plein is veiliger.")
    >>> identity(a) == identity(b), a == b
    (True, False)
    """
    story_key = f"{fields['date'].isoformat()}|{fields['area']}|{raw_text}"
    which = hashlib.sha256(story_key.encode("utf-8")).hexdigest()
    content = {k: _plain(v) for k, v in sorted(fields.items()) if k != "id"}
    answers = json.dumps(content, ensure_ascii=False, sort_keys=True)
    everything = _digest(answers, raw_title, raw_text)
    return f"{which[:12]}-{everything[:12]}"


def identity(source: str) -> str:
    """The first half of a ``source_hash``: which story (date, area and text)."""
    return source.split("-", 1)[0]


def legacy_id(source: str) -> str:
    """The id an earlier version gave the row without an id column (``vt-`` + hash).

    >>> legacy_id("bfce4187da11-000000000000")
    'vt-bfce4187da'
    """
    return "vt-" + identity(source)[:10]


def written_hash(story: Story) -> str:
    """The fingerprint of ``story``'s file without its ``written_hash`` line."""
    text = render_story(dataclasses.replace(story, written_hash=None))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def with_record(story: Story, source: str) -> Story:
    """``story`` with the import's record: its row's ``source_hash`` and the
    ``written_hash`` of the file it becomes."""
    story = dataclasses.replace(story, source_hash=source, written_hash=None)
    return dataclasses.replace(story, written_hash=written_hash(story))


def changed_by_hand(story: Story) -> bool | None:
    """Whether a story file (as read) differs from what the import wrote;
    ``None`` when it has no record (written by hand, or by an earlier import)."""
    if not (story.source_hash and story.written_hash):
        return None
    return written_hash(story) != story.written_hash


@dataclass
class FolderIndex:
    """The story files of a folder, as the ids of rows without an id column need them.

    ``stories`` maps the first half of each file's ``source_hash`` to its id;
    ``highest`` is the highest sequence number (``vt-061`` -> 61) among the ids
    in use.
    """

    stories: dict[str, str] = field(default_factory=dict)
    highest: int = 0

    @classmethod
    def scan(cls, folder: Path) -> FolderIndex:
        """Read the record line of every ``*.md`` story in ``folder`` (a file that
        cannot be read still takes its id)."""
        index = cls()
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if path.name.lower() == "readme.md":
                continue
            index.take(path.stem)
            try:
                text = read_input_text(path, kind="story", folder=folder, what="verhaal")
            except (InputError, UnicodeDecodeError):
                continue
            head = text.split("\n---", 2)[0] if text.startswith("---") else ""
            found = _SOURCE_LINE.search(head)
            if found:
                index.stories.setdefault(found.group(1), path.stem)
        return index

    def take(self, ident: str) -> None:
        """Mark ``ident`` as used (a number in it raises :attr:`highest`)."""
        numbered = _NUMBERED.fullmatch(ident)
        if numbered:
            self.highest = max(self.highest, int(numbered.group(1)))

    def next_id(self) -> str:
        """The next free sequence number: ``vt-061`` after ``vt-060``.

        >>> index = FolderIndex()
        >>> index.take("vt-060"); index.take("vt-abc"); index.next_id(), index.next_id()
        ('vt-061', 'vt-062')
        """
        ident = f"vt-{self.highest + 1:03d}"
        self.take(ident)
        return ident
