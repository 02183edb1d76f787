"""Coding stories on the themes of the codebook: automatically and by human coders.

The codebook (``registry/codebook.yaml`` of the programme folder) links each theme to a pillar and
operational goals and lists lemma and phrase patterns. :func:`auto_code` is a
deductive first reading: spaCy's ``PhraseMatcher`` finds the patterns on the
lemmas (and, as a safety net, on the lowercased words) of each story and keeps
the matched spans as evidence. Two marks help with Dutch: a lemma ``*overlast``
also finds compounds ending in it (``geluidsoverlast``), a lemma ``=bankje``
counts only as written (its lemma ``bank`` would also find the sofa). A match
says the topic comes up, not in which direction ("geen overlast meer" still
counts for overlast). The codebook is Dutch: a story told in another language
(``language`` other than ``nl`` in its front matter) is not coded, and
:func:`not_coded` lists it so that callers can say so instead of counting it
as a story without a theme. :func:`auto_code_spans` gives the same evidence as
character offsets into each text (for QDA tools). Human coders code blind,
each in their own file ``stories/coding/<coder>.csv`` (``story_id,theme``), read by
:func:`read_coder_file`; :func:`coding_matrix` turns either kind of codes into
the story x theme 0/1 table that agreement statistics need.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..kern.errors import Finding, InputError, RegistryError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.tables import ROW, is_blank, read_table
from ..kern.yamlfile import YamlChecker, literal
from .language import DUTCH
from .nlp import dutch_pipeline, lemmatise

__all__ = [
    "CODE_COLUMNS",
    "SPAN_COLUMNS",
    "EVIDENCE_SEPARATOR",
    "Theme",
    "Codebook",
    "load_codebook",
    "codebook_in",
    "auto_code",
    "auto_code_spans",
    "not_coded",
    "coding_matrix",
    "read_coder_file",
]


CODE_COLUMNS = ["story_id", "theme", "evidence", "n_matches"]
SPAN_COLUMNS = ["story_id", "theme", "start", "end", "evidence"]
EVIDENCE_SEPARATOR = " | "
CODED_LANGUAGE = DUTCH  # the language of the codebook's patterns
_MIN_SUFFIX = 4  # "*les" would also find "alles"; four letters keep compounds meaningful


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook."""

    id: str
    label: str
    description: str
    pillar: str
    goals: tuple[str, ...]
    lemmas: tuple[str, ...]
    phrases: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class Codebook:
    """The validated codebook: themes in file order."""

    themes: tuple[Theme, ...]
    file: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def __len__(self) -> int:
        return len(self.themes)

    def frame(self) -> pd.DataFrame:
        """One row per theme: ``id, label, pillar, goals`` (``;``-joined), ``n_patterns``."""
        return pd.DataFrame(
            [
                {
                    "id": t.id,
                    "label": t.label,
                    "pillar": t.pillar,
                    "goals": ";".join(t.goals),
                    "n_patterns": len(t.lemmas) + len(t.phrases),
                }
                for t in self.themes
            ],
            columns=["id", "label", "pillar", "goals", "n_patterns"],
        )

    def goal_links(self) -> pd.DataFrame:
        """Long table ``theme, goal``: which themes speak to which operational goal."""
        rows = [{"theme": t.id, "goal": g} for t in self.themes for g in t.goals]
        return pd.DataFrame(rows, columns=["theme", "goal"])


# -- loading ------------------------------------------------------------------


