"""Analysis of coded stories for the notebooks: counts, change, co-occurrence, terms, quotes.

Every function returns a DataFrame. The inputs are the story frame of
:meth:`npdw_learning.vertellen.stories.StoryCollection.frame` (``id, area, teller,
channel, year, change, consent, text, ...``) and codes with columns
``story_id, theme`` (from :func:`npdw_learning.vertellen.coding.auto_code` or a coder's
file; empty themes are ignored).

Small cells
-----------
Cross-tables by group go through :func:`suppress`, so no teller can be singled
out. A count from 1 to ``min_cell - 1`` is shown as ``"<5"`` (primary
suppression); 0 stays 0, because "nobody" reveals nothing about a person. A
row or column with exactly one hidden cell would give that cell away when the
line's total is known (the ``totaal`` column, or a total in another table), so
a second cell of that line is hidden too (complementary suppression): the
smallest non-zero visible count, shown as ``"x"`` because it is not below the
threshold. This repeats until no row or column has exactly one hidden cell.
It is the usual heuristic, not an optimal audit (such as tau-argus): it treats
each row and column of the table as a sum that may be known.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from spacy.language import Language

from ..kern.tables import is_blank
from .coding import EVIDENCE_SEPARATOR, coding_matrix
from .nlp import PLACEHOLDER, dutch_pipeline, is_placeholder, lemmatise
from .stories import StoryVocabulary, may_quote

__all__ = [
    "MIN_CELL",
    "CHANGES",
    "COMPLEMENT",
    "TOTAL",
    "suppress",
    "theme_counts",
    "change_by_theme",
    "theme_cooccurrence",
    "distinctive_terms",
    "log_odds_dirichlet",
    "quotes",
]

CHANGES = ("beter", "slechter", "gelijk", "gemengd")
TOTAL = "totaal"
# Counts from 1 to MIN_CELL - 1 are never shown (primary suppression).
MIN_CELL = 5
COMPLEMENT = "x"  # hidden to protect a small cell elsewhere in its row or column
_GROUPINGS = ("area", "teller", "channel", "year")


def suppress(table: pd.DataFrame, min_cell: int = MIN_CELL) -> pd.DataFrame:
    """Hide small counts and the cells they could be derived from.

    Parameters
    ----------
    table : DataFrame
        Non-negative integer counts. Every row and every column is treated as
        a sum that may be known (include total rows or columns in ``table``).
    min_cell : int
        Counts from 1 to ``min_cell - 1`` are hidden.

    Returns
    -------
    DataFrame
        Same shape, object dtype: ints, ``"<5"`` (primary) or ``"x"``
        (complementary); see the module notes.

    Examples
    --------
    >>> t = pd.DataFrame({"wielwijk": [3, 12, 20], "crabbehof": [9, 7, 0]},
    ...                  index=["werk", "overlast", "jongeren"])
    >>> t["totaal"] = t.sum(axis=1)
    >>> suppress(t).values.tolist()
    [['<5', 'x', 12], ['x', 'x', 19], [20, 0, 20]]
    """
    if min_cell < 1:
        raise ValueError("min_cell moet minstens 1 zijn")
    values = table.to_numpy(dtype="int64")
    if (values < 0).any():
        raise ValueError("aantallen kunnen niet negatief zijn")
    primary = (values > 0) & (values < min_cell)
    hidden = primary.copy()
    changed = True
    while changed:
        changed = False
        for axis in (1, 0):  # rows, then columns
            lines = hidden if axis == 1 else hidden.T
            counts = values if axis == 1 else values.T
            for k in range(lines.shape[0]):
                if lines[k].sum() != 1:
                    continue
                free = np.flatnonzero(~lines[k] & (counts[k] > 0))
                if len(free) == 0:
                    continue  # nothing left to hide; the line total is then hidden too
                pick = free[np.argmin(counts[k][free])]
                lines[k, pick] = True
                changed = True
    shown = table.astype(object).copy()
    label = f"<{min_cell}"
    for i, j in zip(*np.nonzero(hidden), strict=True):
        shown.iat[i, j] = label if primary[i, j] else COMPLEMENT
    for i, j in zip(*np.nonzero(~hidden), strict=True):
        shown.iat[i, j] = int(values[i, j])
    return shown


def _coded(stories_frame: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Distinct (story, theme) pairs of stories in the frame, with the story's fields."""
    given = codes.loc[~codes["theme"].map(is_blank), ["story_id", "theme"]].astype(str)
    given = given.drop_duplicates()
    frame = stories_frame.copy()
    if "year" not in frame.columns and "date" in frame.columns:
        frame["year"] = pd.to_datetime(frame["date"]).dt.year
    return given.merge(frame, left_on="story_id", right_on="id", how="inner")


