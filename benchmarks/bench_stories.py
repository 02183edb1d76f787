"""Benchmark of the vertellen pipeline: import + pseudonymise + automatic coding.

Generates 10,000 synthetic stories of about 150 words (fixed seed) with
fictional identifiers sprinkled in (names of every origin, phone numbers in
several notations, addresses, postcodes, e-mail, URLs, ages, dates of birth),
writes them as a CSV export in a temporary folder and times, end to end:

1. ``import_stories`` (read, validate, pseudonymise with deduce, write one
   Markdown file per story), with a fresh pseudonymisation cache;
2. ``auto_code`` on the imported stories.

Then it runs again over the unchanged file: the cache answers for every row,
every story file is already there with the same bytes, and only stories that
were (re)written are coded again; the others keep their earlier codes.

Targets: at least 20,000 words/s end to end, second run under 10% of the
first. Run with ``python benchmarks/bench_stories.py [--n 10000]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.coding import codebook_in
from npdw_learning.vertellen.importer import import_stories
from npdw_learning.vertellen.stories import vocabulary_in

try:
    from npdw_learning.vertellen.coding import auto_code
except ImportError:  # pragma: no cover - coding is written by another change
    auto_code = None

TARGET_WPS = 20_000
TARGET_RATIO = 0.10
SEED = 20431

AREAS = ("Oud-Krispijn", "Nieuw-Krispijn", "Wielwijk", "Crabbehof")
TELLERS = ("bewoner", "professional", "ervaringsdeskundige", "sleutelfiguur", "jongere")
CHANNELS = ("buurtbakkie", "wijkbijeenkomst", "interview", "citizen-science", "enquete")
PILLARS = ("wonen", "gezond", "leren", "werk", "veilig")
CHANGES = ("beter", "slechter", "gelijk", "gemengd")
CONSENTS = ("analyse", "citeren", "publiceren")
FIRST = [
    "Fatima",
    "Mohamed",
    "Khadija",
    "Youssef",
    "Mehmet",
    "Ayşe",
    "Emre",
    "Kübra",
    "Rajesh",
    "Sunita",
    "Marlon",
    "Sherida",
    "Shurandy",
    "Jurensley",
    "Agnieszka",
    "Piotr",
    "Ionela",
    "Dimitar",
    "Olena",
    "Jan",
    "Marieke",
    "Kees",
    "Truus",
    "Gerrit",
]
LAST = [
    "el Amrani",
    "Bouzid",
    "Benali",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Ramdin",
    "Jagessar",
    "Pinas",
    "Martina",
    "Isenia",
    "Kowalczyk",
    "Nowak",
    "Popescu",
    "Petrov",
    "Kovalenko",
    "van der Berg",
    "de Vries",
    "de Jong",
    "van den Heuvel",
]
STREETS = (
    "Bosboom Toussaintstraat",
    "Karel Doormanstraat",
    "Vrieseweg",
    "Patersweg",
    "Frans Halsplein",
    "Brouwersdijk",
)
SENTENCES = (
    "Sinds de nieuwe speeltuin er is, spelen de kinderen veel meer buiten op het plein.",
    "Vroeger hingen hier jongeren rond en was er veel overlast in de avond.",
    "De wijkagent komt vaker langs en dat geeft een veilig gevoel in de buurt.",
    "Er ligt nog steeds grofvuil naast de container en de straat is vaak vies.",
    "Ik voel me soms eenzaam sinds mijn kinderen het huis uit zijn.",
    "Bij het buurthuis is op dinsdag een koffieochtend waar ik nieuwe mensen ontmoet.",
    "De energierekening is hoog en het huis is slecht geïsoleerd, het tocht overal.",
    "Met hulp van de Sociale Dienst Drechtsteden heb ik mijn schulden op een rij gezet.",
    "Mijn zoon heeft via het Jeugdteam een stage gevonden en hij is er erg blij mee.",
    "De taalles in de bibliotheek helpt mij om beter Nederlands te spreken.",
    "Ik sport twee keer per week in het park en voel me gezonder dan vorig jaar.",
    "De huisarts is ver weg en de wachttijd bij de GGD is lang geworden.",
    "Trivire heeft de woningen opgeknapt maar de huur is ook omhoog gegaan.",
    "Mensen vertrouwen de gemeente niet altijd, ze voelen zich niet gehoord.",
    "Op school gaat het beter, de juf heeft meer tijd voor de kinderen.",
    "Ik heb werk gevonden via de werkgeversservice en ben nu minder afhankelijk.",
    "Het groen in de wijk is mooier geworden, er staan nieuwe bomen langs de weg.",
    "Er wordt soms gedeald bij de portiek en dat maakt mij onrustig.",
    "De buren groeten elkaar weer en we helpen elkaar met boodschappen.",
    "Rondkomen is moeilijk, aan het eind van de maand is het geld op.",
)
PHONE_FORMATS = (
    "06-{a}{b}",
    "06 {a} {b}",
    "06{a}{b}",
    "+31 6 {a}{b}",
    "+31 6{a}{b}",
    "0031 6 {a}{b}",
    "078-6{a3}{b3}",
    "(078) 6{a3}{b3}",
)


def _identifier(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    a, b = f"{rng.randrange(10**4):04d}", f"{rng.randrange(10**4):04d}"
    phone = rng.choice(PHONE_FORMATS).format(a=a, b=b, a3=a[:3], b3=b[:3])
    kind = rng.randrange(7)
    if kind == 0:
        return f"Mijn buurvrouw {name} zegt dat het beter gaat."
    if kind == 1:
        return f"U kunt {name} bellen op {phone} als u vragen heeft."
    if kind == 2:
        number = rng.randrange(1, 200)
        return (
            f"Ze woont op de {rng.choice(STREETS)} {number}, 331{rng.randrange(10)} AB Dordrecht."
        )
    if kind == 3:
        user = name.lower().replace(" ", ".")
        return (
            f"Mail naar {user}@voorbeeld.nl of kijk op www.buurt{rng.randrange(99)}-voorbeeld.nl."
        )
    if kind == 4:
        return f"Meneer {rng.choice(LAST)} is {rng.randrange(18, 95)} jaar en woont hier graag."
    if kind == 5:
        day, month = rng.randrange(1, 29), rng.randrange(1, 13)
        return f"Hij is geboren op {day:02d}-{month:02d}-19{rng.randrange(30, 99)}."
    return f"De {rng.randrange(18, 95)}-jarige {name} doet mee met de buurtbakkie."


def synthetic_stories(n: int, seed: int = SEED) -> pd.DataFrame:
    """``n`` stories of about 150 words, as a form export with the Dutch headers."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        parts: list[str] = []
        words = 0
        while words < 140:
            sentence = _identifier(rng) if rng.random() < 0.22 else rng.choice(SENTENCES)
            parts.append(sentence)
            words += len(sentence.split())
        rows.append(
            {
                "id": f"b{i:05d}",
                "datum": f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                "wijk": rng.choice(AREAS),
                "verteller": rng.choice(TELLERS),
                "kanaal": rng.choice(CHANNELS),
                "pijlers": ";".join(rng.sample(PILLARS, rng.randrange(1, 3))),
                "verandering": rng.choice(CHANGES),
                "toestemming": rng.choice(CONSENTS),
                "synthetisch": "ja",
                "tekst": " ".join(parts),
            }
        )
    return pd.DataFrame(rows)


