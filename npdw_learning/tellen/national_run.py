"""Dordt West against comparable wijken of the whole country, from a national file to tables.

One call, :func:`national_comparison`, serves ``npdw compare`` and ``npdw
evaluate --national``, so both write the same tables:

1. the programme's units (each member wijk and the aggregate) are found in the
   national file by their CBS code or name (:func:`.national.programme_units`),
   so both sides of the comparison share one source and one definition. An
   aggregate's count indicators are left out: a sum of four wijken has no
   comparable region in a pool of single wijken (:func:`_without_summed_counts`);
2. the pool is the rest of the country at the programme's level, without the
   NPLV focus areas and the programme's own municipality
   (:func:`.national.comparison_pool`);
3. :func:`.comparison.compare` estimates and judges, and
   :func:`.nplv.nplv_ranking` ranks the programme among the focus areas.

:func:`write_comparison_tables` writes ``comparison.csv``,
``comparison_members.csv``, ``balance.csv``, ``comparison_paths.csv`` and
``nplv_ranking.csv``. A run on the bundled demo data without a national file
uses :func:`demo_national`: a **synthetic** national panel around the demo
series, its regions named "Synthetische wijk ..." and its record marked
synthetic, so no one mistakes it for the real country.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..kern.atomic import write_csv
from ..kern.errors import InputError
from ..kern.outdir import file_sha256
from ..kern.programme import ProgrammeFolder
from ..kern.registry import Registry
from .cbs import CbsMapping, load_cbs_mapping
from .comparison import (
    BALANCE_COLUMNS,
    COMPARISON_COLUMNS,
    DEFAULT_K,
    MEMBER_COLUMNS,
    METHODS,
    PATH_COLUMNS,
    ComparisonResult,
    compare,
)
from .national import COVARIATES, NATIONAL_COLUMNS, comparison_pool, programme_units
from .nplv import RANKING_COLUMNS, nplv_in, nplv_ranking

__all__ = [
    "COMPARISON_TABLES",
    "RANKING_TABLE",
    "RESULT_TABLES",
    "DEMO_POOL_REGIONS",
    "NationalComparison",
    "demo_national",
    "national_file_for",
    "run_comparison",
    "uses_demo_panel",
    "national_comparison",
    "write_comparison_tables",
]

# The run's tables (tables/<name>.csv) and their columns.
# The run's tables (tables/<name>.csv): each attribute of a ComparisonResult by its file
# name and columns, then the NPLV ranking.
RESULT_TABLES = {
    "comparison": ("comparison", COMPARISON_COLUMNS),
    "members": ("comparison_members", MEMBER_COLUMNS),
    "balance": ("balance", BALANCE_COLUMNS),
    "paths": ("comparison_paths", PATH_COLUMNS),
}
RANKING_TABLE = "nplv_ranking"
COMPARISON_TABLES = {
    **{name: columns for name, columns in RESULT_TABLES.values()},
    RANKING_TABLE: RANKING_COLUMNS,
}
# Regions in the synthetic demo panel: enough for placebo p-values down to 1/1001,
# small enough to keep `make evaluate` quick.
DEMO_POOL_REGIONS = 1000
DEMO_NAME = "Synthetische wijk"
DEMO_FILE = "synthetisch landelijk demopanel (geen echte cijfers)"


@dataclass(frozen=True)
class NationalComparison:
    """The comparison of one run: the engine's tables, the ranking and what was used.

    ``record`` goes into the manifest: the national file (name, SHA-256, or
    synthetic), the level, the pool's size and what was left out, the methods and
    the engine's choices (``ComparisonResult.notes``).
    """

    result: ComparisonResult
    ranking: pd.DataFrame
    record: dict

    @property
    def synthetic(self) -> bool:
        return bool(self.record.get("synthetic"))


def _level(mapping: CbsMapping, registry: Registry) -> str:
    """The level of the programme's neighbourhoods at CBS (``wijk`` or ``buurt``)."""
    members = set(registry.aggregate_weights)
    levels = {a.level.lower() for a in mapping.areas if a.id in members}
    if len(levels) != 1:
        raise InputError(
            f"{mapping.path}: de wijken van {registry.aggregate_id} hebben niet één soort regio "
            f"({', '.join(sorted(levels)) or 'geen'}); de vergelijking kiest haar groep op "
            "één niveau"
        )
    return levels.pop()


