"""The programme registry: areas, pillars, goals, indicators, units (``data/registry/*.yaml``).

The registry is the one place that says what the programme measures and
against which target. It is loaded once per run and validated as a whole:
every problem is collected and raised together as a :class:`RegistryError`
naming the file, line, entry and field (:class:`~npdw_learning.kern.yamlfile.YamlChecker`),
so an intern who edits a YAML file sees all of their mistakes at once.

National and local. The part every focus area of the Nationaal Programma
Leefbaarheid en Veiligheid shares (the Kernindicatoren Rijk with their
definitions, the pillars, the units and share groups they use) lives in
``registry/national/``; the programme's own part (areas, local indicators,
goals, efforts, codebook, agenda) lives beside it. For ``units``,
``pillars``, ``share_groups`` and ``indicators`` the loader reads the
national file first and adds the local one's entries; a local entry with a
national id is an error, so a programme can replace ``national/`` by a newer
version without touching its own files. Each indicator and pillar carries
``scope`` (``national`` or ``local``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import Finding, RegistryError
from .yamlfile import ID_PATTERN, YamlChecker, display_name, literal

__all__ = [
    "ID_PATTERN",
    "NATIONAL_DIR",
    "NATIONAL_FILES",
    "Registry",
    "load_registry",
    "TARGET_TYPES",
    "AREA_KINDS",
    "DEFAULT_START_YEAR",
]

TARGET_TYPES = ("parity", "relative", "absolute", "none")
AREA_KINDS = ("neighbourhood", "reference", "aggregate")
UNIT_KINDS = ("rate", "count")
# The first year of the Uitvoeringsprogramma Dordt West 2024-2026 (programme.yaml: start_year).
DEFAULT_START_YEAR = 2024

_FILES = (
    "programme.yaml",
    "units.yaml",
    "areas.yaml",
    "pillars.yaml",
    "goals.yaml",
    "indicators.yaml",
    "share_groups.yaml",
    "sources.yaml",
)
# The shared national part: a folder inside the registry, replaced whole on an update.
NATIONAL_DIR = "national"
# Files a programme shares with the national part, and the list each holds.
NATIONAL_FILES = {
    "units.yaml": "units",
    "pillars.yaml": "pillars",
    "share_groups.yaml": "share_groups",
    "indicators.yaml": "indicators",
}
# The national part's own file that is no registry list: the NPLV focus areas, read by
# tellen.nplv (ProgrammeFolder.nplv_file), not by the registry.
NPLV_FILE = "nplv.yaml"


@dataclass(frozen=True)
class Registry:
    """The validated programme registry.

    All tables are tidy DataFrames so notebooks can show or join them.

    Attributes
    ----------
    units : DataFrame
        ``id, label, min, max, kind``.
    areas : DataFrame
        ``id, label, kind`` in display order (neighbourhoods, aggregate, reference).
    pillars : DataFrame
        ``id, label, order, scope`` (``national`` or ``local``).
    strategic_goals, operational_goals : DataFrame
        Bijlage 1. Operational goals carry their target and indicator lists.
    indicators : DataFrame
        ``id, label, plain_label, pillar, unit, unit_label, higher_is_better, source,
        core, share_group, goals, scope`` (``goals`` is derived from ``goals.yaml``;
        ``scope`` is ``national`` for an indicator of ``national/indicators.yaml``;
        ``plain_label``, what it measures in plain Dutch for residents, or None).
    share_groups : DataFrame
        ``id, label, exhaustive, tolerance``.
    source_priority : tuple of str
        Sources in order of preference for the same figure.
    reference : str
        The comparison area for parity targets (``dordrecht``).
    aggregate_id : str
        The weighted aggregate area (``dordt-west``).
    aggregate_weights : dict
        Member area -> weight.
    programme_name, programme_short_name : str
        The programme the evaluation follows (``programme.yaml``), as the
        report, figures and messages name it.
    start_year : int
        The first year of the programme's work (``programme.yaml``,
        default :data:`DEFAULT_START_YEAR`): values from this year on are
        "after the start" for the break reading (:mod:`npdw_learning.tellen.breaks`).
    """

    units: pd.DataFrame
    areas: pd.DataFrame
    pillars: pd.DataFrame
    strategic_goals: pd.DataFrame
    operational_goals: pd.DataFrame
    indicators: pd.DataFrame
    share_groups: pd.DataFrame
    source_priority: tuple[str, ...]
    reference: str
    aggregate_id: str
    aggregate_weights: Mapping[str, float]
    aggregate_weight_source: str = ""
    directory: Path = field(default_factory=Path)  # the folder it was read from
    programme_name: str = ""
    programme_short_name: str = ""
    start_year: int = DEFAULT_START_YEAR

    # -- lookups used across the package ---------------------------------
    @property
    def indicator_ids(self) -> set[str]:
        return set(self.indicators["id"])

    @property
    def area_ids(self) -> set[str]:
        return set(self.areas["id"])

    @property
    def higher_is_better(self) -> dict[str, bool]:
        return dict(zip(self.indicators["id"], self.indicators["higher_is_better"], strict=True))

    def unit_of(self) -> dict[str, str]:
        """Indicator id -> unit id."""
        return dict(zip(self.indicators["id"], self.indicators["unit"], strict=True))

    def area_labels(self) -> dict[str, str]:
        return dict(zip(self.areas["id"], self.areas["label"], strict=True))

    @property
    def reference_label(self) -> str:
        """The reference area's label (the level parity targets aim at)."""
        return self.area_labels()[self.reference]

    @property
    def aggregate_label(self) -> str:
        return self.area_labels()[self.aggregate_id]

    def targets(self) -> pd.DataFrame:
        """One target per measuring indicator.

        Returns
        -------
        DataFrame
            ``indicator, goal, target_type, target_value, base_year, target_year``
            for every indicator listed under ``indicators`` of an operational
            goal (context indicators carry no target).
        """
        rows = []
        for goal in self.operational_goals.itertuples():
            for ind in goal.indicators:
                rows.append(
                    {
                        "indicator": ind,
                        "goal": goal.id,
                        "target_type": goal.target_type,
                        "target_value": goal.target_value,
                        "base_year": goal.base_year,
                        "target_year": goal.target_year,
                    }
                )
        cols = ["indicator", "goal", "target_type", "target_value", "base_year", "target_year"]
        return pd.DataFrame(rows, columns=cols)

    def indicator_table(self) -> pd.DataFrame:
        """The registry as printed by ``npdw indicators``."""
        df = self.indicators.copy()
        df["goals"] = df["goals"].map(lambda g: ";".join(g))
        cols = ["id", "label", "pillar", "unit", "higher_is_better", "source", "core", "goals"]
        return df[[*cols, "scope"]]


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def load_registry(directory: str | Path) -> Registry:
    """Load and validate the ``*.yaml`` files of a registry folder.

    Parameters
    ----------
    directory : path
        The registry folder (:attr:`ProgrammeFolder.registry_dir
        <npdw_learning.kern.programme.ProgrammeFolder>`; a programme's
        registry is best read through ``folder.registry``).

    Returns
    -------
    Registry

    Raises
    ------
    RegistryError
        With every problem found, each naming file, line, entry and field.

    Examples
    --------
    >>> from npdw_learning.kern.programme import ProgrammeFolder
    >>> reg = load_registry(ProgrammeFolder.bundled().registry_dir)
    >>> "dordrecht" in reg.area_ids
    True
    """
    directory = Path(directory)
    findings: list[Finding] = []
    files = _read_registry_files(directory, findings)
    if findings:
        raise RegistryError(f"Het register in {directory} kan niet gelezen worden.", findings)
    checked = _check_files(files)
    if findings:
        raise RegistryError(
            f"Het register in {directory} bevat {len(findings)} fout(en).", findings
        )
    return _build_registry(checked, directory)


