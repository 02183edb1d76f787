"""kern.parallel: work beside other work, with results, lines and errors as if run in turn."""

from __future__ import annotations

import os

import pytest

from npdw_learning.kern import parallel
from npdw_learning.kern.errors import InputError


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_map_forked_keeps_the_order_and_uses_a_second_process():
    results = parallel.map_forked(_square_and_pid, range(7))
    assert [r for r, _ in results] == [x * x for x in range(7)]
    pids = {pid for _, pid in results}
    if parallel._forking():
        assert len(pids) == 2 and os.getpid() in pids
    else:
        assert pids == {os.getpid()}


def test_map_forked_raises_the_error_of_a_job_in_the_child():
    def fails_on_three(x: int) -> int:
        if x == 3:  # dealt to the second process of two
            raise InputError("drie is fout")
        return x

    with pytest.raises(InputError, match="drie is fout"):
        parallel.map_forked(fails_on_three, range(5))


def test_beside_hands_back_its_lines_after_the_callers_and_its_value():
    def work(echo):
        echo("kind: een")
        echo("kind: twee")
        return {"klaar": True}

    seen = []
    beside = parallel.Beside(work)
    seen.append("ouder")
    assert beside.result(seen.append) == {"klaar": True}
    assert seen == ["ouder", "kind: een", "kind: twee"]


def test_beside_raises_the_childs_error_with_its_note():
    def full_disk(echo):
        echo("bijna")
        exc = OSError(28, "No space left on device", "/uit/x.pdf")
        exc.add_note("de wijkberichten maken")
        raise exc

    seen = []
    with pytest.raises(OSError) as raised:
        parallel.Beside(full_disk).result(seen.append)
    assert raised.value.errno == 28 and raised.value.__notes__ == ["de wijkberichten maken"]
    assert seen == ["bijna"]


def test_in_background_runs_the_work_in_order_and_drops_an_error():
    done = []
    thread = parallel.in_background(lambda: done.append(1), lambda: 1 / 0, lambda: done.append(2))
    thread.join(timeout=10)
    assert done == [1]  # the work after the error is left to the caller
