"""The wijkbericht, the slides and the one-page summary (issue 23).

The language rules (B1) against the templates themselves, the choice of
readings, quotes and efforts on small hand-made tables, the invitation in
``programme.yaml`` with its bad-input rules, and the empty first year of a
programme made by ``npdw init``, laid out for print. The demo run's outputs
are checked in ``test_evaluate.py`` (on the run that module makes anyway).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pandas as pd
import pytest
from printcheck import check_print, pdf_with_streams

from npdw_learning.evaluatie import wijktaal as taal
from npdw_learning.evaluatie.wijkbericht import (
    MAX_LINES,
    Invitation,
    RunTables,
    bericht_for,
    read_invitation,
)
from npdw_learning.evaluatie.wijkopmaak import bericht_html, visible_text
from npdw_learning.kern.errors import InputError
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.stories import vocabulary_in

# -- the language: B1 ----------------------------------------------------------------

# Long but real values for every placeholder of a template: the longest a name gets here.
FILL = {
    "area": "Nieuw-Krispijn",
    "year": 2026,
    "date": "dinsdag 9 maart 2027, 19.30 uur",
    "where": "het rapport Vertellen en tellen 2026",
    "stories": "minder dan 5 verhalen",
    "teller": "ervaringsdeskundige",
    "place": "Buurthuis De Wielewaal, Wielwijkstraat 1",
    "how": "verhalen@voorbeeld.example",
    "pillar": "Arbeidsmarkt en bestaanszekerheid",
    "target_year": 2043,
}


def every_generated_sentence() -> list[str]:
    """Every sentence a template of wijktaal can give, its placeholders filled."""
    said = []
    for name, template in taal.TEXT.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        said += taal.sentences(taal.text(name, **{f: FILL[f] for f in fields}))
    for reading, outcome in taal._READING:
        said.append(taal.reading_sentence(reading, outcome))
    for unit in ("percent", "grade_1_10", "per_1000", "index", "euro_x1000", "scale_score"):
        for value in (3.0, 24.0, 50.0, 7.1, 97.5):
            said += taal.compare_sentence(unit, True, "Nieuw-Krispijn", value, "Dordrecht", 9.0)
    return said


def test_every_template_is_short_plain_and_free_of_statistical_words():
    said = every_generated_sentence()
    assert len(said) > 60
    for sentence in said:
        assert taal.word_count(sentence) <= taal.MAX_WORDS, sentence
        assert taal.forbidden_words(sentence) == [], sentence
    mean = sum(taal.word_count(s) for s in said) / len(said)
    assert mean <= taal.MEAN_WORDS, mean


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Er is een significante trend.", ["significante", "trend"]),
        (
            "De indicatoren en het betrouwbaarheidsinterval",
            ["indicatoren", "betrouwbaarheidsinterval"],
        ),
        ("De p-waarde en de mediaan, het effect", ["p-waarde", "mediaan", "effect"]),
        ("Sinds de nulmeting is de reeks gestegen.", ["nulmeting", "reeks"]),
        ("Effectief werk en een trendy jas", ["trendy"]),  # a stem catches its compounds
        ("Het gaat goed in de wijk.", []),
    ],
)
def test_forbidden_words_are_found(text, found):
    assert taal.forbidden_words(text) == found


def test_the_list_of_forbidden_words_holds_the_words_the_issue_names():
    for word in ("significant", "trend", "indicator", "interval", "p-waarde", "mediaan", "effect"):
        assert taal.forbidden_words(word) == [word], word


@pytest.mark.parametrize("percent", [x / 2 for x in range(2, 195)])
def test_a_share_is_said_as_people_say_it_and_close_to_the_number(percent):
    said = taal.share_words(percent)
    match = re.fullmatch(r"ongeveer (\d+) op de (\d+)", said)
    if match:
        value = 100 * int(match.group(1)) / int(match.group(2))
        assert abs(value - percent) <= 0.2 * percent, (percent, said)  # within a fifth
    else:
        assert said in ("ongeveer de helft", "bijna iedereen", "minder dan 1 op de 100")
        assert said != "ongeveer de helft" or 45 <= percent <= 55


def test_marks_and_small_counts():
    assert taal.mark_words(6.96) == "een 7" and taal.mark_words(6.6) == "ongeveer een 7"
    assert taal.count_words(4, "verhaal", "verhalen") == "minder dan 5 verhalen"
    assert taal.count_words(5, "verhaal", "verhalen") == "5 verhalen"


def test_flesch_douma_is_douma_s_formula_on_textstat_s_counts():
    """Against the formula, with syllables counted independently from pyphen's Dutch patterns."""
    import pyphen

    text = "Het gaat beter met de buurt. Bewoners voelen zich veiliger op straat."
    words = re.findall(r"[a-z]+", text.lower())
    dic = pyphen.Pyphen(lang="nl_NL")
    syllables = sum(len(dic.positions(w)) + 1 for w in words)
    expected = 206.835 - 0.93 * (len(words) / 2) - 77 * (syllables / len(words))
    assert taal.flesch_douma(text) == pytest.approx(expected, abs=0.01)
    hard = "Interdisciplinaire samenwerkingsverbanden veronderstellen programmatische afstemming."
    assert taal.flesch_douma(hard) < taal.MIN_FLESCH_DOUMA < taal.flesch_douma(text)


