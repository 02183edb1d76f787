"""Fixtures of the evaluatie tests."""

from __future__ import annotations

import pytest

from npdw_learning.evaluatie import report


@pytest.fixture
def shown(monkeypatch):
    """Every text and table a view shows, in order, as ``(section, text or HTML)``."""
    seen: list[tuple[str, str]] = []

    def collect(bundle, section, **extra):
        seen.append((section, bundle.get("text/markdown") or bundle.get("text/html") or ""))

    monkeypatch.setattr(report, "_display", collect)
    return seen