def national_comparison(
    folder: ProgrammeFolder,
    national: pd.DataFrame,
    *,
    file: str,
    sha256: str | None,
    methods: Sequence[str] = METHODS,
    until_year: int | None = None,
    k: int = DEFAULT_K,
    say: Callable[[str], None] = print,
) -> NationalComparison:
    """Compare the programme's units with the rest of the country (module docstring).

    Parameters
    ----------
    folder : ProgrammeFolder
        The programme: its registry, ``cbs.yaml`` (how CBS knows its areas) and NPLV list.
    national : DataFrame
        A checked national frame (:func:`.national.read_national`).
    file, sha256 : str
        How the record names the national file (``sha256`` None: synthetic).
    methods : sequence of str
    until_year : int, optional
        The evaluation year: later years are left out.
    k : int
    say : callable
        Prints one Dutch progress line.

    Raises
    ------
    InputError
        The programme's areas are not in the file, or the file has no region of their level.
    """
    registry = folder.registry
    mapping = load_cbs_mapping(folder.cbs_mapping_file, registry)
    if until_year is not None:
        national = national[national["year"] <= until_year]
    units, sums = _without_summed_counts(
        programme_units(national, mapping, registry, file=file), registry
    )
    level = _level(mapping, registry)
    nplv = nplv_in(folder)
    pool = _pool(national, mapping, registry, nplv, level, file)
    regions = pool["region_code"].nunique()
    say(
        f"Vergelijkingsgroep: {regions} {level}en in {file} (zonder de NPLV-gebieden en "
        f"{mapping.municipality})"
    )
    result = compare(
        pool,
        units,
        start_year=registry.start_year,
        higher_is_better=registry.higher_is_better,
        methods=methods,
        k=k,
    )
    ranking = nplv_ranking(
        national,
        nplv,
        units,
        until_year,
        registry=registry,
        municipality_code=mapping.municipality_code,
        level=level,
    )
    record = {
        "file": file,
        "sha256": sha256,
        "synthetic": sha256 is None,
        "level": level,
        "pool_regions": int(regions),
        "left_out": {
            "nplv_areas": len(nplv.areas),
            "municipality": mapping.municipality_code,
            "aggregate_counts": sums,
        },
        "methods": list(methods),
        "engine": result.notes,
    }
    return NationalComparison(result, ranking, record)


def _pool(
    national: pd.DataFrame,
    mapping: CbsMapping,
    registry: Registry,
    nplv,
    level: str,
    file: str,
) -> pd.DataFrame:
    """The comparison pool (:func:`.national.comparison_pool`): the programme's level
    without the NPLV focus areas, the programme's own areas and its municipality."""
    own = {c for c in _codes_of(mapping, registry) if c}
    pool = comparison_pool(
        national,
        level=level,
        exclude_codes=nplv.codes | own,
        municipality_code=mapping.municipality_code,
    )
    if pool.empty:
        raise InputError(
            f"{file}: geen enkele {level} buiten de programmagebieden om mee te vergelijken"
        )
    return pool


def _without_summed_counts(units: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, list]:
    """The units without the aggregate's count indicators, and which those were.

    A count of the aggregate is the sum of its wijken (:func:`.measurements.aggregate`),
    and every region of the pool is one wijk: no region of the pool is comparable with
    it, so it is left out rather than matched with the largest wijken of the country.
    """
    kind = registry.units.set_index("id")["kind"]
    counts = {i for i, unit in registry.unit_of().items() if kind.get(unit) == "count"}
    summed = (units["area"] == registry.aggregate_id) & units["indicator"].isin(counts)
    left = sorted(set(units.loc[summed, "indicator"]))
    return units[~summed].reset_index(drop=True), left