def test_visible_text_reads_each_block_as_a_sentence():
    page = (
        '<h2><span class="teken" role="img" aria-label="gaat beter">↑</span>Wat gaat beter</h2>'
        "<ul><li><p>Groen in de buurt</p><p>Dit gaat de goede kant op.</p></li></ul>"
        "<blockquote><p>“Het park is mooi.”</p></blockquote><style>p { x: y }</style>"
    )
    assert visible_text(page).splitlines() == [
        "Wat gaat beter.",
        "Groen in de buurt.",
        "Dit gaat de goede kant op.",
        "“Het park is mooi.”",
    ]


# -- the choice, on hand-made tables ----------------------------------------------------


@pytest.fixture(scope="module")
def reg():
    return ProgrammeFolder.bundled().registry


def cells(reg, rows) -> pd.DataFrame:
    pillar = dict(zip(reg.indicators["id"], reg.indicators["pillar"], strict=True))
    return pd.DataFrame(
        [(i, pillar[i], a, r, o, False) for i, a, r, o in rows],
        columns=["indicator", "pillar", "area", "reading", "outcome", "has_target"],
    )


def story(ident, area, consent, text, change="beter", pillars=("wonen",)):
    return {
        "id": ident,
        "date": dt.date(2025, 5, 1),
        "area": area,
        "teller": "bewoner",
        "channel": "buurtbakkie",
        "pillars": list(pillars),
        "change": change,
        "consent": consent,
        "text": text,
        "synthetic": True,
    }


def tables(reg, *, rows=(), trends=None, stories=(), efforts=None, invitation=None) -> RunTables:
    frame = pd.DataFrame(list(stories)) if stories else pd.DataFrame(columns=["id", "area"])
    empty = pd.DataFrame(columns=["indicator", "area"])
    return RunTables(
        registry=reg,
        year=2026,
        areas=["oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof"],
        run_date="6 december 2026",
        synthetic=False,
        cells=cells(reg, rows),
        trends=trends if trends is not None else empty,
        progress=empty,
        theme_quotes=pd.DataFrame(columns=["story_id", "sentence"]),
        efforts=efforts if efforts is not None else pd.DataFrame(),
        stories=frame,
        consent_levels=tuple(vocabulary_in(ProgrammeFolder.bundled()).consent_levels),
        invitation={None: invitation or Invitation()},
    )


def test_the_strongest_readings_come_first_at_most_five_and_two_a_pillar_at_first(reg):
    ids = reg.indicators[reg.indicators["pillar"] == "veilig"]["id"].tolist()[:6]
    wonen = reg.indicators[reg.indicators["pillar"] == "wonen"]["id"].tolist()[:2]
    rows = [(i, "wielwijk", "change", "improving") for i in ids]  # grade 1
    rows += [(wonen[0], "wielwijk", "progress", "on_track")]  # grade 2: first
    rows += [(wonen[1], "wielwijk", "trend", "worsening")]  # the other list
    b = bericht_for(tables(reg, rows=rows), "wielwijk")
    assert len(b.better) == MAX_LINES and b.better[0].indicator == wonen[0]
    assert [x.indicator for x in b.attention] == [wonen[1]]
    assert sum(x.pillar == "veilig" for x in b.better) == MAX_LINES - 1  # no other pillar waits
    other = bericht_for(tables(reg, rows=rows), "crabbehof")  # no cell of crabbehof
    assert other.better == [] and not other.measured


