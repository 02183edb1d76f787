"""The programme as a network: goals, indicators, efforts, learning questions, research.

:func:`build_network` joins the registry (pillars, goals, indicators), the
codebook (themes) and the leeragenda (efforts, learning questions, research,
lessons) into one directed graph. :func:`coverage_report` reads the gaps off
it: which operational goals have no indicator, or no stories; which efforts
no learning question; which learning questions no research.
:func:`draw_network` draws it in columns by kind, gaps drawn hollow.

Node keys are ``"<kind>:<id>"`` (a pillar and a theme may share an id, such as
``werk``); every node carries ``kind``, ``id`` and ``label``. Every edge
carries ``relation``:

======================  ===========================  =========================
from                    to                           relation
======================  ===========================  =========================
pillar                  strategic_goal               ``omvat``
strategic_goal          operational_goal             ``omvat``
operational_goal        indicator                    ``gemeten_door`` / ``context``
effort                  operational_goal             ``werkt_aan``
effort                  pillar                       ``hoort_bij`` / ``draagt_bij_aan``
effort                  indicator, research          ``onderbouwd_door``
theme                   operational_goal             ``gaat_over``
learning_question       goal, indicator, theme       ``vraagt_naar``
learning_question       pillar                       ``hoort_bij``
research                learning_question            ``onderzoekt``
lesson                  learning_question            ``beantwoordt``
lesson                  effort                       ``toegepast_in``
lesson                  research                     ``gebaseerd_op``
======================  ===========================  =========================
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..kern.fonts import figure_fonts
from ..kern.page import FIGURE_DPI, LANDSCAPE_HEIGHT_MM, LANDSCAPE_WIDTH_MM, inches
from ..kern.registry import Registry
from ..kern.synthetic import FIGURE_BANNER
from .agenda import Agenda

__all__ = [
    "NODE_KINDS",
    "KIND_LABELS",
    "COVERAGE_COLUMNS",
    "GAP_NO_INDICATOR",
    "GAP_NO_STORIES",
    "GAP_NO_QUESTION",
    "GAP_NO_RESEARCH",
    "node_key",
    "build_network",
    "coverage_report",
    "draw_network",
]

NODE_KINDS = (
    "pillar",
    "strategic_goal",
    "operational_goal",
    "indicator",
    "theme",
    "effort",
    "learning_question",
    "research",
    "lesson",
)
#: Dutch names of the node kinds, for legends and reports.
KIND_LABELS = {
    "pillar": "Pijler",
    "strategic_goal": "Strategisch doel",
    "operational_goal": "Operationeel doel",
    "indicator": "Indicator",
    "theme": "Thema (codeboek)",
    "effort": "Inspanning",
    "learning_question": "Leervraag",
    "research": "Onderzoek",
    "lesson": "Geleerde les",
}
COVERAGE_COLUMNS = ["kind", "id", "label", "gap"]
GAP_NO_INDICATOR = "geen indicator die dit doel meet (contextindicatoren tellen niet mee)"
GAP_NO_STORIES = "geen gecodeerde verhalen over dit doel"
GAP_NO_QUESTION = "geen leervraag over een doel waaraan deze inspanning werkt"
GAP_NO_RESEARCH = "geen onderzoeksactiviteit bij deze leervraag"


def node_key(kind: str, ident: str) -> str:
    """The graph key of a node: ``node_key("operational_goal", "og01-...")``."""
    return f"{kind}:{ident}"


def build_network(registry: Registry, agenda: Agenda, codebook: object | None = None) -> nx.DiGraph:
    """Join registry, codebook and leeragenda into one directed graph.

    Parameters
    ----------
    registry : Registry
    agenda : Agenda
    codebook : Codebook, optional
        Its themes become ``theme`` nodes linked to their goals
        (:meth:`~npdw_learning.vertellen.coding.Codebook.goal_links`); without it the
        graph has no themes (and learning questions link to no theme).

    Returns
    -------
    networkx.DiGraph
        Nodes and edges as in the module text, added in file order so the
        same inputs give the same graph.

    Examples
    --------
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> g = build_network(folder.registry, agenda_in(folder))
    >>> g.nodes[node_key("pillar", "wonen")]["kind"]
    'pillar'
    """
    g = nx.DiGraph()
    _add_registry(g, registry)
    if codebook is not None:
        _add_themes(g, codebook)
    _add_efforts(g, agenda)
    _add_questions_and_research(g, agenda)
    _add_lessons(g, agenda)
    return g


def _add_node(g: nx.DiGraph, kind: str, ident: str, label: str, **attrs) -> str:
    """Add a node with ``kind``, ``id`` and ``label``; return its key."""
    key = node_key(kind, ident)
    g.add_node(key, kind=kind, id=ident, label=label, **attrs)
    return key


def _add_edge(g: nx.DiGraph, a: str, b: str, relation: str) -> None:
    """Add ``a -> b`` once, only when both ends are nodes (an unknown id adds nothing)."""
    if a in g and b in g and not g.has_edge(a, b):
        g.add_edge(a, b, relation=relation)


def _add_registry(g: nx.DiGraph, registry: Registry) -> None:
    """Pillars, strategic goals, indicators and operational goals, with their edges."""
    for p in registry.pillars.itertuples():
        _add_node(g, "pillar", p.id, p.label)
    for s in registry.strategic_goals.itertuples():
        _add_node(g, "strategic_goal", s.id, s.label, pillar=s.pillar)
        _add_edge(g, node_key("pillar", s.pillar), node_key("strategic_goal", s.id), "omvat")
    for ind in registry.indicators.itertuples():
        _add_node(g, "indicator", ind.id, ind.label, pillar=ind.pillar, core=bool(ind.core))
    for o in registry.operational_goals.itertuples():
        key = _add_node(g, "operational_goal", o.id, o.label, pillar=o.pillar)
        _add_edge(g, node_key("strategic_goal", o.strategic_goal), key, "omvat")
        for ind in o.indicators:
            _add_edge(g, key, node_key("indicator", ind), "gemeten_door")
        for ind in o.context_indicators:
            _add_edge(g, key, node_key("indicator", ind), "context")


def _add_themes(g: nx.DiGraph, codebook: object) -> None:
    """The codebook's themes and the operational goals they are about."""
    for theme in getattr(codebook, "themes", ()):
        _add_node(g, "theme", theme.id, theme.label, pillar=theme.pillar)
    for link in codebook.goal_links().itertuples():
        _add_edge(
            g, node_key("theme", link.theme), node_key("operational_goal", link.goal), "gaat_over"
        )