@dataclass(frozen=True)
class _Checked:
    """The entries of every registry file, checked, as rows for the tables."""

    names: dict[str, Any]  # name, short_name, start_year
    units: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    reference: Any
    aggregate: dict[str, Any]  # id, weights, weight_source
    pillars: list[dict[str, Any]]
    share_groups: list[dict[str, Any]]
    priority: list[str]
    indicators: list[dict[str, Any]]
    strategic: list[dict[str, Any]]
    operational: list[dict[str, Any]]


_File = tuple[YamlChecker, dict[str, Any]]
# How a message names one entry of each list.
_NOUN = {
    "units": "eenheid",
    "areas": "gebied",
    "pillars": "pijler",
    "share_groups": "aandelengroep",
    "indicators": "indicator",
    "strategic_goals": "strategisch doel",
    "operational_goals": "operationeel doel",
}
# One part of a registry file: its checker, its data and its scope (national or local).
_Part = tuple[YamlChecker, dict[str, Any], str]


def _read_registry_files(directory: Path, findings: list[Finding]) -> dict[str, list[_Part]]:
    """Every registry file; a shared one (:data:`NATIONAL_FILES`) as its national and local part."""
    national = directory / NATIONAL_DIR
    _check_national_folder(national, findings)
    files: dict[str, list[_Part]] = {}
    for name in _FILES:
        if name not in NATIONAL_FILES:
            chk, data = YamlChecker.read(directory / name, findings)
            files[name] = [(chk, data or {}, "local")]
            continue
        where = ((national / name, "national"), (directory / name, "local"))
        parts = [(path, scope) for path, scope in where if path.exists()]
        if not parts:
            message = f"bestand ontbreekt (en ook {NATIONAL_DIR}/{name}, het landelijke deel)"
            findings.append(Finding("error", display_name(directory / name), message))
        files[name] = []
        for path, scope in parts:
            chk, data = YamlChecker.read(path, findings)
            files[name].append((chk, data or {}, scope))
    return files


