"""What the ``npdw`` commands print: one line per message, findings, a count.

Every room's ``cli`` module prints through these, so all commands write to
standard output in the same way and exit with the same codes.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from .errors import Finding, finding_lines

__all__ = [
    "EXIT_OK",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_TERMINATED",
    "Terminated",
    "stop_on_sigterm",
    "step",
    "echo",
    "program",
    "report_findings",
    "findings_summary",
]

EXIT_OK, EXIT_INPUT = 0, 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM (kill, a service manager, a closed session)


def program(argv0: str | None = None) -> str:
    """How the user started npdw, to put in a command they can copy: ``.venv/bin/npdw``.

    A fresh shell has no ``npdw`` on its path, so a suggested command repeats the path
    the user typed; ``python -m npdw_learning`` (and the tests) get the plain name.

    Examples
    --------
    >>> program(".venv/bin/npdw"), program("npdw"), program("/x/npdw_learning/__main__.py")
    ('.venv/bin/npdw', 'npdw', 'npdw')
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    return argv0 if argv0.rsplit("/", 1)[-1] == "npdw" else "npdw"


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the command stops as it does on Ctrl-C (whole files, clean-up run)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) like Ctrl-C.

    Python's default for SIGTERM is to die at once, leaving a build folder and
    no word; this makes ``kill`` run the same clean-up as Ctrl-C. Outside the
    main thread (no signal handlers there) it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def step(what: str) -> Iterator[None]:
    """Name the step an OSError (a full disk, a folder without permission) happened in.

    The note is printed with the error (``cli.main``).
    """
    try:
        yield
    except OSError as exc:
        exc.add_note(what)
        raise


def echo(msg: str = "") -> None:
    """Print one line at once (progress shows while a long command runs)."""
    print(msg, flush=True)


def report_findings(findings: Sequence[Finding], *, limit: int | None = None) -> None:
    """Print findings one per line; past ``limit``, say how many more there are.

    Of one kind of finding (:func:`~.errors.finding_lines`) the first 20 are
    printed and the rest counted.
    """
    shown = findings if limit is None else findings[:limit]
    for line in finding_lines(shown):
        echo(line)
    if limit is not None and len(findings) > limit:
        echo(f"... en nog {len(findings) - limit} (zie data_quality.csv)")


def findings_summary(findings: Sequence[Finding]) -> str:
    """``"2 fout(en), 3 waarschuwing(en)"``."""
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    return f"{n_err} fout(en), {n_warn} waarschuwing(en)"
