"""The lock: every machine installs the same packages, and make keeps the venv to it.

``requirements.lock`` is made by ``make lock`` (uv) from ``pyproject.toml`` and
``requirements.in``; ``make`` installs it with pip alone (``--require-hashes``).
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements() -> list[Requirement]:
    """What the lock must satisfy: the dependencies, the dev extra, the build backend and
    the extra lines of ``requirements.in``."""
    project = PYPROJECT["project"]
    lines = [
        *project["dependencies"],
        *project["optional-dependencies"]["dev"],
        *PYPROJECT["build-system"]["requires"],
    ]
    for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("req", _requirements(), ids=str)
def test_the_lock_pins_every_requirement_within_its_range(req, locked):
    """A dependency added to pyproject.toml without `make lock` fails here."""
    if req.marker is not None and not req.marker.evaluate():
        pytest.skip(f"{req} does not apply on this platform")
    name = canonicalize_name(req.name)
    assert name in locked, f"{req.name} is not in requirements.lock: run `make lock`"
    assert req.specifier.contains(locked[name], prereleases=True), (name, locked[name])


def test_the_venv_holds_exactly_the_locked_packages(locked):
    """Nothing more (a package installed by hand), nothing less, no other version."""
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if canonicalize_name(d.metadata["Name"]) != "npdw-learning"
    }
    assert installed == locked


def _make_plan(*args: str) -> str:
    """What ``make -n`` would run, outside any make that runs these tests."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    proc = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    return proc.stdout


def test_a_changed_lock_builds_the_venv_anew_from_the_lock():
    plan = _make_plan("-W", "requirements.lock", ".venv/bin/npdw")
    steps = [
        "rm -rf .venv",
        "-m venv .venv",
        "pip install --quiet --require-hashes --only-binary :all: -r requirements.lock",
        "pip install --quiet --no-deps --no-build-isolation -e .",
        "pip check",
    ]
    at = [plan.find(step) for step in steps]
    assert -1 not in at and at == sorted(at), plan


def test_a_changed_pyproject_reinstalls_only_the_project():
    plan = _make_plan("-W", "pyproject.toml", ".venv/bin/npdw")
    assert "--no-deps --no-build-isolation -e ." in plan
    assert "rm -rf" not in plan and "requirements.lock" not in plan


def test_test_and_evaluate_need_no_lock_tool():
    """uv is only for `make lock`; a user's `make test` or `make evaluate` never fetches it."""
    plan = _make_plan("-B", "test", "evaluate")
    assert "requirements.lock" in plan  # the plan does build the venv
    assert not re.search(r"(^|[\s/])uv\b", plan) and ".lock-tools" not in plan