def _add_efforts(g: nx.DiGraph, agenda: Agenda) -> None:
    """Efforts with the goals, pillars and indicators they link to (research comes later)."""
    for e in agenda.efforts.itertuples():
        key = _add_node(g, "effort", e.id, e.label, pillar=e.pillar)
        for goal in e.goals:
            _add_edge(g, key, node_key("operational_goal", goal), "werkt_aan")
        _add_edge(g, key, node_key("pillar", e.pillar), "hoort_bij")
        for pillar in e.contributes_to:
            _add_edge(g, key, node_key("pillar", pillar), "draagt_bij_aan")
        for ind in e.evidence_indicators:
            _add_edge(g, key, node_key("indicator", ind), "onderbouwd_door")


def _add_questions_and_research(g: nx.DiGraph, agenda: Agenda) -> None:
    """Research and learning questions, linked from either file's lists."""
    for r in agenda.research.itertuples():
        _add_node(g, "research", r.id, r.title, status=r.status)
    for q in agenda.learning_questions.itertuples():
        key = _add_node(g, "learning_question", q.id, q.question, status=q.status)
        for goal in q.goals:
            kind = "strategic_goal" if node_key("strategic_goal", goal) in g else "operational_goal"
            _add_edge(g, key, node_key(kind, goal), "vraagt_naar")
        for ind in q.indicators:
            _add_edge(g, key, node_key("indicator", ind), "vraagt_naar")
        for theme in q.themes:
            _add_edge(g, key, node_key("theme", theme), "vraagt_naar")
        for pillar in q.pillars:
            _add_edge(g, key, node_key("pillar", pillar), "hoort_bij")
        for rid in q.research:
            _add_edge(g, node_key("research", rid), key, "onderzoekt")
    for r in agenda.research.itertuples():
        for lq in r.learning_questions:
            _add_edge(
                g, node_key("research", r.id), node_key("learning_question", lq), "onderzoekt"
            )
    for e in agenda.efforts.itertuples():
        for rid in e.evidence_research:
            _add_edge(g, node_key("effort", e.id), node_key("research", rid), "onderbouwd_door")