def _check_national_folder(national: Path, findings: list[Finding]) -> None:
    """Only the shared files belong in ``national/``: anything else is an error."""
    if not national.is_dir():
        return
    for path in sorted(national.glob("*.yaml")):
        if path.name not in NATIONAL_FILES and path.name != NPLV_FILE:
            message = (
                f"hoort niet in het landelijke deel; daar staan alleen "
                f"{', '.join([*NATIONAL_FILES, NPLV_FILE])} (zet het bestand een map hoger)"
            )
            findings.append(Finding("error", display_name(path), message))


def _check_shared(parts: list[_Part], key: str, check, **kwargs: Any) -> list[dict[str, Any]]:
    """The national entries, then the local ones, each part checked in its own file.

    A local entry that redefines a national id, or a core indicator outside the
    national part, is an error at its own line (the registry then does not load;
    the entry is kept, so it causes no follow-on errors); every row gets its ``scope``.
    """
    present = [part for part in parts if key in part[1]] or parts[:1]
    rows: list[dict[str, Any]] = []
    national_ids: set[str] = set()
    national_file = f"{NATIONAL_DIR}/{key}.yaml"
    for chk, data, scope in present:
        _report_out_of_scope(chk, data, key, scope, national_ids, national_file)
        part = check(chk, data, **kwargs)
        for row in part:
            row["scope"] = scope
        if scope == "national":
            national_ids |= {row["id"] for row in part}
            national_file = chk.file
        rows += part
    return rows


def _report_out_of_scope(
    chk: YamlChecker,
    data: Mapping[str, Any],
    key: str,
    scope: str,
    national_ids: set[str],
    national_file: str,
) -> None:
    """Each entry of this part that does not belong in it, reported at its line."""
    items = data.get(key)
    for i, item in enumerate(items if isinstance(items, list) else []):
        ident = item.get("id") if isinstance(item, dict) else None
        problem = _scope_problem(key, scope, item, ident, national_ids, national_file)
        if problem:
            column, message = problem
            chk.error((key, i, column), f"{_NOUN[key]} {literal(ident)}", column, message)


