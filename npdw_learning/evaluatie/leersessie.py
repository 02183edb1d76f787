"""``leersessie.pdf``: one page per pillar for the yearly learning session.

Per pillar its learning questions with their evidence label and proposed next
step (``tables/leervragen_bewijs.csv``), what changed for that pillar since
last year's evaluation (``tables/veranderd_sinds_vorig_jaar.csv``) and three
open questions for the session, written from that content (diverging
evidence first, then a question that looks ready to answer, a change for the
worse, a question without evidence). Each page ends with how the outcome goes
back into the agenda (``npdw agenda sheet`` and ``npdw agenda apply``,
:mod:`npdw_learning.leeragenda.outcome`).

A run without either table still gets the pages: they say what is missing
("geen vorig jaar om mee te vergelijken"). The file is its own A4 document
(landscape, for the wide table of questions) rather than a section of the
slides: the slides are the wijkavond's 16:9 deck for residents in large type,
one wijk at a time; the learning session is a working paper for the
coordinator and the partners, about the whole programme per pillar, with
far more text per page. It is made with the same machinery as the other
outputs for residents and the board: :func:`.wijkopmaak.page_html` (the
sanitizer, the bundled fonts, the Content-Security-Policy) and
:func:`.pdf.write_pdf`, written by :mod:`.wijkuitvoer`.

Every text from outside (question text, next step, ids) reaches the page
only through :func:`.wijkopmaak.esc`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..kern.atomic import read_csv
from ..kern.registry import Registry
from . import labels
from .labels import CHANGE_KIND_SHORT_NL
from .vorigjaar import value_label
from .wijkopmaak import BASE_STYLE, COLOURS, esc, page_html

__all__ = [
    "EVIDENCE_TABLE",
    "CHANGES_TABLE",
    "PROMPTS",
    "MAX_CHANGES",
    "SessionTables",
    "session_tables",
    "session_prompts",
    "leersessie_html",
]

EVIDENCE_TABLE = "leervragen_bewijs"
CHANGES_TABLE = "veranderd_sinds_vorig_jaar"
PROMPTS = 3
#: Changes shown per pillar; the rest are counted and left to the table. A pillar with
#: more than :data:`ROOMY` questions shows one change fewer per extra question (at least
#: two), so that its page stays one page.
MAX_CHANGES = 6
ROOMY = 7

#: ``veranderd_sinds_vorig_jaar.csv`` column ``kind``, in the order a page lists them.
_WORSE = (
    *("worsening", "worse_than_trend", "worse_than_comparison", "moving_away"),
    *("insufficient_progress", "slechter"),
)

STYLE = (
    BASE_STYLE
    + f"""
