"""``leersessie.pdf``: one page per pillar from the two tables of issue 25.

The tables are small and hand-built with the contract columns
(``leervragen_bewijs.csv``: question, text, pillars, status, ..., evidence,
next_step; ``veranderd_sinds_vorig_jaar.csv``: kind, id, area, before, after),
so the pages are tested without the branches that write them.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from npdw_learning.evaluatie.leersessie import (
    PROMPTS,
    SessionTables,
    leersessie_html,
    session_prompts,
    session_tables,
)
from npdw_learning.evaluatie.wijkopmaak import visible_text
from npdw_learning.evaluatie.wijkuitvoer import output_names
from npdw_learning.kern.atomic import write_csv

EVIDENCE_COLUMNS = [
    "question",
    "text",
    "pillars",
    "status",
    "indicators",
    "readings",
    "themes",
    "stories",
    "evidence",
    "research_status",
    "lessons",
    "next_step",
]
HOSTILE = '<script>alert("x")</script> & =HYPERLINK("https://example.org")'


def evidence_table() -> pd.DataFrame:
    rows = [
        ("lq-01", "Worden de buurten schoner?", "wonen;veilig", "open", "diverging", "les-07"),
        ("lq-02", "Bewegen bewoners meer?", "gezond", "in_onderzoek", "converging", ""),
        ("lq-03", HOSTILE, "gezond", "open", "none", ""),
        ("lq-04", "Vinden jongeren werk?", "werk", "beantwoord", "numbers_only", "les-04"),
    ]
    return pd.DataFrame(
        [
            {
                "question": q,
                "text": text,
                "pillars": pillars,
                "status": status,
                "indicators": "",
                "readings": "",
                "themes": "afval-verloedering" if q == "lq-01" else "",
                "stories": 0,
                "evidence": label,
                "research_status": "",
                "lessons": lessons,
                "next_step": f"volgende stap voor {q}",
            }
            for q, text, pillars, status, label, lessons in rows
        ],
        columns=EVIDENCE_COLUMNS,
    )


def changes_table(registry) -> pd.DataFrame:
    wonen = registry.indicators.loc[registry.indicators["pillar"] == "wonen", "id"].iloc[0]
    return pd.DataFrame(
        {
            "kind": ["cell", "question_status", "lesson_new", "theme_stories", "question_status"],
            "id": [wonen, "lq-02", "les-04", "afval-verloedering", "lq-99"],
            "area": ["wielwijk", None, float("nan"), "", ""],  # empty, as a table reads
            # a cell as vorigjaar writes it: reading:outcome
            "before": ["trend:improving", "open", "", "3", "open"],
            "after": ["trend:worsening", "in_onderzoek", "Een nieuwe les", "5", "beantwoord"],
        }
    )


def sections(page: str) -> dict[str, str]:
    """The visible text of each pillar's section, by the pillar's label."""
    parts = page.split('<section class="pijler" aria-label="')[1:]
    return {p.split('"', 1)[0]: visible_text(p.split(">", 1)[1]) for p in parts}


@pytest.fixture(scope="module")
def labels(registry) -> dict[str, str]:
    return dict(zip(registry.pillars["id"], registry.pillars["label"], strict=True))


def test_one_section_per_pillar_with_its_questions(registry, labels):
    session = SessionTables(evidence_table(), changes_table(registry))
    page = leersessie_html(registry, session, year=2026, run_date="6 december 2026")
    by = sections(page)
    assert list(by) == list(registry.pillars["label"])
    # lq-01 is on both of its pillars, and only there.
    assert "lq-01" in by[labels["wonen"]] and "lq-01" in by[labels["veilig"]]
    assert "lq-01" not in by[labels["gezond"]]
    assert "volgende stap voor lq-02" in by[labels["gezond"]]
    assert "Geen leervragen bij deze pijler." in by[labels["leren"]]


def test_changes_land_on_their_pillar(registry, labels):
    session = SessionTables(evidence_table(), changes_table(registry))
    by = sections(leersessie_html(registry, session, year=2026, run_date="vandaag"))
    wonen, gezond = by[labels["wonen"]], by[labels["gezond"]]
    # A cell by its indicator's pillar, with the Dutch words of its readings.
    assert "verbetert → verslechtert" in wonen and "Wielwijk" in wonen
    # A theme by the questions that link it (lq-01: wonen and veilig).
    assert "verhalen per thema, afval-verloedering: 3 → 5" in by[labels["veilig"]]
    assert "status leervraag, lq-02: open → in onderzoek" in gezond
    assert not re.search(r"\bnan\b", " ".join(by.values()))
    # A lesson by the questions that list it (les-04: lq-04, werk).
    assert "nieuwe les, les-04" in by[labels["werk"]]
    # A change about nothing the pillars know (lq-99) is on no page.
    assert all("lq-99" not in text for text in by.values())


def test_prompts_are_written_from_the_content(registry, labels):
    session = SessionTables(evidence_table(), changes_table(registry))
    by = sections(leersessie_html(registry, session, year=2026, run_date="vandaag"))
    wonen = by[labels["wonen"]]
    # Diverging evidence first, then the change for the worse.
    assert wonen.index("lq-01: cijfers en verhalen wijzen verschillende kanten op") < wonen.index(
        "Wat is er gebeurd"
    )
    assert "lq-02: cijfers en verhalen wijzen dezelfde kant op" in by[labels["gezond"]]
    assert "lq-03: nog geen bewijs" in by[labels["gezond"]]


def test_three_prompts_always():
    empty = pd.DataFrame(columns=["question", "evidence", "status"])
    assert len(session_prompts(empty, [])) == PROMPTS
    answered = pd.DataFrame(
        {"question": ["lq-04"], "evidence": ["diverging"], "status": ["beantwoord"]}
    )
    assert not any("lq-04" in p for p in session_prompts(answered, []))


def test_without_either_table_the_pages_say_so(registry, labels):
    page = leersessie_html(
        registry, SessionTables(None, None), year=2026, run_date="vandaag", banner="Demodata"
    )
    by = sections(page)
    assert len(by) == len(registry.pillars)
    for text in by.values():
        assert "Geen vorig jaar om mee te vergelijken." in text
        assert "leervragen_bewijs.csv" in text and "Demodata" in text
    only_evidence = leersessie_html(
        registry, SessionTables(evidence_table(), None), year=2026, run_date="vandaag"
    )
    assert "Geen vorig jaar om mee te vergelijken." in sections(only_evidence)[labels["wonen"]]


def test_outside_text_is_literal(registry, labels):
    page = leersessie_html(
        registry, SessionTables(evidence_table(), None), year=2026, run_date="vandaag"
    )
    assert "<script" not in page
    assert "&lt;script&gt;" in page and '=HYPERLINK("https://example.org")' in page
    assert HOSTILE in sections(page)[labels["gezond"]]


def test_tables_read_from_the_run_folder(tmp_path, registry):
    assert session_tables(tmp_path) == SessionTables(None, None)
    write_csv(evidence_table(), tmp_path / "tables" / "leervragen_bewijs.csv")
    session = session_tables(tmp_path)
    assert session.changes is None
    # The formula guard of write_csv is undone on reading: the text is as it was.
    assert HOSTILE in list(session.evidence["text"])


def test_leersessie_is_among_the_run_outputs():
    names = output_names(["wielwijk"], "dordt-west")
    assert {"leersessie.html", "leersessie.pdf"} <= set(names)
    assert "leersessie.pdf" not in output_names(["wielwijk"], "dordt-west", only="wielwijk")


def test_pdf_has_one_page_per_pillar(registry, tmp_path):
    from npdw_learning.evaluatie.pdf import shared_fonts, write_pdf

    session = SessionTables(evidence_table(), changes_table(registry))
    page = leersessie_html(registry, session, year=2026, run_date="vandaag")
    pages = write_pdf(page, tmp_path / "leersessie.pdf", shared_fonts())
    assert pages == len(registry.pillars)


def test_the_bundled_agenda_fits_a_page_per_pillar(registry, tmp_path):
    """Dordt West's 24 questions (13 on one pillar) and nine worse cells per pillar."""
    from npdw_learning.evaluatie.pdf import shared_fonts, write_pdf
    from npdw_learning.kern.programme import ProgrammeFolder
    from npdw_learning.leeragenda.agenda import agenda_in

    questions = agenda_in(ProgrammeFolder.bundled()).learning_questions
    label = ["converging", "diverging", "numbers_only", "stories_only", "none"]
    evidence = pd.DataFrame(
        {
            "question": questions["id"],
            "text": questions["question"],
            "pillars": questions["pillars"].map(";".join),
            "status": questions["status"],
            "evidence": [label[i % 5] for i in range(len(questions))],
            "lessons": questions["lessons"].map(";".join),
            "themes": questions["themes"].map(";".join),
            "next_step": "cijfers en verhalen spreken elkaar tegen: bespreek het verschil en "
            "zoek uit waar het vandaan komt",
        }
    )
    cells = registry.indicators.groupby("pillar").head(9)
    changes = pd.DataFrame(
        {"kind": "cell", "id": cells["id"], "area": "oud-krispijn"}
        | {"before": "no_significant_trend", "after": "worsening"}
    )
    page = leersessie_html(
        registry, SessionTables(evidence, changes), year=2026, run_date="6 december 2026"
    )
    assert write_pdf(page, tmp_path / "l.pdf", shared_fonts()) == len(registry.pillars)