def _codes_of(mapping: CbsMapping, registry: Registry) -> list[str | None]:
    members = set(registry.aggregate_weights) | {registry.aggregate_id}
    return [a.code for a in mapping.areas if a.id in members]


def write_comparison_tables(
    result: ComparisonResult, ranking: pd.DataFrame | None, tables_dir: str | Path
) -> list[Path]:
    """The tables of :data:`COMPARISON_TABLES` in ``tables_dir`` (``nplv_ranking.csv``
    only with a ``ranking``), formula-safe: a region name from outside stays text in a
    spreadsheet. Returns the written paths."""
    folder = Path(tables_dir)
    written = [
        write_csv(getattr(result, attr)[columns], folder / f"{name}.csv")
        for attr, (name, columns) in RESULT_TABLES.items()
    ]
    if ranking is not None:
        written.append(write_csv(ranking[RANKING_COLUMNS], folder / f"{RANKING_TABLE}.csv"))
    return written


# -- the synthetic demo panel ------------------------------------------------------------


def _rescaled(pool_values: np.ndarray, reference: np.ndarray, spread: float) -> np.ndarray:
    """Simulated values (regions x years) moved onto an indicator's own scale: the
    reference path plus each region's deviation from the yearly mean, scaled to ``spread``."""
    centred = pool_values - pool_values.mean(axis=0, keepdims=True)
    sd = float(np.std(centred.mean(axis=1))) or 1.0
    return reference[None, :] + centred * (spread / sd)


def _demo_indicator(
    sim: pd.DataFrame, own: pd.DataFrame, members: Sequence[str], bounds: tuple[float, float]
) -> pd.DataFrame | None:
    """One indicator of the demo pool: the simulated regions on the indicator's scale, around
    the yearly mean of the programme's wijken (a count indicator too: a wijk, not the city)."""
    wijken = own[own["area"].isin(members)]
    ref = wijken.groupby("year")["value"].mean()
    wide = sim.pivot(index="region_code", columns="year", values="value")
    years = [y for y in wide.columns if y in ref.index]
    if len(years) < 2:
        return None
    spread = float(wijken.groupby("area")["value"].mean().std()) if len(wijken) else 0.0
    spread = spread if np.isfinite(spread) and spread > 0 else 0.1 * abs(float(ref.mean())) or 1.0
    values = _rescaled(wide[years].to_numpy(float), ref[years].to_numpy(float), spread)
    values = np.clip(values, *bounds)
    columns = pd.Index(years, name="year")
    out = pd.DataFrame(values, index=wide.index, columns=columns).stack().rename("value")
    return out.reset_index()


def demo_national(
    folder: ProgrammeFolder, measurements: pd.DataFrame, *, seed: int = 2043
) -> pd.DataFrame:
    """A synthetic national panel around the demo series, in the national format.

    The programme's own wijken and Dordrecht carry their demo values (found by
    their names in ``cbs.yaml`` as in a real file); :data:`DEMO_POOL_REGIONS`
    simulated wijken (:func:`.comparison_sim.simulate_panel`: own levels and slopes,
    common year shocks, noise) are moved onto each indicator's scale around the
    programme wijken's yearly mean. Invented throughout: every pool region is called
    "Synthetische wijk ...".
    """
    from .comparison_sim import simulate_panel

    registry = folder.registry
    mapping = load_cbs_mapping(folder.cbs_mapping_file, registry)
    mapped = [i.id for i in mapping.indicators]
    m = measurements[measurements["indicator"].isin(mapped)]
    years = sorted(int(y) for y in m["year"].unique())
    sim = simulate_panel(
        DEMO_POOL_REGIONS,
        years,
        start_year=registry.start_year,
        indicators=mapped,
        units=0,
        seed=seed,
    ).pool
    parts = [sim[sim["indicator"].isin(COVARIATES)]]
    for ind in mapped:
        own = m[m["indicator"] == ind]
        made = _demo_indicator(
            sim[sim["indicator"] == ind],
            own,
            list(registry.aggregate_weights),
            _bounds(registry, ind),
        )
        if made is not None:
            parts.append(made.assign(indicator=ind))
    pool = pd.concat(parts, ignore_index=True)
    names = sim.drop_duplicates("region_code").set_index("region_code")
    pool = pool.assign(
        region_name=pool["region_code"].map(lambda c: f"{DEMO_NAME} {c[2:]}"),
        municipality_code=pool["region_code"].map(names["municipality_code"]),
        level="wijk",
    )
    frame = pd.concat([pool[NATIONAL_COLUMNS], _demo_own(mapping, registry, m)], ignore_index=True)
    return frame.astype({"year": "int64", "value": "float64"})


