"""The programme registry: areas, pillars, goals, indicators, units (``data/registry/*.yaml``).

The registry is the one place that says what the programme measures and
against which target. It is loaded once per run and validated as a whole:
every problem is collected and raised together as a :class:`RegistryError`
naming the file and entry, so an intern who edits a YAML file sees all of
their mistakes at once.

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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import Finding, RegistryError
from .paths import REGISTRY_DIR

__all__ = [
    "ID_PATTERN",
    "NATIONAL_DIR",
    "NATIONAL_FILES",
    "Registry",
    "load_registry",
    "TARGET_TYPES",
    "AREA_KINDS",
]

TARGET_TYPES = ("parity", "relative", "absolute", "none")
AREA_KINDS = ("neighbourhood", "reference", "aggregate")
UNIT_KINDS = ("rate", "count")
_KIND_NL = {str: "tekst", bool: "true/false", int: "geheel getal"}
# The one pattern for every id a person types: areas, indicators, themes, stories, coders.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

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
# Where each entry of a merged list came from: (file, index in that file, scope). The key
# is an object no YAML file can contain, so a hand-edited file cannot pretend to be merged.
_ORIGINS: Any = object()


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
        ``id, label, pillar, unit, unit_label, higher_is_better, source, core,
        share_group, goals, scope`` (``goals`` is derived from ``goals.yaml``;
        ``scope`` is ``national`` for an indicator of ``national/indicators.yaml``).
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
    directory: Path = field(default=REGISTRY_DIR)
    programme_name: str = ""
    programme_short_name: str = ""

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


def _read_yaml(path: Path, findings: list[Finding]) -> dict[str, Any]:
    name = _display(path)
    if not path.exists():
        findings.append(Finding("error", name, "bestand ontbreekt"))
        return {}
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        findings.append(Finding("error", name, f"geen geldige YAML: {exc}", row=row))
        return {}
    except UnicodeDecodeError:
        findings.append(Finding("error", name, "bestand is niet in UTF-8 opgeslagen"))
        return {}
    if not isinstance(data, dict):
        findings.append(Finding("error", name, "verwacht een YAML-mapping bovenaan het bestand"))
        return {}
    return data


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Checker:
    """Collects findings for one YAML list, naming file and entry."""

    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        self.findings = findings
        # An entry of the national part is reported in its own file.
        self._file_of: dict[str, str] = {}

    def _where(self, file: str, where: str) -> str:
        if file != self.file:
            self._file_of[where] = file
        return where

    def error(self, where: str, column: str | None, message: str) -> None:
        file = self._file_of.get(where, self.file)
        self.findings.append(Finding("error", file, f"{where}: {message}", column=column))

    def entries(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        items = data.get(key)
        if items is None:
            self.error(key, key, f"sleutel '{key}' ontbreekt")
            return []
        if not isinstance(items, list):
            self.error(key, key, "verwacht een lijst")
            return []
        out = []
        seen: set[str] = set()
        origins = data.get(_ORIGINS, {}).get(key) or [(self.file, i, "") for i in range(len(items))]
        for item, (file, i, _scope) in zip(items, origins, strict=True):
            where = self._where(file, f"{key}[{i}]")
            if not isinstance(item, dict):
                self.error(where, None, "verwacht een mapping met velden")
                continue
            ident = item.get("id")
            if not isinstance(ident, str) or not ID_PATTERN.match(ident):
                self.error(
                    where, "id", f"id {ident!r} is geen slug (kleine letters, cijfers, - of _)"
                )
                continue
            where = self._where(file, f"{key}[{i}] (id '{ident}')")
            if ident in seen:
                self.error(where, "id", "id komt twee keer voor")
                continue
            seen.add(ident)
            out.append((where, item))
        return out

    def require(self, where: str, item: dict[str, Any], name: str, kind: type) -> Any:
        value = item.get(name)
        # YAML's true/false are ints to Python; only accept them where a bool is asked for.
        wrong_bool = isinstance(value, bool) and kind is not bool
        if value is None or not isinstance(value, kind) or wrong_bool:
            self.error(where, name, f"veld '{name}' ontbreekt of is geen {_KIND_NL[kind]}")
            return None
        return value

    def one_of(self, where: str, item: dict[str, Any], name: str, allowed) -> Any:
        value = item.get(name)
        if value not in allowed:
            self.error(
                where, name, f"'{name}' is {value!r}; toegestaan: {', '.join(map(str, allowed))}"
            )
            return None
        return value


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def _read_registry_files(directory: Path, findings: list[Finding]) -> dict[str, dict[str, Any]]:
    """Every registry file as a mapping; a shared file is its national and local part merged."""
    national = directory / NATIONAL_DIR
    if national.is_dir():
        for path in sorted(national.glob("*.yaml")):
            if path.name not in NATIONAL_FILES:
                findings.append(
                    Finding(
                        "error",
                        _display(path),
                        "hoort niet in het landelijke deel; daar staan alleen "
                        f"{', '.join(NATIONAL_FILES)} (zet het bestand een map hoger)",
                    )
                )
    raw = {}
    for name in _FILES:
        if name not in NATIONAL_FILES:
            raw[name] = _read_yaml(directory / name, findings)
            continue
        parts = [p for p in (national / name, directory / name) if p.exists()]
        if not parts:
            findings.append(
                Finding(
                    "error",
                    _display(directory / name),
                    f"bestand ontbreekt (en ook {NATIONAL_DIR}/{name}, het landelijke deel)",
                )
            )
            raw[name] = {}
            continue
        read = {p: _read_yaml(p, findings) for p in parts}
        raw[name] = _merge_national(
            NATIONAL_FILES[name],
            read.get(national / name, {}),
            read.get(directory / name, {}),
            (_display(national / name), _display(directory / name)),
            findings,
        )
    return raw


def _merge_national(
    key: str,
    national: dict[str, Any],
    local: dict[str, Any],
    files: tuple[str, str],
    findings: list[Finding],
) -> dict[str, Any]:
    """The national entries of one list, then the local ones that do not redefine them.

    Remembers where each entry came from, so a finding names its own file and
    index, and the registry can tell national from local.
    """
    if key not in national and key not in local:
        return {}  # the checker reports the missing key
    merged: list[Any] = []
    origins: list[tuple[str, int, str]] = []
    national_ids: set[str] = set()
    for scope, data, file in (("national", national, files[0]), ("local", local, files[1])):
        items = data.get(key, [])
        if not isinstance(items, list):
            findings.append(Finding("error", file, f"{key}: verwacht een lijst", column=key))
            continue
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            problem = _scope_problem(key, scope, item, ident, national_ids, files[0])
            if problem:
                where = f"{key}[{i}] (id '{ident}')"
                findings.append(Finding("error", file, f"{where}: {problem[1]}", column=problem[0]))
                continue
            if scope == "national" and isinstance(ident, str):
                national_ids.add(ident)
            merged.append(item)
            origins.append((file, i, scope))
    return {key: merged, _ORIGINS: {key: origins}}


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


def _scopes(data: dict[str, Any], key: str) -> dict[str, str]:
    """Entry id -> ``national`` or ``local``."""
    origins = data.get(_ORIGINS, {}).get(key, [])
    return {
        item["id"]: scope
        for item, (_file, _i, scope) in zip(data.get(key, []), origins, strict=True)
    }


def load_registry(directory: str | Path | None = None) -> Registry:
    """Load and validate ``data/registry/*.yaml``.

    Parameters
    ----------
    directory : path, optional
        The registry folder; defaults to ``data/registry`` of the checkout.

    Returns
    -------
    Registry

    Raises
    ------
    RegistryError
        With every problem found, each naming file, entry and field.

    Examples
    --------
    >>> reg = load_registry()
    >>> "dordrecht" in reg.area_ids
    True
    """
    directory = Path(directory) if directory is not None else REGISTRY_DIR
    findings: list[Finding] = []
    raw = _read_registry_files(directory, findings)
    if findings:
        raise RegistryError(f"Het register in {directory} kan niet gelezen worden.", findings)

    # programme -----------------------------------------------------------
    chk = _Checker(_display(directory / "programme.yaml"), findings)
    programme = raw["programme.yaml"]
    names = {}
    for key in ("name", "short_name"):
        value = programme.get(key)
        if not isinstance(value, str) or not value.strip():
            chk.error(key, key, f"veld '{key}' ontbreekt of is geen tekst")
        names[key] = value.strip() if isinstance(value, str) else ""

    # units -------------------------------------------------------------
    chk = _Checker(_display(directory / "units.yaml"), findings)
    units = []
    for where, u in chk.entries(raw["units.yaml"], "units"):
        label = chk.require(where, u, "label", str)
        kind = chk.one_of(where, u, "kind", UNIT_KINDS)
        lo, hi = u.get("min"), u.get("max")
        for name, v in (("min", lo), ("max", hi)):
            if v is not None and _number(v) is None:
                chk.error(where, name, f"'{name}' moet een getal zijn of weggelaten worden")
        if _number(lo) is not None and _number(hi) is not None and float(lo) >= float(hi):
            chk.error(where, "max", "max moet groter zijn dan min")
        units.append(
            {
                "id": u["id"],
                "label": label,
                "min": _number(lo),
                "max": _number(hi),
                "kind": kind,
            }
        )
    unit_ids = {u["id"] for u in units}

    # areas -------------------------------------------------------------
    a_raw = raw["areas.yaml"]
    chk = _Checker(_display(directory / "areas.yaml"), findings)
    areas = []
    for where, a in chk.entries(a_raw, "areas"):
        areas.append(
            {
                "id": a["id"],
                "label": chk.require(where, a, "label", str),
                "kind": chk.one_of(where, a, "kind", AREA_KINDS),
            }
        )
    area_ids = {a["id"] for a in areas}
    reference = a_raw.get("reference")
    if reference not in area_ids:
        chk.error("reference", "reference", f"referentiegebied {reference!r} staat niet in areas")
    agg = a_raw.get("aggregate") or {}
    agg_id = agg.get("id")
    weights: dict[str, float] = {}
    if agg_id not in area_ids:
        chk.error("aggregate", "id", f"aggregaat {agg_id!r} staat niet in areas")
    members = agg.get("members") or []
    raw_weights = agg.get("weights") or {}
    for m in members:
        if m not in area_ids:
            chk.error("aggregate.members", "members", f"onbekend gebied {m!r}")
        w = _number(raw_weights.get(m))
        if w is None or w <= 0:
            chk.error("aggregate.weights", m, f"gewicht voor {m!r} ontbreekt of is niet positief")
        else:
            weights[m] = w
    for m in raw_weights:
        if m not in members:
            chk.error("aggregate.weights", m, f"gewicht voor {m!r}, dat geen lid is")
    if not members:
        chk.error("aggregate.members", "members", "het aggregaat heeft geen leden")

    # pillars -----------------------------------------------------------
    chk = _Checker(_display(directory / "pillars.yaml"), findings)
    pillars = []
    for where, p in chk.entries(raw["pillars.yaml"], "pillars"):
        pillars.append(
            {
                "id": p["id"],
                "label": chk.require(where, p, "label", str),
                "order": chk.require(where, p, "order", int),
            }
        )
    pillar_ids = {p["id"] for p in pillars}

    # share groups and sources -----------------------------------------------
    chk = _Checker(_display(directory / "share_groups.yaml"), findings)
    share_groups = []
    for where, g in chk.entries(raw["share_groups.yaml"], "share_groups"):
        tol = _number(g.get("tolerance", 0.5))
        if tol is None or tol < 0:
            chk.error(where, "tolerance", "tolerantie moet een getal >= 0 zijn")
        share_groups.append(
            {
                "id": g["id"],
                "label": chk.require(where, g, "label", str),
                "exhaustive": chk.require(where, g, "exhaustive", bool),
                "tolerance": tol,
            }
        )
    group_ids = {g["id"] for g in share_groups}
    chk = _Checker(_display(directory / "sources.yaml"), findings)
    priority = raw["sources.yaml"].get("priority")
    if not isinstance(priority, list) or not all(isinstance(s, str) for s in priority):
        chk.error("priority", "priority", "verwacht een lijst van bron-id's")
        priority = []

    # indicators --------------------------------------------------------
    chk = _Checker(_display(directory / "indicators.yaml"), findings)
    indicators = []
    for where, ind in chk.entries(raw["indicators.yaml"], "indicators"):
        pillar = ind.get("pillar")
        if pillar not in pillar_ids:
            chk.error(where, "pillar", f"onbekende pijler {pillar!r}; bekend: {sorted(pillar_ids)}")
        unit = ind.get("unit")
        if unit not in unit_ids:
            chk.error(where, "unit", f"onbekende eenheid {unit!r}; bekend: {sorted(unit_ids)}")
        group = ind.get("share_group")
        if group is not None and group not in group_ids:
            chk.error(where, "share_group", f"onbekende share_group {group!r}")
        indicators.append(
            {
                "id": ind["id"],
                "label": chk.require(where, ind, "label", str),
                "pillar": pillar,
                "unit": unit,
                "higher_is_better": chk.require(where, ind, "higher_is_better", bool),
                "source": chk.require(where, ind, "source", str),
                "core": chk.require(where, ind, "core", bool),
                "share_group": group,
                "direction_note": ind.get("direction_note"),
            }
        )
    indicator_ids = {i["id"] for i in indicators}

    # goals -------------------------------------------------------------
    g_raw = raw["goals.yaml"]
    chk = _Checker(_display(directory / "goals.yaml"), findings)
    strategic = []
    for where, s in chk.entries(g_raw, "strategic_goals"):
        if s.get("pillar") not in pillar_ids:
            chk.error(where, "pillar", f"onbekende pijler {s.get('pillar')!r}")
        strategic.append(
            {"id": s["id"], "pillar": s.get("pillar"), "label": chk.require(where, s, "label", str)}
        )
    strategic_ids = {s["id"] for s in strategic}
    operational = []
    measured_by: dict[str, str] = {}
    goals_of: dict[str, list[str]] = {i: [] for i in indicator_ids}
    for where, g in chk.entries(g_raw, "operational_goals"):
        sg = g.get("strategic_goal")
        if sg not in strategic_ids:
            chk.error(where, "strategic_goal", f"onbekend strategisch doel {sg!r}")
        target = g.get("target")
        if not isinstance(target, dict):
            chk.error(where, "target", "target ontbreekt")
            target = {}
        ttype = chk.one_of(where, target, "type", TARGET_TYPES)
        tval = _number(target.get("value"))
        base_year = target.get("base_year")
        target_year = target.get("target_year")
        if ttype in ("parity", "relative", "absolute") and tval is None:
            chk.error(where, "target.value", f"een {ttype}-doel heeft een getal als value nodig")
        if ttype == "relative":
            if not isinstance(base_year, int):
                chk.error(where, "target.base_year", "een relatief doel heeft een basisjaar nodig")
            if tval is not None and tval <= -1:
                chk.error(where, "target.value", "een relatieve daling kan niet 100% of meer zijn")
        if ttype != "none" and not isinstance(target_year, int):
            chk.error(where, "target.target_year", "doeljaar ontbreekt")
        lists = {}
        for key in ("indicators", "context_indicators"):
            ids = g.get(key) or []
            if not isinstance(ids, list):
                chk.error(where, key, "verwacht een lijst van indicator-id's")
                ids = []
            for ind in ids:
                if ind not in indicator_ids:
                    chk.error(where, key, f"verwijst naar onbekende indicator {ind!r}")
                    continue
                goals_of[ind].append(g["id"])
            lists[key] = [i for i in ids if i in indicator_ids]
        for ind in lists["indicators"]:
            if ind in measured_by:
                chk.error(
                    where,
                    "indicators",
                    f"indicator {ind!r} meet al doel {measured_by[ind]!r}; een indicator meet "
                    "hoogstens één doel (zet hem elders onder context_indicators)",
                )
            measured_by[ind] = g["id"]
        operational.append(
            {
                "id": g["id"],
                "strategic_goal": sg,
                "pillar": next((s["pillar"] for s in strategic if s["id"] == sg), None),
                "label": chk.require(where, g, "label", str),
                "target_type": ttype,
                "target_value": tval,
                "base_year": base_year if isinstance(base_year, int) else None,
                "target_year": target_year if isinstance(target_year, int) else None,
                "indicators": lists["indicators"],
                "context_indicators": lists["context_indicators"],
            }
        )
    for ind in indicators:
        ind["goals"] = goals_of.get(ind["id"], [])

    if findings:
        raise RegistryError(
            f"Het register in {directory} bevat {len(findings)} fout(en).", findings
        )

    units_df = pd.DataFrame(units)
    unit_label = dict(zip(units_df["id"], units_df["label"], strict=True))
    ind_df = pd.DataFrame(indicators)
    ind_df["unit_label"] = ind_df["unit"].map(unit_label)
    ind_df["scope"] = ind_df["id"].map(_scopes(raw["indicators.yaml"], "indicators"))
    pillar_df = pd.DataFrame(pillars)
    pillar_df["scope"] = pillar_df["id"].map(_scopes(raw["pillars.yaml"], "pillars"))
    pillar_order = dict(zip(pillar_df["id"], pillar_df["order"], strict=True))
    # National and local indicators of one pillar together, in pillar order.
    ind_df = ind_df.sort_values("pillar", key=lambda s: s.map(pillar_order), kind="stable")
    kind_order = {"neighbourhood": 0, "aggregate": 1, "reference": 2}
    areas_df = pd.DataFrame(areas)
    areas_df = areas_df.sort_values("kind", key=lambda s: s.map(kind_order), kind="stable")
    return Registry(
        units=units_df,
        areas=areas_df.reset_index(drop=True),
        pillars=pillar_df.sort_values("order").reset_index(drop=True),
        strategic_goals=pd.DataFrame(strategic),
        operational_goals=pd.DataFrame(operational),
        indicators=ind_df.reset_index(drop=True),
        share_groups=pd.DataFrame(share_groups),
        source_priority=tuple(priority),
        reference=reference,
        aggregate_id=agg_id,
        aggregate_weights=weights,
        aggregate_weight_source=str(agg.get("weight_source", "")),
        directory=directory,
        programme_name=names["name"],
        programme_short_name=names["short_name"],
    )