def _scope_problem(
    key: str, scope: str, item: Any, ident: Any, national_ids: set[str], national_file: str
) -> tuple[str, str] | None:
    """Why an entry does not belong where it is (column, message), or None."""
    if scope == "local" and isinstance(ident, str) and ident in national_ids:
        return (
            "id",
            f"dit id is landelijk vastgelegd in {national_file}; een eigen bestand mag een "
            "landelijk id niet opnieuw vastleggen (kies een eigen id, of haal de regel weg als "
            "u de landelijke bedoelt)",
        )
    core = item.get("core") if isinstance(item, dict) and key == "indicators" else None
    if scope == "local" and core is True:
        return (
            "core",
            f"core: true is een Kernindicator Rijk; die staan alleen in {national_file} "
            "(het landelijke deel); een eigen indicator heeft core: false",
        )
    if scope == "national" and core is False:
        return "core", "in het landelijke deel staan alleen Kernindicatoren Rijk (core: true)"
    return None


def _local(files: Mapping[str, list[_Part]], name: str) -> _File:
    """The checker and data of a file that has no national part."""
    chk, data, _scope = files[name][0]
    return chk, data


def _check_files(files: Mapping[str, list[_Part]]) -> _Checked:
    """Check each file, then the ids one file uses from another; findings go to the checkers."""
    names = _check_programme(*_local(files, "programme.yaml"))
    units = _check_shared(files["units.yaml"], "units", _check_units)
    areas, reference, aggregate = _check_areas(*_local(files, "areas.yaml"))
    pillars = _check_shared(files["pillars.yaml"], "pillars", _check_pillars)
    share_groups = _check_shared(files["share_groups.yaml"], "share_groups", _check_share_groups)
    priority = _check_sources(*_local(files, "sources.yaml"))
    pillar_ids = {p["id"] for p in pillars}
    indicators = _check_shared(
        files["indicators.yaml"],
        "indicators",
        _check_indicators,
        pillar_ids=pillar_ids,
        unit_ids={u["id"] for u in units},
        group_ids={g["id"] for g in share_groups},
    )
    chk, goals = _local(files, "goals.yaml")
    strategic = _check_strategic_goals(chk, goals, pillar_ids)
    operational, goals_of = _check_operational_goals(
        chk, goals, strategic, {i["id"] for i in indicators}
    )
    for ind in indicators:
        ind["goals"] = goals_of.get(ind["id"], [])
    return _Checked(
        names,
        units,
        areas,
        reference,
        aggregate,
        pillars,
        share_groups,
        priority,
        indicators,
        strategic,
        operational,
    )


def _check_programme(chk: YamlChecker, data: dict[str, Any]) -> dict[str, Any]:
    """``name``, ``short_name`` (empty when wrong, with an error) and ``start_year``."""
    names: dict[str, Any] = {
        key: chk.text(data, (), "", key) or "" for key in ("name", "short_name")
    }
    start_year = data.get("start_year", DEFAULT_START_YEAR)
    if isinstance(start_year, bool) or not isinstance(start_year, int) or start_year < 1900:
        message = f"'start_year' is {literal(start_year)}: geen jaartal (zoals 2024)"
        chk.error(("start_year",), "", "start_year", message)
        start_year = DEFAULT_START_YEAR
    names["start_year"] = start_year
    return names


def _check_units(chk: YamlChecker, data: dict[str, Any]) -> list[dict[str, Any]]:
    """``id, label, min, max, kind`` per unit; min and max are numbers or left out."""
    units = []
    for path, where, u in chk.entries(data, "units", "eenheid"):
        label = chk.require(u, path, where, "label", str)
        kind = chk.one_of(u, path, where, "kind", UNIT_KINDS)
        lo, hi = u.get("min"), u.get("max")
        for name, v in (("min", lo), ("max", hi)):
            if v is not None and _number(v) is None:
                message = f"'{name}' moet een getal zijn of weggelaten worden"
                chk.error((*path, name), where, name, message)
        if _number(lo) is not None and _number(hi) is not None and float(lo) >= float(hi):
            chk.error((*path, "max"), where, "max", "max moet groter zijn dan min")
        units.append(
            {"id": u["id"], "label": label, "min": _number(lo), "max": _number(hi), "kind": kind}
        )
    return units


