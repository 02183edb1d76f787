"""How well pseudonymisation does on the invented collections: leftovers and words lost.

Two collections in ``tests/data/`` plant fictional identifiers on purpose and
list them next to the export (``<name>.geplant.csv``: story id, kind, planted
text):

* ``verhalen_synthetisch_fictief.csv``: the 60 example stories;
* ``verhalen_lastig_fictief.csv``: the hard cases an intern met in a real form
  export (a house number next to a removed name, a shop on a named square, a
  street without a number, country names, an English and a Turkish story).

Each collection is imported as a user would (``import_stories``, no cache)
into a temporary folder, and the script counts

* **leftovers**: planted identifiers still in the story file (for a house
  number, its digits as a number of their own; for a phone number, its digits
  anywhere), per kind;
* **words lost**: words of the raw text inside a replaced span that overlaps
  no planted identifier: ordinary words the pseudonymiser took for a name, a
  place or an address, as a share of all words. Each is listed, so a reader can
  see which are real losses and which are identifying after all (a full date
  of a meeting is replaced on purpose).

Run with ``.venv/bin/python benchmarks/bench_privacy.py``; no timing, so it can
run while other work does.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
import tempfile
from pathlib import Path

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.tables import read_table
from npdw_learning.vertellen.importer import import_stories, story_id
from npdw_learning.vertellen.language import detect_language
from npdw_learning.vertellen.pseudonymise import Pseudonymiser
from npdw_learning.vertellen.stories import vocabulary_in

DATA = Path(__file__).parents[1] / "tests" / "data"
COLLECTIONS = ("verhalen_synthetisch_fictief", "verhalen_lastig_fictief")
_WORD = re.compile(r"[^\W_]+")


def planted(name: str) -> list[tuple[str, str, str]]:
    """(story id as imported, kind, planted text) of a collection."""
    with open(DATA / f"{name}.geplant.csv", encoding="utf-8", newline="") as f:
        return [(f"vt-{r['id'].lower()}", r["soort"], r["geplant"]) for r in csv.DictReader(f)]


def is_left(kind: str, text: str, story: str) -> bool:
    """Whether a planted identifier is still in a story file."""
    if kind == "telefoon":
        return re.sub(r"\D", "", text) in re.sub(r"\D", "", story)
    if kind == "huisnummer":
        digits = re.sub(r"\D", "", text)
        return re.search(rf"(?<![\w-]){digits}(?![\w])", story) is not None
    return text.strip() in story


def raw_texts(name: str) -> dict[str, str]:
    """Story id -> raw text of the export (read only here, never written)."""
    frame, _ = read_table(DATA / f"{name}.csv")
    out = {}
    for row in frame.to_dict("records"):
        ident = story_id(row["id"])  # both collections have an id column
        out[ident] = str(row["tekst"])
    return out


def lost_words(name: str, ps: Pseudonymiser) -> tuple[int, list[tuple[str, str]]]:
    """Number of words in the raw texts, and the (story, text) of replaced spans
    that overlap no planted identifier."""
    plants: dict[str, list[str]] = {}
    for ident, kind, text in planted(name):
        plants.setdefault(ident, []).append(text.strip())
        if kind == "adres":  # the street of a planted address also without its number
            plants[ident].append(re.split(r"\s+\d", text)[0].strip())
    total = 0
    lost = []
    for ident, raw in raw_texts(name).items():
        total += len(_WORD.findall(raw))
        where = [
            (m.start(), m.end())
            for p in plants.get(ident, [])
            for m in re.finditer(re.escape(p), raw)
        ]
        for span in _spans(ps, raw):
            if not any(s < span[1] and span[0] < e for s, e in where):
                lost.append((ident, raw[span[0] : span[1]]))
    return total, lost


def _spans(ps: Pseudonymiser, raw: str) -> list[tuple[int, int]]:
    language = detect_language(raw)
    try:
        found = ps._find(raw, language)  # type: ignore[call-arg]
    except TypeError:  # a pseudonymiser without languages
        found = ps._find(raw)
    return [(s.start, s.end) for s in found]


def main() -> int:
    vocab = vocabulary_in(ProgrammeFolder.bundled())
    streets = getattr(vocab, "streets", ())
    ps = (
        Pseudonymiser(vocab.allowlist, streets=streets)
        if streets
        else Pseudonymiser(vocab.allowlist)
    )
    for name in COLLECTIONS:
        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "export" / f"{name}.csv"  # its review file goes beside it
            export.parent.mkdir()
            shutil.copyfile(DATA / f"{name}.csv", export)
            import_stories(
                export,
                vocab=vocab,
                codebook=ProgrammeFolder.bundled(),
                out_dir=Path(tmp) / "verhalen",
                progress=False,
                use_cache=False,
                pseudonymiser=ps,
            )
            stories = {
                p.stem: p.read_text(encoding="utf-8") for p in (Path(tmp) / "verhalen").glob("*.md")
            }
        plants = planted(name)
        left = [(i, k, t) for i, k, t in plants if is_left(k, t, stories.get(i, ""))]
        total, lost = lost_words(name, ps)
        n_lost = sum(len(_WORD.findall(t)) for _, t in lost)
        print(f"{name}: {len(stories)} verhalen, {total} woorden")
        print(f"  achtergebleven: {len(left)} van {len(plants)} geplante gegevens")
        for i, k, t in left:
            print(f"    {i} {k}: {t!r}")
        print(f"  woorden onterecht vervangen: {n_lost} van {total} ({n_lost / total:.2%})")
        for i, t in lost:
            print(f"    {i}: {t!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
