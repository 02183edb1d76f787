"""Fixtures of the leeragenda tests: the fixture agenda (registry and codebook: tests/conftest.py).

The fixture agenda is ``tests/data/agenda`` (efforts, learning questions, research,
lessons, and five story files); see its README for what it contains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from npdw_learning.leeragenda.agenda import Agenda, load_agenda
from npdw_learning.vertellen.stories import load_stories

AGENDA_FIXTURE = Path(__file__).parents[1] / "data" / "agenda"


@pytest.fixture(scope="module")
def collection(vocab):
    return load_stories(AGENDA_FIXTURE / "stories", vocab)


@pytest.fixture(scope="module")
def story_ids(collection):
    return [s.id for s in collection.stories]


@pytest.fixture(scope="module")
def agenda(registry, codebook, story_ids):
    return load_agenda(AGENDA_FIXTURE, registry, codebook=codebook, story_ids=story_ids)


@pytest.fixture()
def load(registry, codebook, story_ids):
    """``load(data_dir, **kwargs)``: load an agenda folder with the fixture's story ids."""

    def run(data_dir: Path, **kwargs) -> Agenda:
        kwargs.setdefault("story_ids", story_ids)
        return load_agenda(data_dir, registry, codebook=codebook, **kwargs)

    return run
