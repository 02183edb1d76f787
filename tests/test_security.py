"""Text from outside is data, never code: the report shows it literally, tables keep it inert.

Unit tests of the one escaping step (:func:`report.markdown_literal`), the
sanitizer behind it and the formula guard of the CSV writer, and one end-to-end
evaluation on a poisoned collection: stories, a story title, an MSC reason, a
lesson, a learning question and an area label carry script, event handlers,
``javascript:`` links, Markdown images and a spreadsheet formula. The report
must show each of them as text and contain no live element; the tables must
hold the formula as text.
"""

from __future__ import annotations

import html
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from npdw_learning.evaluatie.report import CSP, markdown_literal, sanitize
from npdw_learning.kern.atomic import (
    formula_safe_text,
    read_csv,
    unformula_text,
    write_csv,
)
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.stories import STORIES_DIR, vocabulary_in

SCRIPT = "<script>alert(1)</script>"
ONERROR = "<img src=x onerror=alert(2)>"
JS_LINK = "[klik](javascript:alert(3))"
MD_IMAGE = "![plaatje](http://voorbeeld.invalid/y.png)"
FORMULA = "=cmd|' /C calc'!A0"
POISONS = (SCRIPT, ONERROR, JS_LINK, MD_IMAGE)
# A learning question that opens with a formula: its evidence block and leervragen_bewijs.csv
HOSTILE_QUESTION = (
    f'=HYPERLINK("http://voorbeeld.invalid","klik") {SCRIPT} [hier](http://x.invalid)?'
)


