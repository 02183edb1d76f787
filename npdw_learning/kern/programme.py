"""The programme folder: where every input of one programme is, read once.

A programme folder is the ``--data`` of every command (``npdw init`` makes
one; the toolkit's own ``data/`` is Dordt West's). :class:`ProgrammeFolder`
is the one place that knows its layout: the registry with its national
part, the story vocabulary and codebook next to it, the agenda, the
measurements with their delivery register, the demo series and the stories
folder. No other module spells a path inside the folder
(``tests/test_layout.py`` keeps it so); messages name a file by
:meth:`ProgrammeFolder.name`, relative to the folder.

The folder also loads its inputs, each once per folder object: the registry
here, the rest through :meth:`ProgrammeFolder.loaded`, which the rooms'
``*_in(folder)`` functions call (``vertellen.stories.vocabulary_in``,
``stories_in``, ``vertellen.coding.codebook_in``, ``vertellen.msc.msc_in``,
``leeragenda.agenda.agenda_in``), since kern imports no room. A loader
given no folder is a programming error: nothing falls back to Dordt West's
files; the bundled programme is just the default folder a command or
notebook chooses when no ``--data`` is given (:meth:`ProgrammeFolder.bundled`).

The name says what it is to the people who use it: the README and
``npdw init`` call it the *programmamap*, a folder, not a configuration.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from .paths import DATA_DIR, PROJ_ROOT
from .registry import NATIONAL_DIR, NPLV_FILE, load_registry

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["ProgrammeFolder", "BUNDLED_STORIES_DIR", "STORIES_GUIDE"]

T = TypeVar("T")

# ProgrammeFolder.kept: per (folder, stories folder), the fingerprint and the folder object.
_KEPT: dict[tuple[Path, ...], tuple[str, ProgrammeFolder]] = {}

STORIES_DIR_NAME = "stories"
# Inside the stories folder (which the bundled programme keeps beside data/).
MSC_FILE = "msc.yaml"
CODING_DIR = "coding"
# The toolkit's own programme: Dordt West, with its stories beside data/.
BUNDLED_STORIES_DIR = PROJ_ROOT / STORIES_DIR_NAME
# The toolkit's guide to stories (import, mapping, coding), as messages point to it.
STORIES_GUIDE = f"{STORIES_DIR_NAME}/README.md"


class _Inside:
    """A path inside the folder as a read-only attribute.

    On a folder it is the path (``folder.codebook_file``); on the class it is the
    relative name messages and help texts use (``ProgrammeFolder.codebook_file``
    is ``"registry/codebook.yaml"``).
    """

    def __init__(self, relative: str, base: str = "root") -> None:
        self.relative = PurePosixPath(relative)
        self.base = base

    def __get__(self, folder: ProgrammeFolder | None, owner: type) -> Any:
        if folder is None:
            inside = STORIES_DIR_NAME if self.base == "stories_dir" else ""
            return PurePosixPath(inside, self.relative).as_posix()
        return getattr(folder, self.base).joinpath(*self.relative.parts)


class ProgrammeFolder:
    """One programme folder: its paths, and its inputs read once.

    Parameters
    ----------
    root : path
        The folder (``--data``).
    stories : path, optional
        The stories folder (``--stories``); default ``<root>/stories``, as
        ``npdw init`` makes it.

    Examples
    --------
    >>> folder = ProgrammeFolder("elders")
    >>> folder.codebook_file.as_posix(), folder.stories_dir.as_posix()
    ('elders/registry/codebook.yaml', 'elders/stories')
    >>> folder.name(folder.codebook_file)
    'registry/codebook.yaml'
    """

    stories_dir_name = STORIES_DIR_NAME  # of a folder's own stories folder
    registry_dir = _Inside("registry")
    national_dir = _Inside(f"registry/{NATIONAL_DIR}")
    programme_file = _Inside("registry/programme.yaml")
    areas_file = _Inside("registry/areas.yaml")
    pillars_file = _Inside("registry/pillars.yaml")
    goals_file = _Inside("registry/goals.yaml")
    indicators_file = _Inside("registry/indicators.yaml")
    share_groups_file = _Inside("registry/share_groups.yaml")
    sources_file = _Inside("registry/sources.yaml")
    national_pillars_file = _Inside(f"registry/{NATIONAL_DIR}/pillars.yaml")
    national_indicators_file = _Inside(f"registry/{NATIONAL_DIR}/indicators.yaml")
    # The NPLV focus areas (tellen.nplv): national, kept out of every comparison pool.
    nplv_file = _Inside(f"registry/{NATIONAL_DIR}/{NPLV_FILE}")
    efforts_file = _Inside("registry/efforts.yaml")
    codebook_file = _Inside("registry/codebook.yaml")
    vocabulary_file = _Inside("registry/stories.yaml")  # the story vocabulary
    streets_file = _Inside("registry/streets.yaml")
    cbs_mapping_file = _Inside("registry/cbs.yaml")
    agenda_dir = _Inside("agenda")
    learning_questions_file = _Inside("agenda/learning_questions.yaml")
    research_file = _Inside("agenda/research.yaml")
    lessons_file = _Inside("agenda/lessons.yaml")
    measurements_dir = _Inside("measurements")
    deliveries_file = _Inside("measurements/deliveries.yaml")
    demo_dir = _Inside("demo")
    # In the stories folder: msc_file as "stories/msc.yaml" on the class.
    msc_file = _Inside(MSC_FILE, base="stories_dir")
    coding_dir = _Inside(CODING_DIR, base="stories_dir")

    @classmethod
    def layout(cls) -> dict[str, str]:
        """Every path of the layout by attribute, relative to the folder (``stories``: the
        folder's own stories folder).

        Examples
        --------
        >>> ProgrammeFolder.layout()["codebook_file"]
        'registry/codebook.yaml'
        """
        inside = {
            name: getattr(cls, name)
            for klass in reversed(cls.__mro__)
            for name, value in vars(klass).items()
            if isinstance(value, _Inside)
        }
        return {**inside, "stories": STORIES_DIR_NAME}

    def __init__(self, root: str | os.PathLike[str], stories: str | os.PathLike[str] | None = None):
        self.root = Path(root)
        self.stories_dir = Path(stories) if stories is not None else self.root / STORIES_DIR_NAME
        self._loaded: dict[Any, Any] = {}

    @classmethod
    def bundled(cls) -> ProgrammeFolder:
        """Dordt West, the toolkit's own programme (``data/`` with ``stories/`` beside it)."""
        return cls(DATA_DIR, BUNDLED_STORIES_DIR)

    @classmethod
    def chosen(
        cls,
        data: str | os.PathLike[str] | None,
        stories: str | os.PathLike[str] | None = None,
    ) -> ProgrammeFolder:
        """The folder a command or notebook was given; ``data=None``: the bundled one.

        ``stories=None`` is the folder's own stories folder: Dordt West's beside
        ``data/`` for the bundled programme, ``<data>/stories`` for any other.
        """
        if data is None or Path(data).resolve() == DATA_DIR.resolve():
            folder = cls.bundled()
            return folder if stories is None else cls(folder.root, stories)
        return cls(data, stories)

    @classmethod
    def kept(
        cls,
        data: str | os.PathLike[str] | None,
        stories: str | os.PathLike[str] | None = None,
    ) -> ProgrammeFolder:
        """:meth:`chosen`, but the same object as the last call for that folder in this
        process while none of its :meth:`input_files` changed (by content, demo series
        included), so what it loaded is not read again.

        For the notebooks of a run, which share one kernel: each notebook opens the
        folder anew (:meth:`npdw_learning.evaluatie.steps.Run.from_parameters`), and
        without this each would read the registry, the stories and the measurements
        again. A changed, added or removed file gives a new object.

        Examples
        --------
        >>> ProgrammeFolder.kept(None) is ProgrammeFolder.kept(None)
        True
        """
        folder = cls.chosen(data, stories)
        # Resolved (a relative name means another folder after a chdir) and as spelled (the
        # object's paths are what the caller named: "data" stays relative, None absolute).
        key = (folder.root.resolve(), folder.stories_dir.resolve(), folder.root, folder.stories_dir)
        stamp = folder.fingerprint()
        known = _KEPT.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        _KEPT[key] = (stamp, folder)
        return folder

    def fingerprint(self) -> str:
        """A hash of the names and contents of every input file (:meth:`input_files`,
        demo series included)."""
        import hashlib

        digest = hashlib.blake2b(digest_size=16)
        for path in self.input_files(demo=True):
            digest.update(self.name(path).encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        return digest.hexdigest()

    def __repr__(self) -> str:
        return f"ProgrammeFolder({str(self.root)!r}, stories={str(self.stories_dir)!r})"

    def name(self, path: str | os.PathLike[str]) -> str:
        """``path`` as a message names it: relative to the folder (or the stories folder)
        when inside it, else as given."""
        path = Path(path)
        for base, prefix in ((self.stories_dir, STORIES_DIR_NAME), (self.root, "")):
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            return f"{prefix}/{rel}".lstrip("/") if rel != "." else (prefix or ".")
        return str(path)

    def input_files(self, *, demo: bool) -> list[Path]:
        """Every file of the folder an evaluation reads, in a fixed order: registry (with its
        national part), measurements, demo series (with ``demo``), agenda, stories, the
        coders' files and the stories folder's YAML (MSC)."""
        groups = [
            sorted(self.registry_dir.glob("*.yaml")),
            sorted(self.national_dir.glob("*.yaml")),
            sorted(self.measurements_dir.glob("*.csv")),
            sorted(self.measurements_dir.glob("*.xlsx")),
            sorted(self.measurements_dir.glob("*.yaml")),
            sorted(self.demo_dir.glob("*.csv")) if demo else [],
            sorted(self.agenda_dir.glob("*.yaml")),
            sorted(self.stories_dir.glob("*.md")),
            sorted(self.coding_dir.glob("*.csv")),
            sorted(self.stories_dir.glob("*.yaml")),
        ]
        return [p for group in groups for p in group if p.is_file()]

    # -- loading, once per folder object -------------------------------------------------

    def loaded(self, key: Any, load: Callable[[], T]) -> T:
        """``load()`` the first time ``key`` is asked for, the same object afterwards.

        The rooms' ``*_in(folder)`` functions pass themselves as ``key``. An error
        is not kept: the next call reads again.
        """
        if key not in self._loaded:
            self._loaded[key] = load()
        return self._loaded[key]

    def forget(self, key: Any) -> None:
        """Read ``key`` again next time it is asked for (after a command changed its files)."""
        self._loaded.pop(key, None)

    @property
    def registry(self) -> Registry:
        """The programme registry (``registry/`` with its national part), read once."""
        return self.loaded("registry", lambda: load_registry(self.registry_dir))
