"""Work that runs beside other work, on the machine's second core (``npdw evaluate``).

* :func:`in_background` starts a function in a thread of this process, for
  preparing what the report will need (fonts, WeasyPrint, the Dutch pipeline)
  while the kernel runs the notebooks and this process mostly waits;
* :class:`Beside` runs a function in a forked child process (Linux), for the
  residents' outputs while this process lays out ``rapport.pdf``;
* :func:`map_forked` deals a list of independent jobs (the pillar figures) over
  this process and a forked child. A child
  starts with everything this process has loaded, writes its own files, and
  hands back its progress lines and its result or error, so the messages come
  out in the same order as when the two ran one after the other. Where ``fork``
  is not the way to start a process (macOS, Windows) the work simply runs in
  this process, one job after the other.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

__all__ = ["in_background", "Beside", "stop_all", "map_forked"]

_T = TypeVar("_T")
_R = TypeVar("_R")


def in_background(*work: Callable[[], object]) -> threading.Thread:
    """Call each of ``work`` in order in a daemon thread; return it (join it when needed).

    Meant for work whose result is cached (``functools.lru_cache``, an import):
    an error is dropped here, and comes again, with its own message, when the
    caller does the same work itself.
    """

    def run() -> None:
        for job in work:
            try:
                job()
            except Exception:  # the caller repeats the work and sees it
                return

    thread = threading.Thread(target=run, name="npdw-voorbereiden", daemon=True)
    thread.start()
    return thread


def _forking() -> bool:
    return sys.platform.startswith("linux")


class Beside:
    """``function(echo)`` in a forked child while the caller goes on; :meth:`result` joins it.

    ``function`` gets an ``echo`` for its progress lines; they are kept and
    passed to the caller's ``echo`` when :meth:`result` is called. An exception
    in the child is raised again in the caller (with its notes, such as the
    step it happened in). :meth:`stop` ends the child at once (Ctrl-C, or an
    error in the caller's own work).
    """

    def __init__(self, function: Callable[[Callable[[str], None]], Any]) -> None:
        self._function = function
        self._process = None
        if _forking():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=self._child, args=(send,), daemon=True)
            self._process.start()
            send.close()

    def _child(self, send) -> None:
        # The caller handles Ctrl-C and SIGTERM for both: it stops this child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        lines: list[str] = []
        try:
            value = self._function(lines.append)
        except BaseException as exc:  # handed to the caller as it is
            send.send(("error", lines, _picklable(exc)))
        else:
            send.send(("ok", lines, value))
        send.close()

    def result(self, echo: Callable[[str], None]) -> Any:
        """Wait for the child; pass its lines to ``echo``; return its value or raise its error."""
        if self._process is None:
            return self._function(echo)
        try:
            outcome, lines, value = self._receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._process.join()
            code = self._process.exitcode
            raise RuntimeError(f"het hulpproces is gestopt (exitcode {code})") from None
        finally:
            self._receive.close()
        self._process.join()
        for line in lines:
            echo(line)
        if outcome == "error":
            raise value
        return value

    def stop(self, *, kill: bool = True) -> None:
        """End the child: at once (``kill``, for Ctrl-C), or let it finish what it writes
        (after an error in the caller's own work: a killed child would leave its
        temporary file behind); its outcome is dropped."""
        if self._process is not None and self._process.is_alive():
            if kill:
                self._process.kill()
            self._process.join()


def stop_all(children: Sequence[Beside], error: BaseException) -> None:
    """Stop ``children`` after ``error`` in the caller: killed on Ctrl-C, else waited for."""
    for child in children:
        child.stop(kill=isinstance(error, KeyboardInterrupt))


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (to be raised in the caller), else its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any exception that does not travel becomes its text
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def map_forked(function: Callable[[_T], _R], items: Iterable[_T], processes: int = 2) -> list[_R]:
    """``[function(x) for x in items]``, with the items dealt over this process and
    ``processes - 1`` forked children (:class:`Beside`); the results in the items' order.

    For jobs that share nothing but what this process has loaded and write their
    own files; a result must be picklable. An error in any job is raised here.
    """
    jobs: Sequence[_T] = list(items)
    if not _forking() or processes < 2 or len(jobs) < 2:
        return [function(x) for x in jobs]
    shares = [jobs[k::processes] for k in range(processes)]
    others = [
        Beside(lambda echo, share=share: [function(x) for x in share]) for share in shares[1:]
    ]
    try:
        done = [[function(x) for x in shares[0]], *(b.result(lambda line: None) for b in others)]
    except BaseException as exc:
        stop_all(others, exc)
        raise
    out: list = [None] * len(jobs)
    for k, results in enumerate(done):
        out[k::processes] = results
    return out