def load_codebook(path: str | Path, registry: Registry) -> Codebook:
    """Read and validate the codebook.

    A programme's codebook is best read through :func:`codebook_in`, once per folder.

    Parameters
    ----------
    path : path
        The codebook file (:attr:`ProgrammeFolder.codebook_file
        <npdw_learning.kern.programme.ProgrammeFolder>`).
    registry : Registry
        For the allowed pillars and goals (the same programme's).

    Returns
    -------
    Codebook

    Raises
    ------
    RegistryError
        Listing every problem, each naming file, line, theme and field: unknown
        pillar or goal, duplicate id, a theme without patterns, ...

    Examples
    --------
    >>> folder = ProgrammeFolder.bundled()
    >>> book = load_codebook(folder.codebook_file, folder.registry)
    >>> book["overlast"].pillar
    'veilig'
    """
    path = Path(path)
    name = str(path)
    chk, data = YamlChecker.load(path, what="codeboek", error=RegistryError)
    themes = _validate(chk, data, registry)
    if chk.errors:
        raise RegistryError(f"Het codeboek {chk.file} bevat fouten.", chk.errors)
    return Codebook(tuple(themes), name)


def codebook_in(folder: ProgrammeFolder) -> Codebook:
    """The codebook of a programme folder, checked against its registry; read once per folder.

    Examples
    --------
    >>> folder = ProgrammeFolder.bundled()
    >>> codebook_in(folder) is codebook_in(folder)
    True
    """
    return folder.loaded(codebook_in, lambda: load_codebook(folder.codebook_file, folder.registry))


def _validate(chk: YamlChecker, data: dict[str, Any], registry: Registry) -> list[Theme]:
    """The themes of a parsed codebook; every problem goes to ``chk``.

    A theme without a valid, unique id is left out; the others are returned
    even when a field is wrong (the caller raises on any error).
    """
    pillars = list(registry.pillars["id"])
    goals = list(registry.operational_goals["id"])
    return [
        _check_theme(chk, path, where, item, pillars, goals)
        for path, where, item in chk.entries(data, "themes", "thema", empty=False)
    ]


def _check_theme(
    chk: YamlChecker,
    path: tuple,
    where: str,
    item: dict[str, Any],
    pillars: Sequence[str],
    goals: Sequence[str],
) -> Theme:
    """One theme entry with a valid id: every field checked (problems go to ``chk``)."""
    texts = {field: chk.text(item, path, where, field) or "" for field in _THEME_TEXTS}
    pillar = chk.one_of(item, path, where, "pillar", pillars)
    theme_goals = _theme_goals(chk, path, where, item, goals)
    lemmas = _patterns(chk, path, where, item, "lemmas")
    phrases = _patterns(chk, path, where, item, "phrases")
    _check_patterns(chk, path, where, lemmas, phrases)
    if not lemmas and not phrases:
        chk.error(
            (*path, "lemmas"),
            where,
            "lemmas",
            "geen patronen: geef minstens één lemma of woordgroep",
        )
    chk.unknown_fields(item, path, where, Theme.__dataclass_fields__, "error")
    return Theme(
        id=item["id"],
        label=texts["label"],
        description=texts["description"],
        pillar=str(pillar),
        goals=tuple(theme_goals),
        lemmas=tuple(dict.fromkeys(lemmas.values())),
        phrases=tuple(dict.fromkeys(phrases.values())),
        example=texts["example"],
    )


_THEME_TEXTS = ("label", "description", "example")


def _theme_goals(
    chk: YamlChecker, path: tuple, where: str, item: dict[str, Any], goals: Sequence[str]
) -> list[str]:
    """The ``goals`` list of a theme; an unknown goal is reported with a suggestion."""
    if not isinstance(item.get("goals"), list) or not item["goals"]:
        message = "'goals' moet een lijst van operationele doelen zijn (og01-...)"
        chk.error((*path, "goals"), where, "goals", message)
        return []
    known = []
    for j, goal in enumerate(item["goals"]):
        if goal in goals:
            known.append(goal)
            continue
        hint = [g for g in goals if isinstance(goal, str) and g.startswith(goal)]
        extra = f" (bedoel je {hint[0]}?)" if len(hint) == 1 else ""
        message = f"onbekend operationeel doel {literal(goal)}{extra}"
        chk.error((*path, "goals", j), where, "goals", message)
    return known