def _check_areas(
    chk: YamlChecker, data: dict[str, Any]
) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:
    """The areas (``id, label, kind``), the reference area and the weighted aggregate."""
    areas = []
    for path, where, a in chk.entries(data, "areas", "gebied"):
        areas.append(
            {
                "id": a["id"],
                "label": chk.require(a, path, where, "label", str),
                "kind": chk.one_of(a, path, where, "kind", AREA_KINDS),
            }
        )
    area_ids = {a["id"] for a in areas}
    reference = data.get("reference")
    if reference not in area_ids:
        message = f"referentiegebied {literal(reference)} staat niet in areas"
        chk.error(("reference",), "reference", "reference", message)
    aggregate = data.get("aggregate") or {}
    if not isinstance(aggregate, dict):
        message = "verwacht velden id, members en weights"
        chk.error(("aggregate",), "aggregate", "aggregate", message)
        aggregate = {}
    return areas, reference, _check_aggregate(chk, aggregate, area_ids)


def _check_aggregate(
    chk: YamlChecker, agg: Mapping[str, Any], area_ids: set[str]
) -> dict[str, Any]:
    """The aggregate's ``id``, ``weights`` (member -> positive weight) and ``weight_source``."""
    agg_id = agg.get("id")
    if agg_id not in area_ids:
        chk.error(
            ("aggregate", "id"),
            "aggregate",
            "id",
            f"aggregaat {literal(agg_id)} staat niet in areas",
        )
    members = agg.get("members") or []
    if not isinstance(members, list):
        chk.error(("aggregate", "members"), "aggregate.members", "members", "verwacht een lijst")
        members = []
    raw_weights = agg.get("weights") or {}
    if not isinstance(raw_weights, dict):
        message = "verwacht per lid een gewicht (lid: gewicht)"
        chk.error(("aggregate", "weights"), "aggregate.weights", "weights", message)
        raw_weights = {}
    weights: dict[str, float] = {}
    for i, m in enumerate(members):
        if m not in area_ids:
            path = ("aggregate", "members", i)
            chk.error(path, "aggregate.members", "members", f"onbekend gebied {literal(m)}")
        w = _number(raw_weights.get(m))
        if w is None or w <= 0:
            message = f"gewicht voor {literal(m)} ontbreekt of is niet positief"
            chk.error(("aggregate", "weights", m), "aggregate.weights", m, message)
        else:
            weights[m] = w
    for m in raw_weights:
        if m not in members:
            message = f"gewicht voor {literal(m)}, dat geen lid is"
            chk.error(("aggregate", "weights", m), "aggregate.weights", m, message)
    if not members:
        path = ("aggregate", "members")
        chk.error(path, "aggregate.members", "members", "het aggregaat heeft geen leden")
    return {"id": agg_id, "weights": weights, "weight_source": str(agg.get("weight_source", ""))}


def _check_pillars(chk: YamlChecker, data: dict[str, Any]) -> list[dict[str, Any]]:
    """``id, label, order`` per pillar."""
    return [
        {
            "id": p["id"],
            "label": chk.require(p, path, where, "label", str),
            "order": chk.require(p, path, where, "order", int),
        }
        for path, where, p in chk.entries(data, "pillars", "pijler")
    ]


def _check_share_groups(chk: YamlChecker, data: dict[str, Any]) -> list[dict[str, Any]]:
    """``id, label, exhaustive, tolerance`` per group of shares (tolerance 0.5 if left out)."""
    share_groups = []
    for path, where, g in chk.entries(data, "share_groups", "aandelengroep"):
        tol = _number(g.get("tolerance", 0.5))
        if tol is None or tol < 0:
            message = "tolerantie moet een getal >= 0 zijn"
            chk.error((*path, "tolerance"), where, "tolerance", message)
        share_groups.append(
            {
                "id": g["id"],
                "label": chk.require(g, path, where, "label", str),
                "exhaustive": chk.require(g, path, where, "exhaustive", bool),
                "tolerance": tol,
            }
        )
    return share_groups


