"""The NPLV focus areas: the other programme areas, kept out of every comparison pool.

The Nationaal Programma Leefbaarheid en Veiligheid (2022) names 20 urban
focus areas in 19 municipalities; Dordrecht West is one. They get a
programme too, so a comparison with them says nothing about the programme's
effect: :func:`.national.comparison_pool` leaves them out
(:attr:`NplvList.codes`). :func:`nplv_ranking` ranks the programme among
them instead, per indicator.

The list is the national part's ``nplv.yaml``
(:attr:`~npdw_learning.kern.programme.ProgrammeFolder.nplv_file`)::

    sources:
      - "..."                       # where the list and the codes come from
    areas:
      - id: dordrecht-west
        label: Dordrecht West
        municipality: Dordrecht
        municipality_code: GM0505
        codes: [WK050503, WK050504] # CBS codes of its wijken (or buurten)
        verified: false             # codes checked against CBS? (ONGECONTROLEERD)

A code may be shorter than a wijk code (``WK0363T``: every wijk of
Amsterdam whose code starts with it) or a municipality (``GM0505``) where
the wijken are not known yet (:func:`.national.inside`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..kern.errors import InputError
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from ..kern.yamlfile import YamlChecker, literal
from .national import COVARIATES, inside

__all__ = [
    "NplvArea",
    "NplvList",
    "RANKING_COLUMNS",
    "load_nplv",
    "nplv_in",
    "nplv_ranking",
]

# A focus area's code: a municipality, a wijk, a buurt, or the start of a wijk code.
_CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{1,2}|BU\d{4}[0-9A-Z]{4})$")
RANKING_COLUMNS = [
    "indicator",
    "year",
    "area",
    "label",
    "kind",
    "value",
    "rank",
    "n_areas",
    "better_is",
    "verified",
]


@dataclass(frozen=True)
class NplvArea:
    """One focus area: its municipality and the CBS codes of its wijken (or buurten)."""

    id: str
    label: str
    municipality: str
    municipality_code: str
    codes: tuple[str, ...]
    verified: bool


@dataclass(frozen=True)
class NplvList:
    """The focus areas of ``nplv.yaml`` and the sources it names."""

    path: Path
    areas: tuple[NplvArea, ...]
    sources: tuple[str, ...]

    @property
    def codes(self) -> set[str]:
        """Every code of every focus area: what :func:`.national.comparison_pool` leaves out."""
        return {c for a in self.areas for c in a.codes}

    def own(self, municipality_code: str | None) -> str | None:
        """The id of the one focus area in that municipality (None: none, or more than one)."""
        ids = [a.id for a in self.areas if a.municipality_code == municipality_code]
        return ids[0] if len(ids) == 1 else None


def _read_area(chk: YamlChecker, path: tuple, where: str, item: dict) -> NplvArea | None:
    chk.unknown_fields(
        item, path, where, ("id", "label", "municipality", "municipality_code", "codes", "verified")
    )
    label = chk.text(item, path, where, "label")
    municipality = chk.text(item, path, where, "municipality")
    gm = chk.text(item, path, where, "municipality_code")
    if gm is not None and not re.match(r"^GM\d{4}$", gm):
        chk.error((*path, "municipality_code"), where, None, f"{literal(gm)}: verwacht GM0505")
        gm = None
    codes = chk.strings(item, path, where, "codes")
    if not codes:
        chk.error((*path, "codes"), where, "codes", "'codes' ontbreekt of is leeg")
    for j, code in enumerate(codes):
        if not _CODE.match(code):
            chk.error((*path, "codes", j), where, "codes", f"{literal(code)} is geen CBS-code")
        elif gm is not None and code[2:6] != gm[2:]:
            chk.error((*path, "codes", j), where, "codes", f"{code} ligt niet in {gm}")
    verified = chk.require(item, path, where, "verified", bool)
    if None in (label, municipality, gm, verified) or not codes:
        return None
    return NplvArea(item["id"], label, municipality, gm, tuple(codes), verified)


def load_nplv(path: str | Path) -> NplvList:
    """Read and check ``nplv.yaml``.

    Raises
    ------
    InputError
        Every problem, each naming the file, line and field.
    """
    path = Path(path)
    chk, data = YamlChecker.load(path, what="NPLV-lijst")
    chk.unknown_fields(data, (), "", ("sources", "areas"))
    sources = chk.strings(data, (), "", "sources")
    if not sources:
        chk.error(("sources",), "", "sources", "noem de bron(nen) van de lijst in 'sources'")
    areas = [
        _read_area(chk, p, where, item)
        for p, where, item in chk.entries(data, "areas", "focusgebied", empty=False)
    ]
    if chk.errors:
        raise InputError(f"{chk.file}: de NPLV-lijst klopt niet", chk.findings)
    return NplvList(path, tuple(a for a in areas if a is not None), tuple(sources))


def nplv_in(folder: ProgrammeFolder) -> NplvList:
    """The folder's NPLV list (:attr:`ProgrammeFolder.nplv_file`), read once."""
    return folder.loaded(nplv_in, lambda: load_nplv(folder.nplv_file))


# -- ranking ---------------------------------------------------------------------------


