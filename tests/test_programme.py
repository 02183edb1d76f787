"""The programme folder: one owner of its paths, its inputs read once, no fallback to Dordt West.

A second programme is made with ``npdw init`` (the invented "Zuiderhaven", in a
temporary folder); every file the commands and the run open is recorded at the
one place files are opened (:func:`npdw_learning.kern.inputfile.open_input`
calls ``os.open``), so the tests see which files were read, not which were meant.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from npdw_learning.cli import main
from npdw_learning.evaluatie import preflight, steps
from npdw_learning.kern import inputfile
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import BUNDLED_STORIES_DIR, ProgrammeFolder
from npdw_learning.leeragenda.agenda import agenda_in
from npdw_learning.vertellen.coding import codebook_in
from npdw_learning.vertellen.msc import msc_in
from npdw_learning.vertellen.stories import stories_in, vocabulary_in

OWN_LABEL = "Eigen thema van Zuiderhaven"


def _init(folder: Path) -> Path:
    args = ["init", str(folder), "--naam", "Programma Zuiderhaven Vooruit"]
    args += ["--wijken", "oostkade=Oostkade", "westkade=Westkade"]
    assert main([*args, "--referentie", "havenstad=Havenstad"]) == 0
    return folder


@pytest.fixture(scope="module")
def zuiderhaven(tmp_path_factory) -> Path:
    """A new programme whose codebook differs from Dordt West's in its first theme's label."""
    folder = _init(tmp_path_factory.mktemp("tweede") / "zuiderhaven")
    book = ProgrammeFolder(folder).codebook_file
    text = book.read_text(encoding="utf-8")
    first = codebook_in(ProgrammeFolder.bundled()).themes[0].label
    book.write_text(text.replace(f'label: "{first}"', f'label: "{OWN_LABEL}"', 1), "utf-8")
    return folder


@pytest.fixture()
def opened(monkeypatch) -> list[Path]:
    """Every file opened for reading through kern.inputfile while the test runs."""
    seen: list[Path] = []
    real = os.open

    def spy(path, flags, *args, **kwargs):
        if not flags & (os.O_WRONLY | os.O_RDWR):
            seen.append(Path(path).resolve())
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(inputfile.os, "open", spy)
    return seen


def _bundled(paths: list[Path]) -> list[Path]:
    roots = (DATA_DIR.resolve(), BUNDLED_STORIES_DIR.resolve())
    return [p for p in paths if any(p.is_relative_to(r) for r in roots)]


# -- the layout ---------------------------------------------------------------------------


def test_every_path_lies_in_the_folder_and_the_class_names_it_relative(tmp_path):
    folder = ProgrammeFolder(tmp_path / "p")
    for attribute, relative in ProgrammeFolder.layout().items():
        if attribute == "stories":
            continue
        assert getattr(folder, attribute) == tmp_path / "p" / relative
        assert folder.name(getattr(folder, attribute)) == relative
    assert folder.msc_file == tmp_path / "p" / "stories" / "msc.yaml"


def test_the_stories_folder_is_the_folders_own_unless_given(tmp_path):
    assert ProgrammeFolder.chosen(tmp_path).stories_dir == tmp_path / "stories"
    assert ProgrammeFolder.chosen(tmp_path, tmp_path / "v").msc_file == tmp_path / "v" / "msc.yaml"
    assert ProgrammeFolder.chosen(None).stories_dir == BUNDLED_STORIES_DIR
    assert ProgrammeFolder.chosen(DATA_DIR).stories_dir == BUNDLED_STORIES_DIR


def test_init_writes_every_file_where_the_folder_object_looks(zuiderhaven):
    folder = ProgrammeFolder(zuiderhaven)
    for path in (
        folder.programme_file,
        folder.areas_file,
        folder.codebook_file,
        folder.vocabulary_file,
        folder.efforts_file,
        folder.learning_questions_file,
        folder.research_file,
        folder.lessons_file,
        folder.deliveries_file,
    ):
        assert path.is_file(), folder.name(path)
    assert folder.national_dir.is_dir() and folder.stories_dir.is_dir()


# -- a second programme is read with its own files ------------------------------------------


def test_a_second_programme_is_read_with_its_own_files_only(zuiderhaven, opened):
    folder = ProgrammeFolder(zuiderhaven)
    book = codebook_in(folder)
    assert book.themes[0].label == OWN_LABEL
    assert book.file == str(folder.codebook_file)
    assert set(folder.registry.area_ids) >= {"oostkade", "westkade", "havenstad"}
    assert "wielwijk" not in vocabulary_in(folder).areas
    assert stories_in(folder).stories == [] and msc_in(folder) is None
    assert agenda_in(folder).efforts.empty
    assert folder.codebook_file.resolve() in opened
    assert _bundled(opened) == []


def test_the_commands_and_the_run_read_the_second_programme_only(zuiderhaven, opened, tmp_path):
    """``--data`` without ``--stories`` is the folder's own stories folder, and nothing of
    Dordt West is opened by a command or by the evaluation's checks."""
    data = str(zuiderhaven)
    assert main(["stories", "validate", "--data", data]) == 0
    assert main(["agenda", "check", "--data", data]) == 0
    assert main(["validate", "--data", data]) == 0
    run = steps.Run.from_parameters(2026, data, None, tmp_path / "uit", None, False)
    assert run.stories_dir == zuiderhaven / "stories"
    preflight.check_inputs(run)
    assert ProgrammeFolder(zuiderhaven).vocabulary_file.resolve() in opened
    assert _bundled(opened) == []


