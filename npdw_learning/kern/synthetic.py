"""What every output built on synthetic demo data says, in one place.

The demo series (``data/demo/``) and the example stories are invented; a
figure, a command's output and the report each carry a warning so that no one
mistakes them for real figures.
"""

from __future__ import annotations

__all__ = ["FIGURE_BANNER", "COMMAND_BANNER", "MARKER_FILE"]

# The red line on a figure (short: it must fit above the plot).
FIGURE_BANNER = "SYNTHETISCHE DEMODATA — geen echte cijfers"
# What `npdw trends` prints and writes beside its outputs.
COMMAND_BANNER = (
    "LET OP: deze uitvoer bevat SYNTHETISCHE DEMODATA (data/demo/). "
    "Dit zijn geen echte cijfers; gebruik ze alleen om de werkwijze te laten zien."
)
MARKER_FILE = "LET_OP_SYNTHETISCHE_DEMODATA.txt"
