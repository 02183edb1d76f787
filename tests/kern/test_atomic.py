"""Atomic writes: complete file or the old one, never a partial or private file."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from npdw_learning.kern import atomic
from npdw_learning.kern.atomic import create_text, write_atomic, write_csv


def test_failed_write_keeps_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "trends.csv"
    target.write_text("oud\n")

    def broken(tmp):
        tmp.write_text("half")
        raise RuntimeError("schijf vol")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "oud\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trends.csv"]


def test_written_file_has_normal_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = write_csv(pd.DataFrame({"a": [1.5]}), tmp_path / "sub" / "t.csv")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text() == "a\n1.5\n"


def test_create_text_never_replaces_a_file(tmp_path, monkeypatch):
    target = tmp_path / "m.yaml"
    assert create_text("nieuw\n", target) is True
    assert target.read_text(encoding="utf-8") == "nieuw\n"
    assert create_text("anders\n", target) is False
    assert target.read_text(encoding="utf-8") == "nieuw\n"
    # Without hard links (some network drives), the name is claimed exclusively instead.
    monkeypatch.setattr(atomic.os, "link", lambda *a: (_ for _ in ()).throw(OSError("geen")))
    assert create_text("derde\n", target) is False
    assert create_text("vierde\r\n", tmp_path / "n.yaml") is True
    assert (tmp_path / "n.yaml").read_bytes() == b"vierde\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.yaml", "n.yaml"]  # no temp left
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
