"""The run's comparison tables come from the file cache when nothing they are made of changed."""

from __future__ import annotations

import shutil

import pytest

from npdw_learning.evaluatie import steps
from npdw_learning.kern.paths import DATA_DIR, PROJ_ROOT
from npdw_learning.tellen.measurements import measurements_in


@pytest.fixture
def cached(tmp_path, monkeypatch):
    monkeypatch.setenv("NPDW_FILE_CACHE", "on")
    monkeypatch.setenv("NPDW_CACHE_DIR", str(tmp_path / "cache"))
    made = []
    real = steps._comparison_files

    def counted(run, measurements):
        made.append(run.out_dir)
        return real(run, measurements)

    monkeypatch.setattr(steps, "_comparison_files", counted)
    return made


def _tables(run):
    loaded = measurements_in(run.folder, demo=True, until_year=run.year)
    written = steps.comparison_tables(run, loaded.measurements)
    return {p.name: p.read_bytes() for p in written}


def test_the_same_inputs_give_the_same_bytes_from_the_cache(tmp_path, cached, monkeypatch):
    first = _tables(steps.Run.from_parameters(2026, out_dir=tmp_path / "a", demo=True))
    again = _tables(steps.Run.from_parameters(2026, out_dir=tmp_path / "b", demo=True))
    assert len(cached) == 1  # the second run read the cache
    assert again == first and "comparison.csv" in first
    monkeypatch.setenv("NPDW_FILE_CACHE", "off")
    fresh = _tables(steps.Run.from_parameters(2026, out_dir=tmp_path / "c", demo=True))
    assert fresh == first and len(cached) == 2  # and equal to a fresh computation


def test_a_changed_input_or_year_is_computed_anew(tmp_path, cached):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    stories = PROJ_ROOT / "stories"
    _tables(steps.Run.from_parameters(2026, data, stories, tmp_path / "a", demo=True))
    _tables(steps.Run.from_parameters(2025, data, stories, tmp_path / "b", demo=True))
    assert len(cached) == 2  # another year
    cbs = data / "registry" / "cbs.yaml"  # any byte of any input counts, even a comment
    cbs.write_text(cbs.read_text(encoding="utf-8") + "# bewerkt\n", encoding="utf-8")
    _tables(steps.Run.from_parameters(2026, data, stories, tmp_path / "c", demo=True))
    assert len(cached) == 3