def _check_patterns(
    chk: YamlChecker, path: tuple, where: str, lemmas: dict[int, str], phrases: dict[int, str]
) -> None:
    """Lemmas are one word (``*`` or ``=`` only in front), phrases several; ``chk`` reports."""
    for j, lemma in lemmas.items():
        spot, shown = (*path, "lemmas", j), literal(lemma)
        if " " in lemma:
            chk.error(
                spot, where, "lemmas", f"{shown} bestaat uit meer woorden: zet het bij 'phrases'"
            )
        stem = lemma[1:] if lemma[:1] in "*=" else lemma
        if "*" in stem or "=" in stem:
            chk.error(spot, where, "lemmas", f"{shown}: * of = mag alleen vooraan staan")
        elif lemma.startswith("*") and len(stem) < _MIN_SUFFIX:
            message = f"{shown}: na * moeten minstens {_MIN_SUFFIX} letters staan"
            chk.error(spot, where, "lemmas", message)
        elif not stem:
            chk.error(spot, where, "lemmas", f"{shown}: na = moet een woord staan")
    for j, phrase in phrases.items():
        spot, shown = (*path, "phrases", j), literal(phrase)
        if " " not in phrase:
            chk.error(spot, where, "phrases", f"{shown} is één woord: zet het bij 'lemmas'")
        if "*" in phrase or phrase.startswith("="):
            chk.error(spot, where, "phrases", f"{shown}: * en = werken alleen bij 'lemmas'")


def _patterns(chk: YamlChecker, path: tuple, where: str, item: dict, field: str) -> dict[int, str]:
    """The patterns of ``field`` by their position in the list, spaces normalised."""
    values = item.get(field)
    if values is None:
        return {}
    if not isinstance(values, list):
        chk.error(
            (*path, field), where, field, f"'{field}' moet een lijst zijn, niet {literal(values)}"
        )
        return {}
    out = {}
    for j, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            message = f"leeg of ongeldig patroon {literal(value)} in '{field}'"
            chk.error((*path, field, j), where, field, message)
            continue
        out[j] = " ".join(value.split())
    return out


# -- automatic coding ---------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    """Matchers for one (codebook, pipeline) pair."""

    themes: tuple[str, ...]
    index_of: dict[int, int]  # match id (string hash of the theme id) -> theme index
    on_lemma: PhraseMatcher
    on_lower: PhraseMatcher
    suffixes: tuple[tuple[str, int], ...]  # (ending, theme index)


def _compile(codebook: Codebook, nlp: Language) -> _Compiled:
    on_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
    on_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    suffixes: list[tuple[str, int]] = []
    for index, theme in enumerate(codebook.themes):
        suffixes += [(p[1:].lower(), index) for p in theme.lemmas if p.startswith("*")]
        exact = [p[1:].lower() for p in theme.lemmas if p.startswith("=")]
        words = [p.lower() for p in theme.lemmas if p[:1] not in "*="]
        patterns = [*words, *(p.lower() for p in theme.phrases)]
        if patterns:
            # The patterns go through the same pipeline as the stories, so a
            # pattern and a text word meet on the same lemma whatever its form.
            on_lemma.add(theme.id, list(lemmatise(patterns, nlp)))
        if patterns or exact:
            on_lower.add(theme.id, [nlp.make_doc(p) for p in (*patterns, *exact)])
    index_of = {nlp.vocab.strings[t]: i for i, t in enumerate(codebook.ids)}
    return _Compiled(codebook.ids, index_of, on_lemma, on_lower, tuple(suffixes))


