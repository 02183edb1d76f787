"""The shipped example collection: proof that no planted identifier survives the import.

``tests/data/verhalen_synthetisch_fictief.csv`` holds 60 invented stories into
which fictional but realistic-looking identifiers were planted on purpose
(listed in ``verhalen_synthetisch_fictief.geplant.csv``; e-mail addresses use the
reserved ``.example`` top-level domain, so none can be anyone's real address).
Importing it must remove every one of them and keep the neighbourhood; the
story files shipped in ``stories/`` must be exactly what that import writes.
``verhalen_lastig_fictief.csv`` holds the hard cases of a real form export.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.coding import codebook_in
from npdw_learning.vertellen.importer import import_stories
from npdw_learning.vertellen.stories import (
    STORIES_DIR,
    load_stories,
    stories_in,
    vocabulary_in,
)

DATA = Path(__file__).parents[1] / "data"
CSV = DATA / "verhalen_synthetisch_fictief.csv"


def planted(name: str) -> list[tuple[str, str, str]]:
    """(story id without "vt-", kind, planted string) from ``<name>.geplant.csv``: all fictional."""
    with open(DATA / f"{name}.geplant.csv", encoding="utf-8", newline="") as f:
        return [(r["id"].lower(), r["soort"], r["geplant"]) for r in csv.DictReader(f)]


PLANTED = planted("verhalen_synthetisch_fictief")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("verhalen")
    vocab = vocabulary_in(ProgrammeFolder.bundled())
    import_stories(
        CSV, vocab=vocab, out_dir=out, progress=False, codebook=ProgrammeFolder.bundled()
    )
    return out, {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.md")}


def test_all_sixty_imported(imported):
    _, texts = imported
    assert len(texts) == 60


@pytest.mark.parametrize(("story", "kind", "planted"), PLANTED)
def test_planted_identifier_is_gone(imported, story, kind, planted):
    _, texts = imported
    text = texts[f"vt-{story}"]
    assert planted.strip() not in text
    if kind == "telefoon":
        digits = re.sub(r"\D", "", planted)
        assert digits not in re.sub(r"\D", "", text)
    if kind == "huisnummer":
        digits = re.sub(r"\D", "", planted)
        assert re.search(rf"(?<![\w-]){digits}(?![\w])", text) is None


def test_neighbourhood_kept(imported):
    out, _ = imported
    collection = load_stories(out, vocabulary_in(ProgrammeFolder.bundled()))
    assert collection.errors == []
    assert {s.area for s in collection.stories} == {
        "oud-krispijn",
        "nieuw-krispijn",
        "wielwijk",
        "crabbehof",
    }


def test_shipped_stories_are_exactly_the_import(imported):
    _, texts = imported
    shipped = {p.stem: p.read_text(encoding="utf-8") for p in STORIES_DIR.glob("vt-*.md")}
    assert shipped == texts


def test_analysis_on_shipped_collection_is_non_empty_and_suppressed():
    from npdw_learning.vertellen.analysis import change_by_theme, theme_counts
    from npdw_learning.vertellen.coding import auto_code

    frame = stories_in(ProgrammeFolder.bundled()).frame()
    codes = auto_code(frame[["id", "text"]], codebook_in(ProgrammeFolder.bundled()))
    for table in (theme_counts(frame, codes, by="area"), change_by_theme(frame, codes)):
        assert not table.empty
        cells = table.drop(columns=[c for c in ("theme", "area") if c in table]).to_numpy().ravel()
        # every shown count is 0, at least 5, or hidden
        assert all(c in ("<5", "x") or c == 0 or c >= 5 for c in cells)
        assert "<5" in set(cells)


# --- the hard cases an intern met in a real form export -------------------------------

HARD = DATA / "verhalen_lastig_fictief.csv"
HARD_PLANTED = planted("verhalen_lastig_fictief")
with open(DATA / "verhalen_lastig_fictief.blijft.csv", encoding="utf-8", newline="") as f:
    HARD_KEPT = [(r["id"].lower(), r["blijft"]) for r in csv.DictReader(f)]


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    out = tmp_path_factory.mktemp("lastig")
    export = out.parent / HARD.name  # the review file of proposed pillars goes beside it
    shutil.copyfile(HARD, export)
    report = import_stories(
        export,
        vocab=vocabulary_in(ProgrammeFolder.bundled()),
        codebook=ProgrammeFolder.bundled(),
        out_dir=out,
        progress=False,
        use_cache=False,
    )
    return report, {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.md")}


@pytest.mark.parametrize(("story", "kind", "planted"), HARD_PLANTED)
def test_hard_case_identifier_is_gone(hard, story, kind, planted):
    test_planted_identifier_is_gone((None, hard[1]), story, kind, planted)


@pytest.mark.parametrize(("story", "kept"), HARD_KEPT)
def test_hard_case_ordinary_words_stay(hard, story, kept):
    assert kept in hard[1][f"vt-{story}"]


def test_hard_cases_in_another_language_are_marked_and_named_in_the_report(hard):
    report, texts = hard
    languages = {
        ident: re.search(r"^language: (\w+)$", text, re.M) for ident, text in texts.items()
    }
    assert {i: m.group(1) for i, m in languages.items() if m} == {
        "vt-l03": "en",
        "vt-l08": "tr",
        "vt-l12": "en",
    }
    warned = {(f.row, f.column) for f in report.warnings if "niet in het Nederlands" in f.message}
    assert warned == {(4, "tekst"), (9, "tekst"), (13, "tekst")}