class _Page(HTMLParser):
    """Every start tag with its attributes, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0
        self._glue = False  # after <wbr>: a line may break here, but it is no space

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._glue = tag == "wbr"
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            if self._glue and self.text:
                self.text[-1] += data
            else:
                self.text.append(data)
        self._glue = False

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


# -- the escaping step -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        *POISONS,
        FORMULA,
        "# kop",
        "1. lijst",
        "> citaat",
        "*nadruk* en _ook_",
        "`code`",
        "a\\b",
        "&amp; &#x3c;",
        "$x$ en $$y$$",
        "---",
        "<!-- commentaar -->",
        "regel\nregel",
    ],
)
def test_markdown_literal_renders_to_exactly_the_text(text):
    rendered = markdown2html_mistune(markdown_literal(text))
    page = parse(rendered)
    assert [tag for tag, _ in page.tags] == ["p"]
    assert page.visible() == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_any_text_through_markdown_literal_stays_text(text):
    rendered = markdown2html_mistune(markdown_literal(text))
    page = parse(rendered)
    assert {tag for tag, _ in page.tags} <= {"p"}
    assert page.visible() == " ".join(text.split())


def test_sanitizer_keeps_the_reports_own_markup_and_drops_the_rest():
    own = (
        '<table class="tabel"><caption>c</caption>'
        '<tbody><tr><td class="getal">1</td></tr></tbody></table>'
        '<figure class="figuur"><img src="data:image/png;base64,AAAA" alt="a"></figure>'
        '<a class="anchor-link" href="#kop">#</a>'
    )
    assert sanitize(own) == own
    hostile = (
        '<p onmouseover="x()">tekst</p><script>alert(1)</script><iframe src="https://x"></iframe>'
        '<a href="javascript:alert(1)">a</a><img src="https://x/y.png" onerror="z()">'
        '<a href="https://x">b</a><style>p{}</style><object data="x"></object>'
    )
    page = parse(sanitize(hostile))
    assert {tag for tag, _ in page.tags} <= {"p", "a", "img"}
    for _tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")]
        assert attrs.get("href") is None and attrs.get("src") is None
    assert "tekst" in page.visible()


# -- formula-safe tables -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+31 78 000", "'+31 78 000"),
        ("-plus", "'-plus"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("-0,5", "-0,5"),
        ("+2.5e3", "+2.5e3"),
        ("'s Avonds", "'s Avonds"),
        ("'=x", "''=x"),
        ("<5", "<5"),
        ("gewoon", "gewoon"),
    ],
)
def test_formula_guard(cell, written):
    assert formula_safe_text(cell) == written
    assert unformula_text(written) == cell


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_formula_guard_round_trips_and_never_leaves_a_formula(text):
    written = formula_safe_text(text)
    assert unformula_text(written) == text
    if written[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # Only a number may start with such a character unguarded.
        try:
            float(written.strip().replace(",", "."))
        except ValueError:
            pytest.fail(f"{written!r} starts like a formula and is not a number")


def test_write_csv_is_formula_safe_exact_and_deterministic(tmp_path):
    frame = pd.DataFrame(
        {
            "tekst": [FORMULA, "'s Avonds", "-3", "@x", None, "'=al"],
            "getal": [-1.5, 2.0, -3.0, 0.0, 1.0, 7.0],
        }
    )
    first = write_csv(frame, tmp_path / "a.csv").read_bytes()
    assert write_csv(frame, tmp_path / "b.csv").read_bytes() == first
    lines = first.decode("utf-8").splitlines()
    assert lines[1] == "'=cmd|' /C calc'!A0,-1.5"
    assert lines[3] == "-3,-3"
    assert all(not line.startswith(("=", "+", "@")) for line in lines)
    back = read_csv(tmp_path / "a.csv")
    assert back["tekst"].tolist()[:4] == [FORMULA, "'s Avonds", "-3", "@x"]
    assert back["tekst"].tolist()[5] == "'=al"
    assert back["getal"].tolist() == frame["getal"].tolist()


# -- one evaluation of a poisoned collection ---------------------------------------------


def _story(stories: Path, ident: str, text: str, **extra: object) -> None:
    head = {
        "id": ident,
        "date": "2025-05-06",
        "area": "wielwijk",
        "teller": "bewoner",
        "channel": "buurtbakkie",
        "pillars": ["wonen"],
        "change": "slechter",
        "consent": "publiceren",
        "synthetic": True,
        **extra,
    }
    front = yaml.safe_dump(head, allow_unicode=True, sort_keys=False)
    (stories / f"{ident}.md").write_text(f"---\n{front}---\n{text}\n", encoding="utf-8")


def _poison_yaml(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    from npdw_learning.evaluatie.runner import evaluate

    root = tmp_path_factory.mktemp("vergif")
    data, stories = root / "data", root / "stories"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(STORIES_DIR, stories, ignore=shutil.ignore_patterns("README.md"))
    # Each poisoned sentence is its story's best quote and, with more evidence
    # than the bundled stories on those themes, among the quotes shown.
    _story(
        stories,
        "vt-000a",
        f"De eenzaamheid en de vereenzaming in de flat {SCRIPT} maken mij eenzaam.",
        title=f"Afval {JS_LINK} {MD_IMAGE}",
    )
    _story(
        stories,
        "vt-000b",
        f"Het lawaai en de overlast en de herrie {ONERROR} houden de hele straat wakker.",
        pillars=["veilig"],
    )
    _story(
        stories,
        "vt-000c",
        f"{FORMULA} zegt de buurman over het buurthuis, de ontmoeting en de ontmoetingsplek.",
    )

    def reason(d):
        rnd = d["rounds"][0]
        rnd["selected"] = [*rnd["selected"], "vt-000a"]
        rnd["reasons"]["vt-000a"] = (
            f"Het panel koos dit verhaal omdat {SCRIPT} en {JS_LINK} en {MD_IMAGE} iets laten zien."
        )
        d["domains"][0]["label"] = f"Samen {ONERROR}"

    _poison_yaml(stories / "msc.yaml", reason)

    def lesson(d):
        d["lessons"][0]["lesson"] = f"Les {SCRIPT} {ONERROR} {JS_LINK} {MD_IMAGE}"

    _poison_yaml(data / "agenda" / "lessons.yaml", lesson)

    def question(d):
        d["learning_questions"][0]["question"] = f"Vraag {JS_LINK} {MD_IMAGE} {ONERROR}?"
        d["learning_questions"][1]["question"] = HOSTILE_QUESTION

    _poison_yaml(data / "agenda" / "learning_questions.yaml", question)

    def area(d):
        for a in d["areas"]:
            if a["id"] == "wielwijk":
                a["label"] = f"Wielwijk {JS_LINK}"

    _poison_yaml(data / "registry" / "areas.yaml", area)

    def invitation(d):
        d["wijkbericht"] = {
            "uitnodiging": f"Kom {SCRIPT} {JS_LINK}",
            "datum": FORMULA,
            "plaats": f"Zaal {ONERROR} {MD_IMAGE}",
        }

    _poison_yaml(data / "registry" / "programme.yaml", invitation)

    def effort(d):
        d["efforts"][0]["label"] = f"Plan {SCRIPT} {JS_LINK} {FORMULA}"

    _poison_yaml(data / "registry" / "efforts.yaml", effort)
    out = root / "uit"
    report = evaluate(
        2026,
        data_dir=data,
        stories_dir=stories,
        out_dir=out,
        demo=True,
        echo=lambda m: None,
        pdf=False,  # the markup and tables are checked here; the PDF in evaluatie/
    )
    return report.read_text(encoding="utf-8"), out


@pytest.mark.slow
def test_poisoned_collection_gives_no_live_element(poisoned):
    markup, _ = poisoned
    page = parse(markup)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "iframe" not in tags and "object" not in tags
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)
        href, src = attrs.get("href"), attrs.get("src")
        assert href is None or href.startswith("#"), (tag, attrs)
        assert src is None or src.startswith("data:image/"), (tag, attrs)
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp == [{"http-equiv": "Content-Security-Policy", "content": CSP}]


@pytest.mark.slow
def test_poisoned_text_is_shown_literally(poisoned):
    markup, _ = poisoned
    visible = parse(markup).visible()
    for poison in POISONS:
        assert poison in visible, poison
    # Where each comes in: a quote, the MSC reason and title, a lesson, a question, an area.
    assert f"de vereenzaming in de flat {SCRIPT} maken mij eenzaam" in visible
    assert f"de herrie {ONERROR} houden" in visible
    assert f"omdat {SCRIPT} en {JS_LINK} en {MD_IMAGE} iets laten zien." in visible
    assert f"Les {SCRIPT} {ONERROR} {JS_LINK} {MD_IMAGE}" in visible
    assert f"Vraag {JS_LINK} {MD_IMAGE} {ONERROR}?" in visible
    assert HOSTILE_QUESTION in visible  # the evidence block of the Leeragenda chapter
    assert f"Wielwijk {JS_LINK}" in visible
    # The escaped forms only: no raw markup of a poison anywhere in the file.
    for raw in (SCRIPT, ONERROR):
        assert raw not in markup
        assert html.escape(raw, quote=False) in markup


@pytest.mark.slow
def test_poisoned_formula_is_inert_in_every_table(poisoned):
    _, out = poisoned
    quotes = (out / "tables" / "citaten_per_thema.csv").read_text(encoding="utf-8")
    assert "'" + FORMULA in quotes
    for path in sorted((out / "tables").glob("*.csv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for cell in line.split(","):
                assert not cell.startswith(("=", "@", "\t", "\r")), (path.name, cell)
    back = read_csv(out / "tables" / "citaten_per_thema.csv")
    assert back["sentence"].str.startswith(FORMULA).any()
    evidence = (out / "tables" / "leervragen_bewijs.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(" in evidence  # quoted by the CSV writer, guarded inside
    back = read_csv(out / "tables" / "leervragen_bewijs.csv")
    assert back["text"].tolist()[1] == HOSTILE_QUESTION


# -- the wijkberichten, slides and summary (issue 23) ----------------------------------------


def _resident_pages(out: Path) -> list[Path]:
    return [
        *sorted((out / "wijkberichten").glob("*.html")),
        out / "presentatie.html",
        *sorted((out / "presentatie").glob("*.html")),
        out / "samenvatting.html",
    ]


def _no_live_element(markup: str) -> None:
    page = parse(markup)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "iframe" not in tags and "object" not in tags
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)
        assert attrs.get("href") is None, (tag, attrs)
        src = attrs.get("src")
        assert src is None or src.startswith("data:image/"), (tag, attrs)
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp == [{"http-equiv": "Content-Security-Policy", "content": CSP}]


@pytest.mark.slow
def test_poisoned_invitation_area_and_effort_stay_text_in_the_resident_outputs(poisoned):
    _, out = poisoned
    pages = _resident_pages(out)
    assert len(pages) == 11
    for path in pages:
        _no_live_element(path.read_text(encoding="utf-8"))
    wielwijk = (out / "wijkberichten" / "wielwijk.html").read_text(encoding="utf-8")
    visible = parse(wielwijk).visible()
    assert f"Wijkbericht Wielwijk {JS_LINK} 2026" in visible
    assert f"Kom {SCRIPT} {JS_LINK}" in visible and f"Wanneer: {FORMULA}" in visible
    assert f"Waar: Zaal {ONERROR} {MD_IMAGE}" in visible
    for raw in (SCRIPT, ONERROR):
        assert raw not in wielwijk
    shown = " ".join(parse(p.read_text(encoding="utf-8")).visible() for p in pages)
    assert f"Plan {SCRIPT} {JS_LINK} {FORMULA}" in shown  # the first effort, somewhere


def test_a_hostile_quote_effort_and_invitation_show_literally_in_a_wijkbericht():
    """Without a run: the page of a wijkbericht and its slides, from hand-made tables."""
    from npdw_learning.evaluatie.presentatie import slides_html
    from npdw_learning.evaluatie.wijkbericht import Invitation, RunTables, bericht_for
    from npdw_learning.evaluatie.wijkopmaak import bericht_html

    reg = ProgrammeFolder.bundled().registry
    quote = f"De buurman zei {SCRIPT} en {ONERROR} tegen mij. {FORMULA} staat op de muur."
    stories = pd.DataFrame(
        [
            {
                "id": "vt-x",
                "date": "2025-01-01",
                "area": "wielwijk",
                "teller": "bewoner",
                "pillars": ["wonen"],
                "change": "beter",
                "consent": "publiceren",
                "text": quote,
            }
        ]
    )
    efforts = pd.DataFrame(
        {
            "id": ["e-x"],
            "label": [f"Plan {SCRIPT} {JS_LINK} {MD_IMAGE}"],
            "pillar": ["wonen"],
            "year": [2026],
            "status": ["in_uitvoering"],
        }
    )
    empty = pd.DataFrame(columns=["indicator", "area", "reading", "outcome", "pillar"])
    tables = RunTables(
        registry=reg,
        year=2026,
        areas=["wielwijk"],
        run_date="6 december 2026",
        synthetic=True,
        cells=empty,
        trends=empty,
        progress=empty,
        theme_quotes=pd.DataFrame(columns=["story_id", "sentence"]),
        efforts=efforts,
        stories=stories,
        consent_levels=tuple(vocabulary_in(ProgrammeFolder.bundled()).consent_levels),
        invitation={
            None: Invitation(uitnodiging=f"Kom {JS_LINK}", verhaal_insturen=f"{ONERROR} {FORMULA}")
        },
    )
    b = bericht_for(tables, "wielwijk")
    for markup in (bericht_html(b), slides_html(b)):
        _no_live_element(markup)
        visible = parse(markup).visible()
        assert f"De buurman zei {SCRIPT} en {ONERROR} tegen mij. {FORMULA} staat op de muur." in (
            visible
        )
        assert f"Kom {JS_LINK}" in visible
        assert f"Vertel het ons: {ONERROR} {FORMULA}." in visible
        for raw in (SCRIPT, ONERROR):
            assert raw not in markup
    assert f"Plan {SCRIPT} {JS_LINK} {MD_IMAGE}" in parse(bericht_html(b)).visible()
