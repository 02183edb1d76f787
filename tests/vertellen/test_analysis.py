"""Analysis functions: suppression, counts, change, co-occurrence, distinctive terms, quotes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.analysis import (
    COMPLEMENT,
    _balanced_by_change,
    _best_sentence,
    _count_terms,
    _quote_candidates,
    _top_terms,
    change_by_theme,
    distinctive_terms,
    quotes,
    suppress,
    theme_cooccurrence,
    theme_counts,
)
from npdw_learning.vertellen.coding import auto_code, codebook_in
from npdw_learning.vertellen.nlp import dutch_pipeline, lemmatise
from npdw_learning.vertellen.stories import vocabulary_in


@pytest.fixture(scope="module")
def vocab():
    return vocabulary_in(ProgrammeFolder.bundled())


def _hidden(value) -> bool:
    return isinstance(value, str)


# -- suppression -------------------------------------------------------------------------


def test_suppress_hand_made_table():
    table = pd.DataFrame(
        {"a": [0, 6, 5], "b": [3, 8, 0], "c": [7, 9, 12]}, index=["r1", "r2", "r3"]
    )
    table["totaal"] = table.sum(axis=1)
    shown = suppress(table)
    # 0 stays 0; 3 is below 5; 7 hides with it in row r1 (else 10 - 0 - 7 gives 3 away);
    # column b then has only 3 hidden: 8 goes too; column c likewise: 9 goes too.
    assert shown.to_numpy().tolist() == [
        [0, "<5", COMPLEMENT, 10],
        [6, COMPLEMENT, COMPLEMENT, 23],
        [5, 0, 12, 17],
    ]
    assert shown.loc["r1", "a"] == 0 and isinstance(shown.loc["r1", "a"], int)
    assert list(shown.index) == ["r1", "r2", "r3"]


def test_suppress_threshold_and_nothing_to_hide():
    table = pd.DataFrame({"a": [5, 0], "b": [12, 40]})
    assert suppress(table).to_numpy().tolist() == [[5, 12], [0, 40]]
    shown = suppress(pd.DataFrame({"a": [9, 2]}), min_cell=10)
    assert shown.to_numpy().tolist() == [["<10"], ["<10"]]


def test_suppress_rejects_bad_input():
    with pytest.raises(ValueError):
        suppress(pd.DataFrame({"a": [-1]}))
    with pytest.raises(ValueError):
        suppress(pd.DataFrame({"a": [1]}), min_cell=0)


@settings(max_examples=150, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=st.integers(0, 12))
)
def test_no_line_keeps_a_single_hidden_cell(values):
    table = pd.DataFrame(values)
    table["totaal"] = table.sum(axis=1)
    shown = suppress(table).to_numpy()
    raw = table.to_numpy()
    hidden = np.vectorize(_hidden)(shown)
    # Every small non-zero count is hidden, every visible cell is the true count.
    assert (hidden >= ((raw > 0) & (raw < 5))).all()
    assert all(shown[i, j] == raw[i, j] for i, j in zip(*np.nonzero(~hidden), strict=True))
    # A line with exactly one hidden cell only happens when nothing else could be hidden.
    for line_hidden, line_raw in [
        *zip(hidden, raw, strict=True),
        *zip(hidden.T, raw.T, strict=True),
    ]:
        if line_hidden.sum() == 1:
            assert (line_raw[~line_hidden] == 0).all()


# -- counts by group and change ------------------------------------------------------------


@pytest.fixture
def collection():
    rows = []
    for i in range(30):
        area = ["wielwijk", "crabbehof", "oud-krispijn"][i % 3]
        rows.append(
            {
                "id": f"vt-{i:03d}",
                "area": area,
                "teller": "bewoner" if i % 2 else "professional",
                "channel": "buurtbakkie",
                "year": 2024 + i % 2,
                "change": ["beter", "slechter", "gelijk", "gemengd", "beter"][i % 5],
                "consent": "citeren",
                "text": "",
            }
        )
    stories = pd.DataFrame(rows)
    codes = [(f"vt-{i:03d}", "overlast") for i in range(0, 30)]
    codes += [(f"vt-{i:03d}", "werk") for i in range(0, 12)]
    codes += [
        ("vt-000", "overlast"),
        ("vt-001", ""),
        ("vt-999", "werk"),
    ]  # duplicate, empty, unknown
    return stories, pd.DataFrame(codes, columns=["story_id", "theme"])


def test_theme_counts_exact_without_suppression(collection):
    stories, codes = collection
    table = theme_counts(stories, codes, by="area", min_cell=1)
    assert list(table.columns) == ["theme", "crabbehof", "oud-krispijn", "wielwijk", "totaal"]
    assert table.to_dict("records") == [
        {"theme": "overlast", "crabbehof": 10, "oud-krispijn": 10, "wielwijk": 10, "totaal": 30},
        {"theme": "werk", "crabbehof": 4, "oud-krispijn": 4, "wielwijk": 4, "totaal": 12},
    ]
    by_year = theme_counts(stories, codes, by="year", min_cell=1)
    assert list(by_year.columns) == ["theme", "2024", "2025", "totaal"]
    assert by_year.set_index("theme").loc["werk", "2025"] == 6


def test_theme_counts_suppressed_and_themes_order(collection):
    stories, codes = collection
    table = theme_counts(stories, codes, min_cell=5, themes=["werk", "overlast", "jongeren"])
    assert table["theme"].tolist() == ["werk", "overlast", "jongeren"]
    werk = table.iloc[0].tolist()
    assert werk == ["werk", "<5", "<5", "<5", 12]
    assert table.iloc[2].tolist() == ["jongeren", 0, 0, 0, 0]
    with pytest.raises(ValueError, match="by"):
        theme_counts(stories, codes, by="text")


def test_change_by_theme(collection):
    stories, codes = collection
    exact = change_by_theme(stories, codes, min_cell=1)
    assert list(exact.columns) == [
        "theme",
        "area",
        "beter",
        "slechter",
        "gelijk",
        "gemengd",
        "totaal",
    ]
    overlast = exact[exact["theme"] == "overlast"].set_index("area")
    assert list(overlast.index) == ["crabbehof", "oud-krispijn", "wielwijk", "totaal"]
    assert overlast.loc["totaal"].tolist() == ["overlast", 12, 6, 6, 6, 30]
    assert overlast.loc["wielwijk", "totaal"] == 10
    shown = change_by_theme(stories, codes)
    block = shown[shown["theme"] == "werk"].drop(columns=["theme", "area"]).to_numpy()
    hidden = np.vectorize(_hidden)(block)
    for line in [*hidden, *hidden.T]:
        assert line.sum() != 1
    assert "<5" in block


def test_theme_cooccurrence(collection):
    _, codes = collection
    table = theme_cooccurrence(codes)
    # vt-999 is a story too as far as codes go; co-occurrence needs no story frame.
    assert table.loc["werk", "werk"] == 13
    assert table.loc["overlast", "overlast"] == 30
    assert table.loc["werk", "overlast"] == table.loc["overlast", "werk"] == 12


# -- distinctive terms -----------------------------------------------------------------------


def test_distinctive_terms_against_hand_computation():
    stories = pd.DataFrame(
        {
            "area": ["a", "a", "a", "b", "b", "b"],
            "text": [
                "schimmel schimmel tocht",
                "schimmel huur",
                "tocht schimmel",
                "speeltuin speeltuin plein",
                "plein tocht",
                "speeltuin huur. 12 [PERSOON-1] de",  # number, placeholder, stopword dropped
            ],
        }
    )
    result = distinctive_terms(stories, by="area", top=10, min_stories=1)

    # Independent reference: counts by hand, Monroe et al. (2008) eq. 16-22 with the
    # prior alpha_w = corpus count of w (alpha_0 = corpus size).
    terms = ["huur", "plein", "schimmel", "speeltuin", "tocht"]
    y_a = np.array([1, 0, 4, 0, 2], dtype=float)
    y_b = np.array([1, 2, 0, 3, 1], dtype=float)
    alpha = y_a + y_b
    a0 = alpha.sum()
    n_a, n_b = y_a.sum(), y_b.sum()
    delta_a = np.log((y_a + alpha) / (n_a + a0 - y_a - alpha)) - np.log(
        (y_b + alpha) / (n_b + a0 - y_b - alpha)
    )
    z_a = delta_a / np.sqrt(1 / (y_a + alpha) + 1 / (y_b + alpha))

    got_a = result[result["group"] == "a"].set_index("term")
    assert sorted(got_a.index) == ["huur", "schimmel", "tocht"]  # only terms group a uses
    for k, term in enumerate(terms):
        if y_a[k] == 0:
            continue
        assert got_a.loc[term, "count"] == y_a[k]
        assert got_a.loc[term, "log_odds"] == pytest.approx(delta_a[k], rel=1e-9)
        assert got_a.loc[term, "z"] == pytest.approx(z_a[k], rel=1e-9)
    assert got_a.index[0] == "schimmel"  # highest z first
    # With two groups, b against the rest is a against b mirrored.
    got_b = result[result["group"] == "b"].set_index("term")
    assert got_b.loc["huur", "z"] == pytest.approx(-z_a[0], rel=1e-9)
    assert got_b.loc["tocht", "log_odds"] == pytest.approx(-delta_a[4], rel=1e-9)


def test_distinctive_terms_min_stories_top_and_exclude():
    stories = pd.DataFrame(
        {
            "area": ["a", "a", "a", "b", "b"],
            "text": [
                "schimmel speeltuin",
                "schimmel tocht",
                "schimmel zeldzaamwoord zeldzaamwoord zeldzaamwoord",
                "speeltuin",
                "plein",
            ],
        }
    )
    result = distinctive_terms(stories, top=5, min_stories=2)
    assert result[result["group"] == "a"]["term"].tolist() == ["schimmel"]
    assert result[result["group"] == "b"].empty
    excluded = distinctive_terms(stories, top=5, min_stories=1, exclude=["Schimmel"])
    assert "schimmel" not in set(excluded["term"])
    named = stories.assign(area=["schimmel"] * 3 + ["plein"] * 2)
    assert not {"schimmel", "plein"} & set(distinctive_terms(named, min_stories=1)["term"])
    assert len(distinctive_terms(stories, top=1, min_stories=1).query("group == 'a'")) == 1


# -- quotes ------------------------------------------------------------------------------------


def _quote_stories() -> pd.DataFrame:
    rows = [
        (
            "vt-a",
            "citeren",
            "beter",
            "Hallo. Het grofvuil naast de container is weg. [PERSOON-1] ruimt ook grofvuil op.",
        ),
        ("vt-b", "analyse", "beter", "Het grofvuil naast de container is een ramp geworden."),
        ("vt-c", "publiceren", "slechter", "Wat een gedoe. [PERSOON-2] zette grofvuil buiten."),
        ("vt-d", "publiceren", "slechter", "Er staat steeds meer grofvuil bij ons portiek."),
        ("vt-e", "citeren", "beter", "Grofvuil. Het zwerfvuil en het grofvuil liggen er weer."),
    ]
    return pd.DataFrame(
        [
            {
                "id": i,
                "area": "wielwijk",
                "teller": "bewoner",
                "change": ch,
                "consent": c,
                "text": t,
            }
            for i, c, ch, t in rows
        ]
    )


def test_quotes_only_with_consent_and_never_with_placeholders(vocab):
    stories = _quote_stories()
    codes = auto_code(stories, codebook_in(ProgrammeFolder.bundled()))
    result = quotes(stories, codes, "afval-verloedering", vocab, max_quotes=10)
    assert list(result.columns) == ["story_id", "area", "teller", "change", "sentence"]
    assert "vt-b" not in set(result["story_id"])  # consent "analyse"
    assert "vt-c" not in set(result["story_id"])  # its only evidence sits next to a placeholder
    assert not result["sentence"].str.contains(r"\[").any()
    sentences = dict(zip(result["story_id"], result["sentence"], strict=True))
    assert sentences == {
        "vt-a": "Het grofvuil naast de container is weg.",
        "vt-d": "Er staat steeds meer grofvuil bij ons portiek.",
        "vt-e": "Het zwerfvuil en het grofvuil liggen er weer.",  # "Grofvuil." is too short
    }


def test_quotes_give_each_direction_a_turn(vocab):
    stories = _quote_stories()
    codes = auto_code(stories, codebook_in(ProgrammeFolder.bundled()))
    result = quotes(stories, codes, "afval-verloedering", vocab, max_quotes=2)
    assert sorted(result["change"]) == ["beter", "slechter"]


def test_quotes_need_evidence(vocab):
    stories = _quote_stories()
    human = pd.DataFrame({"story_id": ["vt-a"], "theme": ["afval-verloedering"]})
    assert quotes(stories, human, "afval-verloedering", vocab).empty
    assert quotes(
        stories, auto_code(stories, codebook_in(ProgrammeFolder.bundled())), "werk", vocab
    ).empty


# -- the named steps of distinctive_terms and quotes ------------------------------------


def test_count_terms_counts_occurrences_and_stories_per_group():
    nlp = dutch_pipeline()
    texts = ["schimmel schimmel huis", "schimmel", "speeltuin wielwijk"]
    counts, stories_with = _count_terms(
        ["a", "a", "b"], lemmatise(texts, nlp), set(nlp.Defaults.stop_words), {"wielwijk"}
    )
    assert counts["a"]["schimmel"] == 3 and stories_with["a"]["schimmel"] == 2
    assert counts["a"]["huis"] == 1 and stories_with["a"]["huis"] == 1
    assert dict(counts["b"]) == {"speeltuin": 1}  # the skipped word is not counted
    assert set(counts) == {"a", "b"}


def test_top_terms_keeps_used_finite_terms_by_z_then_alphabet():
    vocabulary = ["a", "b", "c", "d"]
    y = np.array([[3.0, 3.0, 0.0, 5.0], [1.0, 1.0, 4.0, 0.0]])
    used = np.array([[2, 2, 0, 1], [1, 1, 2, 0]])
    z = np.array([[1.0, 1.0, 9.0, 2.0], [0.5, np.inf, 3.0, 1.0]])
    table = {"z": z, "delta": z / 10}
    rows = _top_terms(["g1", "g2"], vocabulary, y, used, table, top=5, min_stories=2)
    # g1: d is used in one story only, c not at all; a and b tie on z: alphabetical
    # g2: only c is used in two stories
    assert [(r["group"], r["term"]) for r in rows] == [("g1", "a"), ("g1", "b"), ("g2", "c")]
    assert rows[0] == {"group": "g1", "term": "a", "count": 3, "log_odds": 0.1, "z": 1.0}
    rows = _top_terms(["g1", "g2"], vocabulary, y, used, table, top=1, min_stories=1)
    assert [(r["group"], r["term"]) for r in rows] == [("g1", "d"), ("g2", "c")]


def test_quote_candidates_need_theme_evidence_and_consent(vocab):
    stories = pd.DataFrame(
        {
            "id": ["s1", "s2", "s3", "s4"],
            "area": ["wielwijk"] * 4,
            "teller": ["bewoner"] * 4,
            "change": ["beter"] * 4,
            "consent": ["citeren", "analyse", "citeren", "citeren"],
            "text": ["x"] * 4,
        }
    )
    codes = pd.DataFrame(
        {
            "story_id": ["s1", "s2", "s3", "s4", "s4", "s1"],
            "theme": ["overlast", "overlast", "overlast", "overlast", "overlast", "groen"],
            "evidence": ["lawaai", "lawaai", "", "herrie | lawaai", "herrie", "boom"],
            "n_matches": [1, 5, 3, 2, 9, 4],
        }
    )
    found = _quote_candidates(stories, codes, "overlast", vocab)
    # s2 may not be quoted, s3 has no evidence; s4 once (its first code), most matches first
    assert found["story_id"].tolist() == ["s4", "s1"]
    assert found["n"].tolist() == [2, 1]
    without_counts = _quote_candidates(stories, codes.drop(columns="n_matches"), "overlast", vocab)
    assert without_counts["story_id"].tolist() == ["s1", "s4"]  # all n = 1: by id


def test_best_sentence_has_most_evidence_and_no_placeholder():
    nlp = dutch_pipeline()
    text = (
        "Er is lawaai. "
        "Het lawaai bij het plein is minder geworden. "
        "Het lawaai en de herrie van [PERSOON-1] zijn weg. "
        "Veel lawaai en herrie op straat 's avonds laat."
    )
    (doc,) = lemmatise([text], nlp, sentences=True)
    assert (
        _best_sentence(doc, "lawaai | herrie", 4)
        == "Veel lawaai en herrie op straat 's avonds laat."
    )
    # "Er is lawaai." has too few words; the placeholder sentence is never chosen
    assert _best_sentence(doc, "lawaai", 4) == "Het lawaai bij het plein is minder geworden."
    assert _best_sentence(doc, "lawaai", 20) is None
    assert _best_sentence(doc, "fiets", 1) is None
    # whole words only: "lawaai" is not found inside "lawaaiig"
    (doc,) = lemmatise(["Het was erg lawaaiig op het plein."], nlp, sentences=True)
    assert _best_sentence(doc, "lawaai", 1) is None


def test_balanced_by_change_gives_each_direction_a_turn():
    changes = ["beter", "beter", "beter", "slechter", "gelijk", "slechter"]
    assert _balanced_by_change(changes, 3) == [0, 3, 4]
    assert _balanced_by_change(changes, 4) == [0, 1, 3, 4]
    assert _balanced_by_change(changes, 10) == list(range(6))
    assert _balanced_by_change([], 3) == []