def auto_code(
    stories: pd.DataFrame,
    codebook: Codebook,
    nlp: Language | None = None,
    *,
    batch_size: int = 256,
) -> pd.DataFrame:
    """Code stories on the codebook's themes by pattern matching.

    Parameters
    ----------
    stories : DataFrame
        Columns ``id`` and ``text`` (e.g. ``load_stories().frame()``).
    codebook : Codebook
        The programme's (:func:`codebook_in`).
    nlp : spacy.Language, optional
        Defaults to :func:`npdw_learning.vertellen.nlp.dutch_pipeline`.
    batch_size : int
        Texts per ``nlp.pipe`` batch.

    Returns
    -------
    DataFrame
        ``story_id, theme, evidence, n_matches``: one row per (story, theme)
        found, in story order and then codebook order. ``evidence`` holds the
        matched words as written, in text order, joined with ``" | "``;
        overlapping matches of one theme are joined into one span and count once.

    Examples
    --------
    >>> book = codebook_in(ProgrammeFolder.bundled())
    >>> stories = pd.DataFrame({"id": ["vt-1"], "text": ["Er ligt grofvuil naast de container."]})
    >>> auto_code(stories, book)[["theme", "evidence", "n_matches"]].to_dict("records")
    [{'theme': 'afval-verloedering', 'evidence': 'grofvuil | naast de container', 'n_matches': 2}]

    A story in another language (a ``language`` column other than ``nl``) is
    left out, see :func:`not_coded`.
    """
    rows = [
        (story_id, theme, EVIDENCE_SEPARATOR.join(doc[a:b].text for a, b in spans), len(spans))
        for story_id, doc, theme, spans in _matched_spans(stories, codebook, nlp, batch_size)
    ]
    return pd.DataFrame(rows, columns=CODE_COLUMNS).astype({"n_matches": "int64"})


def auto_code_spans(
    stories: pd.DataFrame,
    codebook: Codebook,
    nlp: Language | None = None,
    *,
    batch_size: int = 256,
) -> pd.DataFrame:
    """Where in each text :func:`auto_code` found its evidence, as character offsets.

    The same matching as :func:`auto_code` (same parameters), one row per
    evidence span instead of per (story, theme): what a QDA tool needs to
    show the automatic coding as marked text.

    Returns
    -------
    DataFrame
        ``story_id, theme, start, end, evidence``: ``text[start:end] ==
        evidence`` (Python character offsets, ``end`` exclusive), in story
        order, then codebook order, then text order.

    Examples
    --------
    >>> book = codebook_in(ProgrammeFolder.bundled())
    >>> stories = pd.DataFrame({"id": ["vt-1"], "text": ["Er ligt grofvuil naast de container."]})
    >>> auto_code_spans(stories, book)[["start", "end", "evidence"]].values.tolist()
    [[8, 16, 'grofvuil'], [17, 35, 'naast de container']]
    """
    rows = [
        (story_id, theme, doc[a:b].start_char, doc[a:b].end_char, doc[a:b].text)
        for story_id, doc, theme, spans in _matched_spans(stories, codebook, nlp, batch_size)
        for a, b in spans
    ]
    return pd.DataFrame(rows, columns=SPAN_COLUMNS).astype({"start": "int64", "end": "int64"})


def not_coded(stories: pd.DataFrame) -> pd.DataFrame:
    """The stories :func:`auto_code` leaves out: told in another language than Dutch.

    Parameters
    ----------
    stories : DataFrame
        Columns ``id`` and, when known, ``language`` (ISO 639-1; empty is Dutch).

    Returns
    -------
    DataFrame
        ``id, language``, one row per story not coded, in input order.

    Examples
    --------
    >>> stories = pd.DataFrame({"id": ["vt-1", "vt-2"], "language": ["nl", "en"]})
    >>> not_coded(stories).to_dict("records")
    [{'id': 'vt-2', 'language': 'en'}]
    """
    if "language" not in stories.columns or stories.empty:
        return pd.DataFrame({"id": pd.Series(dtype=str), "language": pd.Series(dtype=str)})
    language = stories["language"].map(lambda v: CODED_LANGUAGE if is_blank(v) else str(v))
    foreign = language != CODED_LANGUAGE
    return pd.DataFrame(
        {"id": stories.loc[foreign, "id"].astype(str), "language": language[foreign]}
    ).reset_index(drop=True)


