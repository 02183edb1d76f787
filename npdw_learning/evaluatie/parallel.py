"""Work of ``npdw evaluate`` that runs beside other work, on the machine's second core.

Two helpers, both used by :mod:`.runner`:

* :func:`in_background` starts a function in a thread of this process, for
  preparing what the report will need (fonts, WeasyPrint, the Dutch pipeline)
  while the kernel runs the notebooks and this process mostly waits;
* :class:`Beside` runs a function in a forked child process (Linux), for the
  residents' outputs while this process lays out ``rapport.pdf``. The child
  starts with everything this process has loaded, writes its own files, and
  hands back its progress lines and its result or error, so the messages come
  out in the same order as when the two ran one after the other. Where ``fork``
  is not the way to start a process (macOS, Windows) the function simply runs
  when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["in_background", "Beside"]


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

    def stop(self) -> None:
        """End the child now, if it still runs."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (to be raised in the caller), else its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any exception that does not travel becomes its text
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
