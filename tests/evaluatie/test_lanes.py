"""Notebooks that read nothing of each other run at once, in two kernels (``after`` in
notebooks.yaml); the rest waits for what it reads, and the first error stops them all."""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from pathlib import Path

import pytest

from npdw_learning.evaluatie import runner
from npdw_learning.evaluatie.preflight import NotebookSpec, load_notebook_list
from npdw_learning.kern.errors import EvaluationError, InputError


def _list(tmp_path: Path, body: str) -> Path:
    for name in ("a.ipynb", "b.ipynb", "c.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "notebooks.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def test_after_defaults_to_every_notebook_above(tmp_path):
    folder = _list(
        tmp_path,
        "notebooks:\n  - {file: a.ipynb, title: A}\n  - {file: b.ipynb, title: B, after: []}\n"
        "  - {file: c.ipynb, title: C}\n",
    )
    specs = load_notebook_list(folder)
    assert [s.after for s in specs] == [(), (), ("a.ipynb", "b.ipynb")]
    assert runner.lanes(specs) == 2
    assert runner.lanes([NotebookSpec("a", "A"), NotebookSpec("b", "B", ("a",))]) == 1


@pytest.mark.parametrize(
    ("after", "message"),
    [
        ("[c.ipynb]", "'after' noemt 'c.ipynb'; dat moet een notebook zijn dat eerder"),
        ("[b.ipynb]", "'after' noemt 'b.ipynb'"),  # itself
        ("a.ipynb", "'after' moet een lijst notebooks zijn, niet 'a.ipynb'"),
        ("[=cmd|' /C calc'!A0]", "'after' noemt"),
    ],
)
def test_after_names_only_notebooks_above_it(tmp_path, after, message):
    folder = _list(
        tmp_path,
        "notebooks:\n  - {file: a.ipynb, title: A}\n"
        f"  - {{file: b.ipynb, title: B, after: {after}}}\n  - {{file: c.ipynb, title: C}}\n",
    )
    with pytest.raises(InputError, match="notebook 2") as caught:
        load_notebook_list(folder)
    assert message in str(caught.value)


def test_the_bundled_list_runs_02_beside_01_and_the_rest_after_both():
    specs = {s.file: s for s in load_notebook_list()}
    assert specs["02_vertellen.ipynb"].after == ()
    assert set(specs["03_vertellen_en_tellen.ipynb"].after) == {
        "01_tellen.ipynb",
        "02_vertellen.ipynb",
    }


class FakeKernel:
    def __init__(self) -> None:
        self.interrupts = 0

    def interrupt_kernel(self) -> None:
        self.interrupts += 1


@pytest.fixture()
def fake(monkeypatch):
    """_execute replaced by a sleep that records when each notebook ran and in which kernel."""
    events: list[tuple[str, str, float]] = []
    lock = threading.Lock()
    seconds = {"a.ipynb": 0.6, "b.ipynb": 0.2, "c.ipynb": 0.1}
    failing: set[str] = set()

    def execute(spec, source, target, parameters, timeout, km, halt=None):
        with lock:
            events.append(("start", spec.file, time.monotonic()))
        deadline = time.monotonic() + seconds.get(spec.file, 0.1)
        while time.monotonic() < deadline:
            if halt is not None and halt.is_set() and km.interrupts:
                raise EvaluationError(f"{spec.file} onderbroken")
            time.sleep(0.01)
        if spec.file in failing:
            raise EvaluationError(f"notebook {spec.file} is gestopt")
        with lock:
            events.append(("end", spec.file, time.monotonic()))

    monkeypatch.setattr(runner, "_execute", execute)
    monkeypatch.setattr(runner, "_reset", lambda km, timeout: None)
    return events, failing


SPECS = [
    NotebookSpec("a.ipynb", "A"),
    NotebookSpec("b.ipynb", "B", ()),
    NotebookSpec("c.ipynb", "C", ("a.ipynb", "b.ipynb")),
]


def _when(events, kind, file):
    return next(t for k, f, t in events if k == kind and f == file)


def test_a_notebook_starts_beside_another_and_waits_for_what_it_reads(fake, tmp_path):
    events, _ = fake
    lines: list[str] = []
    kernels = [FakeKernel(), FakeKernel()]
    timings = runner._run_notebooks(SPECS, tmp_path, tmp_path, {}, 60, lines.append, kernels)
    assert _when(events, "start", "b.ipynb") < _when(events, "end", "a.ipynb")  # at once
    assert _when(events, "start", "c.ipynb") >= _when(events, "end", "a.ipynb")
    assert _when(events, "start", "c.ipynb") >= _when(events, "end", "b.ipynb")
    assert [t["file"] for t in timings] == ["a.ipynb", "b.ipynb", "c.ipynb"]  # list order
    assert "[3/3] c.ipynb: C ..." in lines
    assert sum("klaar in" in line for line in lines) == 3


def test_the_first_error_stops_the_run_and_interrupts_the_other_notebook(fake, tmp_path):
    events, failing = fake
    failing.add("b.ipynb")
    kernels = [FakeKernel(), FakeKernel()]
    with pytest.raises(EvaluationError, match="b.ipynb is gestopt"):
        runner._run_notebooks(SPECS, tmp_path, tmp_path, {}, 60, lambda m: None, kernels)
    assert ("end", "a.ipynb") not in {(k, f) for k, f, _ in events}  # interrupted, not awaited
    assert any(k.interrupts for k in kernels)
    assert "c.ipynb" not in {f for _, f, _ in events}


def test_without_after_the_notebooks_run_one_by_one_in_one_kernel(fake, tmp_path, monkeypatch):
    events, _ = fake
    started: list[int] = []
    monkeypatch.setattr(
        runner,
        "_kernels",
        lambda cwd, count, timeout=0: (
            started.append(count) or nullcontext([FakeKernel() for _ in range(count)])
        ),
    )
    specs = [NotebookSpec("a.ipynb", "A"), NotebookSpec("b.ipynb", "B", ("a.ipynb",))]
    runner._run_notebooks(specs, tmp_path, tmp_path, {}, 60, lambda m: None)
    assert started == [1]
    assert _when(events, "start", "b.ipynb") >= _when(events, "end", "a.ipynb")
