"""A simulated national file for the tests of the comparison (``npdw compare``, ``evaluate``).

A simulated pool (:func:`~npdw_learning.tellen.comparison_sim.simulate_panel`) and
Dordt West's four wijken under the names ``cbs.yaml`` gives them, found there exactly
as in a real CBS file; an effect is planted in Wielwijk from the start year on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from npdw_learning.tellen.comparison_sim import simulate_panel
from npdw_learning.tellen.national import NATIONAL_COLUMNS, write_national

WIJKEN = {  # registry id -> the name cbs.yaml gives it (found by name, as in a real file)
    "oud-krispijn": "Oud-Krispijn",
    "nieuw-krispijn": "Nieuw-Krispijn",
    "wielwijk": "Wielwijk",
    "crabbehof": "Crabbehof",
}
# One indicator where higher is better and one where lower is better (registry directions).
INDICATORS = ["arbeidsparticipatie", "jeugdzorg"]
PLANTED_SD = 6.0  # the effect in noise sd, planted in Wielwijk only
YEARS = range(2015, 2027)


def national_file(tmp_path: Path, effect: float = PLANTED_SD, suffix: str = ".csv") -> Path:
    sim = simulate_panel(
        600,
        YEARS,
        start_year=2024,
        indicators=INDICATORS,
        units=list(WIJKEN),
        effect={"wielwijk": effect},
        seed=11,
    )
    own = sim.units.assign(
        region_code=lambda t: (
            "WK0505" + t["area"].map({a: f"{90 + i:02d}" for i, a in enumerate(WIJKEN)})
        ),
        region_name=lambda t: t["area"].map(WIJKEN),
        municipality_code="GM0505",
        level="wijk",
    )[NATIONAL_COLUMNS]
    frame = pd.concat([sim.pool, own], ignore_index=True)
    path = tmp_path / f"landelijk{suffix}"
    write_national(frame, path)
    return path
