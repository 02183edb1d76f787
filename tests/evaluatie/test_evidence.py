"""Evidence per learning question (issue 25): each label follows from the question's
linked tables, built by hand here; the next step from the label, status and research;
the view shows outside text literally."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from npdw_learning.evaluatie import report
from npdw_learning.evaluatie.evidence import (
    EVIDENCE,
    EVIDENCE_COLUMNS,
    next_step,
    publishable_evidence,
    question_evidence,
    question_series,
)
from npdw_learning.evaluatie.joint import meta_inference, numbers_direction, stories_direction
from npdw_learning.evaluatie.labels import EVIDENCE_NL
from npdw_learning.kern.programme import ProgrammeFolder

AREAS = ["wielwijk", "crabbehof"]


def question(ident, indicators=(), themes=(), research=(), status="open", **extra) -> dict:
    return {
        "id": ident,
        "question": f"Vraag {ident}?",
        "pillars": ["wonen"],
        "indicators": list(indicators),
        "themes": list(themes),
        "research": list(research),
        "status": status,
        "lessons": [],
        "owner": "coördinator",
        **extra,
    }


def cell(indicator, area, reading, outcome) -> dict:
    return {"indicator": indicator, "area": area, "reading": reading, "outcome": outcome}


# Hand-built tables: what each indicator and theme says, in the two chosen areas.
CELLS = pd.DataFrame(
    [
        cell("up", "wielwijk", "trend", "improving"),
        cell("up", "crabbehof", "change", "improving"),
        cell("down", "wielwijk", "trend", "worsening"),
        cell("down", "crabbehof", "progress", "moving_away"),
        cell("flat", "wielwijk", "trend", "no_significant_trend"),
        cell("flat", "crabbehof", "break", "as_trend"),
        cell("unread", "wielwijk", "none", "insufficient_data"),
        cell("unread", "crabbehof", "none", "no_data"),
        # the aggregate and an area not chosen never count
        cell("unread", "dordt-west", "trend", "improving"),
        cell("unread", "oud-krispijn", "trend", "improving"),
    ]
)
THEMES = {
    "t-beter": ["beter"] * 4 + ["slechter"],
    "t-slechter": ["slechter"] * 3,
    "t-gemengd": ["beter", "beter", "slechter", "slechter", "gelijk"],
    "t-weinig": ["beter"],
    "t-leeg": [],
}


def story_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    stories, codes = [], []
    for theme, changes in THEMES.items():
        for i, change in enumerate(changes):
            ident = f"{theme}-{i}"
            stories.append({"id": ident, "area": AREAS[i % 2], "change": change})
            codes.append({"story_id": ident, "theme": theme})
    # a story outside the chosen areas on a theme: never counts
    stories.append({"id": "elders", "area": "oud-krispijn", "change": "slechter"})
    codes.append({"story_id": "elders", "theme": "t-beter"})
    return pd.DataFrame(stories), pd.DataFrame(codes)


QUOTES = pd.DataFrame(
    {
        "theme": ["t-beter", "t-beter", "t-slechter"],
        "story_id": ["t-beter-4", "t-beter-0", "t-slechter-0"],
        "change": ["slechter", "beter", "slechter"],
        "sentence": ["Het werd slechter.", "Het werd beter.", "Het is slechter."],
    }
)
RESEARCH = pd.DataFrame(
    {"id": ["r-loopt", "r-gepland", "r-klaar"], "status": ["lopend", "gepland", "afgerond"]}
)


def evidence_of(*questions: dict) -> pd.DataFrame:
    stories, codes = story_tables()
    frame = pd.DataFrame(list(questions))
    return question_evidence(frame, CELLS, stories, codes, QUOTES, RESEARCH, areas=AREAS).set_index(
        "question"
    )


CASES = [
    # (indicators, themes, evidence, meta-inference)
    ((), (), "none", "no_evidence"),
    (("up",), ("t-beter",), "converging", "convergent"),
    (("down",), ("t-slechter",), "converging", "convergent"),
    (("flat",), ("t-gemengd",), "diverging", "expansion"),
    (("up",), ("t-slechter",), "diverging", "discordant"),
    (("down",), ("t-beter",), "diverging", "discordant"),
    (("up", "down"), ("t-beter",), "diverging", "expansion"),  # mixed numbers
    (("up",), ("t-weinig",), "diverging", "expansion"),  # too few stories for a direction
    (("up",), (), "numbers_only", "numbers_only"),
    (("down",), ("t-leeg",), "numbers_only", "numbers_only"),
    (("unread",), ("t-beter",), "stories_only", "stories_only"),
    ((), ("t-slechter",), "stories_only", "stories_only"),
    (("unread",), ("t-leeg",), "none", "no_evidence"),
]


@pytest.mark.parametrize(("indicators", "themes", "evidence", "meta"), CASES)
def test_the_evidence_label_follows_from_the_linked_tables(indicators, themes, evidence, meta):
    row = evidence_of(question("lq-01", indicators, themes)).loc["lq-01"]
    assert (row["evidence"], row["meta_inference"]) == (evidence, meta)


def test_every_evidence_label_is_in_the_cases_and_has_a_dutch_label():
    assert {c[2] for c in CASES} == set(EVIDENCE)
    assert set(EVIDENCE_NL) == set(EVIDENCE)


def test_the_directions_are_those_of_the_joint_display_on_the_same_series_and_stories():
    """Recomputed by hand: the series directions of the question's indicators in the chosen
    areas, and the direction of the chosen areas' stories on its themes, each story once."""
    row = evidence_of(question("lq-01", ["up", "flat"], ["t-beter", "t-weinig"])).loc["lq-01"]
    # up: improving twice (trend, change); flat: no clear change twice (trend, break)
    directions = ["improving", "improving", "no_significant_trend", "no_significant_trend"]
    changes = ["beter"] * 4 + ["slechter"] + ["beter"]  # not the story outside the areas
    assert (row["series"], row["improving"], row["no_trend"]) == (4, 2, 2)
    assert row["numbers_direction"] == numbers_direction(directions) == "verbetering"
    assert row["stories"] == 6
    assert row["stories_direction"] == stories_direction(changes) == "beter"
    assert row["meta_inference"] == meta_inference("verbetering", "beter")