def test_a_reading_is_compared_with_the_reference_in_words(reg):
    ident = "veiligheid-buurt"  # a report mark, higher is better
    trends = pd.DataFrame(
        {
            "indicator": [ident, ident],
            "area": ["wielwijk", "dordrecht"],
            "last_year": [2025, 2025],
            "last_value": [6.1, 7.2],
        }
    )
    rows = [(ident, "wielwijk", "trend", "improving")]
    [line] = bericht_for(tables(reg, rows=rows, trends=trends), "wielwijk").better
    assert line.title == "Het cijfer voor veiligheid in de buurt"
    assert line.sentences == (
        "Dit gaat al een paar jaar de goede kant op.",
        "In Wielwijk is dat ongeveer een 6.",
        "In heel Dordrecht is dat ongeveer een 7.",
    )


def test_quotes_come_only_from_published_stories_of_the_wijk_and_never_a_placeholder(reg):
    stories = [
        story("a1", "wielwijk", "publiceren", "Het plein is nu veel schoner dan vroeger."),
        story("a2", "wielwijk", "citeren", "Dit mag alleen als citaat in het rapport staan."),
        story("a3", "wielwijk", "analyse", "Dit verhaal is alleen voor de analyse bedoeld."),
        story("a4", "crabbehof", "publiceren", "In Crabbehof zijn de portieken weer veilig."),
        story(
            "a5",
            "wielwijk",
            "publiceren",
            "Mijn buurman [PERSOON-1] helpt mij altijd. Hij doet boodschappen voor de hele "
            "straat en dat vind ik heel fijn.",
            change="gelijk",
        ),
        story(
            "a6",
            "wielwijk",
            "publiceren",
            "Er is een trend dat mensen vaker groeten. Kinderen spelen weer buiten op het "
            "grasveld achter de flat.",
            change="slechter",
        ),
    ]
    b = bericht_for(tables(reg, stories=stories), "wielwijk")
    quoted = {q.story_id: q.text for q in b.quotes}
    assert set(quoted) == {"a1", "a5", "a6"}
    assert quoted["a1"] == "Het plein is nu veel schoner dan vroeger."
    # Cut at whole sentences: the one with the placeholder left out, and the one with a
    # statistical word too.
    assert quoted["a5"] == "Hij doet boodschappen voor de hele straat en dat vind ik heel fijn."
    assert quoted["a6"] == "Kinderen spelen weer buiten op het grasveld achter de flat."
    assert b.stories == 5 and b.publishable == 3
    whole = bericht_for(tables(reg, stories=stories), None)  # the programme: every wijk
    assert "a4" in {q.story_id for q in whole.quotes}


def test_too_little_is_said_honestly(reg):
    page = bericht_html(bericht_for(tables(reg), "wielwijk"))
    seen = visible_text(page)
    assert seen.count(taal.text("too_little")) == 4  # better, attention, stories, efforts
    assert taal.text("no_measurement", area="Wielwijk") in seen
    assert taal.text("quotes_few", area="Wielwijk") in seen
    assert taal.text("when_open") in seen and taal.text("where_open") in seen
    assert "Dit bericht hoort bij het jaar 2026." in seen
    assert "De cijfers zijn op 6 december 2026 bijgewerkt." in seen


def test_a_small_story_count_is_not_shown(reg):
    stories = [story(f"s{i}", "wielwijk", "analyse", "Een kort verhaal.") for i in range(3)]
    seen = visible_text(bericht_html(bericht_for(tables(reg, stories=stories), "wielwijk")))
    assert "We hoorden minder dan 5 verhalen uit Wielwijk." in seen
    assert "3 verhalen" not in seen