def _add_lessons(g: nx.DiGraph, agenda: Agenda) -> None:
    """Lessons, linked from the lessons file and from the learning questions."""
    for les in agenda.lessons.itertuples():
        key = _add_node(g, "lesson", les.id, les.lesson, status=les.status)
        for lq in les.learning_questions:
            _add_edge(g, key, node_key("learning_question", lq), "beantwoordt")
        for eid in les.applied_in:
            _add_edge(g, key, node_key("effort", eid), "toegepast_in")
        for rid in les.research:
            _add_edge(g, key, node_key("research", rid), "gebaseerd_op")
    for q in agenda.learning_questions.itertuples():
        for lid in q.lessons:
            _add_edge(
                g, node_key("lesson", lid), node_key("learning_question", q.id), "beantwoordt"
            )


def _nodes(g: nx.DiGraph, kind: str) -> list[str]:
    return [n for n, data in g.nodes(data=True) if data["kind"] == kind]


def _related(g: nx.DiGraph, key: str, relation: str, *, incoming: bool = False) -> list[str]:
    edges = g.in_edges(key, data="relation") if incoming else g.out_edges(key, data="relation")
    return [a if incoming else b for a, b, rel in edges if rel == relation]


def coverage_report(
    source: nx.DiGraph | Registry,
    agenda: Agenda | None = None,
    codebook: object | None = None,
    *,
    goals_with_stories: Iterable[str] | None = None,
) -> pd.DataFrame:
    """What the programme does not yet measure, ask or research.

    Parameters
    ----------
    source : networkx.DiGraph or Registry
        A graph from :func:`build_network`, or the registry (then ``agenda``
        is required and the graph is built here).
    agenda, codebook
        Only when ``source`` is a registry.
    goals_with_stories : iterable of str, optional
        Operational goal ids that coded stories speak to (via their themes).
        When given, every other operational goal is a gap; when ``None`` that
        check is left out (the stories were not coded).

    Returns
    -------
    DataFrame
        :data:`COVERAGE_COLUMNS`: ``kind, id, label, gap`` (a fixed Dutch
        description per kind of gap), in this order:

        - operational goals without an indicator that measures them
          (:data:`GAP_NO_INDICATOR`; context indicators do not count);
        - operational goals without stories (:data:`GAP_NO_STORIES`);
        - efforts without a learning question (:data:`GAP_NO_QUESTION`). An
          effort is covered when a learning question asks about one of the
          operational goals it works on, or about the strategic goal above
          one. Lessons do not count: a lesson without a question behind it is
          not a leeragenda.
        - learning questions without research (:data:`GAP_NO_RESEARCH`), in
          either file's list.

    Examples
    --------
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> gaps = coverage_report(folder.registry, agenda_in(folder))
    >>> "og05-toegankelijk-wonen" in set(gaps.loc[gaps["gap"] == GAP_NO_INDICATOR, "id"])
    True
    """
    if isinstance(source, nx.DiGraph):
        g = source
    else:
        if agenda is None:
            raise TypeError("coverage_report(registry, ...) heeft ook de agenda nodig")
        g = build_network(source, agenda, codebook)
    rows = []

    def gap(key: str, text: str) -> None:
        data = g.nodes[key]
        rows.append({"kind": data["kind"], "id": data["id"], "label": data["label"], "gap": text})

    goals = _nodes(g, "operational_goal")
    for key in goals:
        if not _related(g, key, "gemeten_door"):
            gap(key, GAP_NO_INDICATOR)
    if goals_with_stories is not None:
        told = set(goals_with_stories)
        for key in goals:
            if g.nodes[key]["id"] not in told:
                gap(key, GAP_NO_STORIES)
    asked = {b for q in _nodes(g, "learning_question") for b in _related(g, q, "vraagt_naar")}
    for key in _nodes(g, "effort"):
        worked_on = _related(g, key, "werkt_aan")
        above = {s for goal in worked_on for s in _related(g, goal, "omvat", incoming=True)}
        if not asked & (set(worked_on) | above):
            gap(key, GAP_NO_QUESTION)
    for key in _nodes(g, "learning_question"):
        if not _related(g, key, "onderzoekt", incoming=True):
            gap(key, GAP_NO_RESEARCH)
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


