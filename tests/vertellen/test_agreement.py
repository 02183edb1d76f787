"""Coder agreement: kappa and alpha against hand-worked references and statsmodels."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa

from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.agreement import (
    AGREEMENT_COLUMNS,
    agreement_table,
    alpha_reading,
    cohens_kappa,
    common_stories,
    disagreements,
    overall_alpha,
    pairwise_kappa,
)
from npdw_learning.vertellen.coding import codebook_in
from npdw_learning.vertellen.stories import Story, write_story

DATA = Path(__file__).parents[1] / "data"
THEMES = ["overlast", "eenzaamheid", "werk", "jongeren"]
CODEBOOK = codebook_in(ProgrammeFolder.bundled()).ids


def make_stories(folder: Path) -> None:
    """Six synthetic stories vt-801 .. vt-806 (no identifying text)."""
    for i in range(1, 7):
        write_story(
            Story(
                id=f"vt-80{i}",
                date=dt.date(2025, 9, i),
                area="wielwijk",
                teller="bewoner",
                channel="buurtbakkie",
                pillars=("gezond",),
                change="beter",
                consent="analyse",
                text="Sinds de koffieochtend groet ik mijn buren weer.",
                synthetic=True,
            ),
            folder,
        )


def codes(mapping: dict[str, list[str]]) -> pd.DataFrame:
    """Coder codes from {story: [themes]}; an empty list = coded without theme."""
    rows = [(s, t) for s, ts in mapping.items() for t in (ts or [None])]
    return pd.DataFrame(rows, columns=["story_id", "theme"])


def binary_coder(yes: set[int], n: int = 10, theme: str = "werk") -> pd.DataFrame:
    return codes({f"vt-{i:03d}": [theme] if i in yes else [] for i in range(n)})


# -- kappa -------------------------------------------------------------------------


def test_kappa_hand_worked_2x2():
    # 10 stories: both yes 4, only a 1, only b 2, both no 3.
    a = binary_coder({0, 1, 2, 3, 4})
    b = binary_coder({0, 1, 2, 3, 5, 6})
    po = (4 + 3) / 10
    pa_yes, pb_yes = 5 / 10, 6 / 10
    pe = pa_yes * pb_yes + (1 - pa_yes) * (1 - pb_yes)  # 0.30 + 0.20
    assert pe == pytest.approx(0.5)
    expected = (po - pe) / (1 - pe)  # 0.4
    table = agreement_table({"a": a, "b": b}, ["werk"])
    assert list(table.columns) == AGREEMENT_COLUMNS
    row = table.iloc[0]
    assert row["n"] == 10
    assert row["percent_agreement"] == pytest.approx(70.0)
    assert row["kappa"] == pytest.approx(expected)
    assert row["kappa"] == pytest.approx(0.4)


def _statsmodels_kappa(a: np.ndarray, b: np.ndarray) -> float:
    table = np.array([[np.sum(a & b), np.sum(a & ~b)], [np.sum(~a & b), np.sum(~a & ~b)]])
    return float(sm_cohens_kappa(table).kappa)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels' standard errors at pe = 1
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_kappa_matches_statsmodels(pairs):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    ours = cohens_kappa(a, b)
    pa, pb = a.mean(), b.mean()
    if math.isclose(pa * pb + (1 - pa) * (1 - pb), 1.0):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(_statsmodels_kappa(a, b), abs=1e-12)


def test_kappa_is_nan_when_nobody_or_everybody_uses_the_theme():
    never = binary_coder(set())
    always = binary_coder(set(range(10)))
    table = agreement_table({"a": never, "b": never}, ["werk"])
    assert math.isnan(table.at[0, "kappa"])
    assert table.at[0, "percent_agreement"] == pytest.approx(100.0)
    assert math.isnan(agreement_table({"a": always, "b": always}, ["werk"]).at[0, "kappa"])
    # One coder always, the other never: defined, and no better than chance.
    assert agreement_table({"a": always, "b": never}, ["werk"]).at[0, "kappa"] == 0


def test_kappa_only_on_stories_all_coders_coded():
    a = codes({"vt-1": ["werk"], "vt-2": [], "vt-3": ["werk"]})
    b = codes({"vt-1": ["werk"], "vt-2": [], "vt-4": []})  # vt-3 and vt-4 not shared
    assert common_stories({"a": a, "b": b}) == ["vt-1", "vt-2"]
    row = agreement_table({"a": a, "b": b}, ["werk"]).iloc[0]
    assert row["n"] == 2
    assert row["percent_agreement"] == pytest.approx(100.0)
    assert row["kappa"] == pytest.approx(1.0)


def test_three_coders_mean_pairwise_kappa_and_all_agree_percentage():
    a = binary_coder({0, 1, 2, 3, 4})
    b = binary_coder({0, 1, 2, 3, 5, 6})
    c = binary_coder({0, 1, 2, 7})
    coders = {"a": a, "b": b, "c": c}
    pairs = pairwise_kappa(coders, ["werk"])
    assert [tuple(p) for p in pairs[["coder_a", "coder_b"]].to_numpy()] == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    ratings = {
        k: np.array([i in s for i in range(10)])
        for k, s in {"a": {0, 1, 2, 3, 4}, "b": {0, 1, 2, 3, 5, 6}, "c": {0, 1, 2, 7}}.items()
    }
    expected = np.mean(
        [_statsmodels_kappa(ratings[x], ratings[y]) for x, y in itertools.combinations("abc", 2)]
    )
    row = agreement_table(coders, ["werk"]).iloc[0]
    assert row["kappa"] == pytest.approx(expected)
    # All three agree on stories 0, 1, 2 (yes) and 8, 9 (no): 5 of 10.
    assert row["percent_agreement"] == pytest.approx(50.0)


def test_needs_two_coders():
    with pytest.raises(ValueError):
        agreement_table({"a": binary_coder({1})}, ["werk"])


# -- alpha -------------------------------------------------------------------------


def alpha_by_hand(units: list[list[float]]) -> float:
    """Nominal alpha from the coincidence matrix (Krippendorff 2011, section C).

    ``o_ck = sum over units of (pairs c-k in the unit) / (m_u - 1)``; ``n_c`` the
    row sums; ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k``.
    """
    o: dict[tuple[float, float], float] = defaultdict(float)
    for values in units:
        values = [v for v in values if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[values[i], values[j]] += 1 / (m - 1)
    n_c: Counter = Counter()
    for (c, _), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    observed = sum(v for (c, k), v in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    return 1 - (n - 1) * observed / expected


def test_alpha_by_hand_reproduces_krippendorff_2011():
    # "Computing Krippendorff's Alpha-Reliability" (2011), C: nominal data, four
    # observers, missing values; the paper gives alpha = 0.743.
    x = None
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, x, x, x],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, x, 3],
        [x, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, x],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, x],
    ]
    assert alpha_by_hand([list(u) for u in zip(*rows, strict=True)]) == pytest.approx(
        0.743, abs=5e-4
    )


def test_alpha_hand_worked_two_coders():
    # Units (story, theme): (s1,t1) 1/1, (s1,t2) 0/0, (s2,t1) 1/1, (s2,t2) 1/0,
    # (s3,t1) 0/0, (s3,t2) 0/1. Coincidences: o00 = 4, o11 = 4, o01 = o10 = 2;
    # n0 = n1 = 6, n = 12: alpha = 1 - 11 * 4 / (2 * 36) = 14/36.
    a = codes({"s1": ["t1"], "s2": ["t1", "t2"], "s3": []})
    b = codes({"s1": ["t1"], "s2": ["t1"], "s3": ["t2"]})
    assert overall_alpha({"a": a, "b": b}, ["t1", "t2"]) == pytest.approx(14 / 36)


def test_alpha_three_coders_with_a_skipped_story():
    a = codes({"s1": ["t1"], "s2": ["t1", "t2"], "s3": [], "s4": ["t2"]})
    b = codes({"s1": ["t1"], "s2": ["t1"], "s3": ["t2"], "s4": ["t2"]})
    c = codes({"s1": ["t1", "t2"], "s2": ["t1"], "s4": []})  # c did not code s3
    themes = ["t1", "t2"]
    coded = {"a": a, "b": b, "c": c}
    units = []
    for story in ["s1", "s2", "s3", "s4"]:
        for theme in themes:
            unit = []
            for frame in coded.values():
                if story not in set(frame["story_id"]):
                    unit.append(None)
                else:
                    hit = ((frame["story_id"] == story) & (frame["theme"] == theme)).any()
                    unit.append(int(hit))
            units.append(unit)
    assert overall_alpha(coded, themes) == pytest.approx(alpha_by_hand(units))


def test_alpha_nan_when_no_theme_used_and_reading():
    a = codes({"s1": [], "s2": []})
    assert math.isnan(overall_alpha({"a": a, "b": a}, ["t1"]))
    assert "niet te berekenen" in alpha_reading(math.nan)
    assert alpha_reading(0.8) == "betrouwbaar"
    assert alpha_reading(0.7) == "alleen voorlopige conclusies"
    assert "codeboek" in alpha_reading(0.5)


# -- disagreements -----------------------------------------------------------------


def test_disagreements_list():
    a = codes({"s1": ["t1", "t2"], "s2": [], "s3": ["t1"]})
    b = codes({"s1": ["t1"], "s2": ["t2"], "s3": ["t1"]})
    c = codes({"s1": ["t1", "t2"], "s2": ["t2"], "s3": ["t1"], "s9": ["t1"]})
    table = disagreements({"a": a, "b": b, "c": c}, ["t1", "t2"])
    assert table.to_dict("records") == [
        {"story_id": "s1", "theme": "t2", "coded_by": "a, c", "not_coded_by": "b"},
        {"story_id": "s2", "theme": "t2", "coded_by": "b, c", "not_coded_by": "a"},
    ]


def test_no_disagreements_is_an_empty_table():
    a = codes({"s1": ["t1"]})
    table = disagreements({"a": a, "b": a}, ["t1"])
    assert table.empty
    assert list(table.columns) == ["story_id", "theme", "coded_by", "not_coded_by"]


# -- command line ------------------------------------------------------------------


@pytest.fixture
def stories(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    make_stories(folder)
    (folder / "coding").mkdir()
    for coder in ("anna", "bram"):
        shutil.copy(DATA / f"agreement_{coder}.csv", folder / "coding" / f"{coder}.csv")
    return folder


def test_cli_agreement(npdw_here, stories, tmp_path):
    out = tmp_path / "uit" / "overeenstemming.csv"
    result = npdw_here(
        "stories", "agreement", "anna", "bram", "--stories", str(stories), "--out", str(out)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = result.stdout
    assert "6 verhalen door alle codeurs gecodeerd" in text
    assert "niet te berekenen" in text  # themes neither coder used
    assert "Krippendorff's alpha" in text and "Leeswijzer" in text
    assert "Verschillen om te bespreken (3):" in text
    assert "vt-802  werk" in text
    table = pd.read_csv(out)
    assert list(table.columns) == AGREEMENT_COLUMNS
    assert set(table["theme"]) == set(CODEBOOK)
    overlast = table.set_index("theme").loc["overlast"]
    # anna: 801 802 805; bram: 801 802 -> a 2x2 of 2 / 1 / 0 / 3 on 6 stories.
    po, pe = 5 / 6, (3 / 6) * (2 / 6) + (3 / 6) * (4 / 6)
    assert overlast["n"] == 6
    assert overlast["kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-5)
    assert overlast["percent_agreement"] == pytest.approx(100 * 5 / 6, abs=1e-4)
    assert table.set_index("theme")["kappa"].isna().sum() == len(CODEBOOK) - 3


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("agreement_fout_thema.csv", "rij 3, kolom 'theme': onbekend thema 'overlst'"),
        ("agreement_fout_verhaal.csv", "rij 3, kolom 'story_id'"),
        ("agreement_fout_kop.csv", "rij 1, kolom 'story_id': kolom 'story_id' ontbreekt"),
        ("agreement_fout_leeg_id.csv", "rij 3, kolom 'story_id': story_id is leeg"),
    ],
)
def test_cli_bad_coder_file(npdw_here, stories, tmp_path, fixture, expected):
    shutil.copy(DATA / fixture, stories / "coding" / "bram.csv")
    out = tmp_path / "uit.csv"
    result = npdw_here(
        "stories", "agreement", "anna", "bram", "--stories", str(stories), "--out", str(out)
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"FOUT: {stories / 'coding' / 'bram.csv'}, {expected}" in result.stdout
    assert not out.exists()


def test_cli_missing_coder_and_too_few_coders(npdw_here, stories):
    result = npdw_here("stories", "agreement", "anna", "carla", "--stories", str(stories))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "codeerbestand van 'carla' ontbreekt; aanwezig: anna, bram" in result.stdout
    result = npdw_here("stories", "agreement", "anna", "--stories", str(stories))
    assert result.returncode == 1
    assert "minstens twee codeurs" in result.stdout


def test_cli_three_coders_with_auto(npdw_here, stories):
    result = npdw_here("stories", "agreement", "anna", "bram", "auto", "--stories", str(stories))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Overeenstemming tussen anna, bram, auto: 6 verhalen" in result.stdout
    assert "het gemiddelde over alle paren codeurs" in result.stdout
    assert "wel: auto" in result.stdout or "niet: auto" in result.stdout


def test_cli_no_story_in_common(npdw_here, stories):
    (stories / "coding" / "bram.csv").write_text("story_id,theme\nvt-806,\n", encoding="utf-8")
    (stories / "coding" / "anna.csv").write_text("story_id,theme\nvt-801,werk\n", encoding="utf-8")
    result = npdw_here("stories", "agreement", "anna", "bram", "--stories", str(stories))
    assert result.returncode == 1
    assert "geen verhaal is door alle codeurs (anna, bram) gecodeerd" in result.stdout
    assert "Traceback" not in result.stderr