section.pijler {{ max-width: 64rem; margin: 0 auto 2rem; padding: 1rem 1.25rem; }}
table.vragen {{ border-collapse: collapse; width: 100%; margin: .3rem 0 .6rem; }}
table.vragen th, table.vragen td {{ text-align: left; vertical-align: top;
  border-bottom: 1px solid #c9d6d4; padding: .2rem .4rem; }}
table.vragen th {{ background: var(--zacht); }}
.id {{ white-space: nowrap; font-weight: 700; }}
.label {{ white-space: nowrap; }}
.label.diverging {{ color: var(--aandacht); font-weight: 700; }}
.label.converging {{ color: var(--beter); font-weight: 700; }}
.kolommen {{ display: flex; gap: 1.5rem; }}
.kolommen > div {{ flex: 1; }}
h3 {{ font-size: 1.05rem; margin: .5rem 0 .2rem; }}
ul.kort {{ margin: 0; padding-left: 1.1rem; }}
ol.vragen {{ margin: 0; padding-left: 1.3rem; }}
.leeg {{ color: var(--grijs); font-style: italic; }}
.voet {{ color: var(--grijs); margin-top: .6rem; }}
@media print {{
  @page {{ size: A4 landscape; margin: 9mm 12mm 10mm 12mm;
          @bottom-right {{ content: "pagina " counter(page) " van " counter(pages);
                          font-size: 8pt; color: {COLOURS["grijs"]}; }} }}
  body {{ font-size: 8.2pt; line-height: 1.2; }}
  section.pijler {{ max-width: none; padding: 0; break-after: page; margin: 0; }}
  section.pijler:last-child {{ break-after: auto; }}
  h1 {{ font-size: 16pt; margin: 1pt 0 2pt; }}
  h3 {{ font-size: 10pt; margin: 4pt 0 1pt; }}
  .programma, .meta {{ font-size: 8.2pt; }}
  .banner {{ padding: 2pt 6pt; margin: 2pt 0; }}
  table.vragen {{ margin: 2pt 0 3pt; }}
  table.vragen th, table.vragen td {{ padding: 1pt 4pt; }}
  table.vragen tr {{ break-inside: avoid; }}
}}
"""
)


@dataclass(frozen=True)
class SessionTables:
    """What the pages are made from: the two tables (``None`` when the run has none)."""

    evidence: pd.DataFrame | None
    changes: pd.DataFrame | None
    #: Why there are no changes (the run's own words), when ``changes`` is None.
    no_changes: str = "geen vorig jaar om mee te vergelijken"
    effort_pillars: Mapping[str, str] = field(default_factory=dict)


def session_tables(run_folder: Path, effort_pillars: Mapping[str, str] | None = None):
    """The two tables from ``run_folder/tables``, each ``None`` when the run did not write it."""

    def table(name: str) -> pd.DataFrame | None:
        path = run_folder / "tables" / f"{name}.csv"
        if not path.is_file():
            return None
        frame = read_csv(path).astype(object)
        return frame.where(frame.notna(), "")  # an empty cell is shown as nothing

    return SessionTables(
        table(EVIDENCE_TABLE), table(CHANGES_TABLE), effort_pillars=dict(effort_pillars or {})
    )


def _ids(value: object) -> list[str]:
    """A ``;``-joined cell as a list (an empty cell: none)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _text(value: object) -> str:
    """A cell as text; an empty one (None, NaN) as ``""``."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _code_label(code: object) -> str:
    """The Dutch label of a result code, from :mod:`.labels`; the code itself when unknown."""
    text = _text(code)
    for family in (labels.EVIDENCE_NL, *labels.FAMILIES.values()):
        if text in family:
            return family[text]
    return text


# -- which pillar a change is about --------------------------------------------------------


def _pillar_index(
    evidence: pd.DataFrame | None, registry: Registry, effort_pillars: Mapping[str, str]
) -> dict[tuple[str, str], set[str]]:
    """``(kind of id, id) -> pillars``: questions and, through them, their lessons and themes;
    indicators by the registry; efforts by their primary pillar."""
    index: dict[tuple[str, str], set[str]] = {}
    for ind, pillar in zip(registry.indicators["id"], registry.indicators["pillar"], strict=True):
        index.setdefault(("indicator", str(ind)), set()).add(str(pillar))
    for effort, pillar in effort_pillars.items():
        index.setdefault(("effort", str(effort)), set()).add(str(pillar))
    if evidence is None:
        return index
    for row in evidence.to_dict(orient="records"):
        pillars = set(_ids(row.get("pillars")))
        index.setdefault(("question", str(row.get("question"))), set()).update(pillars)
        for column, kind in (("lessons", "lesson"), ("themes", "theme")):
            for ident in _ids(row.get(column)):
                index.setdefault((kind, ident), set()).update(pillars)
    return index


_ID_KIND = {
    "cell": "indicator",
    "question_status": "question",
    "question_evidence": "question",
    "lesson_new": "lesson",
    "lesson_changed": "lesson",
    "effort_status": "effort",
    "theme_stories": "theme",
}


def _changes_by_pillar(
    changes: pd.DataFrame, index: Mapping[tuple[str, str], set[str]]
) -> dict[str, list[dict]]:
    """The rows of the changes table per pillar, the ones that matter most first: a
    change for the worse, then in the order of :data:`CHANGE_KIND_SHORT_NL`."""
    order = {kind: i for i, kind in enumerate(CHANGE_KIND_SHORT_NL)}
    out: dict[str, list[dict]] = {}
    for row in changes.to_dict(orient="records"):
        kind = str(row.get("kind", ""))
        for pillar in index.get((_ID_KIND.get(kind, ""), str(row.get("id", ""))), ()):
            out.setdefault(pillar, []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: (not _worse(r), order.get(str(r.get("kind")), len(order))))
    return out


def _worse(row: Mapping) -> bool:
    return any(w in str(row.get("after", "")) for w in _WORSE)


# -- the prompts ---------------------------------------------------------------------------


def session_prompts(questions: pd.DataFrame, changes: Iterable[Mapping], describe=str) -> list[str]:
    """Three open questions for the session about one pillar, from its content.

    ``questions`` are the pillar's rows of ``leervragen_bewijs.csv``; ``changes``
    its rows of the changes table (most important first); ``describe`` turns a
    change row into words. Diverging evidence comes first, then a question that
    looks ready to answer, a change for the worse, only numbers or only stories,
    no evidence; general questions fill up to :data:`PROMPTS`.

    Examples
    --------
    >>> q = pd.DataFrame({"question": ["lq-01"], "evidence": ["diverging"], "status": ["open"]})
    >>> session_prompts(q, [])[0]
    'lq-01: cijfers en verhalen wijzen verschillende kanten op. Wat verklaart het verschil, \
en wie zoekt dat uit?'
    """
    by_label: dict[str, list[str]] = {}
    for row in questions.to_dict(orient="records"):
        if str(row.get("status")) != "beantwoord":
            by_label.setdefault(str(row.get("evidence")), []).append(str(row.get("question")))
    out = []

    def ask(label: str, sentence: str) -> None:
        ids = by_label.get(label)
        if ids:
            out.append(sentence.format(ids=", ".join(ids[:3])))

    ask(
        "diverging",
        "{ids}: cijfers en verhalen wijzen verschillende kanten op. Wat verklaart het "
        "verschil, en wie zoekt dat uit?",
    )
    ask(
        "converging",
        "{ids}: cijfers en verhalen wijzen dezelfde kant op. Kunnen we de vraag nu "
        "beantwoorden, en welke les trekken we eruit?",
    )
    worse = [r for r in changes if _worse(r)]
    if worse:
        out.append(
            f"{describe(worse[0])}. Wat is er gebeurd, en vraagt dit om een nieuwe leervraag?"
        )
    ask("numbers_only", "{ids}: alleen cijfers. Welke bewoners kunnen we naar hun ervaring vragen?")
    ask("stories_only", "{ids}: alleen verhalen. Welk cijfer laat zien of dit breder speelt?")
    ask("none", "{ids}: nog geen bewijs. Is de vraag nog de goede, en wie gaat hem onderzoeken?")
    out += [
        "Wat zagen we dit jaar in de wijken veranderen dat nog niet in de cijfers of "
        "verhalen staat?",
        "Welke les van dit jaar willen we volgend jaar in de aanpak terugzien?",
        "Welke leervraag mist nog bij deze pijler?",
    ]
    return out[:PROMPTS]


# -- the page ------------------------------------------------------------------------------


def _describe(registry: Registry):
    """A change row in words: ``statusoverzicht, Prettig wonen (Wielwijk): a → b``."""
    indicators = dict(zip(registry.indicators["id"], registry.indicators["label"], strict=True))
    areas = registry.area_labels()

    def describe(row: Mapping) -> str:
        kind, ident = str(row.get("kind", "")), str(row.get("id", ""))
        name = indicators.get(ident, ident) if kind == "cell" else ident
        area = _text(row.get("area"))
        where = f" ({areas.get(area, area)})" if area else ""
        before, after = value_label(kind, row.get("before")), value_label(kind, row.get("after"))
        step = f"{before or 'niets'} → {after or 'niets'}"
        return f"{CHANGE_KIND_SHORT_NL.get(kind, kind)}, {name}{where}: {step}"

    return describe


def _questions_html(rows: pd.DataFrame) -> str:
    head = (
        "<thead><tr><th>Leervraag</th><th>Vraag</th><th>Status</th><th>Bewijs</th>"
        "<th>Volgende stap</th></tr></thead>"
    )
    body = "".join(
        f'<tr><td class="id">{esc(r["question"])}</td><td>{esc(r.get("text", ""))}</td>'
        f'<td class="label">{esc(_code_label(r.get("status")))}</td>'
        f'<td class="label {esc(r.get("evidence", ""))}">{esc(_code_label(r.get("evidence")))}'
        f"</td><td>{esc(r.get('next_step', ''))}</td></tr>"
        for r in rows.to_dict(orient="records")
    )
    return f'<table class="vragen">{head}<tbody>{body}</tbody></table>'


def _changes_html(rows: list[dict], session: SessionTables, describe, questions: int) -> str:
    if session.changes is None:
        return f'<p class="leeg">{esc(session.no_changes.capitalize())}.</p>'
    if not rows:
        return '<p class="leeg">Geen veranderingen bij deze pijler.</p>'
    room = max(2, MAX_CHANGES - max(0, questions - ROOMY))
    items = "".join(f"<li>{esc(describe(r))}</li>" for r in rows[:room])
    rest = len(rows) - room
    more = f"<li>… en nog {rest} (zie tables/{CHANGES_TABLE}.csv)</li>" if rest > 0 else ""
    return f'<ul class="kort">{items}{more}</ul>'


def _pillar_html(
    pillar: str, label: str, session: SessionTables, changes: Mapping, describe, head: str
) -> str:
    inner = f"{head}<h1>{esc(label)}</h1>"
    if session.evidence is None:
        questions = pd.DataFrame(columns=["question", "evidence", "status"])
        inner += (
            f'<p class="leeg">Deze evaluatie heeft geen tables/{EVIDENCE_TABLE}.csv: het bewijs '
            "per leervraag ontbreekt. Maak de evaluatie opnieuw met deze versie van npdw.</p>"
        )
    else:
        mine = session.evidence["pillars"].map(lambda v: pillar in _ids(v))
        questions = session.evidence[mine]
        inner += (
            _questions_html(questions)
            if len(questions)
            else '<p class="leeg">Geen leervragen bij deze pijler.</p>'
        )
    rows = changes.get(pillar, [])
    prompts = "".join(f"<li>{esc(p)}</li>" for p in session_prompts(questions, rows, describe))
    inner += (
        '<div class="kolommen"><div><h3>Veranderd sinds vorig jaar</h3>'
        f"{_changes_html(rows, session, describe, len(questions))}</div>"
        f'<div><h3>Om over te praten</h3><ol class="vragen">{prompts}</ol>'
        '<p class="voet">De uitkomst vastleggen: <code>npdw agenda sheet --out leersessie.csv'
        "</code> maakt het blad om in te vullen (nieuwe status, nieuwe les); "
        "<code>npdw agenda apply leersessie.csv</code> schrijft het naar de leeragenda.</p>"
        "</div></div>"
    )
    return f'<section class="pijler" aria-label="{esc(label)}">{inner}</section>'


def leersessie_html(
    registry: Registry,
    session: SessionTables,
    *,
    year: int,
    run_date: str,
    banner: str | None = None,
) -> str:
    """The learning session's pages: one section (one printed page) per pillar."""
    index = _pillar_index(session.evidence, registry, session.effort_pillars)
    changes = {} if session.changes is None else _changes_by_pillar(session.changes, index)
    describe = _describe(registry)
    title = f"Leersessie {year}"
    head = (
        f'<p class="programma">{esc(registry.programme_name)} · {esc(title)}'
        f" · uit de evaluatie van {esc(year)}, gemaakt op {esc(run_date)}</p>"
    )
    if banner:
        head += f'<p class="banner">{esc(banner)}</p>'
    sections = "".join(
        _pillar_html(p, label, session, changes, describe, head)
        for p, label in zip(registry.pillars["id"], registry.pillars["label"], strict=True)
    )
    return page_html(f"{title}: {registry.programme_name}", sections, STYLE)