def _matched_spans(
    stories: pd.DataFrame, codebook: Codebook, nlp: Language | None, batch_size: int
) -> Iterator[tuple[str, Doc, str, list[tuple[int, int]]]]:
    """Per story and theme found: the doc and its merged token ranges, in output order."""
    nlp = nlp if nlp is not None else dutch_pipeline()
    missing = {"id", "text"} - set(stories.columns)
    if missing:
        raise ValueError(f"stories mist kolom(men) {sorted(missing)}")
    compiled = _compile(codebook, nlp)
    ids = stories["id"].astype(str).tolist()
    skip = set(not_coded(stories)["id"])  # the codebook is Dutch
    texts = [
        "" if is_blank(t) or i in skip else str(t)
        for i, t in zip(ids, stories["text"], strict=True)
    ]
    docs = lemmatise(texts, nlp, batch_size=batch_size)
    cache: dict[int, tuple[int, ...]] = {}
    for story_id, doc in zip(ids, docs, strict=True):
        found = _match(doc, compiled, cache)
        for index in sorted(found):
            yield story_id, doc, compiled.themes[index], _merge(found[index])


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping token ranges joined into one, in text order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _match(
    doc: Doc, compiled: _Compiled, cache: dict[int, tuple[int, ...]]
) -> dict[int, list[tuple[int, int]]]:
    """Theme index -> matched (start, end) token ranges, overlaps included."""
    found: dict[int, list[tuple[int, int]]] = {}
    for matcher in (compiled.on_lemma, compiled.on_lower):
        for match_id, start, end in matcher(doc):
            found.setdefault(compiled.index_of[match_id], []).append((start, end))
    if compiled.suffixes and len(doc):
        # Compounds ("geluidsoverlast" for "*overlast"): decide once per
        # distinct lemma/word hash, then find the tokens with numpy.
        hashes = doc.to_array([LEMMA, LOWER])
        distinct = np.unique(hashes).tolist()
        for h in distinct:
            if h not in cache:
                word = doc.vocab.strings[h]
                cache[h] = tuple(i for end, i in compiled.suffixes if word.endswith(end))
        hits = {h for h in distinct if cache[h]}
        if hits:
            wanted = np.fromiter(hits, dtype=np.uint64, count=len(hits))
            for position in np.flatnonzero(np.isin(hashes, wanted).any(axis=1)).tolist():
                pair = hashes[position].tolist()
                for i in {i for h in pair if h in hits for i in cache[h]}:
                    found.setdefault(i, []).append((position, position + 1))
    return found


# -- human coding -------------------------------------------------------------


def coding_matrix(
    codes: pd.DataFrame, story_ids: Sequence[str], themes: Sequence[str]
) -> pd.DataFrame:
    """Story x theme table of 0/1: did this coder (or ``auto``) give the theme?

    Parameters
    ----------
    codes : DataFrame
        Columns ``story_id, theme`` (more columns are ignored). Rows with an
        empty theme (a story read but given no theme) add nothing; codes of
        stories not in ``story_ids`` are left out.
    story_ids : sequence of str
        The rows, in this order (e.g. the stories every coder coded).
    themes : sequence of str
        The columns, in this order (e.g. ``codebook.ids``).

    Returns
    -------
    DataFrame
        Index ``story_id``, one int column per theme.

    Raises
    ------
    ValueError
        When ``codes`` holds a theme that is not in ``themes``.

    Examples
    --------
    >>> codes = pd.DataFrame({"story_id": ["a", "a", "b"], "theme": ["werk", "jongeren", ""]})
    >>> coding_matrix(codes, ["a", "b"], ["werk", "jongeren"]).to_dict("index")
    {'a': {'werk': 1, 'jongeren': 1}, 'b': {'werk': 0, 'jongeren': 0}}
    """
    matrix = pd.DataFrame(
        0, index=pd.Index(list(story_ids), name="story_id"), columns=list(themes), dtype="int64"
    )
    given = codes.loc[~codes["theme"].map(is_blank), ["story_id", "theme"]].astype(str)
    unknown = sorted(set(given["theme"]) - set(themes))
    if unknown:
        raise ValueError(f"onbekende thema's in de codes: {', '.join(unknown)}")
    given = given[given["story_id"].isin(matrix.index)].drop_duplicates()
    for story_id, theme in given.itertuples(index=False):
        matrix.loc[story_id, theme] = 1
    return matrix