def _bounds(registry: Registry, indicator: str) -> tuple[float, float]:
    units = registry.units.set_index("id")
    unit = registry.unit_of()[indicator]
    low = units.at[unit, "min"] if "min" in units.columns else np.nan
    high = units.at[unit, "max"] if "max" in units.columns else np.nan
    return (
        float(low) if pd.notna(low) else -np.inf,
        float(high) if pd.notna(high) else np.inf,
    )


def _demo_own(mapping: CbsMapping, registry: Registry, m: pd.DataFrame) -> pd.DataFrame:
    """The programme's wijken and its municipality as rows of the demo panel, by their
    names (or codes) in ``cbs.yaml``; invented residents and urbanity for matching."""
    rows = []
    for number, area in enumerate(mapping.areas, start=1):
        if area.id not in registry.aggregate_weights:
            continue
        own = m[m["area"] == area.id]
        code = area.code or f"WK{(mapping.municipality_code or 'GM0000')[2:]}{90 + number:02d}"
        frame = pd.concat(
            [
                own[["indicator", "year", "value"]],
                pd.DataFrame(
                    {"indicator": "inwoners", "year": sorted(own["year"].unique()), "value": 8000.0}
                ),
                pd.DataFrame(
                    {
                        "indicator": "stedelijkheid",
                        "year": sorted(own["year"].unique()),
                        "value": 2.0,
                    }
                ),
            ],
            ignore_index=True,
        )
        rows.append(
            frame.assign(
                region_code=code,
                region_name=area.name or area.id,
                municipality_code=mapping.municipality_code or "GM0000",
                level=area.level.lower(),
            )
        )
    return pd.concat(rows, ignore_index=True)[NATIONAL_COLUMNS]


# -- which national file a run uses ------------------------------------------------------


def national_file_for(folder: ProgrammeFolder, given: str | Path | None) -> Path | None:
    """The national file of a run: ``given`` (``--national``), else the one ``cbs.yaml``
    names (``national_file:``, relative to the programme folder), else None."""
    if given is not None:
        return Path(given)
    if not folder.cbs_mapping_file.is_file():  # a programme without CBS coupling (yet)
        return None
    mapping = load_cbs_mapping(folder.cbs_mapping_file, folder.registry)
    return folder.root / mapping.national_file if mapping.national_file else None


def uses_demo_panel(folder: ProgrammeFolder, national: Path | None, *, demo: bool) -> bool:
    """Whether a run compares with the synthetic demo panel: it uses the demo series, has
    no national file, and its ``cbs.yaml`` says how CBS knows its wijken."""
    return national is None and demo and folder.cbs_mapping_file.is_file()


def run_comparison(
    folder: ProgrammeFolder,
    national: Path | None,
    *,
    demo: bool,
    measurements: pd.DataFrame,
    until_year: int | None,
    say: Callable[[str], None] = print,
) -> NationalComparison | None:
    """The comparison of an evaluation: with the national file when there is one, else with
    the synthetic demo panel when the run uses the demo series (and the programme has a
    ``cbs.yaml`` naming its wijken at CBS), else None (no comparison)."""
    from .national import read_national

    if national is not None:
        frame, file, sha = read_national(national), Path(national).name, file_sha256(national)
    elif uses_demo_panel(folder, national, demo=demo):
        frame, file, sha = demo_national(folder, measurements), DEMO_FILE, None
    else:
        return None
    return national_comparison(folder, frame, file=file, sha256=sha, until_year=until_year, say=say)
