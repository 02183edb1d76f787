"""One home for the project's paths (cookiecutter-data-science ``config.py``).

Every command also takes explicit ``--data`` and ``--out`` options; these are
only the defaults, resolved against the repository root so the CLI works from
any working directory inside a checkout. The paths inside a programme folder
belong to :class:`~npdw_learning.kern.programme.ProgrammeFolder`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PROJ_ROOT",
    "DATA_DIR",
    "OUTPUTS_DIR",
    "CBS_CACHE_DIR",
]

# NPDW_ROOT lets an installed (non-editable) copy point at a data checkout.
PROJ_ROOT = Path(os.environ.get("NPDW_ROOT", Path(__file__).resolve().parents[2]))
# The toolkit's own programme folder (Dordt West): the default of --data. What lies inside
# a programme folder is kern.programme.ProgrammeFolder's business.
DATA_DIR = PROJ_ROOT / "data"
# NPDW_OUTPUTS sends generated files elsewhere (the notebook tests use a temporary folder).
OUTPUTS_DIR = Path(os.environ.get("NPDW_OUTPUTS", PROJ_ROOT / "outputs"))
# Raw CBS responses of `npdw fetch cbs` (git-ignored; replay with --offline .cache/cbs).
CBS_CACHE_DIR = Path(os.environ.get("NPDW_CBS_CACHE", PROJ_ROOT / ".cache" / "cbs"))
