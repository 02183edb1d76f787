"""Fixtures shared by every room's tests.

The registry, codebook, story vocabulary and pseudonymiser are loaded once per
test process (they are read-only in tests). Fontconfig sees no installed font
(:data:`NO_FONTS`). ``npdw`` runs the command line in a
subprocess with a clean environment, as a user's shell would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

TEST_DATA = Path(__file__).parent / "data"
LOCK = Path(__file__).parents[1] / "requirements.lock"
# One pin of the lock: `name==version`, maybe `; marker`, then the line's continuation.
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*(.*?))?\s*\\?$")


def locked_versions(path: Path = LOCK) -> dict[str, str]:
    """Package name (canonical) to version: the pins of the lock that apply to this
    interpreter and platform (their markers evaluated here)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line)
        if m and (m[3] is None or Marker(m[3]).evaluate()):
            name = canonicalize_name(m[1])
            assert name not in pins, f"{name} twice in {path.name} for this platform"
            pins[name] = m[2]
    return pins


@pytest.fixture(scope="session")
def locked() -> dict[str, str]:
    """The versions ``requirements.lock`` pins for this machine (see :func:`locked_versions`)."""
    return locked_versions()


# The suite runs as on a fresh machine with no font installed: a fontconfig without
# font folders, set before anything starts fontconfig (and inherited by the xdist
# workers and every subprocess). The report brings its own fonts (kern/fonts.py); a
# test that lays out the report under the machine's own fonts says so explicitly.
NO_FONTS = Path(__file__).parent / "fontconfig" / "no-fonts.conf"
if os.environ.get("FONTCONFIG_FILE") != str(NO_FONTS):  # not yet set (xdist workers inherit it)
    os.environ["NPDW_MACHINE_FONTCONFIG"] = os.environ.get("FONTCONFIG_FILE", "")
    os.environ["FONTCONFIG_FILE"] = str(NO_FONTS)


# Every figure is drawn, not copied from the cache of earlier draws (kern/filecache.py): a
# test that breaks the drawing must see it break. The cache's own tests turn it on.
os.environ["NPDW_FILE_CACHE"] = "off"


@pytest.fixture(scope="session")
def machine_fonts_env() -> dict[str, str]:
    """This process's environment with the machine's own fontconfig (its installed fonts)."""
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    if env.get("NPDW_MACHINE_FONTCONFIG"):
        env["FONTCONFIG_FILE"] = env["NPDW_MACHINE_FONTCONFIG"]
    return env


@pytest.fixture(scope="session")
def bundled():
    """Dordt West, the toolkit's own programme folder, its inputs read once per process."""
    from npdw_learning.kern.programme import ProgrammeFolder

    return ProgrammeFolder.bundled()


@pytest.fixture(scope="session")
def registry(bundled):
    return bundled.registry


@pytest.fixture(scope="session")
def codebook(bundled):
    from npdw_learning.vertellen.coding import codebook_in

    return codebook_in(bundled)


@pytest.fixture(scope="session")
def vocab(bundled):
    from npdw_learning.vertellen.stories import vocabulary_in

    return vocabulary_in(bundled)


@pytest.fixture(scope="session")
def ps(vocab):
    """One pseudonymiser per test process: building deduce's model takes seconds."""
    from npdw_learning.vertellen.pseudonymise import Pseudonymiser

    return Pseudonymiser(vocab.allowlist, streets=vocab.streets)


@pytest.fixture(scope="session")
def npdw() -> Callable[..., subprocess.CompletedProcess]:
    """``npdw(*args, cwd=None, env=None)``: the CLI in a subprocess, output captured as text.

    The environment holds only PATH (the venv first), HOME, MPLBACKEND and the font-less
    FONTCONFIG_FILE, plus ``env``.
    """

    def run(
        *args: str | Path, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        base = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/tmp"),
            "MPLBACKEND": "agg",
            "FONTCONFIG_FILE": str(NO_FONTS),
        }
        return subprocess.run(
            [sys.executable, "-m", "npdw_learning.cli", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            env={**base, **(env or {})},
            timeout=600,
        )

    return run


@pytest.fixture
def npdw_here(capsys: pytest.CaptureFixture[str]) -> Callable[..., subprocess.CompletedProcess]:
    """``npdw_here(*args)``: the CLI's ``main`` in this process, exit code and output as a
    CompletedProcess, for commands that need no fresh interpreter (no notebooks, no
    papermill). An unexpected exception is not turned into an exit code: it fails the test.
    """
    from npdw_learning import cli

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        capsys.readouterr()
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse refuses the arguments
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return subprocess.CompletedProcess(["npdw", *argv], code, out.out, out.err)

    return run


def write_earlier_output(out: Path, files: Mapping[str, str]) -> Path:
    """``out`` as an earlier npdw run leaves it: ``files`` (path -> text) and npdw's list."""
    from npdw_learning.kern.outdir import new_build, replace_with, seal

    build = new_build(out)
    for rel, text in files.items():
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_text(text, encoding="utf-8")
    seal(build)
    replace_with(build, out)
    return out


@pytest.fixture(scope="session")
def earlier_output() -> Callable[[Path, Mapping[str, str]], Path]:
    """``earlier_output(out, {"rapport.html": "..."})``: a folder an earlier npdw run wrote."""
    return write_earlier_output


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules with slow tests go first.

    ``make test`` runs ``-n auto --dist loadscope``: each module goes whole to one
    worker, so a module-scoped fixture (often a whole evaluation) is built once,
    not once per worker. (``--dist loadgroup`` would allow finer groups, but with
    pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.) With the
    slow modules first, the long runs start at once on both workers and the many
    short modules fill in around them at the end.
    """
    slow = {_module(item) for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: _module(item) not in slow)  # stable: modules stay whole


@pytest.fixture(autouse=True)
def _fixtures_stay_as_committed():
    """No test writes next to a fixture (an import's review or mapping file belongs beside a
    copy in tmp_path): tests/data holds after each test what it held before."""
    before = sorted(p.name for p in TEST_DATA.iterdir())
    yield
    after = sorted(p.name for p in TEST_DATA.iterdir())
    assert after == before, f"een test schreef in tests/data: {sorted(set(after) - set(before))}"
