"""Atomic writes: complete file or the old one, never a partial or private file."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from npdw_learning.kern.atomic import write_atomic, write_csv


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
