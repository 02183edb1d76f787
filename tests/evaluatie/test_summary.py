"""The sentences under the status matrix follow the tables, say so when there is nothing
to judge yet, and reach the report escaped."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from npdw_learning.evaluatie import report, summary, views
from npdw_learning.evaluatie.status import status_cells
from npdw_learning.evaluatie.summary import dutch_list, summary_sentences
from npdw_learning.kern.programme import ProgrammeFolder

INDICATORS = pd.DataFrame(
    {"id": ["w1", "w2", "v1"], "pillar": ["wonen", "wonen", "veilig"], "label": ["A", "B", "C"]}
)
PILLARS = pd.DataFrame({"id": ["wonen", "veilig"], "label": ["Wonen", "Veilig"]})
LABELS = {"h1": "Hoogwijk", "h2": "Laagwijk", "agg": "Samen"}
HOODS = ["h1", "h2"]
VERDICTS = {
    ("w1", "h1"): "improving",
    ("w2", "h1"): "improving",
    ("v1", "h1"): "worsening",
    ("w1", "h2"): "worsening",
    ("w2", "h2"): "no_significant_trend",
    ("v1", "h2"): "improving",
    ("w1", "agg"): "improving",
    ("w2", "agg"): "improving",
    ("v1", "agg"): "worsening",
}
JOINT = pd.DataFrame(
    {
        "label": ["Doel 1", "Doel 2", "Doel 3"],
        "pillar": ["wonen", "veilig", "veilig"],
        "meta_inference": ["convergent", "discordant", "numbers_only"],
    }
)


def trends(**changed: str) -> pd.DataFrame:
    verdicts = dict(VERDICTS)
    for key, verdict in changed.items():
        verdicts[tuple(key.split("_"))] = verdict
    rows = [(i, a, v) for (i, a), v in verdicts.items()]
    return pd.DataFrame(rows, columns=["indicator", "area", "verdict"])


def sentences(trend_table, joint=JOINT, progress=None, changes=None) -> list[str]:
    cells = status_cells(INDICATORS, [*HOODS, "agg"], progress, trend_table, changes)
    return summary_sentences(
        cells, joint, pillars=PILLARS, area_labels=LABELS, neighbourhoods=HOODS, aggregate="agg"
    )


def the(found: list[str], start: str) -> str:
    hits = [s for s in found if s.startswith(start)]
    assert len(hits) == 1, (start, found)
    return hits[0]


AHEAD = "Meer indicatoren de goede kant op"
BEHIND = "Meer indicatoren de verkeerde kant op"


def test_pillars_and_neighbourhoods_that_move_each_way():
    got = sentences(trends())
    assert 5 <= len(got) <= 8
    assert the(got, AHEAD).endswith(": Wonen in Hoogwijk; Veilig in Laagwijk.")
    assert the(got, BEHIND).endswith(": Wonen in Laagwijk; Veilig in Hoogwijk.")
    assert the(got, "In Samen als geheel").startswith(
        "In Samen als geheel gaan 2 van de 3 indicatoren de goede kant op en 1 de verkeerde"
    )
    assert "per saldo vooruit bij Wonen." in the(got, "In Samen als geheel")
    assert the(got, "Het overzicht telt").startswith(
        "Het overzicht telt 9 reeksen: 3 indicatoren in Hoogwijk, Laagwijk en Samen. Bij alle 9"
    )


def test_a_changed_table_changes_the_sentence():
    before = sentences(trends())
    after = sentences(trends(v1_h1="improving"))
    assert the(after, AHEAD).endswith(": Wonen in Hoogwijk; Veilig in alle wijken.")
    assert the(after, BEHIND).endswith(": Wonen in Laagwijk.")
    assert the(after, AHEAD) != the(before, AHEAD)
    flat = sentences(trends(w1_h1="no_significant_trend", w2_h1="no_significant_trend"))
    assert "Wonen in Hoogwijk" not in the(flat, AHEAD)


def test_nothing_ahead_or_behind_is_said_plainly():
    still = {k: "no_significant_trend" for k in VERDICTS}
    table = pd.DataFrame(
        [(i, a, v) for (i, a), v in still.items()], columns=["indicator", "area", "verdict"]
    )
    got = sentences(table)
    assert "In geen enkele wijk gaan bij een pijler meer indicatoren de goede kant op" in got[1]
    assert "In geen enkele wijk gaan bij een pijler meer indicatoren de verkeerde kant op" in got[2]


def test_progress_and_targets_are_counted():
    progress = pd.DataFrame(
        [
            ("w1", "h1", "parity", "on_track"),
            ("w2", "h1", "parity", "moving_away"),
            ("v1", "h1", "absolute", "not_assessable"),
        ],
        columns=["indicator", "area", "target_type", "status"],
    )
    got = sentences(trends(), progress=progress)
    assert the(got, "Van de 2 reeksen waarvan de voortgang") == (
        "Van de 2 reeksen waarvan de voortgang naar het doel voor 2043 te beoordelen is, hebben "
        "0 het doel al bereikt en zijn 1 op koers; 0 gaan de goede kant op maar te langzaam en 1 "
        "gaan van het doel af."
    )
    assert "Voor 6 reeksen is er geen doel voor 2043 en bij 1 met een doel" in got[-1]


def test_numbers_and_stories_that_disagree_are_named_by_pillar():
    got = sentences(trends())
    assert the(got, "Bij 1 doel spreken cijfers en verhalen elkaar tegen (Veilig)")
    assert "Bij 1 doel wijzen cijfers en verhalen dezelfde kant op." in the(got, "Bij 1 doel")
    agree = JOINT.assign(meta_inference=["convergent", "convergent", "expansion"])
    assert the(sentences(trends(), joint=agree), "Nergens spreken cijfers en verhalen").endswith(
        "bij 2 doelen wijzen ze dezelfde kant op."
    )
    untold = JOINT.assign(meta_inference="numbers_only")
    assert the(sentences(trends(), joint=untold), "Er zijn nog geen verhalen bij de doelen")


def test_series_that_cannot_be_judged_say_why():
    table = trends(w1_h2="insufficient_data", w2_h2="insufficient_data", v1_h2="insufficient_data")
    changes = pd.DataFrame([("w2", "h2", "no_test")], columns=["indicator", "area", "verdict"])
    got = sentences(table, changes=changes)
    last = got[-1]
    assert last.startswith("3 van de 9 reeksen zijn nog niet te beoordelen: ")
    assert "2 hebben minder dan 4 metingen en geen latere meting" in last
    assert "1 heeft wel een latere meting, maar geen steekproefgrootte of standaardfout" in last
    assert "nog geen enkele meting" not in last
    assert "Bij 6 is iets te zeggen, via een trend (6)." in got[0]


def test_the_minimum_follows_the_constant(monkeypatch):
    table = trends(w1_h2="insufficient_data")
    assert "minder dan 4 metingen" in sentences(table)[-1]
    monkeypatch.setattr(summary, "MIN_POINTS", 6)
    assert "minder dan 6 metingen" in sentences(table)[-1]


def test_a_first_year_with_only_empty_tables_says_so():
    empty = pd.DataFrame(columns=["indicator", "area", "verdict"])
    got = sentences(empty, joint=JOINT.iloc[0:0])
    assert got[0].endswith(
        "Nog geen enkele reeks is te beoordelen: er is nog te weinig gemeten sinds de nulmeting "
        "(zoals in het eerste jaar van een programma)."
    )
    assert got[1].startswith("9 van de 9 reeksen zijn nog niet te beoordelen: 9 hebben nog geen")
    assert got[2] == "Er zijn nog geen doelen om cijfers en verhalen naast elkaar te leggen."
    no_indicators = status_cells(INDICATORS.iloc[0:0], HOODS, None, None)
    none = summary_sentences(
        no_indicators,
        None,
        pillars=PILLARS,
        area_labels=LABELS,
        neighbourhoods=HOODS,
        aggregate="agg",
    )
    assert none[0].startswith("Er staan nog geen indicatoren in het register")


def test_dutch_list():
    assert dutch_list([]) == ""
    assert dutch_list(["a", "b"]) == "a en b"


# -- what reaches the report --------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def captured(monkeypatch):
    outputs: list[nbformat.NotebookNode] = []

    def keep(bundle, section, **extra):
        meta = {"npdw": {"section": section, **extra}}
        outputs.append(nbformat.v4.new_output("display_data", data=dict(bundle), metadata=meta))

    monkeypatch.setattr(report, "_display", keep)
    return outputs


def test_labels_from_the_registry_reach_the_report_only_escaped(captured, tmp_path):
    from npdw_learning.evaluatie.status import draw_status_matrix

    bundled = ProgrammeFolder.bundled().registry
    pillars = bundled.pillars.assign(
        label=[f"Pijler {i} {SCRIPT}" for i in range(len(bundled.pillars))]
    )
    areas = bundled.areas.assign(label=[f"{a} {SCRIPT}" for a in bundled.areas["label"]])
    registry = dataclasses.replace(bundled, pillars=pillars, areas=areas)
    hoods = list(areas.loc[areas["kind"] == "neighbourhood", "id"])
    columns = [*hoods, registry.aggregate_id]
    table = pd.DataFrame(
        [(i, a, "improving") for i in registry.indicators["id"] for a in columns],
        columns=["indicator", "area", "verdict"],
    )
    matrix = status_cells(registry.indicators, columns, None, table)
    labels = registry.area_labels()
    figure = draw_status_matrix(
        matrix, registry.indicators, pillars, {a: labels[a] for a in columns}, tmp_path / "m.png"
    )
    joint = pd.DataFrame(
        {"label": [SCRIPT], "pillar": [pillars["id"][0]], "meta_inference": ["discordant"]}
    )
    run = SimpleNamespace(registry=registry, areas=hoods)
    step = SimpleNamespace(matrix=matrix, joint=joint, matrix_figure=figure)
    views.show_summary(run, step)
    text = next(o for o in captured if "text/markdown" in o["data"])["data"]["text/markdown"]
    assert "&lt;script&gt;" in text and "<script" not in text
    figure_html = next(o for o in captured if "text/html" in o["data"])["data"]["text/html"]
    assert '<figure class="figuur"' in figure_html
    assert "<script" not in figure_html and "&lt;script&gt;" in figure_html  # the alt text
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = captured
    page = report.render_html(
        report.assemble([nbformat.v4.new_notebook(cells=[cell])], pillars, title="t")
    )
    assert "<script" not in page
    assert f"Pijler 0 {SCRIPT}".replace("<", "&lt;").replace(">", "&gt;") in page


# -- proposed pillars nobody reviewed yet ---------------------------------------------------


def stories_with(sources: list[tuple[tuple[str, ...], str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"pillars": [p for p, _ in sources], "pillars_source": [s for _, s in sources]}
    )


def test_unreviewed_proposals_are_said_only_while_any_remain():
    cells = status_cells(INDICATORS, [*HOODS, "agg"], None, trends())
    kwargs = dict(pillars=PILLARS, area_labels=LABELS, neighbourhoods=HOODS, aggregate="agg")
    reviewed = stories_with([(("wonen",), None), ((), None)])
    plain = summary_sentences(cells, JOINT, **kwargs)
    assert summary_sentences(cells, JOINT, stories=reviewed, **kwargs) == plain
    remaining = stories_with(
        [(("wonen",), "auto")] * 4
        + [(("wonen", "veilig"), "auto"), (("veilig",), "auto")]
        + [((), "auto")]
    )
    got = summary_sentences(cells, JOINT, stories=remaining, **kwargs)
    assert got[:-1] == plain and len(got) <= 9
    said = the(got, "6 verhalen hebben een pijler die bij het inlezen automatisch")
    assert said == got[-1]
    assert "ze tellen in de tabel 'Verhalen per pijler' apart" in said
    # A count below MIN_CELL is not given exactly, as in the tables.
    assert said.endswith(
        "Bij minder dan vijf verhalen kon de import geen pijler voorstellen; ze tellen als nog "
        "niet ingedeeld."
    )
    first_year = summary_sentences(
        status_cells(INDICATORS.iloc[0:0], HOODS, None, None), None, stories=remaining, **kwargs
    )
    assert first_year[-1] == said
    assert summary.review_sentence(None) is None
    assert summary.review_sentence(stories_with([])) is None


def test_the_samenvatting_shows_the_sentence(captured):
    registry = ProgrammeFolder.bundled().registry
    hoods = list(registry.areas.loc[registry.areas["kind"] == "neighbourhood", "id"])
    columns = [*hoods, registry.aggregate_id]
    table = pd.DataFrame(
        [(i, a, "improving") for i in registry.indicators["id"] for a in columns],
        columns=["indicator", "area", "verdict"],
    )
    matrix = status_cells(registry.indicators, columns, None, table)
    stories = stories_with([(("werk",), "auto"), (("werk",), None)])
    step = SimpleNamespace(matrix=matrix, joint=None, matrix_figure=None, stories=stories)
    views.show_summary(SimpleNamespace(registry=registry, areas=hoods), step)
    text = next(o for o in captured if "text/markdown" in o["data"])["data"]["text/markdown"]
    assert "Minder dan vijf verhalen hebben een pijler die bij het inlezen automatisch" in text