def test_a_first_year_question_gets_its_direction_from_change_and_break():
    """No trend yet: the change since the baseline and the break after the start give
    the direction, and the readings name them."""
    cells = pd.DataFrame(
        [
            cell("nieuw", "wielwijk", "change", "improving"),
            cell("nieuw", "crabbehof", "break", "better_than_trend"),
        ]
    )
    stories, codes = story_tables()
    q = pd.DataFrame([question("lq-09", ["nieuw"], ["t-beter"])])
    row = question_evidence(q, cells, stories, codes, QUOTES, RESEARCH, areas=AREAS).iloc[0]
    assert row["numbers_direction"] == "verbetering"
    assert row["evidence"] == "converging"
    assert row["readings"] == (
        "nieuw@wielwijk=change:improving;nieuw@crabbehof=break:better_than_trend"
    )


def test_the_row_lists_series_themes_research_and_lessons():
    q = question("lq-03", ["down", "unread"], ["t-slechter"], ["r-loopt", "r-klaar"])
    q["lessons"] = ["les-01", "les-02"]
    q["pillars"] = ["wonen", "veilig"]
    row = evidence_of(q).loc["lq-03"]
    assert row["readings"] == (
        "down@wielwijk=trend:worsening;down@crabbehof=progress:moving_away;"
        "unread@wielwijk=none:insufficient_data;unread@crabbehof=none:no_data"
    )
    assert (row["indicators"], row["themes"]) == ("down;unread", "t-slechter")
    assert row["research_status"] == "r-loopt=lopend;r-klaar=afgerond"
    assert (row["lessons"], row["pillars"], row["text"]) == (
        "les-01;les-02",
        "wonen;veilig",
        "Vraag lq-03?",
    )


def test_the_quote_is_a_consented_one_matching_the_stories_direction():
    both = evidence_of(
        question("lq-01", ["up"], ["t-beter"]),  # stories say beter: the beter quote
        question("lq-02", ["up"], ["t-gemengd"]),  # no quote selected for the theme
    )
    assert both.loc["lq-01", "quote"] == "Het werd beter."
    assert both.loc["lq-01", "quote_story"] == "t-beter-0"
    assert pd.isna(both.loc["lq-02", "quote"])


def test_one_row_per_question_in_agenda_order_with_the_contract_columns():
    frame = evidence_of(*(question(f"lq-{i:02d}") for i in (3, 1, 2))).reset_index()
    assert list(frame.columns) == EVIDENCE_COLUMNS
    assert frame["question"].tolist() == ["lq-03", "lq-01", "lq-02"]
    contract = ["question", "text", "pillars", "status", "indicators", "readings", "themes"]
    contract += ["stories", "evidence", "research_status", "lessons", "next_step"]
    assert EVIDENCE_COLUMNS[: len(contract)] == contract


def test_list_fields_may_come_as_text_from_a_csv():
    q = question("lq-01", themes=["t-beter"]) | {"indicators": "up;down", "research": ""}
    row = evidence_of(q).loc["lq-01"]
    assert row["indicators"] == "up;down" and row["series"] == 4
    assert row["research_status"] == ""


def test_question_series_keeps_agenda_indicator_and_area_order():
    frame = pd.DataFrame([question("lq-01", ["flat", "up"]), question("lq-02", ["missing"])])
    series = question_series(frame, CELLS, AREAS)
    assert list(zip(series["indicator"], series["area"], strict=True)) == [
        ("flat", "wielwijk"),
        ("flat", "crabbehof"),
        ("up", "wielwijk"),
        ("up", "crabbehof"),
    ]
    assert series["direction"].tolist() == [
        "no_significant_trend",
        "no_significant_trend",
        "improving",
        "improving",
    ]


