"""The users of a REFI-QDA project: who a QDA tool codes as, and whose codings an import counts.

A REFI-QDA project lists its users; QualCoder makes the *first* user in that
list the current coder when it imports a project (``RefiImport.import_project``
sets its coder name to ``users[0]``), so everything a coder codes without
changing the name in its settings is stored under that user. The export
therefore puts the coder first: the name given with ``--coder``, or else the
neutral user :data:`NEUTRAL_USER` (``codeur``), never ``auto``, whose codings
the export itself writes. Then come the coders whose codings the project
carries, and ``auto`` last.

On the way back, :func:`choose_codings` decides which codings are the new
coder's and says, as a :class:`~npdw_learning.kern.errors.Finding`, when they
were made as the neutral user or as ``auto`` and which ``--user`` to pass.
Codings of ``auto`` that are exactly the automatic coding (same story, theme,
start and end) are the export's own; any other coding of ``auto`` was made by
a person whose QDA tool took ``auto`` as the coder (a project exported before
``--coder`` existed lists ``auto`` first).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from ..kern.errors import Finding, InputError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import ID_PATTERN

__all__ = [
    "AUTO_USER",
    "NEUTRAL_USER",
    "Coding",
    "check_coder_name",
    "coder_name_problem",
    "project_users",
    "choose_codings",
]

AUTO_USER = "auto"
NEUTRAL_USER = "codeur"
_RESERVED = (AUTO_USER, NEUTRAL_USER)
# Names Windows keeps for devices, whatever the extension: con.csv cannot be a file there.
_DEVICES = {"con", "prn", "aux", "nul", *(f"{p}{i}" for p in ("com", "lpt") for i in range(10))}
_NO_USER = "(zonder gebruiker)"


def check_coder_name(name: str, where: str = "(opdrachtregel)") -> str:
    """A coder's name as it may become ``stories/coding/<name>.csv``; else an input error.

    Lowercase letters and digits, joined by single ``-`` or ``_``: no path
    separators, no XML specials, no leading ``=`` or ``+`` that a spreadsheet
    would run, no trailing newline, no name Windows keeps for a device (``con``,
    ``nul``, ...). ``auto`` and ``codeur`` are reserved.

    Examples
    --------
    >>> check_coder_name("carla")
    'carla'
    >>> check_coder_name("../carla")
    Traceback (most recent call last):
    ...
    npdw_learning.kern.errors.InputError: (opdrachtregel): codeur '../carla': ...
    """
    problem = coder_name_problem(name)
    if problem:
        raise InputError(f"{where}: codeur {name!r}: {problem}; er is niets geschreven.")
    return name


def coder_name_problem(name: str) -> str | None:
    """What is wrong with a coder's name, in Dutch; ``None`` when it is fine.

    Examples
    --------
    >>> coder_name_problem("carla") is None, coder_name_problem("carla\\n") is None
    (True, False)
    """
    if not isinstance(name, str) or not ID_PATTERN.fullmatch(name):
        return (
            "gebruik kleine letters, cijfers, - en _ (de naam wordt het bestand "
            f"{ProgrammeFolder.coding_dir}/NAAM.csv)"
        )
    if name in _RESERVED:
        return f"'{AUTO_USER}' en '{NEUTRAL_USER}' zijn gereserveerd, kies een eigen naam"
    if name in _DEVICES:
        return "Windows kan geen bestand met die naam maken, kies een andere"
    return None


def project_users(coder: str | None, coders: Iterable[str]) -> list[str]:
    """The users of an exported project, in order: the coder first, ``auto`` last.

    Parameters
    ----------
    coder : str or None
        Who will code the project (``--coder``); ``None`` gives the neutral
        user :data:`NEUTRAL_USER`.
    coders : iterable of str
        The coders whose codings the project carries (their files in
        ``stories/coding/``).

    Examples
    --------
    >>> project_users(None, ["anouk", "bram"])
    ['codeur', 'anouk', 'bram', 'auto']
    >>> project_users("bram", ["anouk", "bram"])
    ['bram', 'anouk', 'auto']
    """
    first = NEUTRAL_USER if coder is None else coder
    return [first, *(c for c in coders if c != first), AUTO_USER]


@dataclass(frozen=True)
class Coding:
    """One coding in a project: a code on a stretch of a source, by a user."""

    source: str  # the source's name, for messages
    story_id: str | None
    code: str  # code GUID
    user: str  # user GUID ("" when none)
    start: int | None = None
    end: int | None = None


def _automatic(
    codings: Sequence[Coding], theme_of: dict[str, str | None], automatic: Collection[tuple]
) -> set[Coding]:
    """The codings of ``auto`` that are the export's automatic coding.

    Only when the project carries the automatic coding (at least half of its
    selections, ``automatic`` being those for the stories in the project): a
    blind export has none, and a person who coded as ``auto`` may well select
    exactly the word the automatic coding would.
    """
    expected = set(automatic)

    def key(c: Coding) -> tuple:
        return (c.story_id, theme_of.get(c.code), c.start, c.end)

    present = {key(c) for c in codings} & expected
    if not expected or 2 * len(present) < len(expected):
        return set()
    return {c for c in codings if key(c) in expected}


def _names(guids: Iterable[str], users: dict[str, str]) -> list[str]:
    return sorted({users.get(g, g) if g else _NO_USER for g in guids})


def _fail(name: str, message: str) -> InputError:
    return InputError(f"{name}: {message}; er is niets geschreven.")


def choose_codings(
    codings: Sequence[Coding],
    users: dict[str, str],
    *,
    theme_of: dict[str, str | None],
    wanted: Sequence[str] = (),
    known_users: Iterable[str] = (),
    automatic: Collection[tuple] = (),
    name: str = "",
) -> tuple[list[Coding], list[Finding]]:
    """The codings an import counts, and what the user should know about them.

    Parameters
    ----------
    codings : sequence of Coding
        Every coding in the project.
    users : dict
        User GUID -> name.
    theme_of : dict
        Code GUID -> theme id (``None``: not in the codebook).
    wanted : sequence of str
        The ``--user`` names (any case); empty: the one user the export did not
        write, that is not ``auto`` and not a coder in ``known_users``.
    known_users : iterable of str
        Coders who already have a file: their codings are the export's.
    automatic : collection of (story_id, theme, start, end)
        The selections of the automatic coding, to tell them from codings a
        person made as ``auto``.
    name : str
        The project file, for messages.

    Returns
    -------
    (list of Coding, list of Finding)
        The codings that count, and warnings: codings made as the neutral user
        or as ``auto``, or left out as the automatic coding.

    Raises
    ------
    InputError
        An unknown ``--user``; codings of more than one new user; codings a
        person made as ``auto`` without ``--user``.
    """
    auto = {g for g, n in users.items() if n == AUTO_USER}
    machine = _automatic([c for c in codings if c.user in auto], theme_of, automatic)
    if wanted:
        theirs = _wanted(codings, users, wanted, name)
        notes = _left_out(theirs, machine, name)
        theirs = [c for c in theirs if c not in machine]
    else:
        ours = {g for g, n in users.items() if n in {AUTO_USER, *known_users}}
        theirs = [c for c in codings if c.user not in ours]
        by_auto = [c for c in codings if c.user in auto and c not in machine]
        _refuse_ambiguity(theirs, by_auto, users, name)
        notes = []
    return theirs, notes + _made_as(theirs, users, name)


def _wanted(codings: Sequence[Coding], users: dict[str, str], wanted: Sequence[str], name: str):
    chosen = {w.casefold() for w in wanted}
    guids = {g for g, n in users.items() if n.casefold() in chosen}
    missing = sorted(chosen - {users[g].casefold() for g in guids})
    if missing:
        listed = ", ".join(sorted(users.values())) or "geen"
        raise _fail(
            name,
            f"gebruiker '{', '.join(missing)}' staat niet in het project (wel: {listed})",
        )
    return [c for c in codings if c.user in guids]


def _left_out(theirs: list[Coding], machine: set[Coding], name: str) -> list[Finding]:
    left_out = sum(c in machine for c in theirs)
    if not left_out:
        return []
    message = (
        f"{left_out} coderingen van '{AUTO_USER}' zijn de automatische codering uit de "
        "export (zelfde verhaal, thema en plaats) en tellen niet mee"
    )
    return [Finding("warning", name, message)]


def _refuse_ambiguity(
    theirs: list[Coding], by_auto: list[Coding], users: dict[str, str], name: str
) -> None:
    """More than one new user, or codings made as ``auto``: the user must choose with --user."""
    new = _names((c.user for c in theirs), users)
    named = [n for n in new if n != _NO_USER]
    hint = ""
    if NEUTRAL_USER in new:
        hint = (
            f" ('{NEUTRAL_USER}' is de neutrale eerste gebruiker van de export: wie geen eigen "
            "naam instelde, codeerde onder die naam)"
        )
    if len(new) > 1:
        raise _fail(
            name,
            f"coderingen van meer dan één gebruiker ({', '.join(new)}){hint}; kies er een met "
            "--user, of geef --user meer keren als ze van dezelfde codeur zijn "
            f"(bijv. --user {' --user '.join(named[:2] or [NEUTRAL_USER, 'NAAM'])})",
        )
    if by_auto:
        choice = (
            f"geef --user {named[0]} voor alleen die van {named[0]}, of --user {named[0]} "
            f"--user {AUTO_USER} voor beide"
            if named
            else f"neem ze over met --user {AUTO_USER}"
        )
        raise _fail(
            name,
            f"{len(by_auto)} coderingen staan op naam van '{AUTO_USER}' maar zijn niet die van "
            "de automatische codering: het QDA-programma nam waarschijnlijk "
            f"'{AUTO_USER}' (de eerste gebruiker in een oudere export) als codeur; {choice}",
        )


def _made_as(theirs: list[Coding], users: dict[str, str], name: str) -> list[Finding]:
    """A warning when the counted codings were made as the neutral user or as ``auto``."""
    made_as = {users.get(c.user) for c in theirs}
    notes = []
    if NEUTRAL_USER in made_as:
        notes.append(
            f"de coderingen staan op naam van '{NEUTRAL_USER}', de neutrale eerste gebruiker "
            "van de export: de codeur stelde in het QDA-programma geen eigen naam in. Ze zijn "
            f"overgenomen (--user {NEUTRAL_USER}); geef een codeur voortaan een eigen project "
            "met `npdw stories export BESTAND.qdpx --coder NAAM`"
        )
    if AUTO_USER in made_as:
        notes.append(
            f"de coderingen staan op naam van '{AUTO_USER}' (de automatische codering): het "
            f"QDA-programma nam '{AUTO_USER}' als codeur over. Overgenomen zijn de coderingen "
            f"van '{AUTO_USER}' die niet de automatische codering uit de export zijn "
            f"(--user {AUTO_USER}); geef een codeur voortaan een eigen project met "
            "`npdw stories export BESTAND.qdpx --coder NAAM`"
        )
    return [Finding("warning", name, n) for n in notes]
