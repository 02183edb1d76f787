"""Tests for npdw_learning.kern.filecache: a figure drawn from the same inputs is copied,
byte for byte what a new draw gives; any change to the inputs draws it again."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from npdw_learning.kern import filecache
from npdw_learning.kern.filecache import digest, made_once, made_once_bytes


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    """The cache on (the suite turns it off), in a folder of its own."""
    folder = tmp_path / "cache"
    monkeypatch.delenv("NPDW_FILE_CACHE", raising=False)
    monkeypatch.setenv("NPDW_CACHE_DIR", str(folder))
    return folder


class Maker:
    """Writes ``content`` and counts how often it was asked to."""

    def __init__(self, content: bytes) -> None:
        self.content, self.calls = content, 0

    def __call__(self, tmp: Path) -> None:
        self.calls += 1
        tmp.write_bytes(self.content)


# -- digest ------------------------------------------------------------------------------


def test_digest_sees_every_value_column_type_and_cell():
    base = pd.DataFrame({"indicator": ["a", "b"], "value": [1.0, np.nan], "goals": [["x"], []]})
    same = digest(base)
    assert digest(base.copy()) == same
    changed = [
        base.assign(value=[1.0, 2.0]),
        base.assign(value=[1, 0]).astype({"value": "int64"}),
        base.rename(columns={"value": "waarde"}),
        base.assign(goals=[["x", "y"], []]),  # a list in a cell
        base.iloc[::-1],  # order counts: the figure draws rows in order
        base.set_axis([5, 6]),
    ]
    assert len({same, *(digest(c) for c in changed)}) == len(changed) + 1


def test_digest_keeps_kinds_apart_and_refuses_what_it_cannot_read():
    assert digest("1") != digest(1) != digest(1.0)
    assert digest(["a", "b"]) != digest("ab") != digest(("a",), "b")
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest(b"png") != digest("png")
    with pytest.raises(TypeError, match="geen vaste waarde"):
        digest(object())


# -- made_once -----------------------------------------------------------------------------


def test_a_file_is_made_once_then_copied(cache, tmp_path):
    make = Maker(b"figuur")
    first = made_once(tmp_path / "uit" / "a.png", digest("k"), make)
    second = made_once(tmp_path / "elders" / "a.png", digest("k"), make)
    assert make.calls == 1
    assert first.read_bytes() == second.read_bytes() == b"figuur"
    assert len(list((cache / "files").iterdir())) == 1
    made_once(tmp_path / "uit" / "b.png", digest("other"), make)
    assert make.calls == 2


def test_without_the_cache_every_file_is_made(tmp_path, monkeypatch):
    monkeypatch.setenv("NPDW_FILE_CACHE", "off")
    monkeypatch.setenv("NPDW_CACHE_DIR", str(tmp_path / "cache"))
    make = Maker(b"x")
    for _ in range(2):
        made_once(tmp_path / "a.png", digest("k"), make)
    assert make.calls == 2
    assert not (tmp_path / "cache").exists()


def test_a_cache_folder_that_cannot_be_written_is_no_cache(tmp_path, monkeypatch):
    blocked = tmp_path / "geen-map"
    blocked.write_text("een bestand, geen map")
    monkeypatch.delenv("NPDW_FILE_CACHE", raising=False)
    monkeypatch.setenv("NPDW_CACHE_DIR", str(blocked))
    make = Maker(b"x")
    assert made_once(tmp_path / "a.png", digest("k"), make).read_bytes() == b"x"
    assert made_once_bytes(digest("k"), ".png", lambda: b"y") == b"y"


def test_a_failed_make_leaves_nothing_in_the_cache_or_the_folder(cache, tmp_path):
    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("schijf vol")

    with pytest.raises(OSError, match="schijf vol"):
        made_once(tmp_path / "uit" / "a.png", digest("k"), broken)
    assert list((tmp_path / "uit").iterdir()) == []
    assert not (cache / "files").exists() or list((cache / "files").iterdir()) == []


def test_bytes_are_made_once(cache):
    calls = []
    for _ in range(2):
        assert made_once_bytes(digest("k"), ".png", lambda: calls.append(1) or b"z") == b"z"
    assert calls == [1]


def test_the_least_recently_used_files_go_first(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(filecache, "MAX_FILES", 3)
    monkeypatch.setattr(filecache._prune, "__defaults__", (3,))
    for i in range(3):
        made_once(tmp_path / f"{i}.png", digest(i), Maker(b"%d" % i))
        kept = cache / "files"
        for n, p in enumerate(sorted(kept.iterdir(), key=lambda p: p.stat().st_mtime_ns)):
            os.utime(p, ns=(n, n))  # a clear order, whatever the clock's resolution
    oldest = min(kept.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    made_once(tmp_path / "3.png", digest(3), Maker(b"3"))
    assert len(list(kept.iterdir())) == 3
    assert not oldest.exists()


# -- the figures of a run ------------------------------------------------------------------


def test_pillar_figures_are_copied_byte_for_byte_and_redrawn_after_a_change(
    cache, tmp_path, monkeypatch
):
    from npdw_learning.kern import parallel
    from npdw_learning.tellen import figures

    m = pd.DataFrame(
        {
            "indicator": ["x"] * 4 + ["y"] * 4,
            "area": "wielwijk",
            "year": [2015, 2017, 2019, 2021] * 2,
            "value": [40.0, 42.0, 41.0, 45.0, 10.0, 11.0, 12.0, 12.5],
        }
    )
    ind = pd.DataFrame(
        {
            "id": ["x", "y"],
            "label": ["Eerste", "Tweede"],
            "pillar": ["wonen", "werk"],
            "unit_label": ["%", "%"],
            "higher_is_better": [True, False],
        }
    )
    pil = pd.DataFrame({"id": ["wonen", "werk"], "label": ["Wonen", "Werk"]})
    drawn: list[str] = []
    real = figures.plot_pillar

    def counted(*args, **kwargs):
        drawn.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "plot_pillar", counted)
    monkeypatch.setattr(parallel, "_forking", lambda: False)  # drawn here, so counted here
    labels = {"wielwijk": "Wielwijk"}

    def save(frame, out):
        return figures.save_pillar_figures(frame, ind, None, pil, out, area_labels=labels, dpi=40)

    first = save(m, tmp_path / "een")
    assert sorted(drawn) == ["werk", "wonen"]
    copied = save(m.copy(), tmp_path / "twee")
    assert sorted(drawn) == ["werk", "wonen"]  # nothing drawn again
    monkeypatch.setenv("NPDW_FILE_CACHE", "off")
    fresh = save(m, tmp_path / "drie")
    for a, b, c in zip(first, copied, fresh, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    monkeypatch.delenv("NPDW_FILE_CACHE")
    drawn.clear()
    changed = m.assign(value=m["value"].where(m["indicator"] != "y", m["value"] + 1))
    after = save(changed, tmp_path / "vier")
    assert drawn == ["werk"]  # only the pillar whose values changed is drawn again
    assert after[0].read_bytes() == first[0].read_bytes()
    assert after[1].read_bytes() != first[1].read_bytes()


def test_the_report_fonts_come_from_the_cache_unchanged(cache, monkeypatch):
    """The WOFF2 subsets of the report's faces are made once and kept: the kept bytes are
    the ones fontTools makes."""
    from npdw_learning.kern import fonts

    made: list[Path] = []
    real = fonts._subset_woff2
    monkeypatch.setattr(fonts, "_subset_woff2", lambda p: made.append(p) or real(p))
    path = next(iter(fonts.font_files().values()))
    first = fonts._woff2(path)
    assert fonts._woff2(path) == first == real(path)
    assert made == [path]
