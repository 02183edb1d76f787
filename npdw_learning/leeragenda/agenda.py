"""The leeragenda and the uitvoering: efforts, learning questions, research, lessons.

Four files a person edits, validated together by :func:`load_agenda`:

``data/registry/efforts.yaml``
    The efforts (*inspanningen*, Bijlage 2): primary pillar, the pillars they
    contribute to, the operational goals they work on, the intended results
    for 2026, a status per year and the evidence (stories, indicators,
    research) that shows how they are doing.
``data/agenda/learning_questions.yaml``
    The learning questions (*leervragen*) of the Lokale leeragenda, linked to
    pillars, goals, indicators, codebook themes, research and lessons.
``data/agenda/research.yaml``
    The research register (*onderzoeksregister*): who researches what, where,
    among whom and when, plus ``settings`` (the over-asking threshold).
``data/agenda/lessons.yaml``
    The lessons learned (*geleerde lessen*): where they come from and where
    they were applied.

Every id that refers to nothing (a pillar, goal, indicator, area, codebook
theme, story, or an entry of one of the other three files) is an error naming
file, line, entry and field; all errors are collected and raised together as
one :class:`~npdw_learning.kern.errors.InputError`. A link written on one side only
(a research activity lists a learning question that does not list it back) is
a warning, kept on :attr:`Agenda.findings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..kern.dates import UNKNOWN_DATE, YEARS, PartialDate
from ..kern.errors import Finding, InputError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.yamlfile import YamlChecker, literal

if TYPE_CHECKING:
    from ..vertellen.coding import Codebook

__all__ = [
    "EFFORTS_FILE",
    "LEARNING_QUESTIONS_FILE",
    "RESEARCH_FILE",
    "LESSONS_FILE",
    "EFFORT_STATUSES",
    "RESEARCH_STATUSES",
    "QUESTION_STATUSES",
    "LESSON_STATUSES",
    "TARGET_GROUPS",
    "RESIDENT_GROUPS",
    "Agenda",
    "load_agenda",
    "agenda_in",
]

#: Where the four files live, relative to the programme folder.
EFFORTS_FILE = Path(ProgrammeFolder.efforts_file)
LEARNING_QUESTIONS_FILE = Path(ProgrammeFolder.learning_questions_file)
RESEARCH_FILE = Path(ProgrammeFolder.research_file)
LESSONS_FILE = Path(ProgrammeFolder.lessons_file)

EFFORT_STATUSES = ("niet_gestart", "in_uitvoering", "gerealiseerd", "vertraagd", "gestopt")
RESEARCH_STATUSES = ("gepland", "lopend", "afgerond", "onbekend")
QUESTION_STATUSES = ("open", "in_onderzoek", "beantwoord")
LESSON_STATUSES = ("voorgesteld", "toegepast", "geborgd")
TARGET_GROUPS = (
    "bewoners",
    "jongeren",
    "kinderen",
    "ouders",
    "professionals",
    "ondernemers",
    "sleutelfiguren",
    "ervaringsdeskundigen",
)
#: Target groups that make a research activity *resident-facing* for the
#: over-asking check. The programme wants to prevent *overvragen van bewoners*;
#: key figures and experts by experience are residents who are asked again and
#: again, so they count. Professionals and entrepreneurs are asked in their
#: working role and do not count.
RESIDENT_GROUPS = frozenset(
    {"bewoners", "jongeren", "kinderen", "ouders", "sleutelfiguren", "ervaringsdeskundigen"}
)

EFFORT_COLUMNS = [
    "id",
    "label",
    "pillar",
    "contributes_to",
    "goals",
    "results_2026",
    "evidence_stories",
    "evidence_indicators",
    "evidence_research",
    "source",
]
EFFORT_STATUS_LONG_COLUMNS = ["effort", "year", "status"]
QUESTION_COLUMNS = [
    "id",
    "question",
    "pillars",
    "goals",
    "indicators",
    "themes",
    "research",
    "owner",
    "status",
    "lessons",
    "source",
]
RESEARCH_COLUMNS = [
    "id",
    "title",
    "partner",
    "method",
    "areas",
    "target_groups",
    "resident_facing",
    "start",
    "end",
    "start_date",
    "end_date",
    "expected_respondents",
    "status",
    "learning_questions",
    "source",
    "note",
]
LESSON_COLUMNS = [
    "id",
    "lesson",
    "date",
    "stories",
    "research",
    "evaluation_years",
    "documents",
    "applied_in",
    "learning_questions",
    "status",
]
_ID_PATTERNS = {
    "effort": (re.compile(r"^e-[a-z0-9]+(?:-[a-z0-9]+)*$"), "e-<slug>, bijv. e-buurtbakkies"),
    "research": (re.compile(r"^r-[a-z0-9]+(?:-[a-z0-9]+)*$"), "r-<slug>, bijv. r-enquete-2025"),
    "learning_question": (re.compile(r"^lq-[0-9]{2,}$"), "lq-NN, bijv. lq-01"),
    "lesson": (re.compile(r"^les-[0-9]{2,}$"), "les-NN, bijv. les-01"),
}
# Dutch nouns for the messages, per kind of id.
_NOUN = {
    "effort": "inspanning",
    "research": "onderzoek",
    "learning_question": "leervraag",
    "lesson": "les",
    "pillar": "pijler",
    "operational_goal": "operationeel doel",
    "goal": "doel",
    "indicator": "indicator",
    "area": "gebied",
    "theme": "thema",
    "story": "verhaal",
}
# Dutch "het"-words take "onbekend", the others "onbekende".
_NEUTER = frozenset({"research", "operational_goal", "goal", "area", "theme", "story"})
_WHERE_DEFINED = {
    "effort": str(EFFORTS_FILE),
    "research": str(RESEARCH_FILE),
    "learning_question": str(LEARNING_QUESTIONS_FILE),
    "lesson": str(LESSONS_FILE),
    "pillar": f"{ProgrammeFolder.national_pillars_file} of {ProgrammeFolder.pillars_file}",
    "operational_goal": ProgrammeFolder.goals_file,
    "goal": ProgrammeFolder.goals_file,
    "indicator": (
        f"{ProgrammeFolder.national_indicators_file} of {ProgrammeFolder.indicators_file}"
    ),
    "area": ProgrammeFolder.areas_file,
    "theme": ProgrammeFolder.codebook_file,
    "story": "de verhalenmap",
}
_YEAR = re.compile(r"^(\d{4})$")


# -- the validated agenda ------------------------------------------------------------


@dataclass(frozen=True)
class Agenda:
    """The validated leeragenda and uitvoering.

    Id lists are Python lists inside the cells (as in
    :attr:`Registry.operational_goals`), in the order of the file.

    Attributes
    ----------
    efforts : DataFrame
        ``id, label, pillar, contributes_to, goals, results_2026,
        evidence_stories, evidence_indicators, evidence_research, source``.
    efforts_status : DataFrame
        Long table ``effort, year, status``: one row per recorded year.
    learning_questions : DataFrame
        ``id, question, pillars, goals, indicators, themes, research, owner,
        status, lessons, source``.
    research : DataFrame
        ``id, title, partner, method, areas, target_groups, resident_facing,
        start, end`` (as written, ``onbekend`` allowed), ``start_date``
        (first day of ``start``), ``end_date`` (last day of ``end``; both
        ``None`` when unknown), ``expected_respondents`` (nullable int),
        ``status, learning_questions, source, note``.
    lessons : DataFrame
        ``id, lesson, date, stories, research, evaluation_years, documents,
        applied_in, learning_questions, status`` (``sources`` flattened).
    settings : Mapping
        From ``research.yaml``: ``overasking_threshold``.
    findings : tuple of Finding
        Warnings: one-sided links, unknown fields, answered questions without
        a lesson, ...
    area_labels : Mapping
        Area id -> Dutch label (from the registry).
    area_groups : Mapping
        Aggregate area id -> its member areas (``dordt-west`` -> the four
        neighbourhoods), so a research activity in Dordt West counts in each.
    directory : Path
        The data folder the files were read from.
    """

    efforts: pd.DataFrame
    efforts_status: pd.DataFrame
    learning_questions: pd.DataFrame
    research: pd.DataFrame
    lessons: pd.DataFrame
    settings: Mapping[str, Any]
    findings: tuple[Finding, ...] = ()
    area_labels: Mapping[str, str] = field(default_factory=dict)
    area_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    directory: Path = field(default_factory=Path)  # the programme folder

    @property
    def overasking_threshold(self) -> int:
        """Research activities plus story moments per area per quarter that are still fine."""
        return int(self.settings["overasking_threshold"])


# -- validation ----------------------------------------------------------------------


def _entries(f: YamlChecker, key: str, kind: str) -> list[tuple[tuple, str, dict[str, Any]]]:
    """The entries of list ``key`` with a valid, unique id of ``kind``."""
    if not f.readable:
        return []
    pattern, form = _ID_PATTERNS[kind]
    return f.entries(f.data, key, _NOUN[kind], pattern=pattern, form=form)


def _hint(value: str, known: Iterable[str]) -> str:
    """A suggestion for an id written short: ``og12`` for ``og12-beweegrichtlijn``."""
    options = sorted(k for k in known if k.startswith(f"{value}-") or k.startswith(value))
    return f" (bedoel je {options[0]}?)" if len(options) == 1 else ""


_EFFORT_FIELDS = (
    "id",
    "label",
    "pillar",
    "contributes_to",
    "goals",
    "results_2026",
    "status",
    "evidence",
    "source",
)
_EVIDENCE_KINDS = {"stories": "story", "indicators": "indicator", "research": "research"}
_QUESTION_FIELDS = tuple(QUESTION_COLUMNS)  # the file's fields are the table's columns
_RESEARCH_FIELDS = (
    "id",
    "title",
    "partner",
    "method",
    "areas",
    "target_groups",
    "start",
    "end",
    "expected_respondents",
    "status",
    "learning_questions",
    "source",
    "note",
)
_LESSON_FIELDS = (
    "id",
    "lesson",
    "date",
    "sources",
    "applied_in",
    "learning_questions",
    "status",
)
_SOURCE_KINDS = {"stories": "story", "research": "research"}


def _check_efforts(f: YamlChecker) -> tuple[list[dict], list[dict]]:
    efforts, status_rows = [], []
    for path, where, e in _entries(f, "efforts", "effort"):
        f.unknown_fields(e, path, where, _EFFORT_FIELDS)
        row: dict[str, Any] = {
            "id": e["id"],
            "_path": path,
            "label": f.text(e, path, where, "label"),
            "pillar": f.ref(e, path, where, "pillar", "pillar"),
            "contributes_to": f.ids(e, path, where, "contributes_to", "pillar"),
            "goals": f.ids(e, path, where, "goals", "operational_goal"),
            "results_2026": f.strings(e, path, where, "results_2026"),
            "source": f.text(e, path, where, "source"),
        }
        evidence = f.mapping(e, path, where, "evidence")
        for key, kind in _EVIDENCE_KINDS.items():
            row[f"evidence_{key}"] = f.ids(
                evidence, (*path, "evidence"), where, key, kind, column=f"evidence.{key}"
            )
        f.unknown_fields(evidence, (*path, "evidence"), where, _EVIDENCE_KINDS, prefix="evidence.")
        status = f.mapping(e, path, where, "status")
        for year, value in status.items():
            spot = (*path, "status", year)
            column = f"status.{year}"
            is_year = isinstance(year, int) and not isinstance(year, bool)
            if isinstance(year, str) and _YEAR.match(year.strip()):
                year, is_year = int(year), True
            if not is_year or not YEARS[0] <= year <= YEARS[1]:
                f.add(
                    spot,
                    column,
                    f"{where}: status-jaar {literal(year)} is geen jaartal (bijv. 2025)",
                )
                continue
            if value not in EFFORT_STATUSES:
                f.add(
                    spot,
                    column,
                    f"{where}: status {literal(value)} in {year}; toegestaan: "
                    f"{', '.join(EFFORT_STATUSES)}",
                )
                continue
            status_rows.append({"effort": e["id"], "year": year, "status": value})
        efforts.append(row)
    return efforts, status_rows


def _check_questions(f: YamlChecker) -> list[dict]:
    questions = []
    for path, where, q in _entries(f, "learning_questions", "learning_question"):
        f.unknown_fields(q, path, where, _QUESTION_FIELDS)
        questions.append(
            {
                "id": q["id"],
                "_path": path,
                "question": f.text(q, path, where, "question"),
                "pillars": f.ids(q, path, where, "pillars", "pillar"),
                "goals": f.ids(q, path, where, "goals", "goal"),
                "indicators": f.ids(q, path, where, "indicators", "indicator"),
                "themes": f.ids(q, path, where, "themes", "theme"),
                "research": f.ids(q, path, where, "research", "research"),
                "owner": f.text(q, path, where, "owner"),
                "status": f.one_of(q, path, where, "status", QUESTION_STATUSES),
                "lessons": f.ids(q, path, where, "lessons", "lesson"),
                "source": f.text(q, path, where, "source"),
            }
        )
    return questions


def _check_research(f: YamlChecker) -> tuple[list[dict], dict[str, Any]]:
    settings = _check_settings(f)
    research = []
    for path, where, r in _entries(f, "research", "research"):
        f.unknown_fields(r, path, where, _RESEARCH_FIELDS)
        groups = f.strings(r, path, where, "target_groups")
        if not groups:
            f.add(
                (*path, "target_groups"),
                "target_groups",
                f"{where}: 'target_groups' ontbreekt of is leeg; "
                f"kies uit {', '.join(TARGET_GROUPS)}",
            )
        for j, group in enumerate(groups):
            if group not in TARGET_GROUPS:
                f.add(
                    (*path, "target_groups", j),
                    "target_groups",
                    f"{where}: onbekende doelgroep {literal(group)}; toegestaan: "
                    f"{', '.join(TARGET_GROUPS)}",
                )
        start, end = _research_dates(f, r, path, where)
        respondents = r.get("expected_respondents")
        if respondents is not None and (
            isinstance(respondents, bool) or not isinstance(respondents, int) or respondents < 0
        ):
            f.add(
                (*path, "expected_respondents"),
                "expected_respondents",
                f"{where}: 'expected_respondents' moet een geheel getal >= 0 of leeg zijn, "
                f"niet {literal(respondents)}",
            )
            respondents = None
        research.append(
            {
                "id": r["id"],
                "_path": path,
                "title": f.text(r, path, where, "title"),
                "partner": f.text(r, path, where, "partner"),
                "method": f.text(r, path, where, "method"),
                "areas": f.ids(r, path, where, "areas", "area", required=True),
                "target_groups": groups,
                "resident_facing": bool(RESIDENT_GROUPS & set(groups)),
                "start": _written(r.get("start"), start),
                "end": _written(r.get("end"), end),
                "start_date": start.first if start else None,
                "end_date": end.last if end else None,
                "expected_respondents": respondents,
                "status": f.one_of(r, path, where, "status", RESEARCH_STATUSES),
                "learning_questions": f.ids(
                    r, path, where, "learning_questions", "learning_question"
                ),
                "source": f.text(r, path, where, "source"),
                "note": f.text(r, path, where, "note", required=False),
            }
        )
    return research, settings


def _check_settings(f: YamlChecker) -> dict[str, Any]:
    """``settings`` of the research register: the over-asking threshold, a whole number >= 0."""
    settings: dict[str, Any] = {}
    if f.readable:
        raw = f.data.get("settings")
        threshold = raw.get("overasking_threshold") if isinstance(raw, dict) else None
        if not isinstance(raw, dict):
            f.add(("settings",), "settings", "'settings' met 'overasking_threshold' ontbreekt")
        elif isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
            f.add(
                ("settings", "overasking_threshold"),
                "settings.overasking_threshold",
                "'overasking_threshold' moet een geheel getal >= 0 zijn, "
                f"niet {literal(threshold)}",
            )
        else:
            settings["overasking_threshold"] = threshold
        if isinstance(raw, dict):
            f.unknown_fields(raw, ("settings",), "", ["overasking_threshold"], prefix="settings.")
        f.unknown_fields(f.data, (), "", ["settings", "research"])
    return settings


def _research_dates(
    f: YamlChecker, r: Mapping, path: tuple, where: str
) -> tuple[PartialDate | None, PartialDate | None]:
    """Start and end of a research activity (full or partial dates, or ``onbekend``)."""
    start, end = (f.date(r, path, where, key, partial=True) for key in ("start", "end"))
    if start is not None and end is not None and end.last < start.first:
        f.add((*path, "end"), "end", f"{where}: eind {end.text} ligt voor start {start.text}")
    return start, end


def _written(raw: Any, parsed: PartialDate | None) -> str | None:
    if parsed is not None:
        return parsed.text
    return UNKNOWN_DATE if isinstance(raw, str) and raw.strip().lower() == UNKNOWN_DATE else None


def _check_lessons(f: YamlChecker) -> list[dict]:
    lessons = []
    for path, where, les in _entries(f, "lessons", "lesson"):
        f.unknown_fields(les, path, where, _LESSON_FIELDS)
        date = f.date(les, path, where, "date")
        sources = f.mapping(les, path, where, "sources")
        spot = (*path, "sources")
        row: dict[str, Any] = {"id": les["id"], "_path": path}
        row["lesson"] = f.text(les, path, where, "lesson")
        row["date"] = date
        for key, kind in _SOURCE_KINDS.items():
            row[key] = f.ids(sources, spot, where, key, kind, column=f"sources.{key}")
        years = sources.get("evaluation_years") or []
        if not isinstance(years, list):
            f.add(
                (*spot, "evaluation_years"),
                "sources.evaluation_years",
                f"{where}: 'sources.evaluation_years' moet een lijst van jaartallen zijn",
            )
            years = []
        good_years = []
        for j, year in enumerate(years):
            if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
                f.add(
                    (*spot, "evaluation_years", j),
                    "sources.evaluation_years",
                    f"{where}: evaluatiejaar {literal(year)} is geen jaartal",
                )
            else:
                good_years.append(year)
        row["evaluation_years"] = good_years
        row["documents"] = f.strings(sources, spot, where, "documents", column="sources.documents")
        allowed = ["stories", "research", "evaluation_years", "documents"]
        f.unknown_fields(sources, spot, where, allowed, prefix="sources.")
        if not any(row[k] for k in ("stories", "research", "evaluation_years", "documents")):
            f.add(
                (*path, "sources"),
                "sources",
                f"{where}: geen bron (verhalen, onderzoek, evaluatiejaar of document)",
                "warning",
            )
        row["applied_in"] = f.ids(les, path, where, "applied_in", "effort")
        row["learning_questions"] = f.ids(
            les, path, where, "learning_questions", "learning_question"
        )
        row["status"] = f.one_of(les, path, where, "status", LESSON_STATUSES)
        if row["status"] in ("toegepast", "geborgd") and not row["applied_in"]:
            f.add(
                (*path, "applied_in"),
                "applied_in",
                f"{where}: status '{row['status']}', maar 'applied_in' noemt geen inspanning",
                "warning",
            )
        lessons.append(row)
    return lessons


def _check_refs(files: Iterable[YamlChecker], known: Mapping[str, set[str] | None]) -> None:
    for f in files:
        for ref in f.refs:
            ids = known.get(ref.kind)
            if ids is None or ref.value in ids:
                continue  # stories are only checked when their ids are given
            noun = _NOUN[ref.kind]
            adjective = "onbekend" if ref.kind in _NEUTER else "onbekende"
            extra = (
                " (of het verhaalbestand heeft fouten: `npdw stories validate`)"
                if ref.kind == "story"
                else _hint(ref.value, ids)
            )
            f.add(
                ref.path,
                ref.column,
                f"{ref.where}: '{ref.column}' verwijst naar {adjective} {noun} "
                f"{literal(ref.value)}; niet gevonden in {_WHERE_DEFINED[ref.kind]}{extra}",
            )


def _one_sided(
    f: YamlChecker,
    entries: list[dict],
    field: str,
    others: Mapping[str, dict],
    back_field: str,
    kind: str,
    other_kind: str,
    *,
    keeps_list: bool = False,
) -> None:
    """Warn where an entry lists another entry that does not list it back.

    With ``keeps_list`` the other side's list is optional: only an entry that
    keeps a non-empty ``back_field`` can contradict the link.
    """
    for entry in entries:
        for ref in entry[field]:
            other = others.get(ref)
            if other is None or (keeps_list and not other[back_field]):
                continue
            if entry["id"] not in other[back_field]:
                f.add(
                    (*entry["_path"], field),
                    field,
                    f"{kind} '{entry['id']}' noemt {other_kind} '{ref}', maar {other_kind} "
                    f"'{ref}' noemt '{entry['id']}' niet onder '{back_field}'",
                    "warning",
                )


def _check_backlinks(
    f_questions: YamlChecker,
    f_research: YamlChecker,
    questions: list[dict],
    research: list[dict],
    lessons: list[dict],
) -> None:
    """Warn where a link between two entries is written on one side only."""
    q_by_id = {q["id"]: q for q in questions}
    r_by_id = {r["id"]: r for r in research}
    les_by_id = {les["id"]: les for les in lessons}
    _one_sided(
        f_research, research, "learning_questions", q_by_id, "research", "onderzoek", "leervraag"
    )
    _one_sided(
        f_questions, questions, "research", r_by_id, "learning_questions", "leervraag", "onderzoek"
    )
    _one_sided(
        f_questions,
        questions,
        "lessons",
        les_by_id,
        "learning_questions",
        "leervraag",
        "les",
        keeps_list=True,
    )
    for q in questions:
        if q["status"] == "beantwoord" and not q["lessons"]:
            f_questions.add(
                (*q["_path"], "status"),
                "status",
                f"leervraag '{q['id']}' is beantwoord, maar noemt geen les onder 'lessons'",
                "warning",
            )


def _backlinks_from_lessons(
    f_lessons: YamlChecker, questions: list[dict], lessons: list[dict]
) -> None:
    q_by_id = {q["id"]: q for q in questions}
    _one_sided(f_lessons, lessons, "learning_questions", q_by_id, "lessons", "les", "leervraag")


def load_agenda(
    data_dir: str | Path,
    registry: Registry,
    *,
    codebook: Codebook,
    story_ids: Iterable[str] | None = None,
) -> Agenda:
    """Load and validate efforts, learning questions, research register and lessons.

    A programme's agenda is best read through :func:`agenda_in`, once per folder.

    Parameters
    ----------
    data_dir : path
        The programme folder: efforts from :data:`EFFORTS_FILE`, the rest from
        the agenda folder.
    registry : Registry
        For pillars, goals, indicators and areas.
    codebook : Codebook
        For the theme ids.
    story_ids : iterable of str, optional
        The ids of the valid stories. When given, every story id an effort or
        lesson cites must be one of them; when ``None`` story ids are not checked.

    Returns
    -------
    Agenda
        With the warnings on :attr:`Agenda.findings`.

    Raises
    ------
    InputError
        Listing every error of the four files, each naming file, line, entry
        and field: a missing file or field, a wrong type, an unknown status,
        a bad date, a duplicate id, and every id that refers to nothing.

    Examples
    --------
    >>> from npdw_learning.vertellen.coding import codebook_in
    >>> folder = ProgrammeFolder.bundled()
    >>> agenda = load_agenda(folder.root, folder.registry, codebook=codebook_in(folder))
    >>> agenda.overasking_threshold >= 0
    True
    """
    data_dir = Path(data_dir)
    findings: list[Finding] = []
    files = _open_files(data_dir, findings)
    entries, status_rows, settings = _check_entries(files)
    _check_top_level_fields(files)
    _check_refs(files, _known_ids(registry, codebook, story_ids, entries, files))
    _check_links_both_ways(files, entries)
    _sort_findings(findings, files)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise InputError(f"De leeragenda in {data_dir} bevat {len(errors)} fout(en).", errors)
    members = tuple(registry.aggregate_weights)
    return Agenda(
        efforts=pd.DataFrame(entries["effort"], columns=EFFORT_COLUMNS),
        efforts_status=_status_table(status_rows, entries["effort"]),
        learning_questions=pd.DataFrame(entries["learning_question"], columns=QUESTION_COLUMNS),
        research=_research_table(entries["research"]),
        lessons=pd.DataFrame(entries["lesson"], columns=LESSON_COLUMNS),
        settings=dict(settings),
        findings=tuple(findings),
        area_labels=registry.area_labels(),
        area_groups={registry.aggregate_id: members} if members else {},
        directory=data_dir,
    )


def _check_entries(
    files: tuple[YamlChecker, YamlChecker, YamlChecker, YamlChecker],
) -> tuple[dict[str, list[dict]], list[dict], dict[str, Any]]:
    """Check the entries of each file: per kind the valid entries, the status rows of the
    efforts and the settings of the research register."""
    f_efforts, f_questions, f_research, f_lessons = files
    efforts, status_rows = _check_efforts(f_efforts)
    questions = _check_questions(f_questions)
    research, settings = _check_research(f_research)
    lessons = _check_lessons(f_lessons)
    entries = {
        "effort": efforts,
        "learning_question": questions,
        "research": research,
        "lesson": lessons,
    }
    return entries, status_rows, settings


def _check_links_both_ways(
    files: tuple[YamlChecker, YamlChecker, YamlChecker, YamlChecker],
    entries: Mapping[str, list[dict]],
) -> None:
    """Warn where a link between questions, research and lessons is written on one side only."""
    _, f_questions, f_research, f_lessons = files
    questions, lessons = entries["learning_question"], entries["lesson"]
    _check_backlinks(f_questions, f_research, questions, entries["research"], lessons)
    _backlinks_from_lessons(f_lessons, questions, lessons)


def _open_files(
    data_dir: Path, findings: list[Finding]
) -> tuple[YamlChecker, YamlChecker, YamlChecker, YamlChecker]:
    """The four agenda files (efforts, learning questions, research, lessons), in that order."""
    return tuple(  # type: ignore[return-value]
        YamlChecker.read(data_dir / rel, findings, what=what)[0]
        for rel, what in (
            (EFFORTS_FILE, "het inspanningenbestand"),
            (LEARNING_QUESTIONS_FILE, "het leervragenbestand"),
            (RESEARCH_FILE, "het onderzoeksregister"),
            (LESSONS_FILE, "het lessenbestand"),
        )
    )


def _check_top_level_fields(
    files: tuple[YamlChecker, YamlChecker, YamlChecker, YamlChecker],
) -> None:
    """Warn about unknown top-level fields (the research register checks its own)."""
    f_efforts, f_questions, _, f_lessons = files
    for f, key in (
        (f_efforts, "efforts"),
        (f_questions, "learning_questions"),
        (f_lessons, "lessons"),
    ):
        if f.readable:
            f.unknown_fields(f.data, (), "", [key])


def _known_ids(
    registry: Registry,
    codebook: Codebook,
    story_ids: Iterable[str] | None,
    entries: Mapping[str, list[dict]],
    files: tuple[YamlChecker, YamlChecker, YamlChecker, YamlChecker],
) -> dict[str, set[str] | None]:
    """Every id a reference may point to, per kind; ``None`` means "do not check".

    ``entries`` holds the checked entries per agenda kind (``effort``,
    ``learning_question``, ``research``, ``lesson``). Story ids are checked only
    when given; the ids of an unreadable agenda file are not checked either, as
    the file has already been reported and every reference into it would only
    repeat that.
    """
    operational = set(registry.operational_goals["id"])
    known: dict[str, set[str] | None] = {
        "pillar": set(registry.pillars["id"]),
        "operational_goal": operational,
        "goal": operational | set(registry.strategic_goals["id"]),
        "indicator": registry.indicator_ids,
        "area": registry.area_ids,
        "theme": set(codebook.ids),
        "story": set(story_ids) if story_ids is not None else None,
    }
    for kind, f in zip(("effort", "learning_question", "research", "lesson"), files, strict=True):
        known[kind] = {e["id"] for e in entries[kind]} if f.readable else None
    return known


def _sort_findings(findings: list[Finding], files: tuple[YamlChecker, ...]) -> None:
    """In file order, then by line, as a person works through them (sorted in place)."""
    rank = {f.file: i for i, f in enumerate(files)}
    findings.sort(key=lambda f: (rank.get(f.file, len(rank)), f.row or 0))


def _status_table(status_rows: list[dict], efforts: list[dict]) -> pd.DataFrame:
    """The long ``effort, year, status`` table, in file order of the efforts, then by year."""
    status_df = pd.DataFrame(status_rows, columns=EFFORT_STATUS_LONG_COLUMNS)
    order = {e["id"]: i for i, e in enumerate(efforts)}
    status_df = status_df.sort_values(
        ["effort", "year"], key=lambda s: s.map(order) if s.name == "effort" else s
    ).reset_index(drop=True)
    status_df["year"] = status_df["year"].astype("int64")
    return status_df


def _research_table(research: list[dict]) -> pd.DataFrame:
    """The research register as a table; expected respondents a nullable integer."""
    research_df = pd.DataFrame(research, columns=RESEARCH_COLUMNS)
    research_df["expected_respondents"] = research_df["expected_respondents"].astype("Int64")
    return research_df


def agenda_in(folder: ProgrammeFolder) -> Agenda:
    """The learning agenda of a programme folder, read once per folder: checked against
    its registry and codebook, and against its stories when it has a stories folder."""
    from ..vertellen.coding import codebook_in  # spaCy: only when needed
    from ..vertellen.stories import stories_in

    def load() -> Agenda:
        told = folder.stories_dir.is_dir()
        ids = {s.id for s in stories_in(folder).stories} if told else None
        return load_agenda(
            folder.root, folder.registry, codebook=codebook_in(folder), story_ids=ids
        )

    return folder.loaded(agenda_in, load)