@pytest.mark.parametrize(
    ("attribute", "command"),
    [
        ("codebook_file", ["agenda", "check"]),
        ("vocabulary_file", ["stories", "validate"]),
        ("areas_file", ["validate"]),
        ("research_file", ["agenda", "check"]),
    ],
)
def test_a_missing_file_is_an_error_naming_it_not_the_bundled_one(
    tmp_path, capsys, attribute, command
):
    folder = ProgrammeFolder(_init(tmp_path / "zuiderhaven"))
    missing = getattr(folder, attribute)
    missing.unlink()
    assert main([*command, "--data", str(folder.root)]) == 1
    said = capsys.readouterr()
    text = said.out + said.err
    assert "FOUT" in text and "Traceback" not in text
    assert str(missing) in text or folder.name(missing) in text
    bundled = getattr(ProgrammeFolder.bundled(), attribute)
    assert str(bundled) not in text


def test_a_loader_given_no_folder_is_a_programming_error():
    from npdw_learning.vertellen.coding import load_codebook
    from npdw_learning.vertellen.stories import load_stories

    with pytest.raises(TypeError):
        load_codebook()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        load_stories()  # type: ignore[call-arg]


# -- read once ------------------------------------------------------------------------------


def test_each_input_is_loaded_once_per_run(monkeypatch, tmp_path):
    """The run's checks, the year check and every step's loading share one read per input."""
    from npdw_learning.kern import programme
    from npdw_learning.leeragenda import agenda
    from npdw_learning.vertellen import coding, msc, stories

    calls: dict[str, int] = {}

    def counted(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    from npdw_learning.tellen import measurements

    monkeypatch.setattr(programme, "_KEPT", {})  # as in a fresh kernel
    counted(programme, "load_registry")
    counted(measurements, "load_measurements")
    counted(stories, "load_story_vocabulary")
    counted(stories, "load_stories")
    counted(coding, "load_codebook")
    counted(msc, "load_msc")
    counted(agenda, "load_agenda")
    run = steps.Run.from_parameters(2026, None, None, tmp_path / "uit", None, False)
    preflight.check_inputs(run)
    for _ in range(2):  # what the steps read after the checks
        stories_in(run.folder), vocabulary_in(run.folder), codebook_in(run.folder)
        agenda_in(run.folder), msc_in(run.folder)
    once = {
        "load_registry": 1,
        "load_measurements": 1,
        "load_story_vocabulary": 1,
        "load_stories": 1,
        "load_codebook": 1,
        "load_msc": 1,
        "load_agenda": 1,
    }
    assert calls == once
    # The next notebook in the same kernel opens the folder anew and reads nothing again.
    again = steps.Run.from_parameters(2026, None, None, tmp_path / "uit", None, False)
    assert again.folder is run.folder
    preflight.check_inputs(again)
    assert calls == once
    # Another folder object reads again: the cache belongs to one run, not to the process.
    codebook_in(ProgrammeFolder.bundled())
    assert calls["load_codebook"] == 2


def test_a_kept_folder_is_read_again_after_any_input_changes(tmp_path, monkeypatch):
    """ProgrammeFolder.kept gives the same object only while every input file is the same,
    by content: an edit that keeps the size and the modification time counts too."""
    from npdw_learning.kern import programme

    monkeypatch.setattr(programme, "_KEPT", {})
    root = tmp_path / "p"
    shutil.copytree(DATA_DIR, root)
    first = ProgrammeFolder.kept(root, BUNDLED_STORIES_DIR)
    assert ProgrammeFolder.kept(root, BUNDLED_STORIES_DIR) is first
    measured = sorted((root / "measurements").glob("*.csv"))[0]
    text = measured.read_bytes()
    stamp = measured.stat()
    digit = next(i for i, c in enumerate(text) if chr(c).isdigit() and i > text.index(b"\n"))
    other = b"1" if text[digit : digit + 1] != b"1" else b"2"
    measured.write_bytes(text[:digit] + other + text[digit + 1 :])  # same size
    os.utime(measured, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same time
    changed = ProgrammeFolder.kept(root, BUNDLED_STORIES_DIR)
    assert changed is not first
    (root / "demo" / "extra.csv").write_text("indicator,area,year,value\n", encoding="utf-8")
    assert ProgrammeFolder.kept(root, BUNDLED_STORIES_DIR) is not changed
    # Another stories folder is another folder.
    assert ProgrammeFolder.kept(root) is not ProgrammeFolder.kept(root, BUNDLED_STORIES_DIR)


def test_a_kept_folder_keeps_the_spelling_it_was_asked_for(monkeypatch):
    """A notebook named the bundled folder relatively (papermill's ``-p data_dir data``);
    a later call without names must not get that object with relative paths back (the
    manifest test failed when the two met in one process)."""
    from npdw_learning.kern import programme
    from npdw_learning.kern.paths import PROJ_ROOT

    monkeypatch.setattr(programme, "_KEPT", {})
    monkeypatch.chdir(PROJ_ROOT)
    relative = ProgrammeFolder.kept("data", "stories")
    assert not relative.stories_dir.is_absolute()
    bundled = ProgrammeFolder.kept(None)
    assert bundled.root.is_absolute() and bundled.stories_dir.is_absolute()
    assert ProgrammeFolder.kept("data", "stories") is relative


def test_a_failed_load_is_not_kept(tmp_path):
    folder = ProgrammeFolder(tmp_path / "p")
    shutil.copytree(ProgrammeFolder.bundled().registry_dir, folder.registry_dir)
    text = folder.codebook_file.read_text(encoding="utf-8")
    folder.codebook_file.write_text("themes: niets\n", encoding="utf-8")
    with pytest.raises(Exception, match="codeboek"):
        codebook_in(folder)
    folder.codebook_file.write_text(text, encoding="utf-8")
    assert len(codebook_in(folder)) > 0