# -- drawing ---------------------------------------------------------------------------

# Left to right: what is learned, asked and done, then the goals, then how they
# are measured and told. The operational goals are the anchor the rest lines up to.
_COLUMNS = (
    "lesson",
    "research",
    "learning_question",
    "effort",
    "pillar",
    "strategic_goal",
    "operational_goal",
    "indicator",
    "theme",
)
_COLOURS = {  # Okabe-Ito, with Tol's purple for the lessons
    "pillar": "#000000",
    "strategic_goal": "#0072B2",
    "operational_goal": "#56B4E9",
    "indicator": "#999999",
    "theme": "#CC79A7",
    "effort": "#E69F00",
    "learning_question": "#009E73",
    "research": "#D55E00",
    "lesson": "#AA4499",
}
_MARKERS = {
    "pillar": "s",
    "strategic_goal": "D",
    "operational_goal": "o",
    "indicator": ".",
    "theme": "h",
    "effort": "^",
    "learning_question": "p",
    "research": "v",
    "lesson": "*",
}
# Drawn at the printed size, the text block of a landscape A4 page (kern/page.py):
# the font sizes are points on paper, none under 7.
_SIZE = (inches(LANDSCAPE_WIDTH_MM), inches(LANDSCAPE_HEIGHT_MM - 5))
_LABEL_PT, _TITLE_PT, _LEGEND_PT = 7.0, 8.0, 7.5
_LABEL_CHARS = 18  # a label's room: the gap to the next column
_GAP_LEGEND = {
    "operational_goal": "Operationeel doel zonder indicator",
    "effort": "Inspanning zonder leervraag",
    "learning_question": "Leervraag zonder onderzoek",
}


def _short(data: dict) -> str | None:
    kind, ident = data["kind"], data["id"]
    if kind in ("strategic_goal", "operational_goal"):
        return ident.split("-", 1)[0]  # og07-wooncarriere -> og07
    if kind == "pillar":
        return textwrap.fill(data["label"], 18, break_long_words=False)
    if kind == "indicator":
        return None  # too many to label; the legend says what they are
    text = ident[2:] if kind in ("effort", "research") else ident
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _x_positions() -> dict[str, float]:
    """Each kind's column; the efforts, the most numerous, get two (see :func:`_layout`)."""
    x, out = 0.0, {}
    for kind in _COLUMNS:
        out[kind] = x
        x += 2.0 if kind == "effort" else 1.0
    return out


def _spread(desired: list[float], gap: float) -> list[float]:
    """Keep the order and at least ``gap`` between neighbours, within [0, 1]."""
    ys: list[float] = []
    for d in desired:  # top to bottom
        ys.append(d if not ys else min(d, ys[-1] - gap))
    if ys and ys[-1] < 0:
        ys = [y - ys[-1] for y in ys]
    if ys and ys[0] > 1:
        low, high = ys[-1], ys[0]
        ys = [(y - low) / (high - low) if high > low else 0.5 for y in ys]
    return ys


