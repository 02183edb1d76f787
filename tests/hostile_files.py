"""Hostile inputs, made at test time: small on disk, large (or endless) when read naively.

Each maker writes one file (or special file) into a folder the test owns and
returns its path. The bombs are built from deflate streams assembled by hand,
so a 2 GB member costs a few milliseconds and 2 MB here, and a zip can claim
any size it likes.
"""

from __future__ import annotations

import os
import socket
import struct
import zlib
from pathlib import Path

__all__ = [
    "alias_bomb",
    "deflate_repeated",
    "raw_zip",
    "xlsx_with_sheet",
    "xlsx_cell_bomb",
    "xlsx_whitespace_bomb",
    "qdpx_lying",
    "sparse_file",
    "fifo",
    "unix_socket",
    "web_app",
    "thesis",
]


def alias_bomb(levels: int = 10, width: int = 10, key: str = "a") -> str:
    """YAML whose last anchor stands for ``width ** levels`` values (the billion laughs)."""
    lines = [f"{key}0: &{key}0 [lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*{key}{i - 1}"] * width)
        lines.append(f"{key}{i}: &{key}{i} [{refs}]")
    return "\n".join(lines) + "\n"


def deflate_repeated(block: bytes, times: int, *, head: bytes = b"", tail: bytes = b"") -> bytes:
    """A raw deflate stream of ``head + block * times + tail``, built in a few milliseconds.

    After a full flush a compressor starts afresh, so compressing ``block``
    once gives bytes that can be repeated; a final empty block ends the stream.
    """
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    body = zlib.compressobj(9, zlib.DEFLATED, -15)
    once = body.compress(block) + body.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(tail) + last.flush(zlib.Z_FINISH)
    return start + once * times + end


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip of ``(name, deflated data, declared size, crc, method)`` members, sizes as given."""
    out, central = bytearray(), bytearray()
    for name, data, size, crc, method in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0
        )
        out += encoded + data
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        len(members),
        len(members),
        len(central),
        len(out),
        0,
    )
    path.write_bytes(bytes(out + central + end))
    return path


_OOXML = "http://schemas.openxmlformats.org"
_REL = f"{_OOXML}/officeDocument/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="{_OOXML}/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_TYPE}.worksheet+xml"/>
</Types>""".encode()
_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_OOXML}/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""".encode()
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{_OOXML}/spreadsheetml/2006/main" xmlns:r="{_REL}">
<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>""".encode()
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{_OOXML}/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>""".encode()
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:XFD1048576"/><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _small(data: bytes) -> tuple[str, bytes, int, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return ("", packer.compress(data) + packer.flush(), len(data), zlib.crc32(data), 8)


def xlsx_with_sheet(path: Path, sheet: bytes, *, declared: int, crc: int = 0) -> Path:
    """A workbook whose one worksheet is the raw deflate stream ``sheet``, size as declared."""
    members = []
    for name, data in (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
        ("xl/workbook.xml", _WORKBOOK),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
    ):
        _, packed, size, check, method = _small(data)
        members.append((name, packed, size, check, method))
    members.append(("xl/worksheets/sheet1.xml", sheet, declared, crc, 8))
    return raw_zip(path, members)


def xlsx_cell_bomb(path: Path, cells: int = 60_000_000) -> Path:
    """About 1.3 MB on disk: one row after another of empty cells, ``cells`` in all."""
    row = b'<row r="1">' + b'<c r="A1"/>' * 1000 + b"</row>"
    stream = deflate_repeated(row, cells // 1000, head=_SHEET_HEAD, tail=_SHEET_TAIL)
    size = len(_SHEET_HEAD) + len(row) * (cells // 1000) + len(_SHEET_TAIL)
    return xlsx_with_sheet(path, stream, declared=size & 0xFFFFFFFF)


def xlsx_whitespace_bomb(path: Path, inflated: int = 2 * 10**9) -> Path:
    """About 2 MB on disk: a worksheet of ``inflated`` bytes of spaces inside its XML."""
    block = b" " * (1 << 20)
    times = inflated // len(block)
    stream = deflate_repeated(block, times, head=_SHEET_HEAD, tail=_SHEET_TAIL)
    return xlsx_with_sheet(path, stream, declared=1000)


def qdpx_lying(path: Path, inflated: int = 10**9, declared: int = 1000) -> Path:
    """A .qdpx whose project.qde declares ``declared`` bytes and inflates to ``inflated``."""
    head = b'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0">'
    block = b"<!-- " + b"x" * ((1 << 20) - 9) + b" -->"
    stream = deflate_repeated(block, inflated // len(block), head=head, tail=b"</Project>")
    return raw_zip(path, [("project.qde", stream, declared, 0, 8)])


def sparse_file(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes almost no disk (a hole after ``head``)."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def fifo(path: Path) -> Path:
    """A named pipe: reading it waits for a writer that never comes."""
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> tuple[Path, socket.socket]:
    """A listening Unix socket at ``path``; the caller closes the socket."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    return path, sock


def web_app(folder: Path) -> Path:
    """A user's folder that happens to hold a manifest.json: a small web app."""
    (folder / "src").mkdir(parents=True)
    (folder / "manifest.json").write_text('{"name": "mijn app"}', encoding="utf-8")
    (folder / "index.html").write_text("<h1>app</h1>", encoding="utf-8")
    (folder / "src" / "app.js").write_text("console.log(1)", encoding="utf-8")
    return folder


def thesis(folder: Path) -> Path:
    """A user's folder with a thesis and notes in a subfolder."""
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.docx").write_bytes(b"PK hoofdstuk 1")
    (folder / "sub" / "notes.txt").write_text("aantekeningen", encoding="utf-8")
    return folder
