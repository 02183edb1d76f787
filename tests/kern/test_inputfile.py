"""Opening files from outside: regular files only, inside their folder, of bounded size."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pytest
from hostile_files import deflate_repeated, fifo, raw_zip, sparse_file, unix_socket

from npdw_learning.kern.errors import InputError
from npdw_learning.kern.inputfile import (
    LIMITS,
    MAX_ZIP_MEMBERS,
    open_zip,
    read_input_bytes,
    read_input_text,
    size_text,
)


def test_a_regular_file_reads_as_it_is_and_text_gets_plain_line_ends(tmp_path):
    f = tmp_path / "verhaal.md"
    f.write_bytes("regel één\r\nregel twee\rdrie\n".encode())
    assert read_input_bytes(f, kind="story") == f.read_bytes()
    assert read_input_text(f, kind="story") == "regel één\nregel twee\ndrie\n"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: d / "weg.md", "verhaal ontbreekt"),
        (lambda d: (d / "map.md").mkdir() or d / "map.md", "geen gewoon bestand maar een map"),
        (lambda d: fifo(d / "pijp.md"), r"named pipe \(FIFO\)"),
        (lambda d: _link(d / "nul.md", Path("/dev/zero"), d), "symbolische koppeling"),
    ],
    ids=["ontbreekt", "map", "fifo", "dev-zero"],
)
def test_what_is_not_a_regular_file_inside_its_folder_is_refused_before_reading(
    tmp_path, make, says
):
    path = make(tmp_path)
    with pytest.raises(InputError, match=says) as info:
        read_input_bytes(path, kind="story", what="verhaal")
    assert str(path) in str(info.value)


def _link(link: Path, target: Path, folder: Path) -> Path:
    link.symlink_to(target)
    return link


def test_a_device_reached_without_a_link_is_refused_too():
    with pytest.raises(InputError, match=r"geen gewoon bestand maar een apparaat"):
        read_input_bytes("/dev/zero", kind="table")


def test_a_socket_is_refused(tmp_path):
    path, sock = unix_socket(tmp_path / "s.md")
    try:
        with pytest.raises(InputError, match="een socket"):
            read_input_bytes(path, kind="story")
    finally:
        sock.close()


def test_a_link_inside_its_folder_is_fine_one_outside_is_refused(tmp_path):
    (tmp_path / "archief").mkdir()
    real = tmp_path / "archief" / "vt-001.md"
    real.write_text("tekst", encoding="utf-8")
    (tmp_path / "vt-001.md").symlink_to(real)
    assert read_input_text(tmp_path / "vt-001.md", kind="story") == "tekst"
    secret = tmp_path.parent / f"{tmp_path.name}-buiten.txt"
    secret.write_text("geheim", encoding="utf-8")
    (tmp_path / "archief" / "lek.md").symlink_to(secret)
    with pytest.raises(InputError, match="buiten de map"):
        read_input_text(tmp_path / "archief" / "lek.md", kind="story", folder=tmp_path)


def test_a_file_over_its_limit_is_refused_with_its_size(tmp_path):
    big = sparse_file(tmp_path / "groot.md", 52_428_800, b"---\nid: x\n---\n")
    with pytest.raises(InputError, match=r"is 52,4 MB; een verhaal mag hoogstens 1 MB zijn"):
        read_input_bytes(big, kind="story", what="verhaal")
    exactly = sparse_file(tmp_path / "precies.md", LIMITS["story"])
    assert len(read_input_bytes(exactly, kind="story")) == LIMITS["story"]


@pytest.mark.parametrize(
    ("n", "text"),
    [(999, "999 bytes"), (1_000, "1 kB"), (1_500_000, "1,5 MB"), (2 * 10**9, "2 GB")],
)
def test_size_text(n, text):
    assert size_text(n) == text


def _zip_of(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return path


def test_open_zip_inflates_a_member_and_counts_what_really_comes_out(tmp_path):
    archive = open_zip(_zip_of(tmp_path / "p.qdpx", "project.qde", b"<x/>" * 1000), **QDPX)
    assert b"".join(archive.inflate("project.qde", limit=4000)) == b"<x/>" * 1000
    with pytest.raises(InputError, match="project.qde is groter dan 3 kB uitgepakt"):
        list(archive.inflate("project.qde", limit=3000))


QDPX = {"kind": "qdpx", "what": "project"}


def test_a_member_that_understates_its_size_is_stopped_at_the_limit(tmp_path):
    stream = deflate_repeated(b" " * 65536, 16 * 1024)  # 1 GB of spaces, about 1 MB here
    path = raw_zip(tmp_path / "liegt.qdpx", [("project.qde", stream, 1000, 0, 8)])
    assert path.stat().st_size < 2_000_000
    archive = open_zip(path, **QDPX)
    assert archive.getinfo("project.qde").file_size == 1000  # what the zip claims
    with pytest.raises(InputError, match="groter dan 10 MB uitgepakt"):
        for _ in archive.inflate("project.qde", limit=10_000_000):
            pass


def test_a_member_whose_size_or_checksum_lies_within_the_limit_is_damaged(tmp_path):
    data = b"<Project/>" * 100
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = packer.compress(data) + packer.flush()
    for size, crc in ((10, zlib.crc32(data)), (len(data), 12345)):
        path = raw_zip(tmp_path / "kapot.qdpx", [("project.qde", stream, size, crc, 8)])
        with pytest.raises(InputError, match="beschadigd: de grootte of controlesom klopt niet"):
            list(open_zip(path, **QDPX).inflate("project.qde", limit=10**6))


def test_a_stored_member_is_read_and_bounded_too(tmp_path):
    data = b"a" * 5000
    path = raw_zip(tmp_path / "s.qdpx", [("project.qde", data, len(data), zlib.crc32(data), 0)])
    assert b"".join(open_zip(path, **QDPX).inflate("project.qde", limit=5000)) == data
    with pytest.raises(InputError, match="groter dan"):
        list(open_zip(path, **QDPX).inflate("project.qde", limit=4999))


def test_a_zip_that_declares_too_many_members_is_refused_before_zipfile_reads_them(tmp_path):
    path = raw_zip(tmp_path / "veel.qdpx", [("a", b"\x03\x00", 0, 0, 8)])
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = (MAX_ZIP_MEMBERS + 1).to_bytes(2, "little") * 2
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=f"meer dan {MAX_ZIP_MEMBERS} delen"):
        open_zip(path, **QDPX)


def test_not_a_zip_is_said_so(tmp_path):
    path = tmp_path / "tekst.qdpx"
    path.write_bytes(b"gewoon tekst")
    with pytest.raises(InputError, match="geen zip-bestand"):
        open_zip(path, **QDPX)