_LEFTOVER = re.compile(
    r"@|www\.|\b\d{4} ?[A-Z]{2}\b|\d{6,}|\d{2,4}[- ]\d{3,}|\+31|\b(?:"
    + "|".join(
        re.escape(n) for n in (*FIRST, *(w for name in LAST for w in name.split() if len(w) > 3))
    )
    + r")\b"
)


def _leftovers(out_dir: Path) -> int:
    """Planted identifiers (or pieces of them) still present in the written stories."""
    return sum(
        len(_LEFTOVER.findall(p.read_text(encoding="utf-8").split("\n---\n", 1)[1]))
        for p in out_dir.glob("*.md")
    )


def _story_texts(out_dir: Path, ids: list[str]) -> pd.DataFrame:
    """Id and text of written stories (the body after the front matter)."""
    texts = []
    for ident in ids:
        raw = (out_dir / f"{ident}.md").read_text(encoding="utf-8")
        texts.append(raw.split("\n---\n", 1)[1].strip())
    return pd.DataFrame({"id": ids, "text": texts})


def run(
    export: Path,
    out_dir: Path,
    cache_dir: Path,
    previous_codes: pd.DataFrame | None,
    vocab,
    workers: int | None = None,
) -> tuple[float, float, pd.DataFrame | None, object]:
    """One end-to-end run; returns (import seconds, coding seconds, codes, report)."""
    t0 = time.perf_counter()
    report = import_stories(
        export,
        vocab=vocab,
        out_dir=out_dir,
        cache_dir=cache_dir,
        workers=workers,
        codebook=ProgrammeFolder.bundled(),
    )
    t1 = time.perf_counter()
    codes = None
    if auto_code is not None:
        new = list(report.imported)
        frames = []
        if previous_codes is not None:
            # Unchanged story files (same bytes) keep the codes they got before.
            frames.append(previous_codes[previous_codes["story_id"].isin(set(report.unchanged))])
        if new:
            frames.append(
                auto_code(_story_texts(out_dir, new), codebook_in(ProgrammeFolder.bundled()))
            )
        codes = pd.concat(frames, ignore_index=True) if frames else None
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, codes, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="aantal verhalen")
    parser.add_argument("--workers", type=int, help="processen voor pseudonimiseren (standaard 2)")
    parser.add_argument("--keep", action="store_true", help="laat de tijdelijke map staan")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="npdw-bench-"))
    try:
        frame = synthetic_stories(args.n)
        export = tmp / "export.csv"
        frame.to_csv(export, index=False, quoting=csv.QUOTE_MINIMAL)
        words = int(frame["tekst"].str.split().str.len().sum())
        print(f"{len(frame)} verhalen, {words} woorden ({words / len(frame):.0f} per verhaal)")
        if auto_code is None:
            print(
                "LET OP: npdw_learning.vertellen.coding.auto_code ontbreekt; coderen overgeslagen"
            )
        vocab = vocabulary_in(ProgrammeFolder.bundled())

        out_dir, cache_dir = tmp / "stories", tmp / "cache"
        imp1, code1, codes, report = run(export, out_dir, cache_dir, None, vocab, args.workers)
        first = imp1 + code1
        print(
            f"run 1: import + pseudonimiseren {imp1:.1f} s, coderen {code1:.1f} s, "
            f"totaal {first:.1f} s = {words / first:,.0f} woorden/s "
            f"(doel {TARGET_WPS:,}) {'OK' if words / first >= TARGET_WPS else 'TE LANGZAAM'}"
        )
        print(
            f"       {len(report.imported)} geïmporteerd, {report.skipped_rows} overgeslagen; "
            + ", ".join(f"{k} {v}" for k, v in report.replacements.items())
        )
        print(f"       achtergebleven identificerende tekst: {_leftovers(out_dir)}")
        imp2, code2, codes2, report2 = run(export, out_dir, cache_dir, codes, vocab, args.workers)
        second = imp2 + code2
        ratio = second / first
        print(
            f"run 2 (ongewijzigd): import {imp2:.2f} s, coderen {code2:.2f} s, "
            f"totaal {second:.2f} s = {ratio:.1%} van run 1 (doel < {TARGET_RATIO:.0%}) "
            f"{'OK' if ratio < TARGET_RATIO else 'TE LANGZAAM'}"
        )
        print(f"       {len(report2.unchanged)} ongewijzigd, {report2.cache_hits} uit de cache")
        if codes is not None and codes2 is not None:
            same = (
                codes.sort_values(["story_id", "theme"])
                .reset_index(drop=True)
                .equals(codes2.sort_values(["story_id", "theme"]).reset_index(drop=True))
            )
            print(f"       codes van run 2 gelijk aan run 1: {same}")
    finally:
        if args.keep:
            print(f"tijdelijke map: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