def test_efforts_that_run_and_name_the_wijk_come_first(reg):
    efforts = pd.DataFrame(
        {
            "id": ["e-a", "e-b", "e-c", "e-d"],
            "label": ["Plan A", "Plan B", "Plan C", "Plan D"],
            "pillar": ["wonen", "veilig", "werk", "wonen"],
            "year": [2024] * 4,
            "status": ["in_uitvoering", "gerealiseerd", "niet_gestart", "in_uitvoering"],
        }
    )
    t = tables(reg, efforts=efforts)
    t.effort_texts = {"e-d": "Plan D: een nieuw plein in Wielwijk"}
    b = bericht_for(t, "wielwijk")
    assert [(e.id, e.status) for e in b.efforts] == [
        ("e-d", "loopt"),
        ("e-a", "loopt"),
        ("e-b", "is klaar"),
    ]
    seen = visible_text(bericht_html(b))
    assert "Hier werkt het programma aan. Dit is de stand van 2024." in seen


# -- the invitation (programme.yaml) -----------------------------------------------------


def _invitation(folder: Path, reg):
    return read_invitation(ProgrammeFolder(folder).programme_file, reg)


def programme(tmp_path: Path, text: str) -> Path:
    """A programme.yaml of two lines (name, short_name) and then ``text``."""
    folder = tmp_path / "data"
    (folder / "registry").mkdir(parents=True)
    (folder / "registry" / "programme.yaml").write_text(
        "name: Test\nshort_name: T\n" + text, encoding="utf-8"
    )
    return folder


def test_the_invitation_is_read_per_wijk_with_placeholders_open(tmp_path, reg):
    folder = programme(
        tmp_path,
        "wijkbericht:\n"
        "  uitnodiging: Kom ook!\n"
        "  datum: nog in te vullen\n"
        "  plaats: Het buurthuis\n"
        "  per_wijk:\n"
        "    wielwijk: {datum: 2027-03-09, plaats: De Wielewaal}\n",
    )
    found = _invitation(folder, reg)
    assert found[None] == Invitation(uitnodiging="Kom ook!", plaats="Het buurthuis")
    assert found["wielwijk"].datum == "9 maart 2027" and found["wielwijk"].plaats == "De Wielewaal"
    assert found["crabbehof"].datum is None
    assert found[None].open_fields() == ["datum", "verhaal_insturen", "rapport"]
    assert _invitation(programme(tmp_path / "b", ""), reg)[None] == Invitation()


@pytest.mark.parametrize(
    ("text", "row", "column", "says"),
    [
        ("wijkbericht:\n  datum: 1\n  plek: hier\n", 5, "plek", "onbekend veld"),
        ("wijkbericht:\n  datum: [1, 2]\n", 4, "datum", "verwacht tekst"),
        ("wijkbericht: tekst\n", 3, "wijkbericht", "verwacht velden"),
        ("wijkbericht:\n  per_wijk:\n    nergens: {datum: x}\n", 5, "per_wijk", "nergens"),
    ],
)
def test_a_wrong_invitation_names_file_row_and_column(tmp_path, reg, text, row, column, says):
    with pytest.raises(InputError) as caught:
        _invitation(programme(tmp_path, text), reg)
    [finding] = caught.value.findings
    assert finding.row == row and finding.column == column and says in finding.message
    assert finding.file.endswith("programme.yaml")


# -- the empty first year of a new programme -----------------------------------------------


@pytest.fixture(scope="module")
def empty_year(tmp_path_factory):
    """``npdw init`` and its four steps (no measurement, no story), then the outputs."""
    from npdw_learning.cli import main
    from npdw_learning.evaluatie import steps
    from npdw_learning.evaluatie.wijkuitvoer import run_tables, write_outputs

    root = tmp_path_factory.mktemp("leeg_jaar")
    folder = root / "zuiderhaven"
    args = ["init", str(folder), "--name", "Programma Zuiderhaven Vooruit"]
    args += ["--areas", "oostkade=Oostkade", "westkade=Westkade"]
    assert main([*args, "--reference", "havenstad=Havenstad"]) == 0
    run = steps.Run.from_parameters(2026, folder, folder / "stories", root / "uit", None, False)
    steps.tellen_step(run)
    steps.vertellen_step(run)
    steps.joint_step(run)
    steps.leeragenda_step(run)
    tables = run_tables(
        run.out_dir,
        registry=run.registry,
        year=2026,
        folder=run.folder,
        areas=run.areas,
        started=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        synthetic=False,
    )
    said: list[str] = []
    made = write_outputs(tables, run.out_dir, root / "bericht", echo=said.append)
    return root / "bericht", made, said


