"""Ctrl-C and SIGTERM during ``npdw evaluate``: stop the run, whatever library was running.

The notebook client waits for the kernel inside asyncio, where a
KeyboardInterrupt can get lost (a run once went on to the end after Ctrl-C).
:func:`ctrl_c_remembered` remembers the signal, so the run checks it between
notebooks and stops before the next one.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..kern.console import Terminated

__all__ = ["ctrl_c_remembered"]


@contextmanager
def ctrl_c_remembered() -> Iterator[Callable[[], None]]:
    """Ctrl-C (and SIGTERM) raise KeyboardInterrupt as always, and are also remembered.

    Yields a check that raises again once one of them arrived: checked between
    the steps, it still stops the run before the next notebook. SIGTERM raises
    :class:`~npdw_learning.kern.console.Terminated`, so the run ends with its
    own message and exit code. Outside the main thread (where no signal
    handler can be set) the check does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pressed: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        pressed.append(signum)
        raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt

    def check() -> None:
        if signal.SIGTERM in pressed:
            raise Terminated
        if pressed:
            raise KeyboardInterrupt

    def unraisable(info) -> None:
        # The signal's exception can land where Python cannot raise it (a weakref callback,
        # a finaliser) and would be printed as "Exception ignored": it is remembered anyway.
        if not issubclass(info.exc_type, KeyboardInterrupt):  # Terminated is one too
            hook(info)

    hook = sys.unraisablehook
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    sys.unraisablehook = unraisable
    try:
        yield check
    finally:
        sys.unraisablehook = hook
        for s, handler in previous.items():
            signal.signal(s, handler)
