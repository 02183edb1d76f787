"""The process pool that pseudonymises an import's rows (deduce), or this process alone.

Workers are forked, so they share deduce's tables with the parent; each row is
pseudonymised in the language it is written in. Used by :mod:`.importer`.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .language import detect_language
from .pseudonymise import Pseudonymiser

__all__ = ["Result", "worker_pool", "pseudonymise_all"]

_WORKER: Pseudonymiser | None = None


Result = tuple[int, tuple[str, ...], dict[str, int], str]


def _pseudonymise_one(pseudonymiser: Pseudonymiser, index: int, parts: tuple[str, ...]) -> Result:
    """One row's title and text, pseudonymised in the language they are written in."""
    language = detect_language("\n".join(parts))
    out, counts = pseudonymiser.pseudonymise_parts(parts, language)
    return index, out, counts, language


def _work(job: tuple[int, tuple[str, ...]]) -> Result:
    assert _WORKER is not None
    return _pseudonymise_one(_WORKER, *job)


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def worker_pool(pseudonymiser: Pseudonymiser, workers: int) -> Iterator[Any]:
    """A pool of forked workers, or ``None`` to work in this process.

    Forked workers share deduce's tables with the parent (loaded once and
    frozen out of the garbage collector, so copy-on-write keeps them shared).
    The pool is made before the progress bar starts its monitor thread.
    """
    global _WORKER
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pseudonymiser.warm_up()
    detect_language("Een tekst van vijf woorden of meer, om het taalmodel te laden.")
    _WORKER = pseudonymiser
    try:
        # Workers ignore Ctrl-C: the parent stops them, and prints the one message.
        with multiprocessing.get_context("fork").Pool(workers, _ignore_sigint) as pool:
            yield pool
    finally:
        _WORKER = None


def pseudonymise_all(
    jobs: list[tuple[int, tuple[str, ...]]], pseudonymiser: Pseudonymiser, pool: Any
) -> Iterator[Result]:
    """Each job's ``(index, parts, counts, language)``, from the pool's workers in the
    order they finish, or from this process when ``pool`` is ``None``."""
    if pool is not None:
        yield from pool.imap_unordered(_work, jobs, chunksize=16)
        return
    for index, parts in jobs:
        yield _pseudonymise_one(pseudonymiser, index, parts)
