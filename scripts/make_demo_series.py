"""Make the SYNTHETIC demo series in data/demo/ (run: ``make demo``).

The programme's real figures are a single baseline year (Bijlage 3), which is
too little to show a trend analysis. These series are invented to show how
the evaluation works. They are:

- anchored on the baseline: each series runs through the published figure
  (the preferred source where Bijlage 3 contradicts itself), and leaves out
  the baseline year itself, where the real figure stands;
- yearly 2015-2026, except survey sources, which come every other year
  (Veiligheidsmonitor) or every four years (Gezondheidsmonitor), so the demo
  also shows biennial series and series too short to test;
- a mix of improving, worsening and flat paths, with noise, clipped to the
  unit's range, rounded like the baseline; survey percentages carry ``n``;
  parts of one percentage figure keep the sum they have in the baseline;
- marked ``synthetisch`` in their ``source`` column and in the file name.

Deterministic: a fixed seed, and each series has its own generator seeded
from a stable hash of indicator and area, so adding an indicator does not
change the others.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from npdw_learning.kern.atomic import write_csv
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.tellen.measurements import load_measurements

SEED = 20431
YEARS = range(2015, 2027)
SOURCE = "synthetisch (demo, scripts/make_demo_series.py)"
OUT = ProgrammeFolder.bundled().demo_dir / "demo_series_synthetisch.csv"
SCENARIOS = ("improving", "worsening", "flat")
SURVEY_N = {"neighbourhood": 350, "reference": 3200}


def _years(source: str) -> list[int]:
    s = source.lower()
    if "veiligheidsmonitor" in s:
        return [y for y in YEARS if y % 2 == 1]
    if "gezondheidsmonitor" in s:
        return [2016, 2020, 2024]
    return list(YEARS)


def _decimals(values: pd.Series) -> int:
    text = values.map(lambda v: f"{v:.6g}")
    return int(text.map(lambda t: len(t.split(".")[1]) if "." in t else 0).max())


def make_series(seed: int = SEED) -> pd.DataFrame:
    reg = ProgrammeFolder.bundled().registry
    base = load_measurements(reg, ProgrammeFolder.bundled().root).measurements
    units = reg.units.set_index("id")
    kinds = reg.areas.set_index("id")["kind"]
    measured = [a for a in reg.areas["id"] if kinds[a] != "aggregate"]
    rows = []
    for ind in reg.indicators.itertuples():
        b = base[base["indicator"] == ind.id]
        if b.empty:
            continue
        decimals = max(_decimals(b.loc[b["file"] != "(berekend)", "value"]), 1)
        lo, hi = units.at[ind.unit, "min"], units.at[ind.unit, "max"]
        # neighbourhoods without a baseline of their own start from Dordt West's
        fallback = b[b["area"] == reg.aggregate_id]
        survey_percent = ind.unit == "percent" and "monitor" in ind.source.lower()
        for area in measured:
            anchor = b[b["area"] == area]
            own_anchor = not anchor.empty
            if anchor.empty:
                anchor = fallback
            if anchor.empty:
                continue
            a_year, a_value = int(anchor["year"].iloc[0]), float(anchor["value"].iloc[0])
            key = zlib.crc32(f"{ind.id}|{area}".encode())
            rng = np.random.default_rng([seed, key])
            scenario = SCENARIOS[rng.integers(len(SCENARIOS))]
            # Change and noise relative to the level, except on scales with an
            # offset (Cito 501-550, a 1-10 grade), where the level says nothing.
            if not np.isnan(lo) and not np.isnan(hi) and lo > 0:
                scale = (hi - lo) * 0.25
            else:
                scale = abs(a_value) if a_value else 1.0
            step = scale * rng.uniform(0.004, 0.015)  # change per year, relative to the level
            if area == reg.reference:
                step *= 0.4  # the city average moves slowly
            sign = {"improving": 1, "worsening": -1, "flat": 0}[scenario]
            sign *= 1 if ind.higher_is_better else -1
            for year in _years(ind.source):
                if year == a_year and own_anchor:
                    continue  # the real baseline figure stands here
                if year == a_year:
                    value = a_value
                    note = "gelijk aan de nulmeting van Dordt West (basisjaar)"
                else:
                    noise = rng.normal(0, scale * 0.02)
                    value = a_value + sign * step * (year - a_year) + noise
                    note = f"synthetisch scenario: {scenario}"
                if not np.isnan(lo):
                    value = max(value, lo)
                if not np.isnan(hi):
                    value = min(value, hi)
                n = SURVEY_N["reference" if area == reg.reference else "neighbourhood"]
                rows.append(
                    {
                        "indicator": ind.id,
                        "area": area,
                        "year": year,
                        "value": round(value, decimals),
                        "n": n if survey_percent else None,
                        "se": None,
                        "source": SOURCE,
                        "note": note,
                    }
                )
    df = pd.DataFrame(rows)
    df = _consistent_shares(df, base[base["file"] != "(berekend)"], reg)
    df["n"] = df["n"].astype("Int64")
    return df


def _consistent_shares(df: pd.DataFrame, base: pd.DataFrame, reg) -> pd.DataFrame:
    """Parts of one percentage figure drawn independently drift apart.

    In the synthetic years, rescale the parts of a group so they add up to
    what they add up to in the published baseline of that area (capped at
    100%): the composition moves, the published sum (and its gap, where
    Bijlage 3 leaves a category out) stays, and there is no jump at the
    baseline year.
    """
    groups = reg.indicators.dropna(subset=["share_group"])
    groups = groups[groups["unit"] == "percent"].set_index("id")["share_group"]
    df = df.copy()
    df["group"] = df["indicator"].map(groups)
    published = (
        base.assign(group=base["indicator"].map(groups))
        .dropna(subset=["group"])
        .groupby(["group", "area"])["value"]
        .sum()
    )
    for (group, area, _year), g in df[df["group"].notna()].groupby(["group", "area", "year"]):
        target = min(float(published.get((group, area), 100.0)), 100.0)
        df.loc[g.index, "value"] = (g["value"] * target / g["value"].sum()).round(2)
    return df.drop(columns="group")


def main() -> int:
    df = make_series()
    write_csv(df, OUT)
    print(f"{len(df)} synthetische waarden geschreven naar {Path(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
