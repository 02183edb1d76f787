"""The shipped example collection: proof that no planted identifier survives the import.

``tests/data/verhalen_synthetisch_fictief.csv`` holds 60 invented stories into
which fictional but realistic-looking identifiers were planted on purpose
(listed below; e-mail addresses use the reserved ``.example`` top-level domain,
so none can be anyone's real address). Importing it must remove every one of them and keep the
neighbourhood; the story files shipped in ``stories/`` must be exactly what
that import writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from npdw_learning.vertellen.importer import import_stories
from npdw_learning.vertellen.stories import STORIES_DIR, load_stories, load_story_vocabulary

CSV = Path(__file__).parents[1] / "data" / "verhalen_synthetisch_fictief.csv"

# (story id, type, planted string): all fictional
PLANTED = [
    ("001", "adres", "Zilverschoonstraat 23"),
    ("001", "persoon", "Hakan"),
    ("001", "persoon", "Yıldız"),
    ("001", "postcode", "3317 KD"),
    ("003", "leeftijd", "Ik ben 71"),
    ("003", "telefoon", "06-48127390"),
    ("004", "persoon", "Yassine"),
    ("004", "leeftijd", "17 jaar"),
    ("006", "adres", "Hennepstraat 41"),
    ("006", "postcode", "3313 BN"),
    ("006", "email", "j.vanderlinden62@gmail.example"),
    ("006", "persoon", "Jeroen"),
    ("006", "persoon", "van der Linden"),
    ("007", "persoon", "Mehmet"),
    ("007", "persoon", "Öztürk"),
    ("010", "persoon", "Rayan"),
    ("010", "persoon", "Bakkali"),
    ("010", "url", "instagram.com/studio078_oudkrispijn"),
    ("011", "persoon", "Cor "),
    ("011", "persoon", "Sharon"),
    ("011", "persoon", "Pinas"),
    ("011", "leeftijd", "Ik ben 78"),
    ("013", "telefoon", "614 39 28"),
    ("013", "persoon", "Ton"),
    ("013", "persoon", "de Ruiter"),
    ("014", "persoon", "Naima"),
    ("014", "persoon", "Bouchtaoui"),
    ("016", "persoon", "Ravi"),
    ("016", "persoon", "Ramdin"),
    ("016", "telefoon", "06 21 47 83 06"),
    ("016", "adres", "Distelvinkhof 18"),
    ("016", "postcode", "3319 AX"),
    ("018", "bsn", "219043759"),
    ("018", "email", "h.elkaddouri@outlook.example"),
    ("020", "persoon", "Piotr"),
    ("020", "persoon", "Wiśniewski"),
    ("023", "adres", "Gaspeldoornstraat 7"),
    ("023", "postcode", "3316 GT"),
    ("023", "persoon", "Janssen-Kowalczyk"),
    ("023", "telefoon", "+31 6 3871 2094"),
    ("025", "persoon", "Shurenska"),
    ("025", "persoon", "Martis"),
    ("025", "persoon", "Willem"),
    ("025", "persoon", "van 't Hof"),
    ("025", "leeftijd", "die 74 is"),
    ("027", "telefoon", "0031 6 5270 3318"),
    ("028", "geboortedatum", "14-02-1949"),
    ("028", "telefoon", "617 29 44"),
    ("031", "leeftijd", "Ik ben 15"),
    ("033", "adres", "Koraalstraat 144"),
    ("033", "postcode", "3318 RC"),
    ("033", "persoon", "A.G. de Bruijn"),
    ("033", "persoon", "Hoogendoorn"),
    ("035", "leeftijd", "Ik ben 58"),
    ("035", "persoon", "Aleksandra"),
    ("035", "persoon", "Nowak-de Graaf"),
    ("037", "persoon", "Esra"),
    ("037", "leeftijd", "14 jaar"),
    ("038", "persoon", "Fatima"),
    ("038", "persoon", "El Amrani"),
    ("038", "leeftijd", "69 jaar"),
    ("040", "persoon", "Gülşen"),
    ("040", "persoon", "Kaya"),
    ("041", "persoon", "Shanti"),
    ("041", "persoon", "Jagesar"),
    ("041", "email", "salon@knipenzo-dordrecht.example"),
    ("041", "telefoon", "0786152087"),
    ("043", "leeftijd", "Ik ben 16"),
    ("045", "leeftijd", "Ik ben 63"),
    ("046", "persoon", "Popescu"),
    ("046", "leeftijd", "(34)"),
    ("048", "geboortedatum", "3 april 1956"),
    ("049", "persoon", "M. van Leeuwen"),
    ("049", "persoon", "Leeuwen-Bos"),
    ("049", "telefoon", "1943 8271"),
    ("051", "geboortedatum", "21-09-1971"),
    ("053", "persoon", "Ö. Demir"),
    ("053", "persoon", "Demir"),
    ("054", "leeftijd", "Ik ben 82"),
    ("054", "persoon", "G. Verbeek"),
    ("054", "adres", "Bremhof 63"),
    ("054", "postcode", "3312 LM"),
    ("054", "telefoon", "06-19283746"),
    ("056", "persoon", "R. Doelwijt"),
    ("056", "persoon", "Doelwijt"),
    ("056", "leeftijd", "Ik ben nu 16"),
    ("058", "persoon", "Z. Azzouz"),
    ("058", "adres", "Jasmijnhof 4a"),
    ("058", "postcode", "3314 TE"),
    ("058", "email", "zazzouz.dordt@hotmail.example"),
    ("060", "persoon", "Dimitar"),
    ("060", "persoon", "Petrov"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("verhalen")
    vocab = load_story_vocabulary()
    import_stories(CSV, vocab=vocab, out_dir=out, progress=False)
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


def test_neighbourhood_kept(imported):
    out, _ = imported
    collection = load_stories(out)
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

    frame = load_stories().frame()
    codes = auto_code(frame[["id", "text"]])
    for table in (theme_counts(frame, codes, by="area"), change_by_theme(frame, codes)):
        assert not table.empty
        cells = table.drop(columns=[c for c in ("theme", "area") if c in table]).to_numpy().ravel()
        # every shown count is 0, at least 5, or hidden
        assert all(c in ("<5", "x") or c == 0 or c >= 5 for c in cells)
        assert "<5" in set(cells)