def _focus_values(
    national: pd.DataFrame, nplv: NplvList, level: str, kinds: Mapping[str, str], skip: str | None
) -> pd.DataFrame:
    """Each focus area's value per indicator and year: the inwoners-weighted mean of its
    regions at ``level`` (a count: their sum); a region without inwoners that year is left out."""
    rows = national[national["level"] == level]
    people = rows[rows["indicator"] == "inwoners"][["region_code", "year", "value"]]
    people = people.rename(columns={"value": "w"})
    figures = rows[~rows["indicator"].isin(COVARIATES)].merge(people, on=["region_code", "year"])
    out = []
    for area in nplv.areas:
        if area.id == skip:
            continue
        part = figures[inside(figures["region_code"], area.codes)]
        part = part[part["region_code"].str[2:6] == area.municipality_code[2:]]
        if part.empty:
            continue
        count = part["indicator"].map(kinds) == "count"
        part = part.assign(wv=np.where(count, part["value"], part["w"] * part["value"]))
        part = part.assign(ww=np.where(count, 1.0, part["w"]))
        sums = part.groupby(["indicator", "year"])[["wv", "ww"]].sum()
        value = sums["wv"] / sums["ww"].where(sums["ww"] > 0)
        out.append(
            value.rename("value")
            .reset_index()
            .assign(area=area.id, label=area.label, kind="nplv", verified=area.verified)
        )
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def _common_year(focus: pd.DataFrame, own: pd.DataFrame, year: int | None) -> int | None:
    """The latest year (at most ``year``) with the aggregate's value and the most focus areas."""
    years = set(own["year"]) & set(focus["year"])
    years = {y for y in years if year is None or y <= year}
    if not years:
        return None
    counts = focus[focus["year"].isin(years)].groupby("year")["area"].nunique()
    return int(max(counts.index, key=lambda y: (counts[y], y)))


def _rank(block: pd.DataFrame, higher: bool, aggregate_id: str) -> pd.DataFrame:
    """Ranks within one indicator: the focus areas and the aggregate among each other;
    each programme wijk as if it stood in the aggregate's place (rank 1 = best)."""
    field = block[block["kind"] == "nplv"]
    pool = pd.concat([field, block[block["area"] == aggregate_id]])
    sign = -1.0 if higher else 1.0
    ranks = (sign * pool["value"]).rank(method="min").astype(int)
    out = block.copy()
    out.loc[pool.index, "rank"] = ranks
    others = field["value"].to_numpy()
    for i in block.index[(block["kind"] == "programme") & (block["area"] != aggregate_id)]:
        v = block.at[i, "value"]
        out.at[i, "rank"] = 1 + int(np.sum(others > v) if higher else np.sum(others < v))
    out["n_areas"] = len(pool)
    out["better_is"] = "hoger" if higher else "lager"
    return out


def nplv_ranking(
    national: pd.DataFrame,
    nplv: NplvList,
    units: pd.DataFrame,
    year: int | None = None,
    *,
    registry: Registry,
    own: str | None = None,
    municipality_code: str | None = None,
    level: str = "wijk",
) -> pd.DataFrame:
    """Rank the programme (the aggregate and each wijk) among the NPLV focus areas.

    Per indicator, in the latest year (at most ``year``) in which the
    aggregate has a value, choosing among those the year most focus areas
    have: each focus area's value is the **inwoners-weighted mean of its
    wijken** in the national file (a count indicator: their sum). The
    programme's own focus area ``own`` (default: the one focus area in
    ``municipality_code``, :meth:`NplvList.own`) is left out: the programme's
    units stand in for it. ``rank`` 1 is
    the best by ``higher_is_better``; ties share the better rank; ``n_areas``
    counts the focus areas with the aggregate; a programme wijk's rank is the
    place it would take in the aggregate's stead.

    Returns
    -------
    DataFrame
        :data:`RANKING_COLUMNS`: ``kind`` is ``programme`` or ``nplv``;
        ``verified`` whether the focus area's codes were checked (the
        programme's own units: True).
    """
    kinds = registry.indicators.set_index("id")["unit"].map(registry.units.set_index("id")["kind"])
    labels = registry.area_labels()
    own = own or nplv.own(municipality_code)
    focus = _focus_values(national, nplv, level, kinds.to_dict(), own)
    higher = registry.higher_is_better
    out = []
    for indicator, hib in higher.items():
        mine = units[(units["indicator"] == indicator)]
        agg = mine[mine["area"] == registry.aggregate_id]
        theirs = focus[focus["indicator"] == indicator] if not focus.empty else focus
        chosen = _common_year(theirs, agg, year) if not theirs.empty else None
        if chosen is None:
            continue
        block = pd.concat(
            [
                mine[mine["year"] == chosen].assign(
                    label=lambda t: t["area"].map(labels), kind="programme", verified=True
                ),
                theirs[theirs["year"] == chosen],
            ],
            ignore_index=True,
        ).dropna(subset=["value"])
        block = block.assign(indicator=indicator, year=chosen)
        out.append(_rank(block, hib, registry.aggregate_id))
    if not out:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    table = pd.concat(out, ignore_index=True)[RANKING_COLUMNS]
    table = table.astype({"year": "int64", "rank": "int64", "n_areas": "int64"})
    return table.sort_values(["indicator", "rank", "area"], kind="stable").reset_index(drop=True)