def test_the_empty_year_makes_every_output_and_says_what_is_missing(empty_year):
    out, made, said = empty_year
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*"))
    for stem in ("oostkade", "westkade", "focusgebied"):
        assert f"wijkberichten/{stem}.html" in names and f"wijkberichten/{stem}.pdf" in names
    for name in ("presentatie.pdf", "presentatie/oostkade.pdf", "samenvatting.pdf"):
        assert name in names
    # The learning session: a page per pillar, saying what this run has no table for.
    seen = visible_text((out / "leersessie.html").read_text(encoding="utf-8"))
    assert seen.count("Geen vorig jaar om mee te vergelijken.") == len(
        ProgrammeFolder(out.parent / "zuiderhaven").registry.pillars
    )
    assert not any(line.startswith("WAARSCHUWING: leersessie.pdf") for line in said)
    seen = visible_text((out / "wijkberichten" / "oostkade.html").read_text(encoding="utf-8"))
    assert "Hierover weten we nog te weinig. Er zijn nog geen cijfers over Oostkade." in seen
    assert "Er zijn nog geen verhalen uit Oostkade." in seen
    assert "Er is nog niet vastgelegd wat er loopt." in seen
    assert "De datum volgt nog." in seen  # npdw init leaves the date to fill in
    assert [m.pages for m in made] == [1, 1, 1]
    assert all(m.flesch_douma >= taal.MIN_FLESCH_DOUMA for m in made)
    # For residents: the wijkberichten and the slides (the summary is for the board).
    for page in [*out.glob("wijkberichten/*.html"), *out.glob("presentatie*.html")]:
        assert taal.forbidden_words(visible_text(page.read_text(encoding="utf-8"))) == [], page
    assert any("wijkbericht: datum, plaats" in line for line in said)
    assert "wijkberichten/oostkade.pdf: 1 pagina, leesbaarheid (Flesch-Douma)" in said[0]


def test_the_empty_year_prints_within_the_page_in_type_of_at_least_11_pt(empty_year):
    out, _, _ = empty_year
    for page in sorted((out / "wijkberichten").glob("*.html")):
        check_print(page.read_text(encoding="utf-8"), max_pages=2)


# -- accessibility, as for the report -------------------------------------------------------


def test_every_colour_pair_of_the_pages_meets_wcag_aa():
    from test_report_print import contrast

    from npdw_learning.evaluatie.wijkopmaak import COLOURS

    white = "#ffffff"
    pairs = [
        (COLOURS[text], COLOURS[ground])
        for text in ("inkt", "grijs", "accent")
        for ground in ("zacht", "waarschuwing")
    ]
    pairs += [(COLOURS[c], white) for c in ("inkt", "grijs", "accent", "beter", "aandacht")]
    pairs += [(white, COLOURS["beter"]), (white, COLOURS["aandacht"])]  # the icons
    for text, ground in pairs:
        assert contrast(text, ground) >= 4.5, (text, ground)


def test_the_empty_year_s_pdfs_are_tagged_and_its_pictures_named(empty_year):
    out, _, _ = empty_year
    for name in (
        "wijkberichten/oostkade.pdf",
        "presentatie.pdf",
        "samenvatting.pdf",
        "leersessie.pdf",
    ):
        pdf = pdf_with_streams(out / name)
        assert b"pdfuaid:part" in pdf and b"/StructTreeRoot" in pdf, name
        assert b"/Lang (nl)" in pdf, name
    for page in out.rglob("*.html"):
        markup = page.read_text(encoding="utf-8")
        assert '<html lang="nl">' in markup
        icons = re.findall(r'<span [^>]*role="img"[^>]*>', markup)
        assert all('aria-label="' in icon for icon in icons), page
        for alt in re.findall(r'<img [^>]*alt="([^"]*)"', markup):
            assert len(alt.split()) >= 12 and "tables/statusoverzicht.csv" in alt
        assert markup.count("<img ") == len(re.findall(r'<img [^>]*alt="', markup))