def _check_sources(chk: YamlChecker, data: dict[str, Any]) -> list[str]:
    """The sources in order of preference (``priority``)."""
    priority = data.get("priority")
    if not isinstance(priority, list) or not all(isinstance(s, str) for s in priority):
        chk.error(("priority",), "priority", "priority", "verwacht een lijst van bron-id's")
        return []
    return priority


def _check_indicators(
    chk: YamlChecker,
    data: dict[str, Any],
    *,
    pillar_ids: set[str],
    unit_ids: set[str],
    group_ids: set[str],
) -> list[dict[str, Any]]:
    """One row per indicator; its pillar, unit and share group must exist."""
    indicators = []
    for path, where, ind in chk.entries(data, "indicators", "indicator"):
        pillar = ind.get("pillar")
        if pillar not in pillar_ids:
            message = f"onbekende pijler {literal(pillar)}; bekend: {sorted(pillar_ids)}"
            chk.error((*path, "pillar"), where, "pillar", message)
        unit = ind.get("unit")
        if unit not in unit_ids:
            message = f"onbekende eenheid {literal(unit)}; bekend: {sorted(unit_ids)}"
            chk.error((*path, "unit"), where, "unit", message)
        group = ind.get("share_group")
        if group is not None and group not in group_ids:
            message = f"onbekende share_group {literal(group)}"
            chk.error((*path, "share_group"), where, "share_group", message)
        plain = ind.get("plain_label")
        if plain is not None and (not isinstance(plain, str) or not plain.strip()):
            message = "veld 'plain_label' is geen tekst (laat het weg, of schrijf een tekst)"
            chk.error((*path, "plain_label"), where, "plain_label", message)
            plain = None
        indicators.append(
            {
                "id": ind["id"],
                "label": chk.require(ind, path, where, "label", str),
                "plain_label": " ".join(plain.split()) if plain else None,
                "pillar": pillar,
                "unit": unit,
                "higher_is_better": chk.require(ind, path, where, "higher_is_better", bool),
                "source": chk.require(ind, path, where, "source", str),
                "core": chk.require(ind, path, where, "core", bool),
                "share_group": group,
                "direction_note": ind.get("direction_note"),
            }
        )
    return indicators


def _check_strategic_goals(
    chk: YamlChecker, data: dict[str, Any], pillar_ids: set[str]
) -> list[dict[str, Any]]:
    """``id, pillar, label`` per strategic goal."""
    strategic = []
    for path, where, s in chk.entries(data, "strategic_goals", "strategisch doel"):
        if s.get("pillar") not in pillar_ids:
            message = f"onbekende pijler {literal(s.get('pillar'))}"
            chk.error((*path, "pillar"), where, "pillar", message)
        label = chk.require(s, path, where, "label", str)
        strategic.append({"id": s["id"], "pillar": s.get("pillar"), "label": label})
    return strategic


