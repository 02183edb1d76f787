"""Tellen in one call: trends and progress for every indicator x area.

The CLI and the notebooks both go through :func:`run_tellen`, so the numbers
in the report are the numbers in ``trends.csv``, and both write what it found
with :func:`write_tellen_outputs`, so ``npdw trends`` and ``npdw evaluate``
give the same tables and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..kern.atomic import write_csv
from ..kern.registry import Registry
from .figures import FIGURE_DPI, save_pillar_figures
from .measurements import LoadResult
from .progress import progress_table
from .trends import se_from_n, trend_table

__all__ = [
    "TellenOutputs",
    "TellenResult",
    "run_tellen",
    "with_sampling_error",
    "write_tellen_outputs",
]


@dataclass(frozen=True)
class TellenResult:
    """The tables of one tellen run.

    Attributes
    ----------
    measurements : DataFrame
        The analysed measurements, ``se`` filled from ``n`` where possible.
    trends : DataFrame
        ``trends.csv``.
    progress : DataFrame
        ``progress.csv``.
    synthetic : bool
        Whether synthetic demo figures were used.
    """

    measurements: pd.DataFrame
    trends: pd.DataFrame
    progress: pd.DataFrame
    synthetic: bool


def with_sampling_error(measurements: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Fill a missing ``se`` from ``n`` for percentages (binomial standard error)."""
    m = measurements.copy()
    unit = m["indicator"].map(registry.unit_of())
    derived = se_from_n(m["value"].to_numpy(float), m["n"].to_numpy(float), unit.to_numpy())
    m["se"] = np.where(m["se"].notna(), m["se"], derived).astype(float)
    return m


def run_tellen(registry: Registry, loaded: LoadResult) -> TellenResult:
    """Trend and progress tables for the measurements of one run.

    Parameters
    ----------
    registry : Registry
    loaded : LoadResult
        From :func:`~npdw_learning.tellen.measurements.load_measurements`; must hold
        no errors.

    Examples
    --------
    >>> from npdw_learning import load_registry, load_measurements
    >>> reg = load_registry()
    >>> result = run_tellen(reg, load_measurements(reg, demo=True))
    >>> sorted(result.trends["verdict"].unique())[:1]
    ['improving']
    """
    m = with_sampling_error(loaded.measurements, registry)
    hib = registry.higher_is_better
    trends = trend_table(m, hib)
    progress = progress_table(m, registry.targets(), hib, reference=registry.reference)
    return TellenResult(m, trends, progress, loaded.synthetic)


@dataclass(frozen=True)
class TellenOutputs:
    """What :func:`write_tellen_outputs` wrote.

    Attributes
    ----------
    tables : dict
        ``"trends"``, ``"progress"``, ``"data_quality"`` -> the CSV file.
    figures : dict
        Pillar id -> its PNG file, in the registry's pillar order.
    findings : DataFrame
        The data-quality findings as written to ``data_quality.csv``.
    """

    tables: dict[str, Path]
    figures: dict[str, Path]
    findings: pd.DataFrame


def write_tellen_outputs(
    registry: Registry,
    loaded: LoadResult,
    result: TellenResult,
    *,
    tables_dir: str | Path,
    figures_dir: str | Path,
    areas: Sequence[str] | None = None,
) -> TellenOutputs:
    """Write ``trends.csv``, ``progress.csv``, ``data_quality.csv`` and one figure per pillar.

    Each file is written atomically. The figures draw the chosen
    neighbourhoods, the aggregate and the reference, at :data:`FIGURE_DPI`.

    Parameters
    ----------
    registry : Registry
    loaded : LoadResult
        The measurements as loaded; its findings become ``data_quality.csv``.
    result : TellenResult
        From :func:`run_tellen` on ``loaded``.
    tables_dir, figures_dir : path
        Folders for the CSV files and the PNG files (``tellen_<pillar>.png``).
    areas : sequence of str, optional
        The neighbourhoods to draw; default every neighbourhood of the registry.

    Examples
    --------
    >>> import tempfile
    >>> from npdw_learning import load_registry, load_measurements
    >>> reg = load_registry()
    >>> loaded = load_measurements(reg)
    >>> out = Path(tempfile.mkdtemp())
    >>> written = write_tellen_outputs(reg, loaded, run_tellen(reg, loaded),
    ...                                tables_dir=out, figures_dir=out / "figures")
    >>> sorted(p.name for p in written.tables.values())
    ['data_quality.csv', 'progress.csv', 'trends.csv']
    """
    tables_dir, figures_dir = Path(tables_dir), Path(figures_dir)
    findings = loaded.findings_frame()
    tables = {
        name: write_csv(frame, tables_dir / f"{name}.csv")
        for name, frame in (
            ("trends", result.trends),
            ("progress", result.progress),
            ("data_quality", findings),
        )
    }
    if areas is None:
        areas = registry.areas.loc[registry.areas["kind"] == "neighbourhood", "id"].tolist()
    paths = save_pillar_figures(
        result.measurements,
        registry.indicators,
        result.progress,
        registry.pillars,
        figures_dir,
        area_labels=registry.area_labels(),
        reference=registry.reference,
        aggregate=registry.aggregate_id,
        areas=[*areas, registry.aggregate_id],
        synthetic=result.synthetic,
        dpi=FIGURE_DPI,
    )
    figures = {p.stem.removeprefix("tellen_"): p for p in paths}
    return TellenOutputs(tables, figures, findings)
