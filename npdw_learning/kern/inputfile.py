"""Opening a file from outside: only a regular file inside its folder, of bounded size.

Every file a person or partner hands the toolkit (a story, a delivery, a
coder file, a hand-edited YAML file, a QDA project) is opened here. Before a
byte is read:

- a symbolic link that leads out of the folder the file was found in is
  refused (``stories/wachtwoorden.md -> /etc/passwd``);
- anything that is not a regular file is refused: a device (``/dev/zero``
  gives bytes for ever), a named pipe (reading it waits for ever), a socket,
  a folder. The file is opened without blocking and checked on the open
  handle (``fstat``), so it cannot be swapped between the check and the read;
- a file larger than the limit of its kind (:data:`LIMITS`) is refused with
  its size. The read itself stops one byte past the limit, so a file that
  grows while it is read cannot get past it either.

Each refusal is an :class:`~.errors.InputError` with one finding that names
the file and what is wrong with it.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import Finding, InputError

__all__ = [
    "LIMITS",
    "STORY_CHARS",
    "limit_text",
    "count_text",
    "size_text",
    "check_link",
    "open_input",
    "read_input_bytes",
    "read_input_text",
    "refuse",
    "open_zip",
    "BoundedZip",
    "MAX_ZIP_MEMBERS",
]

# The largest file of each kind that is read, in bytes (documented in data/README.md).
LIMITS = {
    # spaCy processes at most 1,000,000 characters at once (nlp.max_length); a UTF-8
    # file of at most that many bytes never holds more characters than that.
    "story": 1_000_000,
    # Registry, agenda, MSC, codebook, deliveries: the largest bundled file is 51 kB; a
    # 2 MB file of the smallest entries parses in about 4 s to 200 MB of nodes.
    "yaml": 2_000_000,
    # CSV deliveries, form exports and coder files: a delivery for every neighbourhood of
    # the country (3,300 wijken x 30 indicators x 12 years) is about 60 MB.
    "table": 100_000_000,
    # An Excel workbook as stored (compressed); what it inflates to is bounded in tables.py.
    "workbook": 50_000_000,
    # A REFI-QDA project (.qdpx) as stored; project.qde inside is bounded in qda.py.
    "qdpx": 200_000_000,
    # A national file (npdw fetch cbs --national, or a partner's): every buurt of the
    # country (14,000 x 32 indicators x 12 years, 5.4 million rows) is about 400 MB as CSV,
    # a tenth of that as Parquet.
    "national": 600_000_000,
    # A recorded CBS answer (fetch cbs --offline): one municipality's table is under 2 MB,
    # a whole-country table about 100 MB.
    "json": 256_000_000,
}
STORY_CHARS = LIMITS["story"]
# A workbook has a dozen members, a QDA project one per story; past this the zip's own
# directory (one Python object per member) would be the problem.
MAX_ZIP_MEMBERS = 65_000

_KINDS = (
    (stat.S_ISDIR, "een map"),
    (stat.S_ISCHR, "een apparaat (character device)"),
    (stat.S_ISBLK, "een apparaat (block device)"),
    (stat.S_ISFIFO, "een named pipe (FIFO)"),
    (stat.S_ISSOCK, "een socket"),
)


def size_text(n: int) -> str:
    """A size as a Dutch reader writes it.

    >>> size_text(52_428_800), size_text(1_000_000), size_text(2_048)
    ('52,4 MB', '1 MB', '2 kB')
    """
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= factor:
            value = f"{n / factor:.1f}".removesuffix(".0")
            return f"{value} {unit}".replace(".", ",")
    return f"{n} bytes"


def count_text(n: int) -> str:
    """A whole number as a Dutch reader writes it, with a point between thousands.

    >>> count_text(2_345_679_022), count_text(999)
    ('2.345.679.022', '999')
    """
    return f"{n:,}".replace(",", ".")


def limit_text(kind: str) -> str:
    """The limit of ``kind`` as a Dutch reader writes it (``'1 MB'``)."""
    return size_text(LIMITS[kind])


def refuse(path: str | Path, message: str, *, row: int | None = None) -> InputError:
    """The error for a file that is not read: ``'<path>: <message>'``, one finding."""
    name = str(path)
    return InputError(f"{name}: {message}", [Finding("error", name, message, row=row)])


def check_link(path: Path, folder: str | Path | None = None) -> None:
    """Refuse ``path`` when it is a symbolic link that leads out of ``folder``.

    ``folder`` defaults to the folder ``path`` is in. A link that stays inside
    (``verhaal.md -> archief/verhaal.md``) is fine.
    """
    if not path.is_symlink():
        return
    base = Path(folder if folder is not None else path.parent).resolve()
    target = path.resolve()
    if not target.is_relative_to(base):
        raise refuse(
            path,
            f"is een symbolische koppeling naar {target}, buiten de map {base}; "
            "zet het bestand zelf in de map",
        )


def _what_it_is(mode: int) -> str | None:
    return next((what for test, what in _KINDS if test(mode)), None)


def open_input(
    path: str | Path, *, kind: str, folder: str | Path | None = None, what: str = "bestand"
) -> BinaryIO:
    """Open ``path`` for reading after the checks above; the caller closes it.

    Parameters
    ----------
    path : path
        The file.
    kind : str
        A key of :data:`LIMITS`: the size limit that applies.
    folder : path, optional
        The folder a symbolic link may not leave (default: the file's own).
    what : str
        How a message names the file when it is missing (``"verhaal"``).

    Raises
    ------
    InputError
        Missing, a link out of its folder, not a regular file, or too large.
    FileNotFoundError
        Never: a missing file is an :class:`InputError` too.
    """
    path = Path(path)
    check_link(path, folder)
    try:
        _check_kind(path, os.stat(path), kind, what)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise refuse(path, f"{what} ontbreekt") from None
    try:
        # Checked again on the open handle: the name may have been swapped in between.
        _check_kind(path, os.fstat(fd), kind, what)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_kind(path: Path, info: os.stat_result, kind: str, what: str) -> None:
    odd = _what_it_is(info.st_mode)
    if odd is not None or not stat.S_ISREG(info.st_mode):
        raise refuse(path, f"is geen gewoon bestand maar {odd or 'iets anders'}")
    if info.st_size > LIMITS[kind]:
        raise refuse(
            path, f"is {size_text(info.st_size)}; een {what} mag hoogstens {limit_text(kind)} zijn"
        )


def read_input_bytes(
    path: str | Path, *, kind: str, folder: str | Path | None = None, what: str = "bestand"
) -> bytes:
    """The bytes of ``path``, read through :func:`open_input`.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_bytes(b"x;y\\n")
    >>> read_input_bytes(f, kind="table")
    b'x;y\\n'
    >>> read_input_bytes("/dev/zero", kind="table")
    Traceback (most recent call last):
    npdw_learning.kern.errors.InputError: /dev/zero: is geen gewoon bestand maar een apparaat ...
    """
    limit = LIMITS[kind]
    with open_input(path, kind=kind, folder=folder, what=what) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew while we read it
        raise refuse(path, f"is groter dan {limit_text(kind)}; een {what} mag niet groter zijn")
    return data


def read_input_text(
    path: str | Path, *, kind: str, folder: str | Path | None = None, what: str = "bestand"
) -> str:
    """The text of ``path`` (UTF-8), read through :func:`open_input`.

    Line ends are made ``\\n`` as ``Path.read_text`` does (a file saved on
    Windows reads the same). Raises :class:`UnicodeDecodeError` as
    ``read_text`` does; the caller says which encoding the file should have.
    """
    text = read_input_bytes(path, kind=kind, folder=folder, what=what).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- zip archives (.xlsx, .qdpx) ---------------------------------------------------

_EOCD = b"PK\x05\x06"
_LOCAL = struct.Struct("<4s5H3L2H")  # a member's local header (30 bytes)
_READ = 1 << 16


def _declared_members(data: bytes) -> int | None:
    """The number of members the zip's end record declares (None when there is none).

    Read before :mod:`zipfile` builds an object per member. A count of 0xFFFF
    means a ZIP64 directory, which no workbook or story project needs.
    """
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or at + 12 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, at + 10)
    return total


class BoundedZip(zipfile.ZipFile):
    """A zip archive in memory whose members are inflated under a limit (:meth:`inflate`)."""

    def __init__(self, data: bytes, path: str | Path) -> None:
        super().__init__(io.BytesIO(data))
        self.data = data
        self.path = path

    def inflate(self, member: str, *, limit: int) -> Iterator[bytes]:
        """The bytes of ``member`` as they inflate, refused as soon as they pass ``limit``.

        The sizes a zip declares are written by whoever made it: a member that
        says 1,000 bytes may inflate to a gigabyte. This reads the compressed
        stream itself and counts what comes out; a member whose real size or
        checksum differs from what the zip declares is refused as damaged (so
        :mod:`zipfile`, which trusts the declared size, reads it right after).
        """
        info = self.getinfo(member)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(self.path, f"{member} is ingepakt op een onbekende manier")
        seen, crc = 0, 0
        for block in self._blocks(info):
            seen += len(block)
            if seen > limit:
                raise refuse(self.path, f"{member} is groter dan {size_text(limit)} uitgepakt")
            crc = zlib.crc32(block, crc)
            yield block
        if seen != info.file_size or crc != info.CRC:
            raise refuse(self.path, f"{member} is beschadigd: de grootte of controlesom klopt niet")

    def _blocks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        start = info.header_offset
        header = self.data[start : start + _LOCAL.size]
        if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
            raise refuse(self.path, f"{info.filename} is beschadigd (geen lokale kop)")
        fields = _LOCAL.unpack(header)
        at = start + _LOCAL.size + fields[-2] + fields[-1]
        if info.compress_type == zipfile.ZIP_STORED:
            for i in range(at, at + info.compress_size, _READ):
                yield self.data[i : min(i + _READ, at + info.compress_size)]
            return
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        while not inflater.eof:
            # What the last call left unread comes first (it stopped at _READ bytes out).
            pending = inflater.unconsumed_tail
            if not pending:
                pending = self.data[at : at + _READ]
                at += len(pending)
            if not pending:
                raise refuse(self.path, f"{info.filename} is beschadigd (afgebroken)")
            try:
                yield inflater.decompress(pending, _READ)
            except zlib.error:
                raise refuse(self.path, f"{info.filename} is beschadigd (geen deflate)") from None


def open_zip(
    path: str | Path, *, kind: str, what: str, folder: str | Path | None = None
) -> BoundedZip:
    """``path`` as a zip archive, after :func:`read_input_bytes` and a count of its members.

    The archive is read into memory whole (it is at most the limit of
    ``kind``). What a member inflates to is only known while inflating: read
    members with :meth:`BoundedZip.inflate` first, never with ``ZipFile.read``.

    Raises
    ------
    InputError
        The checks of :func:`open_input`, more than :data:`MAX_ZIP_MEMBERS`
        members, or not a zip archive at all.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.zip"
    >>> with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("leeg.xml", b" " * 5_000)
    >>> archive = open_zip(f, kind="qdpx", what="project")
    >>> sum(map(len, archive.inflate("leeg.xml", limit=10_000)))
    5000
    >>> list(archive.inflate("leeg.xml", limit=1_000))
    Traceback (most recent call last):
    npdw_learning.kern.errors.InputError: ...a.zip: leeg.xml is groter dan 1 kB uitgepakt
    """
    data = read_input_bytes(path, kind=kind, folder=folder, what=what)
    members = _declared_members(data)
    if members is not None and members > MAX_ZIP_MEMBERS:
        raise refuse(path, f"het {what} is een zip-bestand met meer dan {MAX_ZIP_MEMBERS} delen")
    try:
        return BoundedZip(data, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError):
        raise refuse(path, f"is geen zip-bestand; verwacht een {what}") from None