def _layout(g: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Columns by kind; within a column, nodes near the goals they link to.

    Fully deterministic (no random seed involved): the operational goals are
    spread evenly in registry order, every other column is placed at the mean
    height of its already-placed neighbours, in a fixed column order.
    """
    pos: dict[str, tuple[float, float]] = {}
    x_of = _x_positions()
    goals = _nodes(g, "operational_goal")
    for i, key in enumerate(goals):
        pos[key] = (x_of["operational_goal"], 1 - (i + 0.5) / max(len(goals), 1))
    undirected = g.to_undirected(as_view=True)
    for kind in (
        "strategic_goal",
        "pillar",
        "indicator",
        "theme",
        "effort",
        "learning_question",
        "research",
        "lesson",
    ):
        keys = _nodes(g, kind)
        if not keys:
            continue
        desired = {}
        for key in keys:
            ys = [pos[n][1] for n in undirected.neighbors(key) if n in pos]
            # fsum: exact, so the neighbours' order cannot tip a tie in the sort below.
            desired[key] = math.fsum(ys) / len(ys) if ys else -1.0
        ordered = sorted(keys, key=lambda k: (-desired[k], g.nodes[k]["id"]))
        placed = [d if d >= 0 else 0.0 for d in (desired[k] for k in ordered)]
        ys = _spread(placed, 1 / (len(keys) + 1))
        for i, (key, y) in enumerate(zip(ordered, ys, strict=True)):
            # The efforts alternate between two columns, so each has room for its label.
            pos[key] = (x_of[kind] + (i % 2 if kind == "effort" else 0), y)
    return pos


@figure_fonts()
def draw_network(
    graph: nx.DiGraph, path: str | Path, *, synthetic: bool = False, dpi: int = FIGURE_DPI
) -> Path:
    """Draw the network as a PNG, written atomically.

    Columns by kind (lessons, research, learning questions, efforts, pillars,
    strategic goals, operational goals, indicators, themes); goals and
    efforts labelled with their short ids; gaps of :func:`coverage_report`
    (goals without indicator, efforts without learning question, learning
    questions without research) drawn hollow. Legend and titles in Dutch. The
    layout is deterministic, so the same graph gives the same bytes.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`build_network`.
    path : path
        The PNG to write; its folder is created when missing.
    synthetic : bool, default False
        Print the synthetic-data warning on the figure.
    dpi : int, default :data:`~npdw_learning.kern.page.FIGURE_DPI`

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from npdw_learning import ProgrammeFolder
    >>> from npdw_learning.leeragenda.agenda import agenda_in
    >>> folder = ProgrammeFolder.bundled()
    >>> g = build_network(folder.registry, agenda_in(folder))
    >>> draw_network(g, pathlib.Path(tempfile.mkdtemp()) / "netwerk.png").suffix
    '.png'
    """
    from ..kern.filecache import digest, made_once

    # A network drawn before from the same nodes and edges is copied (kern.filecache).
    key = digest(
        "netwerk",
        [(n, dict(d)) for n, d in graph.nodes(data=True)],
        [(a, b, dict(d)) for a, b, d in graph.edges(data=True)],
        dict(graph.graph),
        synthetic,
        dpi,
    )

    def make(tmp: Path) -> None:
        fig = _network_figure(graph, synthetic=synthetic)
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")

    return made_once(path, key, make)


def _network_figure(graph: nx.DiGraph, *, synthetic: bool) -> Figure:
    """The figure of :func:`draw_network` (no pyplot: nothing to close)."""
    pos = _layout(graph)
    hollow = _hollow_nodes(graph)
    fig = Figure(figsize=_SIZE, layout=None)
    ax = fig.add_axes((0.005, 0.075, 0.99, 0.855))
    ax.set_axis_off()
    ax.set_xlim(-0.4, max(_x_positions().values()) + 1.1)
    ax.set_ylim(-0.01, 1.04)
    _draw_edges(ax, graph, pos)
    present = [k for k in _COLUMNS if _nodes(graph, k)]
    for kind in present:
        _draw_column(ax, graph, pos, kind, hollow)
    handles = _legend_handles(graph, present, hollow)
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=6,
        fontsize=_LEGEND_PT,
        frameon=False,
        borderaxespad=0.2,
    )
    _draw_titles(fig, synthetic=synthetic)
    return fig


def _hollow_nodes(graph: nx.DiGraph) -> set[str]:
    """Keys of the nodes drawn hollow: goals without indicator, efforts without
    learning question, learning questions without research (not the story gap)."""
    gaps = coverage_report(graph)
    return {
        node_key(k, i)
        for k, i, gp in zip(gaps["kind"], gaps["id"], gaps["gap"], strict=True)
        if gp in (GAP_NO_INDICATOR, GAP_NO_QUESTION, GAP_NO_RESEARCH)
    }


def _draw_edges(ax, graph: nx.DiGraph, pos: dict[str, tuple[float, float]]) -> None:
    """Every edge as one thin grey line, behind the nodes."""
    segments = [(pos[a], pos[b]) for a, b in graph.edges if a in pos and b in pos]
    ax.add_collection(LineCollection(segments, colors="#c8c8c8", linewidths=0.35, zorder=1))


def _draw_column(
    ax, graph: nx.DiGraph, pos: dict[str, tuple[float, float]], kind: str, hollow: set[str]
) -> None:
    """One column: its nodes (gaps hollow), their short labels and the column title."""
    keys = _nodes(graph, kind)
    full = [k for k in keys if k not in hollow]
    empty = [k for k in keys if k in hollow]
    size = 30 if kind == "indicator" else 18
    for group, face in ((full, _COLOURS[kind]), (empty, "white")):
        if not group:
            continue
        ax.scatter(
            [pos[k][0] for k in group],
            [pos[k][1] for k in group],
            s=size,
            marker=_MARKERS[kind],
            c=face,
            edgecolors=_COLOURS[kind],
            linewidths=0.8,
            zorder=3,
        )
    for key in keys:
        text = _short(graph.nodes[key])
        if text is None:
            continue
        x, y = pos[key]
        ax.annotate(
            text,
            (x, y),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=_LABEL_PT if kind != "pillar" else _LABEL_PT + 0.5,
            va="center",
            ha="left",
            zorder=4,
        )
    ax.text(
        _x_positions()[kind] + (0.5 if kind == "effort" else 0),
        1.03,
        KIND_LABELS[kind],
        ha="center",
        va="bottom",
        fontsize=_TITLE_PT,
        fontweight="bold",
    )


def _legend_marker(kind: str, face: str, label: str) -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=_MARKERS[kind],
        markersize=5,
        markerfacecolor=face,
        markeredgecolor=_COLOURS[kind],
        label=label,
    )


def _legend_handles(graph: nx.DiGraph, present: list[str], hollow: set[str]) -> list[Line2D]:
    """One marker per kind present, then one hollow marker per kind of gap that occurs."""
    handles = [_legend_marker(k, _COLOURS[k], KIND_LABELS[k]) for k in present]
    handles += [
        _legend_marker(k, "white", label)
        for k, label in _GAP_LEGEND.items()
        if any(key in hollow for key in _nodes(graph, k))
    ]
    return handles


def _draw_titles(fig: Figure, *, synthetic: bool) -> None:
    """The figure title and, for synthetic data, the red warning under it."""
    fig.suptitle(
        "Samenhang van doelen, indicatoren, inspanningen, leervragen en onderzoek",
        fontsize=10,
        y=0.995,
    )
    if synthetic:
        fig.text(
            0.5,
            0.955,
            FIGURE_BANNER,
            ha="center",
            color="#B00020",
            fontsize=9,
            fontweight="bold",
        )