def _theme_order(coded: pd.DataFrame, themes: Sequence[str] | None) -> list[str]:
    return list(themes) if themes is not None else sorted(coded["theme"].unique())


def theme_counts(
    stories_frame: pd.DataFrame,
    codes: pd.DataFrame,
    by: str = "area",
    min_cell: int = MIN_CELL,
    themes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Number of stories per theme and area, teller, channel or year, small cells hidden.

    Parameters
    ----------
    stories_frame : DataFrame
        ``load_stories().frame()``.
    codes : DataFrame
        ``story_id, theme``.
    by : {"area", "teller", "channel", "year"}
    min_cell : int
        Suppression threshold (see :func:`suppress`).
    themes : sequence of str, optional
        Rows and their order (e.g. ``codebook.ids``, which keeps themes no
        story has); default the coded themes, sorted.

    Returns
    -------
    DataFrame
        ``theme``, one column per value of ``by`` among the stories (as text,
        sorted), and ``totaal`` (stories with the theme). A story counts once
        per theme, however many matches it has.

    Examples
    --------
    >>> stories = pd.DataFrame({"id": ["a", "b"], "area": ["wielwijk", "crabbehof"]})
    >>> codes = pd.DataFrame({"story_id": ["a", "b"], "theme": ["werk", "werk"]})
    >>> theme_counts(stories, codes, min_cell=1).to_dict("records")
    [{'theme': 'werk', 'crabbehof': 1, 'wielwijk': 1, 'totaal': 2}]
    """
    if by not in _GROUPINGS:
        raise ValueError(f"by moet een van {', '.join(_GROUPINGS)} zijn, niet {by!r}")
    coded = _coded(stories_frame, codes)
    frame = stories_frame
    if by == "year" and "year" not in frame.columns:
        frame = frame.assign(year=pd.to_datetime(frame["date"]).dt.year)
    groups = sorted(frame[by].dropna().unique())
    counts = pd.crosstab(coded["theme"], coded[by]).reindex(
        index=_theme_order(coded, themes), columns=groups, fill_value=0
    )
    counts = counts.fillna(0).astype("int64")
    counts.columns = [str(g) for g in groups]
    counts[TOTAL] = counts.sum(axis=1)
    out = suppress(counts, min_cell)
    out.index.name = "theme"
    out.columns.name = None
    return out.reset_index()


def change_by_theme(
    stories_frame: pd.DataFrame,
    codes: pd.DataFrame,
    min_cell: int = MIN_CELL,
    themes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Direction of change the tellers gave, per theme and area, small cells hidden.

    Parameters
    ----------
    stories_frame, codes, min_cell, themes
        As in :func:`theme_counts`.

    Returns
    -------
    DataFrame
        ``theme, area, beter, slechter, gelijk, gemengd, totaal``: per theme
        one row per area of the stories and a row ``area == "totaal"``. Each
        theme's block (areas x directions with its totals) is suppressed on
        its own.

    Examples
    --------
    >>> stories = pd.DataFrame({"id": list("abcdef"), "area": ["wielwijk"] * 6,
    ...                         "change": ["beter"] * 5 + ["slechter"]})
    >>> codes = pd.DataFrame({"story_id": list("abcdef"), "theme": ["werk"] * 6})
    >>> change_by_theme(stories, codes).iloc[0][["beter", "slechter", "totaal"]].tolist()
    ['x', '<5', 6]
    """
    coded = _coded(stories_frame, codes)
    areas = sorted(stories_frame["area"].dropna().unique())
    extra = sorted(set(stories_frame["change"].dropna()) - set(CHANGES))
    changes = [*CHANGES, *extra]
    blocks = []
    for theme in _theme_order(coded, themes):
        part = coded[coded["theme"] == theme]
        counts = pd.crosstab(part["area"], part["change"]).reindex(
            index=areas, columns=changes, fill_value=0
        )
        counts = counts.fillna(0).astype("int64")
        counts[TOTAL] = counts.sum(axis=1)
        counts.loc[TOTAL] = counts.sum(axis=0)
        block = suppress(counts, min_cell)
        block.index.name = "area"
        block.columns.name = None
        blocks.append(block.reset_index().assign(theme=theme))
    columns = ["theme", "area", *changes, TOTAL]
    if not blocks:
        return pd.DataFrame(columns=columns)
    return pd.concat(blocks, ignore_index=True)[columns]


def theme_cooccurrence(codes: pd.DataFrame, themes: Sequence[str] | None = None) -> pd.DataFrame:
    """How many stories carry both themes (diagonal: stories with the theme).

    Not suppressed: the table holds no teller attributes. Suppress it with
    :func:`suppress` before publishing it next to counts by group.

    Examples
    --------
    >>> codes = pd.DataFrame({"story_id": ["a", "a", "b"], "theme": ["werk", "jongeren", "werk"]})
    >>> theme_cooccurrence(codes).loc["werk"].to_dict()
    {'jongeren': 1, 'werk': 2}
    """
    given = codes.loc[~codes["theme"].map(is_blank), ["story_id", "theme"]].astype(str)
    order = list(themes) if themes is not None else sorted(given["theme"].unique())
    matrix = coding_matrix(given, list(dict.fromkeys(given["story_id"])), order)
    out = matrix.T @ matrix
    out.index.name = "theme"
    out.columns.name = None
    return out.astype("int64")


def _terms(doc, stop_words: set[str]) -> list[str]:
    out = []
    for token in doc:
        text = token.text
        if token.is_punct or token.is_space or token.like_num or is_placeholder(text):
            continue
        lemma = token.lemma_.lower()
        if (
            token.is_stop
            or lemma in stop_words
            or len(lemma) < 2
            or any(c.isdigit() for c in lemma)
            or not any(c.isalpha() for c in lemma)
            or "[" in lemma
        ):
            continue
        out.append(lemma)
    return out


def distinctive_terms(
    stories_frame: pd.DataFrame,
    by: str = "area",
    top: int = 15,
    nlp: Language | None = None,
    *,
    min_stories: int = 3,
    prior_scale: float = 1.0,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Words that set one group's stories apart from the rest (emerging themes).

    The log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi
    & Quinn (2008, "Fightin' words", eq. 16-22), each group against all other
    stories. With ``y`` a term's count in the group, ``y'`` in the rest,
    ``n, n'`` their total terms, and the prior ``a`` = ``prior_scale`` x the
    term's count in the whole corpus (``a0`` the sum over terms)::

        delta = log((y + a) / (n + a0 - y - a)) - log((y' + a) / (n' + a0 - y' - a))
        var   = 1 / (y + a) + 1 / (y' + a)
        z     = delta / sqrt(var)

    Parameters
    ----------
    stories_frame : DataFrame
        Needs ``text`` and the ``by`` column.
    by : str
        Column to group on (``area``, ``teller``, ``channel``, ``year``, ...).
    top : int
        Terms per group, highest z first.
    nlp : spacy.Language, optional
        Defaults to :func:`npdw_learning.vertellen.nlp.dutch_pipeline`.
    min_stories : int
        A term is only listed when at least this many stories of the group use
        it: steadier results, and a rare word (or a name the pseudonymiser
        missed) from one teller never reaches a report. All terms count for
        the statistics.
    prior_scale : float
        Prior strength relative to the corpus counts (1: the prior weighs as
        much as the whole corpus, as in the usual implementation).
    exclude : iterable of str
        More lemmas to leave out. The group names themselves (``wielwijk`` when
        grouping by area) always are: that Wielwijk stories mention Wielwijk
        says nothing new.

    Returns
    -------
    DataFrame
        ``group, term, count, log_odds, z``; terms are lowercase lemmas
        without stopwords, punctuation, numbers and placeholders.

    Examples
    --------
    >>> stories = pd.DataFrame({"area": ["a", "a", "b", "b"],
    ...     "text": ["schimmel schimmel huis", "schimmel huis", "speeltuin huis", "speeltuin"]})
    >>> distinctive_terms(stories, min_stories=1).iloc[0][["group", "term"]].tolist()
    ['a', 'schimmel']
    """
    columns = ["group", "term", "count", "log_odds", "z"]
    if prior_scale <= 0:
        raise ValueError("prior_scale moet positief zijn")
    texts = ["" if is_blank(t) else str(t) for t in stories_frame["text"]]
    groups = [str(g) for g in stories_frame[by]]
    nlp = nlp if nlp is not None else dutch_pipeline()
    skip = {e.lower() for e in exclude} | {g.lower() for g in groups}
    docs = lemmatise(texts, nlp)
    counts, stories_with = _count_terms(groups, docs, set(nlp.Defaults.stop_words), skip)
    names = sorted(counts)
    vocabulary = sorted(set().union(*counts.values())) if counts else []
    if not vocabulary:
        return pd.DataFrame(columns=columns)
    y = np.array([[counts[g][w] for w in vocabulary] for g in names], dtype=float)
    used = np.array([[stories_with[g][w] for w in vocabulary] for g in names])
    table = log_odds_dirichlet(y, prior_scale * y.sum(axis=0))
    rows = _top_terms(names, vocabulary, y, used, table, top=top, min_stories=min_stories)
    return pd.DataFrame(rows, columns=columns)


def _count_terms(
    groups: Sequence[str], docs: Iterable, stop_words: set[str], skip: set[str]
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Per group: how often each term occurs, and in how many stories."""
    counts: dict[str, Counter[str]] = {}
    stories_with: dict[str, Counter[str]] = {}
    for group, doc in zip(groups, docs, strict=True):
        terms = [t for t in _terms(doc, stop_words) if t not in skip]
        counts.setdefault(group, Counter()).update(terms)
        stories_with.setdefault(group, Counter()).update(set(terms))
    return counts, stories_with


def _top_terms(
    names: Sequence[str],
    vocabulary: Sequence[str],
    y: np.ndarray,
    used: np.ndarray,
    table: dict[str, np.ndarray],
    *,
    top: int,
    min_stories: int,
) -> list[dict]:
    """The ``top`` terms of each group by z (then alphabetically), as rows.

    A term is listed only when the group uses it, in at least ``min_stories``
    stories (``used``: groups x terms), and its z is finite.
    """
    rows = []
    for k, group in enumerate(names):
        keep = (y[k] > 0) & (used[k] >= min_stories) & np.isfinite(table["z"][k])
        order = sorted(np.flatnonzero(keep), key=lambda w: (-table["z"][k][w], vocabulary[w]))
        for w in order[:top]:
            rows.append(
                {
                    "group": group,
                    "term": vocabulary[w],
                    "count": int(y[k, w]),
                    "log_odds": float(table["delta"][k][w]),
                    "z": float(table["z"][k][w]),
                }
            )
    return rows


def log_odds_dirichlet(y: np.ndarray, alpha: np.ndarray) -> dict[str, np.ndarray]:
    """Monroe et al. (2008) eq. 16-22 for each group (row of ``y``) against the rest.

    ``y`` is groups x terms counts, ``alpha`` the prior per term. Returns
    ``delta`` (log-odds ratio), ``var`` and ``z``, each groups x terms.
    """
    y = np.asarray(y, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    alpha0 = alpha.sum()
    n = y.sum(axis=1, keepdims=True)
    rest = y.sum(axis=0) - y
    n_rest = y.sum() - n
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y + alpha) / (n + alpha0 - y - alpha)) - np.log(
            (rest + alpha) / (n_rest + alpha0 - rest - alpha)
        )
        var = 1.0 / (y + alpha) + 1.0 / (rest + alpha)
        z = delta / np.sqrt(var)
    return {"delta": delta, "var": var, "z": z}


def quotes(
    stories_frame: pd.DataFrame,
    codes: pd.DataFrame,
    theme: str,
    vocab: StoryVocabulary,
    max_quotes: int = 5,
    *,
    nlp: Language | None = None,
    min_words: int = 4,
) -> pd.DataFrame:
    """Sentences that show a theme, only from stories whose consent allows quoting.

    Parameters
    ----------
    stories_frame : DataFrame
        ``id, area, teller, change, consent, text``.
    codes : DataFrame
        Codes with evidence (:func:`npdw_learning.vertellen.coding.auto_code`): the
        sentence must contain a matched word. Codes without evidence give no
        quotes.
    theme : str
    vocab : StoryVocabulary
        For the consent levels (:func:`npdw_learning.vertellen.stories.may_quote`).
    max_quotes : int
    nlp : spacy.Language, optional
    min_words : int
        Shorter sentences say too little to quote.

    Returns
    -------
    DataFrame
        ``story_id, area, teller, change, sentence``: at most one sentence per
        story (the one with most evidence). Stories with most matches come
        first, but each direction of change gets a turn before a second quote
        of the same direction, so the selection does not lean one way. A
        sentence with a placeholder (``[PERSOON-1]``, or any ``[``) is never
        quoted; consent below ``citeren`` never.

    Examples
    --------
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.vertellen.stories import vocabulary_in
    >>> stories = pd.DataFrame({"id": ["a"], "area": ["wielwijk"], "teller": ["bewoner"],
    ...     "change": ["beter"], "consent": ["citeren"],
    ...     "text": ["Hallo. Het grofvuil ligt niet meer naast de container."]})
    >>> codes = pd.DataFrame({"story_id": ["a"], "theme": ["afval-verloedering"],
    ...     "evidence": ["grofvuil | container"], "n_matches": [2]})
    >>> vocab = vocabulary_in(ProgrammeFolder.bundled())
    >>> quotes(stories, codes, "afval-verloedering", vocab)["sentence"].tolist()
    ['Het grofvuil ligt niet meer naast de container.']
    """
    columns = ["story_id", "area", "teller", "change", "sentence"]
    if "evidence" not in codes.columns:
        return pd.DataFrame(columns=columns)
    candidates = _quote_candidates(stories_frame, codes, theme, vocab)
    if candidates.empty or max_quotes <= 0:
        return pd.DataFrame(columns=columns)
    found = []
    texts = ["" if is_blank(t) else str(t) for t in candidates["text"]]
    for row, doc in zip(
        candidates.itertuples(index=False), lemmatise(texts, nlp, sentences=True), strict=True
    ):
        best = _best_sentence(doc, str(row.evidence), min_words)
        if best is not None:
            found.append((row.story_id, row.area, row.teller, row.change, best))
    picked = _balanced_by_change([item[3] for item in found], max_quotes)
    return pd.DataFrame([found[i] for i in picked], columns=columns)


def _quote_candidates(
    stories_frame: pd.DataFrame, codes: pd.DataFrame, theme: str, vocab: StoryVocabulary
) -> pd.DataFrame:
    """Stories coded on ``theme`` with evidence and consent to quote, most matches first.

    One row per story: its first code of the theme, joined to its row of
    ``stories_frame``; ``n`` is the number of matches (1 when not given).
    """
    mine = codes[(codes["theme"] == theme) & ~codes["evidence"].map(is_blank)]
    # A boolean Series, not a list: an empty list would select columns, not rows.
    allowed = stories_frame[
        stories_frame["consent"].map(lambda c: may_quote(str(c), vocab)).astype(bool)
    ]
    matches = mine.assign(
        n=mine["n_matches"] if "n_matches" in mine.columns else 1
    ).drop_duplicates("story_id")
    candidates = matches.merge(allowed, left_on="story_id", right_on="id", how="inner")
    return candidates.sort_values(["n", "story_id"], ascending=[False, True], kind="stable")


def _best_sentence(doc, evidence: str, min_words: int) -> str | None:
    """The sentence of ``doc`` with most evidence words (the first on a tie), or ``None``.

    A sentence with a placeholder or any ``[``, with fewer than ``min_words``
    words, or without any evidence word is never chosen.
    """
    words = [e for e in evidence.split(EVIDENCE_SEPARATOR) if e.strip()]
    patterns = [re.compile(rf"(?<!\w){re.escape(e.strip())}(?!\w)") for e in words]
    best, best_hits = None, 0
    for sent in doc.sents:
        text = " ".join(sent.text.split())
        if "[" in text or PLACEHOLDER.search(text):
            continue
        if sum(1 for t in sent if t.is_alpha) < min_words:
            continue
        hits = sum(1 for p in patterns if p.search(text))
        if hits > best_hits:
            best, best_hits = text, hits
    return best


def _balanced_by_change(changes: Sequence[str], max_quotes: int) -> list[int]:
    """Positions to keep, in their order: each direction of change first gets one, then
    the rest in order, up to ``max_quotes``.

    >>> _balanced_by_change(["beter", "beter", "slechter", "beter"], 2)
    [0, 2]
    """
    chosen: list[int] = []
    seen: set[str] = set()
    for i, change in enumerate(changes):
        if change not in seen:
            chosen.append(i)
            seen.add(change)
    chosen += [i for i in range(len(changes)) if i not in chosen]
    return sorted(chosen[:max_quotes])