def test_small_story_counts_are_hidden_when_published():
    frame = evidence_of(
        question("lq-01", themes=["t-weinig"]),
        question("lq-02", themes=["t-beter"]),
        question("lq-03"),
    )
    shown = publishable_evidence(frame)["stories"].tolist()
    assert shown == ["<5", 5, 0]


# -- the next step -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "status", "kw", "expected"),
    [
        ("converging", "open", {}, "klaar om te beantwoorden in de leersessie"),
        ("converging", "beantwoord", {}, "het antwoord houdt stand"),
        ("diverging", "beantwoord", {}, "toets het antwoord opnieuw"),
        ("none", "beantwoord", {}, "blijft gelden"),
        ("diverging", "open", {"numbers": "verbetering", "told": "slechter"}, "elkaar tegen"),
        ("diverging", "open", {"numbers": "verbetering", "told": "te_weinig"}, "te weinig"),
        ("diverging", "open", {"numbers": "gemengd", "told": "gemengd"}, "allebei gemengd"),
        ("diverging", "open", {"numbers": "geen_trend", "told": "beter"}, "wat de verhalen"),
        ("diverging", "open", {"numbers": "verbetering", "told": "gemengd"}, "welke verhalen"),
        ("numbers_only", "open", {}, "haal verhalen op"),
        ("numbers_only", "open", {"themes": False}, "koppel thema's"),
        ("stories_only", "open", {}, "lees de verhalen"),
        ("stories_only", "open", {"indicators": False}, "zoek een indicator"),
        ("none", "open", {}, "nog geen bewijs en geen onderzoek: onderzoek nodig"),
        ("none", "in_onderzoek", {"research": ["gepland", "lopend"]}, "het onderzoek loopt"),
        ("none", "open", {"research": ["afgerond"]}, "haal de uitkomst op"),
        ("none", "open", {"research": ["gepland"]}, "nog niet begonnen"),
    ],
)
def test_the_next_step_follows_label_status_and_research(evidence, status, kw, expected):
    assert expected in next_step(evidence, status, **kw)


def test_the_next_step_of_a_question_without_anything_says_research_is_needed():
    row = evidence_of(question("lq-01")).loc["lq-01"]
    assert row["next_step"] == "nog geen bewijs en geen onderzoek: onderzoek nodig"
    row = evidence_of(question("lq-01", research=["r-loopt"])).loc["lq-01"]
    assert "het onderzoek loopt" in row["next_step"]


def test_an_unknown_label_is_an_error():
    with pytest.raises(ValueError, match="bewijslabel"):
        next_step("onbekend", "open")


# -- the report's blocks -------------------------------------------------------------

HOSTILE = (
    '=HYPERLINK("http://voorbeeld.invalid","klik") <script>alert(1)</script> '
    "[hier](javascript:alert(2)) ![x](http://voorbeeld.invalid/p.png)?"
)


def test_the_blocks_show_hostile_question_text_literally_grouped_by_pillar(shown):
    from npdw_learning.evaluatie.views.leeragenda import OVERARCHING_NL, _show_evidence

    registry = ProgrammeFolder.bundled().registry
    every = list(registry.pillars["id"])
    questions = [
        question("lq-01", ["up"], ["t-beter"], pillars=["veilig", "wonen"]),
        question("lq-02", pillars=every),
        question("lq-03", ["down"], ["t-beter"], pillars=["wonen"]),
    ]
    questions[0]["question"] = HOSTILE
    stories, codes = story_tables()
    frame = pd.DataFrame(questions)
    step = SimpleNamespace(
        evidence=question_evidence(frame, CELLS, stories, codes, QUOTES, RESEARCH, areas=AREAS),
        evidence_series=question_series(frame, CELLS, AREAS),
        questions=frame,
    )
    _show_evidence(SimpleNamespace(registry=registry), step, "leeragenda")
    texts = [t for s, t in shown if s == "leeragenda"]
    pillars = dict(zip(registry.pillars["id"], registry.pillars["label"], strict=True))
    # grouped by the first pillar, in the registry's order; every pillar: overarching, last
    headed = [t.split("\n", 1)[0] for t in texts]
    order = [p for p in every if p in ("wonen", "veilig")]
    assert headed == [
        *(f"##### {report.markdown_literal(pillars[p])}" for p in order),
        f"##### {report.markdown_literal(OVERARCHING_NL)}",
    ]
    block = next(t for t in texts if "lq\\-01" in t)
    assert "eensgezind" in block and "klaar om te beantwoorden" in block
    page = report.sanitize(markdown2html_mistune("\n\n".join(texts)))
    assert "<script" not in page
    assert "<img" not in page
    assert "javascript" not in " ".join(re.findall(r'href="[^"]*"', page))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[hier](javascript:alert(2))" in page.replace("\\", "")
    assert '=HYPERLINK("http://voorbeeld.invalid","klik")' in page.replace("&quot;", '"')
