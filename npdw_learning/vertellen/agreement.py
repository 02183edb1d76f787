"""Agreement between coders: percent agreement, Cohen's kappa and Krippendorff's alpha.

Coders work blind, each in their own file ``stories/coding/<coder>.csv``
(``story_id,theme``; one row per story and theme, a story read but given no
theme appears once with an empty theme). The stories a coder coded are the
story ids in their file. ``auto`` stands for the automatic coding of the
story collection (:func:`npdw_learning.vertellen.coding.auto_code`).

What is compared
----------------
Every coding decision is a *presence decision*: did coder *c* give story *s*
theme *t* (1) or not (0)? Per theme that is a binary rating of each story.

* **Per theme** (:func:`agreement_table`), on the stories that *all* given
  coders coded (``n``):

  - ``percent_agreement``: the percentage of those stories on which all
    coders agree (all gave the theme, or none did);
  - ``kappa``: Cohen's kappa (1960) of each pair of coders; with more than
    two coders the mean over the pairs (Light's kappa, Light 1971), pairs
    whose kappa cannot be computed left out. Kappa is NaN ("niet te
    berekenen") when the expected agreement is 1: both coders never (or
    always) gave the theme, so there is no variation to agree on beyond
    chance.

* **Overall** (:func:`overall_alpha`): Krippendorff's alpha, nominal, with
  the ``krippendorff`` package. The units are the (story, theme) pairs of
  every story at least one coder coded, crossed with every theme; the values
  are 0/1. A coder who did not code a story is *missing* for all its units;
  alpha uses every unit with at least two values (its strength over kappa),
  so with two coders this is the same set of stories as ``n``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .coding import coding_matrix

__all__ = [
    "AGREEMENT_COLUMNS",
    "DISAGREEMENT_COLUMNS",
    "AUTO",
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "cohens_kappa",
    "common_stories",
    "agreement_table",
    "pairwise_kappa",
    "overall_alpha",
    "alpha_reading",
    "disagreements",
]

AGREEMENT_COLUMNS = ["theme", "n", "percent_agreement", "kappa"]
DISAGREEMENT_COLUMNS = ["story_id", "theme", "coded_by", "not_coded_by"]
AUTO = "auto"
# Krippendorff (2004, Content Analysis 2nd ed., p. 241): rely on variables with
# alpha >= .800; .667 <= alpha < .800 only for tentative conclusions.
ALPHA_RELIABLE = 0.800
ALPHA_TENTATIVE = 0.667


# -- statistics --------------------------------------------------------------------


def cohens_kappa(a: Sequence[bool] | np.ndarray, b: Sequence[bool] | np.ndarray) -> float:
    """Cohen's kappa of two binary ratings of the same items.

    ``kappa = (po - pe) / (1 - pe)`` with ``po`` the observed agreement and
    ``pe = pa * pb + (1 - pa) * (1 - pb)`` the agreement expected from each
    coder's own rate of "yes" (``pa``, ``pb``).

    Returns
    -------
    float
        NaN when there are no items or ``pe == 1`` (both coders never, or
        both always, say yes: kappa is undefined, not an error).

    Examples
    --------
    >>> round(cohens_kappa([1, 1, 0, 0], [1, 0, 0, 0]), 3)
    0.5
    >>> cohens_kappa([0, 0, 0], [0, 0, 0])
    nan
    """
    a = np.asarray(a, dtype=bool)
    b = np.asarray(b, dtype=bool)
    if a.shape != b.shape:
        raise ValueError("beide beoordelingen moeten even lang zijn")
    if a.size == 0:
        return math.nan
    po = float(np.mean(a == b))
    pa, pb = float(a.mean()), float(b.mean())
    pe = pa * pb + (1 - pa) * (1 - pb)
    if math.isclose(pe, 1.0):
        return math.nan
    return (po - pe) / (1 - pe)


def _blank(value: object) -> bool:
    # pandas 3 stores a missing string as NaN or pd.NA; a CSV cell as "".
    return value is None or bool(pd.isna(value)) or str(value).strip() == ""


def _normalise(codes: pd.DataFrame) -> pd.DataFrame:
    """story_id and theme as stripped strings; an empty theme becomes missing."""
    missing = {"story_id", "theme"} - set(codes.columns)
    if missing:
        raise ValueError(f"codes need columns story_id and theme; missing {sorted(missing)}")
    out = codes[["story_id", "theme"]].copy()
    out["story_id"] = out["story_id"].map(lambda v: str(v).strip())
    out["theme"] = out["theme"].map(lambda v: None if _blank(v) else str(v).strip())
    return out


def common_stories(codes_by_coder: Mapping[str, pd.DataFrame]) -> list[str]:
    """The story ids every coder coded, sorted.

    Examples
    --------
    >>> a = pd.DataFrame({"story_id": ["vt-1", "vt-2"], "theme": ["werk", None]})
    >>> b = pd.DataFrame({"story_id": ["vt-2", "vt-3"], "theme": ["werk", "werk"]})
    >>> common_stories({"a": a, "b": b})
    ['vt-2']
    """
    sets = [set(_normalise(c)["story_id"]) for c in codes_by_coder.values()]
    return sorted(set.intersection(*sets)) if sets else []


def _presence(codes: pd.DataFrame, themes: list[str], stories: list[str]) -> pd.DataFrame:
    """Story x theme booleans; codes of themes outside ``themes`` are left out."""
    codes = _normalise(codes)
    codes = codes[codes["theme"].isna() | codes["theme"].isin(themes)]
    return coding_matrix(codes, stories, themes).astype(bool)


def _check_coders(codes_by_coder: Mapping[str, pd.DataFrame]) -> None:
    if len(codes_by_coder) < 2:
        raise ValueError("overeenstemming vraagt minstens twee codeurs")


def pairwise_kappa(
    codes_by_coder: Mapping[str, pd.DataFrame], themes: Iterable[str]
) -> pd.DataFrame:
    """Cohen's kappa per theme and pair of coders, on the stories all coders coded.

    Returns
    -------
    DataFrame
        ``theme, coder_a, coder_b, n, kappa``.

    Examples
    --------
    >>> a = pd.DataFrame({"story_id": ["vt-1", "vt-2"], "theme": ["werk", ""]})
    >>> b = pd.DataFrame({"story_id": ["vt-1", "vt-2"], "theme": ["werk", ""]})
    >>> pairwise_kappa({"a": a, "b": b}, ["werk"])["kappa"].tolist()
    [1.0]
    """
    _check_coders(codes_by_coder)
    themes = list(themes)
    stories = common_stories(codes_by_coder)
    m = {c: _presence(codes, themes, stories) for c, codes in codes_by_coder.items()}
    rows = [
        {
            "theme": theme,
            "coder_a": a,
            "coder_b": b,
            "n": len(stories),
            "kappa": cohens_kappa(m[a][theme].to_numpy(), m[b][theme].to_numpy()),
        }
        for theme in themes
        for a, b in itertools.combinations(codes_by_coder, 2)
    ]
    return pd.DataFrame(rows, columns=["theme", "coder_a", "coder_b", "n", "kappa"])


def agreement_table(
    codes_by_coder: Mapping[str, pd.DataFrame], themes: Iterable[str]
) -> pd.DataFrame:
    """Per theme: stories in common, percent agreement and (mean pairwise) Cohen's kappa.

    Parameters
    ----------
    codes_by_coder : mapping of coder name to DataFrame
        Each with columns ``story_id, theme`` (empty theme: coded, no theme).
        At least two coders.
    themes : iterable of str
        The themes to report, in this order (usually the whole codebook, so a
        theme nobody used shows up as "niet te berekenen").

    Returns
    -------
    DataFrame
        ``theme, n, percent_agreement, kappa``. ``n`` is the number of
        stories every coder coded; ``percent_agreement`` (0-100) the share
        of them on which all coders agree; ``kappa`` Cohen's kappa, with
        more than two coders the mean over the pairs (Light's kappa), NaN
        when it cannot be computed.

    Examples
    --------
    >>> a = pd.DataFrame({"story_id": ["vt-1", "vt-2", "vt-3", "vt-4"],
    ...                   "theme": ["werk", "werk", "", ""]})
    >>> b = pd.DataFrame({"story_id": ["vt-1", "vt-2", "vt-3", "vt-4"],
    ...                   "theme": ["werk", "", "", ""]})
    >>> agreement_table({"a": a, "b": b}, ["werk"]).round(3).to_dict("records")
    [{'theme': 'werk', 'n': 4, 'percent_agreement': 75.0, 'kappa': 0.5}]
    """
    _check_coders(codes_by_coder)
    themes = list(themes)
    stories = common_stories(codes_by_coder)
    matrices = [_presence(c, themes, stories) for c in codes_by_coder.values()]
    pairs = pairwise_kappa(codes_by_coder, themes)
    rows = []
    for theme in themes:
        ratings = np.column_stack([m[theme].to_numpy() for m in matrices])
        if stories:
            same = (ratings.all(axis=1) | ~ratings.any(axis=1)).mean()
            percent = 100.0 * float(same)
        else:
            percent = math.nan
        kappas = pairs.loc[pairs["theme"] == theme, "kappa"].dropna()
        rows.append(
            {
                "theme": theme,
                "n": len(stories),
                "percent_agreement": percent,
                "kappa": float(kappas.mean()) if len(kappas) else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _reliability_data(
    codes_by_coder: Mapping[str, pd.DataFrame], themes: Sequence[str]
) -> tuple[np.ndarray, int]:
    """Coders x units (story, theme) of 0/1, NaN where a coder did not code the story."""
    coded = {c: set(_normalise(codes)["story_id"]) for c, codes in codes_by_coder.items()}
    stories = sorted(set().union(*coded.values()))
    rows = []
    for coder, codes in codes_by_coder.items():
        m = _presence(codes, themes, stories).astype(float)
        m.loc[~m.index.isin(coded[coder])] = np.nan
        rows.append(m.to_numpy().ravel())  # unit order: story-major, then theme
    n_pairable = sum(sum(s in c for c in coded.values()) >= 2 for s in stories)
    return np.vstack(rows), n_pairable


def overall_alpha(codes_by_coder: Mapping[str, pd.DataFrame], themes: Iterable[str]) -> float:
    """Krippendorff's alpha (nominal) over all story x theme presence decisions.

    Units are (story, theme) pairs for every story at least one coder coded
    and every theme in ``themes``; values 0/1; a coder who did not code a
    story is missing for its units. Computed with the ``krippendorff``
    package.

    Returns
    -------
    float
        NaN when alpha is undefined: fewer than two coders coded any story,
        or every decision has the same value (nobody used any theme).

    Examples
    --------
    >>> a = pd.DataFrame({"story_id": ["vt-1", "vt-2", "vt-3"], "theme": ["werk", "werk", ""]})
    >>> b = pd.DataFrame({"story_id": ["vt-1", "vt-2", "vt-3"], "theme": ["werk", "", ""]})
    >>> round(overall_alpha({"a": a, "b": b}, ["werk"]), 3)
    0.444
    """
    import krippendorff  # a small import, but only this function needs it

    _check_coders(codes_by_coder)
    data, n_pairable = _reliability_data(codes_by_coder, list(themes))
    values = data[~np.isnan(data)]
    if n_pairable == 0 or values.size == 0 or np.unique(values).size < 2:
        return math.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def alpha_reading(alpha: float) -> str:
    """A one-line Dutch reading of alpha with Krippendorff's (2004) thresholds.

    Examples
    --------
    >>> alpha_reading(0.85)
    'betrouwbaar'
    """
    if math.isnan(alpha):
        return "niet te berekenen (geen enkel thema gebruikt, of te weinig verhalen)"
    if alpha >= ALPHA_RELIABLE:
        return "betrouwbaar"
    if alpha >= ALPHA_TENTATIVE:
        return "alleen voorlopige conclusies"
    return "onvoldoende: bespreek het codeboek en codeer opnieuw"


def disagreements(
    codes_by_coder: Mapping[str, pd.DataFrame], themes: Iterable[str]
) -> pd.DataFrame:
    """The (story, theme) decisions on which the coders differ, to discuss together.

    Only stories every coder coded (a story one coder skipped is not a
    disagreement).

    Returns
    -------
    DataFrame
        ``story_id, theme, coded_by, not_coded_by``; the coder columns are
        comma-separated names, rows sorted by story and then theme order.

    Examples
    --------
    >>> a = pd.DataFrame({"story_id": ["vt-1"], "theme": ["werk"]})
    >>> b = pd.DataFrame({"story_id": ["vt-1"], "theme": [""]})
    >>> disagreements({"a": a, "b": b}, ["werk"]).to_dict("records")
    [{'story_id': 'vt-1', 'theme': 'werk', 'coded_by': 'a', 'not_coded_by': 'b'}]
    """
    _check_coders(codes_by_coder)
    themes = list(themes)
    stories = common_stories(codes_by_coder)
    m = {c: _presence(codes, themes, stories) for c, codes in codes_by_coder.items()}
    rows = []
    for story in stories:
        for theme in themes:
            yes = [c for c in m if m[c].at[story, theme]]
            if yes and len(yes) < len(m):
                no = [c for c in m if c not in yes]
                rows.append(
                    {
                        "story_id": story,
                        "theme": theme,
                        "coded_by": ", ".join(yes),
                        "not_coded_by": ", ".join(no),
                    }
                )
    return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)


# -- input -------------------------------------------------------------------------