def _check_operational_goals(
    chk: YamlChecker,
    data: dict[str, Any],
    strategic: list[dict[str, Any]],
    indicator_ids: set[str],
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The operational goals with target and indicators; and the goals of each indicator.

    An indicator measures at most one goal; as a context indicator it may serve several.
    """
    pillar_of = {s["id"]: s["pillar"] for s in strategic}
    operational = []
    measured_by: dict[str, str] = {}
    goals_of: dict[str, list[str]] = {i: [] for i in indicator_ids}
    for path, where, g in chk.entries(data, "operational_goals", "operationeel doel"):
        sg = g.get("strategic_goal")
        if sg not in pillar_of:
            message = f"onbekend strategisch doel {literal(sg)}"
            chk.error((*path, "strategic_goal"), where, "strategic_goal", message)
        target = _check_target(chk, path, where, g.get("target"))
        lists = _check_goal_indicators(chk, path, where, g, indicator_ids)
        for key in ("indicators", "context_indicators"):
            for ind in lists[key]:
                goals_of[ind].append(g["id"])
        for ind in lists["indicators"]:
            if ind in measured_by:
                message = (
                    f"indicator {literal(ind)} meet al doel {measured_by[ind]!r}; een indicator "
                    "meet hoogstens één doel (zet hem elders onder context_indicators)"
                )
                chk.error((*path, "indicators"), where, "indicators", message)
            measured_by[ind] = g["id"]
        operational.append(
            {
                "id": g["id"],
                "strategic_goal": sg,
                "pillar": pillar_of.get(sg),
                "label": chk.require(g, path, where, "label", str),
                **target,
                **lists,
            }
        )
    return operational, goals_of


def _check_target(chk: YamlChecker, path: tuple, where: str, target: Any) -> dict[str, Any]:
    """``target_type, target_value, base_year, target_year`` of a goal's ``target``."""
    here = (*path, "target")
    if not isinstance(target, dict):
        chk.error(here, where, "target", "target ontbreekt")
        target = {}
    ttype = chk.one_of(target, here, where, "type", TARGET_TYPES)
    tval = _number(target.get("value"))
    base_year = target.get("base_year")
    target_year = target.get("target_year")
    if ttype in ("parity", "relative", "absolute") and tval is None:
        message = f"een {ttype}-doel heeft een getal als value nodig"
        chk.error((*here, "value"), where, "target.value", message)
    if ttype == "relative":
        if not isinstance(base_year, int):
            message = "een relatief doel heeft een basisjaar nodig"
            chk.error((*here, "base_year"), where, "target.base_year", message)
        if tval is not None and tval <= -1:
            message = "een relatieve daling kan niet 100% of meer zijn"
            chk.error((*here, "value"), where, "target.value", message)
    if ttype != "none" and not isinstance(target_year, int):
        chk.error((*here, "target_year"), where, "target.target_year", "doeljaar ontbreekt")
    return {
        "target_type": ttype,
        "target_value": tval,
        "base_year": base_year if isinstance(base_year, int) else None,
        "target_year": target_year if isinstance(target_year, int) else None,
    }


def _check_goal_indicators(
    chk: YamlChecker, path: tuple, where: str, goal: Mapping[str, Any], indicator_ids: set[str]
) -> dict[str, list[str]]:
    """The goal's ``indicators`` and ``context_indicators`` that exist in the registry."""
    lists = {}
    for key in ("indicators", "context_indicators"):
        ids = goal.get(key) or []
        if not isinstance(ids, list):
            chk.error((*path, key), where, key, "verwacht een lijst van indicator-id's")
            ids = []
        for i, ind in enumerate(ids):
            if ind not in indicator_ids:
                message = f"verwijst naar onbekende indicator {literal(ind)}"
                chk.error((*path, key, i), where, key, message)
        lists[key] = [i for i in ids if i in indicator_ids]
    return lists


def _build_registry(checked: _Checked, directory: Path) -> Registry:
    """The tables of a registry without errors."""
    units = pd.DataFrame(checked.units)
    unit_label = dict(zip(units["id"], units["label"], strict=True))
    indicators = pd.DataFrame(checked.indicators)
    indicators["unit_label"] = indicators["unit"].map(unit_label)
    pillars = pd.DataFrame(checked.pillars).sort_values("order").reset_index(drop=True)
    # National and local indicators of one pillar together, in pillar order.
    order = dict(zip(pillars["id"], pillars["order"], strict=True))
    indicators = indicators.sort_values("pillar", key=lambda s: s.map(order), kind="stable")
    kind_order = {"neighbourhood": 0, "aggregate": 1, "reference": 2}
    areas = pd.DataFrame(checked.areas)
    areas = areas.sort_values("kind", key=lambda s: s.map(kind_order), kind="stable")
    return Registry(
        units=units,
        areas=areas.reset_index(drop=True),
        pillars=pillars,
        strategic_goals=pd.DataFrame(checked.strategic),
        operational_goals=pd.DataFrame(checked.operational),
        indicators=indicators.reset_index(drop=True),
        share_groups=pd.DataFrame(checked.share_groups),
        source_priority=tuple(checked.priority),
        reference=checked.reference,
        aggregate_id=checked.aggregate["id"],
        aggregate_weights=checked.aggregate["weights"],
        aggregate_weight_source=checked.aggregate["weight_source"],
        directory=directory,
        programme_name=checked.names["name"],
        programme_short_name=checked.names["short_name"],
        start_year=checked.names["start_year"],
    )
