"""Fixtures of the tellen tests: a writable copy of the bundled programme folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder


@pytest.fixture
def programme_copy(tmp_path) -> Callable[[str], Path]:
    """``programme_copy(name)``: the bundled registry and measurements (baseline and delivery
    register) copied to ``tmp_path / name``, a programme folder a test may change."""

    def copy(name: str = "data") -> Path:
        folder = tmp_path / name
        for part in (ProgrammeFolder.registry_dir, ProgrammeFolder.measurements_dir):
            shutil.copytree(DATA_DIR / part, folder / part)
        return folder

    return copy