def read_coder_file(
    path: str | Path,
    codebook: Codebook,
    story_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read one coder's file ``stories/coding/<coder>.csv``.

    The header is ``story_id,theme`` (any case; other columns, such as a
    coder's notes, are ignored). One row per (story, theme); a story read but
    given no theme appears once with an empty theme.

    Parameters
    ----------
    path : path
        CSV (comma or semicolon, any Excel encoding) or XLSX.
    codebook : Codebook
        The allowed themes (the programme's, :func:`codebook_in`).
    story_ids : iterable of str, optional
        When given, a story id outside it is an error.

    Returns
    -------
    DataFrame
        ``story_id, theme`` as strings, file order, duplicates dropped; a
        story's empty-theme row is dropped when the story also has a theme.

    Raises
    ------
    InputError
        Missing file or column, empty story id, unknown theme or story; each
        finding names file, row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "anna.csv"
    >>> _ = f.write_text("story_id,theme\\nvt-001,werk\\nvt-002,\\n", encoding="utf-8")
    >>> read_coder_file(f, codebook_in(ProgrammeFolder.bundled())).to_dict("records")
    [{'story_id': 'vt-001', 'theme': 'werk'}, {'story_id': 'vt-002', 'theme': ''}]
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError(
            f"{name}: codeerbestand ontbreekt", [Finding("error", name, "bestand ontbreekt")]
        )
    frame, _ = read_table(path)
    columns = {str(c).strip().lower(): c for c in frame.columns if c != ROW}
    findings = [
        Finding(
            "error",
            name,
            f"kolom '{col}' ontbreekt; de kopregel moet 'story_id,theme' zijn "
            f"(gevonden: {', '.join(map(str, columns.values())) or 'niets'})",
            row=1,
            column=col,
        )
        for col in ("story_id", "theme")
        if col not in columns
    ]
    if findings:
        raise InputError(f"{name}: verkeerde kopregel", findings)
    rows = _coder_rows(frame, columns, codebook, story_ids, name, findings)
    if not rows:
        findings.append(Finding("error", name, "het bestand bevat geen codes", row=2))
    if findings:
        raise InputError(f"{name}: het codeerbestand bevat fouten", findings)
    out = pd.DataFrame(rows, columns=["story_id", "theme"]).drop_duplicates()
    coded = set(out.loc[out["theme"] != "", "story_id"])
    out = out[(out["theme"] != "") | ~out["story_id"].isin(coded)]
    return out.reset_index(drop=True)


def _coder_rows(
    frame: pd.DataFrame,
    columns: dict[str, Any],
    codebook: Codebook,
    story_ids: Iterable[str] | None,
    name: str,
    findings: list[Finding],
) -> list[tuple[str, str]]:
    """``(story_id, theme)`` per row of a coder file; each bad cell adds a finding."""
    allowed = set(codebook.ids)
    known = set(story_ids) if story_ids is not None else None
    rows: list[tuple[str, str]] = []
    for raw_id, raw_theme, row in zip(
        frame[columns["story_id"]], frame[columns["theme"]], frame[ROW], strict=True
    ):
        story_id = "" if is_blank(raw_id) else str(raw_id).strip()
        theme = "" if is_blank(raw_theme) else str(raw_theme).strip().lower()
        if not story_id:
            findings.append(
                Finding("error", name, "story_id is leeg", row=int(row), column="story_id")
            )
        elif known is not None and story_id not in known:
            findings.append(
                Finding(
                    "error", name, f"onbekend verhaal '{story_id}'", row=int(row), column="story_id"
                )
            )
        if theme and theme not in allowed:
            findings.append(
                Finding(
                    "error",
                    name,
                    f"onbekend thema '{theme}'; toegestaan: {', '.join(codebook.ids)}",
                    row=int(row),
                    column="theme",
                )
            )
        rows.append((story_id, theme))
    return rows
